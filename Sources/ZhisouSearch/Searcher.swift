import Dispatch
#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
@_exported import ZhisouAnalysis
@_exported import ZhisouCorpus
@_exported import ZhisouIndex

/// Runs queries against an open index: matches words, scores with BM25, filters,
/// ranks exactly (every match is scored) and builds snippets for the returned page.
/// One thread at a time: it keeps the words it has prepared across searches (and a
/// search's opened postings until it returns); give each thread its own.
public final class Searcher {
  public let index: IndexReader
  public var scorer: BM25Scorer
  let analyzer: Analyzer
  private var patternCache: [String: WordPattern] = [:]

  /// Abbreviations and equivalent names a word also matches (the standard list is read
  /// when first needed: only partial matches use it, and most searches never get there).
  public var synonyms: SynonymExpander {
    get {
      if let loaded = loadedSynonyms { return loaded }
      let standard = SynonymExpander.standard
      loadedSynonyms = standard
      return standard
    }
    set { loadedSynonyms = newValue }
  }
  private var loadedSynonyms: SynonymExpander?

  private let titleAverage: Double
  private let bodyAverage: Double

  public init(
    index: IndexReader, parameters: ScoringParameters = ScoringParameters(),
    synonyms: SynonymExpander? = nil
  ) {
    self.index = index
    titleAverage = index.statistics.averageLength(.title)
    bodyAverage = index.statistics.averageLength(.body)
    scorer = BM25Scorer(parameters: parameters)
    analyzer = Analyzer()
    loadedSynonyms = synonyms
  }

