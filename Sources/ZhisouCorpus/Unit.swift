/// What a unit is: the thing a search returns.
public enum UnitKind: String, Codable, Sendable, CaseIterable {
  /// A heading and its own body, up to the next heading of any level.
  case section
  /// A case study (案例, 【案例分享】, an exemplar story): one unit for the whole story.
  case `case`
  /// A numbered measure in a policy document.
  case policy
}

/// A searchable, non-overlapping passage of a document, with where it came from.
public struct Unit: Codable, Sendable, Equatable {
  /// Section, case or policy measure.
  public var kind: UnitKind
  /// The unit's own heading (without its number when the number is only numbering).
  public var title: String
  /// Titles of the enclosing headings, outermost first, not including `title`
  /// (each as written, with its number: `2. 人才培养`, `2.9 科教融汇`).
  public var headingPath: [String]
  /// Depth in the document's tree: 1 for a chapter, 2 for its sections, …
  public var level: Int
  /// First line of the unit in the source file, 1-based.
  public var lineStart: Int
  /// Last line of the unit in the source file, 1-based, inclusive.
  public var lineEnd: Int
  /// The unit's clean text: heading line first, then its body lines (TOC, bookmark
  /// and image residue removed; table rows kept, one per line).
  public var text: String
  /// The heading's numbering as written (`1.3`, `一、`, `（二）`, `案例 2.3`); empty when none.
  public var number: String

  public init(
    kind: UnitKind, title: String, headingPath: [String], level: Int, lineStart: Int,
    lineEnd: Int, text: String, number: String = ""
  ) {
    self.kind = kind
    self.title = title
    self.headingPath = headingPath
    self.level = level
    self.lineStart = lineStart
    self.lineEnd = lineEnd
    self.text = text
    self.number = number
  }

  /// Whether the unit is only its heading: nothing follows the heading line, and the
  /// line holds no more than the number and title (a chapter whose text is all in its
  /// subsections). Such a unit has nothing to read, so a search ranks it below units
  /// that say something.
  public var isBareHeading: Bool {
    func isBlank(_ c: Unicode.Scalar) -> Bool { c.properties.isWhitespace }
    let lineEnd = text.firstIndex(of: "\n") ?? text.endIndex
    // Anything but blanks after the heading line is text of the unit's own (this scan
    // stops at its first character).
    if text[lineEnd...].unicodeScalars.contains(where: { !isBlank($0) }) { return false }
    let line = text[..<lineEnd].unicodeScalars.lazy.filter { !isBlank($0) }.count
    let heading = (number + title).unicodeScalars.lazy.filter { !isBlank($0) }.count
    // Room for brackets and a closing mark the numbering drops: （五）, 一、, a full stop.
    return line <= heading + 2
  }

  /// Whether the unit is a preface (前言, 序言, 引言, 导言) outside any chapter: it sums up
  /// the whole report, so a search ranks the sections that say it in full above it.
  public var isPreface: Bool {
    guard headingPath.isEmpty else { return false }
    let own = String(
      String.UnicodeScalarView(title.unicodeScalars.filter { !$0.properties.isWhitespace }))
    return ["前言", "序言", "引言", "导言"].contains(own)
  }

  /// The heading as a reader sees it: number and title (`1.3 教师队伍`, `案例 2.3 …`).
  public var displayTitle: String {
    if number.isEmpty { return title }
    if let last = number.unicodeScalars.last, "、）)】".unicodeScalars.contains(last) {
      return number + title
    }
    return "\(number) \(title)"
  }
}

extension Unit {
  private enum CodingKeys: String, CodingKey {
    case kind, title, headingPath, level, lineStart, lineEnd, text, number
  }

  /// Decodes a unit; `number` may be missing in data written before it existed.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      kind: try c.decode(UnitKind.self, forKey: .kind),
      title: try c.decode(String.self, forKey: .title),
      headingPath: try c.decode([String].self, forKey: .headingPath),
      level: try c.decode(Int.self, forKey: .level),
      lineStart: try c.decode(Int.self, forKey: .lineStart),
      lineEnd: try c.decode(Int.self, forKey: .lineEnd),
      text: try c.decode(String.self, forKey: .text),
      number: try c.decodeIfPresent(String.self, forKey: .number) ?? "")
  }
}
