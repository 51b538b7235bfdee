import ArgumentParser
#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import ZhisouCorpus

/// `zhisou outline [FILE]`: prints the unit tree the engine makes of a document.
struct OutlineCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "outline",
    abstract: "Show the units (sections, cases, policy measures) found in a document.")

  @Argument(help: "A document, relative to the corpus or a path; all documents when omitted.")
  var file: String?

  @Option(help: "The corpus directory.")
  var corpus: String = "Corpus"

  @Flag(help: "Print JSON instead of an indented tree.")
  var json = false

  func run() throws {
    let directory = URL(fileURLWithPath: corpus)
    var files: [CorpusFile]
    var reader = CorpusReader(directory: directory)
    if let file {
      let inCorpus = directory.appendingPathComponent(file)
      if FileManager.default.fileExists(atPath: inCorpus.path) {
        files = [CorpusFile(relativePath: file, url: inCorpus)]
      } else {
        let url = URL(fileURLWithPath: file)
        reader = CorpusReader(directory: url.deletingLastPathComponent())
        files = [CorpusFile(relativePath: url.lastPathComponent, url: url)]
      }
    } else {
      let scan = CorpusScanner.scan(directory)
      files = scan.files
      for warning in scan.warnings { printError("warning: \(warning)") }
      for failure in scan.failures { printError("error: \(failure)") }
    }
    for warning in reader.warnings { printError("warning: \(warning)") }
    var documents: [Document] = []
    for file in files {
      do {
        documents.append(try reader.read(file))
      } catch {
        printError("warning: \(error)")
      }
    }
    if json {
      print(OutlineFormatter.json(documents))
    } else {
      print(documents.map(OutlineFormatter.text).joined(separator: "\n"), terminator: "")
    }
    if documents.isEmpty, file != nil { throw ExitCode.failure }
  }

  private func printError(_ message: String) {
    Terminal.note(message)
  }
}