  /// The query with each word's synonyms as alternatives (A → A OR A′), for partial matches.
  func expanded(_ query: Query) -> Query {
    var out = query
    out.groups = query.groups.map { group in
      var words = group
      for word in group where !word.isPhrase {
        for variant in synonyms.variants(of: word.text)
        where !words.contains(where: { $0.text == variant }) {
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

  /// A word ready to score: its idf per field and, per segment, where it occurs.
  private struct PreparedWord {
    var titleIdf: Double
    var bodyIdf: Double
    /// Per segment: dictionary entries of its single term or of its several terms, or
    /// its materialised matches (a lone character).
    var sources: [Source]
    /// A word of several terms: its distinct elements (in the order of `.terms` entries).
    var elements: [(element: WordPattern.Element, offsets: [Int32])] = []

    enum Source {
      case term(title: TermInfo?, body: TermInfo?)
      /// One entry per element; nil when an element is nowhere in the field.
      case terms(title: [Element]?, body: [Element]?)
      case matches(title: FieldMatches, body: FieldMatches)
    }

    /// One element of a word of several terms in one segment field.
    enum Element {
      case term(TermInfo)
      /// A lone character: the slots of every term it starts, merged once per word.
      case character(MaterializedPostings)
    }
  }

  private var prepared: [String: PreparedWord] = [:]

  /// Looks a word up in every segment, by its terms' dictionary entries alone, and
  /// keeps them for lazy, skippable reading (df from the dictionary, as Lucene counts).
  /// A word of several terms is matched as it is walked, and its df is estimated by its
  /// rarest term's: every match holds that term, so it bounds the true count from above
  /// (the idf from below), and for Chinese it is close — a word's rarest bigram rarely
  /// occurs outside it. Counting the matches exactly meant matching the word in every
  /// segment before the first score (41 000 units for a common phrase at 1 GB).
  /// Lone characters alone are matched up front (the union of every term each starts).
  private func prepare(_ word: String) throws(IndexError) -> PreparedWord {
    if let known = prepared[word] { return known }
    let p = pattern(word)
    var sources: [PreparedWord.Source] = []
    var elements: [(element: WordPattern.Element, offsets: [Int32])] = []
    var titleDf = 0
    var bodyDf = 0
    if p.isEmpty {
      // Nothing searchable (only punctuation): found nowhere.
      sources = index.segments.map { _ in .term(title: nil, body: nil) }
    } else if p.elements.count == 1, !p.elements[0].isPrefix {
      let term = p.elements[0].term
      for segment in index.segments {
        let title = try segment.lookup(field: .title, term: term)
        let body = try segment.lookup(field: .body, term: term)
        titleDf += title?.documentFrequency ?? 0
        bodyDf += body?.documentFrequency ?? 0
        sources.append(.term(title: title, body: body))
      }
    } else if p.elements.allSatisfy(\.isPrefix) {
      // Lone characters alone (学, or 学、生): no term's postings to walk or to bound
      // it by, so matched up front, with its exact count.
      let characters = p.distinctElements
      for (s, segment) in index.segments.enumerated() {
        let title = try WordMatcher.characterMatches(characters, in: segment, field: .title)
        let body = try WordMatcher.characterMatches(characters, in: segment, field: .body)
        titleDf += title.units.filter { !index.isDeleted(segment: s, unit: $0) }.count
        bodyDf += body.units.filter { !index.isDeleted(segment: s, unit: $0) }.count
        sources.append(.matches(title: title, body: body))
      }
    } else {
      elements = p.distinctElements
      var titleCounts = [Int](repeating: 0, count: elements.count)
      var bodyCounts = [Int](repeating: 0, count: elements.count)
      // The elements in one segment field; nil, and nothing counted, when one of them
      // is absent (the word cannot occur there).
      func lookUp(_ field: Field, in segment: SegmentReader, counts: inout [Int])
        throws(IndexError) -> [PreparedWord.Element]?
      {
        var found: [PreparedWord.Element] = []
        for (element, _) in elements {
          if element.isPrefix {
            guard
              let slots = try WordMatcher.characterPositions(
                element.term, in: segment, field: field)
            else { return nil }
            found.append(.character(slots))
          } else {
            guard let info = try segment.lookup(field: field, term: element.term) else {
              return nil
            }
            found.append(.term(info))
          }
        }
        for (i, entry) in found.enumerated() {
          if case .term(let info) = entry { counts[i] += info.documentFrequency }
        }
        return found
      }
      for segment in index.segments {
        sources.append(
          .terms(
            title: try lookUp(.title, in: segment, counts: &titleCounts),
            body: try lookUp(.body, in: segment, counts: &bodyCounts)))
      }
      let terms = elements.indices.filter { !elements[$0].element.isPrefix }
      titleDf = terms.map { titleCounts[$0] }.min() ?? 0
      bodyDf = terms.map { bodyCounts[$0] }.min() ?? 0
    }
    let n = index.statistics.unitCount
    let result = PreparedWord(
      titleIdf: scorer.idf(documentFrequency: titleDf, unitCount: n),
      bodyIdf: scorer.idf(documentFrequency: bodyDf, unitCount: n), sources: sources,
      elements: elements)
    prepared[word] = result
    return result
  }

  /// Postings cursors as first opened during one `search`, by segment and list:
  /// explaining the hits reopens the words' postings in the segments just ranked, and a
  /// common word's block headers take about a millisecond to parse at 1 GB.
  private var openedPostings: [PostingsKey: PostingsCursor] = [:]
  private struct PostingsKey: Hashable {
    var segment: Int
    var key: [UInt8]  // field byte and term
  }

  private func postings(_ info: TermInfo, segment s: Int) throws(IndexError) -> PostingsCursor {
    let key = PostingsKey(segment: s, key: info.key)
    if let opened = openedPostings[key] { return opened }
    let cursor = try index.segments[s].postings(info)
    openedPostings[key] = cursor
    return cursor
  }

  private func cursor(_ word: PreparedWord, segment s: Int) throws(IndexError) -> WordCursor {
    var title = FieldCursor.empty()
    var body = FieldCursor.empty()
    var cost = 0
    switch word.sources[s] {
    case .term(let t, let b):
      if let t { title = try FieldCursor(postings: postings(t, segment: s), info: t) }
      if let b { body = try FieldCursor(postings: postings(b, segment: s), info: b) }
      cost = (t?.documentFrequency ?? 0) + (b?.documentFrequency ?? 0)
    case .terms(let t, let b):
      if let t {
        let phrase = try phrase(word, t, segment: s)
        title = try FieldCursor(phrase: phrase, infos: Self.terms(of: t))
        cost += phrase.cost
      }
      if let b {
        let phrase = try phrase(word, b, segment: s)
        body = try FieldCursor(phrase: phrase, infos: Self.terms(of: b))
        cost += phrase.cost
      }
    case .matches(let t, let b):
      title = FieldCursor(matches: t)
      body = FieldCursor(matches: b)
      cost = t.units.count + b.units.count
    }
    return WordCursor(
      title: title, body: body, titleWeight: word.titleIdf * scorer.weight(.title),
      bodyWeight: word.bodyIdf * scorer.weight(.body), cost: cost,
      idf: word.bodyIdf > 0 ? word.bodyIdf : word.titleIdf)
  }

  /// A word of several terms in one field of segment `s`, from its elements there.
  private func phrase(_ word: PreparedWord, _ found: [PreparedWord.Element], segment s: Int)
    throws(IndexError) -> PhraseCursor
  {
    var sources: [ElementSource] = []
    for entry in found {
      switch entry {
      case .term(let info): sources.append(ElementSource(cursor: try postings(info, segment: s)))
      case .character(let slots): sources.append(ElementSource(materialized: slots))
      }
    }
    return PhraseCursor(sources: sources, offsets: word.elements.map(\.offsets))
  }

  /// The dictionary entries among a word's elements (what bounds its score).
  private static func terms(of found: [PreparedWord.Element]) -> [TermInfo] {
    found.compactMap { entry in
      if case .term(let info) = entry { return info }
      return nil
    }
  }

  /// BM25 of one field at the cursor's current unit (0 when the field is elsewhere).
  @inline(__always)
  private func fieldScore(
    _ f: FieldCursor, _ field: Field, weight: Double, unit: Int32, segment: SegmentReader
  ) throws(IndexError) -> Double {
    guard f.unit == unit, weight > 0 else { return 0 }
    let length = Double(try segment.length(field, of: Int(unit)))
    return scorer.score(
      tf: Double(f.tf), length: length, averageLength: field == .title ? titleAverage : bodyAverage,
      idf: weight)
  }

  /// The word's title and body scores at its current unit (under BM25F, its one score
  /// split between the fields in proportion to their contributions): what `--explain`
  /// shows.
  private func parts(_ w: WordCursor, unit: Int32, segment: SegmentReader) throws(IndexError) -> (
    Double, Double
  ) {
    guard scorer.parameters.fieldCombination == .bm25f else {
      return (
        try fieldScore(w.title, .title, weight: w.titleWeight, unit: unit, segment: segment),
        try fieldScore(w.body, .body, weight: w.bodyWeight, unit: unit, segment: segment)
      )
    }
    let (xt, xb) = try weightedTfs(w, unit: unit, segment: segment)
    let x = xt + xb
    guard x > 0 else { return (0, 0) }
    let total = scorer.saturate(x, idf: w.idf)
    if xt == 0 { return (0, total) }
    if xb == 0 { return (total, 0) }
    return (total * xt / x, total * xb / x)
  }

  /// The word's score at its current unit: `parts` added, without splitting it (ranking
  /// scores every candidate, and each division is on its critical path).
  @inline(__always)
  private func score(_ w: WordCursor, unit: Int32, segment: SegmentReader) throws(IndexError)
    -> Double
  {
    guard scorer.parameters.fieldCombination == .bm25f else {
      let (t, b) = try parts(w, unit: unit, segment: segment)
      return t + b
    }
    let (xt, xb) = try weightedTfs(w, unit: unit, segment: segment)
    return scorer.saturate(xt + xb, idf: w.idf)
  }

  /// BM25F's weighted, length-normalised tf of each field at the word's current unit.
  @inline(__always)
  private func weightedTfs(_ w: WordCursor, unit: Int32, segment: SegmentReader)
    throws(IndexError) -> (Double, Double)
  {
    let p = scorer.parameters
    var xt = 0.0
    var xb = 0.0
    if w.title.unit == unit, p.titleWeight > 0 {
      let length = Double(try segment.length(.title, of: Int(unit)))
      xt =
        p.titleWeight
        * scorer.normalizedTf(tf: Double(w.title.tf), length: length, averageLength: titleAverage)
    }
    if w.body.unit == unit, p.bodyWeight > 0 {
      let length = Double(try segment.length(.body, of: Int(unit)))
      xb =
        p.bodyWeight
        * scorer.normalizedTf(tf: Double(w.body.tf), length: length, averageLength: bodyAverage)
    }
    return (xt, xb)
  }

  /// Upper bound of a field's score: the largest tf over the shortest field.
  private func bound(_ f: FieldCursor, weight: Double, field: Field) -> Double {
    guard f.unit != Int32.max, weight > 0 else { return 0 }
    return scorer.score(
      tf: Double(f.maxTf), length: Double(f.minLength),
      averageLength: field == .title ? titleAverage : bodyAverage, idf: weight)
  }

  /// Upper bound of BM25F's normalised tf for one field.
  private func boundX(_ f: FieldCursor, weight: Double, field: Field) -> Double {
    guard f.unit != Int32.max, weight > 0 else { return 0 }
    return weight
      * scorer.normalizedTf(
        tf: Double(f.maxTf), length: Double(f.minLength),
        averageLength: field == .title ? titleAverage : bodyAverage)
  }

  /// Upper bound of the word's score at any of its remaining units.
  private func bound(_ w: WordCursor) -> Double {
    let p = scorer.parameters
    if p.fieldCombination == .bm25f {
      let x =
        boundX(w.title, weight: p.titleWeight, field: .title)
        + boundX(w.body, weight: p.bodyWeight, field: .body)
      return scorer.saturate(x, idf: w.idf)
    }
    return bound(w.title, weight: w.titleWeight, field: .title)
      + bound(w.body, weight: w.bodyWeight, field: .body)
  }

  /// The best contribution (BM25F's weighted normalised tf, or the field's BM25 score)
  /// of a field's block `b` among its units of impact class `c`, from its impacts.
  private func impactBound(
    _ f: FieldCursor, block b: Int, impactClass c: Int, field: Field, weight: Double
  ) -> Double {
    guard b < f.blockCount, weight > 0 else { return 0 }
    let average = field == .title ? titleAverage : bodyAverage
    let scorer = self.scorer
    let best = f.bestImpact(ofBlock: b, impactClass: c) { tf, length in
      scorer.normalizedTf(tf: Double(tf), length: Double(length), averageLength: average)
    }
    return fieldPart(best, weight: weight)
  }

  /// A field's part of a word's score from its normalised tf `x`: BM25F's weighted tf,
  /// or under per-field sums the field's own BM25 (the saturation of `x`).
  private func fieldPart(_ x: Double, weight: Double) -> Double {
    scorer.parameters.fieldCombination == .bm25f ? weight * x : scorer.saturate(x, idf: weight)
  }

  /// A word's score from its title and body parts (as `fieldPart` makes them).
  private func combined(_ title: Double, _ body: Double, idf: Double) -> Double {
    scorer.parameters.fieldCombination == .bm25f
      ? scorer.saturate(title + body, idf: idf) : title + body
  }

  /// The first unit at or after `target` whose blocks could score `needed` or more, from
  /// the blocks' impacts alone (the blocks passed over are not decoded): a lone driving
  /// word jumps there instead of scoring units that cannot enter the top k. Also returns
  /// the last unit the answer holds for (the end of the competitive blocks). Only units
  /// of `classes` (those a kind filter lets through) count.
  ///
  /// The title's postings are sparse (a word is in few headings), so a title block spans
  /// many body blocks, and its best impact would count for every one of them: where the
  /// body's blocks alone cannot compete but the title's would, a phrase (whose every
  /// candidate must be matched) moves its title cursor instead, and only the units with
  /// the phrase in their title are candidates.
  private func firstCompetitive(
    _ w: WordCursor, in segment: SegmentReader, from target: Int32, needed: Double,
    classes: [(impactClass: Int, demoted: Bool)]
  ) throws(IndexError) -> (unit: Int32, through: Int32) {
    let p = scorer.parameters
    let bm25f = p.fieldCombination == .bm25f
    let titleWeight = bm25f ? p.titleWeight : w.titleWeight
    let bodyWeight = bm25f ? p.bodyWeight : w.bodyWeight
    var from = target
    var tb = w.title.currentBlock
    var bb = w.body.currentBlock
    while true {
      tb = w.title.firstBlock(endingAtOrAfter: from, from: tb)
      bb = w.body.firstBlock(endingAtOrAfter: from, from: bb)
      let titleEnd = tb < w.title.blockCount ? w.title.lastUnit(ofBlock: tb) : Int32.max
      let bodyEnd = bb < w.body.blockCount ? w.body.lastUnit(ofBlock: bb) : Int32.max
      let end = min(titleEnd, bodyEnd)
      if end == Int32.max { return (Int32.max, Int32.max) }
      // The best score of the blocks' units from the body alone, and with the title.
      var bodyOnly = 0.0
      var withTitle = 0.0
      for (c, demoted) in classes {
        let xt = impactBound(w.title, block: tb, impactClass: c, field: .title, weight: titleWeight)
        let xb = impactBound(w.body, block: bb, impactClass: c, field: .body, weight: bodyWeight)
        if xt == 0, xb == 0 { continue }
        let factor = demoted ? p.bareHeadingFactor : 1
        bodyOnly = max(bodyOnly, combined(0, xb, idf: w.idf) * factor)
        withTitle = max(withTitle, combined(xt, xb, idf: w.idf) * factor)
      }
      // A hair of slack: a unit's score is summed from its fields' parts, which may
      // round an ulp above the bound's saturation.
      let slack = 1 + 1e-9
      if withTitle * slack < needed {
        from = end + 1
        continue
      }
      // A term's candidate costs little to score; a phrase's costs matching its terms.
      if bodyOnly * slack >= needed || !w.body.isPhrase { return (from, end) }
      // Only a unit with the word in its title can compete: the next one, if it comes
      // before the body block ends.
      try w.title.advance(to: from)
      if w.title.unit == from {
        // Its title part is known exactly (the title cursor is there); only the body's
        // is bounded, and the body phrase is matched only if the sum can compete.
        let length = Double(try segment.length(.title, of: Int(from)))
        let xt = fieldPart(
          scorer.normalizedTf(tf: Double(w.title.tf), length: length, averageLength: titleAverage),
          weight: titleWeight)
        var best = 0.0
        for (c, demoted) in classes {
          let xb = impactBound(w.body, block: bb, impactClass: c, field: .body, weight: bodyWeight)
          best = max(best, combined(xt, xb, idf: w.idf) * (demoted ? p.bareHeadingFactor : 1))
        }
        if best * slack >= needed { return (from, from) }
        from += 1
        continue
      }
      if bodyEnd == Int32.max, w.title.unit == Int32.max { return (Int32.max, Int32.max) }
      from = min(bodyEnd, w.title.unit - 1) + 1
    }
  }

  /// The best `limit` units for `original` after skipping `offset`, with partial matches
  /// below the full ones when `allowFallback`; `snippets: false` leaves every hit's snippet
  /// empty, for a caller that makes them as it prints (`snippets(of:query:)`).
  public func search(
    _ original: Query, limit: Int? = 10, offset: Int = 0, allowFallback: Bool = true,
    snippets makeSnippets: Bool = true
  )
    throws(IndexError) -> SearchResult
  {
    let query = original
    let wanted = limit.map { offset + $0 }
    defer { openedPostings = [:] }
    var (ranked, total, exact) = try rank(query, keep: wanted, skipping: [])
    let strictCount = ranked.count
    // Fewer full matches than asked for: below them, the units that match some of the
    // words or the words' own parts (社会培训 → 社会, 培训), marked as partial matches.
    if allowFallback, wanted.map({ ranked.count < $0 }) ?? true {
      var relaxed = query
      relaxed.groups = [relaxedWords(expanded(query))]
      let seen = Set(ranked.map(\.1))
      let more = try rank(relaxed, keep: wanted.map { $0 - ranked.count }, skipping: seen).ranked
      ranked += more
    }
    let isFallback = strictCount == 0 && !ranked.isEmpty
    let page = Array(ranked.dropFirst(offset).prefix(limit ?? ranked.count))
    let explanations = try explain(page.map(\.1), words: query.words)
    let units = try page.map { hit throws(IndexError) in try index.unit(hit.1) }
    let pageSnippets =
      makeSnippets
      ? snippets(of: units, query: query)
      : Array(repeating: Snippet(text: "", highlights: []), count: units.count)
    var hits: [Hit] = []
    for (i, (rank, (score, _))) in zip(offset..., page).enumerated() {
      hits.append(
        Hit(
          unit: units[i], document: try index.documentRecord(units[i].document), score: score,
          snippet: pageSnippets[i],
          explanation: explanations[i], isFallback: rank >= strictCount))
    }
    return SearchResult(hits: hits, total: total, totalIsExact: exact, isFallback: isFallback)
  }

  /// The snippet of `unit` for `query`: its best window(s) with the words marked.
  public func snippet(of unit: StoredUnit, query: Query) -> Snippet {
    snippets(of: [unit], query: query)[0]
  }

  /// The snippets of `units` for `query`, in order, made on every core: a snippet
  /// re-analyses its unit's text, and `cases` lists thousands of units.
  public func snippets(of units: [StoredUnit], query: Query) -> [Snippet] {
    let patterns = query.words.map { pattern($0.text) }
    // Each worker makes its own analyzer (an ICU iterator, a normaliser's tables), worth
    // it for a long list only: a page of ten, or of twenty, is made on this thread, and
    // the processor count (ProcessInfo) is not asked for.
    let wanted = units.count / 32
    let workers = wanted < 2 ? 1 : min(ProcessInfo.processInfo.activeProcessorCount, wanted)
    guard workers > 1 else {
      return units.map { SnippetBuilder().snippet(of: $0.text, patterns: patterns, analyzer: analyzer) }
    }
    let lexicon = analyzer.lexicon
    var snippets = [Snippet](repeating: Snippet(text: "", highlights: []), count: units.count)
    snippets.withUnsafeMutableBufferPointer { buffer in
      // Each worker writes only the slots i ≡ worker (mod workers): no two share one.
      nonisolated(unsafe) let out = buffer
      DispatchQueue.concurrentPerform(iterations: workers) { worker in
        let analyzer = Analyzer(lexicon: lexicon)  // an analyzer's buffers are its own
        for i in stride(from: worker, to: units.count, by: workers) {
          out[i] = SnippetBuilder().snippet(of: units[i].text, patterns: patterns, analyzer: analyzer)
        }
      }
    }
    return snippets
  }

  /// Each word's title and body score at each of `addresses`. The addresses are visited
  /// in index order with one cursor per segment and word: a cursor per hit would read a
  /// common word's block headers again for every hit (and `cases` returns thousands).
  private func explain(_ addresses: [UnitAddress], words: [Query.Word]) throws(IndexError)
    -> [[(word: String, title: Double, body: Double)]]
  {
    var out = [[(word: String, title: Double, body: Double)]](
      repeating: [], count: addresses.count)
    let prepared = try words.map { w throws(IndexError) in try prepare(w.text) }
    var cursors: [WordCursor] = []
    var cursorSegment: Int32 = -1
    for i in addresses.indices.sorted(by: { addresses[$0] < addresses[$1] }) {
      let address = addresses[i]
      let s = Int(address.segment)
      if address.segment != cursorSegment {
        cursors = try prepared.map { w throws(IndexError) in try cursor(w, segment: s) }
        cursorSegment = address.segment
      }
      for (w, word) in words.enumerated() {
        try cursors[w].advance(to: address.unit)
        let (t, b) = try parts(cursors[w], unit: address.unit, segment: index.segments[s])
        out[i].append((word.text, t, b))
      }
    }
    return out
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

  /// The best `keep` units matching the query (all when nil), best first, with the
  /// number of matches and whether that number is exact.
  ///
  /// Document at a time, driven by the group with the fewest postings; the other
  /// groups and the exclusions are probed at each candidate with skipping cursors.
  /// Dynamic pruning (MaxScore with block-max bounds): once `keep` units are held, a
  /// candidate — or a whole postings block of the driver — whose score bound cannot
  /// beat the weakest of them is skipped without being scored. Ties break by address,
  /// so the result equals scoring every match.
  private func rank(_ query: Query, keep: Int?, skipping: Set<UnitAddress>) throws(IndexError) -> (
    ranked: [(Double, UnitAddress)], total: Int, exact: Bool
  ) {
    var heap = TopK(capacity: keep)
    var total = 0
    var exact = true
    var groupWords: [[PreparedWord]] = []
    for group in query.groups {
      groupWords.append(try group.map { w throws(IndexError) in try prepare(w.text) })
    }
    let excludedWords = try query.excluded.map { w throws(IndexError) in try prepare(w.text) }
    let factor = scorer.parameters.bareHeadingFactor
    let impactClasses = IndexFormat.impactClasses(of: query.filters.kind)

    for (s, segment) in index.segments.enumerated() {
      var groups: [[WordCursor]] = []
      for words in groupWords {
        groups.append(try words.map { w throws(IndexError) in try cursor(w, segment: s) })
      }
      let excluded = try excludedWords.map { w throws(IndexError) in try cursor(w, segment: s) }
      // With filters, the units that can pass them (each one of them does): the driver
      // jumps from one range to the next instead of visiting every match.
      let passing = try passingUnits(query.filters, segment: s)
      if groups.isEmpty {
        // Filters only: every live unit that passes, unscored.
        for units in passing ?? [0..<Int32(segment.unitCount)] {
          for u in units where !index.isDeleted(segment: s, unit: u) {
            let address = UnitAddress(segment: Int32(s), unit: u)
            if skipping.contains(address) { continue }
            total += 1
            heap.insert(0, address)
          }
        }
        continue
      }
      // The group with the fewest postings drives.
      groups.sort { a, b in a.reduce(0) { $0 + $1.cost } < b.reduce(0) { $0 + $1.cost } }
      // What each group, and the groups from it on, could add at most.
      var boundsFrom = [Double](repeating: 0, count: groups.count + 1)
      for g in groups.indices.reversed() {
        boundsFrom[g] = boundsFrom[g + 1] + groups[g].reduce(0) { $0 + bound($1) }
      }
      let othersBound = boundsFrom[1]
      // The driving group's words (any of which may match) by increasing bound. MaxScore:
      // once the kept set's threshold exceeds what the first `essential` words could add
      // together, units matching only those are not visited: candidates come from the
      // rest, and those words are probed at them.
      let driver = groups[0].sorted { bound($0) < bound($1) }
      // A group of no words matches nothing (as before: no driving unit).
      guard !driver.isEmpty else { continue }
      var prefixBounds = [0.0]
      for w in driver { prefixBounds.append(prefixBounds[prefixBounds.count - 1] + bound(w)) }
      var essential = 0
      // The word of highest bound is the last to stay essential; held outside the array
      // (no element copies, so no reference counting, per candidate) as a lone driver.
      let lone = driver[driver.count - 1]
      var range = 0
      // The lone word's units up to here are in blocks found competitive (checked once).
      var competitiveThrough: Int32 = -1

      while true {
        if let threshold = heap.threshold {
          while essential < driver.count,
            prefixBounds[essential + 1] * (1 + 1e-9) + othersBound < threshold
          {
            essential += 1
            exact = false
          }
          if essential == driver.count { break }
        }
        let single = essential == driver.count - 1
        var u = lone.unit
        if !single { for i in essential..<driver.count { u = min(u, driver[i].unit) } }
        if u == Int32.max { break }
        if let passing {
          while range < passing.count, passing[range].upperBound <= u { range += 1 }
          if range == passing.count { break }
          let start = passing[range].lowerBound
          if u < start {
            if single {
              try lone.advance(to: start)
            } else {
              for i in essential..<driver.count { try driver[i].advance(to: start) }
            }
            continue
          }
        }
        // Block-max: jump over the lone word's blocks whose best unit would lose.
        if single, lone.body.hasBlocks, u > competitiveThrough, let threshold = heap.threshold {
          let needed = threshold - othersBound - prefixBounds[essential]
          let (next, through) = try firstCompetitive(
            lone, in: segment, from: u, needed: needed, classes: impactClasses)
          competitiveThrough = through
          if next > u {
            exact = false
            try lone.advance(to: next)
            continue
          }
        }
        // Cheap rejections first: deleted, already listed (filters were the ranges).
        let address = UnitAddress(segment: Int32(s), unit: u)
        if index.isDeleted(segment: s, unit: u) || (!skipping.isEmpty && skipping.contains(address))
        {
          if single {
            try lone.next()
          } else {
            for i in essential..<driver.count where driver[i].unit == u { try driver[i].next() }
          }
          continue
        }
        var score = 0.0
        if single {
          score = try self.score(lone, unit: u, segment: segment)
          try lone.next()
        } else {
          for i in essential..<driver.count where driver[i].unit == u {
            score += try self.score(driver[i], unit: u, segment: segment)
            try driver[i].next()
          }
        }
        if essential > 0 {
          // The other words, highest bound first; stopped as soon as what they could
          // still add cannot lift the candidate into the kept set.
          var losing = false
          for i in (0..<essential).reversed() {
            if let threshold = heap.threshold, score + prefixBounds[i + 1] + othersBound < threshold
            {
              losing = true
              break
            }
            try driver[i].advance(to: u)
            if driver[i].unit == u {
              score += try self.score(driver[i], unit: u, segment: segment)
            }
          }
          if losing { continue }
        }
        // MaxScore: a candidate that cannot reach the kept set is not probed further.
        if let threshold = heap.threshold, score + othersBound < threshold {
          exact = false
          continue
        }
        var matched = true
        for g in 1..<groups.count {
          // The groups still to probe cannot lift it into the kept set: rejected.
          if g > 1, let threshold = heap.threshold, score + boundsFrom[g] < threshold {
            matched = false
            break
          }
          var groupScore = 0.0
          var any = false
          for i in groups[g].indices {
            try groups[g][i].advance(to: u)
            if groups[g][i].unit == u {
              groupScore += try self.score(groups[g][i], unit: u, segment: segment)
              any = true
            }
          }
          if !any {
            matched = false
            break
          }
          score += groupScore
        }
        if !matched { continue }
        var isExcluded = false
        for i in excluded.indices {
          try excluded[i].advance(to: u)
          if excluded[i].unit == u {
            isExcluded = true
            break
          }
        }
        if isExcluded { continue }
        if try segment.isDemoted(Int(u)) { score *= factor }
        total += 1
        heap.insert(score, address)
      }
    }
    return (heap.sorted(), total, exact)
  }

  /// The unit ranges, in order, that can pass the filters in segment `s`: units of live
  /// documents passing the region and year filters, of the filter's kind; nil when there
  /// are no filters (every unit may pass).
  private func passingUnits(_ filters: Filters, segment s: Int) throws(IndexError)
    -> [Range<Int32>]?
  {
    var ranges: [Range<Int32>]? = nil
    if filters.region != nil || filters.year != nil {
      var passing: [Range<Int32>] = []
      for (document, units) in index.documentUnits(segment: s) where !units.isEmpty {
        if try documentPasses(document, filters) { passing.append(units) }
      }
      ranges = passing
    }
    if let kind = filters.kind {
      let runs = try kindRuns(kind, segment: s)
      ranges = ranges.map { Self.intersection($0, runs) } ?? runs
    }
    return ranges
  }

  /// Runs of consecutive units of `kind` in segment `s` (cases are a sixth of the units,
  /// in runs: a filtered query jumps between them instead of rejecting the rest).
  private func kindRuns(_ kind: UnitKind, segment s: Int) throws(IndexError) -> [Range<Int32>] {
    let key = KindRunsKey(segment: s, kind: kind)
    if let runs = kindRunsCache[key] { return runs }
    let segment = index.segments[s]
    var runs: [Range<Int32>] = []
    for u in 0..<segment.unitCount where try segment.storedKind(u) == kind {
      if let last = runs.last, last.upperBound == Int32(u) {
        runs[runs.count - 1] = last.lowerBound..<Int32(u + 1)
      } else {
        runs.append(Int32(u)..<Int32(u + 1))
      }
    }
    kindRunsCache[key] = runs
    return runs
  }

  private struct KindRunsKey: Hashable {
    var segment: Int
    var kind: UnitKind
  }
  private var kindRunsCache: [KindRunsKey: [Range<Int32>]] = [:]

  /// The ranges covered by both sorted, disjoint range lists.
  private static func intersection(_ a: [Range<Int32>], _ b: [Range<Int32>]) -> [Range<Int32>] {
    var out: [Range<Int32>] = []
    var i = 0
    var j = 0
    while i < a.count, j < b.count {
      let low = max(a[i].lowerBound, b[j].lowerBound)
      let high = min(a[i].upperBound, b[j].upperBound)
      if low < high { out.append(low..<high) }
      if a[i].upperBound < b[j].upperBound { i += 1 } else { j += 1 }
    }
    return out
  }

  /// Whether global document `d` passes the region and year filters.
  private func documentPasses(_ d: Int, _ filters: Filters) throws(IndexError) -> Bool {
    let metadata = try index.documentRecord(d).metadata
    // Bytes, not String.contains: Unicode-aware comparison of every document's title
    // was about 60 ms per region-filtered query at 1 GB.
    if let region = filters.region, !ByteSearch.contains(metadata.region, region),
      !ByteSearch.contains(metadata.title, region)
    {
      return false
    }
    if let year = filters.year, metadata.year != year { return false }
    return true
  }
}
