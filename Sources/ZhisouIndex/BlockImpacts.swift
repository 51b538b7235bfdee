/// The (tf, field length) pairs of a postings block that can score best: every unit of
/// the block has a pair with at least its tf and at most its length (a Pareto frontier,
/// as Lucene's competitive impacts). Kept apart for demoted units (bare headings and
/// prefaces, flagged in the norms), because the scorer scales their scores down: a
/// demoted unit must not hide one ranked in full that outscores it.
struct BlockImpacts {
  /// Frontier pairs, one list per class (0 = ranked in full, 1 = demoted), tf increasing.
  private var tfs: [[Int]] = [[], []]
  private var lengths: [[Int]] = [[], []]

  mutating func clear() {
    for c in 0...1 {
      tfs[c].removeAll(keepingCapacity: true)
      lengths[c].removeAll(keepingCapacity: true)
    }
  }

  /// Adds one unit's pair, dropping what it dominates (frontiers stay a few pairs long).
  mutating func add(tf: Int, length: Int, isDemoted: Bool) {
    let c = isDemoted ? 1 : 0
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

  /// Per class: `varint n`, then n × {`varint tf`, `varint length`}.
  func write(into out: inout ByteWriter) {
    for c in 0...1 {
      out.varint(tfs[c].count)
      for i in tfs[c].indices {
        out.varint(tfs[c][i])
        out.varint(lengths[c][i])
      }
    }
  }
}
