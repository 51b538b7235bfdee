import Foundation
import Testing

@testable import ZhisouSearch

private let built = Result { try TestIndex(label: "exact") }

@Suite struct ExactnessTests {
  static let queries = [
    "学校", "教育", "产教融合", "产教融合 乡村振兴", "实训基地 OR 实习基地", "教育 -疫情", "\"技能大赛\"",
    "学生 kind:case", "连翘 疫情", "学生就业", "\"积极推进职业教育\"", "办学情况 学生", "教学质量 -疫情",
  ]

  @Test(arguments: queries)
  func topKEqualsThePrefixOfEveryMatch(_ text: String) throws {
    let searcher = try built.get().searcher()
    let query = try QueryParser.parse(text)
    let all = try searcher.search(query, limit: nil)
    let top = try searcher.search(query, limit: 10)
    try #require(!all.hits.isEmpty, "\(text) finds something")
    // Full matches (every word) first, then partial matches; total counts the full ones.
    #expect(all.total == all.full.count)
    #expect(all.totalIsExact, "without a limit every match is counted")
    #expect(all.hits.prefix(all.total).allSatisfy { !$0.isFallback })
    #expect(all.hits.dropFirst(all.total).allSatisfy { $0.isFallback })
    // Pruning may skip units that cannot make the page: the count is then a lower bound.
    if top.totalIsExact { #expect(top.total == all.total) } else { #expect(top.total <= all.total) }
    #expect(top.isFallback == all.isFallback)
    #expect(ranking(top) == Array(ranking(all).prefix(10)), "\(text)")
    #expect(top.hits.count == min(10, all.hits.count))
    // Scores never increase down the list (within full matches, and within partial ones).
    for (a, b) in zip(all.hits, all.hits.dropFirst()) where a.isFallback == b.isFallback {
      #expect(
        a.score >= b.score,
        "\(text): \(a.unit.address.id) \(a.score) before \(b.unit.address.id) \(b.score)")
    }
    // Pages (offset) are slices of the full list.
    let page = try searcher.search(query, limit: 5, offset: 3)
    #expect(ranking(page) == Array(ranking(all).dropFirst(3).prefix(5)))
    // Units never repeat.
    #expect(Set(all.hits.map(\.unit.address)).count == all.hits.count)
  }

  @Test func limitZeroAndOffsetBeyondTheEnd() throws {
    let searcher = try built.get().searcher()
    let query = try QueryParser.parse("产教融合")
    let all = try searcher.search(query, limit: nil)
    let none = try searcher.search(query, limit: 0)
    #expect(none.hits.isEmpty)
    #expect(none.total <= all.total)
    let past = try searcher.search(query, limit: 10, offset: all.hits.count + 5)
    #expect(past.hits.isEmpty, "\(past.hits.count) hits past the end")
  }
}

/// The seed corpus copied eight times: common words span many postings blocks, so the
/// block-max jumps of a lone word are taken (on the seeds alone a term has few blocks).
private let repeated = Result { () throws -> TestIndex in
  let corpus = try makeTempDirectory("repeated-corpus")
  let files = try FileManager.default.contentsOfDirectory(atPath: seedCorpus.path)
    .filter { $0.hasSuffix(".txt") }
  for copy in 0..<8 {
    let folder = corpus.appendingPathComponent("copy-\(copy)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for file in files {
      try FileManager.default.copyItem(
        at: seedCorpus.appendingPathComponent(file), to: folder.appendingPathComponent(file))
    }
  }
  return try TestIndex(corpus: corpus, label: "repeated")
}

@Suite struct BlockMaxExactnessTests {
  static let parameters: [(String, ScoringParameters)] = [
    ("BM25F", ScoringParameters()),
    (
      "per-field sums",
      {
        var p = ScoringParameters()
        p.fieldCombination = .sum
        return p
      }()
    ),
    (
      "bare headings not demoted",
      {
        var p = ScoringParameters()
        p.bareHeadingFactor = 1
        return p
      }()
    ),
    (
      "title weight 2",
      {
        var p = ScoringParameters()
        p.titleWeight = 2
        return p
      }()
    ),
  ]

  @Test(
    arguments: [
      "学校", "教育", "学生 kind:case", "发展 region:临汾", "专业", "学校 OR 乡村振兴",
      "教育 OR 实训 OR 连翘", "学校 连翘 -疫情", "学生就业", "\"积极推进\"", "办学情况 OR 学生就业",
      "教学质量 kind:case",
      // A phrase in many headings: where the body alone cannot compete, only its units
      // with the phrase in their title are candidates.
      "学生发展", "人才培养",
      // Lone characters that must stand side by side: matched up front, with no blocks.
      "学、生", "\"学 生\"", "学、生 OR 连翘", "学、生 教育",
      // Three words: the third is probed only if the second left the candidate a chance.
      "学校 教育 发展", "学生 教师 乡村振兴",
    ], 0..<parameters.count)
  func jumpingOverBlocksKeepsTheTopTen(_ text: String, _ p: Int) throws {
    let searcher = try repeated.get().searcher(Self.parameters[p].1)
    let query = try QueryParser.parse(text)
    let all = try searcher.search(query, limit: nil)
    let top = try searcher.search(query, limit: 10)
    try #require(all.hits.count > 10, "\(text) finds enough")
    #expect(ranking(top) == Array(ranking(all).prefix(10)), "\(text) with \(Self.parameters[p].0)")
  }

  @Test func aCommonWordSkipsUnitsThatCannotEnterTheTopTen() throws {
    let searcher = try repeated.get().searcher()
    let result = try searcher.search(QueryParser.parse("学校"), limit: 10)
    // Skipped units are not counted, so the total becomes a lower bound.
    #expect(!result.totalIsExact)
    #expect(result.total < (try searcher.all("学校")).total)
  }
}
