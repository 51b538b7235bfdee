import ArgumentParser
import ZhisouSearch

struct StatsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stats",
    abstract: "What the index holds: documents, units by kind, terms, segments, size."
  )

  @OptionGroup var options: IndexOptions

  @Flag(help: "List every document (text output lists the first \(Self.listedDocuments)).")
  var documents = false

  static let listedDocuments = 20

  func run() throws {
    try reportingErrors {
      let index = try options.openIndex()
      var kinds: [UnitKind: Int] = [:]
      let terms = try index.distinctTermCount()
      var fileBytes = 0
      var postingsBytes = 0
      var storedBytes = 0
      for (s, segment) in index.segments.enumerated() {
        fileBytes += segment.fileBytes
        postingsBytes += segment.postingsBytes
        storedBytes += segment.storedUnitBytes
        for u in 0..<segment.unitCount where !index.isDeleted(segment: s, unit: Int32(u)) {
          kinds[try segment.storedKind(u), default: 0] += 1
        }
      }
      let stats = index.statistics
      if options.json {
        print(
          "{\"generation\":\(index.generationNumber),\"documents\":\(index.documentCount),\"units\":\(stats.unitCount),\"sections\":\(kinds[.section] ?? 0),\"cases\":\(kinds[.case] ?? 0),\"policies\":\(kinds[.policy] ?? 0),\"segments\":\(index.segments.count),\"segmentBytes\":\(fileBytes),\"postingsBytes\":\(postingsBytes),\"storedUnitBytes\":\(storedBytes),\"terms\":\(terms),\"averageTitleLength\":\(stats.averageLength(.title)),\"averageBodyLength\":\(stats.averageLength(.body))}"
        )
        return
      }
      print(
        "index \(options.index), generation \(index.generationNumber), \(index.segments.count) segment(s)"
      )
      print(
        "\(index.documentCount) documents, \(stats.unitCount) units: \(kinds[.section] ?? 0) sections, \(kinds[.case] ?? 0) cases, \(kinds[.policy] ?? 0) policy measures"
      )
      print(
        "\(terms) distinct (field, term) keys; average title \(Int(stats.averageLength(.title))) and body \(Int(stats.averageLength(.body))) slots"
      )
      let mb = { (bytes: Int) in HitPrinter.fixed(Double(bytes) / 1e6, digits: 1) + " MB" }
      print(
        "index \(mb(fileBytes)): \(mb(fileBytes - storedBytes)) without the stored text "
          + "(postings \(mb(postingsBytes))), stored units \(mb(storedBytes))")
      let all = try index.allDocuments()
      let listed = documents ? all[...] : all.prefix(Self.listedDocuments)
      for document in listed {
        let m = document.metadata
        print("  \(m.file)  \(m.title)  \(m.region) \(m.year.map(String.init) ?? "?") \(m.kind)")
      }
      if listed.count < all.count {
        print("  … and \(all.count - listed.count) more (--documents lists them all)")
      }
    }
  }
}
