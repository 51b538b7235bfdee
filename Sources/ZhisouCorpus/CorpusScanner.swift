#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// Lists the documents of a corpus directory (recursively, in a stable order).
public enum CorpusScanner {
  /// File name extensions that are read as documents.
  public static let documentExtensions: Set<String> = ["txt", "md", "docx"]

  /// Finds candidate documents under `directory`, sorted by relative path; hidden files and
  /// `manifest.json` are skipped. Problems (unreadable folders, symlink loops, unsupported
  /// files) come back as one-line warnings naming the path. `folders` are the relative
  /// paths of the subfolders walked, sorted.
  public static func scan(_ directory: URL) -> (
    files: [CorpusFile], folders: [String], warnings: [String]
  ) {
    var files: [CorpusFile] = []
    var folders: [String] = []
    var warnings: [String] = []
    var visited: Set<FilePathKey> = []
    let root = directory.resolvingSymlinksInPath()
    visited.insert(FilePathKey(root.path))
    walk(
      root, prefix: "", files: &files, folders: &folders, warnings: &warnings,
      visited: &visited, isRoot: true)
    files.sort { FilePathKey($0.relativePath) < FilePathKey($1.relativePath) }
    return (files, folders.sorted(), warnings)
  }

  private static func walk(
    _ directory: URL, prefix: String, files: inout [CorpusFile], folders: inout [String],
    warnings: inout [String], visited: inout Set<FilePathKey>, isRoot: Bool
  ) {
    let fm = FileManager.default
    let names: [String]
    do {
      names = try fm.contentsOfDirectory(atPath: directory.path)
    } catch {
      warnings.append("\(isRoot ? directory.path : prefix): cannot read folder, skipped")
      return
    }
    for name in names.sorted() {
      if name.hasPrefix(".") { continue }
      if isRoot && name == "manifest.json" { continue }
      let url = directory.appendingPathComponent(name)
      let relative = prefix.isEmpty ? name : "\(prefix)/\(name)"
      // stat follows symbolic links, as a reader of the file would.
      var info = stat()
      guard stat(url.path, &info) == 0 else {
        warnings.append("\(relative): broken link or vanished file, skipped")
        continue
      }
      if info.st_mode & S_IFMT == S_IFDIR {
        let real = url.resolvingSymlinksInPath().path
        if !visited.insert(FilePathKey(real)).inserted {
          warnings.append("\(relative): folder already visited (symlink loop?), skipped")
          continue
        }
        folders.append(relative)
        walk(
          url, prefix: relative, files: &files, folders: &folders, warnings: &warnings,
          visited: &visited, isRoot: false)
        continue
      }
      if documentExtensions.contains(url.pathExtension.lowercased()) {
        if let kind = specialFileKind(url.path) {
          warnings.append("\(relative): skipped: not a regular file (\(kind))")
          continue
        }
        files.append(CorpusFile(relativePath: relative, url: url))
      } else {
        warnings.append("\(relative): skipped: not a .txt, .md or .docx document")
      }
    }
  }

  /// What kind of special file `path` is (a named pipe would block a reader forever), or
  /// nil for a regular file.
  private static func specialFileKind(_ path: String) -> String? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }  // the reader names the failure
    switch info.st_mode & S_IFMT {
    case S_IFREG: return nil
    case S_IFIFO: return "a named pipe"
    case S_IFSOCK: return "a socket"
    case S_IFCHR, S_IFBLK: return "a device"
    default: return "a special file"
    }
  }
}
