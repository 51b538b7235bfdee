import Foundation
import Testing

@testable import ZhisouAnalysis

/// The analyzer on real sentences of the seed corpus: ICU's words, the token contract
/// (byte ranges back to the source), lexicon terms and protected runs.
@Suite struct CorpusSentenceTests {
  let analyzer = Analyzer()

  @Test func corpusIsThere() {
    #expect(corpusLines.count > 1000, "seed corpus not found at \(corpusDirectory.path)")
  }

  /// Word tokens are ICU's own segments of the text (the text's words, numbers and
  /// letter runs, in order, at the same bytes), with no lexicon to join them.
  @Test func wordBoundariesEqualICU() throws {
    let plain = Analyzer(lexicon: Lexicon(terms: []))
    let breaker = try ICUWordBreaker()
    let normalizer = TextNormalizer()
    var compared = 0
    for sentence in corpusSentences() {
      // ICU on the original text; normalisation must not change what it sees here.
      guard normalized(sentence.text, using: normalizer) == sentence.text.lowercased() else {
        continue
      }
      let units = Array(sentence.text.utf16)
      let utf8Offset = utf16ToUTF8Offsets(sentence.text)
      let expected = breaker.segments(units).filter { $0.status >= 100 }
        .map { utf8Offset[$0.start]..<utf8Offset[$0.end] }
      let actual = plain.analyze(sentence.text, include: .words).tokens
        .filter { $0.kind == .word || $0.kind == .number || $0.kind == .letters }
        .map(\.sourceRange)
      #expect(actual == expected, "\(sentence.file):\(sentence.line)")
      compared += 1
    }
    #expect(compared > 400, "only \(compared) sentences compared")
  }

  /// Every token's byte range is a range of the source whose normalisation is the term
  /// (compounds: document numbers canonicalise their brackets to 〔〕).
  @Test func byteRangesMapBackToSource() {
    let normalizer = TextNormalizer()
    for sentence in corpusSentences(minimum: 2) {
      let bytes = Array(sentence.text.utf8)
      for token in analyzer.analyze(sentence.text).tokens {
        #expect(token.sourceRange.lowerBound >= 0 && token.sourceRange.upperBound <= bytes.count)
        let source = original(token, in: sentence.text)
        #expect(
          canonicalBrackets(normalized(source, using: normalizer)) == canonicalBrackets(token.term),
          "\(sentence.file):\(sentence.line): \(token.term) from \(source)")
      }
    }
  }

  @Test(arguments: [
    ("５Ｇ基站", "5g", "５Ｇ"),
    ("就业率达９２．５％以上", "92.5%", "９２．５％"),
    ("深化產教融合", "产教融合", "產教融合"),
    ("推進1＋X證書制度", "1+x证书", "1＋X證書"),
    ("ＩＣＵ", "icu", "ＩＣＵ"),
  ])
  func normalisedTermsKeepTheirOriginalBytes(text: String, term: String, source: String) {
    let tokens = analyzer.analyze(text).tokens
    let token = tokens.first { $0.term == term }
    #expect(token != nil, "\(term) not in \(tokens.map(\.term))")
    if let token { #expect(original(token, in: text) == source) }
  }

  /// The lexicon terms come out whole, alone and inside corpus sentences.
  @Test(arguments: [
    ("产教融合", "产教融合"), ("双师型教师", "双师型教师"), ("中职学校", "中职学校"),
    ("1+X证书", "1+x证书"), ("岗课赛证", "岗课赛证"), ("计算机应用", "计算机应用"),
  ])
  func lexiconTermsComeOutWhole(text: String, term: String) throws {
    for include in [Analyzer.TokenSet.words, .index] {
      let tokens = analyzer.analyze(text, include: include).tokens
      let whole = tokens.first { $0.term == term && $0.kind == .compound }
      #expect(whole?.position == 0, "\(term) (\(include.rawValue)): \(tokens.map(\.term))")
      #expect(whole?.sourceRange == 0..<text.utf8.count)
    }
    // In context: wherever the corpus has the characters, the term is there.
    let normalizer = TextNormalizer()
    let sentences = corpusSentences().filter {
      normalized($0.text, using: normalizer).contains(term)
    }
    for sentence in sentences.prefix(20) {
      let tokens = analyzer.analyze(sentence.text, include: .index).tokens
      #expect(tokens.contains { $0.term == term }, "\(sentence.file):\(sentence.line)")
    }
  }

  @Test(arguments: [
    ("开展1+X证书试点", "1+x", "1+X", 2),
    ("建成5G基站", "5g", "5G", 1),
    ("合格率为92.5%。", "92.5%", "92.5%", 1),
    ("2024年是关键之年", "2024年", "2024年", 2),
    ("《通知》（晋教职成函〔2024〕73号）", "晋教职成函〔2024〕73号", "晋教职成函〔2024〕73号", 8),
    ("（晋教职成函[2024]73号）", "晋教职成函〔2024〕73号", "晋教职成函[2024]73号", 8),
    ("（晋教职成函（2024）73号）", "晋教职成函〔2024〕73号", "晋教职成函（2024）73号", 8),
    ("(吕发【2021】17号)", "吕发〔2021〕17号", "吕发【2021】17号", 5),
  ])
  func protectedRuns(text: String, term: String, source: String, slots: Int32) {
    for include in [Analyzer.TokenSet.words, .index] {
      let tokens = analyzer.analyze(text, include: include).tokens
      let token = tokens.first { $0.term == term }
      #expect(token != nil, "\(term) not in \(tokens.map(\.term))")
      if let token {
        #expect(original(token, in: text) == source)
        #expect(token.positionLength == slots)
      }
    }
  }

  /// The protected runs the corpus has all come out (every document number it cites).
  @Test func corpusDocumentNumbers() throws {
    let pattern = try NSRegularExpression(pattern: "[\\p{Han}]{2,8}〔\\d{4}〕\\d{1,4}号")
    var found = 0
    for sentence in corpusLines {
      let text = sentence.text
      let range = NSRange(text.startIndex..., in: text)
      for match in pattern.matches(in: text, range: range) {
        guard let r = Range(match.range, in: text) else { continue }
        let number = String(text[r])
        let tokens = analyzer.analyze(text, include: .index).tokens
        #expect(
          tokens.contains {
            $0.kind == .compound && number.hasSuffix($0.term) && $0.term.count >= 9
          },
          "\(sentence.file):\(sentence.line): \(number)")
        found += 1
      }
    }
    #expect(found >= 20)
  }

  /// Tokens come in slot order (longer first at a slot), and positions fit the slot count.
  @Test func tokensInSlotOrder() {
    for include in [Analyzer.TokenSet.words, .index, .all] {
      for sentence in corpusSentences().prefix(300) {
        let (tokens, slots) = analyzer.analyze(sentence.text, include: include)
        let keys = tokens.map { ($0.position, -$0.positionLength) }
        #expect(
          zip(keys, keys.dropFirst()).allSatisfy { $0 <= $1 }, "\(sentence.file):\(sentence.line)")
        #expect(tokens.allSatisfy { $0.position >= 0 && $0.position + $0.positionLength <= slots })
      }
    }
  }
}

