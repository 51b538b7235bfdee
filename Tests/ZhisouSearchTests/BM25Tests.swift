import Foundation
import Testing

@testable import ZhisouSearch

private let built = Result { try TestIndex(label: "bm25") }

@Suite struct BM25Tests {
  /// One hand-computed case of Lucene's BM25.
  struct Case: Sendable, CustomStringConvertible {
    var N: Int, n: Int, tf: Double, dl: Double, avgdl: Double
    var k1 = 1.2, b = 0.75
    var idf: Double, score: Double
    var description: String { "N=\(N) n=\(n) tf=\(tf) dl=\(dl) avgdl=\(avgdl) k1=\(k1) b=\(b)" }
  }

  static let cases: [Case] = [
    // idf = ln(1 + (10 − 2 + 0.5)/(2 + 0.5)) = ln(1 + 3.4) = ln 4.4 = 1.4816045
    // norm = 1.2 · (1 − 0.75 + 0.75 · 100/80) = 1.2 · 1.1875 = 1.425
    // score = 1.4816045 · 3 / (3 + 1.425) = 4.4448135 / 4.425 = 1.0044777
    Case(N: 10, n: 2, tf: 3, dl: 100, avgdl: 80, idf: 1.4816045, score: 1.0044777),
    // idf = ln(1 + 999.5/1.5) = ln 667.3333 = 6.5032897; dl = avgdl so norm = k1 = 1.2
    // score = 6.5032897 · 1 / 2.2 = 2.9560408
    Case(N: 1000, n: 1, tf: 1, dl: 50, avgdl: 50, idf: 6.5032897, score: 2.9560408),
    // a term in every unit: idf = ln(1 + 0.5/5.5) = ln 1.0909091 = 0.0870114
    // norm = 1.2 · (0.25 + 0.75 · 0.5) = 0.75; score = 0.0870114 · 2 / 2.75 = 0.0632810
    Case(N: 5, n: 5, tf: 2, dl: 20, avgdl: 40, idf: 0.0870114, score: 0.0632810),
    // k1 = 2, b = 0.5: idf = ln(1 + 90.5/10.5) = ln 9.6190476 = 2.2637453
    // norm = 2 · (0.5 + 0.5 · 30/60) = 1.5; score = 2.2637453 · 4 / 5.5 = 1.6463602
    Case(
      N: 100, n: 10, tf: 4, dl: 30, avgdl: 60, k1: 2.0, b: 0.5, idf: 2.2637453, score: 1.6463602),
    // empty field: idf = ln(1 + 180.5/20.5) = ln 9.8048780 = 2.2828800
    // norm = 1.2 · 0.25 = 0.3; score = 2.2828800 / 1.3 = 1.7560616
    Case(N: 200, n: 20, tf: 1, dl: 0, avgdl: 25, idf: 2.2828800, score: 1.7560616),
  ]

  @Test(arguments: cases)
  func matchesLuceneOnHandComputedValues(_ c: Case) {
    var parameters = ScoringParameters()
    parameters.k1 = c.k1
    parameters.b = c.b
    let scorer = BM25Scorer(parameters: parameters)
    let idf = scorer.idf(documentFrequency: c.n, unitCount: c.N)
    #expect(abs(idf - c.idf) < 1e-4, "idf \(idf) vs \(c.idf)")
    let score = scorer.score(tf: c.tf, length: c.dl, averageLength: c.avgdl, idf: idf)
    #expect(abs(score - c.score) < 1e-4, "score \(score) vs \(c.score)")
  }

  @Test func defaultsAreLucenes() {
    let p = ScoringParameters()
    #expect(p.k1 == 1.2)
    #expect(p.b == 0.75)
  }

  /// A searcher that scores the body alone (title weight 0), Lucene's single field.
  private func bodyOnlySearcher(_ index: IndexReader) -> Searcher {
    var parameters = ScoringParameters()
    parameters.titleWeight = 0
    return Searcher(index: index, parameters: parameters)
  }

