import ArgumentParser
import Synchronization
import ZhisouSearch

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

struct BuildCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "build",
    abstract:
      "Build or update the index from the corpus (changed documents are re-analysed, and those of small segments it merges)."
  )

  @Option(help: "Index directory.")
  var index = "Index"

  @Option(help: "Corpus directory.")
  var corpus = "Corpus"

  @Flag(help: "Rebuild everything from scratch.")
  var full = false

  @Option(help: "Analysis threads (default: all cores).")
  var threads: Int?

  @Flag(help: "Print the summary as JSON.")
  var json = false

  func run() throws {
    try reportingErrors(build)
  }

  private func build() throws {
    var options = IndexBuilder.Options()
    options.full = full
    if let threads { options.threads = max(1, threads) }
    let progress = ProgressDisplay()
    options.progress = { progress.update($0) }
    let corpusURL = try CorpusDirectory.checked(corpus)
    let report: IndexBuilder.Report
    do {
      report = try IndexBuilder.build(corpus: corpusURL, index: index, options: options)
    } catch {
      progress.finish()
      throw CLIError(error)
    }
    progress.finish()
    for warning in report.warnings { Terminal.note("warning: \(warning)") }
    for failure in report.failures { Terminal.note("error: \(failure)") }
    if json {
      print(BuildSummary.json(report))
    } else {
      print(BuildSummary.line(report))
    }
    if !report.failures.isEmpty {
      throw CLIError(
        "\(report.failures.count) document(s) could not be read; every other document is indexed",
        status: ExitStatus.unreadableDocuments)
    }
  }
}

/// The end-of-build summary.
enum BuildSummary {
  static func line(_ r: IndexBuilder.Report) -> String {
    let mb = Double(r.analysedBytes) / 1e6
    let indexMB = HitPrinter.fixed(Double(r.indexBytes) / 1e6, digits: 1)
    let seconds = HitPrinter.fixed(r.seconds, digits: 2)
    let rate = HitPrinter.fixed(r.seconds > 0 ? mb / r.seconds : 0, digits: 1)
    let merged =
      r.mergedSegments > 0
      ? "; \(r.mergedSegments) segment\(r.mergedSegments == 1 ? "" : "s") merged, "
        + "\(r.mergedDocuments) document\(r.mergedDocuments == 1 ? "" : "s") re-indexed"
      : ""
    let documents =
      "indexed \(r.documents) documents (\(r.analysedDocuments) analysed, "
      + "\(r.reusedDocuments) unchanged, \(r.removedDocuments) removed\(merged))"
    // Terms and postings are counted as they are written: a build that reuses documents
    // writes only those of the ones it analysed.
    let written =
      r.fullRebuild
      ? "\(r.distinctTerms) distinct terms, \(r.postings) postings"
      : "\(r.distinctTerms) distinct terms and \(r.postings) postings written"
    return "\(documents): \(r.units) units, \(r.cases) cases, \(written); index \(indexMB) MB; "
      + "\(seconds) s, \(rate) MB/s"
  }

  static func json(_ r: IndexBuilder.Report) -> String {
    "{\"documents\":\(r.documents),\"analysedDocuments\":\(r.analysedDocuments),\"reusedDocuments\":\(r.reusedDocuments),\"removedDocuments\":\(r.removedDocuments),\"mergedSegments\":\(r.mergedSegments),\"mergedDocuments\":\(r.mergedDocuments),\"units\":\(r.units),\"cases\":\(r.cases),\"distinctTerms\":\(r.distinctTerms),\"postings\":\(r.postings),\"indexBytes\":\(r.indexBytes),\"seconds\":\(r.seconds),\"analysedBytes\":\(r.analysedBytes),\"fullRebuild\":\(r.fullRebuild),\"failures\":[\(r.failures.map(JSONText.quote).joined(separator: ","))]}"
  }
}

/// A progress bar on a terminal after the first second; plain lines otherwise.
final class ProgressDisplay: @unchecked Sendable {
  private let lock = Mutex(())
  private let started = Date()
  private var lastPrint = Date.distantPast
  private var drawn = false
  /// Workers report outside their lock, so snapshots can arrive out of order.
  private var latestDone = 0

  func update(_ p: IndexBuilder.BuildProgress) {
    lock.withLock { _ in draw(p) }
  }

  private func draw(_ p: IndexBuilder.BuildProgress) {
    guard p.documentsDone >= latestDone else { return }
    latestDone = p.documentsDone
    let now = Date()
    guard now.timeIntervalSince(started) > 1 else { return }
    let interactive = Terminal.errorIsInteractive
    guard
      now.timeIntervalSince(lastPrint) > (interactive ? 0.1 : 5)
        || p.documentsDone == p.documentsTotal
    else { return }
    lastPrint = now
    // Files that grew since the scan can take the bytes read past the total.
    let fraction = p.bytesTotal > 0 ? min(Double(p.bytesDone) / Double(p.bytesTotal), 1) : 1
    let mbps = Double(p.bytesDone) / 1e6 / now.timeIntervalSince(started)
    if interactive {
      let width = 30
      let filled = Int(fraction * Double(width))
      let bar =
        String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
      let percent = String(Int((fraction * 100).rounded()))
      Terminal.writeError(
        "\r\(bar) \(String(repeating: " ", count: 3 - percent.count))\(percent)%  "
          + "\(p.documentsDone)/\(p.documentsTotal) documents  \(HitPrinter.fixed(mbps, digits: 1)) MB/s "
      )
      drawn = true
    } else {
      Terminal.note(
        "indexing: \(p.documentsDone)/\(p.documentsTotal) documents "
          + "(\(Int((fraction * 100).rounded()))%), \(HitPrinter.fixed(mbps, digits: 1)) MB/s")
    }
  }

  func finish() {
    lock.withLock { _ in
      if drawn { Terminal.writeError("\n") }
      drawn = false
    }
  }
}
