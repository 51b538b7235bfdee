/// The (tf, field length) pairs of a postings block that can score best: every unit of
/// the block has a pair with at least its tf and at most its length (a Pareto frontier,
/// as Lucene's competitive impacts). Kept apart per impact class — the unit's kind and
/// whether it is demoted (`IndexFormat.impactClass`): the scorer scales demoted units'
/// scores down, so a demoted unit must not hide one ranked in full that outscores it;
/// and a kind filter bounds a block by its units of that kind alone (short sections
/// would otherwise hide that no case in the block can compete).
struct BlockImpacts {
  /// Frontier pairs, one list per class, tf increasing.
  private var tfs: [[Int]] = Array(repeating: [], count: IndexFormat.impactClasses)
  private var lengths: [[Int]] = Array(repeating: [], count: IndexFormat.impactClasses)

  mutating func clear() {
    for c in tfs.indices {
      tfs[c].removeAll(keepingCapacity: true)
      lengths[c].removeAll(keepingCapacity: true)
    }
  }

  /// Adds one unit's pair, dropping what it dominates (frontiers stay a few pairs long).
  mutating func add(tf: Int, length: Int, impactClass c: Int) {
    for i in tfs[c].indices where tfs[c][i] >= tf && lengths[c][i] <= length { return }
    var i = 0
    while i < tfs[c].count {
      if tfs[c][i] <= tf && lengths[c][i] >= length {
        tfs[c].remove(at: i)
        lengths[c].remove(at: i)
      } else {
        i += 1
      }
    }
    // Keep tf increasing (then length increases too: it is a frontier).
    var at = tfs[c].count
    while at > 0, tfs[c][at - 1] > tf { at -= 1 }
    tfs[c].insert(tf, at: at)
    lengths[c].insert(length, at: at)
  }

  /// `u8` mask of the classes that have units, then per such class (increasing):
  /// `varint n` (≥ 1), then n × {`varint tf`, `varint length`}.
  func write(into out: inout ByteWriter) {
    var mask: UInt8 = 0
    for c in tfs.indices where !tfs[c].isEmpty { mask |= 1 << UInt8(c) }
    out.u8(mask)
    for c in tfs.indices where !tfs[c].isEmpty {
      out.varint(tfs[c].count)
      for i in tfs[c].indices {
        out.varint(tfs[c][i])
        out.varint(lengths[c][i])
      }
    }
  }
}
