/// Finds policies for a keyword: policy documents in the corpus and cited policy
/// documents (《title》 with its number) whose title or number matches, each with the
/// units that cite it; then the policy measures and passages that match.
public struct PolicyFinder {
  /// A cited or indexed policy document and where it is cited.
  public struct Policy: Sendable {
    public var citation: PolicyCitation
    /// Units citing it, in document order.
    public var citedBy: [CitingUnit]
    /// Whether the policy is itself a document of the corpus.
    public var isCorpusDocument: Bool
  }

  /// A unit that cites a policy, named without its text: a common policy is cited by
  /// thousands of units, which only need naming.
  public struct CitingUnit: Sendable {
    public var address: UnitAddress
    /// Global document number (`IndexReader.documentRecord`).
    public var document: Int
    public var title: String
    public var headingPath: [String]
    /// 1-based, inclusive line span in the source file.
    public var lineStart: Int
    public var lineEnd: Int
  }

  public let searcher: Searcher

  public init(searcher: Searcher) { self.searcher = searcher }

  /// Policies matching every word of `query`, most cited first, and the ranked measures.
  /// (`measureLimit` below 0 counts as 0.)
  public func policies(_ query: Query, measureLimit: Int = 10) throws(IndexError) -> (
    policies: [Policy], measures: SearchResult
  ) {
    let patterns = query.words.map { searcher.pattern($0.text) }
    let finder = SnippetBuilder()
    // The same policy is cited by many units: each title and number is analysed once
    // (kept by its bytes: hashing a String normalises it first).
    var matched: [[UInt8]: Bool] = [:]
    func matchesAll(_ text: String) -> Bool {
      let key = Array(text.utf8)
      if let known = matched[key] { return known }
      let found = Set(
        finder.occurrences(in: text, patterns: patterns, analyzer: searcher.analyzer).map(\.word))
      matched[key] = found.count == patterns.count
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
          citation: PolicyCitation(title: m.title, year: m.year), citedBy: [],
          isCorpusDocument: true)
        order.append(key)
      }
    }
    for address in index.liveUnits() {
      let unit = try index.unit(address, withText: false)
      for citation in unit.citations
      where citation.documentNumber != nil || isPolicyTitle(citation.title) {
        guard matchesAll(citation.title + " " + (citation.documentNumber ?? "")) else { continue }
        let key = citation.documentNumber ?? citation.title
        if policies[key] == nil {
          policies[key] = Policy(citation: citation, citedBy: [], isCorpusDocument: false)
          order.append(key)
        }
        if policies[key]?.citedBy.last?.address != unit.address {
          policies[key]?.citedBy.append(
            CitingUnit(
              address: unit.address, document: unit.document, title: unit.title,
              headingPath: unit.headingPath, lineStart: unit.lineStart, lineEnd: unit.lineEnd))
        }
      }
    }
    let found = order.compactMap { policies[$0] }.sorted {
      ($0.isCorpusDocument ? 1 : 0, $0.citedBy.count) > (
        $1.isCorpusDocument ? 1 : 0, $1.citedBy.count
      )
    }
    return (found, try measures(query, limit: max(0, measureLimit)))
  }

  /// The `limit` best policy measures (units of kind policy) matching every word, then
  /// the best other passages; partial matches (some of the words) fill the rest when
  /// fewer match them all. Ranked as `search` ranks, with snippets for these alone.
  func measures(_ query: Query, limit: Int) throws(IndexError) -> SearchResult {
    guard limit > 0 else { return SearchResult(hits: [], total: 0, isFallback: false) }
    var policyQuery = query
    policyQuery.filters.kind = .policy
    if query.filters.kind == .policy { return try searcher.search(policyQuery, limit: limit) }
    // Ranked without snippets; the snippets of the hits kept are made once, at the end.
    let policies =
      query.filters.kind == nil
      ? try searcher.search(policyQuery, limit: limit, allowFallback: false, snippets: false)
      : SearchResult(hits: [], total: 0, isFallback: false)
    var result = policies
    if policies.hits.count < limit {
      // Of the best hits of any kind, the policy measures are listed already.
      let listed = Set(policies.hits.map(\.unit.address))
      var rest = try searcher.search(
        query, limit: limit + policies.hits.count, snippets: false)
      rest.hits.removeAll { listed.contains($0.unit.address) }
      result = SearchResult(
        hits: Array((policies.hits + rest.hits).prefix(limit)), total: rest.total,
        totalIsExact: rest.totalIsExact, isFallback: policies.hits.isEmpty && rest.isFallback)
    }
    let snippets = searcher.snippets(of: result.hits.map(\.unit), query: query)
    for i in result.hits.indices { result.hits[i].snippet = snippets[i] }
    return result
  }

  /// Titles of official documents, as opposed to books and courses in 《》.
  func isPolicyTitle(_ title: String) -> Bool {
    // Compared as UTF-8 bytes: a String suffix test compares characters, and this runs
    // for every citation of every unit.
    let bytes = title.utf8
    return Self.titleEndings.contains { ending in
      bytes.count >= ending.count && bytes.suffix(ending.count).elementsEqual(ending)
    }
  }

  private static let titleEndings: [[UInt8]] = [
    "通知", "意见", "办法", "方案", "规划", "计划", "决定", "规定", "条例", "法", "纲要", "标准", "细则", "指南",
    "要点", "批复", "函", "公告", "目录",
  ].map { Array($0.utf8) }
}
