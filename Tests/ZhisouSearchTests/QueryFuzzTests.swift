import Foundation
import Testing

@testable import ZhisouSearch

/// Hostile queries (issue 7, part 4): ≥ 10 000 random queries through `QueryParser.parse`
/// and `Searcher.search(limit: 10)` on the seed index give a result or a one-line
/// `QuerySyntaxError` — never a crash, a trap or an index error. No timing assertion
/// (the worst query's time belongs in the benchmark); most queries are short.
@Suite struct QueryFuzzTests {
  /// A deterministic generator (SplitMix64).
  struct Random {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
  }

  static let pieces: [String] = [
    // words of the corpus, stop words, mixed scripts
    "产教融合", "乡村振兴", "实训基地", "现代学徒制", "的", "了", "和", "是", "在", "与", "及", "等",
    "學校", "產教融合", "１＋Ｘ", "1+X", "92.5%", "2024年", "晋教职成函〔2024〕73号", "O2O-模式",
    "school", "ＡＢＣ", "Ωμέγα", "кириллица", "العربية", "हिन्दी", "한국어", "にほんご", "ไทย",
    // operators and syntax
    "OR", "OR OR", "or", "-", "--", "---", "-疫情", "- ", "\"", "\"\"", "\" \"", "“", "”", "＂", "－", "\u{3000}",
    "region:", "region:临汾", "year:", "year:2024", "year:abc", "year:99999999999999999999", "year:-1",
    "kind:", "kind:case", "kind:CASE", "kind:junk", "KIND:Policy", "foo:bar", ":", "::", "region::", "a:b:c",
    // punctuation, emoji, control and private-use characters
    "，。！？、；：", "《》〈〉「」【】", "……", "——", "!!!", "(((", ")))", "*", "?", "\\", "/", "|", "&&", "^~",
    "😀", "👩‍👩‍👧‍👦", "🇨🇳", "\u{E000}", "\u{F8FF}", "\u{10FFFD}", "\u{FFFD}", "\u{FEFF}", "\u{200B}", "\u{200D}",
    "\u{0}", "\u{1}", "\u{7}", "\u{1B}[31m", "\u{7F}", "\u{85}", "\u{2028}", "\u{202E}", "\t", "\n", "\r\n",
    "e\u{301}", "\u{301}", "ｶﾞ", "ﬁ", "İ", "ß",
  ]

  static func randomQuery(_ r: inout Random) -> String {
    switch r.below(100) {
    case 0:
      // A very long query (10 000 characters).
      return String(repeating: r.pick(pieces), count: 10_000).prefix(10_000).description
    case 1:
      // Random scalars from anywhere in Unicode (no surrogates).
      var s = ""
      for _ in 0..<r.below(30) {
        let v = UInt32(r.below(0x11_0000))
        if let scalar = Unicode.Scalar(v) { s.unicodeScalars.append(scalar) }
      }
      return s
    case 2...4:
      return String(repeating: r.pick(["的 ", "了", "，", "。", "! ", "- ", "OR ", "\" "]), count: 1 + r.below(40))
    default:
      var s = ""
      for _ in 0..<(1 + r.below(6)) {
        s += r.pick(pieces)
        if r.below(3) != 0 { s += r.pick([" ", " ", "", "\u{3000}", "  "]) }
      }
      return s
    }
  }

  @Test func randomQueriesGiveResultsOrOneLineErrors() throws {
    let index = try TestIndex(label: "queryfuzz")
    let searcher = index.searcher()
    var r = Random(state: 0x7A68_6973_6F75)
    var results = 0
    var errors = 0
    var failures: [String] = []
    for _ in 0..<10_000 {
      let text = Self.randomQuery(&r)
      do {
        let query = try QueryParser.parse(text)
        let result = try searcher.search(query, limit: 10)
        if result.hits.count > 10 { failures.append("\(text.debugDescription.prefix(200)): \(result.hits.count) hits") }
        results += 1
      } catch let error as QuerySyntaxError {
        let message = error.description
        if message.isEmpty || message.contains("\n") || message.count > 300 {
          failures.append("\(text.debugDescription.prefix(200)): \(message.debugDescription)")
        }
        errors += 1
      } catch {
        failures.append("\(text.debugDescription.prefix(200)): \(error)")
      }
    }
    #expect(failures.isEmpty, "\(failures.prefix(20))")
    #expect(results + errors == 10_000)
    // Both outcomes occur (the generator is not degenerate).
    #expect(results > 1000 && errors > 1000, "\(results) results, \(errors) syntax errors")
  }

  @Test func namedHostileQueries() throws {
    let index = try TestIndex(label: "queryfuzznamed")
    let searcher = index.searcher()
    let cases: [(String, Bool)] = [  // query, whether it is a syntax error
      ("\"产教融合", true), ("产教融合\"", true), ("-", true), ("- 产教融合", true), ("OR OR", true),
      ("产教融合 OR", true), ("OR 产教融合", true), ("产教融合 OR OR 乡村振兴", true), ("-疫情", true), ("", true),
      ("   ", true), ("的 了 和", false), ("，。！？", false), ("😀", false), ("\u{E000}\u{F8FF}", false),
      ("\u{0}\u{1}\u{7}", true), ("year:abc 产教融合", true), ("kind:junk 产教融合", true), ("foo:bar", true),
      ("region:临汾", false), ("产教融合 school ΩΩ кириллица", false),
      (String(repeating: "产", count: 10_000), true), (String(repeating: "的 ", count: 30), false),
    ]
    for (text, isError) in cases {
      do {
        let result = try searcher.search(try QueryParser.parse(text), limit: 10)
        #expect(!isError, "\(text.prefix(40).debugDescription) should be a syntax error")
        #expect(result.hits.count <= 10)
      } catch let error as QuerySyntaxError {
        #expect(isError, "\(text.prefix(40).debugDescription): \(error)")
        #expect(!error.description.contains("\n"))
      }
    }
  }
}
