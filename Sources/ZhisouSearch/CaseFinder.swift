/// Finds every case study on a topic: all matching case units, ranked, split into
/// strong matches (the topic is in the case's title, or it scores at least half the
/// best) and passing mentions.
public struct CaseFinder {
  public let searcher: Searcher

  public init(searcher: Searcher) { self.searcher = searcher }

  /// All case units matching `query` (no limit), strongest first; `snippets: false`
  /// leaves them to the caller (`Searcher.snippets(of:query:)`), who can then print the
  /// first of thousands of cases before the last snippet is made.
  public func cases(_ query: Query, snippets: Bool = true) throws(IndexError) -> (
    strong: [Hit], passing: [Hit], isFallback: Bool
  ) {
    var caseQuery = query
    caseQuery.filters.kind = .case
    let result = try searcher.search(caseQuery, limit: nil, snippets: snippets)
    let top = result.hits.first?.score ?? 0
    var strong: [Hit] = []
    var passing: [Hit] = []
    for hit in result.hits {
      let inTitle = hit.explanation.contains { $0.title > 0 }
      if !hit.isFallback, inTitle || hit.score >= 0.5 * top {
        strong.append(hit)
      } else {
        passing.append(hit)
      }
    }
    return (strong, passing, result.isFallback)
  }
}
