/// Finds policies for a keyword: policy documents in the corpus and cited policy
/// documents (《title》 with its number) whose title or number matches, each with the
/// units that cite it; then the policy measures and passages that match.
public struct PolicyFinder {
  /// A cited or indexed policy document and where it is cited.
  public struct Policy: Sendable {
    public var citation: PolicyCitation
    /// Units citing it, in document order.
    public var citedBy: [StoredUnit]
    /// Whether the policy is itself a document of the corpus.
    public var isCorpusDocument: Bool
  }

  public let searcher: Searcher

  public init(searcher: Searcher) { self.searcher = searcher }

  /// Policies matching every word of `query`, most cited first, and the ranked measures.
  public func policies(_ query: Query, measureLimit: Int = 10) throws(IndexError) -> (
    policies: [Policy], measures: SearchResult
  ) {
    let patterns = query.words.map { searcher.pattern($0.text) }
    let finder = SnippetBuilder()
    func matchesAll(_ text: String) -> Bool {
      let found = Set(finder.occurrences(in: text, patterns: patterns, analyzer: searcher.analyzer).map(\.word))
      return found.count == patterns.count
    }
    var policies: [String: Policy] = [:]
    var order: [String] = []
    let index = searcher.index
    for document in try index.allDocuments() where document.metadata.kind == "policy" {
      let m = document.metadata
      if matchesAll(m.title) {
        let key = m.title
        policies[key] = Policy(
          citation: PolicyCitation(title: m.title, year: m.year), citedBy: [], isCorpusDocument: true)
        order.append(key)
      }
    }
    for address in index.liveUnits() {
      let unit = try index.unit(address)
      for citation in unit.citations where citation.documentNumber != nil || isPolicyTitle(citation.title) {
        guard matchesAll(citation.title + " " + (citation.documentNumber ?? "")) else { continue }
        let key = citation.documentNumber ?? citation.title
        if policies[key] == nil {
          policies[key] = Policy(citation: citation, citedBy: [], isCorpusDocument: false)
          order.append(key)
        }
        if policies[key]?.citedBy.last?.address != unit.address { policies[key]?.citedBy.append(unit) }
      }
    }
    let found = order.compactMap { policies[$0] }.sorted {
      ($0.isCorpusDocument ? 1 : 0, $0.citedBy.count) > ($1.isCorpusDocument ? 1 : 0, $1.citedBy.count)
    }
    var measuresQuery = query
    measuresQuery.filters.kind = query.filters.kind
    var measures = try searcher.search(measuresQuery, limit: nil)
    // Policy measures first, then other passages, each by score.
    measures.hits.sort { a, b in
      let ka = a.unit.kind == .policy ? 0 : 1
      let kb = b.unit.kind == .policy ? 0 : 1
      return ka != kb ? ka < kb : a.score > b.score
    }
    measures.hits = Array(measures.hits.prefix(measureLimit))
    return (found, measures)
  }

  /// Titles of official documents, as opposed to books and courses in 《》.
  func isPolicyTitle(_ title: String) -> Bool {
    let endings = ["通知", "意见", "办法", "方案", "规划", "计划", "决定", "规定", "条例", "法", "纲要", "标准", "细则", "指南", "要点", "批复", "函", "公告", "目录"]
    return endings.contains { title.hasSuffix($0) }
  }
}
