/// Chooses the segments an incremental build merges away, so that segments do not pile
/// up build after build and deleted documents do not stay in the index forever.
///
/// A merge re-indexes the live documents of the chosen segments (from the corpus, whose
/// files are unchanged: the build checked them) into one new segment, and the chosen
/// segments leave the generation. Segments are tiered by their live corpus bytes, each
/// tier 8× the one below, as log-structured merges are:
/// - tier 0 below `largeSegmentBytes` / 64, tier 1 below / 8, tier 2 below
///   `largeSegmentBytes`; a tier holding `mergeFactor` segments is merged whole. The
///   merge's segment stays in its tier until it outgrows it, so small reports are
///   re-indexed a few times on their way up, and a merge re-indexes at most about
///   `mergeFactor` × its tier's bound;
/// - large segments (what a full build writes) are never merged to lower the count: that
///   would cost as much as a full build. One is merged only when more of its bytes are
///   deleted than live, which the changes that deleted them paid for.
public struct MergePolicy: Sendable {
  /// A segment as the policy sees it: corpus bytes of its live and deleted documents.
  public struct SegmentSize: Equatable, Sendable {
    public var liveBytes: Int
    public var deletedBytes: Int

    public init(liveBytes: Int, deletedBytes: Int) {
      self.liveBytes = liveBytes
      self.deletedBytes = deletedBytes
    }
  }

  /// Segments a tier holds before they are merged into one.
  public var mergeFactor: Int
  /// Live corpus bytes from which a segment counts as large.
  public var largeSegmentBytes: Int

  public init(mergeFactor: Int, largeSegmentBytes: Int) {
    self.mergeFactor = max(2, mergeFactor)
    self.largeSegmentBytes = max(1, largeSegmentBytes)
  }

  /// The tier of a segment with `liveBytes` live bytes, or nil for a large one.
  public func tier(liveBytes: Int) -> Int? {
    if liveBytes >= largeSegmentBytes { return nil }
    if liveBytes < largeSegmentBytes / 64 { return 0 }
    return liveBytes < largeSegmentBytes / 8 ? 1 : 2
  }

  /// How a merge of documents of `sizes` bytes is split between writers, at most
  /// `writers`: consecutive ranges, one segment each. One range unless the merge holds
  /// `largeSegmentBytes` for each of several (each range then about that, to a document):
  /// a merge written as several small segments would fill its tier again at once,
  /// while large ones leave the tiers.
  public func parts(of sizes: [Int], writers: Int) -> [Range<Int>] {
    let total = sizes.reduce(0, +)
    let count = max(1, min(writers, total / largeSegmentBytes, sizes.count))
    guard count > 1 else { return sizes.isEmpty ? [] : [0..<sizes.count] }
    var ranges: [Range<Int>] = []
    var start = 0
    var remaining = total
    var bytes = 0
    for (i, size) in sizes.enumerated() {
      bytes += size
      // Cut once the part holds its share of what the parts still to make share.
      let left = count - ranges.count
      if left > 1, i + 1 < sizes.count, bytes * left >= remaining {
        ranges.append(start..<(i + 1))
        start = i + 1
        remaining -= bytes
        bytes = 0
      }
    }
    ranges.append(start..<sizes.count)
    return ranges
  }

  /// Indices (increasing) of the segments to merge away.
  public func segmentsToMerge(_ segments: [SegmentSize]) -> [Int] {
    var chosen = Set<Int>()
    var tiers: [[Int]] = [[], [], []]
    for (s, segment) in segments.enumerated() where segment.liveBytes > 0 {
      if segment.deletedBytes > segment.liveBytes {
        chosen.insert(s)
      } else if let tier = tier(liveBytes: segment.liveBytes) {
        tiers[tier].append(s)
      }
    }
    for members in tiers where members.count >= mergeFactor {
      chosen.formUnion(members)
    }
    return chosen.sorted()
  }
}
