import ArgumentParser
import ZhisouSearch

/// Filter flags shared by search and cases.
struct FilterOptions: ParsableArguments {
  @Option(help: "Only documents whose region contains this (e.g. 临汾).")
  var region: String?
  @Option(help: "Only documents of this year.")
  var year: Int?
  @Option(help: "Only units of this kind: case, section or policy.")
  var kind: UnitKind?

  var filters: Filters { Filters(region: region, year: year, kind: kind) }
}

extension UnitKind: ExpressibleByArgument {}

struct SearchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "search",
    abstract: "Search sections, cases and policy measures, ranked by BM25.",
    discussion: """
      Query language:
        产教融合 乡村振兴            all words must match (ranked by BM25)
        实训基地 OR 实习基地         either word
        学校 -疫情                   exclude units that mention 疫情
        "现代学徒制试点"             exact phrase
        region:临汾 year:2024 kind:case|section|policy   filters (also --region/--year/--kind)
      A Chinese word matches the same characters wherever they occur, however the text
      was segmented; traditional characters and full-width forms match their simplified
      and half-width forms. When no unit has all words, the best any-word results are
      shown and marked as such.
      """
  )

  @Argument(parsing: .allUnrecognized, help: "The query. (quotes optional: zhisou search 学校 -疫情)")
  var words: [String]

  var query: String { words.filter { $0 != "--" }.joined(separator: " ") }
  @Option(help: "How many hits to show.")
  var limit = 10
  @Option(help: "Skip this many hits first.")
  var offset = 0
  @Flag(help: "Show each word's score contribution.")
  var explain = false
  @OptionGroup var filter: FilterOptions
  @OptionGroup var options: IndexOptions

  func run() throws {
    try reportingErrors {
      var parsed = try QueryParser.parse(query)
      parsed.filters = filter.filters.merged(with: parsed.filters)
      let searcher = Searcher(index: try options.openIndex(), parameters: options.scoring)
      let result = try searcher.search(parsed, limit: max(0, limit), offset: max(0, offset))
      let printer = HitPrinter(json: options.json, explain: explain)
      if result.hits.isEmpty {
        if !options.json { print("no units match \(query)") }
        return
      }
      if result.isFallback, !options.json {
        print("no unit contains all of the words; showing units that contain some of them:\n")
      }
      printer.print(result.hits, firstRank: offset + 1, announced: result.isFallback)
      if !options.json {
        // A pruned search knows only that more units matched, not how many; the count is
        // shown when exact, so the output does not depend on how the index is segmented.
        let shown = "showing \(offset + 1)–\(offset + result.hits.count)"
        print(
          Terminal.dim(
            result.totalIsExact
              ? "\(result.total) unit\(result.total == 1 ? "" : "s") match every word; \(shown)" : "best matches; \(shown)"))
      }
    }
  }
}
