import Testing
import ZhisouIndex

@Suite struct MergePolicyTests {
  let policy = MergePolicy(mergeFactor: 4, largeSegmentBytes: 64_000)

  func sizes(_ live: [Int], deleted: [Int]? = nil) -> [MergePolicy.SegmentSize] {
    live.enumerated().map {
      MergePolicy.SegmentSize(liveBytes: $1, deletedBytes: deleted?[$0] ?? 0)
    }
  }

  @Test func tiersAreEightTimesApart() {
    #expect(policy.tier(liveBytes: 999) == 0)
    #expect(policy.tier(liveBytes: 1_000) == 1)
    #expect(policy.tier(liveBytes: 7_999) == 1)
    #expect(policy.tier(liveBytes: 8_000) == 2)
    #expect(policy.tier(liveBytes: 63_999) == 2)
    #expect(policy.tier(liveBytes: 64_000) == nil)
  }

  @Test func aTierIsMergedWholeOnceItHoldsMergeFactorSegments() {
    #expect(policy.segmentsToMerge(sizes([100_000, 500, 600, 700])).isEmpty)
    #expect(policy.segmentsToMerge(sizes([100_000, 500, 600, 700, 800])) == [1, 2, 3, 4])
    // Three of tier 1 stay; four of tier 0 go.
    #expect(
      policy.segmentsToMerge(sizes([2_000, 500, 3_000, 600, 4_000, 700, 800])) == [1, 3, 5, 6])
    #expect(policy.segmentsToMerge(sizes([9_000, 10_000, 20_000, 30_000])) == [0, 1, 2, 3])
  }

  @Test func largeSegmentsAreNeverMergedForTheirCount() {
    #expect(policy.segmentsToMerge(sizes(Array(repeating: 100_000, count: 40))).isEmpty)
  }

  @Test func aSegmentMoreDeletedThanLiveIsMerged() {
    let live = [100_000, 100_000, 100_000, 500]
    #expect(policy.segmentsToMerge(sizes(live, deleted: [100_000, 100_001, 0, 0])) == [1])
    #expect(policy.segmentsToMerge(sizes(live, deleted: [0, 0, 0, 501])) == [3])
    // Wholly deleted segments leave the generation without a merge.
    #expect(policy.segmentsToMerge(sizes([0, 100_000], deleted: [50_000, 0])).isEmpty)
  }
}
