import ZhisouAnalysis

/// What the index must contain, at which relative slots, for a text to contain a query word.
///
/// Built from the analyzer's own index tokens of the word, so documents and queries
/// can never disagree: the word's CJK bigram chain at consecutive slots (a lone CJK
/// character matches any term that starts with it), its numbers and Latin runs, and
/// its protected compounds (`1+x`, `92.5%`, `2024年`, document numbers), which keep
/// `1+X` from matching `1 X`. A word that is exactly one compound of Chinese characters
/// (a lexicon term such as 产教融合) is looked up as that single term: the lexicon is
/// indexed wherever its characters occur, so the result is the same and cheaper. A
/// lexicon term that mixes scripts (1+x证书) is matched by its parts instead: the index
/// has it only where its characters are contiguous, but the text may write `“1+X”证书` or
/// `1+X 证书`, the same slots with punctuation or a space between.
public struct WordPattern: Equatable, Sendable {
  /// One required term at a slot offset from the match start.
  public struct Element: Equatable, Sendable {
    public var term: String {
      didSet { key = Token.packed(term) }
    }
    public var offset: Int32
    /// Matches every term that starts with `term` (a CJK character alone).
    public var isPrefix: Bool
    /// `term` packed as `Token.key` is (0 when longer than 8 bytes).
    public private(set) var key: UInt64

    public init(term: String, offset: Int32, isPrefix: Bool) {
      self.term = term
      self.offset = offset
      self.isPrefix = isPrefix
      key = Token.packed(term)
    }
  }

  public var elements: [Element]
  /// The word's normalised code units when it is nothing but CJK ideographs: it then
  /// matches where they stand together in normalised text, which snippets find without
  /// analysing the text (`Analyzer.occurrences(ofIdeographs:inUTF8:)`).
  public var ideographs: [UInt16]?

  /// Whether the word had nothing searchable (only punctuation, emoji, spaces).
  public var isEmpty: Bool { elements.isEmpty }

  public init(elements: [Element], ideographs: [UInt16]? = nil) {
    self.elements = elements
    self.ideographs = ideographs
  }

  /// The pattern of `word` as `analyzer` sees it.
  public init(_ word: String, analyzer: Analyzer) {
    ideographs = analyzer.ideographUnits(word)
    let (tokens, slots) = analyzer.analyze(word, include: .index)
    // Lexicon terms of several scripts stand for their parts (see above).
    func isMixedLexiconTerm(_ token: Token) -> Bool {
      token.term.unicodeScalars.contains(where: { !isCJK($0) })
        && analyzer.lexicon.contains(token.term)
    }
    // A single compound covering the whole word.
    if let whole = tokens.first(where: {
      $0.kind == .compound && $0.position == 0 && $0.positionLength == slots
    }), slots > 1 || whole.term.unicodeScalars.contains(where: { !isCJK($0) }),
      !isMixedLexiconTerm(whole)
    {
      elements = [Element(term: whole.term, offset: 0, isPrefix: false)]
      return
    }
    var covered = Set<Int32>()
    var out: [Element] = []
    for token in tokens where token.kind == .compound {
      guard token.term.unicodeScalars.contains(where: { !isCJK($0) }), !isMixedLexiconTerm(token)
      else { continue }
      out.append(Element(term: token.term, offset: token.position, isPrefix: false))
      for s in token.position..<(token.position + token.positionLength) { covered.insert(s) }
    }
    let bigramSlots = Set(tokens.filter { $0.kind == .bigram }.map(\.position))
    for token in tokens {
      switch token.kind {
      case .number, .letters:
        if !covered.contains(token.position) {
          out.append(Element(term: token.term, offset: token.position, isPrefix: false))
        }
      case .bigram:
        out.append(Element(term: token.term, offset: token.position, isPrefix: false))
      case .character:
        // The end of a run longer than one is covered by the bigram before it.
        if !bigramSlots.contains(token.position - 1), !covered.contains(token.position) {
          out.append(Element(term: token.term, offset: token.position, isPrefix: true))
        }
      case .word, .compound:
        break
      }
    }
    // A lexicon term inside the word stands for the bigrams within it (it is indexed
    // wherever its characters occur, so the matches are the same): one list, and a
    // shorter one than its bigrams' (积极推进职业教育 reads 职业教育, not 职业, 业教, 教育).
    // The bigrams across its ends stay, and keep it adjacent to the rest; only bigrams
    // go (a document number may start inside it, 职业教育〔2024〕73号, and must stay).
    var takenUpTo: Int32 = -1
    let lexiconTerms = tokens.filter {
      $0.kind == .compound && $0.positionLength > 1 && $0.term.unicodeScalars.allSatisfy(isCJK)
    }.sorted { ($0.position, -$0.positionLength) < ($1.position, -$1.positionLength) }
    for term in lexiconTerms where term.position > takenUpTo {
      let end = term.position + term.positionLength
      out.removeAll { element in
        element.offset >= term.position && element.offset + 1 < end && !element.isPrefix
          && element.term.unicodeScalars.count == 2
          && element.term.unicodeScalars.allSatisfy(isCJK)
      }
      out.append(Element(term: term.term, offset: term.position, isPrefix: false))
      takenUpTo = end - 1
    }
    out.sort { $0.offset < $1.offset }
    // Offsets relative to the first element.
    let base = out.map(\.offset).min() ?? 0
    elements = out.map { Element(term: $0.term, offset: $0.offset - base, isPrefix: $0.isPrefix) }
  }
}

@inline(__always)
func isCJK(_ scalar: Unicode.Scalar) -> Bool {
  let c = scalar.value
  return (0x3400...0x4DBF).contains(c) || (0x4E00...0x9FFF).contains(c)
    || (0xF900...0xFAFF).contains(c) || (0x20000...0x3FFFF).contains(c)
}

extension WordPattern {
  /// The pattern's distinct elements, each with every offset it must occupy: a long
  /// chain repeats its terms (教育教育… is two bigrams), and each is read once per unit.
  var distinctElements: [(element: Element, offsets: [Int32])] {
    var out: [(element: Element, offsets: [Int32])] = []
    for element in elements {
      if let i = out.firstIndex(where: {
        $0.element.term == element.term && $0.element.isPrefix == element.isPrefix
      }) {
        out[i].offsets.append(element.offset)
      } else {
        out.append((element, [element.offset]))
      }
    }
    return out
  }
}
