import Testing

@testable import ZhisouAnalysis

/// Positions: a Chinese word is found as the chain of its bigrams at consecutive slots,
/// however ICU segmented the text around it.
@Suite struct BigramChainTests {
  let analyzer = Analyzer()

  /// For random runs W of 2–6 CJK characters taken from corpus sentences, the bigrams of
  /// W analysed alone occur in the sentence's index tokens at W's offsets from one slot.
  @Test func bigramChainsOfSubstringsOccurAtConsecutiveSlots() {
    var random = SeededGenerator(seed: 0x7A68_6973_6F75)
    var checked = 0
    let sentences = corpusSentences()
    for sentence in sentences.shuffled(using: &random).prefix(400) {
      let scalars = Array(sentence.text.unicodeScalars)
      // Maximal runs of CJK characters in the sentence.
      var runs: [Range<Int>] = []
      var i = 0
      while i < scalars.count {
        guard isHan(scalars[i]) else {
          i += 1
          continue
        }
        var j = i
        while j < scalars.count, isHan(scalars[j]) { j += 1 }
        if j - i >= 2 { runs.append(i..<j) }
        i = j
      }
      guard !runs.isEmpty else { continue }
      var slots: [Int32: Set<String>] = [:]
      for token in analyzer.analyze(sentence.text, include: .index).tokens {
        slots[token.position, default: []].insert(token.term)
      }
      for _ in 0..<5 {
        let run = runs.randomElement(using: &random)!
        let length = Int.random(in: 2...min(6, run.count), using: &random)
        let start = Int.random(in: run.lowerBound...(run.upperBound - length), using: &random)
        var word = String.UnicodeScalarView()
        word.append(contentsOf: scalars[start..<(start + length)])
        let chain = analyzer.analyze(String(word), include: .index).tokens
          .filter { $0.kind == .bigram }
          .map { (term: $0.term, offset: $0.position) }
        #expect(chain.count == length - 1, "\(String(word)): \(chain)")
        guard let first = chain.first else { continue }
        let found = slots.keys.contains { p in
          slots[p]?.contains(first.term) == true
            && chain.allSatisfy { slots[p + $0.offset]?.contains($0.term) == true }
        }
        #expect(
          found,
          "\(sentence.file):\(sentence.line): chain of \(String(word)) not at consecutive slots")
        checked += 1
      }
    }
    #expect(checked >= 1000)
  }

  /// Scattered characters are not a phrase: 产…教…融合 has no 产教/教融 bigrams.
  @Test func scatteredCharactersDoNotFormTheChain() {
    let text = "产品质量，教学改革，融合发展"
    let terms = Set(analyzer.analyze(text, include: .index).tokens.map(\.term))
    #expect(!terms.contains("产教") && !terms.contains("教融") && !terms.contains("产教融合"))
    #expect(terms.contains("融合"))
  }

  /// A compound covers the slots of its parts; the parts stay beside it.
  @Test func compoundCoversItsParts() {
    let tokens = analyzer.analyze("深化产教融合", include: .index).tokens
    let compound = tokens.first { $0.term == "产教融合" }
    #expect(compound?.position == 2 && compound?.positionLength == 4)
    for (term, slot) in [("产教", 2), ("教融", 3), ("融合", 4)] {
      #expect(tokens.contains { $0.term == term && $0.position == Int32(slot) })
    }
  }
}
