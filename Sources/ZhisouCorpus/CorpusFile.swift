#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// A file found in a corpus directory.
public struct CorpusFile: Sendable, Equatable {
  /// Path relative to the corpus directory, `/`-separated.
  public var relativePath: String
  /// Where the file is.
  public var url: URL

  public init(relativePath: String, url: URL) {
    self.relativePath = relativePath
    self.url = url
  }

  /// The file's bytes; a failure names the file and the system's reason.
  public func readBytes() throws(CorpusError) -> [UInt8] {
    func failure() -> CorpusError {
      CorpusError(file: relativePath, reason: "cannot read: \(String(cString: strerror(errno)))")
    }
    let fd = open(url.path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw failure() }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw failure() }
    // The size is a first guess: a file that grows while it is read is read to its end.
    var bytes = [UInt8](repeating: 0, count: max(Int(info.st_size), 0) + 1)
    var count = 0
    while true {
      if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: bytes.count)) }
      let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw failure()
      }
      if n == 0 { break }
      count += n
    }
    bytes.removeLast(bytes.count - count)
    return bytes
  }
}
