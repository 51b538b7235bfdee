import Foundation
import Testing
import ZhisouAnalysis
import ZhisouCorpus

@testable import ZhisouIndex

@Suite struct RoundTripTests {
  @Test func seedCorpusReadsBackWhatTheAnalyzerProduced() throws {
    let temp = TempDirectory()
    defer { temp.remove() }
    let corpus = temp.sub("Corpus")
    try copySeedCorpus(to: corpus)
    let indexPath = temp.sub("Index").path
    let report = try IndexBuilder.build(corpus: corpus, index: indexPath)
    #expect(report.failures.isEmpty)
    #expect(report.documents == 5)
    #expect(report.analysedDocuments == 5)
    #expect(report.fullRebuild)

    let index = try IndexReader.open(indexPath)
    try expectIndex(index, matches: corpus)
    let expected = try ExpectedIndex(corpus: corpus)
    #expect(report.units == expected.unitCount)
    #expect(index.liveUnits().count == expected.unitCount)

    // Dictionary entries: lookup finds every term with its document frequency and max tf.
    for field in Field.allCases {
      var distinct = 0
      for (term, units) in expected.postings[field]! {
        var df = 0
        var maxTf = 0
        for segment in index.segments {
          guard let info = try segment.lookup(field: field, term: term) else { continue }
          #expect(info.term == term)
          #expect(info.key == [field.rawValue] + Array(term.utf8))
          df += info.documentFrequency
          maxTf = max(maxTf, info.maxTf)
        }
        #expect(df == units.count, "df of \(field) \(term)")
        #expect(maxTf == units.values.map(\.count).max(), "max tf of \(field) \(term)")
        distinct += 1
      }
      #expect(distinct > 100)
      for segment in index.segments {
        #expect(try segment.lookup(field: field, term: "zzz-not-a-term") == nil)
        #expect(try segment.lookup(field: field, term: "") == nil)
      }
    }
  }

