import Testing
import ZhisouAnalysis

@Suite struct LexiconTests {
  @Test func theFileFormatIsOneTermPerLineWithComments() {
    let text =
      "# 领域词表\r\n产教融合\r\n\n  双师型教师 # 注释\n\u{3000}乡村振兴\u{3000}\n#整行注释\n１+Ｘ证书\u{2028}"
      + "职业  教育\n单\n產教融合\n\t"
    let lexicon = Lexicon(text: text)
    // Trimmed, normalised (full-width and traditional forms folded), duplicates and
    // one-character terms dropped, file order kept.
    #expect(lexicon.terms == ["产教融合", "双师型教师", "乡村振兴", "1+x证书", "职业  教育"])
  }

  @Test func theShippedLexiconLoads() {
    #expect(Lexicon.standard.terms.count > 400)
    #expect(Lexicon.standard.terms.contains("产教融合"))
    #expect(!Lexicon.standard.terms.contains { $0.hasPrefix("#") || $0.contains("\n") })
  }
}
