import CICU

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Turns a text file's bytes into lines, detecting its encoding.
///
/// Supported: UTF-8 (with or without BOM), UTF-16 LE/BE with BOM, and GB18030/GBK
/// (detected when the bytes are not UTF-8 but convert strictly as GB18030).
/// Lines are split on LF only (a trailing CR is dropped), so line numbers match
/// what editors and `wc -l` count in the source file.
enum TextDecoder {
  /// The decoded lines and the encoding that was used.
  struct Decoded {
    var lines: [String]
    var encoding: String
    var warnings: [String]
  }

  /// Decodes `bytes`, or throws when they are empty, whitespace only, or binary.
  static func decode(_ bytes: [UInt8], file: String) throws(CorpusError) -> Decoded {
    if bytes.isEmpty { throw CorpusError(file: file, reason: "empty file, skipped") }
    if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE {
      return try checked(decodeUTF16(bytes.dropFirst(2), bigEndian: false), "UTF-16LE", file)
    }
    if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF {
      return try checked(decodeUTF16(bytes.dropFirst(2), bigEndian: true), "UTF-16BE", file)
    }
    if let kind = binaryKind(bytes) {
      throw CorpusError(file: file, reason: "binary content (\(kind)), not a text document, skipped")
    }
    var body = bytes[...]
    var encoding = "UTF-8"
    if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
      body = bytes.dropFirst(3)
      encoding = "UTF-8 (BOM)"
    }
    if let text = String(validating: body, as: UTF8.self) {
      return try checked(splitLines(text), encoding, file)
    }
    // Not valid UTF-8. Mostly-valid UTF-8 with a few bad bytes is damaged UTF-8,
    // not GBK: GBK text almost never forms valid multi-byte UTF-8 sequences.
    let damage = utf8Damage(body)
    if damage.badLines * 10 > damage.nonASCIILines, let text = convertGB18030(body) {
      return try checked(splitLines(text), "GB18030", file)
    }
    return try checked(repairUTF8(body, file: file), encoding, file)
  }

  private static func checked(
    _ result: (lines: [String], warnings: [String]), _ encoding: String, _ file: String
  ) throws(CorpusError) -> Decoded {
    let blank = result.lines.allSatisfy { line in
      line.unicodeScalars.allSatisfy { $0.properties.isWhitespace || $0 == "\u{FEFF}" }
    }
    if blank { throw CorpusError(file: file, reason: "only whitespace, skipped") }
    return Decoded(lines: result.lines, encoding: encoding, warnings: result.warnings)
  }

  private static func checked(_ lines: [String], _ encoding: String, _ file: String)
    throws(CorpusError) -> Decoded
  {
    try checked((lines, []), encoding, file)
  }

  /// Names the binary format when `bytes` are clearly not text (NUL bytes, known magic numbers).
  static func binaryKind(_ bytes: [UInt8]) -> String? {
    let magics: [(String, [UInt8])] = [
      ("PNG image", [0x89, 0x50, 0x4E, 0x47]), ("zip archive", [0x50, 0x4B, 0x03, 0x04]),
      ("PDF", [0x25, 0x50, 0x44, 0x46]), ("JPEG image", [0xFF, 0xD8, 0xFF]),
      ("GIF image", [0x47, 0x49, 0x46, 0x38]), ("OLE2 (old Word)", [0xD0, 0xCF, 0x11, 0xE0]),
    ]
    for (name, magic) in magics where bytes.starts(with: magic) { return name }
    let hasNUL = bytes.withUnsafeBufferPointer { p in
      p.baseAddress.map { memchr($0, 0, min(p.count, 65536)) != nil } ?? false
    }
    if hasNUL { return "NUL bytes" }
    return nil
  }

  /// Splits on LF; drops one trailing CR per line; no line for a final LF.
  static func splitLines(_ text: String) -> [String] {
    var text = text
    // Byte ranges of the lines first (on the contiguous bytes), then copies of the slices,
    // which need no second UTF-8 validation.
    let ranges = text.withUTF8 { p -> [Range<Int>] in
      var ranges: [Range<Int>] = []
      var start = 0
      var index = 0
      while index < p.count {
        if p[index] == 0x0A {
          ranges.append(start..<lineEnd(p, start, index))
          start = index + 1
        }
        index += 1
      }
      if start != p.count { ranges.append(start..<lineEnd(p, start, p.count)) }
      return ranges
    }
    let utf8 = text.utf8
    let base = utf8.startIndex
    return ranges.map { range in
      String(Substring(utf8[utf8.index(base, offsetBy: range.lowerBound)..<utf8.index(base, offsetBy: range.upperBound)]))
    }
  }

  /// `end`, or one less when the line ends in CR.
  @inline(__always) private static func lineEnd(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
    end > start && p[end - 1] == 0x0D ? end - 1 : end
  }

  private static func decodeUTF16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool) -> [String] {
    splitLines(utf16String(bytes, bigEndian: bigEndian))
  }

  /// UTF-16 bytes (no byte-order mark) as a String; an odd last byte is dropped.
  static func utf16String(_ bytes: ArraySlice<UInt8>, bigEndian: Bool) -> String {
    var units: [UInt16] = []
    units.reserveCapacity(bytes.count / 2)
    var index = bytes.startIndex
    while index + 1 < bytes.endIndex {
      let a = UInt16(bytes[index]), b = UInt16(bytes[index + 1])
      units.append(bigEndian ? (a << 8 | b) : (b << 8 | a))
      index += 2
    }
    return String(decoding: units, as: UTF16.self)
  }

  /// Counts lines with non-ASCII bytes and, of those, lines that are not valid UTF-8.
  private static func utf8Damage(_ bytes: ArraySlice<UInt8>) -> (badLines: Int, nonASCIILines: Int) {
    var bad = 0, nonASCII = 0
    for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
      guard line.contains(where: { $0 >= 0x80 }) else { continue }
      nonASCII += 1
      if String(validating: line, as: UTF8.self) == nil { bad += 1 }
    }
    return (bad, nonASCII)
  }

  /// Strict GB18030 conversion through ICU; nil when any sequence is illegal.
  static func convertGB18030(_ bytes: ArraySlice<UInt8>) -> String? {
    guard bytes.count < Int(Int32.max / 3) else { return nil }
    let source = Array(bytes)
    let capacity = source.count * 2 + 16
    var output = [UInt8](repeating: 0, count: capacity)
    var error: Int32 = 0
    let written = source.withUnsafeBufferPointer { src in
      output.withUnsafeMutableBufferPointer { dst in
        src.baseAddress!.withMemoryRebound(to: CChar.self, capacity: src.count) { s in
          dst.baseAddress!.withMemoryRebound(to: CChar.self, capacity: capacity) { d in
            zs_convert_to_utf8("GB18030", s, Int32(src.count), d, Int32(capacity), 1, &error)
          }
        }
      }
    }
    guard error <= 0, written <= capacity else { return nil }
    return String(decoding: output[..<Int(written)], as: UTF8.self)
  }

  /// Decodes damaged UTF-8 line by line, replacing bad bytes with U+FFFD and naming each line.
  private static func repairUTF8(_ bytes: ArraySlice<UInt8>, file: String) -> (
    lines: [String], warnings: [String]
  ) {
    var lines: [String] = []
    var warnings: [String] = []
    var parts = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
    if let last = parts.last, last.isEmpty { parts.removeLast() }
    for (offset, part) in parts.enumerated() {
      var part = part
      if part.last == 0x0D { part = part.dropLast() }
      if let text = String(validating: part, as: UTF8.self) {
        lines.append(text)
      } else {
        lines.append(String(decoding: part, as: UTF8.self))
        warnings.append("\(file):\(offset + 1): invalid UTF-8 replaced with U+FFFD")
      }
    }
    return (lines, warnings)
  }
}
