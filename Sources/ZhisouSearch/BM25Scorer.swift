import Foundation
import ZhisouIndex

/// BM25 parameters and field weights.
public struct ScoringParameters: Sendable, Equatable {
  public var k1 = 1.2
  public var b = 0.75
  /// Weight of the title field (the unit's title and heading path) against the body's 1.
  public var titleWeight = 1.0
  public var bodyWeight = 1.0
  /// Units whose body is no longer than this many slots are bare headings (a chapter
  /// title with no text of its own) and rank below units that say something.
  public var bareHeadingLength = 12
  public var bareHeadingFactor = 0.3
  public init() {}
}

/// Lucene's BM25 (8.x and later): idf · tf / (tf + k1 · (1 − b + b · dl / avgdl)),
/// with idf = ln(1 + (N − n + 0.5) / (n + 0.5)). Fields are scored separately, each
/// with its own statistics, and summed with their weights (what Lucene does for a
/// multi-field query with boosts); on one field with weight 1 this is Lucene's score.
public struct BM25Scorer: Sendable {
  public var parameters: ScoringParameters

  public init(parameters: ScoringParameters = ScoringParameters()) {
    self.parameters = parameters
  }

  /// Lucene's idf for a term in `n` of `N` units.
  public func idf(documentFrequency n: Int, unitCount N: Int) -> Double {
    log(1 + (Double(N) - Double(n) + 0.5) / (Double(n) + 0.5))
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
