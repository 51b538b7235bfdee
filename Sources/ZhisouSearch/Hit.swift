import ZhisouIndex

/// A ranked search result: the unit, its document, its score and a snippet.
public struct Hit: Sendable {
  public var unit: StoredUnit
  public var document: DocumentRecord
  public var score: Double
  public var snippet: Snippet
  /// Per query word: its contribution to the score (for `--explain`).
  public var explanation: [(word: String, title: Double, body: Double)]
  /// Whether the hit matches only some of the words (or their parts): ranked below all full matches.
  public var isFallback: Bool
}

/// A window of a unit's text with the matched characters marked.
public struct Snippet: Sendable, Equatable {
  public var text: String
  /// UTF-8 byte ranges of `text` that matched.
  public var highlights: [Range<Int>]

  public init(text: String, highlights: [Range<Int>]) {
    self.text = text
    self.highlights = highlights
  }

  /// Character (Unicode scalar) ranges of the highlights, for JSON consumers.
  public var characterHighlights: [Range<Int>] {
    let bytes = Array(text.utf8)
    func chars(upTo offset: Int) -> Int {
      var n = 0
      for b in bytes[0..<min(offset, bytes.count)] where b & 0xC0 != 0x80 { n += 1 }
      return n
    }
    return highlights.map { chars(upTo: $0.lowerBound)..<chars(upTo: $0.upperBound) }
  }

  /// The text with each highlight wrapped in `open`/`close` (e.g. 【】 or ANSI bold).
  public func marked(open: String, close: String) -> String {
    let bytes = Array(text.utf8)
    var out = ""
    var at = 0
    for range in highlights.sorted(by: { $0.lowerBound < $1.lowerBound }) where range.lowerBound >= at {
      out += String(decoding: bytes[at..<range.lowerBound], as: UTF8.self)
      out += open + String(decoding: bytes[range], as: UTF8.self) + close
      at = range.upperBound
    }
    out += String(decoding: bytes[at...], as: UTF8.self)
    return out
  }
}

/// The answer to a query.
public struct SearchResult: Sendable {
  public var hits: [Hit]
  /// Number of units that matched every word (before offset/limit); a lower bound
  /// when pruning skipped units that could not make the page.
  public var total: Int
  /// Whether `total` counts every match.
  public var totalIsExact: Bool = true
  /// True when no unit matched all words and the hits match some of them.
  public var isFallback: Bool

  public init(hits: [Hit], total: Int, totalIsExact: Bool = true, isFallback: Bool) {
    self.hits = hits
    self.total = total
    self.totalIsExact = totalIsExact
    self.isFallback = isFallback
  }
}
