import Testing

@testable import ZhisouSearch

private let built = Result { try TestIndex(label: "policies") }

@Suite struct PolicyFinderTests {
  /// Policy measures first, then other passages, every one holding the keyword: a unit
  /// that only shares part of it (融合 for 产教融合) is not ranked above a full match.
  @Test(arguments: ["产教融合", "实训基地", "校企合作"])
  func measuresArePolicyUnitsThenPassagesAllMatchingTheKeyword(_ keyword: String) throws {
    let searcher = try built.get().searcher()
    let query = try QueryParser.parse(keyword)
    let (_, measures) = try PolicyFinder(searcher: searcher).policies(query, measureLimit: 10)
    let strict = try searcher.all(keyword)
    let strictPolicy = strict.full.filter { $0.unit.kind == .policy }
    try #require(strict.full.count >= 10, "\(keyword) needs 10 full matches on the seeds")
    #expect(measures.hits.count == 10)
    // The best policy units, in order, then the best of the rest, in order.
    let expected = strictPolicy.prefix(10) + strict.full.filter { $0.unit.kind != .policy }
    #expect(
      measures.hits.map(\.unit.address) == Array(expected.prefix(10)).map(\.unit.address),
      "\(keyword)")
    #expect(!measures.isFallback)
  }

  /// Fewer full matches than asked for: they come first, partial matches after them.
  @Test func partialMatchesOnlyFillTheRest() throws {
    let searcher = try built.get().searcher()
    let (_, measures) = try PolicyFinder(searcher: searcher).policies(
      QueryParser.parse("职业教育法"), measureLimit: 10)
    let strict = try searcher.all("职业教育法").full
    try #require(strict.count < 10)
    let fullFirst = measures.hits.prefix(strict.count)
    #expect(Set(fullFirst.map(\.unit.address)) == Set(strict.map(\.unit.address)))
    #expect(fullFirst.allSatisfy { !$0.isFallback })
    #expect(measures.hits.dropFirst(strict.count).allSatisfy { $0.isFallback })
    #expect(measures.hits.count == 10)
  }

  @Test func citingUnitsNameWhereTheyAre() throws {
    let searcher = try built.get().searcher()
    let (policies, _) = try PolicyFinder(searcher: searcher).policies(
      QueryParser.parse("职业教育法"), measureLimit: 0)
    let cited = policies.flatMap(\.citedBy)
    try #require(!cited.isEmpty)
    for unit in cited {
      let stored = try searcher.index.unit(unit.address)
      #expect(unit.title == stored.title && unit.headingPath == stored.headingPath)
      #expect(unit.lineStart == stored.lineStart && unit.lineEnd == stored.lineEnd)
      #expect(unit.document == stored.document)
      #expect(stored.citations.contains { $0.title.contains("职业教育法") })
    }
  }
}
