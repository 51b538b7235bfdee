#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One source line after conversion residue is removed.
///
/// Besides the cleaned text, a line carries facts every later stage asks for (compact form,
/// scalar counts), computed once here from the UTF-8 bytes instead of once per question.
struct CleanLine: Sendable {
  /// The text to index: residue, markdown `#` and `**` markers removed, trimmed.
  let text: String
  /// `#` count of a markdown heading (`## 1.2 …` → 2), nil otherwise.
  let markdownLevel: Int?
  /// Whether the whole line was wrapped in `**…**`.
  let isBold: Bool
  /// Whether the line is a table row (cells separated or introduced by tabs).
  let isTableRow: Bool
  /// Compact form for comparisons: no spaces at all.
  let compact: String
  /// Number of Unicode scalars in `text`.
  let scalarCount: Int
  /// Number of Unicode scalars in `compact`.
  let compactScalarCount: Int

  init(text: String, markdownLevel: Int?, isBold: Bool, isTableRow: Bool) {
    self.text = text
    self.markdownLevel = markdownLevel
    self.isBold = isBold
    self.isTableRow = isTableRow
    var bytes = text
    let facts = bytes.withUTF8 { CleanLine.facts($0) }
    self.scalarCount = facts.scalars
    self.compactScalarCount = facts.compactScalars
    if let compactBytes = facts.compact {
      self.compact = String(decoding: compactBytes, as: UTF8.self)
    } else {
      self.compact = text
    }
  }

  /// Scalar counts of the text and of its compact form, and the compact form's bytes when it
  /// differs from the text (nil when the text has no spaces).
  private static func facts(_ p: UnsafeBufferPointer<UInt8>) -> (
    scalars: Int, compactScalars: Int, compact: [UInt8]?
  ) {
    var scalars = 0
    for byte in p where byte & 0xC0 != 0x80 { scalars += 1 }
    var spaces = 0
    var compact: [UInt8]?
    var copied = 0  // bytes before this offset are in `compact` (or need not be)
    var index = 0
    let count = p.count
    while index < count {
      let length = spaceLength(p, at: index)
      if length == 0 {
        index += 1
        continue
      }
      if compact == nil {
        compact = []
        compact!.reserveCapacity(count)
      }
      compact!.append(contentsOf: UnsafeBufferPointer(rebasing: p[copied..<index]))
      spaces += 1
      index += length
      copied = index
    }
    if compact != nil { compact!.append(contentsOf: UnsafeBufferPointer(rebasing: p[copied..<count])) }
    return (scalars, scalars - spaces, compact)
  }
}

/// Whether `scalar` is a space of any width (ASCII, full-width, no-break, BOM).
@inline(__always) func isSpace(_ scalar: Unicode.Scalar) -> Bool {
  switch scalar {
  case " ", "\t", "\u{3000}", "\u{00A0}", "\u{FEFF}", "\u{200B}", "\r": return true
  default: return false
  }
}

/// Length in bytes of the space (as `isSpace` defines it) that starts at `index` of valid
/// UTF-8, or 0 when there is none.
@inline(__always) func spaceLength(_ p: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
  switch p[index] {
  case 0x20, 0x09, 0x0D: return 1
  case 0xC2: return index + 1 < p.count && p[index + 1] == 0xA0 ? 2 : 0  // U+00A0
  case 0xE3: return index + 2 < p.count && p[index + 1] == 0x80 && p[index + 2] == 0x80 ? 3 : 0  // U+3000
  case 0xEF: return index + 2 < p.count && p[index + 1] == 0xBB && p[index + 2] == 0xBF ? 3 : 0  // U+FEFF
  case 0xE2: return index + 2 < p.count && p[index + 1] == 0x80 && p[index + 2] == 0x8B ? 3 : 0  // U+200B
  default: return 0
  }
}

/// Length in bytes of the space that ends just before `end` of valid UTF-8 (not starting before
/// `lower`), or 0 when there is none.
@inline(__always) func spaceLength(_ p: UnsafeBufferPointer<UInt8>, before end: Int, lower: Int) -> Int {
  guard end > lower else { return 0 }
  switch p[end - 1] {
  case 0x20, 0x09, 0x0D: return 1
  case 0xA0: return end - 2 >= lower && p[end - 2] == 0xC2 ? 2 : 0
  case 0x80: return end - 3 >= lower && p[end - 3] == 0xE3 && p[end - 2] == 0x80 ? 3 : 0
  case 0xBF: return end - 3 >= lower && p[end - 3] == 0xEF && p[end - 2] == 0xBB ? 3 : 0
  case 0x8B: return end - 3 >= lower && p[end - 3] == 0xE2 && p[end - 2] == 0x80 ? 3 : 0
  default: return 0
  }
}

