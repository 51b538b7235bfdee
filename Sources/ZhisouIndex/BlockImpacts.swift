/// The (tf, field length) pairs of a postings block that can score best: every unit of
/// the block has a pair with at least its tf and at most its length (a Pareto frontier,
/// as Lucene's competitive impacts). Kept apart per impact class — the unit's kind and
/// whether it is demoted (`IndexFormat.impactClass`): the scorer scales demoted units'
/// scores down, so a demoted unit must not hide one ranked in full that outscores it;
/// and a kind filter bounds a block by its units of that kind alone (short sections
/// would otherwise hide that no case in the block can compete).
struct BlockImpacts {
  /// Room per class: a frontier holds at most one pair per unit of the block (the
  /// writer clears it for every block).
  private static let room = IndexFormat.unitsPerBlock
  /// Class c's frontier is `tfs[c * room ..< c * room + counts[c]]` (and `lengths`),
  /// tf increasing: flat storage, because this runs for every posting of a build.
  private var tfs = [Int](repeating: 0, count: IndexFormat.impactClasses * room)
  private var lengths = [Int](repeating: 0, count: IndexFormat.impactClasses * room)
  private var counts = [Int](repeating: 0, count: IndexFormat.impactClasses)

  mutating func clear() {
    for c in counts.indices { counts[c] = 0 }
  }

  /// Adds one unit's pair, dropping what it dominates (frontiers stay a few pairs long).
  mutating func add(tf: Int, length: Int, impactClass c: Int) {
    let base = c * Self.room
    let end = base + counts[c]
    var count = counts[c]
    tfs.withUnsafeMutableBufferPointer { tfs in
      lengths.withUnsafeMutableBufferPointer { lengths in
        for i in base..<end where tfs[i] >= tf && lengths[i] <= length { return }
        var kept = base
        for i in base..<end where !(tfs[i] <= tf && lengths[i] >= length) {
          tfs[kept] = tfs[i]
          lengths[kept] = lengths[i]
          kept += 1
        }
        precondition(kept < base + Self.room, "more pairs than units in a block")
        // Keep tf increasing (then length increases too: it is a frontier).
        var at = kept
        while at > base, tfs[at - 1] > tf {
          tfs[at] = tfs[at - 1]
          lengths[at] = lengths[at - 1]
          at -= 1
        }
        tfs[at] = tf
        lengths[at] = length
        count = kept + 1 - base
      }
    }
    counts[c] = count
  }

  /// `u8` mask of the classes that have units, then per such class (increasing):
  /// `varint n` (≥ 1), then n × {`varint tf`, `varint length`}.
  func write(into out: inout ByteWriter) {
    var mask: UInt8 = 0
    for c in counts.indices where counts[c] > 0 { mask |= 1 << UInt8(c) }
    out.u8(mask)
    for c in counts.indices where counts[c] > 0 {
      out.varint(counts[c])
      for i in c * Self.room..<c * Self.room + counts[c] {
        out.varint(tfs[i])
        out.varint(lengths[i])
      }
    }
  }
}