  /// "Distinct terms" count a term once however many segments hold it (the build summary
  /// and `stats` summed the segments: 189 744 for 131 595 distinct at 100 MB).
  @Test func distinctTermsCountEachTermOnceAcrossSegments() throws {
    let temp = TempDirectory()
    defer { temp.remove() }
    let corpus = temp.sub("Corpus")
    try copySeedCorpus(to: corpus)
    let indexPath = temp.sub("Index").path
    var options = IndexBuilder.Options()
    options.threads = 2
    options.segmentBudgetBytes = 200_000  // several segments from 321 KB of seeds
    let report = try IndexBuilder.build(corpus: corpus, index: indexPath, options: options)
    let index = try IndexReader.open(indexPath)
    #expect(index.segments.count >= 3)
    let expected = try ExpectedIndex(corpus: corpus)
    let distinct = Field.allCases.map { expected.postings[$0]!.count }.reduce(0, +)
    #expect(report.distinctTerms == distinct)
    #expect(try index.distinctTermCount() == distinct)
    #expect(index.segments.map(\.termCount).reduce(0, +) > distinct)

    // An incremental build counts what it wrote (one document, one segment); the index
    // still counts everything once.
    try writeDocument(
      "# 新增报告\n\n一、概况\n\n本校推进 zqxwvnew 产教融合。\n", named: "extra.txt", in: corpus)
    options.threads = 1
    let second = try IndexBuilder.build(corpus: corpus, index: indexPath, options: options)
    #expect(second.analysedDocuments == 1 && !second.fullRebuild)
    let updated = try IndexReader.open(indexPath)
    #expect(second.distinctTerms == updated.segments.last!.termCount)
    let expectedNow = try ExpectedIndex(corpus: corpus)
    #expect(
      try updated.distinctTermCount()
        == Field.allCases.map { expectedNow.postings[$0]!.count }.reduce(0, +))
  }

  @Test func prefixEnumerationMatchesTheSortedTerms() throws {
    let temp = TempDirectory()
    defer { temp.remove() }
    let corpus = temp.sub("Corpus")
    try copySeedCorpus(
      to: corpus, only: ["gaoping-2021-action-plan.txt", "liangzhou-2023-report.txt"])
    let indexPath = temp.sub("Index").path
    _ = try IndexBuilder.build(corpus: corpus, index: indexPath)
    let index = try IndexReader.open(indexPath)
    let expected = try ExpectedIndex(corpus: corpus)
    for field in Field.allCases {
      let all = expected.postings[field]!.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
      var prefixes = ["", "职业", "职", "教", "产教", "a", "1", "2", "\u{10FFFF}", "zzzz"]
      prefixes += all.prefix(3).map { $0 }
      prefixes += all.suffix(3).map { $0 }
      prefixes += all.compactMap { $0.first.map(String.init) }.prefix(40)
      for prefix in prefixes {
        var read: [String] = []
        for segment in index.segments {
          let infos = try segment.terms(field: field, prefix: prefix)
          let terms = infos.map(\.term)
          #expect(terms == terms.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
          read += terms
        }
        let want = all.filter { $0.utf8.starts(with: prefix.utf8) }
        #expect(Set(read) == Set(want), "\(field) prefix \(prefix)")
      }
    }
  }

  @Test func postingsCursorSkipsAndStaysInBounds() throws {
    let temp = TempDirectory()
    defer { temp.remove() }
    let index = try IndexReader.open(try buildSeedIndex(in: temp).index)
    #expect(index.segments.count == 1)
    let segment = try #require(index.segments.first)
    // The most frequent body terms span several 128-unit blocks.
    let infos = try segment.terms(field: .body, prefix: "").sorted {
      $0.documentFrequency > $1.documentFrequency
    }
    #expect(infos[0].documentFrequency > IndexFormat.unitsPerBlock)
    for info in infos.prefix(20) {
      var all: [Int32] = []
      var cursor = try segment.postings(info)
      #expect(try cursor.positions().isEmpty)  // before the first unit: nothing, no crash
      try cursor.next()
      while cursor.unit != Int32.max {
        all.append(cursor.unit)
        try cursor.next()
      }
      #expect(try cursor.positions().isEmpty)  // exhausted
      #expect(all.count == info.documentFrequency)
      // advance(to:) lands on the first unit ≥ target, for targets across all blocks.
      for target in stride(from: Int32(0), through: (all.last ?? 0) + 2, by: 37) {
        var c = try segment.postings(info)
        try c.advance(to: target)
        #expect(c.unit == (all.first { $0 >= target } ?? Int32.max), "advance to \(target)")
      }
    }
    // Addresses out of range are refused, not trapped on.
    #expect(index.document(of: UnitAddress(segment: 9, unit: 0)) == nil)
    #expect(index.document(of: UnitAddress(segment: 0, unit: -1)) == nil)
    #expect(index.isDeleted(segment: 0, unit: Int32(segment.unitCount)))
    #expect(throws: IndexError.self) {
      try index.unit(UnitAddress(segment: 0, unit: Int32(segment.unitCount)))
    }
    #expect(throws: IndexError.self) { try segment.length(.body, of: segment.unitCount) }
    #expect(throws: IndexError.self) { try segment.length(.body, of: -1) }
  }

  @Test func segmentBytesDoNotDependOnHowTokensAreBatched() throws {
    let temp = TempDirectory()
    defer { temp.remove() }
    // One batch for the whole corpus, a batch every few units (terms' postings grow
    // across batches), and a batch every token.
    var segments: [Data] = []
    for capacity in [TokenBatch.defaultCapacity, 1_000, 1] {
      let (corpus, indexPath) = try buildSeedIndex(in: temp, name: "Index-\(capacity)") {
        $0.tokenBatchCapacity = capacity
      }
      let names = try FileManager.default.contentsOfDirectory(atPath: indexPath)
        .filter { $0.hasPrefix("seg-") }
      #expect(names.count == 1)
      segments.append(try Data(contentsOf: URL(fileURLWithPath: indexPath + "/" + names[0])))
      if capacity == 1_000 { try expectIndex(try IndexReader.open(indexPath), matches: corpus) }
    }
    #expect(segments[1] == segments[0])
    #expect(segments[2] == segments[0])
  }
}
