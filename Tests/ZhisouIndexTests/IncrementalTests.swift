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

  /// The seed corpus (321 KB) indexed by one thread as one large segment (large from
  /// 200 KB), for the merge tests; with the options to build with again.
  func buildSeedIndexAsOneLargeSegment(in temp: TempDirectory, mergeFactor: Int = 4) throws -> (
    corpus: URL, index: String, options: IndexBuilder.Options, segment: String
  ) {
    var options = IndexBuilder.Options()
    options.threads = 1
    options.mergeFactor = mergeFactor
    options.largeSegmentBytes = 200_000
    let (corpus, index) = try buildSeedIndex(in: temp) { [options] in $0 = options }
    return (corpus, index, options, try Generation.current(in: index).segments[0].name)
  }

  @Test func changeAddDeleteAreReflectedAndOnlyTheyAreAnalysed() throws {
    let temp = TempDirectory()
    defer { temp.remove() }
    let corpus = temp.sub("Corpus")
    try copySeedCorpus(to: corpus)
    let indexPath = temp.sub("Index").path
    let before = try ExpectedIndex(corpus: corpus)
    // One segment (one thread): 120 of its 321 KB are deleted below, too few for a merge.
    var options = IndexBuilder.Options()
    options.threads = 1
    let first = try IndexBuilder.build(corpus: corpus, index: indexPath, options: options)
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

    let second = try IndexBuilder.build(corpus: corpus, index: indexPath, options: options)
    #expect(second.failures.isEmpty)
    #expect(!second.fullRebuild)
    #expect(second.mergedSegments == 0)
    #expect(second.analysedDocuments == 2)
    #expect(second.reusedDocuments == 3)
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
    let third = try IndexBuilder.build(corpus: corpus, index: indexPath, options: options)
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

  /// 豈 U+F900 and 豈 U+8C48 are equal Swift strings but two files: keyed by name as
  /// strings, one shadowed the other and every build re-analysed one of them.
  @Test func filesWhoseNamesAreCanonicallyEqualAreTwoDocuments() throws {
    let temp = TempDirectory()
    defer { temp.remove() }
    let corpus = temp.sub("Corpus")
    try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
    let compatibility = "\u{F900}.txt", unified = "\u{8C48}.txt"
    #expect(compatibility == unified && Array(compatibility.utf8) != Array(unified.utf8))
    // The first document is the longer, so that changing the second (in the same
    // segment) leaves too little deleted for a merge.
    try writeDocument("# 第一份报告\n\n一、概况\n\nzqxwvapple 基地建设成效显著。\n", named: compatibility, in: corpus)
    try writeDocument("# 第二份报告\n\n一、概况\n\nzqxwvbanana 园区。\n", named: unified, in: corpus)
    let indexPath = temp.sub("Index").path
    var options = IndexBuilder.Options()
    options.threads = 1
    let first = try IndexBuilder.build(corpus: corpus, index: indexPath, options: options)
    #expect(first.documents == 2)
    func file(of term: String) throws -> [[UInt8]] {
      try bodyHits(IndexReader.open(indexPath), term).map { Array($0.file.utf8) }
    }
    #expect(try file(of: "zqxwvapple") == [Array(compatibility.utf8)])
    #expect(try file(of: "zqxwvbanana") == [Array(unified.utf8)])

    let second = try IndexBuilder.build(corpus: corpus, index: indexPath, options: options)
    #expect(second.analysedDocuments == 0)
    #expect(second.reusedDocuments == 2)

    try writeDocument("# 第二份报告\n\n一、概况\n\nzqxwvcherry 园区。\n", named: unified, in: corpus)
    let third = try IndexBuilder.build(corpus: corpus, index: indexPath, options: options)
    #expect(third.mergedSegments == 0)
    #expect(third.analysedDocuments == 1)
    #expect(third.reusedDocuments == 1)
    #expect(try file(of: "zqxwvapple") == [Array(compatibility.utf8)])
    #expect(try file(of: "zqxwvbanana").isEmpty)
    #expect(try file(of: "zqxwvcherry") == [Array(unified.utf8)])
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
    // One large segment; a one-line report is tier 0.
    let (corpus, indexPath, options, firstSegment) = try buildSeedIndexAsOneLargeSegment(
      in: temp, mergeFactor: 3)

    var mergingBuilds: [Int] = []
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
      if report.mergedSegments > 0 { mergingBuilds.append(k) }
      let generation = try Generation.current(in: indexPath)
      // The large one, and at most mergeFactor one-line segments (2 left, 1 new).
      #expect(generation.segments.count <= 1 + options.mergeFactor)
      #expect(generation.segments[0].name == firstSegment, "the large segment stays")
    }
    // Tier 0 fills up every other build: a merge leaves two segments (the merge's, the
    // new report's), the next build a third, the one after merges them.
    #expect(mergingBuilds == [3, 5, 7, 9, 11])
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
    let (corpus, indexPath, options, firstSegment) = try buildSeedIndexAsOneLargeSegment(in: temp)

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

  /// A merge writes one segment whatever the number of workers: merged into as many
  /// segments as workers, a tier would fill up again at once, and every build would
  /// re-index it all.
  @Test func aMergeWritesOneSegmentWhateverTheWorkers() throws {
    let temp = TempDirectory()
    defer { temp.remove() }
    let corpus = temp.sub("Corpus")
    try copySeedCorpus(to: corpus)
    for k in 0..<10 {
      try writeDocument(
        "# 第\(k)份报告\n\n一、基本情况\n\n本校开展专项行动。\n", named: "extra-\(k).txt", in: corpus)
    }
    let indexPath = temp.sub("Index").path
    var options = IndexBuilder.Options()
    options.threads = 4
    options.mergeFactor = 2
    var full = options
    full.threads = 1
    _ = try IndexBuilder.build(corpus: corpus, index: indexPath, options: full)
    try writeDocument("# 新报告\n\n本校开展 zqxwvnew 行动。\n", named: "new.txt", in: corpus)
    let add = try IndexBuilder.build(corpus: corpus, index: indexPath, options: options)
    // One segment of tier 0 (a lone one does not merge) ...
    #expect(add.mergedSegments == 0)
    try writeDocument("# 又一份\n\n本校开展 zqxwvnext 行动。\n", named: "next.txt", in: corpus)
    let merging = try IndexBuilder.build(corpus: corpus, index: indexPath, options: options)
    // ... two do: 16 documents re-indexed, all of them into one segment.
    #expect(merging.mergedSegments == 2)
    #expect(merging.mergedDocuments == 16)
    #expect(merging.analysedDocuments == 17)
    let index = try IndexReader.open(indexPath)
    #expect(index.segments.count == 2)
    let counts = index.segments.map(\.documentCount).sorted()
    #expect(counts == [1, 16])
    try expectIndex(index, matches: corpus)
  }

  /// A merge worth two large segments or more is split between writers, one segment each.
  @Test func aBigMergeIsSplitBetweenWriters() throws {
    let temp = TempDirectory()
    defer { temp.remove() }
    let corpus = temp.sub("Corpus")
    try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
    let indexPath = temp.sub("Index").path
    var options = IndexBuilder.Options()
    options.threads = 2
    options.mergeFactor = 3
    // Tier 2 from 17.5 KB up to 140 KB: the three documents below are each tier 2, and
    // together (305 KB) worth two large segments.
    options.largeSegmentBytes = 140_000
    let seed = { (name: String) in try String(contentsOf: seedCorpus.appendingPathComponent(name), encoding: .utf8) }
    let documents = [
      ("datong-2020-report.txt", try seed("datong-2020-report.txt")),
      ("linfen-2024-report.txt", try seed("linfen-2024-report.txt")),
      ("combined.txt", try seed("lvliang-2023-report.txt") + "\n" + seed("liangzhou-2023-report.txt")),
    ]
    for (name, text) in documents {
      try writeDocument(text, named: name, in: corpus)
      let report = try IndexBuilder.build(corpus: corpus, index: indexPath, options: options)
      #expect(report.mergedSegments == 0)
    }
    try copySeedCorpus(to: corpus, only: ["gaoping-2021-action-plan.txt"])
    let merging = try IndexBuilder.build(corpus: corpus, index: indexPath, options: options)
    #expect(merging.mergedSegments == 3)
    #expect(merging.mergedDocuments == 3)
    let index = try IndexReader.open(indexPath)
    // Two parts (datong and linfen, then combined) and the new document.
    #expect(index.segments.map(\.documentCount).sorted() == [1, 1, 2])
    try expectIndex(index, matches: corpus)
  }

  /// gaoping's file given `bytes` under its old size and modification time, so that a
  /// build that does not merge never reads it again; then most of the one segment
  /// deleted (datong and linfen removed, lvliang changed), so that it is merged.
  func replaceGaopingInPlaceAndMergeItsSegment(with bytes: (Data) -> Data) throws -> (
    corpus: URL, index: String, report: IndexBuilder.Report, temp: TempDirectory
  ) {
    let temp = TempDirectory()
    let (corpus, indexPath, options, _) = try buildSeedIndexAsOneLargeSegment(in: temp)
    let gaoping = corpus.appendingPathComponent("gaoping-2021-action-plan.txt").path
    var status = stat()
    #expect(stat(gaoping, &status) == 0)
    let replaced = bytes(try Data(contentsOf: URL(fileURLWithPath: gaoping)))
    #expect(replaced.count == Int(status.st_size))
    try replaced.write(to: URL(fileURLWithPath: gaoping))
    #expect(utimensat(AT_FDCWD, gaoping, [status.st_atim, status.st_mtim], 0) == 0)
    try FileManager.default.removeItem(at: corpus.appendingPathComponent("datong-2020-report.txt"))
    try FileManager.default.removeItem(at: corpus.appendingPathComponent("linfen-2024-report.txt"))
    try writeDocument("# 吕梁报告\n\n新版 zqxwvother 内容。\n", named: "lvliang-2023-report.txt", in: corpus)
    let report = try IndexBuilder.build(corpus: corpus, index: indexPath, options: options)
    return (corpus, indexPath, report, temp)
  }

  /// A merge reads its documents again first: one whose bytes changed under the same
  /// size and time is re-indexed as changed, and the merge goes on.
  @Test func aMergeSeesADocumentChangedUnderTheSameSizeAndTime() throws {
    let (corpus, indexPath, report, temp) = try replaceGaopingInPlaceAndMergeItsSegment { data in
      let text = String(decoding: data, as: UTF8.self)
      let at = text.range(of: "职业教育")!  // 12 bytes, replaced by 12 others
      return Data(text.replacingCharacters(in: at, with: "zqxwvsamesiz").utf8)
    }
    defer { temp.remove() }
    #expect(report.failures.isEmpty)
    #expect(report.mergedSegments == 1)
    #expect(report.mergedDocuments == 1, "liangzhou")
    #expect(report.analysedDocuments == 3, "lvliang and gaoping changed, liangzhou merged")
    #expect(report.reusedDocuments == 0)
    #expect(report.documents == 3)
    let index = try IndexReader.open(indexPath)
    #expect(try bodyHits(index, "zqxwvsamesiz").map(\.file) == ["gaoping-2021-action-plan.txt"])
    try expectIndex(index, matches: corpus)
  }

  /// ... and one that no longer reads as a document is a failure, named, like any
  /// changed document that cannot be read; the merge still goes on.
  @Test func aMergeReportsADocumentThatNoLongerReads() throws {
    let (_, indexPath, report, temp) = try replaceGaopingInPlaceAndMergeItsSegment { data in
      Data(count: data.count)
    }
    defer { temp.remove() }
    #expect(report.failures.count == 1)
    #expect(report.failures.first?.hasPrefix("gaoping-2021-action-plan.txt") == true)
    #expect(report.mergedSegments == 1)
    #expect(report.mergedDocuments == 1)
    #expect(report.documents == 2)
    let generation = try Generation.current(in: indexPath)
    #expect(generation.segments.allSatisfy { $0.deletedDocuments.isEmpty })
    let files = try IndexReader.open(indexPath).allDocuments().map(\.metadata.file).sorted()
    #expect(files == ["liangzhou-2023-report.txt", "lvliang-2023-report.txt"])
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
