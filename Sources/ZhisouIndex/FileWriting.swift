#if canImport(Glibc)
  import Glibc
#endif

/// Durable file writes for the commit protocol: write, fsync, rename, fsync the directory.
enum FileWriting {
  /// Writes `parts` to `path` and fsyncs the file.
  static func write(path: String, parts: [[UInt8]]) throws(IndexError) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw .io(path: path, what: String(cString: strerror(errno))) }
    defer { close(fd) }
    for part in parts {
      var written = 0
      while written < part.count {
        let n = part.withUnsafeBytes { raw in
          Glibc.write(fd, raw.baseAddress! + written, part.count - written)
        }
        if n < 0 {
          if errno == EINTR { continue }
          throw .io(path: path, what: String(cString: strerror(errno)))
        }
        written += n
      }
    }
    guard fsync(fd) == 0 else { throw .io(path: path, what: String(cString: strerror(errno))) }
  }

  /// Creates the directory `path` and any missing parents (`mkdir -p`).
  static func createDirectory(_ path: String) throws(IndexError) {
    var prefix = path.hasPrefix("/") ? "/" : ""
    for part in path.split(separator: "/") {
      prefix += part
      if mkdir(prefix, 0o755) != 0, errno != EEXIST {
        throw .io(path: prefix, what: String(cString: strerror(errno)))
      }
      prefix += "/"
    }
    var info = stat()
    guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
      throw .io(path: path, what: "not a directory")
    }
  }

  /// Atomically replaces `path` with `bytes` (temp file in the same directory, fsync, rename).
  static func replace(path: String, bytes: [UInt8]) throws(IndexError) {
    let temporary = path + ".tmp"
    try write(path: temporary, parts: [bytes])
    guard rename(temporary, path) == 0 else {
      throw .io(path: path, what: String(cString: strerror(errno)))
    }
    syncDirectory(of: path)
  }

  static func syncDirectory(of path: String) {
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
    let fd = open(directory, O_RDONLY | O_DIRECTORY)
    if fd >= 0 {
      fsync(fd)
      close(fd)
    }
  }
}
