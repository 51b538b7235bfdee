import ArgumentParser
import ZhisouSearch

struct AnalyzeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "analyze",
    abstract: "Show the tokens zhisou makes of a text (term, position, original text).",
    discussion: """
      Word tokens (ICU words, numbers, Latin runs, compounds) are shown by default;
      --index shows what the index stores instead (CJK bigrams, numbers, compounds).
      Example: zhisou analyze 產教融合与1+X证书
      """
  )

  @Argument(help: "The text to analyse.")
  var text: String

  @Flag(help: "Show the index terms (bigrams) instead of words.")
  var index = false

  @Flag(help: "Print one JSON object per token.")
  var json = false

  func run() throws {
    let analyzer = Analyzer()
    let tokens = analyzer.analyze(text, include: index ? .index : .words).tokens
    let bytes = Array(text.utf8)
    let output = TokenPrinter(json: json)
    for token in tokens {
      let original = String(decoding: bytes[token.sourceRange], as: UTF8.self)
      print(output.line(token, original: original))
    }
  }
}
