/// A parsed query: what must, may and must not match, and the filters.
public struct Query: Equatable, Sendable {
  /// One query word or quoted phrase: its characters must occur together, in order.
  public struct Word: Hashable, Sendable {
    public var text: String
    public var isPhrase: Bool
    public init(_ text: String, isPhrase: Bool = false) {
      self.text = text
      self.isPhrase = isPhrase
    }
  }

  /// Every group must match; a group matches when any of its words (A OR B) does.
  public var groups: [[Word]] = []
  /// Units matching any of these are dropped.
  public var excluded: [Word] = []
  public var filters = Filters()

  public init(groups: [[Word]] = [], excluded: [Word] = [], filters: Filters = Filters()) {
    self.groups = groups
    self.excluded = excluded
    self.filters = filters
  }

  /// All positive words, for highlighting.
  public var words: [Word] { groups.flatMap { $0 } }
}

/// Restrictions on which units a query returns (`region:` `year:` `kind:` or flags).
public struct Filters: Equatable, Sendable {
  /// Substring of the document's region (`临汾` matches `临汾市`).
  public var region: String?
  public var year: Int?
  public var kind: UnitKind?

  public init(region: String? = nil, year: Int? = nil, kind: UnitKind? = nil) {
    self.region = region
    self.year = year
    self.kind = kind
  }

  /// Combines: a value set here wins over `other`'s.
  public func merged(with other: Filters) -> Filters {
    Filters(region: region ?? other.region, year: year ?? other.year, kind: kind ?? other.kind)
  }
}

/// A query that cannot be run, with a one-line explanation.
public struct QuerySyntaxError: Error, CustomStringConvertible, Equatable, Sendable {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { "invalid query: \(message)" }
}
