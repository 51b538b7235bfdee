/// Why an index cannot be used; each message says what to do about it.
public enum IndexError: Error, CustomStringConvertible, Sendable, Equatable {
  /// No index has been built in this directory yet.
  case missing(directory: String)
  /// A file is truncated, damaged or inconsistent.
  case corrupt(file: String, what: String)
  /// A file was written by another version of the format.
  case unsupportedVersion(file: String, found: UInt32, expected: UInt32)
  /// Another build holds the index lock.
  case locked(directory: String)
  /// Writing failed (disk full, permissions, …).
  case io(path: String, what: String)

  public var description: String {
    switch self {
    case .missing(let directory):
      return "no index in \(directory); build it with zhisou build"
    case .corrupt(let file, let what):
      return "index is corrupt: \(file): \(what); rebuild with zhisou build --full"
    case .unsupportedVersion(let file, let found, let expected):
      return
        "index format version \(found) in \(file) is not supported (this zhisou reads version \(expected)); rebuild with zhisou build --full"
    case .locked(let directory):
      return "another zhisou build is running on \(directory); try again when it has finished"
    case .io(let path, let what):
      return "cannot write \(path): \(what)"
    }
  }
}
