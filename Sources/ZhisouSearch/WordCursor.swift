import ZhisouIndex

/// One field's matches of a word in one segment, walked in unit order: the term's
/// postings (skippable by block), a word of several terms matched as it is walked, or a
/// materialised list (a lone character).
/// A class, so the cursors a query juggles are shared, not copied; the postings cursor
/// is stepped where it is stored (reading a bound never copies it).
final class FieldCursor {
  // Stepped once per candidate: the dynamic exclusivity check of a class property would
  // cost more than the step. Nothing else holds the cursor while it is stepped.
  @exclusivity(unchecked) private var postings: PostingsCursor
  /// Whether `postings` is the source; otherwise `phrase` is, or `list` (or nothing).
  let isPostings: Bool
  private let phrase: PhraseCursor?
  private let list: FieldMatches
  private var listIndex = -1
  private(set) var unit: Int32 = Int32.max
  private(set) var tf: Int32 = 0
  /// Upper bound of tf/(tf + norm) parts: the term's max tf and shortest field.
  let maxTf: Int32
  let minLength: Int32

  /// A cursor over nothing (the word is not in this field).
  static func empty() -> FieldCursor { FieldCursor(matches: FieldMatches()) }

  init(postings: PostingsCursor, info: TermInfo) throws(IndexError) {
    self.postings = postings
    isPostings = true
    phrase = nil
    list = FieldMatches()
    maxTf = Int32(clamping: info.maxTf)
    minLength = Int32(clamping: info.minLength)
    try next()
  }

  /// A word of several terms whose dictionary entries are `infos` (at least one): a
  /// match holds each of them, so its tf is at most theirs and its field at least as
  /// long as theirs.
  init(phrase: PhraseCursor, infos: [TermInfo]) throws(IndexError) {
    precondition(!infos.isEmpty && phrase.hasBlocks, "a phrase of terms, not only characters")
    postings = PostingsCursor()
    isPostings = false
    self.phrase = phrase
    list = FieldMatches()
    maxTf = Int32(clamping: infos.map(\.maxTf).min() ?? 0)
    minLength = Int32(clamping: infos.map(\.minLength).max() ?? 0)
    try next()
  }

  init(matches: FieldMatches) {
    postings = PostingsCursor()
    isPostings = false
    phrase = nil
    list = matches
    maxTf = matches.frequencies.max() ?? 0
    minLength = 0
    advanceList(to: -1)
  }

  /// Whether postings blocks (with impacts) bound it: a term's, or a phrase's rarest
  /// term's. A materialised list is bounded by `maxTf` alone.
  var hasBlocks: Bool { isPostings || phrase?.hasBlocks == true }
  /// Whether it is a word of several terms, matched as it is walked.
  var isPhrase: Bool { phrase != nil }
  var blockCount: Int { isPostings ? postings.blockCount : phrase?.blockCount ?? 0 }
  var currentBlock: Int { isPostings ? postings.currentBlock : phrase?.currentBlock ?? 0 }
  func lastUnit(ofBlock b: Int) -> Int32 {
    isPostings ? postings.lastUnit(ofBlock: b) : phrase!.lastUnit(ofBlock: b)
  }
  func firstBlock(endingAtOrAfter target: Int32, from hint: Int) -> Int {
    if isPostings { return postings.firstBlock(endingAtOrAfter: target, from: hint) }
    return phrase?.firstBlock(endingAtOrAfter: target, from: hint) ?? 0
  }
  @inline(__always)
  func bestImpact(
    ofBlock b: Int, impactClass c: Int, _ score: (_ tf: Int32, _ length: Int32) -> Double
  ) -> Double {
    if isPostings { return postings.bestImpact(ofBlock: b, impactClass: c, score) }
    return phrase!.bestImpact(ofBlock: b, impactClass: c, score)
  }

  func next() throws(IndexError) {
    if isPostings {
      try postings.next()
      unit = postings.unit
      tf = postings.tf
    } else if let phrase {
      try phrase.next()
      unit = phrase.unit
      tf = phrase.tf
    } else {
      advanceList(to: unit == Int32.max ? Int32.max : unit + 1)
    }
  }

  func advance(to target: Int32) throws(IndexError) {
    guard unit < target else { return }
    if isPostings {
      try postings.advance(to: target)
      unit = postings.unit
      tf = postings.tf
    } else if let phrase {
      try phrase.advance(to: target)
      unit = phrase.unit
      tf = phrase.tf
    } else {
      advanceList(to: target)
    }
  }

  private func advanceList(to target: Int32) {
    var i = max(listIndex, 0)
    while i < list.units.count, list.units[i] < target { i += 1 }
    if i < list.units.count {
      unit = list.units[i]
      tf = list.frequencies[i]
    } else {
      unit = Int32.max
    }
    listIndex = i
  }
}

/// A word in one segment: its title and body cursors, scored together.
struct WordCursor {
  var title: FieldCursor
  var body: FieldCursor
  /// Weighted idf per field.
  let titleWeight: Double
  let bodyWeight: Double
  /// Number of postings behind it in this segment (which word drives a query).
  let cost: Int
  /// The word's idf for BM25F (over the body, where every occurrence is).
  let idf: Double

  var unit: Int32 { min(title.unit, body.unit) }

  func advance(to target: Int32) throws(IndexError) {
    try title.advance(to: target)
    try body.advance(to: target)
  }

  /// Moves past the current unit.
  func next() throws(IndexError) {
    let u = unit
    if title.unit == u { try title.next() }
    if body.unit == u { try body.next() }
  }
}
