/// Guesses a document's title, region, province, year and kind from its first lines,
/// for files that have no manifest entry.
enum MetadataInference {
  static let regionSuffixes: Set<Unicode.Scalar> = ["市", "区", "县", "州", "盟", "旗"]
  static let titleWords = ["质量年度报告", "年度质量报告", "质量报告", "年度报告", "报告", "行动计划", "实施方案", "规划", "意见", "通知", "办法"]

  /// Infers metadata for `file` from its cleaned lines; `notes` say what was not found.
  static func infer(file: String, lines: [CleanLine]) -> DocumentMetadata {
    var notes: [String] = []
    let head = lines.prefix(80).map(\.text).filter { !$0.isEmpty }
    // The title: the first short line that names a report or plan; lines broken over
    // several lines (`山西省临汾市中等职业教育` / `年度质量报告` / `(2024年度)`) are joined.
    var title: String?
    for (offset, line) in head.prefix(40).enumerated() where line.unicodeScalars.count <= 60 {
      guard titleWords.contains(where: { line.contains($0) }) else { continue }
      var joined = line
      if offset > 0, head[offset - 1].unicodeScalars.count <= 20, !head[offset - 1].contains("。") {
        joined = head[offset - 1] + line
      }
      if offset + 1 < head.count, let next = head[offset + 1].unicodeScalars.first, next == "(" || next == "（",
        head[offset + 1].unicodeScalars.count <= 12
      {
        joined += head[offset + 1]
      }
      title = joined.replacingSpaces()
      break
    }
    if title == nil { notes.append("title not found in the text; file name used") }
    let finalTitle = title ?? file
    let region = MetadataInference.region(in: finalTitle)
    if region.city.isEmpty { notes.append("region not found in the title") }
    var year = MetadataInference.year(in: finalTitle)
    if year == nil {
      year = MetadataInference.year(in: file)
      notes.append(year == nil ? "year not found in the title or file name" : "year taken from the file name")
    }
    let isPolicy = ["计划", "方案", "规划", "意见", "通知", "办法"].contains { finalTitle.hasSuffix($0) }
    return DocumentMetadata(
      file: file, title: finalTitle, region: region.city, province: region.province, year: year,
      kind: isPolicy ? "policy" : "report", notes: notes)
  }

  /// `山西省临汾市中等职业…` → (山西省, 临汾市); `吕梁市中等…` → ("", 吕梁市).
  static func region(in title: String) -> (province: String, city: String) {
    let scalars = Array(title.unicodeScalars.prefix(24))
    var province = ""
    var start = 0
    if let p = scalars.prefix(8).firstIndex(where: { $0 == "省" || $0 == "自" }), scalars[p] == "省" {
      province = String(String.UnicodeScalarView(scalars[...p]))
      start = p + 1
    }
    var index = start
    while index < scalars.count, index - start < 8 {
      if regionSuffixes.contains(scalars[index]), index > start {
        return (province, String(String.UnicodeScalarView(scalars[start...index])))
      }
      index += 1
    }
    return (province, "")
  }

  /// The first plausible four-digit year (1990–2099) in `text`.
  static func year(in text: String) -> Int? {
    let scalars = Array(text.unicodeScalars)
    var index = 0
    while index < scalars.count {
      var value = 0, digits = 0
      while index < scalars.count, let d = HeadingDetector.digit(scalars[index]) {
        value = value * 10 + d
        digits += 1
        index += 1
      }
      if digits == 4, (1990...2099).contains(value) { return value }
      index += 1
    }
    return nil
  }
}

extension String {
  /// The string without spaces of any width.
  func replacingSpaces() -> String {
    String(String.UnicodeScalarView(unicodeScalars.filter { !isSpace($0) }))
  }
}
