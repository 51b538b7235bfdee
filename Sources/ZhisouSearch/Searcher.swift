@_exported import ZhisouAnalysis
@_exported import ZhisouCorpus
@_exported import ZhisouIndex

/// Runs queries against an open index: matches words, scores with BM25, filters,
/// ranks exactly (every match is scored) and builds snippets for the returned page.
public final class Searcher {
  public let index: IndexReader
  public var scorer: BM25Scorer
  let analyzer: Analyzer
  private var patternCache: [String: WordPattern] = [:]

  /// Abbreviations and equivalent names a word also matches.
  public var synonyms: SynonymExpander

  public init(
    index: IndexReader, parameters: ScoringParameters = ScoringParameters(),
    synonyms: SynonymExpander = .standard
  ) {
    self.index = index
    scorer = BM25Scorer(parameters: parameters)
    analyzer = Analyzer()
    self.synonyms = synonyms
  }

  /// The query with each word's synonyms as alternatives (A → A OR A′).
  func expanded(_ query: Query) -> Query {
    var out = query
    out.groups = query.groups.map { group in
      var words = group
      for word in group where !word.isPhrase {
        for variant in synonyms.variants(of: word.text) where !words.contains(where: { $0.text == variant }) {
          words.append(Query.Word(variant))
        }
      }
      return words
    }
    return out
  }

  /// The pattern a query word matches by.
  public func pattern(_ word: String) -> WordPattern {
    if let known = patternCache[word] { return known }
    let pattern = WordPattern(word, analyzer: analyzer)
    patternCache[word] = pattern
    return pattern
  }

  /// Where one word matched, per segment: unit → (title score, body score).
  private struct WordScores {
    var perSegment: [[Int32: (title: Double, body: Double)]]
  }

  private func scores(of word: String) throws(IndexError) -> WordScores {
    let p = pattern(word)
    var matches: [(title: FieldMatches, body: FieldMatches)] = []
    var df: [Field: Int] = [.title: 0, .body: 0]
    for (s, segment) in index.segments.enumerated() {
      let title = try WordMatcher.matches(p, in: segment, field: .title)
      let body = try WordMatcher.matches(p, in: segment, field: .body)
      df[.title]! += title.units.filter { !index.isDeleted(segment: s, unit: $0) }.count
      df[.body]! += body.units.filter { !index.isDeleted(segment: s, unit: $0) }.count
      matches.append((title, body))
    }
    let n = index.statistics.unitCount
    var out = WordScores(perSegment: [])
    for (s, segment) in index.segments.enumerated() {
      var map: [Int32: (title: Double, body: Double)] = [:]
      for field in [Field.title, .body] {
        let m = field == .title ? matches[s].title : matches[s].body
        let idf = scorer.idf(documentFrequency: df[field]!, unitCount: n)
        let average = index.statistics.averageLength(field)
        let weight = scorer.weight(field)
        for (k, unit) in m.units.enumerated() where !index.isDeleted(segment: s, unit: unit) {
          let length = Double(try segment.length(field, of: Int(unit)))
          let score =
            weight
            * scorer.score(
              tf: Double(m.frequencies[k]), length: length, averageLength: average, idf: idf)
          var entry = map[unit] ?? (0, 0)
          if field == .title { entry.title += score } else { entry.body += score }
          map[unit] = entry
        }
      }
      out.perSegment.append(map)
    }
    return out
  }

