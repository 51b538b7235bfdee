import CICU

/// Maps traditional Chinese characters to simplified ones with ICU's
/// `Traditional-Simplified` transliterator, one character at a time.
///
/// Character by character (not phrase by phrase) so that every output character
/// keeps the source range of its input character; ICU's rules for this
/// transliterator are almost all single-character mappings. Results are memoised
/// per BMP code unit process-wide, in the shim (which compiles the transliterator's
/// rules once, without ICU's slow-to-build transliterator registry).
enum ChineseScriptConverter {
  /// Whether ICU might change `unit` (only CJK ideographs and compatibility ideographs).
  @inline(__always)
  static func isCandidate(_ unit: UInt16) -> Bool {
    (0x3400...0x9FFF).contains(unit) || (0xF900...0xFAFF).contains(unit)
  }

  /// The simplified form of BMP code unit `unit`, or `unit` itself.
  @inline(__always)
  static func simplified(_ unit: UInt16) -> UInt16 { zs_traditional_to_simplified(unit) }
}
