#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Reads documents of one corpus directory into units, using its manifest for metadata.
public struct CorpusReader: Sendable {
  /// The corpus directory (where `manifest.json` is looked up).
  public let directory: URL
  /// Problems with the directory's manifest (corrupt JSON …); empty when it was fine or absent.
  public let warnings: [String]
  private let manifest: Manifest

  /// Loads the manifest of `directory` once.
  public init(directory: URL) {
    self.directory = directory
    let loaded = Manifest.load(from: directory)
    self.manifest = loaded.manifest
    self.warnings = loaded.warning.map { [$0] } ?? []
  }

  /// Reads and parses one file.
  public func read(_ file: CorpusFile) throws(CorpusError) -> Document {
    try document(from: try file.readBytes(), relativePath: file.relativePath)
  }

  /// Parses a document from its raw bytes (so a caller that hashes the bytes reads them once).
  public func document(from bytes: [UInt8], relativePath: String) throws(CorpusError) -> Document {
    let rawLines: [String]
    var warnings: [String] = []
    if relativePath.lowercased().hasSuffix(".docx") {
      rawLines = try DocxReader.lines(from: bytes, file: relativePath)
    } else {
      let decoded = try TextDecoder.decode(bytes, file: relativePath)
      rawLines = decoded.lines
      warnings = decoded.warnings
    }
    return Self.parse(lines: rawLines, relativePath: relativePath, metadata: manifest.entries[relativePath], warnings: warnings)
  }

  /// Cleans, finds the structure and extracts citations of already-decoded lines.
  static func parse(
    lines rawLines: [String], relativePath: String, metadata known: DocumentMetadata?, warnings: [String]
  ) -> Document {
    let lines = rawLines.map(LineCleaner.clean)
    let toc = TableOfContentsFilter.scan(lines)
    var metadata = known ?? MetadataInference.infer(file: relativePath, lines: lines)
    metadata.file = relativePath
    var parser = StructureParser(
      lines: lines, toc: toc, documentTitle: metadata.title, isPolicy: metadata.kind == "policy")
    let units = parser.parse()
    let citations = units.map { CitationExtractor.citations(in: $0.text) }
    return Document(metadata: metadata, units: units, citations: citations, warnings: warnings)
  }
}
