import Foundation
import Testing

@testable import ZhisouAnalysis

/// The repository's seed corpus (`Corpus/`), found from this file's path.
let corpusDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Corpus")

/// The seed documents' lines (non-empty, trimmed), each with its file name and line number.
let corpusLines: [(file: String, line: Int, text: String)] = {
  let names =
    ((try? FileManager.default.contentsOfDirectory(atPath: corpusDirectory.path)) ?? [])
    .filter { $0.hasSuffix(".txt") }.sorted()
  var lines: [(String, Int, String)] = []
  for name in names {
    guard
      let text = try? String(
        contentsOf: corpusDirectory.appendingPathComponent(name), encoding: .utf8)
    else { continue }
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated()
    {
      let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
      if !trimmed.isEmpty { lines.append((name, index + 1, trimmed)) }
    }
  }
  return lines
}()

/// Corpus lines long enough to be sentences (at least `minimum` characters).
func corpusSentences(minimum: Int = 20) -> [(file: String, line: Int, text: String)] {
  corpusLines.filter { $0.text.count >= minimum }
}

/// The original text a token came from.
func original(_ token: Token, in text: String) -> String {
  String(decoding: Array(text.utf8)[token.sourceRange], as: UTF8.self)
}

/// The analyzer's normalised form of `text` (NFKC case folding, 繁→简); pass a
/// normaliser to reuse what it has learnt when normalising many texts.
func normalized(_ text: String, using normalizer: TextNormalizer = TextNormalizer()) -> String {
  String(decoding: normalizer.normalizedUnits(text), as: UTF16.self)
}

/// A deterministic random number generator (SplitMix64), so property tests repeat.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Whether `scalar` is a CJK ideograph (the characters the analyzer makes bigrams of).
func isHan(_ scalar: Unicode.Scalar) -> Bool {
  isIdeograph(Int32(scalar.value))
}
