import Foundation
import Testing

@testable import ZhisouSearch

private let built = Result { try TestIndex(label: "matching") }

/// The text with whitespace removed (the analyzer ignores it between CJK characters).
private func squeezed(_ s: String) -> String {
  String(s.unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init))
}

@Suite struct MatchingTests {
  @Test func aWordFindsItsCharactersInsideALongerWord() throws {
    let index = try built.get().reader
    let searcher = Searcher(index: index)
    let hits = Set(try searcher.all("融合").hits.map(\.unit.address))
    let containing = try allUnits(index).filter { $0.text.contains("产教融合") }
    try #require(!containing.isEmpty)
    for unit in containing {
      #expect(hits.contains(unit.address), "融合 misses \(unit.address.id) \(unit.title)")
    }
  }

  @Test func aWordMatchesExactlyTheUnitsThatContainIt() throws {
    let index = try built.get().reader
    let searcher = Searcher(index: index)
    // Lexicon terms, a bigram, words of several bigrams (matched as they are walked), and
    // words with a lexicon term inside (read as that term, between bigrams).
    for word in [
      "产教融合", "乡村振兴", "连翘", "双师型", "学生就业", "办学情况", "积极推进", "教学质量", "深化产教融合",
      "职业教育发展", "现代职业教育", "乡村振兴战略",
    ] {
      let hits = try searcher.all(word).fullAddresses
      let expected = Set(
        try allUnits(index).filter {
          squeezed(($0.headingPath + [$0.title, $0.text]).joined()).contains(word)
        }.map(\.address))
      try #require(!expected.isEmpty, "\(word) is in the corpus")
      #expect(
        hits == expected,
        "\(word): extra \(hits.subtracting(expected).map(\.id)), missing \(expected.subtracting(hits).map(\.id))"
      )
    }
  }

  @Test func scatteredCharactersDoNotMatchAWord() throws {
    let corpus = try makeTempDirectory("scattered")
    defer { try? FileManager.default.removeItem(at: corpus) }
    try Data("# 第一节 合作\n\n学校坚持产教融合，推动发展。\n".utf8).write(to: corpus.appendingPathComponent("a.txt"))
    try Data("# 第二节 建设\n\n产品质量提升，教师队伍建设，文化融合发展。\n".utf8)
      .write(to: corpus.appendingPathComponent("b.txt"))
    let index = try TestIndex(corpus: corpus, label: "scattered-index")
    let searcher = index.searcher()
    let files = { (q: String) throws -> Set<String> in
      Set(try searcher.all(q).full.map(\.document.metadata.file))
    }
    #expect(try files("产教融合") == ["a.txt"])
    #expect(try files("融合") == ["a.txt", "b.txt"])
    #expect(try files("产 教 融合") == ["a.txt", "b.txt"], "separate words may be anywhere")
    #expect(try files("\"产教融合\"") == ["a.txt"])
    #expect(try files("教融") == ["a.txt"])
  }

  @Test func aDocumentNumberInsideALexiconTermStillMustMatch() throws {
    let corpus = try makeTempDirectory("document-number")
    defer { try? FileManager.default.removeItem(at: corpus) }
    try Data("# 第一节 文件\n\n依据a职业教育〔2024〕73号文件。\n".utf8)
      .write(to: corpus.appendingPathComponent("a.txt"))
    try Data("# 第二节 其他\n\n依据a职业教育发展规划。\n".utf8)
      .write(to: corpus.appendingPathComponent("b.txt"))
    let index = try TestIndex(corpus: corpus, label: "document-number-index")
    let found = Set(try index.searcher().all("a职业教育〔2024〕73号").full.map(\.document.metadata.file))
    #expect(found == ["a.txt"])
  }

  @Test func aMixedScriptLexiconTermMatchesAcrossPunctuationAndSpaces() throws {
    // 1+X证书 is a lexicon term; the reports also write it “1+X”证书 and 1+X 证书 (the
    // same slots, with a quote or a space between), and those are full matches too.
    let corpus = try makeTempDirectory("mixed")
    defer { try? FileManager.default.removeItem(at: corpus) }
    let documents = [
      "a.txt": "# 一 试点\n\n推进1+X证书制度试点。\n",
      "b.txt": "# 二 试点\n\n积极推进“1+X”证书试点工作。\n",
      "c.txt": "# 三 试点\n\n落实 1+X 证书制度。\n",
      "d.txt": "# 四 其他\n\n1 X 证书与2+X证书不同。\n",
    ]
    for (name, text) in documents {
      try Data(text.utf8).write(to: corpus.appendingPathComponent(name))
    }
    let index = try TestIndex(corpus: corpus, label: "mixed-index")
    let searcher = index.searcher()
    let files = { (q: String) throws -> Set<String> in
      Set(try searcher.all(q).full.map(\.document.metadata.file))
    }
    #expect(try files("1+X证书") == ["a.txt", "b.txt", "c.txt"])
    #expect(try files("１＋Ｘ證書") == ["a.txt", "b.txt", "c.txt"])
    #expect(try files("产教融合").isEmpty)
  }

  @Test func traditionalScriptFindsTheSameAsSimplified() throws {
    let searcher = try built.get().searcher()
    for (traditional, simplified) in [
      ("產教融合", "产教融合"), ("鄉村振興", "乡村振兴"), ("職業教育", "职业教育"), ("實訓基地", "实训基地"),
    ] {
      let t = try searcher.all(traditional)
      let s = try searcher.all(simplified)
      #expect(!s.full.isEmpty)
      #expect(ranking(t.full) == ranking(s.full), "\(traditional) vs \(simplified): full matches")
      #expect(ranking(t) == ranking(s), "\(traditional) vs \(simplified): with partial matches")
    }
  }

  @Test func fullWidthFindsTheSameAsHalfWidth() throws {
    let searcher = try built.get().searcher()
    let full = try searcher.all("１＋Ｘ证书")
    let half = try searcher.all("1+X证书")
    // Every seed document has 1+X证书, most of them as “1+X”证书 or “1+X” 证书.
    #expect(half.full.count >= 5)
    #expect(Set(half.full.map(\.document.metadata.file)).count == 5)
    #expect(ranking(full) == ranking(half))
    #expect(ranking(try searcher.all("1+x证书")) == ranking(half), "case folded")
    // The + is part of the match: 1+X does not match a text with only 1 and X apart.
    for hit in half.full {
      #expect(hit.fullText.uppercased().contains("1+X"), "\(hit.unit.address.id)")
    }
  }

  @Test func exclusionRemovesEveryHitContainingTheWord() throws {
    let searcher = try built.get().searcher()
    let base = try searcher.all("产教融合")
    let excluded = try searcher.all("乡村振兴")
    let result = try searcher.all("产教融合 -乡村振兴")
    let removed = excluded.fullAddresses
    let expected = base.hits.filter { !removed.contains($0.unit.address) }
    #expect(!result.full.isEmpty)
    #expect(result.full.count < base.full.count, "some 产教融合 units mention 乡村振兴")
    #expect(
      ranking(result)
        == ranking(SearchResult(hits: expected, total: expected.count, isFallback: false)))
    for hit in result.hits {
      #expect(!squeezed(hit.fullText).contains("乡村振兴"), "\(hit.unit.address.id) contains 乡村振兴")
    }
    // An excluded traditional form excludes the simplified text too.
    #expect(ranking(try searcher.all("产教融合 -鄉村振興")) == ranking(result))
  }

  @Test func exactPhrase() throws {
    let searcher = try built.get().searcher()
    let result = try searcher.all("\"深化校企育人，赋能乡村振兴\"")
    try #require(!result.full.isEmpty)
    #expect(result.full.contains { $0.unit.kind == .case && $0.unit.title.contains("深化校企育人") })
    for hit in result.full {
      #expect(squeezed(hit.fullText).contains("深化校企育人，赋能乡村振兴"), "\(hit.unit.address.id)")
    }
    // A phrase with spaces inside matches the text without them.
    let spaced = try searcher.all("\"深化校企 育人\"")
    let plain = try searcher.all("深化校企育人")
    #expect(!plain.full.isEmpty)
    #expect(spaced.fullAddresses == plain.fullAddresses)
  }

  @Test func filtersRestrictHits() throws {
    let searcher = try built.get().searcher()
    let all = try searcher.all("产教融合")
    let region = try searcher.all("产教融合 region:临汾")
    let year = try searcher.all("产教融合 year:2024")
    let kind = try searcher.all("产教融合 kind:case")
    let combined = try searcher.all("产教融合 region:临汾 year:2024 kind:case")
    for result in [region, year, kind, combined] { #expect(!result.full.isEmpty) }
    func subset(_ keep: (Hit) -> Bool) -> [String] {
      let kept = all.hits.filter(keep)
      return ranking(SearchResult(hits: kept, total: kept.count, isFallback: false))
    }
    #expect(ranking(region) == subset { $0.document.metadata.region.contains("临汾") })
    #expect(ranking(year) == subset { $0.document.metadata.year == 2024 })
    #expect(ranking(kind) == subset { $0.unit.kind == .case })
    #expect(
      ranking(combined)
        == subset { $0.document.metadata.file == "linfen-2024-report.txt" && $0.unit.kind == .case }
    )
    #expect(region.full.count < all.full.count)
    #expect(kind.full.count < all.full.count)
    // Filters as values on the query give the same as the parsed form.
    var query = try QueryParser.parse("产教融合")
    query.filters = Filters(region: "临汾", year: 2024, kind: .case)
    #expect(ranking(try searcher.search(query, limit: nil)) == ranking(combined))
    // A filter nothing passes gives nothing (not a fallback).
    let none = try searcher.all("产教融合 year:1999")
    #expect(none.hits.isEmpty)
    #expect(!none.isFallback)
  }

  @Test func allWordsWithNoCommonUnitFallBackToAnyWord() throws {
    let searcher = try built.get().searcher()
    let a = try searcher.all("连翘")
    let b = try searcher.all("疫情")
    try #require(!a.hits.isEmpty && !b.hits.isEmpty)
    try #require(a.fullAddresses.isDisjoint(with: b.fullAddresses))
    let result = try searcher.all("连翘 疫情")
    #expect(result.isFallback)
    #expect(!result.hits.isEmpty)
    #expect(result.hits.allSatisfy { $0.isFallback })
    #expect(result.total == 0)
    // Every unit with either word is among the fallback hits (with parts of words possibly more).
    #expect(result.fullAddresses.isEmpty)
    #expect(
      Set(result.hits.map(\.unit.address)).isSuperset(of: a.fullAddresses.union(b.fullAddresses)))
    // A query that does match is not marked.
    let normal = try searcher.search(QueryParser.parse("产教融合 乡村振兴"), limit: 3)
    #expect(!normal.isFallback)
    #expect(normal.hits.count == 3)
    #expect(normal.hits.allSatisfy { !$0.isFallback })
    // Without fallback: nothing.
    let strict = try searcher.search(QueryParser.parse("连翘 疫情"), limit: nil, allowFallback: false)
    #expect(strict.hits.isEmpty)
  }

  @Test func orMatchesEither() throws {
    let searcher = try built.get().searcher()
    let a = try searcher.all("连翘").fullAddresses
    let b = try searcher.all("疫情").fullAddresses
    let either = try searcher.all("连翘 OR 疫情")
    #expect(!either.isFallback)
    #expect(either.fullAddresses == a.union(b))
  }
}
