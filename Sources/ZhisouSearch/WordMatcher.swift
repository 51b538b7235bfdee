import ZhisouIndex

/// The units of one segment field where a word occurs, with how often.
struct FieldMatches {
  var units: [Int32] = []
  var frequencies: [Int32] = []
}

/// Finds lone CJK characters in one segment field: the terms that start with one (its
/// bigrams, or the character alone at a run's end) are read through and merged.
enum WordMatcher {
  /// Every unit holding the characters at their offsets (a word's distinct elements, all
  /// lone characters), with how often.
  static func characterMatches(
    _ characters: [(element: WordPattern.Element, offsets: [Int32])], in segment: SegmentReader,
    field: Field
  ) throws(IndexError) -> FieldMatches {
    if characters.count == 1, characters[0].offsets.count == 1 {
      return try characterMatches(characters[0].element.term, in: segment, field: field)
    }
    var sources: [ElementSource] = []
    for (element, _) in characters {
      guard let positions = try characterPositions(element.term, in: segment, field: field)
      else { return FieldMatches() }
      sources.append(ElementSource(materialized: positions))
    }
    let cursor = PhraseCursor(sources: sources, offsets: characters.map(\.offsets))
    var out = FieldMatches()
    try cursor.next()
    while cursor.unit != Int32.max {
      out.units.append(cursor.unit)
      out.frequencies.append(cursor.tf)
      try cursor.next()
    }
    return out
  }

  /// Every unit holding `character`, with how often: each slot holds exactly one bigram
  /// or character token, so the character's frequency is the sum of those terms'.
  static func characterMatches(_ character: String, in segment: SegmentReader, field: Field)
    throws(IndexError) -> FieldMatches
  {
    let infos = try segment.terms(field: field, prefix: character).filter(isSlotTerm)
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

  /// The slots of `character` in every unit that holds it (nil when none does), for a
  /// word that has the character as one of several elements.
  static func characterPositions(_ character: String, in segment: SegmentReader, field: Field)
    throws(IndexError) -> MaterializedPostings?
  {
    let infos = try segment.terms(field: field, prefix: character).filter(isSlotTerm)
    if infos.isEmpty { return nil }
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

  /// Whether a dictionary entry is a bigram or a lone character (one per slot), as
  /// opposed to a compound: compounds start at slots that have their bigram too.
  private static func isSlotTerm(_ info: TermInfo) -> Bool {
    let scalars = info.term.unicodeScalars
    return scalars.count <= 2 && scalars.allSatisfy(isCJK)
  }
}
