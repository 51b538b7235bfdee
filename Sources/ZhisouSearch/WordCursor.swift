import ZhisouIndex

/// One field's matches of a word in one segment, walked in unit order: the term's
/// postings (skippable by block), or a materialised list (phrases, prefixes).
/// A class, so the cursors a query juggles are shared, not copied.
final class FieldCursor {
  private enum Source {
    case none
    case postings(PostingsCursor)
    case list(FieldMatches, index: Int)
  }

  private var source: Source
  private(set) var unit: Int32 = Int32.max
  private(set) var tf: Int32 = 0
  /// Upper bound of tf/(tf + norm) parts: the term's max tf and shortest field.
  let maxTf: Int32
  let minLength: Int32

  /// A cursor over nothing (the word is not in this field).
  static func empty() -> FieldCursor { FieldCursor(source: .none, maxTf: 0, minLength: 0) }

  private init(source: Source, maxTf: Int32, minLength: Int32) {
    self.source = source
    self.maxTf = maxTf
    self.minLength = minLength
  }

  convenience init(postings: PostingsCursor, info: TermInfo) throws(IndexError) {
    self.init(
      source: .postings(postings), maxTf: Int32(clamping: info.maxTf),
      minLength: Int32(clamping: info.minLength))
    try next()
  }

  convenience init(matches: FieldMatches) {
    let maxTf = matches.frequencies.max() ?? 0
    self.init(source: .list(matches, index: -1), maxTf: maxTf, minLength: 0)
    advanceList(to: -1)
  }

  var isPostings: Bool {
    if case .postings = source { return true }
    return false
  }

  /// The current postings block's bounds (postings only).
  var blockLastUnit: Int32 {
    if case .postings(let c) = source { return c.blockLastUnit }
    return Int32.max
  }
  var blockMaxTf: Int32 {
    if case .postings(let c) = source { return c.blockMaxTf }
    return maxTf
  }
  var blockMinLength: Int32 {
    if case .postings(let c) = source { return c.blockMinLength }
    return minLength
  }

  func next() throws(IndexError) {
    switch source {
    case .none:
      unit = Int32.max
    case .postings(var c):
      source = .none
      try c.next()
      unit = c.unit
      tf = c.tf
      source = .postings(c)
    case .list:
      advanceList(to: unit == Int32.max ? Int32.max : unit + 1)
    }
  }

  func advance(to target: Int32) throws(IndexError) {
    guard unit < target else { return }
    switch source {
    case .none:
      unit = Int32.max
    case .postings(var c):
      source = .none
      try c.advance(to: target)
      unit = c.unit
      tf = c.tf
      source = .postings(c)
    case .list:
      advanceList(to: target)
    }
  }

  private func advanceList(to target: Int32) {
    guard case .list(let m, var i) = source else { return }
    if i < 0 { i = 0 }
    while i < m.units.count, m.units[i] < target { i += 1 }
    if i < m.units.count {
      unit = m.units[i]
      tf = m.frequencies[i]
    } else {
      unit = Int32.max
    }
    source = .list(m, index: i)
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
