import ArgumentParser
import ZhisouSearch

struct PoliciesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "policies",
    abstract: "Policy documents and cited policies matching a keyword, with the units citing them; then policy measures."
  )

  @Argument(parsing: .allUnrecognized, help: "The keyword (same query language as search). (quotes optional: zhisou search 学校 -疫情)")
  var words: [String]

  var keyword: String { words.filter { $0 != "--" }.joined(separator: " ") }
  @Option(help: "How many policy measures to show.")
  var limit = 10
  @OptionGroup var filter: FilterOptions
  @OptionGroup var options: IndexOptions

  func run() throws {
    try reportingErrors {
      var query = try QueryParser.parse(keyword)
      query.filters = filter.filters.merged(with: query.filters)
      let finder = PolicyFinder(searcher: Searcher(index: try options.openIndex(), parameters: options.scoring))
      let (policies, measures) = try finder.policies(query, measureLimit: max(0, limit))
      let printer = HitPrinter(json: options.json)
      if options.json {
        for policy in policies {
          let c = policy.citation
          let cited = try policy.citedBy.map {
            "{\"id\":\(JSONText.quote($0.address.id)),\"file\":\(JSONText.quote(try finder.searcher.index.documentRecord($0.document).metadata.file)),\"lineStart\":\($0.lineStart),\"lineEnd\":\($0.lineEnd),\"title\":\(JSONText.quote($0.title))}"
          }
          print(
            "{\"type\":\"policy\",\"title\":\(JSONText.quote(c.title)),\"documentNumber\":\(c.documentNumber.map(JSONText.quote) ?? "null"),\"year\":\(c.year.map(String.init) ?? "null"),\"inCorpus\":\(policy.isCorpusDocument),\"citedBy\":[\(cited.joined(separator: ","))]}"
          )
        }
        for (i, hit) in measures.hits.enumerated() {
          print(printer.jsonLine(hit, rank: i + 1, extra: ["type": "\"measure\""]))
        }
        return
      }
      if policies.isEmpty {
        print("no policy document or citation matches \(keyword)")
      } else {
        print(Terminal.bold("\(policies.count) policy document(s)") + "\n")
        for (i, policy) in policies.enumerated() {
          let c = policy.citation
          let number = c.documentNumber.map { "（\($0)）" } ?? ""
          let year = c.year.map { " \($0)" } ?? ""
          print("\(i + 1). 《\(c.title)》\(number)\(year)" + (policy.isCorpusDocument ? "  [in corpus]" : ""))
          for unit in policy.citedBy.prefix(8) {
            let file = try finder.searcher.index.documentRecord(unit.document).metadata.file
            print("   cited in \(file):\(unit.lineStart)-\(unit.lineEnd)  \(unit.title)")
          }
          if policy.citedBy.count > 8 { print("   … and \(policy.citedBy.count - 8) more") }
        }
      }
      if !measures.hits.isEmpty {
        print("\n" + Terminal.bold("policy measures and passages") + "\n")
        printer.print(measures.hits, firstRank: 1)
      }
    }
  }
}
