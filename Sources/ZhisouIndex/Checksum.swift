import CChecksum

/// Checksums of index bytes: CRC-32C over every region of every index file (the CPU's
/// CRC32 instruction makes verifying a region cost little next to reading it), FNV-1a
/// over document contents.
enum Checksum {
  static func crc32c(_ data: UnsafeRawBufferPointer) -> UInt32 {
    guard let base = data.baseAddress else { return 0 }
    return zs_crc32c(base, data.count)
  }

  static func crc32c(_ bytes: [UInt8]) -> UInt32 {
    bytes.withUnsafeBytes { crc32c($0) }
  }

  /// The CRC-32C of `parts` one after the other, as if they were one buffer.
  static func crc32c(parts: [[UInt8]]) -> UInt32 {
    var crc: UInt32 = 0
    for part in parts {
      part.withUnsafeBytes { raw in
        if let base = raw.baseAddress { crc = zs_crc32c_extend(crc, base, raw.count) }
      }
    }
    return crc
  }

  /// FNV-1a 64 of a document's bytes: the content hash incremental builds compare.
  static func fnv1a(_ data: UnsafeRawBufferPointer) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in data { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return h
  }

  static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    bytes.withUnsafeBytes { fnv1a($0) }
  }
}
