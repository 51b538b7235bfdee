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
  public var term: String {
    get { storedTerm ?? Self.string(packed: key) }
    set {
      storedTerm = newValue
      key = Self.packed(newValue)
    }
  }
  /// The term's UTF-8 bytes packed little-endian into one integer when there are at most
  /// 8 of them (every CJK bigram and character, most numbers and Latin words), else 0.
  /// Terms have no zero bytes, so the padding is unambiguous. The index and the snippet
  /// matcher compare and hash this integer; the analyzer makes bigram and character
  /// tokens from it alone, without building a String for each (`term` builds one when
  /// asked).
  public private(set) var key: UInt64
  private var storedTerm: String?
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
    storedTerm = term
    key = Self.packed(term)
    self.position = position
    self.positionLength = positionLength
    self.sourceRange = sourceRange
    self.kind = kind
  }

  /// A token whose term is the packed UTF-8 `key` (non-zero; see `key`).
  init(key: UInt64, position: Int32, sourceRange: Range<Int>, kind: Kind) {
    storedTerm = nil
    self.key = key
    self.position = position
    positionLength = 1
    self.sourceRange = sourceRange
    self.kind = kind
  }

  public static func == (a: Token, b: Token) -> Bool {
    a.key == b.key && (a.key != 0 || a.term == b.term) && a.position == b.position
      && a.positionLength == b.positionLength && a.sourceRange == b.sourceRange
      && a.kind == b.kind
  }

  /// `term`'s UTF-8 bytes packed into an integer, or 0 when there are more than 8.
  public static func packed(_ term: String) -> UInt64 {
    let utf8 = term.utf8
    guard utf8.count <= 8 else { return 0 }
    // Contiguous for every native string (a small one is copied to the stack): far
    // cheaper than iterating the view byte by byte.
    if let key = utf8.withContiguousStorageIfAvailable({ bytes -> UInt64 in
      var key: UInt64 = 0
      for i in 0..<bytes.count { key |= UInt64(bytes[i]) << (8 * i) }
      return key
    }) {
      return key
    }
    var key: UInt64 = 0
    for (i, byte) in utf8.enumerated() { key |= UInt64(byte) << (8 * i) }
    return key
  }

  /// The term a packed key stands for.
  static func string(packed key: UInt64) -> String {
    var bytes = key
    var count = 0
    while count < 8, (key >> (8 * UInt64(count))) & 0xFF != 0 { count += 1 }
    return withUnsafeBytes(of: &bytes) { raw in
      String(decoding: UnsafeRawBufferPointer(rebasing: raw[0..<count]), as: UTF8.self)
    }
  }
}
