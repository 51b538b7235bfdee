import ArgumentParser
#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif
import ZhisouSearch

/// Options every index-reading command shares.
struct IndexOptions: ParsableArguments {
  @Option(help: "Index directory.")
  var index = "Index"

  @Option(help: "Corpus directory (documents and manifest.json).")
  var corpus = "Corpus"

  @Flag(help: "Print JSON (one object per line) instead of text.")
  var json = false

  /// BM25 parameters, with developer overrides from the environment for tuning
  /// (`ZHISOU_K1`, `ZHISOU_B`, `ZHISOU_TITLE_WEIGHT`, `ZHISOU_BARE_FACTOR`,
  /// `ZHISOU_FIELDS=bm25f|sum`).
  var scoring: ScoringParameters {
    var p = ScoringParameters()
    let env = ProcessInfo.processInfo.environment
    if let v = env["ZHISOU_K1"].flatMap(Double.init) { p.k1 = v }
    if let v = env["ZHISOU_B"].flatMap(Double.init) { p.b = v }
    if let v = env["ZHISOU_TITLE_WEIGHT"].flatMap(Double.init) { p.titleWeight = v }
    if let v = env["ZHISOU_BARE_FACTOR"].flatMap(Double.init) { p.bareHeadingFactor = v }
    if let v = env["ZHISOU_FIELDS"].flatMap(FieldCombination.init(rawValue:)) { p.fieldCombination = v }
    return p
  }

  /// Opens the index, building or refreshing it first when it is missing or stale.
  func openIndex() throws -> IndexReader {
    guard let corpusURL = try? CorpusDirectory.checked(corpus) else {
      // No corpus to check against: an existing index is still worth searching.
      do {
        let reader = try IndexReader.open(index)
        Terminal.note("zhisou: no corpus folder at \(corpus); searching the index as it was built")
        return reader
      } catch .missing {
        _ = try CorpusDirectory.checked(corpus)
        throw CLIError("no index in \(index)", status: ExitStatus.failure)
      } catch {
        throw CLIError(error)
      }
    }
    do {
      let reader = try IndexReader.open(index)
      if !IndexFreshness.isStale(reader, corpus: corpusURL) { return reader }
      Terminal.note("zhisou: the corpus changed since the index was built; updating \(index) …")
    } catch .missing {
      Terminal.note("zhisou: no index in \(index) yet; building it from \(corpus) …")
    } catch .unsupportedVersion(let file, let found, let expected) {
      // The index is derived data: one from another zhisou is rebuilt, not an error.
      Terminal.note(
        "zhisou: \(index)/\(file) is index format \(found), this zhisou uses \(expected); rebuilding \(index) …")
    } catch {
      throw CLIError(error)
    }
    do {
      let report = try IndexBuilder.build(corpus: corpusURL, index: index)
      for failure in report.failures { Terminal.note("zhisou: skipped \(failure)") }
      Terminal.note(BuildSummary.line(report))
      return try IndexReader.open(index)
    } catch {
      throw CLIError(error)
    }
  }
}

/// The corpus folder a command was given, checked before anything is built from it.
enum CorpusDirectory {
  static func checked(_ path: String) throws -> URL {
    var info = stat()
    guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
      throw CLIError("no corpus folder at \(path) (give one with --corpus DIR)", status: ExitStatus.failure)
    }
    return URL(fileURLWithPath: path)
  }
}
