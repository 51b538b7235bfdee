import ArgumentParser
import ZhisouSearch

struct CasesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cases",
    abstract: "List every case study on a topic: strong matches first, then passing mentions."
  )

  @Argument(
    parsing: .allUnrecognized,
    help: "The topic (same query language as search). (quotes optional: zhisou search 学校 -疫情)")
  var words: [String]

  var topic: String { words.filter { $0 != "--" }.joined(separator: " ") }
  @OptionGroup var filter: FilterOptions
  @OptionGroup var options: IndexOptions

  func run() throws {
    try reportingErrors {
      var query = try QueryParser.parse(topic)
      query.filters = filter.filters.merged(with: query.filters)
      let searcher = Searcher(index: try options.openIndex(), parameters: options.scoring)
      // Snippets are made as the hits are printed: on a big corpus a topic has thousands
      // of cases, and the first should not wait for the last one's snippet.
      let (strong, passing, fallback) = try CaseFinder(searcher: searcher).cases(
        query, snippets: false)
      func withSnippet(_ hit: Hit) -> Hit {
        var hit = hit
        hit.snippet = searcher.snippet(of: hit.unit, query: query)
        return hit
      }
      let printer = HitPrinter(json: options.json)
      if options.json {
        for (i, hit) in (strong + passing).enumerated() {
          print(
            printer.jsonLine(
              withSnippet(hit), rank: i + 1,
              extra: ["strength": i < strong.count ? "\"strong\"" : "\"passing\""]))
        }
        return
      }
      if strong.isEmpty, passing.isEmpty {
        print("no case study mentions \(topic)")
        return
      }
      if fallback { print("no case contains all of the words; cases that contain some of them:\n") }
      print(Terminal.bold("\(strong.count) case(s) about \(topic)") + "\n")
      for (i, hit) in strong.enumerated() { printer.print(withSnippet(hit), rank: i + 1) }
      if !passing.isEmpty {
        print("\n" + Terminal.bold("\(passing.count) case(s) that mention it in passing") + "\n")
        for (i, hit) in passing.enumerated() {
          printer.print(withSnippet(hit), rank: strong.count + i + 1)
        }
      }
    }
  }
}
