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

  @Test func aMergeIsOneWriterUnlessEachPartIsLarge() {
    // Below twice the large size: one part, however many writers.
    #expect(policy.parts(of: [60_000, 60_000], writers: 8) == [0..<2])
    #expect(policy.parts(of: Array(repeating: 1_000, count: 30), writers: 8) == [0..<30])
    #expect(policy.parts(of: [], writers: 2).isEmpty)
    // 300 000 bytes: four parts of about 75 000 with four writers, two with two.
    let sizes = Array(repeating: 10_000, count: 30)
    let four = policy.parts(of: sizes, writers: 4)
    #expect(four == [0..<8, 8..<16, 16..<23, 23..<30])
    #expect(four.allSatisfy { sizes[$0].reduce(0, +) >= 64_000 })
    #expect(policy.parts(of: sizes, writers: 2) == [0..<15, 15..<30])
    // Never an empty part, even when one document holds most of the bytes.
    let skewed = policy.parts(of: [1_000, 1_000, 200_000], writers: 3)
    #expect(skewed.allSatisfy { !$0.isEmpty })
    #expect(skewed.last?.upperBound == 3)
    // After a document bigger than its share, the next share is of what is left.
    #expect(
      MergePolicy(mergeFactor: 4, largeSegmentBytes: 100).parts(
        of: [45, 13, 140, 268, 1, 26, 7, 214, 51], writers: 6) == [0..<3, 3..<4, 4..<8, 8..<9])
  }
}
