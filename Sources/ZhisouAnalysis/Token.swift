/// One token of analysed text: a normalised term, where it sits, and where it came from.
///
/// The contract, which every filter keeps and tests check:
/// - `sourceRange` is a range of UTF-8 byte offsets into the original text; the
///   characters there normalise (NFKC, case fold, 繁→简) to the characters of `term`
///   (for `bigram`/`character` tokens exactly; compounds may canonicalise brackets).
///   Normalisation changes `term`, never the range.
/// - `position` counts slots, not bytes or characters of the original: every CJK
///   character is one slot and every other word (number, Latin run) is one slot, so a
///   phrase is "the same terms at consecutive slots" wherever the text came from.
/// - `positionLength` is how many slots the token covers. A compound (a lexicon term
///   such as 产教融合, or a protected run such as 1+x, 92.5%, 2024年, a document number)
///   covers the slots of its parts, and the parts stay in the stream beside it.
public struct Token: Equatable, Sendable {
  /// What kind of text a token stands for.
  public enum Kind: UInt8, Sendable, CaseIterable {
    /// An ICU word of CJK characters (as ICU segmented it).
    case word
    /// A number as ICU segmented it (`2024`, `92.5`).
    case number
    /// A run of letters, possibly with digits (`x`, `5g`, `icu`).
    case letters
    /// A lexicon term or protected mixed run, covering several parts.
    case compound
    /// Two adjacent CJK characters: the unit the index matches Chinese by.
    case bigram
    /// A CJK character with no CJK character after it (the end of a run).
    case character
  }

  /// The normalised term.
  public var term: String
  /// Slot of the token's first character (see the type's contract).
  public var position: Int32
  /// Number of slots the token covers (≥ 1).
  public var positionLength: Int32
  /// UTF-8 byte offsets of the original text the token came from.
  public var sourceRange: Range<Int>
  public var kind: Kind

  public init(
    term: String, position: Int32, positionLength: Int32 = 1, sourceRange: Range<Int>, kind: Kind
  ) {
    self.term = term
    self.position = position
    self.positionLength = positionLength
    self.sourceRange = sourceRange
    self.kind = kind
  }
}
