import Foundation

/// Reads documents of one corpus directory into units, using its manifest for metadata.
public struct CorpusReader: Sendable {
  public let directory: URL

  public init(directory: URL) {
    self.directory = directory
  }

  /// Reads and parses one file.
  public func read(_ file: CorpusFile) throws(CorpusError) -> Document {
    let bytes: [UInt8]
    do {
      bytes = [UInt8](try Data(contentsOf: file.url))
    } catch {
      throw CorpusError(file: file.relativePath, reason: "cannot read: \(error.localizedDescription)")
    }
    return try document(from: bytes, relativePath: file.relativePath)
  }

  /// Parses a document from its raw bytes (so a caller that hashes the bytes reads them once).
  public func document(from bytes: [UInt8], relativePath: String) throws(CorpusError) -> Document {
    if bytes.isEmpty { throw CorpusError(file: relativePath, reason: "empty file, skipped") }
    let text = String(decoding: bytes, as: UTF8.self)
    var units: [Unit] = []
    var lineNumber = 0
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      lineNumber += 1
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty { continue }
      units.append(
        Unit(
          kind: .section, title: String(trimmed.prefix(20)), headingPath: [], level: 1,
          lineStart: lineNumber, lineEnd: lineNumber, text: trimmed))
    }
    let metadata = DocumentMetadata(
      file: relativePath, title: relativePath, region: "", year: nil, kind: "report")
    return Document(
      metadata: metadata, units: units, citations: Array(repeating: [], count: units.count))
  }
}
