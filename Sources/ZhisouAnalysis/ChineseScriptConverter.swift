import CICU

/// Maps traditional Chinese characters to simplified ones with ICU's
/// `Traditional-Simplified` transliterator, one character at a time.
///
/// Character by character (not phrase by phrase) so that every output character
/// keeps the source range of its input character; ICU's rules for this
/// transliterator are almost all single-character mappings. Results are memoised
/// per BMP code unit process-wide, in the shim (which compiles the transliterator's
/// rules once, without ICU's slow-to-build transliterator registry).
public enum ChineseScriptConverter {
  /// Whether ICU might change `unit` (only CJK ideographs and compatibility ideographs).
  @inline(__always)
  static func isCandidate(_ unit: UInt16) -> Bool {
    (0x3400...0x9FFF).contains(unit) || (0xF900...0xFAFF).contains(unit)
  }

  /// The code unit ranges `isCandidate` admits.
  static let candidateRanges: [ClosedRange<UInt16>] = [0x3400...0x9FFF, 0xF900...0xFAFF]

  /// Every candidate code unit this process's ICU changes, with its simplified form:
  /// what an index records of the folding it was built with.
  public static func changedUnits() -> [(traditional: UInt16, simplified: UInt16)] {
    var changed: [(traditional: UInt16, simplified: UInt16)] = []
    for range in candidateRanges {
      for unit in range where simplified(unit) != unit { changed.append((unit, simplified(unit))) }
    }
    return changed
  }

  /// Folds with `changed` (as `changedUnits()` made it) from now on in this process, instead
  /// of asking ICU: a search then folds exactly as its index did, without compiling the
  /// transliterator's rules (5 ms, a fifth of a search process). Call before any folding.
  public static func adopt(changedUnits changed: [(traditional: UInt16, simplified: UInt16)]) {
    for range in candidateRanges {
      var answers = Array(range)
      for pair in changed where range.contains(pair.traditional) {
        answers[Int(pair.traditional - range.lowerBound)] = pair.simplified
      }
      answers.withUnsafeBufferPointer {
        zs_adopt_simplified(range.lowerBound, range.upperBound, $0.baseAddress)
      }
    }
  }

  /// The simplified form of BMP code unit `unit`, or `unit` itself.
  @inline(__always)
  static func simplified(_ unit: UInt16) -> UInt16 { zs_traditional_to_simplified(unit) }
}
