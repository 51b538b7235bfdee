/// How a heading candidate is numbered.
enum HeadingNumbering: Equatable, Sendable {
  /// `1．`, `1.1`, `1.1.1` — the report's own chapter numbering.
  case arabic([Int])
  /// `一、`
  case chineseNumeral(Int)
  /// `（一）` / `(一)`
  case parenChinese(Int)
  /// `（1）` / `(1)` / `1）`
  case parenArabic(Int)
  /// `——` lead of a target item in policy documents.
  case dash
  /// No numbering (markdown or bold heading).
  case none

  /// A key that tells sibling styles apart (one `1.` list is one style).
  var style: String {
    switch self {
    case .arabic(let c): return "ar\(c.count)"
    case .chineseNumeral: return "cn"
    case .parenChinese: return "pcn"
    case .parenArabic: return "par"
    case .dash: return "dash"
    case .none: return "none"
    }
  }

  /// The first number, for sequence checks.
  var value: Int? {
    switch self {
    case .arabic(let c): return c.first
    case .chineseNumeral(let n), .parenChinese(let n), .parenArabic(let n): return n
    case .dash, .none: return nil
    }
  }
}

/// A case-study marker at the start of a line: `案例 2.3 …` or `【案例分享 3】…`.
struct CaseMarker: Equatable, Sendable {
  /// The label as written, normalised: `案例 2.3`, `案例分享 3`.
  var label: String
  /// The number inside the label, e.g. `2.3` or `3`.
  var number: String
}

/// What a line would be if it were a heading.
struct HeadingCandidate: Sendable {
  var numbering: HeadingNumbering
  /// The numbering as written, e.g. `1.1`, `一`, `（一）`.
  var number: String
  /// The heading's title without its numbering (for a run-in heading, the lead phrase).
  var title: String
  /// Body text follows the title on the same line (`8.1.3 标题。正文…`).
  var hasRunIn: Bool
  /// Short, without sentence punctuation: looks like a heading on its own line.
  var isTitleLike: Bool
  /// Numbering written without a separator (`2主要目标`): weak evidence.
  var isSeparatorless: Bool
  var caseMarker: CaseMarker?
}

/// Recognises heading forms in a cleaned line; says nothing about context.
enum HeadingDetector {
  static let chineseDigits: [Unicode.Scalar: Int] = [
    "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
    "〇": 0, "零": 0,
  ]
  /// Characters that make a leading number a quantity (`5月`, `2.53万人`), not numbering.
  static let unitScalars: Set<Unicode.Scalar> = Set("年月日号万亿元%％倍岁".unicodeScalars)
  static let sentenceEnd: Set<Unicode.Scalar> = ["。", "；", ";", "！", "？"]

