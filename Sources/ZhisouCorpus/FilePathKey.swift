/// A file path compared byte for byte, for maps and sets of corpus files.
///
/// Swift strings are equal when canonically equivalent (豈 U+F900 and 豈 U+8C48, `é`
/// composed and decomposed), but a file system keeps such names apart as two files: keyed
/// by `String`, one of them would shadow the other.
public struct FilePathKey: Hashable, Sendable, Comparable {
  /// The path's UTF-8 bytes.
  public let bytes: [UInt8]

  public init(_ path: String) { bytes = Array(path.utf8) }

  /// Byte order, which is code point order: the same as `String`'s for normalized names.
  public static func < (a: FilePathKey, b: FilePathKey) -> Bool {
    a.bytes.lexicographicallyPrecedes(b.bytes)
  }

  /// Whether the path lies directly in folder `prefix` (which ends with `/`, or is empty
  /// for the corpus root).
  public func isDirectly(in prefix: FilePathKey) -> Bool {
    bytes.count > prefix.bytes.count && bytes.starts(with: prefix.bytes)
      && !bytes[prefix.bytes.count...].contains(UInt8(ascii: "/"))
  }
}
