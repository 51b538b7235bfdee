/// A bounds-checked cursor over bytes of a mapped index file. Every read that would
/// leave the region throws the corrupt-index error naming the file, so damaged data
/// can never crash a reader or be read past its end.
@usableFromInline struct ByteReader {
  @usableFromInline let base: UnsafeRawBufferPointer
  var offset: Int
  let file: String

  init(_ base: UnsafeRawBufferPointer, offset: Int = 0, file: String) {
    self.base = base
    self.offset = offset
    self.file = file
  }

  /// Bytes left from `offset` (0 when `offset` lies outside the region).
  var remaining: Int { offset >= 0 && offset <= base.count ? base.count - offset : 0 }
  var isAtEnd: Bool { offset >= base.count }

  func corrupt(_ what: String) -> IndexError { .corrupt(file: file, what: what) }

  @inline(__always)
  mutating func u8() throws(IndexError) -> UInt8 {
    guard offset >= 0, offset < base.count else {
      throw corrupt("unexpected end of data at byte \(offset)")
    }
    let v = base[offset]
    offset += 1
    return v
  }

  @inline(__always)
  mutating func varint() throws(IndexError) -> UInt64 {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      guard offset >= 0, offset < base.count else {
        throw corrupt("unexpected end of data at byte \(offset)")
      }
      let b = base[offset]
      offset += 1
      result |= UInt64(b & 0x7F) << shift
      if b < 0x80 { return result }
      shift += 7
      if shift > 63 { throw corrupt("bad variable-length integer at byte \(offset)") }
    }
  }

  /// Moves past `count` varints without decoding them (false when the region ends
  /// first): each ends at a byte below 0x80, and those are counted eight bytes at a time.
  @inline(__always)
  mutating func skipVarints(_ count: Int) -> Bool {
    guard offset >= 0 else { return count == 0 }
    var left = count
    while left >= 8, base.count - offset >= 8 {
      let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
      left -= (~word & 0x8080_8080_8080_8080).nonzeroBitCount
      offset += 8
    }
    while left > 0 {
      guard offset < base.count else { return false }
      if base[offset] < 0x80 { left -= 1 }
      offset += 1
    }
    return true
  }

  /// A varint that must fit `limit` (exclusive) — lengths, counts and ids.
  @inline(__always)
  mutating func int(below limit: Int = Int(Int32.max)) throws(IndexError) -> Int {
    let v = try varint()
    guard v < UInt64(limit) else { throw corrupt("value \(v) out of range at byte \(offset)") }
    return Int(v)
  }

  mutating func u32() throws(IndexError) -> UInt32 {
    guard remaining >= 4 else { throw corrupt("unexpected end of data at byte \(offset)") }
    let v = base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
    offset += 4
    return UInt32(littleEndian: v)
  }

  mutating func u64() throws(IndexError) -> UInt64 {
    guard remaining >= 8 else { throw corrupt("unexpected end of data at byte \(offset)") }
    let v = base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
    offset += 8
    return UInt64(littleEndian: v)
  }

  /// A fixed 64-bit offset or length that must fit `limit` (inclusive).
  mutating func u64(atMost limit: Int) throws(IndexError) -> Int {
    let v = try u64()
    guard limit >= 0, v <= UInt64(limit) else {
      throw corrupt("value \(v) out of range at byte \(offset)")
    }
    return Int(v)
  }

  mutating func bytes(_ n: Int) throws(IndexError) -> UnsafeRawBufferPointer {
    guard n >= 0, offset >= 0, offset <= base.count, remaining >= n else {
      throw corrupt("length \(n) runs past the end at byte \(offset)")
    }
    let slice = UnsafeRawBufferPointer(rebasing: base[offset..<(offset + n)])
    offset += n
    return slice
  }

  mutating func string() throws(IndexError) -> String {
    let n = try int(below: base.count + 1)
    let raw = try bytes(n)
    return String(decoding: raw, as: UTF8.self)
  }

  /// Moves past a string without decoding it.
  mutating func skipString() throws(IndexError) {
    _ = try bytes(try int(below: base.count + 1))
  }

  /// A sub-reader over the next `n` bytes.
  func sub(_ start: Int, _ n: Int) throws(IndexError) -> ByteReader {
    guard start >= 0, n >= 0, start <= base.count, base.count - start >= n else {
      throw corrupt("section \(start)+\(n) outside the file (\(base.count) bytes)")
    }
    return ByteReader(UnsafeRawBufferPointer(rebasing: base[start..<(start + n)]), file: file)
  }
}
