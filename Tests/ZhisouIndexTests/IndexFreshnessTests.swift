import Foundation
import Testing

@testable import ZhisouIndex

/// A search rebuilds a stale index first: these are the changes that make it stale.
@Suite struct IndexFreshnessTests {
  /// A corpus of two folders (one holding a document, one empty), built.
  final class Bench {
    let temp = TempDirectory()
    var corpus: URL { temp.sub("Corpus") }
    var index: String { temp.sub("Index").path }

    init() throws {
      try FileManager.default.createDirectory(
        at: corpus.appendingPathComponent("reports/2024"), withIntermediateDirectories: true)
      try FileManager.default.createDirectory(
        at: corpus.appendingPathComponent("empty"), withIntermediateDirectories: true)
      try writeDocument("# 报告\n\n产教融合 内容。\n", named: "top.txt", in: corpus)
      try writeDocument("# 年报\n\n校企合作 内容。\n", named: "reports/2024/a.txt", in: corpus)
      try rebuild()
    }

    deinit { temp.remove() }

    func rebuild() throws {
      _ = try IndexBuilder.build(corpus: corpus, index: index)
      // File times tick with the kernel's clock (a few ms); a change made in the same
      // tick as the build would not look newer than it.
      usleep(20_000)
    }

    var isStale: Bool {
      get throws { IndexFreshness.isStale(try IndexReader.open(index), corpus: corpus) }
    }
  }

  @Test func theBuildRecordsEveryFolderItWalked() throws {
    let bench = try Bench()
    #expect(
      try IndexReader.open(bench.index).corpusFolders == ["empty", "reports", "reports/2024"])
    #expect(try !bench.isStale)
  }

  @Test func aDocumentAddedToAFolderThatWasEmptyMakesItStale() throws {
    let bench = try Bench()
    try writeDocument("# 新\n\n新内容。\n", named: "empty/new.txt", in: bench.corpus)
    #expect(try bench.isStale)
    try bench.rebuild()
    #expect(try !bench.isStale)
  }

  @Test func aNewFolderMakesItStale() throws {
    let bench = try Bench()
    try FileManager.default.createDirectory(
      at: bench.corpus.appendingPathComponent("reports/2025"), withIntermediateDirectories: true)
    try writeDocument("# 新\n\n新内容。\n", named: "reports/2025/b.txt", in: bench.corpus)
    #expect(try bench.isStale)
  }

  @Test func aRemovedOrEditedDocumentInASubfolderMakesItStale() throws {
    let bench = try Bench()
    let file = bench.corpus.appendingPathComponent("reports/2024/a.txt")
    try writeDocument("# 年报\n\n校企合作 内容，补充一句。\n", named: "reports/2024/a.txt", in: bench.corpus)
    #expect(try bench.isStale)
    try bench.rebuild()
    try FileManager.default.removeItem(at: file)
    #expect(try bench.isStale)
  }

  @Test func filesThatAreNotDocumentsDoNotMakeItStale() throws {
    let bench = try Bench()
    try writeDocument("notes", named: "reports/readme.pdf", in: bench.corpus)
    try writeDocument("x", named: "reports/2024/.hidden.txt", in: bench.corpus)
    #expect(try !bench.isStale)
  }
}
