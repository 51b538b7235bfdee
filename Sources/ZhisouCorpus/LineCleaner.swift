/// One source line after conversion residue is removed.
struct CleanLine: Sendable {
  /// The text to index: residue, markdown `#` and `**` markers removed, trimmed.
  var text: String
  /// `#` count of a markdown heading (`## 1.2 …` → 2), nil otherwise.
  var markdownLevel: Int?
  /// Whether the whole line was wrapped in `**…**`.
  var isBold: Bool
  /// Whether the line is a table row (cells separated or introduced by tabs).
  var isTableRow: Bool
  /// Compact form for comparisons: no spaces at all.
  var compact: String { String(text.unicodeScalars.filter { !isSpace($0) }.map(Character.init)) }
}

/// Whether `scalar` is a space of any width (ASCII, full-width, no-break, BOM).
@inline(__always) func isSpace(_ scalar: Unicode.Scalar) -> Bool {
  switch scalar {
  case " ", "\t", "\u{3000}", "\u{00A0}", "\u{FEFF}", "\u{200B}", "\r": return true
  default: return false
  }
}

/// Removes Word-conversion residue (`[bookmark: …]`, `[image: …]`) and markdown markup from lines.
enum LineCleaner {
  /// Cleans one raw line; linear in its length.
  static func clean(_ raw: String) -> CleanLine {
    var scalars: [Unicode.Scalar] = []
    scalars.reserveCapacity(raw.unicodeScalars.count)
    let source = Array(raw.unicodeScalars)
    var index = 0
    var hasTab = false
    while index < source.count {
      let scalar = source[index]
      if scalar == "[", let end = residueEnd(source, from: index) {
        index = end + 1
        continue
      }
      if scalar == "\t" { hasTab = true }
      scalars.append(scalar)
      index += 1
    }
    // Trim spaces of every width.
    var lower = 0, upper = scalars.count
    while lower < upper, isSpace(scalars[lower]) { lower += 1 }
    while upper > lower, isSpace(scalars[upper - 1]) { upper -= 1 }
    var body = Array(scalars[lower..<upper])
    // Markdown heading marker.
    var level: Int?
    var hashes = 0
    while hashes < body.count, body[hashes] == "#" { hashes += 1 }
    if hashes > 0, hashes <= 6, hashes < body.count, isSpace(body[hashes]) {
      level = hashes
      body.removeFirst(hashes)
      while let first = body.first, isSpace(first) { body.removeFirst() }
    }
    let isBold = body.count > 4 && body[0] == "*" && body[1] == "*" && body[body.count - 1] == "*"
      && body[body.count - 2] == "*"
    // Drop `**` emphasis markers anywhere.
    var text: [Unicode.Scalar] = []
    text.reserveCapacity(body.count)
    var i = 0
    while i < body.count {
      if body[i] == "*", i + 1 < body.count, body[i + 1] == "*" {
        i += 2
        continue
      }
      text.append(body[i])
      i += 1
    }
    while let first = text.first, isSpace(first) { text.removeFirst() }
    while let last = text.last, isSpace(last) { text.removeLast() }
    var string = String()
    string.unicodeScalars.append(contentsOf: text)
    return CleanLine(text: string, markdownLevel: level, isBold: isBold, isTableRow: hasTab)
  }

  /// Index of the `]` closing a `[bookmark: …]` or `[image: …]` that starts at `start`.
  private static func residueEnd(_ source: [Unicode.Scalar], from start: Int) -> Int? {
    let prefixes: [[Unicode.Scalar]] = [Array("bookmark:".unicodeScalars), Array("image:".unicodeScalars)]
    var matched = false
    for prefix in prefixes where start + prefix.count < source.count {
      if Array(source[(start + 1)...(start + prefix.count)]) == prefix {
        matched = true
        break
      }
    }
    guard matched else { return nil }
    var index = start + 1
    while index < source.count {
      if source[index] == "]" { return index }
      if source[index] == "[" { return nil }
      index += 1
    }
    return nil
  }
}
