import ZhisouAnalysis
import ZhisouCorpus

/// Constants of the on-disk format; `INDEX_FORMAT.md` describes the layout in full.
public enum IndexFormat {
  static let version: UInt32 = 8
  static let segmentMagic: [UInt8] = Array("ZHSOUSEG".utf8)
  static let generationMagic: [UInt8] = Array("ZHSOUGEN".utf8)
  /// Sections of a segment file, in order.
  enum Section: Int, CaseIterable {
    case dictionaryIndex, dictionaryBlocks, postings, units, norms, documents
  }
  static let headerSize = 8 + 4 + 4 + Section.allCases.count * 20 + 4
  /// Terms per dictionary block (binary search over blocks, linear scan inside).
  static let termsPerBlock = 64
  /// Units per postings block (the skip and block-max granularity).
  static let unitsPerBlock = 128
  /// Classes of units whose block impacts are kept apart: kind (section, case, policy)
  /// × demoted or not (`BlockImpacts`).
  @usableFromInline static let impactClasses = 6
  /// The impact class of a unit of kind code `kind` (`unitKindCode`).
  @inline(__always)
  static func impactClass(kind: UInt32, demoted: Bool) -> Int {
    Int(kind) * 2 + (demoted ? 1 : 0)
  }

  /// The impact classes of units of `kind` (every class when nil), each with whether it
  /// holds demoted units: the classes a block-max bound under a kind filter looks at.
  public static func impactClasses(of kind: UnitKind?) -> [(impactClass: Int, demoted: Bool)] {
    let kinds: [UInt8] = kind.map { [unitKindCode($0)] } ?? [0, 1, 2]
    var out: [(impactClass: Int, demoted: Bool)] = []
    for k in kinds {
      for demoted in [false, true] {
        out.append((impactClass(kind: UInt32(k), demoted: demoted), demoted))
      }
    }
    return out
  }
  /// Units whose body is at most this many slots are demoted like bare headings,
  /// whatever their text.
  public static let shortBodyLength = 12
  /// A norms title entry: the title length in the low 24 bits, the unit kind in bits
  /// 24–30, the demoted flag (`IndexedUnit.isDemoted`) in bit 31.
  static let titleLengthMask: UInt32 = 0x00FF_FFFF
  static let kindMask: UInt32 = 0x7F
  static let demotedFlag: UInt32 = 1 << 31
  static let maxTitleLength = Int(titleLengthMask)
  /// Units per checksummed chunk of the norms section.
  static let normsChunk = 4096
  /// Name of the file that names the current generation.
  static let currentFile = "CURRENT"
  static let lockFile = "LOCK"
  static func generationFile(_ n: Int) -> String {
    let digits = String(n)
    return "gen-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".zsm"
  }
}

/// One unit ready for the index: its stored form and its analysed fields.
public struct IndexedUnit: Sendable {
  public var unit: Unit
  public var citations: [PolicyCitation]
  public var titleTokens: [Token]
  public var titleLength: Int32
  public var bodyTokens: [Token]
  public var bodyLength: Int32
  /// Whether the scorer ranks the unit down: a bare heading (no text of its own) or a
  /// preface (a summary of what the sections say in full).
  public var isDemoted: Bool

  public init(
    unit: Unit, citations: [PolicyCitation], titleTokens: [Token], titleLength: Int32,
    bodyTokens: [Token], bodyLength: Int32, isDemoted: Bool
  ) {
    self.isDemoted = isDemoted
    self.unit = unit
    self.citations = citations
    self.titleTokens = titleTokens
    self.titleLength = titleLength
    self.bodyTokens = bodyTokens
    self.bodyLength = bodyLength
  }
}
