import Testing

@testable import ZhisouSearch

@Suite struct QueryParserTests {
  typealias W = Query.Word

  @Test func wordsAreAllRequired() throws {
    let q = try QueryParser.parse("产教融合 乡村振兴")
    #expect(q.groups == [[W("产教融合")], [W("乡村振兴")]])
    #expect(q.excluded.isEmpty)
    #expect(q.filters == Filters())
    #expect(q.words == [W("产教融合"), W("乡村振兴")])
  }

  @Test func extraWhitespaceIsIgnored() throws {
    #expect(try QueryParser.parse("  产教融合\t\t乡村振兴  ") == QueryParser.parse("产教融合 乡村振兴"))
  }

  @Test func orJoinsNeighboursIntoOneGroup() throws {
    #expect(try QueryParser.parse("实训基地 OR 实习基地").groups == [[W("实训基地"), W("实习基地")]])
    #expect(
      try QueryParser.parse("实训基地 OR 实习基地 OR 基地 产教融合").groups
        == [[W("实训基地"), W("实习基地"), W("基地")], [W("产教融合")]])
    #expect(
      try QueryParser.parse("学校 实训基地 OR 实习基地").groups
        == [[W("学校")], [W("实训基地"), W("实习基地")]])
    // Lower-case "or" is a word, not the operator.
    #expect(try QueryParser.parse("实训 or 实习").groups == [[W("实训")], [W("or")], [W("实习")]])
  }

  @Test func minusExcludes() throws {
    let q = try QueryParser.parse("学校 -疫情 -\"线上教学\"")
    #expect(q.groups == [[W("学校")]])
    #expect(q.excluded == [W("疫情"), W("线上教学", isPhrase: true)])
    // A hyphen inside a word is part of the word.
    #expect(try QueryParser.parse("O2O-模式").groups == [[W("O2O-模式")]])
  }

  @Test func quotedPhrase() throws {
    let q = try QueryParser.parse("\"现代学徒制 试点\" 学校")
    #expect(q.groups == [[W("现代学徒制 试点", isPhrase: true)], [W("学校")]])
    // Spaces at the phrase's ends are trimmed.
    #expect(try QueryParser.parse("\"  深化校企育人 \"").groups == [[W("深化校企育人", isPhrase: true)]])
    // A phrase right after a word starts a new word.
    #expect(try QueryParser.parse("学校\"产教融合\"").groups == [[W("学校")], [W("产教融合", isPhrase: true)]])
  }

  @Test func fullWidthQuotesMinusAndSpace() throws {
    #expect(try QueryParser.parse("“现代学徒制”").groups == [[W("现代学徒制", isPhrase: true)]])
    #expect(try QueryParser.parse("＂现代学徒制＂").groups == [[W("现代学徒制", isPhrase: true)]])
    let q = try QueryParser.parse("学校\u{3000}－疫情")
    #expect(q.groups == [[W("学校")]])
    #expect(q.excluded == [W("疫情")])
  }

  @Test func filters() throws {
    let q = try QueryParser.parse("region:临汾 year:2024 kind:case 产教融合")
    #expect(q.groups == [[W("产教融合")]])
    #expect(q.filters == Filters(region: "临汾", year: 2024, kind: .case))
    #expect(try QueryParser.parse("产教融合 kind:section").filters.kind == .section)
    #expect(try QueryParser.parse("产教融合 kind:policy").filters.kind == .policy)
    #expect(try QueryParser.parse("产教融合 KIND:Case").filters.kind == .case)
    // Filters alone are a query (every unit that passes them).
    let only = try QueryParser.parse("region:临汾 kind:case")
    #expect(only.groups.isEmpty)
    #expect(only.filters == Filters(region: "临汾", kind: .case))
    // A colon after a non-letter key is part of the word.
    #expect(try QueryParser.parse("10:30").groups == [[W("10:30")]])
  }

  @Test func filtersMergeWithFlags() {
    let fromQuery = Filters(region: "临汾", year: nil, kind: .case)
    let fromFlags = Filters(region: "吕梁", year: 2023, kind: nil)
    #expect(fromFlags.merged(with: fromQuery) == Filters(region: "吕梁", year: 2023, kind: .case))
  }

  static let malformed: [(query: String, mentions: String)] = [
    ("\"产教融合", "unbalanced quote"),
    ("学校 \"产教融合 乡村", "unbalanced quote"),
    ("“产教融合", "unbalanced quote"),
    ("-疫情", "only exclusions"),
    ("-疫情 -\"线上\"", "only exclusions"),
    ("", "empty"),
    ("   ", "empty"),
    ("\u{3000}", "empty"),
    ("-", "'-'"),
    ("学校 -", "'-'"),
    ("学校 - 疫情", "'-'"),
    ("OR 学校", "OR"),
    ("学校 OR", "OR"),
    ("学校 OR OR 疫情", "OR"),
    ("OR", "OR"),
    ("学校 -疫情 OR 线上", "OR"),
    ("\"\"", "empty phrase"),
    ("学校 year:abc", "year:abc"),
    ("学校 year:99999", "year:99999"),
    ("学校 year:", "needs a value"),
    ("学校 kind:chapter", "kind:chapter"),
    ("学校 foo:bar", "unknown filter"),
  ]

  @Test(arguments: malformed)
  func malformedQueriesThrowOneLineMessages(_ example: (query: String, mentions: String)) {
    let error = #expect(throws: QuerySyntaxError.self, "\(example.query)") {
      try QueryParser.parse(example.query)
    }
    guard let error else { return }
    #expect(!error.message.isEmpty)
    #expect(!error.message.contains("\n"), "one line: \(error.message)")
    #expect(error.message.contains(example.mentions), "\(example.query): \(error.message)")
    #expect(error.description == "invalid query: \(error.message)")
  }

  @Test func overlongQueryIsRejected() {
    let long = String(repeating: "学", count: QueryParser.maxLength + 1)
    #expect(throws: QuerySyntaxError.self) { try QueryParser.parse(long) }
    #expect(throws: Never.self) { try QueryParser.parse(String(repeating: "学", count: QueryParser.maxLength)) }
  }
}
