import Foundation
import Testing
import ZhisouAnalysis
import ZhisouCorpus

@testable import ZhisouIndex

/// The package's seed corpus (`Corpus/` at the repository root).
let seedCorpus = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("Corpus")

/// A fresh directory under the system temp directory, removed by `remove()`.
struct TempDirectory {
  let url: URL
  var path: String { url.path }

  init(_ label: String = #function) {
    let safe = label.filter { $0.isLetter || $0.isNumber }
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("zhisou-index-\(safe)-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  func remove() { try? FileManager.default.removeItem(at: url) }

  func sub(_ name: String) -> URL { url.appendingPathComponent(name) }
}

/// Copies the seed corpus (or only `files` of it, with the manifest) into `directory`,
/// writable so tests can change documents.
func copySeedCorpus(to directory: URL, only files: [String]? = nil) throws {
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  let names = try FileManager.default.contentsOfDirectory(atPath: seedCorpus.path).sorted()
  for name in names where files == nil || files!.contains(name) || name == "manifest.json" {
    let data = try Data(contentsOf: seedCorpus.appendingPathComponent(name))
    try data.write(to: directory.appendingPathComponent(name))
  }
}

/// The seed corpus copied to `temp/Corpus` and indexed into `temp/<name>` by one thread
/// (deterministic segment bytes); returns the corpus folder and the index path.
@discardableResult
func buildSeedIndex(
  in temp: TempDirectory, name: String = "Index",
  configure: (inout IndexBuilder.Options) -> Void = { _ in }
) throws -> (corpus: URL, index: String) {
  let corpus = temp.sub("Corpus")
  if !FileManager.default.fileExists(atPath: corpus.path) { try copySeedCorpus(to: corpus) }
  let indexPath = temp.sub(name).path
  var options = IndexBuilder.Options()
  options.threads = 1
  configure(&options)
  _ = try IndexBuilder.build(corpus: corpus, index: indexPath, options: options)
  return (corpus, indexPath)
}

/// Writes `text` to `file` in `directory`, replacing it.
func writeDocument(_ text: String, named file: String, in directory: URL) throws {
  let url = directory.appendingPathComponent(file)
  try? FileManager.default.removeItem(at: url)
  try Data(text.utf8).write(to: url)
}

/// Field, term → unit → de-duplicated increasing positions.
typealias PostingsMap = [Field: [String: [UnitKey: [Int32]]]]

/// A unit by its document file and its number within the document.
struct UnitKey: Hashable, CustomStringConvertible {
  var file: String
  var index: Int
  var description: String { "\(file)#\(index)" }
}

/// What the index should hold for a corpus, computed the way `IndexBuilder` does it.
struct ExpectedIndex {
  var documents: [String: (document: Document, bytes: [UInt8])] = [:]
  var postings: PostingsMap = [.title: [:], .body: [:]]
  var lengths: [UnitKey: (title: Int, body: Int)] = [:]
  var unitCount = 0
  var totalTitle = 0
  var totalBody = 0

  init(corpus: URL) throws {
    let reader = CorpusReader(directory: corpus)
    let analyzer = Analyzer()
    for file in CorpusScanner.scan(corpus).files {
      let bytes = [UInt8](try Data(contentsOf: file.url))
      let document = try reader.document(from: bytes, relativePath: file.relativePath)
      documents[file.relativePath] = (document, bytes)
      for (i, unit) in document.units.enumerated() {
        let key = UnitKey(file: file.relativePath, index: i)
        let title = analyzer.analyze(
          (unit.headingPath + [unit.title]).joined(separator: " "), include: .index)
        let body = analyzer.analyze(unit.text, include: .index)
        add(title.tokens, field: .title, unit: key)
        add(body.tokens, field: .body, unit: key)
        lengths[key] = (Int(title.slotCount), Int(body.slotCount))
        unitCount += 1
        totalTitle += Int(title.slotCount)
        totalBody += Int(body.slotCount)
      }
    }
  }

  private mutating func add(_ tokens: [Token], field: Field, unit: UnitKey) {
    var byTerm: [String: Set<Int32>] = [:]
    for token in tokens { byTerm[token.term, default: []].insert(token.position) }
    for (term, positions) in byTerm {
      postings[field]![term, default: [:]][unit] = positions.sorted()
    }
  }
}

/// Everything an open index answers, in comparable form (live units only).
struct IndexSnapshot: Equatable {
  var postings: [Field: [String: [UnitKey: [Int32]]]] = [.title: [:], .body: [:]]
  var units: [UnitKey: String] = [:]
  var lengths: [UnitKey: [Int]] = [:]
  var documents: [String: String] = [:]
  var unitCount = 0
  var totalTitle = 0
  var totalBody = 0
}

/// The file and in-document number of every unit of `index`, nil for deleted ones.
func unitKeys(_ index: IndexReader) throws(IndexError) -> [[UnitKey?]] {
  var out: [[UnitKey?]] = []
  for (s, segment) in index.segments.enumerated() {
    var keys = [UnitKey?](repeating: nil, count: segment.unitCount)
    for local in 0..<segment.documentCount {
      let units = segment.documentUnits(local)
      let file = try segment.documentRecord(local).metadata.file
      for u in units where !index.isDeleted(segment: s, unit: Int32(u)) {
        keys[u] = UnitKey(file: file, index: u - units.lowerBound)
      }
    }
    out.append(keys)
  }
  return out
}

/// Reads every live posting, stored unit, norm and document of `index`.
func snapshot(_ index: IndexReader) throws(IndexError) -> IndexSnapshot {
  var out = IndexSnapshot()
  let keys = try unitKeys(index)
  for (s, segment) in index.segments.enumerated() {
    for field in Field.allCases {
      for info in try segment.terms(field: field, prefix: "") {
        var cursor = try segment.postings(info)
        try cursor.next()
        while cursor.unit != Int32.max {
          if let key = keys[s][Int(cursor.unit)] {
            out.postings[field]![info.term, default: [:]][key] = Array(try cursor.positions())
          }
          try cursor.next()
        }
      }
    }
    for u in 0..<segment.unitCount {
      guard let key = keys[s][u] else { continue }
      let unit = try index.unit(UnitAddress(segment: Int32(s), unit: Int32(u)))
      out.units[key] =
        "\(unit.kind)|\(unit.title)|\(unit.headingPath)|\(unit.level)|\(unit.lineStart)|\(unit.lineEnd)|\(unit.citations)|\(unit.number)|\(unit.text)"
      out.lengths[key] = [try segment.length(.title, of: u), try segment.length(.body, of: u)]
    }
  }
  for d in try index.allDocuments() {
    out.documents[d.metadata.file] = "\(d.metadata)|\(d.contentHash)|\(d.byteCount)"
  }
  out.unitCount = index.statistics.unitCount
  out.totalTitle = index.statistics.totalLength[.title] ?? 0
  out.totalBody = index.statistics.totalLength[.body] ?? 0
  return out
}

/// Checks that `index` holds exactly what the analyzer and corpus reader produce for `corpus`.
func expectIndex(
  _ index: IndexReader, matches corpus: URL, sourceLocation: SourceLocation = #_sourceLocation
) throws {
  let expected = try ExpectedIndex(corpus: corpus)
  let actual = try snapshot(index)
  // Postings: every (field, term) with the same units and positions, and nothing else.
  for field in Field.allCases {
    let e = expected.postings[field]!
    let a = actual.postings[field]!
    #expect(Set(e.keys) == Set(a.keys), "terms of \(field)", sourceLocation: sourceLocation)
    var mismatches = 0
    for (term, units) in e where a[term] != units {
      mismatches += 1
      if mismatches <= 5 {
        Issue.record(
          "\(field) \(term): expected \(units), read \(a[term] ?? [:])",
          sourceLocation: sourceLocation)
      }
    }
    #expect(mismatches == 0, "\(field): \(mismatches) terms differ", sourceLocation: sourceLocation)
  }
  // Stored units, norms, documents, statistics.
  #expect(actual.units.count == expected.unitCount, sourceLocation: sourceLocation)
  for (file, entry) in expected.documents {
    for (i, unit) in entry.document.units.enumerated() {
      let key = UnitKey(file: file, index: i)
      let citations = i < entry.document.citations.count ? entry.document.citations[i] : []
      let want =
        "\(unit.kind)|\(unit.title)|\(unit.headingPath)|\(unit.level)|\(unit.lineStart)|\(unit.lineEnd)|\(citations)|\(unit.number)|\(unit.text)"
      #expect(actual.units[key] == want, "stored unit \(key)", sourceLocation: sourceLocation)
      let l = expected.lengths[key]!
      #expect(
        actual.lengths[key] == [l.title, l.body], "norms of \(key)", sourceLocation: sourceLocation)
    }
    let hash = entry.bytes.withUnsafeBytes { Checksum.fnv1a($0) }
    #expect(
      actual.documents[file] == "\(entry.document.metadata)|\(hash)|\(entry.bytes.count)",
      "document \(file)", sourceLocation: sourceLocation)
  }
  #expect(actual.documents.count == expected.documents.count, sourceLocation: sourceLocation)
  #expect(actual.unitCount == expected.unitCount, sourceLocation: sourceLocation)
  #expect(actual.totalTitle == expected.totalTitle, sourceLocation: sourceLocation)
  #expect(actual.totalBody == expected.totalBody, sourceLocation: sourceLocation)
}