  /// A single-term query scored on the body only equals the formula over the index's own statistics.
  @Test(arguments: ["产教融合", "乡村振兴", "学校"])
  func searchScoreEqualsFormulaOverIndexStatistics(_ word: String) throws {
    let index = try built.get().reader
    let searcher = bodyOnlySearcher(index)
    let pattern = searcher.pattern(word)
    try #require(pattern.elements.count == 1, "\(word) should be one index term: \(pattern)")
    let term = pattern.elements[0].term
    let result = try searcher.search(QueryParser.parse(word), limit: nil)
    try #require(!result.hits.isEmpty)

    let N = index.statistics.unitCount
    let n = try index.documentFrequency(field: .body, term: term)
    let avgdl = index.statistics.averageLength(.body)
    #expect(avgdl > 0)
    // Lucene's idf, by hand.
    let idf = log(1 + (Double(N) - Double(n) + 0.5) / (Double(n) + 0.5))
    var checked = 0
    var bodyUnits = 0
    for hit in result.full {
      let address = hit.unit.address
      let segment = index.segments[Int(address.segment)]
      var tf: Int32 = 0
      if let info = try segment.lookup(field: .body, term: term) {
        var cursor = try segment.postings(info)
        try cursor.advance(to: address.unit)
        if cursor.unit == address.unit { tf = cursor.tf }
      }
      if tf == 0 {
        // Matched in the title only, which weighs nothing here.
        #expect(hit.score == 0, "\(address.id) has no body match but scores \(hit.score)")
        continue
      }
      bodyUnits += 1
      let dl = Double(try segment.length(.body, of: Int(address.unit)))
      // Bare headings and prefaces are deliberately ranked down by a factor: not Lucene's score.
      if try segment.isDemoted(Int(address.unit)) { continue }
      let expected = idf * Double(tf) / (Double(tf) + 1.2 * (1 - 0.75 + 0.75 * dl / avgdl))
      #expect(
        abs(hit.score - expected) < 1e-4, "\(word) \(address.id): \(hit.score) vs \(expected)")
      checked += 1
    }
    #expect(checked > 0)
    // Every unit whose body holds the term is a full hit (df counts them all on a fresh index).
    #expect(bodyUnits == n, "\(word): \(bodyUnits) body hits, df \(n)")
  }

  /// A word of several bigrams is scored as one term whose frequency is how often the
  /// word occurs and whose df is its rarest bigram's (every match holds that bigram).
  @Test(arguments: ["学生就业", "办学情况", "积极推进"])
  func aWordOfSeveralTermsScoresWithItsRarestTermsIdf(_ word: String) throws {
    let index = try built.get().reader
    let searcher = bodyOnlySearcher(index)
    let terms = searcher.pattern(word).elements.map(\.term)
    try #require(terms.count > 1, "\(word) should be several index terms: \(terms)")
    let n = try terms.map { try index.documentFrequency(field: .body, term: $0) }.min() ?? 0
    let N = index.statistics.unitCount
    let avgdl = index.statistics.averageLength(.body)
    let idf = log(1 + (Double(N) - Double(n) + 0.5) / (Double(n) + 0.5))
    let result = try searcher.search(QueryParser.parse(word), limit: nil)
    var checked = 0
    for hit in result.full {
      let address = hit.unit.address
      let segment = index.segments[Int(address.segment)]
      let body = hit.unit.text.filter { !$0.isWhitespace }
      let tf = body.components(separatedBy: word).count - 1
      let demoted = try segment.isDemoted(Int(address.unit))
      if tf == 0 || demoted { continue }
      let dl = Double(try segment.length(.body, of: Int(address.unit)))
      let expected = idf * Double(tf) / (Double(tf) + 1.2 * (1 - 0.75 + 0.75 * dl / avgdl))
      #expect(
        abs(hit.score - expected) < 1e-4, "\(word) \(address.id): \(hit.score) vs \(expected)")
      checked += 1
    }
    #expect(checked > 0)
  }

  /// Title and body are summed with their weights.
  @Test func fieldsAreSummedWithWeights() throws {
    let index = try built.get().reader
    let query = try QueryParser.parse("乡村振兴")
    var summed = ScoringParameters()
    summed.fieldCombination = .sum
    var bodyOnly = summed
    bodyOnly.titleWeight = 0
    var titleOnly = summed
    titleOnly.bodyWeight = 0
    let both = try Searcher(index: index, parameters: summed).search(query, limit: nil)
    let b = Dictionary(
      uniqueKeysWithValues: try Searcher(index: index, parameters: bodyOnly).search(
        query, limit: nil
      ).hits.map {
        ($0.unit.address, $0.score)
      })
    let t = Dictionary(
      uniqueKeysWithValues: try Searcher(index: index, parameters: titleOnly).search(
        query, limit: nil
      ).hits.map {
        ($0.unit.address, $0.score)
      })
    var titled = 0
    for hit in both.hits {
      let bodyScore = b[hit.unit.address] ?? 0
      let titleScore = t[hit.unit.address] ?? 0
      if titleScore > 0 { titled += 1 }
      // titleOnly keeps the default title weight and zeroes the body, so it is already weighted.
      #expect(abs(hit.score - (bodyScore + titleScore)) < 1e-9, "\(hit.unit.address.id)")
    }
    #expect(titled > 0, "some 乡村振兴 hits match in their titles")
  }

  /// BM25F adds the fields' normalised tfs before saturating once: a unit matching in
  /// title and body scores above its body-only score and below the two fields summed.
  @Test func bm25fSaturatesTheFieldsTogether() throws {
    let index = try built.get().reader
    let query = try QueryParser.parse("乡村振兴")
    var summed = ScoringParameters()
    summed.fieldCombination = .sum
    var bodyOnly = ScoringParameters()
    bodyOnly.titleWeight = 0
    let f = try Searcher(index: index).search(query, limit: nil).full
    let sum = Dictionary(
      uniqueKeysWithValues: try Searcher(index: index, parameters: summed).search(query, limit: nil)
        .full.map {
          ($0.unit.address, $0.score)
        })
    let body = Dictionary(
      uniqueKeysWithValues: try Searcher(index: index, parameters: bodyOnly).search(
        query, limit: nil
      ).full.map {
        ($0.unit.address, $0.score)
      })
    var both = 0
    for hit in f where hit.explanation.contains(where: { $0.title > 0 && $0.body > 0 }) {
      both += 1
      let s = try #require(sum[hit.unit.address])
      let b = try #require(body[hit.unit.address])
      #expect(hit.score > b - 1e-12, "\(hit.unit.address.id)")
      #expect(hit.score < s, "\(hit.unit.address.id)")
    }
    #expect(both > 0, "some 乡村振兴 hits match in title and body")
  }
}
