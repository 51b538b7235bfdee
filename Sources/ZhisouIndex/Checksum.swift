/// CRC-32 (IEEE, as zlib) over index bytes; every region of every index file is covered.
enum Checksum {
  /// Slicing-by-8 tables: table k maps a byte to its CRC contribution k bytes earlier.
  private static let tables: [[UInt32]] = {
    var t = [[UInt32]](repeating: [UInt32](repeating: 0, count: 256), count: 8)
    for n in 0..<256 {
      var c = UInt32(n)
      for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
      t[0][n] = c
    }
    for n in 0..<256 {
      for k in 1..<8 { t[k][n] = (t[k - 1][n] >> 8) ^ t[0][Int(t[k - 1][n] & 0xFF)] }
    }
    return t
  }()
  private static let flat: [UInt32] = tables.flatMap { $0 }

  static func crc32(_ data: UnsafeRawBufferPointer) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    guard let base = data.baseAddress else { return 0 }
    flat.withUnsafeBufferPointer { t in
      let t = t.baseAddress!
      var p = base
      var n = data.count
      while n >= 8 {
        let lo = p.loadUnaligned(as: UInt32.self).littleEndian ^ c
        let hi = (p + 4).loadUnaligned(as: UInt32.self).littleEndian
        c = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
          ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
          ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
          ^ t[1 * 256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
        p += 8
        n -= 8
      }
      while n > 0 {
        c = t[Int((c ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (c >> 8)
        p += 1
        n -= 1
      }
    }
    return c ^ 0xFFFF_FFFF
  }

  static func crc32(_ bytes: [UInt8]) -> UInt32 {
    bytes.withUnsafeBytes { crc32($0) }
  }

  /// FNV-1a 64 of a document's bytes: the content hash incremental builds compare.
  static func fnv1a(_ data: UnsafeRawBufferPointer) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in data { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return h
  }
}
