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
  /// Titles of the enclosing headings, outermost first, not including `title`.
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

  public init(
    kind: UnitKind, title: String, headingPath: [String], level: Int, lineStart: Int,
    lineEnd: Int, text: String
  ) {
    self.kind = kind
    self.title = title
    self.headingPath = headingPath
    self.level = level
    self.lineStart = lineStart
    self.lineEnd = lineEnd
    self.text = text
  }
}
