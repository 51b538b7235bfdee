import ArgumentParser
import Foundation
import ZhisouSearch

/// Options every index-reading command shares.
struct IndexOptions: ParsableArguments {
  @Option(help: "Index directory.")
  var index = "Index"

  @Option(help: "Corpus directory (documents and manifest.json).")
  var corpus = "Corpus"

  @Flag(help: "Print JSON (one object per line) instead of text.")
  var json = false

  /// Opens the index, building or refreshing it first when it is missing or stale.
  func openIndex() throws -> IndexReader {
    let corpusURL = URL(fileURLWithPath: corpus)
    do {
      let reader = try IndexReader.open(index)
      if !IndexFreshness.isStale(reader, corpus: corpusURL) { return reader }
      Terminal.note("zhisou: the corpus changed since the index was built; updating \(index) …")
    } catch .missing {
      Terminal.note("zhisou: no index in \(index) yet; building it from \(corpus) …")
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
