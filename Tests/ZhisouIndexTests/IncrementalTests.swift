import Foundation
import Testing
import ZhisouAnalysis
import ZhisouCorpus

@testable import ZhisouIndex

@Suite struct IncrementalTests {
  /// Live units of `index` containing `term` in its body, as (file, text).
  func bodyHits(_ index: IndexReader, _ term: String) throws -> [(file: String, text: String)] {
    var out: [(String, String)] = []
    for (s, segment) in index.segments.enumerated() {
      guard let info = try segment.lookup(field: .body, term: term) else { continue }
      var cursor = try segment.postings(info)
      try cursor.next()
      while cursor.unit != Int32.max {
        let address = UnitAddress(segment: Int32(s), unit: cursor.unit)
        if !index.isDeleted(segment: s, unit: cursor.unit), let d = index.document(of: address) {
          out.append((try index.documentRecord(d).metadata.file, try index.unit(address).text))
        }
        try cursor.next()
      }
    }
    return out
  }

  @Test func changeAddDeleteAreReflectedAndOnlyTheyAreAnalysed() throws {
    let temp = TempDirectory()
    defer { temp.remove() }
    let corpus = temp.sub("Corpus")
    try copySeedCorpus(to: corpus)
    let indexPath = temp.sub("Index").path
    let before = try ExpectedIndex(corpus: corpus)
    let first = try IndexBuilder.build(corpus: corpus, index: indexPath)
    #expect(first.analysedDocuments == 5)

    // Terms only the deleted document has, to see them disappear.
    let deletedFile = "datong-2020-report.txt"
    let onlyInDeleted = before.postings[.body]!.filter { _, units in units.keys.allSatisfy { $0.file == deletedFile } }
      .map(\.key).sorted().prefix(20)
    #expect(onlyInDeleted.count == 20)
    #expect(try bodyHits(IndexReader.open(indexPath), onlyInDeleted.first!).count > 0)

    // Change one document (keep its first half, add a line), add one, delete one.
    let changedFile = "gaoping-2021-action-plan.txt"
    let original = try String(contentsOf: corpus.appendingPathComponent(changedFile), encoding: .utf8)
    let lines = original.split(separator: "\n", omittingEmptySubsequences: false)
    let kept = lines.prefix(lines.count / 2).joined(separator: "\n")
    try writeDocument(kept + "\n新增一段：推进实训基地建设 zqxwvchanged 项目。\n", named: changedFile, in: corpus)
    try writeDocument(
      "# 新增学校质量报告\n\n一、基本情况\n\n本校围绕产教融合开展 zqxwvadded 专项行动。\n", named: "extra-2025.txt", in: corpus)
    try FileManager.default.removeItem(at: corpus.appendingPathComponent(deletedFile))

    let second = try IndexBuilder.build(corpus: corpus, index: indexPath)
    #expect(second.failures.isEmpty)
    #expect(!second.fullRebuild)
    // Two workers split the seeds into two segments; if one of them lost more bytes
    // than it kept, its other documents are re-indexed with the change (a merge).
    #expect(second.analysedDocuments == 2 + second.mergedDocuments)
    #expect(second.reusedDocuments == 3 - second.mergedDocuments)
    #expect(second.removedDocuments == 1)
    #expect(second.documents == 5)

    let index = try IndexReader.open(indexPath)
    try expectIndex(index, matches: corpus)
    #expect(try Set(index.allDocuments().map(\.metadata.file)) == [
      "extra-2025.txt", "gaoping-2021-action-plan.txt", "liangzhou-2023-report.txt",
      "linfen-2024-report.txt", "lvliang-2023-report.txt",
    ])
    let changed = try bodyHits(index, "zqxwvchanged")
    #expect(changed.count == 1)
    #expect(changed.first?.file == changedFile)
    let added = try bodyHits(index, "zqxwvadded")
    #expect(added.count == 1)
    #expect(added.first?.file == "extra-2025.txt")
    #expect(added.first?.text.contains("zqxwvadded") == true)
    for term in onlyInDeleted {
      #expect(try bodyHits(index, term).isEmpty, "\(term) of the deleted document is gone")
    }
    // The old version's units are gone: every live unit of the changed file is from the new text.
    for address in index.liveUnits() {
      let unit = try index.unit(address)
      if try index.documentRecord(unit.document).metadata.file == changedFile {
        #expect(unit.lineEnd <= lines.count / 2 + 2)
      }
    }

    // A rebuild with nothing changed analyses nothing and answers the same.
    let snapshotBefore = try snapshot(index)
    let third = try IndexBuilder.build(corpus: corpus, index: indexPath)
    #expect(third.analysedDocuments == 0)
    #expect(third.reusedDocuments == 5)
    #expect(third.removedDocuments == 0)
    #expect(!third.fullRebuild)
    #expect(try snapshot(IndexReader.open(indexPath)) == snapshotBefore)
  }

  @Test func touchedButUnchangedDocumentIsNotReanalysed() throws {
    let temp = TempDirectory()
    defer { temp.remove() }
    let corpus = temp.sub("Corpus")
    try copySeedCorpus(to: corpus, only: ["gaoping-2021-action-plan.txt", "liangzhou-2023-report.txt"])
    let indexPath = temp.sub("Index").path
    _ = try IndexBuilder.build(corpus: corpus, index: indexPath)
    // Same bytes, new modification time: the content hash says unchanged.
    let url = corpus.appendingPathComponent("gaoping-2021-action-plan.txt")
    try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: url.path)
    let report = try IndexBuilder.build(corpus: corpus, index: indexPath)
    #expect(report.analysedDocuments == 0)
    #expect(report.reusedDocuments == 2)
  }

  @Test func anotherLexiconRebuildsInFull() throws {
    let temp = TempDirectory()
    defer { temp.remove() }
    let corpus = temp.sub("Corpus")
    try copySeedCorpus(to: corpus, only: ["gaoping-2021-action-plan.txt", "liangzhou-2023-report.txt"])
    let indexPath = temp.sub("Index").path
    var options = IndexBuilder.Options()
    options.threads = 1
    _ = try IndexBuilder.build(corpus: corpus, index: indexPath, options: options)
    try writeDocument("# 附加\n\n附加内容 zqxwvone。\n", named: "a.txt", in: corpus)

    // A generation whose fingerprint differs forces a full rebuild.
    var generation = try Generation.current(in: indexPath)
    generation.number += 1
    generation.analyzerFingerprint &+= 1
    let name = IndexFormat.generationFile(generation.number)
    try Data(generation.encoded()).write(to: URL(fileURLWithPath: indexPath + "/" + name))
    try Data((name + "\n").utf8).write(to: URL(fileURLWithPath: indexPath + "/CURRENT"))
    let relexed = try IndexBuilder.build(corpus: corpus, index: indexPath, options: options)
    #expect(relexed.fullRebuild)
    #expect(relexed.analysedDocuments == 3)
    #expect(relexed.warnings.contains { $0.contains("lexicon changed") })
    try expectIndex(IndexReader.open(indexPath), matches: corpus)
  }

  /// Reports arriving one by one: each build analyses the new report and, now and then,
  /// re-indexes the small segments of earlier ones; the large segment of the first build
  /// is never re-analysed, and the segment count stays bounded. Never a full rebuild.
  @Test func smallSegmentsAreMergedWithoutTouchingLargeOnes() throws {
    let temp = TempDirectory()
    defer { temp.remove() }
    var options = IndexBuilder.Options()
    options.threads = 1
    options.mergeFactor = 3
    // The seed corpus (321 KB) makes one large segment; a one-line report is tier 0.
    options.largeSegmentBytes = 200_000
    let (corpus, indexPath) = try buildSeedIndex(in: temp) { [options] in $0 = options }
    let firstSegment = try Generation.current(in: indexPath).segments[0].name

    var merges = 0
    var markers: [String] = []
    for k in 0..<12 {
      let marker = "zqxwv" + String(UnicodeScalar(UInt8(ascii: "a") + UInt8(k)))
      markers.append(marker)
      try writeDocument(
        "# 第\(k)份报告\n\n一、基本情况\n\n本校开展 \(marker) 专项行动。\n", named: "extra-\(k).txt",
        in: corpus)
      let report = try IndexBuilder.build(corpus: corpus, index: indexPath, options: options)
      #expect(!report.fullRebuild)
      #expect(report.failures.isEmpty)
      #expect(report.analysedDocuments == 1 + report.mergedDocuments)
      #expect(report.mergedDocuments <= k, "only earlier one-line reports are re-indexed")
      #expect(report.reusedDocuments == 5 + k - report.mergedDocuments)
      merges += report.mergedSegments
      let generation = try Generation.current(in: indexPath)
      #expect(generation.segments.count <= 1 + 3 * (options.mergeFactor - 1) + 1)
      #expect(generation.segments[0].name == firstSegment, "the large segment stays")
    }
    #expect(merges >= 3)
    let index = try IndexReader.open(indexPath)
    try expectIndex(index, matches: corpus)
    for (k, marker) in markers.enumerated() {
      let hits = try bodyHits(index, marker)
      #expect(hits.map(\.file) == ["extra-\(k).txt"], "\(marker)")
    }
  }

  /// A segment with more of its bytes deleted than live is merged away: its remaining
  /// documents are re-indexed, and the deleted ones stop taking room.
  @Test func mostlyDeletedSegmentIsMergedAway() throws {
    let temp = TempDirectory()
    defer { temp.remove() }
    var options = IndexBuilder.Options()
    options.threads = 1
    options.largeSegmentBytes = 200_000
    let (corpus, indexPath) = try buildSeedIndex(in: temp) { [options] in $0 = options }
    let firstSegment = try Generation.current(in: indexPath).segments[0].name

    // One changed document (104 KB of 321 KB): the segment keeps it as a deletion.
    try writeDocument("# 大同报告\n\n一、基本情况\n\n新版 zqxwvnew 内容。\n", named: "datong-2020-report.txt", in: corpus)
    let first = try IndexBuilder.build(corpus: corpus, index: indexPath, options: options)
    #expect(first.mergedSegments == 0)
    #expect(first.analysedDocuments == 1)
    #expect(try Generation.current(in: indexPath).segments.map(\.name).contains(firstSegment))

    // Two more (linfen 104 KB, lvliang 50 KB): now 258 KB of it are deleted.
    try FileManager.default.removeItem(at: corpus.appendingPathComponent("linfen-2024-report.txt"))
    try writeDocument("# 吕梁报告\n\n新版 zqxwvother 内容。\n", named: "lvliang-2023-report.txt", in: corpus)
    let second = try IndexBuilder.build(corpus: corpus, index: indexPath, options: options)
    #expect(!second.fullRebuild)
    #expect(second.mergedSegments == 1)
    #expect(second.mergedDocuments == 2, "gaoping and liangzhou re-indexed")
    #expect(second.analysedDocuments == 3)
    #expect(second.removedDocuments == 1)
    let generation = try Generation.current(in: indexPath)
    #expect(!generation.segments.map(\.name).contains(firstSegment))
    #expect(generation.segments.allSatisfy { $0.deletedDocuments.isEmpty })
    try expectIndex(IndexReader.open(indexPath), matches: corpus)
  }

  @Test func explicitFullRebuildNeverWritesOverTheLiveGeneration() throws {
    let temp = TempDirectory()
    defer { temp.remove() }
    let corpus = temp.sub("Corpus")
    try copySeedCorpus(to: corpus, only: ["gaoping-2021-action-plan.txt"])
    let indexPath = temp.sub("Index").path
    _ = try IndexBuilder.build(corpus: corpus, index: indexPath)
    let old = try IndexReader.open(indexPath)
    let oldSnapshot = try snapshot(old)
    let oldFiles = try FileManager.default.contentsOfDirectory(atPath: indexPath).filter { $0.hasPrefix("seg-") || $0.hasPrefix("gen-") }
    var options = IndexBuilder.Options()
    options.full = true
    let report = try IndexBuilder.build(corpus: corpus, index: indexPath, options: options)
    #expect(report.fullRebuild)
    // A reader opened on the old generation still reads it whole, and its files still exist.
    #expect(try snapshot(old) == oldSnapshot)
    let now = try FileManager.default.contentsOfDirectory(atPath: indexPath)
    for file in oldFiles { #expect(now.contains(file), "\(file) kept for one more build") }
    #expect(try IndexReader.open(indexPath).generationNumber == 2)
    // One more build drops the files of generation 1.
    _ = try IndexBuilder.build(corpus: corpus, index: indexPath, options: options)
    let later = try FileManager.default.contentsOfDirectory(atPath: indexPath)
    for file in oldFiles { #expect(!later.contains(file), "\(file) removed") }
  }
}
