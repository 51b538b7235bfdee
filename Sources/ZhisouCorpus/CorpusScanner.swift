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
  /// files) come back as one-line warnings naming the path. Documents that cannot be
  /// handed to a reader at all (a file or folder name that is not UTF-8) come back as
  /// `failures`: they are documents the user meant to index. `folders` are the relative
  /// paths of the subfolders walked, sorted.
  public static func scan(_ directory: URL) -> (
    files: [CorpusFile], folders: [String], warnings: [String], failures: [String]
  ) {
    var walk = Walk()
    let root = directory.resolvingSymlinksInPath()
    walk.visited.insert(FilePathKey(root.path))
    walk.walk(root, prefix: "", isRoot: true)
    walk.files.sort { FilePathKey($0.relativePath) < FilePathKey($1.relativePath) }
    return (walk.files, walk.folders.sorted(), walk.warnings, walk.failures)
  }

  /// The names in folder `path` as the file system holds them (bytes: a name need not be
  /// UTF-8, and Foundation's listing replaces what is not), `.` and `..` included; nil
  /// when it cannot be read.
  private static func entryNames(_ path: String) -> [[UInt8]]? {
    guard let dir = opendir(path) else { return nil }
    defer { closedir(dir) }
    var names: [[UInt8]] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        Array(raw.prefix { $0 != 0 })
      }
      names.append(name)
    }
    return names
  }

  /// Whether a file name ends with one of `documentExtensions` (ASCII, any case).
  private static func hasDocumentExtension(_ name: [UInt8]) -> Bool {
    guard let dot = name.lastIndex(of: UInt8(ascii: ".")) else { return false }
    return documentExtensions.contains(
      String(decoding: name[(dot + 1)...], as: UTF8.self).lowercased())
  }

  /// A name that is not UTF-8 as one line can show it: ASCII as is, other bytes as `\xHH`,
  /// and what it reads as in GBK (Windows' Chinese code page, where such names come from)
  /// when it is valid GB18030.
  private static func describe(_ name: [UInt8], prefix: String) -> String {
    var shown = prefix.isEmpty ? "" : prefix + "/"
    for byte in name {
      if byte >= 0x20 && byte < 0x7F {
        shown.append(Character(Unicode.Scalar(byte)))
      } else {
        let hex = String(byte, radix: 16, uppercase: true)
        shown += "\\x" + (hex.count == 1 ? "0" : "") + hex
      }
    }
    if let gbk = TextDecoder.convertGB18030(name[...]) { shown += " (in GBK: \(gbk))" }
    return shown
  }

  /// Whether `name` in folder `directory` is a folder (following symbolic links).
  private static func isFolder(_ directory: String, _ name: [UInt8]) -> Bool {
    let path = Array(directory.utf8) + [UInt8(ascii: "/")] + name + [0]
    var info = stat()
    let found = path.withUnsafeBufferPointer { p in
      p.withMemoryRebound(to: CChar.self) { stat($0.baseAddress!, &info) == 0 }
    }
    return found && info.st_mode & S_IFMT == S_IFDIR
  }

  /// One walk's findings.
  private struct Walk {
    var files: [CorpusFile] = []
    var folders: [String] = []
    var warnings: [String] = []
    var failures: [String] = []
    var visited: Set<FilePathKey> = []

    mutating func walk(_ directory: URL, prefix: String, isRoot: Bool) {
      guard let entries = entryNames(directory.path) else {
        warnings.append("\(isRoot ? directory.path : prefix): cannot read folder, skipped")
        return
      }
      var names: [String] = []
      // Hidden names (`.`, `..` among them) are skipped.
      for bytes in entries where bytes.first != UInt8(ascii: ".") {
        if let name = String(validating: bytes, as: UTF8.self) {
          names.append(name)
          continue
        }
        let rename = "rename it to UTF-8, e.g. convmv -f gbk -t utf-8 -r --notest <corpus>"
        if isFolder(directory.path, bytes) {
          failures.append(
            "\(describe(bytes, prefix: prefix)): folder name is not UTF-8, so its documents are not indexed; \(rename)"
          )
        } else if hasDocumentExtension(bytes) {
          failures.append(
            "\(describe(bytes, prefix: prefix)): file name is not UTF-8, so it is not indexed; \(rename)"
          )
        } else {
          warnings.append(
            "\(describe(bytes, prefix: prefix)): skipped: not a .txt, .md or .docx document")
        }
      }
      for name in names.sorted() {
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
          walk(url, prefix: relative, isRoot: false)
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
