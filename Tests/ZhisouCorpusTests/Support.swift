import Foundation
import Testing

@testable import ZhisouCorpus

/// The seed corpus of the repository (`Corpus/`), found from this file's path.
let seedCorpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Corpus")

/// Reads one seed document.
func seed(_ name: String) throws -> Document {
  let reader = CorpusReader(directory: seedCorpus)
  return try reader.read(CorpusFile(relativePath: name, url: seedCorpus.appendingPathComponent(name)))
}
