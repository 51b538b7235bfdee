import ArgumentParser
import ZhisouSearch

struct StatsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stats",
    abstract: "What the index holds: documents, units by kind, terms, segments, size."
  )

  @OptionGroup var options: IndexOptions

  func run() throws {
    try reportingErrors {
      let index = try options.openIndex()
      var kinds: [UnitKind: Int] = [:]
      var terms = 0
      for (s, segment) in index.segments.enumerated() {
        terms += segment.termCount
        for u in 0..<segment.unitCount where !index.isDeleted(segment: s, unit: Int32(u)) {
          kinds[try segment.storedKind(u), default: 0] += 1
        }
      }
      let stats = index.statistics
      if options.json {
        print(
          "{\"generation\":\(index.generationNumber),\"documents\":\(index.documentCount),\"units\":\(stats.unitCount),\"sections\":\(kinds[.section] ?? 0),\"cases\":\(kinds[.case] ?? 0),\"policies\":\(kinds[.policy] ?? 0),\"segments\":\(index.segments.count),\"terms\":\(terms),\"averageTitleLength\":\(stats.averageLength(.title)),\"averageBodyLength\":\(stats.averageLength(.body))}"
        )
        return
      }
      print("index \(options.index), generation \(index.generationNumber), \(index.segments.count) segment(s)")
      print("\(index.documentCount) documents, \(stats.unitCount) units: \(kinds[.section] ?? 0) sections, \(kinds[.case] ?? 0) cases, \(kinds[.policy] ?? 0) policy measures")
      print("\(terms) distinct (field, term) keys; average title \(Int(stats.averageLength(.title))) and body \(Int(stats.averageLength(.body))) slots")
      for document in try index.allDocuments() {
        let m = document.metadata
        print("  \(m.file)  \(m.title)  \(m.region) \(m.year.map(String.init) ?? "?") \(m.kind)")
      }
    }
  }
}
