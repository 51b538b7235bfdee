import ZhisouIndex

/// Where a word of several terms occurs in one field of one segment, found as it is
/// walked: the units that hold every term (driven by the rarest), where the terms' slots
/// line up, with how often. Nothing is matched ahead of the walk, so a search that skips
/// postings blocks by their impacts (or probes the word only at other words' units)
/// verifies positions only where it looks.
final class PhraseCursor {
  /// The element sources, rarest first; each stepped where it is stored (no copies).
  @exclusivity(unchecked) private var sources: [ElementSource]
  /// Per source, every offset from the match start its term must occupy (a chain that
  /// repeats a term, 教育教育, reads it once).
  private let offsets: [[Int32]]
  /// The rarest source that is one term's postings: its blocks and impacts bound the
  /// word's (a match needs the term, at least as often, in the same unit). Nil when
  /// every source is a lone character's union: then nothing bounds it by blocks.
  private let lead: Int?
  /// Candidate match starts of the current unit, from the first source's positions.
  private var starts: [Int32] = []
  private(set) var unit: Int32 = -1
  private(set) var tf: Int32 = 0

  /// Sources with their offsets.
  init(sources: [ElementSource], offsets: [[Int32]]) {
    let order = sources.indices.sorted { sources[$0].count < sources[$1].count }
    self.sources = order.map { sources[$0] }
    self.offsets = order.map { offsets[$0] }
    lead = order.indices.first { sources[order[$0]].isPostings }
  }

  /// Upper bound of the matches: the rarest source's units.
  var cost: Int { sources.first?.count ?? 0 }

  /// Whether a term's postings blocks bound it (the block API below needs them).
  var hasBlocks: Bool { lead != nil }
  var blockCount: Int { sources[lead!].cursor.blockCount }
  var currentBlock: Int { sources[lead!].cursor.currentBlock }
  func lastUnit(ofBlock b: Int) -> Int32 { sources[lead!].cursor.lastUnit(ofBlock: b) }
  func firstBlock(endingAtOrAfter target: Int32, from hint: Int) -> Int {
    sources[lead!].cursor.firstBlock(endingAtOrAfter: target, from: hint)
  }
  @inline(__always)
  func bestImpact(
    ofBlock b: Int, impactClass c: Int, _ score: (_ tf: Int32, _ length: Int32) -> Double
  ) -> Double {
    sources[lead!].cursor.bestImpact(ofBlock: b, impactClass: c, score)
  }

  /// Moves to the first match (on a new cursor) or past the current one.
  func next() throws(IndexError) {
    if unit == Int32.max { return }
    try seek(unit + 1)
  }

  /// Moves to the first match at or after `target`.
  func advance(to target: Int32) throws(IndexError) {
    guard unit < target else { return }
    try seek(target)
  }

  private func seek(_ from: Int32) throws(IndexError) {
    var target = from
    while true {
      // Align every source on one unit.
      var aligned = false
      while !aligned {
        aligned = true
        for i in sources.indices {
          try sources[i].advance(to: target)
          let u = sources[i].unit
          if u == Int32.max {
            unit = Int32.max
            tf = 0
            return
          }
          if u > target {
            target = u
            aligned = false
          }
        }
      }
      let found = try matches()
      if found > 0 {
        unit = target
        tf = found
        return
      }
      target += 1
    }
  }

  /// How many starts in the aligned unit have every term at each of its offsets.
  private func matches() throws(IndexError) -> Int32 {
    // A term that must stand at m offsets needs m distinct positions in the unit.
    for i in sources.indices where sources[i].frequency < offsets[i].count { return 0 }
    starts.removeAll(keepingCapacity: true)
    let anchor = offsets[0][0]
    for p in try sources[0].positions() { starts.append(p - anchor) }
    for k in sources.indices {
      for offset in offsets[k] where !(k == 0 && offset == anchor) {
        let positions = try sources[k].positions()
        // Both lists increase: keep the starts whose slot `start + offset` holds the term.
        var kept = 0
        var j = positions.startIndex
        for start in starts {
          let wanted = start + offset
          while j < positions.endIndex, positions[j] < wanted { j += 1 }
          if j < positions.endIndex, positions[j] == wanted {
            starts[kept] = start
            kept += 1
          }
        }
        starts.removeLast(starts.count - kept)
        if kept == 0 { return 0 }
      }
    }
    return Int32(starts.count)
  }
}

/// One element's postings while matching a word: a term's cursor, or a materialised union
/// (a lone character stands for every term that starts with it).
struct ElementSource {
  var cursor: PostingsCursor
  let isPostings: Bool
  private let materialized: MaterializedPostings
  private var index = -1
  /// Units it holds.
  let count: Int

  init(cursor: PostingsCursor) {
    self.cursor = cursor
    isPostings = true
    materialized = MaterializedPostings(units: [], positions: [])
    count = cursor.documentFrequency
  }

  init(materialized: MaterializedPostings) {
    cursor = PostingsCursor()
    isPostings = false
    self.materialized = materialized
    count = materialized.units.count
  }

  var unit: Int32 {
    if isPostings { return cursor.unit }
    return index < 0 ? -1 : index < materialized.units.count ? materialized.units[index] : Int32.max
  }

  /// How often the term occurs in the current unit.
  var frequency: Int {
    mutating get {
      if isPostings { return Int(cursor.tf) }
      return materialized.positions[index].count
    }
  }

  mutating func advance(to target: Int32) throws(IndexError) {
    if isPostings {
      try cursor.advance(to: target)
      return
    }
    index = max(index, 0)
    while index < materialized.units.count, materialized.units[index] < target { index += 1 }
  }

  mutating func positions() throws(IndexError) -> ArraySlice<Int32> {
    if isPostings { return try cursor.positions() }
    return materialized.positions[index][...]
  }
}

/// Units and, per unit, sorted positions: several terms' postings merged.
struct MaterializedPostings {
  var units: [Int32]
  var positions: [[Int32]]
}
