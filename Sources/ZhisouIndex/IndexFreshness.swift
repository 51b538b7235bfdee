import ZhisouCorpus

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

#if canImport(Glibc)
  import Glibc
#endif

/// Whether an index still describes its corpus, checked cheaply before a search.
///
/// Adding, removing or renaming a document or a subfolder changes its folder's
/// modification time. The index records the folders its build walked, so a search
/// `stat`s those and lists only the ones modified since the build (name, size, time of
/// their files against the index); a folder that appeared or vanished means a rebuild.
/// Documents edited in place are caught by comparing every indexed file's size and
/// time, for corpora of up to `fileCheckLimit` documents; above that (where one `stat`
/// per file would cost a search more than the search itself) `zhisou build` picks them
/// up. A file the index does not know counts only if it is newer than the index: files
/// that failed to read do not force a rebuild per search.
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
        let path = root + "/" + document.metadata.file
        if changed(path, IndexBuilder.fileStatus(path), from: document) { return true }
      }
    }
    var known = KnownDocuments(reader)
    let folders = Set(reader.corpusFolders.map(FilePathKey.init))
    for folder in [""] + reader.corpusFolders {
      let path = folder.isEmpty ? root : root + "/" + folder
      let (size, modified) = IndexBuilder.fileStatus(path)
      if size < 0 { return folder.isEmpty ? reader.documentCount > 0 : true }
      if modified > builtAt,
        folderChanged(path, relative: folder, folders: folders, known: &known, since: builtAt)
      {
        return true
      }
    }
    return false
  }

  /// The indexed documents by file, made only when a folder changed since the build
  /// (the usual search, of an unchanged corpus, needs none: at 1 GB building it was a
  /// fifth of a search process).
  private struct KnownDocuments {
    let reader: IndexReader
    private var byFile: [FilePathKey: DocumentRecord]? = nil

    init(_ reader: IndexReader) { self.reader = reader }

    /// The indexed documents by file; nil when a record cannot be read (the index is
    /// damaged: a rebuild is due).
    mutating func lookup() -> [FilePathKey: DocumentRecord]? {
      if let byFile { return byFile }
      var made: [FilePathKey: DocumentRecord] = [:]
      made.reserveCapacity(reader.documentCount)
      for d in 0..<reader.documentCount {
        guard let document = try? reader.documentRecord(d) else { return nil }
        made[FilePathKey(document.metadata.file)] = document
      }
      byFile = made
      return made
    }
  }

  /// Whether a file differs from what the index recorded: by size, or by time when its
  /// bytes differ too (a file rewritten with the same bytes, or its time restored, was
  /// kept by the last build as it was).
  private static func changed(
    _ path: String, _ status: (size: Int, modified: Int64), from record: DocumentRecord
  ) -> Bool {
    let (size, modified) = status
    if size != record.byteCount { return true }
    if modified == record.modified { return false }
    guard let data = FileManager.default.contents(atPath: path) else { return true }
    return data.withUnsafeBytes { Checksum.fnv1a($0) } != record.contentHash
  }

  /// Whether folder `path` (modified since the build) lost, gained or changed a
  /// document or gained a subfolder the build did not walk.
  private static func folderChanged(
    _ path: String, relative: String, folders: Set<FilePathKey>, known: inout KnownDocuments,
    since builtAt: Int64
  ) -> Bool {
    guard let dir = opendir(path) else { return false }
    defer { closedir(dir) }
    var present = 0
    while let entry = readdir(dir) {
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if name.hasPrefix(".") { continue }
      let child = relative.isEmpty ? name : relative + "/" + name
      var info = stat()
      guard stat(path + "/" + name, &info) == 0 else { continue }
      let status = IndexBuilder.fileStatus(info)
      if info.st_mode & S_IFMT == S_IFDIR {
        if !folders.contains(FilePathKey(child)) { return true }
        continue
      }
      let ext = name.lastIndex(of: ".").map { name[name.index(after: $0)...].lowercased() } ?? ""
      guard CorpusScanner.documentExtensions.contains(ext),
        !(relative.isEmpty && name == "manifest.json")
      else { continue }
      guard let byFile = known.lookup() else { return true }
      if let record = byFile[FilePathKey(child)] {
        present += 1
        if changed(path + "/" + name, status, from: record) { return true }
      } else if status.modified > builtAt {
        return true
      }
    }
    // A document of this folder that is gone.
    guard let byFile = known.lookup() else { return true }
    let prefix = FilePathKey(relative.isEmpty ? "" : relative + "/")
    let expected = byFile.keys.filter { $0.isDirectly(in: prefix) }.count
    return expected != present
  }
}
