/// An append-only byte buffer with the integer encodings of the index format
/// (little-endian fixed widths, LEB128 variable-length integers, length-prefixed strings).
struct ByteWriter {
  var bytes: [UInt8] = []

  var count: Int { bytes.count }

  mutating func reserve(_ n: Int) { bytes.reserveCapacity(n) }

  @inline(__always)
  mutating func varint<T: BinaryInteger>(_ value: T) {
    var v = UInt64(value)
    while v >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
      v >>= 7
    }
    bytes.append(UInt8(v))
  }

  mutating func u8(_ v: UInt8) { bytes.append(v) }

  mutating func u32(_ v: UInt32) {
    withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
  }

  mutating func u64(_ v: UInt64) {
    withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
  }

  mutating func string(_ s: String) {
    varint(s.utf8.count)
    bytes.append(contentsOf: s.utf8)
  }

  mutating func raw<C: Collection>(_ data: C) where C.Element == UInt8 {
    bytes.append(contentsOf: data)
  }

  mutating func raw(_ data: [UInt8]) {
    bytes.append(contentsOf: data)
  }

  mutating func patchU32(at offset: Int, _ v: UInt32) {
    withUnsafeBytes(of: v.littleEndian) { raw in
      for i in 0..<4 { bytes[offset + i] = raw[i] }
    }
  }
}
