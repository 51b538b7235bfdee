import ArgumentParser
import Foundation
import ZhisouSearch

struct BuildCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "build",
    abstract: "Build or update the index from the corpus (only changed documents are re-analysed)."
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
    return String(
      format:
        "indexed %d documents (%d analysed, %d unchanged, %d removed): %d units, %d cases, %d distinct terms, %d postings; index %.1f MB; %.2f s, %.1f MB/s",
      r.documents, r.analysedDocuments, r.reusedDocuments, r.removedDocuments, r.units, r.cases,
      r.distinctTerms, r.postings, Double(r.indexBytes) / 1e6, r.seconds,
      r.seconds > 0 ? mb / r.seconds : 0)
  }

  static func json(_ r: IndexBuilder.Report) -> String {
    "{\"documents\":\(r.documents),\"analysedDocuments\":\(r.analysedDocuments),\"reusedDocuments\":\(r.reusedDocuments),\"removedDocuments\":\(r.removedDocuments),\"units\":\(r.units),\"cases\":\(r.cases),\"distinctTerms\":\(r.distinctTerms),\"postings\":\(r.postings),\"indexBytes\":\(r.indexBytes),\"seconds\":\(r.seconds),\"analysedBytes\":\(r.analysedBytes),\"fullRebuild\":\(r.fullRebuild),\"failures\":[\(r.failures.map(JSONText.quote).joined(separator: ","))]}"
  }
}

/// A progress bar on a terminal after the first second; plain lines otherwise.
final class ProgressDisplay: @unchecked Sendable {
  private let lock = NSLock()
  private let started = Date()
  private var lastPrint = Date.distantPast
  private var drawn = false

  func update(_ p: IndexBuilder.BuildProgress) {
    lock.lock()
    defer { lock.unlock() }
    let now = Date()
    guard now.timeIntervalSince(started) > 1 else { return }
    let interactive = Terminal.errorIsInteractive
    guard now.timeIntervalSince(lastPrint) > (interactive ? 0.1 : 5) || p.documentsDone == p.documentsTotal
    else { return }
    lastPrint = now
    let fraction = p.bytesTotal > 0 ? Double(p.bytesDone) / Double(p.bytesTotal) : 1
    let mbps = Double(p.bytesDone) / 1e6 / now.timeIntervalSince(started)
    if interactive {
      let width = 30
      let filled = Int(fraction * Double(width))
      let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
      FileHandle.standardError.write(
        Data(
          String(
            format: "\r%@ %3.0f%%  %d/%d documents  %.1f MB/s ", bar, fraction * 100, p.documentsDone,
            p.documentsTotal, mbps
          ).utf8))
      drawn = true
    } else {
      Terminal.note(
        String(
          format: "indexing: %d/%d documents (%.0f%%), %.1f MB/s", p.documentsDone, p.documentsTotal,
          fraction * 100, mbps))
    }
  }

  func finish() {
    lock.lock()
    defer { lock.unlock() }
    if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
    drawn = false
  }
}
