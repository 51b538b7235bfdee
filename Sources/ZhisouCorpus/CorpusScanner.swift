import Foundation

/// A file found in a corpus directory.
public struct CorpusFile: Sendable, Equatable {
  /// Path relative to the corpus directory, `/`-separated.
  public var relativePath: String
  public var url: URL

  public init(relativePath: String, url: URL) {
    self.relativePath = relativePath
    self.url = url
  }
}

/// Lists the documents of a corpus directory (recursively, in a stable order).
public enum CorpusScanner {
  /// File name extensions that are read as documents.
  public static let documentExtensions: Set<String> = ["txt", "md", "docx"]

  /// Finds candidate documents under `directory`; problems (unreadable folders,
  /// symlink loops, unsupported files) come back as one-line warnings.
  public static func scan(_ directory: URL) -> (files: [CorpusFile], warnings: [String]) {
    var files: [CorpusFile] = []
    var warnings: [String] = []
    let fm = FileManager.default
    guard
      let items = try? fm.contentsOfDirectory(
        at: directory, includingPropertiesForKeys: [.isDirectoryKey])
    else {
      return ([], ["cannot read corpus directory \(directory.path)"])
    }
    for url in items.sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) {
      let name = url.lastPathComponent
      if name.hasPrefix(".") || name == "manifest.json" { continue }
      let ext = url.pathExtension.lowercased()
      if documentExtensions.contains(ext) {
        files.append(CorpusFile(relativePath: name, url: url))
      } else {
        warnings.append("\(name): skipped: not a .txt, .md or .docx document")
      }
    }
    return (files, warnings)
  }
}