/// UTF-8 offset of every UTF-16 offset of `text` (and of its end).
func utf16ToUTF8Offsets(_ text: String) -> [Int] {
  var offsets: [Int] = []
  var utf8 = 0
  for scalar in text.unicodeScalars {
    let width = String(scalar).utf8.count
    for _ in 0..<String(scalar).utf16.count { offsets.append(utf8) }
    utf8 += width
  }
  offsets.append(utf8)
  return offsets
}

/// Document-number brackets in the one form compounds use.
func canonicalBrackets(_ text: String) -> String {
  String(
    text.map { c -> Character in
      switch c {
      case "[", "(", "【", "（": "〔"
      case "]", ")", "】", "）": "〕"
      default: c
      }
    })
}

/// Slots do not depend on whether ICU's words were asked for too: the bigrams,
/// characters, numbers and letters of `.all` are exactly those of `.index`.
@Suite struct IndexTokensIndependentOfWordsTests {
  let analyzer = Analyzer()

  @Test func indexTokensEqualWithAndWithoutWords() {
    let extra = [
      "お茶と日本語の文章、カタカナ混じり", "二〇二四年々", "ICU 72.1版、5G网络与1+X证书", "字\u{0301}符",
    ]
    for text in corpusSentences().prefix(400).map(\.text) + extra {
      let alone = analyzer.analyze(text, include: .index)
      let both = analyzer.analyze(text, include: .all)
      let slotKinds: Set<Token.Kind> = [.bigram, .character, .number, .letters]
      #expect(
        both.tokens.filter { slotKinds.contains($0.kind) }
          == alone.tokens.filter { slotKinds.contains($0.kind) }, "\(text)")
      #expect(both.slotCount == alone.slotCount)
    }
  }
}
