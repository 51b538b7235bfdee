import ZhisouIndex

/// The units of one segment field where a word occurs, with how often.
struct FieldMatches {
  var units: [Int32] = []
  var frequencies: [Int32] = []
}

/// Finds where a `WordPattern` occurs in one field of one segment: intersects the
/// elements' postings (driven by the rarest) and checks their slots line up.
enum WordMatcher {
  static func matches(_ pattern: WordPattern, in segment: SegmentReader, field: Field)
    throws(IndexError) -> FieldMatches
  {
    guard !pattern.isEmpty else { return FieldMatches() }
    // A lone character: every slot holds exactly one bigram or character token, so the
    // sum of those terms' frequencies is the character's frequency; no positions needed.
    if pattern.elements.count == 1, pattern.elements[0].isPrefix {
      let infos = try segment.terms(field: field, prefix: pattern.elements[0].term).filter(
        isSlotTerm)
      var frequency = [Int32](repeating: 0, count: segment.unitCount)
      for info in infos {
        var cursor = try segment.postings(info)
        try cursor.next()
        while cursor.unit != Int32.max {
          frequency[Int(cursor.unit)] += cursor.tf
          try cursor.next()
        }
      }
      var out = FieldMatches()
      for (unit, tf) in frequency.enumerated() where tf > 0 {
        out.units.append(Int32(unit))
        out.frequencies.append(tf)
      }
      return out
    }
    // One exact term: its postings are the answer.
    if pattern.elements.count == 1 {
      guard let info = try segment.lookup(field: field, term: pattern.elements[0].term) else {
        return FieldMatches()
      }
      var cursor = try segment.postings(info)
      var out = FieldMatches()
      try cursor.next()
      while cursor.unit != Int32.max {
        out.units.append(cursor.unit)
        out.frequencies.append(cursor.tf)
        try cursor.next()
      }
      return out
    }
    // One source per distinct term, with every offset it must occupy: a long chain
    // repeats its terms (教育教育… is two bigrams), and each is read once per unit.
    var sources: [ElementSource] = []
    var offsets: [[Int32]] = []
    var sourceOfTerm: [String: Int] = [:]
    for element in pattern.elements {
      let key = (element.isPrefix ? "*" : "=") + element.term
      if let k = sourceOfTerm[key] {
        offsets[k].append(element.offset)
        continue
      }
      sourceOfTerm[key] = sources.count
      offsets.append([element.offset])
      if element.isPrefix {
        let infos = try segment.terms(field: field, prefix: element.term).filter(isSlotTerm)
        if infos.isEmpty { return FieldMatches() }
        sources.append(ElementSource(materialized: try union(infos, in: segment)))
      } else {
        guard let info = try segment.lookup(field: field, term: element.term) else {
          return FieldMatches()
        }
        sources.append(ElementSource(cursor: try segment.postings(info)))
      }
    }
    // Drive by the rarest term.
    let order = sources.indices.sorted { sources[$0].count < sources[$1].count }
    sources = order.map { sources[$0] }
    offsets = order.map { offsets[$0] }
    for i in sources.indices { try sources[i].start() }
    var out = FieldMatches()
    var target: Int32 = 0
    var lists = [ArraySlice<Int32>](repeating: [], count: sources.count)
    outer: while true {
      // Align every source on one unit.
      var aligned = false
      while !aligned {
        aligned = true
        for i in sources.indices {
          try sources[i].advance(to: target)
          let u = sources[i].unit
          if u == Int32.max { break outer }
          if u > target {
            target = u
            aligned = false
          }
        }
      }
      // A term that must stand at m offsets needs m distinct positions in the unit.
      if sources.indices.contains(where: { sources[$0].frequency < offsets[$0].count }) {
        target += 1
        continue
      }
      // Count the slots where every term sits at each of its offsets.
      for i in sources.indices { lists[i] = try sources[i].positions() }
      var tf: Int32 = 0
      let anchorOffset = offsets[0][0]
      for p in lists[0] {
        let start = p - anchorOffset
        var all = true
        check: for k in sources.indices {
          for offset in offsets[k] where !(k == 0 && offset == anchorOffset) {
            if !contains(lists[k], start + offset) {
              all = false
              break check
            }
          }
        }
        if all { tf += 1 }
      }
      if tf > 0 {
        out.units.append(target)
        out.frequencies.append(tf)
      }
      target += 1
    }
    return out
  }

  private static func contains(_ sorted: ArraySlice<Int32>, _ value: Int32) -> Bool {
    var low = sorted.startIndex
    var high = sorted.endIndex
    while low < high {
      let mid = (low + high) / 2
      if sorted[mid] < value { low = mid + 1 } else { high = mid }
    }
    return low < sorted.endIndex && sorted[low] == value
  }

  /// Whether a dictionary entry is a bigram or a lone character (one per slot), as
  /// opposed to a compound: compounds start at slots that have their bigram too.
  private static func isSlotTerm(_ info: TermInfo) -> Bool {
    let scalars = info.term.unicodeScalars
    return scalars.count <= 2 && scalars.allSatisfy(isCJK)
  }

  /// The union of several terms' postings, with merged positions per unit.
  private static func union(_ infos: [TermInfo], in segment: SegmentReader) throws(IndexError)
    -> MaterializedPostings
  {
    var byUnit: [Int32: [Int32]] = [:]
    for info in infos {
      var cursor = try segment.postings(info)
      try cursor.next()
      while cursor.unit != Int32.max {
        byUnit[cursor.unit, default: []].append(contentsOf: try cursor.positions())
        try cursor.next()
      }
    }
    let units = byUnit.keys.sorted()
    // One term per slot: positions from different terms never coincide.
    return MaterializedPostings(units: units, positions: units.map { (byUnit[$0] ?? []).sorted() })
  }
}

struct MaterializedPostings {
  var units: [Int32]
  var positions: [[Int32]]
}

/// One term's postings while matching: a live cursor, or a materialised union. A class,
/// so the cursor is advanced where it lives, never copied out and back per step.
private final class ElementSource {
  private var cursor: PostingsCursor
  private let isCursor: Bool
  private let materialized: MaterializedPostings
  private var index = -1
  let count: Int

  init(cursor: PostingsCursor) {
    self.cursor = cursor
    isCursor = true
    materialized = MaterializedPostings(units: [], positions: [])
    count = cursor.documentFrequency
  }

  init(materialized: MaterializedPostings) {
    cursor = PostingsCursor()
    isCursor = false
    self.materialized = materialized
    count = materialized.units.count
  }

  var unit: Int32 {
    if isCursor { return cursor.unit }
    return index < materialized.units.count ? materialized.units[max(index, 0)] : Int32.max
  }

  /// How often the term occurs in the current unit.
  var frequency: Int {
    if isCursor { return Int(cursor.tf) }
    return index < materialized.units.count ? materialized.positions[max(index, 0)].count : 0
  }

  func start() throws(IndexError) {
    if isCursor { try cursor.next() } else { index = 0 }
  }

  func advance(to target: Int32) throws(IndexError) {
    if isCursor {
      try cursor.advance(to: target)
      return
    }
    while index < materialized.units.count, materialized.units[index] < target { index += 1 }
  }

  func positions() throws(IndexError) -> ArraySlice<Int32> {
    if isCursor { return try cursor.positions() }
    return materialized.positions[index][...]
  }
}
