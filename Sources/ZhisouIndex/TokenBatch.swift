import ZhisouAnalysis

/// Tokens of recently inverted units (term id, unit, slot) in arrival order, until they
/// are appended to their terms' postings. Sorted by term — stably, so each term's tokens
/// stay in unit and slot order — they reach each term's buffer in one run.
struct TokenBatch {
  /// Tokens a batch holds before it is appended (32 MB of keys, units and positions,
  /// and their sorted copies).
  static let defaultCapacity = 1 << 20
  /// Bits of the term id sorted per radix pass: 2 048 buckets, whose write heads stay
  /// in the cache.
  private static let digitBits = 11

  /// Per token: term id << 32 | arrival index.
  private var keys: [UInt64] = []
  private var scratch: [UInt64] = []
  private var units: [Int32] = []
  private var positions: [Int32] = []
  private var sortedUnits: [Int32] = []
  private var sortedPositions: [Int32] = []
  private var counts: [Int] = []

  /// Tokens held before the batch counts as full.
  let capacity: Int

  init(capacity: Int = defaultCapacity) { self.capacity = max(capacity, 1) }

  var count: Int { units.count }
  var isFull: Bool { units.count >= capacity }

  /// Adds one unit's tokens, whose term ids are `terms`.
  mutating func append(terms: [Int32], unit: Int32, tokens: [Token]) {
    let base = units.count
    let n = tokens.count
    keys.append(contentsOf: repeatElement(0, count: n))
    units.append(contentsOf: repeatElement(unit, count: n))
    positions.append(contentsOf: repeatElement(0, count: n))
    keys.withUnsafeMutableBufferPointer { keys in
      positions.withUnsafeMutableBufferPointer { positions in
        for k in 0..<n {
          keys[base + k] = UInt64(UInt32(bitPattern: terms[k])) << 32 | UInt64(base + k)
          positions[base + k] = tokens[k].position
        }
      }
    }
  }

  /// Calls `body` for every term of the batch, in increasing term id order, with the
  /// units and slots of its tokens in arrival order; returns the sum of what `body`
  /// returned, and leaves the batch empty. `termCount` bounds the term ids.
  mutating func drain(
    termCount: Int,
    _ body: (Int32, UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Int32>) -> Int
  ) -> Int {
    let n = keys.count
    guard n > 0 else { return 0 }
    sortByTerm(termBits: Int.bitWidth - max(termCount - 1, 1).leadingZeroBitCount)
    // Gather the units and slots in sorted order: one pass of sequential writes.
    sortedUnits.removeAll(keepingCapacity: true)
    sortedPositions.removeAll(keepingCapacity: true)
    sortedUnits.reserveCapacity(n)
    sortedPositions.reserveCapacity(n)
    keys.withUnsafeBufferPointer { keys in
      units.withUnsafeBufferPointer { units in
        positions.withUnsafeBufferPointer { positions in
          for key in keys {
            let i = Int(truncatingIfNeeded: key & 0xFFFF_FFFF)
            sortedUnits.append(units[i])
            sortedPositions.append(positions[i])
          }
        }
      }
    }
    var total = 0
    keys.withUnsafeBufferPointer { keys in
      sortedUnits.withUnsafeBufferPointer { units in
        sortedPositions.withUnsafeBufferPointer { positions in
          var start = 0
          while start < n {
            let term = keys[start] >> 32
            var end = start + 1
            while end < n, keys[end] >> 32 == term { end += 1 }
            total += body(
              Int32(truncatingIfNeeded: term),
              UnsafeBufferPointer(rebasing: units[start..<end]),
              UnsafeBufferPointer(rebasing: positions[start..<end]))
            start = end
          }
        }
      }
    }
    keys.removeAll(keepingCapacity: true)
    units.removeAll(keepingCapacity: true)
    positions.removeAll(keepingCapacity: true)
    return total
  }

  /// Stable least-significant-digit radix sort of `keys` by their term id (the high
  /// half), `termBits` wide; arrival order breaks ties, as the keys' low halves do.
  private mutating func sortByTerm(termBits: Int) {
    let n = keys.count
    let buckets = 1 << Self.digitBits
    scratch.removeAll(keepingCapacity: true)
    scratch.append(contentsOf: repeatElement(0, count: n))
    if counts.count < buckets { counts = [Int](repeating: 0, count: buckets) }
    var shift = 32
    while shift < 32 + termBits {
      let s = UInt64(shift)
      let mask = UInt64(buckets - 1)
      keys.withUnsafeMutableBufferPointer { keys in
        scratch.withUnsafeMutableBufferPointer { scratch in
          counts.withUnsafeMutableBufferPointer { counts in
            for b in 0..<buckets { counts[b] = 0 }
            for key in keys { counts[Int((key >> s) & mask)] += 1 }
            var sum = 0
            for b in 0..<buckets {
              let c = counts[b]
              counts[b] = sum
              sum += c
            }
            for key in keys {
              let b = Int((key >> s) & mask)
              scratch[counts[b]] = key
              counts[b] += 1
            }
          }
        }
      }
      swap(&keys, &scratch)
      shift += Self.digitBits
    }
  }
}