  /// Runs `query`; `limit` nil returns every match.
  public func search(_ original: Query, limit: Int? = 10, offset: Int = 0, allowFallback: Bool = true)
    throws(IndexError) -> SearchResult
  {
    let query = expanded(original)
    var words: [String: WordScores] = [:]
    for word in query.words + query.excluded where words[word.text] == nil {
      words[word.text] = try scores(of: word.text)
    }
    var ranked = try rank(query, words: words)
    let strictCount = ranked.count
    // Fewer full matches than asked for: below them, the units that match some of the
    // words or the words' own parts (社会培训 → 社会, 培训), marked as partial matches.
    if allowFallback, limit.map({ ranked.count < offset + $0 }) ?? true {
      var relaxed = query
      relaxed.groups = [relaxedWords(query)]
      for word in relaxed.groups[0] where words[word.text] == nil {
        words[word.text] = try scores(of: word.text)
      }
      let seen = Set(ranked.map(\.1))
      ranked += try rank(relaxed, words: words).filter { !seen.contains($0.1) }
    }
    let isFallback = strictCount == 0 && !ranked.isEmpty
    let page = ranked.dropFirst(offset).prefix(limit ?? ranked.count)
    let patterns = query.words.map { pattern($0.text) }
    let snippets = SnippetBuilder()
    var hits: [Hit] = []
    for (rank, (score, address)) in zip(offset..., page) {
      let unit = try index.unit(address)
      let document = index.documents[unit.document]
      var explanation: [(String, Double, Double)] = []
      for word in query.words {
        let entry = words[word.text]?.perSegment[Int(address.segment)][address.unit] ?? (0, 0)
        explanation.append((word.text, entry.title, entry.body))
      }
      hits.append(
        Hit(
          unit: unit, document: document, score: score,
          snippet: snippets.snippet(of: unit.text, patterns: patterns, analyzer: analyzer),
          explanation: explanation, isFallback: rank >= strictCount))
    }
    return SearchResult(hits: hits, total: strictCount, isFallback: isFallback)
  }

  /// The query's words and their parts as the analyzer segments them, for partial matches.
  private func relaxedWords(_ query: Query) -> [Query.Word] {
    var out: [Query.Word] = []
    var seen = Set<String>()
    for word in query.words {
      if seen.insert(word.text).inserted { out.append(word) }
      for token in analyzer.analyze(word.text, include: .words).tokens {
        guard token.kind != .compound || token.positionLength > 1 else { continue }
        guard token.term.unicodeScalars.count >= 2 else { continue }
        if seen.insert(token.term).inserted { out.append(Query.Word(token.term)) }
      }
    }
    return out
  }

  /// Every unit matching the query, best first: (score, address).
  private func rank(_ query: Query, words: [String: WordScores]) throws(IndexError) -> [(
    Double, UnitAddress
  )] {
    var ranked: [(Double, UnitAddress)] = []
    for (s, segment) in index.segments.enumerated() {
      // Units matching each group, with the group's score.
      var groupScores: [[Int32: Double]] = []
      for group in query.groups {
        var scores: [Int32: Double] = [:]
        for word in group {
          for (unit, entry) in words[word.text]?.perSegment[s] ?? [:] {
            scores[unit, default: 0] += entry.title + entry.body
          }
        }
        groupScores.append(scores)
      }
      var candidates: [Int32: Double]
      if groupScores.isEmpty {
        // Filters only: every live unit, unscored.
        candidates = [:]
        for u in 0..<segment.unitCount where !index.isDeleted(segment: s, unit: Int32(u)) {
          candidates[Int32(u)] = 0
        }
      } else {
        groupScores.sort { $0.count < $1.count }
        candidates = groupScores[0]
        for other in groupScores.dropFirst() {
          candidates = candidates.filter { other[$0.key] != nil }.mapValues { $0 }
          for (unit, score) in candidates { candidates[unit] = score + (other[unit] ?? 0) }
        }
      }
      for word in query.excluded {
        for unit in (words[word.text]?.perSegment[s] ?? [:]).keys { candidates[unit] = nil }
      }
      let parameters = scorer.parameters
      for (unit, score) in candidates {
        let address = UnitAddress(segment: Int32(s), unit: unit)
        guard try passes(query.filters, address, segment) else { continue }
        let bare = try segment.length(.body, of: Int(unit)) <= parameters.bareHeadingLength
        ranked.append((bare ? score * parameters.bareHeadingFactor : score, address))
      }
    }
    ranked.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
    return ranked
  }

  private func passes(_ filters: Filters, _ address: UnitAddress, _ segment: SegmentReader)
    throws(IndexError) -> Bool
  {
    if filters.region == nil, filters.year == nil, filters.kind == nil { return true }
    guard let d = index.document(of: address) else { return false }
    let metadata = index.documents[d].metadata
    if let region = filters.region, !metadata.region.contains(region),
      !metadata.title.contains(region)
    {
      return false
    }
    if let year = filters.year, metadata.year != year { return false }
    if let kind = filters.kind, try segment.storedKind(Int(address.unit)) != kind { return false }
    return true
  }
}
