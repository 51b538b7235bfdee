import Testing
import ZhisouAnalysis

@testable import ZhisouSearch

private let built = Result { try TestIndex(label: "snippets") }

@Suite struct SnippetTests {
  @Test(arguments: ["产教融合", "乡村振兴", "连翘", "1+X证书", "双师型", "职业教育发展"])
  func highlightsLandExactlyOnTheMatch(_ word: String) throws {
    let searcher = try built.get().searcher()
    let result = try searcher.all(word)
    try #require(!result.hits.isEmpty)
    // Compared slot by slot: a mixed-script lexicon term is matched by its parts, so
    // “1+X”证书 is highlighted from its 1 to its 书, the quote between included.
    let want = slotTerms(word)
    var highlighted = 0
    for hit in result.hits {
      let bytes = Array(hit.snippet.text.utf8)
      for range in hit.snippet.highlights {
        #expect(range.lowerBound >= 0 && range.upperBound <= bytes.count && !range.isEmpty)
      }
      for text in hit.highlighted {
        #expect(slotTerms(text) == want, "\(hit.unit.address.id): highlighted \(text) for \(word)")
        highlighted += 1
      }
      // A unit whose body has the word gets it highlighted in the snippet.
      if hit.unit.text.contains(word) {
        #expect(
          !hit.snippet.highlights.isEmpty, "\(hit.unit.address.id) has \(word) but no highlight")
      }
    }
    #expect(highlighted > 0)
  }

  /// Words of ideographs alone are found in the normalised text without tokens: in
  /// every seed unit, the same places and source ranges as the tokens' bigram chains
  /// (traditional script, full-width, lone and repeated characters, lexicon terms,
  /// words across ICU's segmentation, a chain spanning a line break, which must not match).
  @Test func ideographWordsAreFoundWhereTheirTokensAre() throws {
    let analyzer = Analyzer()
    let words = [
      "产教融合", "產教融合", "乡村振兴", "学校", "校", "教育教育", "职业教育发展", "實訓基地", "计算机",
      "双师", "质量年度报告", "理实", "县",
    ]
    let patterns = words.map { WordPattern($0, analyzer: analyzer) }
    #expect(patterns.allSatisfy { $0.ideographs != nil })
    #expect(WordPattern("1+X证书", analyzer: analyzer).ideographs == nil)
    #expect(WordPattern("2024年", analyzer: analyzer).ideographs == nil)
    let byTokens = patterns.map { WordPattern(elements: $0.elements) }
    let builder = SnippetBuilder()
    var found = 0
    var texts = try allUnits(built.get().reader).map(\.text)
    texts.append("产教\n融合，产教融合")
    for text in texts {
      let fast = builder.occurrences(in: text, patterns: patterns, analyzer: analyzer)
      let slow = builder.occurrences(in: text, patterns: byTokens, analyzer: analyzer)
      #expect(fast.map(\.range) == slow.map(\.range) && fast.map(\.word) == slow.map(\.word))
      found += fast.count
    }
    #expect(found > 1000)
    let split = builder.occurrences(in: "产教\n融合，产教融合", patterns: [patterns[0]], analyzer: analyzer)
    #expect(split.map(\.range) == [16..<28])
  }

  /// `cases` makes its snippets in parallel batches: the same snippets, in the same
  /// order, as one at a time.
  @Test func snippetsMadeOnEveryCoreEqualOneAtATime() throws {
    let searcher = try built.get().searcher()
    let query = try QueryParser.parse("职业教育 OR 產教融合")
    let units = try searcher.all("职业教育 OR 产教融合").hits.map(\.unit)
    try #require(units.count > 64)
    let together = searcher.snippets(of: units, query: query)
    #expect(together == units.map { searcher.snippet(of: $0, query: query) })
    #expect(together.filter { !$0.highlights.isEmpty }.count > units.count / 2)
    #expect(searcher.snippets(of: [], query: query).isEmpty)
  }

  @Test func traditionalQueryHighlightsTheOriginalCharacters() throws {
    let searcher = try built.get().searcher()
    let result = try searcher.all("產教融合")
    try #require(!result.hits.isEmpty)
    var count = 0
    for hit in result.hits {
      for text in hit.highlighted {
        #expect(text == "产教融合", "\(hit.unit.address.id): \(text)")
        count += 1
      }
    }
    #expect(count > 0)
    // Same snippets as the simplified query.
    let simplified = try searcher.all("产教融合")
    #expect(result.full.map(\.snippet) == simplified.full.map(\.snippet))
  }

  @Test func fullWidthQueryHighlightsTheHalfWidthText() throws {
    let searcher = try built.get().searcher()
    let result = try searcher.all("１＋Ｘ证书")
    try #require(!result.hits.isEmpty)
    let texts = result.hits.flatMap(\.highlighted)
    #expect(!texts.isEmpty)
    for text in texts {
      let squeezed = text.uppercased().unicodeScalars.filter {
        !$0.properties.isWhitespace && !"“”\"".unicodeScalars.contains($0)
      }
      #expect(String(String.UnicodeScalarView(squeezed)) == "1+X证书", "\(text)")
    }
  }

  @Test func eachWordOfAQueryIsHighlighted() throws {
    let searcher = try built.get().searcher()
    let result = try searcher.search(QueryParser.parse("产教融合 乡村振兴"), limit: 10)
    try #require(!result.hits.isEmpty)
    for hit in result.hits where hit.unit.text.contains("产教融合") && hit.unit.text.contains("乡村振兴") {
      let texts = Set(hit.highlighted)
      #expect(texts.contains("产教融合") && texts.contains("乡村振兴"), "\(hit.unit.address.id): \(texts)")
    }
  }

  @Test func markedAndCharacterRanges() {
    let snippet = Snippet(text: "学校推进产教融合工作", highlights: [12..<24])
    #expect(snippet.marked(open: "【", close: "】") == "学校推进【产教融合】工作")
    #expect(snippet.characterHighlights == [4..<8])
  }

  @Test func snippetsAreOneLine() throws {
    let searcher = try built.get().searcher()
    for hit in try searcher.all("学校").hits {
      #expect(!hit.snippet.text.contains("\n"), "\(hit.unit.address.id)")
    }
  }
}
