/// Finds cited documents in text: `《title》` with the document number that follows it.
///
/// `《山西省教育厅关于…的通知》（晋教职成函〔2024〕73号）` → title, `晋教职成函〔2024〕73号`,
/// issuer `晋教职成函`, year 2024, number 73. Bracket variants (`〔〕 [] 【】 () （）`),
/// spaces and full-width digits in the number are normalised to `晋教职成函〔2024〕73号`.
public enum CitationExtractor {
  /// Longest title accepted between 《》 (longer means an unbalanced bracket).
  static let maxTitleLength = 120

  /// All citations in `text`, in order, without duplicates.
  public static func citations(in text: String) -> [PolicyCitation] {
    // Nothing before the first `《` matters: decode from there on only.
    var source = text
    guard
      let u = source.withUTF8({ p -> [Unicode.Scalar]? in
        firstTitleBracketOffset(p).map { ScalarText.decode(UnsafeBufferPointer(rebasing: p[$0...])) }
      })
    else { return [] }
    var result: [PolicyCitation] = []
    var seen: Set<PolicyCitation> = []
    var index = 0
    while index < u.count {
      guard u[index] == "《" else {
        index += 1
        continue
      }
      // Find the matching 》, allowing nested 〈〉 and line breaks inside long titles.
      var end = index + 1
      var depth = 1
      while end < u.count, end - index <= maxTitleLength {
        if u[end] == "《" { depth += 1 }
        if u[end] == "》" {
          depth -= 1
          if depth == 0 { break }
        }
        end += 1
      }
      guard end < u.count, depth == 0 else {
        index += 1
        continue
      }
      let title = ScalarText.string(u[(index + 1)..<end].lazy.filter { !isSpace($0) && $0 != "\n" })
      var citation = PolicyCitation(title: title)
      if let parsed = documentNumber(u, after: end + 1) {
        citation.documentNumber = "\(parsed.issuer)〔\(parsed.year)〕\(parsed.number)号"
        citation.issuerCode = parsed.issuer
        citation.year = parsed.year
        citation.number = parsed.number
      }
      if !title.isEmpty, seen.insert(citation).inserted { result.append(citation) }
      index = end + 1
    }
    return result
  }

  /// Where the first `《` (E3 80 8A) of `text` is, if anywhere: most units cite nothing.
  private static func firstTitleBracketOffset(_ p: UnsafeBufferPointer<UInt8>) -> Int? {
    var index = 2
    while index < p.count {
      if p[index] == 0x8A, p[index - 1] == 0x80, p[index - 2] == 0xE3 { return index - 2 }
      index += 1
    }
    return nil
  }

  /// Parses `（晋教职成函〔2024〕73号）` (or without the outer brackets) starting at `start`.
  static func documentNumber(_ u: [Unicode.Scalar], after start: Int) -> (
    issuer: String, year: Int, number: Int
  )? {
    var index = start
    func skipSpaces() { while index < u.count, isSpace(u[index]) || u[index] == "\n" { index += 1 } }
    skipSpaces()
    var outer = false
    if index < u.count, u[index] == "（" || u[index] == "(" {
      outer = true
      index += 1
      skipSpaces()
    }
    var issuer = String()
    while index < u.count, u[index].properties.isIdeographic, issuer.unicodeScalars.count < 16 {
      issuer.unicodeScalars.append(u[index])
      index += 1
      skipSpaces()
    }
    guard !issuer.isEmpty, index < u.count, "〔[【(（［".unicodeScalars.contains(u[index]) else { return nil }
    index += 1
    skipSpaces()
    var year = 0, digits = 0
    while index < u.count, let d = HeadingDetector.digit(u[index]) {
      year = year * 10 + d
      digits += 1
      index += 1
    }
    guard digits == 4 else { return nil }
    skipSpaces()
    guard index < u.count, "〕]】)）］".unicodeScalars.contains(u[index]) else { return nil }
    index += 1
    skipSpaces()
    var number = 0
    digits = 0
    while index < u.count, let d = HeadingDetector.digit(u[index]), digits < 6 {
      number = number * 10 + d
      digits += 1
      index += 1
    }
    guard digits > 0 else { return nil }
    skipSpaces()
    guard index < u.count, u[index] == "号" else { return nil }
    _ = outer
    return (issuer, year, number)
  }
}

extension PolicyCitation {
  /// Endings of titles that name policy documents rather than books or courses.
  static let policyTitleEndings = [
    "通知", "意见", "办法", "方案", "规划", "计划", "决定", "规定", "条例", "法", "纲要", "标准", "细则",
    "指南", "要点", "措施", "决议", "公告", "通报", "批复", "函", "清单", "目录", "制度", "规则", "章程",
    "（试行）", "(试行)", "（修订）", "（2020—2023年）", "若干意见",
  ]

  /// Whether this is a policy document (it has a document number, or its title ends like one:
  /// 通知, 意见, 办法, 方案, …) rather than a book or course title such as 《网店美工》.
  public var isPolicyDocument: Bool {
    if documentNumber != nil { return true }
    var title = self.title
    // `…计划（2020—2023年）`: look at the words before a trailing parenthesis.
    if title.hasSuffix("）") || title.hasSuffix(")"), let open = title.lastIndex(where: { $0 == "（" || $0 == "(" }) {
      title = String(title[..<open])
    }
    if ["方法", "做法", "语法", "书法", "算法", "技法", "手法"].contains(where: { title.hasSuffix($0) }) { return false }
    return PolicyCitation.policyTitleEndings.contains { title.hasSuffix($0) }
  }
}
