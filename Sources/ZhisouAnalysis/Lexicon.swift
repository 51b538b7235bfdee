/// The domain lexicon: terms of this field (产教融合, 双师型教师, 1+X证书 …) that ICU
/// splits into fragments and that are indexed whole wherever their characters occur.
///
/// Loaded from a plain text file, one term per line (`#` starts a comment). Terms are
/// normalised with the analyzer's own normaliser, so `產教融合` and `１+Ｘ证书` in the
/// file mean the same as `产教融合` and `1+x证书`.
public final class Lexicon: @unchecked Sendable {
  /// The lexicon shipped with zhisou (`StandardLexicon.swift`).
  public static let standard = Lexicon(text: standardText)

  /// The terms as given (normalised), in file order without duplicates.
  public var terms: [String] { termUnits.map { String(decoding: $0, as: UTF16.self) } }
  /// Whether there are no terms.
  public var isEmpty: Bool { termUnits.isEmpty }
  // Kept as code units: a search process builds the lexicon at start-up, and making
  // 520 Strings (and hashing them) was most of that.
  private let termUnits: [[UInt16]]
  /// A stable fingerprint of the terms, so an index can tell it was built with another lexicon.
  public let fingerprint: UInt64

  // A trie over normalised UTF-16 code units, its edges in an open-addressing hash
  // table: key (node << 16 | unit) + 1 at `edgeKeys[slot]`, the child at `edgeChildren[slot]`.
  private let edgeKeys: [UInt64]
  private let edgeChildren: [Int32]
  private let edgeMask: Int
  private let terminal: [Bool]
  /// Bit `unit` is set when some term starts with code unit `unit` (8 KB: stays in L1).
  private let firstUnits: [UInt64]

  /// Parses a lexicon file's text: one term per line, `#` comments, blank lines ignored.
  public convenience init(text: String) {
    // Lines and comments are cut on UTF-8 bytes and trimmed by scalar properties: a
    // search process parses the lexicon at start-up, and splitting into Characters
    // (grapheme clusters) was most of that.
    var terms: [String] = []
    let scalars = text.unicodeScalars
    var lineStart = scalars.startIndex
    var i = lineStart
    func addLine(_ end: String.UnicodeScalarView.Index) {
      var contentEnd = lineStart
      while contentEnd < end, scalars[contentEnd] != "#" {
        contentEnd = scalars.index(after: contentEnd)
      }
      var first = lineStart
      while first < contentEnd, scalars[first].properties.isWhitespace {
        first = scalars.index(after: first)
      }
      var last = contentEnd
      while last > first, scalars[scalars.index(before: last)].properties.isWhitespace {
        last = scalars.index(before: last)
      }
      if first < last { terms.append(String(scalars[first..<last])) }
    }
    while i < scalars.endIndex {
      let scalar = scalars[i]
      switch scalar {
      case "\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}":
        addLine(i)
        lineStart = scalars.index(after: i)
      default: break
      }
      i = scalars.index(after: i)
    }
    addLine(scalars.endIndex)
    self.init(terms: terms)
  }

  /// Builds a lexicon from terms (normalised here).
  public init(terms raw: [String]) {
    let normalizer = TextNormalizer()
    let normalized = raw.map { normalizer.normalizedUnits($0) }.filter { $0.count >= 2 }
    // The trie's edge table is sized for the worst case (no shared prefixes) and filled
    // in place: no Set or Dictionary to build at start-up (a search process makes one).
    var size = 16
    while size < normalized.reduce(0, { $0 + $1.count }) * 2 { size <<= 1 }
    var keys = [UInt64](repeating: 0, count: size)
    var children = [Int32](repeating: 0, count: size)
    var terminal = [false]
    var firstUnits = [UInt64](repeating: 0, count: 0x10000 / 64)
    var termUnits: [[UInt16]] = []
    for units in normalized {
      var node: Int32 = 0
      for unit in units {
        let key = UInt64(UInt32(bitPattern: node)) << 16 | UInt64(unit)
        var slot = Self.slot(key, size - 1)
        while keys[slot] != 0, keys[slot] != key + 1 { slot = (slot + 1) & (size - 1) }
        if keys[slot] == 0 {
          keys[slot] = key + 1
          children[slot] = Int32(terminal.count)
          terminal.append(false)
        }
        node = children[slot]
      }
      guard !terminal[Int(node)] else { continue }  // a duplicate
      terminal[Int(node)] = true
      firstUnits[Int(units[0]) >> 6] |= 1 << UInt64(units[0] & 63)
      termUnits.append(units)
    }
    self.termUnits = termUnits
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for units in termUnits {
      for unit in units {
        hash = (hash ^ UInt64(unit & 0xFF)) &* 0x100_0000_01b3
        hash = (hash ^ UInt64(unit >> 8)) &* 0x100_0000_01b3
      }
      hash = (hash ^ 0x0a) &* 0x100_0000_01b3
    }
    fingerprint = hash
    edgeKeys = keys
    edgeChildren = children
    edgeMask = size - 1
    self.terminal = terminal
    self.firstUnits = firstUnits
  }

  @inline(__always)
  private static func slot(_ key: UInt64, _ mask: Int) -> Int {
    Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
  }

  /// The child of `node` along `unit`, or nil.
  @inline(__always)
  private func child(_ node: Int32, _ unit: UInt16) -> Int32? {
    let key = UInt64(UInt32(bitPattern: node)) << 16 | UInt64(unit)
    var slot = Self.slot(key, edgeMask)
    while true {
      let stored = edgeKeys[slot]
      if stored == key + 1 { return edgeChildren[slot] }
      if stored == 0 { return nil }
      slot = (slot + 1) & edgeMask
    }
  }

  /// Whether `term` (normalised, as the analyzer's tokens are) is a lexicon term.
  public func contains(_ term: String) -> Bool {
    var node: Int32 = 0
    for unit in term.utf16 {
      guard let next = child(node, unit) else { return false }
      node = next
    }
    return node != 0 && terminal[Int(node)]
  }

  /// Calls `body(end)` for every lexicon term that starts at `start` in `text`
  /// (`end` is exclusive), shortest first.
  @inline(__always)
  func matches(in text: UnsafeBufferPointer<UInt16>, at start: Int, _ body: (Int) -> Void) {
    let first = text[start]
    guard firstUnits[Int(first) >> 6] & (1 << UInt64(first & 63)) != 0 else { return }
    var node: Int32 = 0
    var i = start
    while i < text.count, let next = child(node, text[i]) {
      node = next
      i += 1
      if terminal[Int(node)] { body(i) }
    }
  }
}
