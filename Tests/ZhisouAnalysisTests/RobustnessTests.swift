import Foundation
import Testing

@testable import ZhisouAnalysis

/// Odd input: nothing crashes, and what comes out is sensible.
@Suite struct RobustnessTests {
  let analyzer = Analyzer()

  /// The token contract on any input: ranges inside the text, positions inside the slots.
  func checkContract(_ result: (tokens: [Token], slotCount: Int32), byteCount: Int) {
    for token in result.tokens {
      #expect(token.sourceRange.lowerBound >= 0 && token.sourceRange.upperBound <= byteCount)
      #expect(!token.sourceRange.isEmpty && !token.term.isEmpty)
      #expect(token.position >= 0 && token.positionLength >= 1)
      #expect(token.position + token.positionLength <= result.slotCount)
    }
  }

  @Test(arguments: ["", " ", "   \n\t\r\n  ", "\u{3000}\u{3000}", "，。、；：！？"])
  func emptyAndSpace(text: String) {
    let result = analyzer.analyze(text)
    #expect(result.tokens.isEmpty && result.slotCount == 0)
  }

  @Test func emoji() {
    let text = "👍🏽🎉产教融合🇨🇳👨‍👩‍👧 5G📱"
    let result = analyzer.analyze(text)
    checkContract(result, byteCount: text.utf8.count)
    let terms = result.tokens.map(\.term)
    #expect(terms.contains("产教融合") && terms.contains("5g"))
  }

  @Test func controlCharacters() {
    let text = "\u{0}产教\u{1}融合\u{7F}\u{1B}[0m 校企\u{200B}合作\u{FEFF}\u{8}"
    let result = analyzer.analyze(text)
    checkContract(result, byteCount: text.utf8.count)
    #expect(result.tokens.contains { $0.term == "产教" })
  }

  /// Invalid UTF-8 (stray continuation bytes, truncated sequences, overlong forms,
  /// surrogates, bytes past U+10FFFF) counts as U+FFFD and never breaks a neighbour.
  @Test func invalidUTF8() {
    let good = Array("产教融合".utf8)
    let bad: [[UInt8]] = [
      [0x80], [0xFF], [0xFE, 0xFF], [0xE4, 0xBA], [0xC0, 0xAF], [0xED, 0xA0, 0x80],
      [0xF4, 0x90, 0x80, 0x80], [0xF0, 0x9F, 0x98], [0xE4],
    ]
    for junk in bad {
      let bytes = junk + good + junk + Array("1+X".utf8) + junk
      let result = bytes.withUnsafeBufferPointer { analyzer.analyze(utf8: $0) }
      checkContract(result, byteCount: bytes.count)
      let terms = result.tokens.map(\.term)
      #expect(terms.contains("产教融合") && terms.contains("1+x"), "\(junk): \(terms)")
      let compound = result.tokens.first { $0.term == "产教融合" }
      #expect(compound?.sourceRange == junk.count..<(junk.count + good.count))
    }
    // Nothing but junk.
    let junk: [UInt8] = [0xFF, 0x80, 0xC3, 0xE2, 0x82]
    let result = junk.withUnsafeBufferPointer { analyzer.analyze(utf8: $0) }
    #expect(result.tokens.isEmpty)
  }

  /// A 10 MB single line (no line breaks to chunk at): slots keep increasing across
  /// chunks and the counts are those of the paragraph times its repetitions.
  @Test func tenMegabyteLine() {
    let paragraph =
      corpusSentences(minimum: 200).first?.text.replacingOccurrences(of: " ", with: "")
      ?? "深化产教融合，推进1+X证书制度试点，就业率达92.5%。"
    let one = analyzer.analyze(paragraph, include: .index)
    let repetitions = (10 << 20) / paragraph.utf8.count + 1
    let text = String(repeating: paragraph, count: repetitions)
    #expect(text.utf8.count >= 10 << 20)
    let result = analyzer.analyze(text, include: .index)
    // Each chunk boundary may join or split one token pair; allow one per chunk.
    let chunks = text.utf8.count / (1 << 16) + 1
    let expectedTokens = one.tokens.count * repetitions
    #expect(
      abs(result.tokens.count - expectedTokens) <= 3 * chunks,
      "\(result.tokens.count) vs \(expectedTokens)")
    #expect(abs(Int(result.slotCount) - Int(one.slotCount) * repetitions) <= chunks)
    var previous: Int32 = -1
    var ordered = true
    for token in result.tokens {
      if token.position < previous { ordered = false }
      previous = token.position
      if token.sourceRange.upperBound > text.utf8.count { ordered = false }
    }
    #expect(ordered)
    #expect(previous >= result.slotCount - 2)
  }
}