  /// `sentenceEnd.contains(scalar)` without hashing.
  @inline(__always) static func endsSentence(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "。", "；", ";", "！", "？": return true
    default: return false
    }
  }
  /// Longest title accepted for a heading on its own line.
  static let maxTitleLength = 60
  /// Longest lead phrase accepted for a run-in heading (`标题。正文`).
  static let maxRunInTitleLength = 32

  /// Parses `line` into a heading candidate, or nil when it has no heading form.
  static func candidate(_ line: CleanLine) -> HeadingCandidate? {
    if line.isTableRow || line.text.isEmpty { return nil }
    let all = line.text.unicodeScalars
    // Without markdown or bold, only a line starting with a numbering or case marker can be one.
    if line.markdownLevel == nil, !line.isBold, let first = all.first, !mayStartNumbering(first) { return nil }
    let u = ScalarText.scalars(line.text, limit: 160)
    let fullLength = line.scalarCount
    if let marker = caseMarker(u) {
      var candidate = titled(u[marker.end...], fullLength: fullLength - marker.end, numbering: .none, number: marker.marker.label)
      candidate.caseMarker = marker.marker
      if let arabic = marker.arabicPrefix { candidate.numbering = .arabic(arabic) }
      return candidate
    }
    guard let prefix = numbering(u) else {
      if line.markdownLevel != nil || line.isBold {
        return titled(u[...], fullLength: fullLength, numbering: .none, number: "")
      }
      return nil
    }
    var restStart = prefix.end
    while restStart < u.count, isSpace(u[restStart]) { restStart += 1 }
    let rest = u[restStart...]
    guard let first = rest.first else { return nil }
    if unitScalars.contains(first) || first.properties.numericType != nil { return nil }
    if !isTitleStart(first) { return nil }
    var candidate = titled(
      rest, fullLength: fullLength - (u.count - rest.count), numbering: prefix.numbering,
      number: prefix.label)
    candidate.isSeparatorless = prefix.separatorless
    if prefix.separatorless && (!candidate.isTitleLike || candidate.title.unicodeScalars.count > 16) {
      return nil
    }
    return candidate
  }

  /// Whether `scalar` may start a case marker (`案例`, `【`, `7.3【`) or a numbering
  /// (`——`, `（一）`, `(1)`, `一、`, `1.`): what `caseMarker` and `numbering` look at first.
  @inline(__always) private static func mayStartNumbering(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "—", "（", "(", "【", "案": return true
    case "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "〇", "零": return true  // chineseDigits
    default: return digit(scalar) != nil
    }
  }

  /// Whether a title may start with `scalar` (an ideograph, a letter or an opening quote).
  private static func isTitleStart(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.properties.isIdeographic || scalar.properties.isAlphabetic { return true }
    return "“\"《「『(（【‘—".unicodeScalars.contains(scalar)
  }

  /// Builds a candidate from the text after the numbering.
  private static func titled(
    _ rest: ArraySlice<Unicode.Scalar>, fullLength: Int, numbering: HeadingNumbering, number: String
  ) -> HeadingCandidate {
    var lower = rest.startIndex
    var fullLength = fullLength
    while lower < rest.endIndex, isSpace(rest[lower]) || rest[lower] == "：" || rest[lower] == ":" {
      lower += 1
      fullLength -= 1
    }
    let rest = rest[lower...]
    var titleScalars: ArraySlice<Unicode.Scalar>
    var runIn = false
    var titleLike = false
    if let stopIndex = rest.firstIndex(where: endsSentence) {
      let stop = stopIndex - rest.startIndex
      titleScalars = rest[..<stopIndex]
      runIn = stop < fullLength - 1 && titleScalars.count <= maxRunInTitleLength
    } else {
      titleScalars = rest
      titleLike = fullLength <= maxTitleLength && !rest.isEmpty
    }
    if !titleLike && !runIn { titleScalars = rest.prefix(maxTitleLength) }
    // Trim spaces of every width.
    var from = titleScalars.startIndex, to = titleScalars.endIndex
    while from < to, isSpace(titleScalars[from]) { from += 1 }
    while to > from, isSpace(titleScalars[to - 1]) { to -= 1 }
    let trimmedScalars = titleScalars[from..<to]
    let title = ScalarText.string(trimmedScalars)
    if let last = trimmedScalars.last, "，,、：:".unicodeScalars.contains(last) {
      titleLike = false
    }
    return HeadingCandidate(
      numbering: numbering, number: number, title: title, hasRunIn: runIn,
      isTitleLike: titleLike && !trimmedScalars.isEmpty, isSeparatorless: false, caseMarker: nil)
  }

  /// Trims spaces of every width.
  static func trimmed(_ text: String) -> String {
    let scalars = Array(text.unicodeScalars)
    var lower = 0, upper = scalars.count
    while lower < upper, isSpace(scalars[lower]) { lower += 1 }
    while upper > lower, isSpace(scalars[upper - 1]) { upper -= 1 }
    var result = String()
    result.unicodeScalars.append(contentsOf: scalars[lower..<upper])
    return result
  }

  private struct Prefix {
    var numbering: HeadingNumbering
    var label: String
    var end: Int
    var separatorless = false
  }

  /// Value of an ASCII or full-width digit.
  @inline(__always) static func digit(_ scalar: Unicode.Scalar) -> Int? {
    switch scalar.value {
    case 0x30...0x39: return Int(scalar.value - 0x30)
    case 0xFF10...0xFF19: return Int(scalar.value - 0xFF10)
    default: return nil
    }
  }

  /// Reads up to two digits at `index`; nil when there are none or more than two.
  private static func number(_ u: [Unicode.Scalar], _ index: inout Int) -> Int? {
    var value = 0, count = 0
    while index < u.count, let d = digit(u[index]) {
      value = value * 10 + d
      count += 1
      index += 1
    }
    return (1...2).contains(count) ? value : nil
  }

  /// Reads a Chinese numeral up to 99 (`三`, `十二`, `二十一`).
  private static func chineseNumber(_ u: [Unicode.Scalar], _ index: inout Int) -> Int? {
    var values: [Int] = []
    while index < u.count, let v = chineseDigits[u[index]], values.count < 3 {
      values.append(v)
      index += 1
    }
    switch values.count {
    case 1: return values[0]
    case 2 where values[0] == 10: return 10 + values[1]
    case 2 where values[1] == 10: return values[0] * 10
    case 3 where values[1] == 10: return values[0] * 10 + values[2]
    default: return nil
    }
  }

  private static func numbering(_ u: [Unicode.Scalar]) -> Prefix? {
    guard let first = u.first else { return nil }
    var index = 0
    if first == "—", u.count > 1, u[1] == "—" {
      return Prefix(numbering: .dash, label: "——", end: 2)
    }
    if first == "（" || first == "(" {
      index = 1
      while index < u.count, isSpace(u[index]) { index += 1 }
      var value: Int?
      var chinese = false
      if let v = chineseNumber(u, &index) {
        value = v
        chinese = true
      } else {
        value = number(u, &index)
      }
      while index < u.count, isSpace(u[index]) { index += 1 }
      guard let value, index < u.count, u[index] == "）" || u[index] == ")" else { return nil }
      index += 1
      let label = chinese ? "（\(chineseLabel(u, 1, index - 1))）" : "（\(value)）"
      return Prefix(numbering: chinese ? .parenChinese(value) : .parenArabic(value), label: label, end: index)
    }
    if chineseDigits[first] != nil {
      guard let value = chineseNumber(u, &index), index < u.count,
        u[index] == "、" || u[index] == "．" || u[index] == "."
      else { return nil }
      return Prefix(numbering: .chineseNumeral(value), label: chineseLabel(u, 0, index) + "、", end: index + 1)
    }
    guard digit(first) != nil, let firstValue = number(u, &index) else { return nil }
    var components = [firstValue]
    while index + 1 < u.count, u[index] == "." || u[index] == "．", digit(u[index + 1]) != nil {
      var probe = index + 1
      guard let value = number(u, &probe) else { return nil }
      components.append(value)
      index = probe
    }
    if components.count > 4 { return nil }
    let label = components.count == 1 ? "\(firstValue)." : components.map(String.init).joined(separator: ".")
    if index < u.count, u[index] == "）" || u[index] == ")", components.count == 1 {
      return Prefix(numbering: .parenArabic(firstValue), label: "\(firstValue))", end: index + 1)
    }
    var separated = false
    if index < u.count, u[index] == "." || u[index] == "．" || u[index] == "、" {
      separated = true
      index += 1
    }
    if index < u.count, isSpace(u[index]) { separated = true }
    if components.count == 1 && !separated {
      guard index < u.count, u[index].properties.isIdeographic else { return nil }
      return Prefix(numbering: .arabic(components), label: "\(firstValue)", end: index, separatorless: true)
    }
    return Prefix(numbering: .arabic(components), label: label, end: index)
  }

  private static func chineseLabel(_ u: [Unicode.Scalar], _ from: Int, _ to: Int) -> String {
    var label = String()
    for scalar in u[from..<to] where !isSpace(scalar) { label.unicodeScalars.append(scalar) }
    return label
  }

  /// Finds `案例 2.3`, `案例7.1：`, `【案例分享 3】` or `7.3【案例分享3】` at the start of a line.
  private static func caseMarker(_ u: [Unicode.Scalar]) -> (
    marker: CaseMarker, end: Int, arabicPrefix: [Int]?
  )? {
    var index = 0
    var arabic: [Int]?
    // Optional report numbering before a bracketed marker: `7.3【案例分享3】`.
    if let first = u.first, digit(first) != nil {
      var probe = 0
      var components: [Int] = []
      while let value = number(u, &probe) {
        components.append(value)
        if probe < u.count, u[probe] == "." || u[probe] == "．" { probe += 1 } else { break }
      }
      while probe < u.count, isSpace(u[probe]) { probe += 1 }
      guard probe < u.count, u[probe] == "【", !components.isEmpty else { return nil }
      arabic = components
      index = probe
    }
    let bracketed = index < u.count && u[index] == "【"
    if bracketed { index += 1 }
    guard index + 1 < u.count, u[index] == "案", u[index + 1] == "例" else { return nil }
    index += 2
    var word = "案例"
    // `案例分享`, `典型案例` style suffix words before the number.
    while index < u.count, u[index].properties.isIdeographic, chineseDigits[u[index]] == nil,
      word.unicodeScalars.count < 6, bracketed
    {
      word.unicodeScalars.append(u[index])
      index += 1
    }
    while index < u.count, isSpace(u[index]) { index += 1 }
    var numberText = ""
    while index < u.count, digit(u[index]) != nil || (u[index] == "." && !numberText.isEmpty) {
      if let d = digit(u[index]) { numberText += String(d) } else { numberText += "." }
      index += 1
    }
    if let c = chineseDigits[u[safe: index] ?? " "], numberText.isEmpty, bracketed {
      numberText = String(c)
      index += 1
    }
    if numberText.hasSuffix(".") { numberText.removeLast() }
    if numberText.isEmpty && !bracketed { return nil }
    while index < u.count, isSpace(u[index]) { index += 1 }
    if bracketed {
      guard index < u.count, u[index] == "】" else { return nil }
      index += 1
    }
    let label = numberText.isEmpty ? word : "\(word) \(numberText)"
    return (CaseMarker(label: label, number: numberText), index, arabic)
  }
}

extension Array {
  /// The element at `index`, or nil when out of bounds.
  subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
