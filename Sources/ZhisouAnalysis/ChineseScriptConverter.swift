import CICU

/// Maps traditional Chinese characters to simplified ones with ICU's
/// `Traditional-Simplified` transliterator, one character at a time.
///
/// Character by character (not phrase by phrase) so that every output character
/// keeps the source range of its input character; ICU's rules for this
/// transliterator are almost all single-character mappings. Results are memoised
/// per BMP code unit, so ICU is asked once per distinct character.
final class ChineseScriptConverter {
  private var transliterator: OpaquePointer?
  private var opened = false
  /// 0 = not asked yet; otherwise the simplified code unit.
  private var memo = [UInt16](repeating: 0, count: 0x10000)

  init() {}

  deinit { if let transliterator { zs_transliterator_close(transliterator) } }

  /// Whether ICU might change `unit` (only CJK ideographs and compatibility ideographs).
  @inline(__always)
  static func isCandidate(_ unit: UInt16) -> Bool {
    (0x3400...0x9FFF).contains(unit) || (0xF900...0xFAFF).contains(unit)
  }

  /// The simplified form of BMP code unit `unit`, or `unit` itself.
  @inline(__always)
  func simplified(_ unit: UInt16) -> UInt16 {
    let known = memo[Int(unit)]
    if known != 0 { return known }
    let result = ask(unit)
    memo[Int(unit)] = result
    return result
  }

  private func ask(_ unit: UInt16) -> UInt16 {
    if !opened {
      opened = true
      var error: Int32 = 0
      transliterator = zs_transliterator_open("Traditional-Simplified", &error)
      if error > 0 { transliterator = nil }
    }
    guard let transliterator else { return unit }
    var buffer: [UInt16] = [unit, 0, 0, 0, 0, 0, 0, 0]
    var error: Int32 = 0
    let n = zs_transliterate(transliterator, &buffer, 1, Int32(buffer.count), &error)
    // A character that becomes several is left as it is, to keep offsets one-to-one.
    guard error <= 0, n == 1 else { return unit }
    return buffer[0]
  }
}