/// Removes Word-conversion residue (`[bookmark: …]`, `[image: …]`) and markdown markup from lines.
enum LineCleaner {
  /// Cleans one raw line; linear in its length (works on its UTF-8 bytes).
  static func clean(_ raw: String) -> CleanLine {
    var source = raw
    return source.withUTF8 { p -> CleanLine in
      // Residue removal: only when the line has a `[` at all.
      var firstResidue: Int?
      var index = 0
      while let bracket = find(0x5B, in: p, from: index) {
        if residueEnd(p, from: bracket) != nil {
          firstResidue = bracket
          break
        }
        index = bracket + 1
      }
      guard let firstResidue else {
        return finish(p, hasTab: find(0x09, in: p, from: 0) != nil, original: raw)
      }
      var kept: [UInt8] = []
      kept.reserveCapacity(p.count)
      kept.append(contentsOf: p[0..<firstResidue])
      var hasTab = kept.contains(0x09)
      index = firstResidue
      while index < p.count {
        let byte = p[index]
        if byte == 0x5B, let end = residueEnd(p, from: index) {
          index = end + 1
          continue
        }
        if byte == 0x09 { hasTab = true }
        kept.append(byte)
        index += 1
      }
      return kept.withUnsafeBufferPointer { finish($0, hasTab: hasTab, original: nil) }
    }
  }

  /// Trims, removes the markdown heading marker and `**` emphasis of residue-free bytes.
  /// `original` is the string of exactly these bytes, reused when nothing else is removed.
  private static func finish(_ p: UnsafeBufferPointer<UInt8>, hasTab: Bool, original: String?) -> CleanLine {
    // Trim spaces of every width.
    var lower = 0, upper = p.count
    while lower < upper {
      let length = spaceLength(p, at: lower)
      if length == 0 { break }
      lower += length
    }
    while true {
      let length = spaceLength(p, before: upper, lower: lower)
      if length == 0 { break }
      upper -= length
    }
    // Markdown heading marker.
    var level: Int?
    var hashes = 0
    while lower + hashes < upper, p[lower + hashes] == 0x23 { hashes += 1 }
    if hashes > 0, hashes <= 6, lower + hashes < upper, spaceLength(p, at: lower + hashes) > 0 {
      level = hashes
      lower += hashes
      while lower < upper {
        let length = spaceLength(p, at: lower)
        if length == 0 { break }
        lower += length
      }
    }
    let count = upper - lower
    let isBold = count > 4 && p[lower] == 0x2A && p[lower + 1] == 0x2A && p[upper - 1] == 0x2A
      && p[upper - 2] == 0x2A
    // Drop `**` emphasis markers anywhere.
    var hasStars = false
    var index = lower
    while index + 1 < upper {
      if p[index] == 0x2A, p[index + 1] == 0x2A {
        hasStars = true
        break
      }
      index += 1
    }
    if !hasStars {
      let text: String
      if let original, lower == 0, upper == p.count {
        text = original
      } else {
        text = String(decoding: UnsafeBufferPointer(rebasing: p[lower..<upper]), as: UTF8.self)
      }
      return CleanLine(text: text, markdownLevel: level, isBold: isBold, isTableRow: hasTab)
    }
    var text: [UInt8] = []
    text.reserveCapacity(count)
    index = lower
    while index < upper {
      if p[index] == 0x2A, index + 1 < upper, p[index + 1] == 0x2A {
        index += 2
        continue
      }
      text.append(p[index])
      index += 1
    }
    let string = text.withUnsafeBufferPointer { t -> String in
      var from = 0, to = t.count
      while from < to {
        let length = spaceLength(t, at: from)
        if length == 0 { break }
        from += length
      }
      while true {
        let length = spaceLength(t, before: to, lower: from)
        if length == 0 { break }
        to -= length
      }
      return String(decoding: UnsafeBufferPointer(rebasing: t[from..<to]), as: UTF8.self)
    }
    return CleanLine(text: string, markdownLevel: level, isBold: isBold, isTableRow: hasTab)
  }

  /// Offset of the first `byte` at or after `from` (memchr).
  @inline(__always) private static func find(_ byte: UInt8, in p: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
    guard from < p.count, let base = p.baseAddress else { return nil }
    guard let found = memchr(base + from, Int32(byte), p.count - from) else { return nil }
    return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
  }

  private static let bookmark: [UInt8] = Array("bookmark:".utf8)
  private static let image: [UInt8] = Array("image:".utf8)

  /// Index of the `]` closing a `[bookmark: …]` or `[image: …]` that starts at `start`.
  private static func residueEnd(_ p: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
    func matches(_ prefix: [UInt8]) -> Bool {
      guard start + prefix.count < p.count else { return false }
      for offset in 0..<prefix.count where p[start + 1 + offset] != prefix[offset] { return false }
      return true
    }
    guard matches(bookmark) || matches(image) else { return nil }
    var index = start + 1
    while index < p.count {
      if p[index] == 0x5D { return index }
      if p[index] == 0x5B { return nil }
      index += 1
    }
    return nil
  }
}
