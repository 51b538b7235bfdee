import CZlib

/// The entries of a zip archive (a `.docx` is one), read from its bytes: the central
/// directory at the end names every entry, and an entry is inflated only when asked for.
/// Every offset and size is bounds-checked; what this reader cannot read (encrypted
/// entries, zip64, methods other than stored and deflate) is an error, not a guess.
struct ZipArchive {
  /// Why an archive or one of its entries cannot be read.
  struct Failure: Error, Equatable {
    var reason: String
    init(_ reason: String) { self.reason = reason }
  }

  private struct Entry {
    var method: Int
    var flags: Int
    var crc: UInt32
    var compressedSize: Int
    var uncompressedSize: Int
    var localHeaderOffset: Int
  }

  /// An entry larger than this when inflated is refused (a `document.xml` of 200 MB
  /// would already be a book of ~60 million characters).
  static let maximumEntrySize = 256 << 20

  private let bytes: [UInt8]
  private var entries: [String: Entry] = [:]

  init(_ bytes: [UInt8]) throws(Failure) {
    self.bytes = bytes
    // The end-of-central-directory record: 22 bytes, then a comment of up to 65 535.
    let minimum = 22
    guard bytes.count >= minimum else { throw Failure("too short for a zip archive") }
    var end = -1
    var at = bytes.count - minimum
    let lowest = max(0, bytes.count - minimum - 0xFFFF)
    while at >= lowest {
      if u32(at) == 0x0605_4B50 {
        end = at
        break
      }
      at -= 1
    }
    guard end >= 0 else { throw Failure("no zip end-of-central-directory record") }
    let count = u16(end + 10)
    let directorySize = Int(u32(end + 12))
    let directoryOffset = Int(u32(end + 16))
    guard count != 0xFFFF, directoryOffset != 0xFFFF_FFFF else {
      throw Failure("zip64 archives are not supported")
    }
    guard directoryOffset + directorySize <= end else {
      throw Failure("the central directory lies outside the archive")
    }
    var p = directoryOffset
    for _ in 0..<count {
      guard p + 46 <= end, u32(p) == 0x0201_4B50 else {
        throw Failure("a central directory entry is damaged")
      }
      let nameLength = u16(p + 28)
      let extraLength = u16(p + 30)
      let commentLength = u16(p + 32)
      guard p + 46 + nameLength <= end else {
        throw Failure("an entry name runs past the directory")
      }
      let name = String(decoding: bytes[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
      let entry = Entry(
        method: u16(p + 10), flags: u16(p + 8), crc: u32(p + 16),
        compressedSize: Int(u32(p + 20)), uncompressedSize: Int(u32(p + 24)),
        localHeaderOffset: Int(u32(p + 42)))
      if entries[name] == nil { entries[name] = entry }
      p += 46 + nameLength + extraLength + commentLength
    }
  }

  /// The inflated bytes of the entry `name`, nil when the archive has none.
  func contents(of name: String) throws(Failure) -> [UInt8]? {
    guard let entry = entries[name] else { return nil }
    guard entry.flags & 1 == 0 else { throw Failure("\(name) is encrypted") }
    guard entry.compressedSize != 0xFFFF_FFFF, entry.uncompressedSize != 0xFFFF_FFFF else {
      throw Failure("zip64 entries are not supported")
    }
    guard entry.uncompressedSize <= Self.maximumEntrySize else {
      throw Failure("\(name) is larger than \(Self.maximumEntrySize >> 20) MB inflated")
    }
    // DEFLATE cannot expand data more than 1 032 times: a larger claim is a lie, and the
    // output buffer it asks for is never allocated.
    guard entry.uncompressedSize <= entry.compressedSize * 1032 + 64 else {
      throw Failure(
        "\(name) claims to inflate \(entry.compressedSize) bytes to \(entry.uncompressedSize)")
    }
    // The local header repeats the name and has its own extra field; the sizes are the
    // central directory's (a streamed archive leaves the local ones zero).
    let local = entry.localHeaderOffset
    guard local + 30 <= bytes.count, u32(local) == 0x0403_4B50 else {
      throw Failure("the local header of \(name) is damaged")
    }
    let start = local + 30 + u16(local + 26) + u16(local + 28)
    guard start + entry.compressedSize <= bytes.count else {
      throw Failure("\(name) runs past the end of the archive")
    }
    // One byte more than declared for an empty entry: zlib wants somewhere to write.
    var output = [UInt8](repeating: 0, count: max(entry.uncompressedSize, 1))
    switch entry.method {
    case 0:
      guard entry.compressedSize == entry.uncompressedSize else {
        throw Failure("\(name) is stored with two different sizes")
      }
      output.replaceSubrange(
        0..<entry.uncompressedSize, with: bytes[start..<(start + entry.compressedSize)])
    case 8:
      let written = bytes.withUnsafeBufferPointer { input in
        output.withUnsafeMutableBufferPointer { out in
          zs_inflate_raw(
            input.baseAddress! + start, entry.compressedSize, out.baseAddress, out.count)
        }
      }
      guard written == entry.uncompressedSize else {
        throw Failure("\(name) does not inflate to its declared size (damaged data)")
      }
    default:
      throw Failure("\(name) uses compression method \(entry.method), not stored or deflate")
    }
    output.removeLast(output.count - entry.uncompressedSize)
    let crc = output.withUnsafeBufferPointer { zs_crc32($0.baseAddress, $0.count) }
    guard crc == entry.crc else { throw Failure("\(name) fails its CRC-32") }
    return output
  }

  private func u16(_ at: Int) -> Int {
    Int(bytes[at]) | Int(bytes[at + 1]) << 8
  }

  private func u32(_ at: Int) -> UInt32 {
    UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16
      | UInt32(bytes[at + 3]) << 24
  }
}
