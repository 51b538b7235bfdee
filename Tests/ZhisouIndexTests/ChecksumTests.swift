import CChecksum
import Testing

@testable import ZhisouIndex

@Suite struct ChecksumTests {
  @Test func crc32cMatchesTheStandardCheckValue() {
    #expect(Checksum.crc32c(Array("123456789".utf8)) == 0xE306_9283)
    #expect(Checksum.crc32c([UInt8]()) == 0)
    #expect(Checksum.crc32c([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)  // RFC 3720 B.4
  }

  @Test func theInstructionAndTheTablesAgreeAtEveryLengthAndAlignment() {
    var bytes: [UInt8] = []
    var x: UInt32 = 12345
    for _ in 0..<5000 {
      x = x &* 1_103_515_245 &+ 12345
      bytes.append(UInt8(truncatingIfNeeded: x >> 16))
    }
    bytes.withUnsafeBytes { all in
      for start in 0..<9 {
        for length in [0, 1, 7, 8, 9, 15, 16, 63, 64, 65, 767, 768, 769, 1000, 1536, 1543, 4096, 4980] {
          let part = UnsafeRawBufferPointer(rebasing: all[start..<(start + length)])
          #expect(
            Checksum.crc32c(part) == zs_crc32c_portable(part.baseAddress!, length),
            "start \(start), length \(length)")
        }
      }
    }
  }

  @Test func aRegionInPartsHasTheChecksumOfTheWhole() {
    let bytes = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
    let whole = Checksum.crc32c(bytes)
    for split in [0, 1, 7, 8, 9, 150, 299, 300] {
      #expect(Checksum.crc32c(parts: [Array(bytes[..<split]), Array(bytes[split...])]) == whole)
    }
    #expect(
      Checksum.crc32c(parts: [
        Array(bytes[..<10]), [], Array(bytes[10..<200]), Array(bytes[200...]),
      ]) == whole)
    #expect(Checksum.crc32c(parts: []) == 0)
  }
}
