import Foundation
import Testing

@testable import ZhisouCorpus

/// Dumps every document of `ZHISOU_DUMP_CORPUS` (units with text, citations, metadata,
/// warnings, errors) as JSON to `ZHISOU_DUMP_OUT`, so parser changes can be checked for
/// identical output. Skipped unless both variables are set.
@Test(.enabled(if: ProcessInfo.processInfo.environment["ZHISOU_DUMP_CORPUS"] != nil))
func dumpCorpusForComparison() throws {
  let env = ProcessInfo.processInfo.environment
  let directory = URL(fileURLWithPath: env["ZHISOU_DUMP_CORPUS"]!)
  let out = URL(fileURLWithPath: env["ZHISOU_DUMP_OUT"] ?? "/tmp/zhisou-dump.json")
  struct Dumped: Encodable {
    var file: String
    var metadata: DocumentMetadata?
    var units: [ZhisouCorpus.Unit]
    var citations: [[PolicyCitation]]
    var warnings: [String]
    var error: String?
  }
  let reader = CorpusReader(directory: directory)
  var dumped: [Dumped] = []
  for file in CorpusScanner.scan(directory).files {
    do {
      let document = try reader.read(file)
      dumped.append(
        Dumped(
          file: file.relativePath, metadata: document.metadata, units: document.units,
          citations: document.citations, warnings: document.warnings, error: nil))
    } catch {
      dumped.append(Dumped(file: file.relativePath, metadata: nil, units: [], citations: [], warnings: [], error: "\(error)"))
    }
  }
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
  try encoder.encode(dumped).write(to: out)
}
