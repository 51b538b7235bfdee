extension IndexReader {
  /// Number of distinct (field, term) keys in the segments' dictionaries: a term in
  /// several segments counts once (terms of deleted units count until a merge drops them).
  public func distinctTermCount() throws(IndexError) -> Int {
    try Self.distinctTermCount(of: segments)
  }

  /// Number of distinct (field, term) keys over the dictionaries of `segments`.
  static func distinctTermCount(of segments: [SegmentReader]) throws(IndexError) -> Int {
    if segments.isEmpty { return 0 }
    if segments.count == 1 { return segments[0].termCount }
    // Each dictionary is sorted, and so is its list of packed keys: merging the lists
    // pairwise is linear per level. (A set of the 1.2 M keys of a 1 GB index took 0.3 s,
    // mostly cache misses.) The rare longer keys go to a set.
    var lists: [[PackedKey]] = []
    var long = Set<[UInt8]>()
    for segment in segments {
      var list: [PackedKey] = []
      list.reserveCapacity(segment.termCount)
      try segment.forEachKey { key in
        if let packed = PackedKey(key) {
          list.append(packed)
        } else {
          long.insert(Array(key))
        }
      }
      lists.append(list)
    }
    while lists.count > 1 {
      var merged: [[PackedKey]] = []
      for i in stride(from: 0, to: lists.count, by: 2) {
        merged.append(i + 1 < lists.count ? PackedKey.union(lists[i], lists[i + 1]) : lists[i])
      }
      lists = merged
    }
    return lists[0].count + long.count
  }
}

/// A key of up to 16 bytes as two big-endian integers, zero-padded: they sort as the
/// bytes do, and are equal only for equal keys (keys hold no zero bytes). Nearly every
/// key is that short (a bigram's is 7 bytes).
struct PackedKey: Comparable {
  private var high: UInt64 = 0
  private var low: UInt64 = 0

  /// The packed key, or nil when it is longer than 16 bytes.
  init?(_ key: UnsafeBufferPointer<UInt8>) {
    guard key.count <= 16 else { return nil }
    for i in 0..<16 {
      let byte = UInt64(i < key.count ? key[i] : 0)
      if i < 8 { high = high << 8 | byte } else { low = low << 8 | byte }
    }
  }

  static func < (a: PackedKey, b: PackedKey) -> Bool {
    a.high != b.high ? a.high < b.high : a.low < b.low
  }

  /// The keys of two increasing lists of distinct keys, each once, in order.
  static func union(_ a: [PackedKey], _ b: [PackedKey]) -> [PackedKey] {
    var out: [PackedKey] = []
    out.reserveCapacity(a.count + b.count)
    var i = 0
    var j = 0
    while i < a.count, j < b.count {
      if a[i] < b[j] {
        out.append(a[i])
        i += 1
      } else {
        if a[i] == b[j] { i += 1 }
        out.append(b[j])
        j += 1
      }
    }
    out.append(contentsOf: a[i...])
    out.append(contentsOf: b[j...])
    return out
  }
}
