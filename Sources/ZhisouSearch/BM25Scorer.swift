#if canImport(Glibc)
  import Glibc
#endif
import ZhisouIndex

/// BM25 parameters and field weights.
public struct ScoringParameters: Sendable, Equatable {
  public var k1 = 1.2
  public var b = 0.75
  /// Weight of the title field (the unit's title and heading path) against the body's 1.
  public var titleWeight = 1.0
  public var bodyWeight = 1.0
  /// Units the index marks as demoted (bare headings: a chapter title with no text of
  /// its own, or a body of at most `IndexFormat.shortBodyLength` slots; prefaces) have
  /// their score scaled by this, so they rank below the units that say something in
  /// full.
  public var bareHeadingFactor = 0.3
  /// How title and body combine (see `BM25Scorer`).
  public var fieldCombination = FieldCombination.bm25f
  public init() {}
}

/// How a word's title and body matches make one score.
public enum FieldCombination: String, Sendable, Equatable {
  /// BM25F: weighted, length-normalised tfs are added before saturation, with one idf,
  /// so a word in both title and body (the heading line is also body text) is not
  /// counted twice at full strength.
  case bm25f
  /// Each field its own BM25 (own idf and saturation), summed with the field weights.
  case sum
}

/// Lucene's BM25 (8.x and later): idf · tf / (tf + k1 · (1 − b + b · dl / avgdl)),
/// with idf = ln(1 + (N − n + 0.5) / (n + 0.5)).
///
/// Title (heading path + title) and body combine as BM25F by default: each field's tf
/// is length-normalised with its own average and weighted, the sum is saturated once,
/// with the body's idf. Chosen by the development evaluation (Tools/eval.py): against
/// per-field sums at equal weights, nDCG@10 rose from 0.804 to 0.850 (general) and 0.857
/// to 0.898 (policy), case unchanged — a heading's words are also in its unit's text, and
/// summing two saturated fields counted them twice. On one field of weight 1 both
/// combinations are exactly Lucene's score.
public struct BM25Scorer: Sendable {
  public var parameters: ScoringParameters

  public init(parameters: ScoringParameters = ScoringParameters()) {
    self.parameters = parameters
  }

  /// Lucene's idf for a term in `n` of `N` units.
  public func idf(documentFrequency n: Int, unitCount N: Int) -> Double {
    log(1 + (Double(N) - Double(n) + 0.5) / (Double(n) + 0.5))
  }

  /// Length-normalised tf of one field (BM25F's per-field term: tf / (1 − b + b·dl/avgdl)).
  public func normalizedTf(tf: Double, length: Double, averageLength: Double) -> Double {
    tf / (1 - parameters.b + parameters.b * length / averageLength)
  }

  /// BM25F's saturation of the combined normalised tf `x`: idf · x / (k1 + x).
  /// With one field of weight 1 this equals `score(tf:length:averageLength:idf:)`.
  public func saturate(_ x: Double, idf: Double) -> Double {
    x > 0 ? idf * x / (parameters.k1 + x) : 0
  }

  /// The score of one field of one unit for a term of idf `idf`.
  public func score(tf: Double, length: Double, averageLength: Double, idf: Double) -> Double {
    let norm = parameters.k1 * (1 - parameters.b + parameters.b * length / averageLength)
    return idf * tf / (tf + norm)
  }

  func weight(_ field: Field) -> Double {
    field == .title ? parameters.titleWeight : parameters.bodyWeight
  }
}
