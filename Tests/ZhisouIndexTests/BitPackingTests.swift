import Testing

@testable import ZhisouIndex

/// The postings blocks' bit packing: what is packed reads back, at every width and block
/// size, and a cut-off or impossible run is reported as a corrupt index.
@Suite struct BitPackingTests {
  private func values(count: Int, width: Int, seed: UInt64) -> [UInt32] {
    var x = seed
    let mask: UInt64 = width == 0 ? 0 : (1 << width) - 1
    return (0..<count).map { k in
      x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      // The last value reaches the full width, so the packed width is exactly `width`.
      return UInt32(k == count - 1 ? mask : (x >> 20) & mask)
    }
  }

  @Test func everyWidthAndCountReadsBack() throws {
    for width in 0...32 {
      for count in [1, 2, 7, 8, 9, 63, 127, 128] {
        let original = values(count: count, width: width, seed: UInt64(width * 1000 + count))
        var out = ByteWriter()
        original.withUnsafeBufferPointer { BitPacking.pack($0, into: &out) }
        #expect(out.count == 1 + BitPacking.byteCount(count: count, width: width))
        #expect(Int(out.bytes[0]) == width)
        var decoded = [UInt32](repeating: 7, count: count)
        try out.bytes.withUnsafeBytes { raw in
          var r = ByteReader(raw, file: "test")
          try decoded.withUnsafeMutableBufferPointer { buffer in
            try BitPacking.unpack(from: &r, maxWidth: 32, into: buffer)
          }
          #expect(r.isAtEnd)
        }
        #expect(decoded == original, "width \(width), count \(count)")
      }
    }
  }

  @Test func aCutOffRunOrAnImpossibleWidthIsCorrupt() {
    let original = values(count: 128, width: 11, seed: 3)
    var out = ByteWriter()
    original.withUnsafeBufferPointer { BitPacking.pack($0, into: &out) }
    for bytes in [Array(out.bytes.dropLast()), [UInt8(40)] + out.bytes.dropFirst(), []] {
      var decoded = [UInt32](repeating: 0, count: 128)
      #expect(throws: IndexError.self) {
        try bytes.withUnsafeBytes { raw in
          var r = ByteReader(raw, file: "test")
          try decoded.withUnsafeMutableBufferPointer { buffer in
            try BitPacking.unpack(from: &r, maxWidth: 31, into: buffer)
          }
        }
      }
    }
  }
}
