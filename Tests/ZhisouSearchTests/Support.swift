import Foundation
import Testing

@testable import ZhisouSearch

/// The package's seed corpus (`Corpus/` at the repository root).
let seedCorpus = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("Corpus")

/// A fresh directory under the system temp directory.
func makeTempDirectory(_ label: String) throws -> URL {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("zhisou-search-\(label)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// A temporary index of a corpus, built with `IndexBuilder.build(corpus:index:)`.
final class TestIndex: Sendable {
  let directory: URL
  let reader: IndexReader

  init(corpus: URL = seedCorpus, label: String) throws {
    directory = try makeTempDirectory(label)
    let path = directory.appendingPathComponent("Index").path
    let report = try IndexBuilder.build(corpus: corpus, index: path)
    guard report.failures.isEmpty else {
      throw TestSetupError("building the index of \(corpus.path) failed: \(report.failures)")
    }
    reader = try IndexReader.open(path)
  }

  func searcher(_ parameters: ScoringParameters = ScoringParameters()) -> Searcher {
    Searcher(index: reader, parameters: parameters)
  }

  deinit { try? FileManager.default.removeItem(at: directory) }
}

struct TestSetupError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

extension Searcher {
  /// Parses and runs `text`, every match.
  func all(_ text: String) throws -> SearchResult {
    try search(QueryParser.parse(text), limit: nil)
  }
}

extension Hit {
  /// The unit's searchable text: title, heading path and body.
  var fullText: String { (unit.headingPath + [unit.title, unit.text]).joined(separator: "\n") }
  /// The highlighted substrings of the snippet.
  var highlighted: [String] {
    let bytes = Array(snippet.text.utf8)
    return snippet.highlights.map { String(decoding: bytes[$0], as: UTF8.self) }
  }
}

/// The index terms the analyzer makes of `text`: two strings that give the same
/// terms are the same text after normalisation (繁→简, full-width, case).
func normalisedTerms(_ text: String) -> [String] {
  Analyzer().analyze(text, include: .index).tokens.map(\.term)
}

/// The index terms of `text` but its lexicon terms: what stands at its slots.
func slotTerms(_ text: String) -> [String] {
  normalisedTerms(text).filter { !Lexicon.standard.contains($0) }
}

/// Every live unit of `index`, stored.
func allUnits(_ index: IndexReader) throws -> [StoredUnit] {
  try index.liveUnits().map { address throws(IndexError) in try index.unit(address) }
}

/// Address → score, for comparing result lists.
func ranking(_ hits: [Hit]) -> [String] {
  hits.map {
    "\($0.unit.address.id)@\(String(format: "%.9f", $0.score))\($0.isFallback ? " partial" : "")"
  }
}

func ranking(_ result: SearchResult) -> [String] { ranking(result.hits) }

extension SearchResult {
  /// The hits that match every word (full matches), before any partial matches.
  var full: [Hit] { hits.filter { !$0.isFallback } }
  var fullAddresses: Set<UnitAddress> { Set(full.map(\.unit.address)) }
}
