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
      // Snippets are made as the hits are printed, a batch at a time on every core: on a
      // big corpus a topic has thousands of cases, and the first should not wait for the
      // last one's snippet.
      let (strong, passing, fallback) = try CaseFinder(searcher: searcher).cases(
        query, snippets: false)
      func withSnippets(_ hits: ArraySlice<Hit>, first rank: Int, _ body: (Hit, Int) -> Void) {
        var start = hits.startIndex
        var batch = 64
        while start < hits.endIndex {
          let slice = hits[start..<min(hits.endIndex, start + batch)]
          let snippets = searcher.snippets(of: slice.map(\.unit), query: query)
          for (k, var hit) in slice.enumerated() {
            hit.snippet = snippets[k]
            body(hit, rank + start - hits.startIndex + k)
          }
          start = slice.endIndex
          batch = min(batch * 2, 1024)
        }
      }
      let printer = HitPrinter(json: options.json)
      if options.json {
        withSnippets((strong + passing)[...], first: 1) { hit, rank in
          print(
            printer.jsonLine(
              hit, rank: rank,
              extra: ["strength": rank <= strong.count ? "\"strong\"" : "\"passing\""]))
        }
        return
      }
      if strong.isEmpty, passing.isEmpty {
        print("no case study mentions \(topic)")
        return
      }
      if fallback { print("no case contains all of the words; cases that contain some of them:\n") }
      print(Terminal.bold("\(strong.count) case(s) about \(topic)") + "\n")
      withSnippets(strong[...], first: 1) { hit, rank in printer.print(hit, rank: rank) }
      if !passing.isEmpty {
        print("\n" + Terminal.bold("\(passing.count) case(s) that mention it in passing") + "\n")
        withSnippets(passing[...], first: strong.count + 1) { hit, rank in
          printer.print(hit, rank: rank)
        }
      }
    }
  }
}
