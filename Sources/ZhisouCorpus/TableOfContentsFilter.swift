/// Finds table-of-contents lines (`目 录`, `表 目 录`, `案例目录` blocks and dotted
/// page-number lines), which are not content, and keeps what they list.
struct TableOfContents: Sendable {
  /// For each line (0-based), whether it belongs to a table of contents.
  var isTOC: [Bool]
  /// Compact titles (no spaces, no page number) listed in the main `目录` block.
  var headingTitles: Set<String>
  /// Case titles from a `案例目录` block, by case number (`1` → `教材建设`).
  var caseTitles: [String: String]
}

/// Marks the tables of contents of a document.
enum TableOfContentsFilter {
  static let headers: Set<String> = ["目录", "目次", "表目录", "图目录", "案例目录", "图表目录", "附表目录", "表格目录", "插图目录"]

  /// Scans the cleaned lines once.
  static func scan(_ lines: [CleanLine]) -> TableOfContents {
    var isTOC = Array(repeating: false, count: lines.count)
    var titles: Set<String> = []
    var caseTitles: [String: String] = [:]
    var index = 0
    while index < lines.count {
      let compact = lines[index].compact
      if lines[index].compactScalarCount <= 6, headers.contains(compact) {
        isTOC[index] = true
        let isMain = compact == "目录" || compact == "目次"
        let isCases = compact == "案例目录"
        var probe = index + 1
        var blanks = 0
        var lastEntry = index
        while probe < lines.count {
          let text = lines[probe].text
          if text.isEmpty {
            blanks += 1
            if blanks > 4 { break }
          } else if let entry = entryTitle(text) {
            blanks = 0
            lastEntry = probe
            let compactEntry = String(entry.unicodeScalars.filter { !isSpace($0) }.map(Character.init))
            if isMain { titles.insert(compactEntry) }
            if isCases, let (number, title) = caseEntry(entry) { caseTitles[number] = title }
          } else if lines[probe].compactScalarCount <= 6, headers.contains(lines[probe].compact) {
            break
          } else {
            break
          }
          probe += 1
        }
        for line in index...lastEntry { isTOC[line] = true }
        index = lastEntry + 1
        continue
      }
      if hasDotLeader(lines[index].text) { isTOC[index] = true }
      index += 1
    }
    return TableOfContents(isTOC: isTOC, headingTitles: titles, caseTitles: caseTitles)
  }

  /// The title of a TOC entry (`1.1 学校概况\t1`, `2.1 党建引领.....5`, `- 图 5.1 … 53`), or nil.
  static func entryTitle(_ text: String) -> String? {
    var scalars = Array(text.unicodeScalars)
    guard scalars.count <= 120 else { return nil }
    var digits = 0
    while let last = scalars.last, HeadingDetector.digit(last) != nil {
      scalars.removeLast()
      digits += 1
    }
    guard (1...4).contains(digits), let separator = scalars.last else { return nil }
    guard isSpace(separator) || separator == "." || separator == "…" || separator == "·" else { return nil }
    while let last = scalars.last, isSpace(last) || last == "." || last == "…" || last == "·" {
      scalars.removeLast()
    }
    while let first = scalars.first, first == "-" || isSpace(first) { scalars.removeFirst() }
    guard !scalars.isEmpty else { return nil }
    var title = String()
    title.unicodeScalars.append(contentsOf: scalars)
    return title
  }

  /// Splits `案例分享 1：教材建设` / `案例 2.3 标题` into number and title.
  private static func caseEntry(_ entry: String) -> (String, String)? {
    let scalars = Array(entry.unicodeScalars)
    guard let firstDigit = scalars.firstIndex(where: { HeadingDetector.digit($0) != nil }) else { return nil }
    var index = firstDigit
    var number = ""
    while index < scalars.count, HeadingDetector.digit(scalars[index]) != nil || scalars[index] == "." {
      number += HeadingDetector.digit(scalars[index]).map(String.init) ?? "."
      index += 1
    }
    while index < scalars.count, isSpace(scalars[index]) || scalars[index] == "：" || scalars[index] == ":" {
      index += 1
    }
    var title = String()
    title.unicodeScalars.append(contentsOf: scalars[index...])
    return title.isEmpty ? nil : (number, title)
  }

  /// A line ending in a dot leader and a page number (`……12`, `..... 3`).
  static func hasDotLeader(_ text: String) -> Bool {
    // Most lines do not end in a digit: tell from the last bytes without decoding.
    let utf8 = text.utf8
    guard let last = utf8.last else { return false }
    if !(0x30...0x39).contains(last) {
      guard (0x90...0x99).contains(last), utf8.count >= 3 else { return false }
      let tail = utf8.suffix(3)
      guard tail.first == 0xEF, tail.dropFirst().first == 0xBC else { return false }
    }
    let scalars = Array(text.unicodeScalars.suffix(24))
    var index = scalars.count
    var digits = 0
    while index > 0, HeadingDetector.digit(scalars[index - 1]) != nil {
      index -= 1
      digits += 1
    }
    guard (1...4).contains(digits) else { return false }
    while index > 0, isSpace(scalars[index - 1]) { index -= 1 }
    var dots = 0
    while index > 0, scalars[index - 1] == "." || scalars[index - 1] == "…" || scalars[index - 1] == "·" {
      index -= 1
      dots += scalars[index] == "…" ? 2 : 1
    }
    return dots >= 4
  }
}
