/// Frame-of-reference bit packing for postings blocks: a run of small integers stored at
/// one bit width, least significant bits first, as a `u8` width then the packed bytes.
/// Term frequencies are mostly 1 (a width of 0 or 1 bit instead of a byte each) and unit
/// gaps of a block share a magnitude, which is where varints waste most.
enum BitPacking {
  /// The bits needed for the largest of `values` (0 when all are 0).
  static func width(_ values: UnsafeBufferPointer<UInt32>) -> Int {
    var all: UInt32 = 0
    for v in values { all |= v }
    return UInt32.bitWidth - all.leadingZeroBitCount
  }

  /// Bytes that `count` values of `width` bits take.
  static func byteCount(count: Int, width: Int) -> Int { (count * width + 7) / 8 }

  /// Appends the width byte and `values` packed at that width.
  static func pack(_ values: UnsafeBufferPointer<UInt32>, into out: inout ByteWriter) {
    let w = width(values)
    out.u8(UInt8(w))
    guard w > 0 else { return }
    var accumulator: UInt64 = 0
    var bits = 0
    for v in values {
      accumulator |= UInt64(v) << bits
      bits += w
      while bits >= 8 {
        out.u8(UInt8(truncatingIfNeeded: accumulator))
        accumulator >>= 8
        bits -= 8
      }
    }
    if bits > 0 { out.u8(UInt8(truncatingIfNeeded: accumulator)) }
  }

  /// Reads a width byte (at most `maxWidth`) and `out.count` values packed at it.
  static func unpack(
    from r: inout ByteReader, maxWidth: Int, into out: UnsafeMutableBufferPointer<UInt32>
  ) throws(IndexError) {
    let (packed, w) = try packedValues(from: &r, count: out.count, maxWidth: maxWidth)
    unpack(packed, width: w, into: out)
  }

  /// Reads a width byte (at most `maxWidth`) and returns the bytes of `count` values
  /// packed at it, unread, with the width: for values that may never be needed.
  static func packedValues(from r: inout ByteReader, count: Int, maxWidth: Int)
    throws(IndexError) -> (packed: UnsafeRawBufferPointer, width: Int)
  {
    let w = Int(try r.u8())
    guard w <= maxWidth else { throw r.corrupt("bit width \(w) out of range at byte \(r.offset)") }
    return (try r.bytes(byteCount(count: count, width: w)), w)
  }

  /// Unpacks `out.count` values of `width` bits from `packed` (as `packedValues` gave).
  static func unpack(
    _ packed: UnsafeRawBufferPointer, width w: Int, into out: UnsafeMutableBufferPointer<UInt32>
  ) {
    guard w > 0 else {
      out.update(repeating: 0)
      return
    }
    let mask = (UInt64(1) << w) - 1
    // A value spans at most 5 bytes (32 + 7 bits): while 8 bytes remain from its first
    // byte, one unaligned load and a shift extract it.
    var k = 0
    while k < out.count {
      let bit = k * w
      let byte = bit >> 3
      if byte + 8 > packed.count { break }
      let word = UInt64(littleEndian: packed.loadUnaligned(fromByteOffset: byte, as: UInt64.self))
      out[k] = UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
      k += 1
    }
    // The last few values: bytes assembled one at a time.
    while k < out.count {
      let bit = k * w
      var word: UInt64 = 0
      for i in 0..<min(8, packed.count - (bit >> 3)) {
        word |= UInt64(packed[(bit >> 3) + i]) << (8 * i)
      }
      out[k] = UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
      k += 1
    }
  }
}
