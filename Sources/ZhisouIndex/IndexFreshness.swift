import Foundation
import ZhisouCorpus

#if canImport(Glibc)
  import Glibc
#endif

/// Whether an index still describes its corpus, checked cheaply before a search.
///
/// Adding, removing or renaming a document changes its folder's modification time, so
/// only folders modified since the build have their files compared with the index
/// (name, size, time). Documents edited in place are caught by comparing every indexed
/// file's size and time, for corpora of up to `fileCheckLimit` documents; above that
/// (where one `stat` per file would cost a search more than the search itself)
/// `zhisou build` picks them up. A file the index does not know counts only if it is
/// newer than the index: files that failed to read do not force a rebuild per search.
public enum IndexFreshness {
  public static let fileCheckLimit = 2000

  /// True when a document was added, changed or removed since the index was built.
  public static func isStale(_ reader: IndexReader, corpus: URL) -> Bool {
    let generationPath =
      reader.directory + "/" + IndexFormat.generationFile(reader.generationNumber)
    let (_, builtAt) = IndexBuilder.fileStatus(generationPath)
    let root = corpus.path
    if reader.documentCount <= fileCheckLimit {
      for d in 0..<reader.documentCount {
        guard let document = try? reader.documentRecord(d) else { return true }
        if changed(root + "/" + document.metadata.file, from: document) { return true }
      }
    }
    var known = KnownDocuments(reader)
    return folderChanged(root, relative: "", known: &known, since: builtAt, depth: 0)
  }

  /// The indexed documents by file, made only when a folder changed since the build
  /// (the usual search, of an unchanged corpus, needs none: at 1 GB building it was a
  /// fifth of a search process).
  private struct KnownDocuments {
    let reader: IndexReader
    private var byFile: [String: DocumentRecord]? = nil

    init(_ reader: IndexReader) { self.reader = reader }

    var isEmpty: Bool { reader.documentCount == 0 }

    /// The indexed documents by file; nil when a record cannot be read (the index is
    /// damaged: a rebuild is due).
    mutating func lookup() -> [String: DocumentRecord]? {
      if let byFile { return byFile }
      var made: [String: DocumentRecord] = [:]
      made.reserveCapacity(reader.documentCount)
      for d in 0..<reader.documentCount {
        guard let document = try? reader.documentRecord(d) else { return nil }
        made[document.metadata.file] = document
      }
      byFile = made
      return made
    }
  }

  /// Whether a file differs from what the index recorded: by size, or by time when its
  /// bytes differ too (a file rewritten with the same bytes, or its time restored, was
  /// kept by the last build as it was).
  private static func changed(_ path: String, from record: DocumentRecord) -> Bool {
    let (size, modified) = IndexBuilder.fileStatus(path)
    if size != record.byteCount { return true }
    if modified == record.modified { return false }
    guard let data = FileManager.default.contents(atPath: path) else { return true }
    return data.withUnsafeBytes { Checksum.fnv1a($0) } != record.contentHash
  }

  private static func folderChanged(
    _ path: String, relative: String, known: inout KnownDocuments, since builtAt: Int64,
    depth: Int
  ) -> Bool {
    let (size, modified) = IndexBuilder.fileStatus(path)
    if size < 0 { return !known.isEmpty }
    guard depth < 32, let dir = opendir(path) else { return false }
    defer { closedir(dir) }
    let folderModified = modified > builtAt
    var present = 0
    while let entry = readdir(dir) {
      // In a folder unchanged since the build only subfolders matter: no name is made
      // for its files (13 314 of them at 1 GB, a few milliseconds of every search).
      if !folderModified, entry.pointee.d_type != UInt8(DT_DIR) { continue }
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if name.hasPrefix(".") { continue }
      let child = relative.isEmpty ? name : relative + "/" + name
      if entry.pointee.d_type == UInt8(DT_DIR) {
        if folderChanged(
          path + "/" + name, relative: child, known: &known, since: builtAt, depth: depth + 1)
        {
          return true
        }
        continue
      }
      guard folderModified else { continue }
      let ext = (name as NSString).pathExtension.lowercased()
      guard CorpusScanner.documentExtensions.contains(ext), name != "manifest.json" else {
        continue
      }
      let (_, fileModified) = IndexBuilder.fileStatus(path + "/" + name)
      guard let byFile = known.lookup() else { return true }
      if let record = byFile[child] {
        present += 1
        if changed(path + "/" + name, from: record) { return true }
      } else if fileModified > builtAt {
        return true
      }
    }
    if folderModified {
      // A document of this folder that is gone.
      let prefix = relative.isEmpty ? "" : relative + "/"
      guard let byFile = known.lookup() else { return true }
      let expected = byFile.keys.filter { key in
        key.hasPrefix(prefix) && !key.dropFirst(prefix.count).contains("/")
      }.count
      if expected != present { return true }
    }
    return false
  }
}
