/// Text in, tokens out: the one analysis chain used for documents and queries alike.
///
/// ICU word break (`zh`) over NFKC-case-folded, simplified text → word tokens
/// (CJK words, numbers, Latin runs; punctuation and spaces dropped) → compounds
/// (domain lexicon terms wherever their characters occur; protected mixed runs
/// `1+x`, `92.5%`, `2024年`, document numbers `晋教职成函〔2024〕73号`) → CJK bigrams.
///
/// How a compound relates to its parts, and why (see also `Token`):
/// - Chinese is matched by overlapping character bigrams over each run of CJK
///   characters, one bigram per character slot (the run's last character alone).
///   A query word is then the chain of its bigrams at consecutive slots, so it finds
///   the same characters however ICU segmented the text around them (计算/机 vs 计算机),
///   `融合` finds `产教融合`, and `产教融合` never matches 产…教…融合 scattered over a
///   paragraph. This is Lucene's/Anserini's default for Chinese, and the TREC Chinese
///   tracks found bigrams (with words) retrieved best.
/// - Lexicon terms are indexed too, at every occurrence of their characters, covering
///   the slots of their parts: a query that is exactly such a term reads one postings
///   list instead of intersecting a chain.
/// - Protected runs keep what ICU breaks or drops (`1+X` loses its `+` in ICU); their
///   parts (`1`, `x`; `2024`, `年`) stay in the stream, so `2024` still finds `2024年`.
///
/// Not thread-safe: give each thread its own analyzer (opening one costs ICU's
/// dictionary load, a few milliseconds, done lazily on first use).
public final class Analyzer {
  /// Which tokens `analyze` returns.
  public struct TokenSet: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// ICU words (`word`), numbers, letters and compounds: what `zhisou analyze` shows.
    public static let words = TokenSet(rawValue: 1)
    /// What the index stores: bigrams, characters, numbers, letters and compounds.
    public static let index = TokenSet(rawValue: 2)
    public static let all: TokenSet = [.words, .index]
  }

  /// The lexicon this analyzer joins terms with.
  public let lexicon: Lexicon
  private let normalizer = TextNormalizer()
  private var breaker: ICUWordBreaker?
  private let chunkLimit: Int

  // Per-chunk scratch, indexed by normalised code unit.
  private var slotOf: [Int32] = []
  private var isCJK: [Bool] = []
  private var atomStart: [Bool] = []
  private var wordEnd: [Int32] = []
  private var atoms: [(start: Int, end: Int, kind: Token.Kind)] = []

  /// Creates an analyzer; ICU's iterator opens on first use.
  public init(lexicon: Lexicon = .standard, chunkLimit: Int = 1 << 16) {
    self.lexicon = lexicon
    self.chunkLimit = max(chunkLimit, 64)
  }

  /// Analyses `text` and returns its tokens in slot order, and the number of slots
  /// (the length of the text for BM25).
  public func analyze(_ text: String, include: TokenSet = .all) -> (
    tokens: [Token], slotCount: Int32
  ) {
    var copy = text
    return copy.withUTF8 { analyze(utf8: $0, include: include) }
  }

  /// Analyses UTF-8 bytes (invalid sequences count as U+FFFD).
  public func analyze(utf8 bytes: UnsafeBufferPointer<UInt8>, include: TokenSet = .all) -> (
    tokens: [Token], slotCount: Int32
  ) {
    var tokens: [Token] = []
    tokens.reserveCapacity(bytes.count / 3 + 8)
    var slot: Int32 = 0
    var start = 0
    while start < bytes.count {
      let end = chunkEnd(bytes, from: start)
      let chunk = UnsafeBufferPointer(rebasing: bytes[start..<end])
      analyzeChunk(chunk, baseOffset: start, include: include, slot: &slot, into: &tokens)
      start = end
    }
    if include.contains(.words) {
      tokens.sort { ($0.position, -$0.positionLength) < ($1.position, -$1.positionLength) }
    }
    return (tokens, slot)
  }

  /// Splits long texts at a line break (or space, or character boundary) so buffers stay small.
  private func chunkEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    let limit = start + chunkLimit
    if limit >= bytes.count { return bytes.count }
    let floor = start + chunkLimit * 3 / 4
    var i = limit
    while i > floor {
      if bytes[i - 1] == 0x0A { return i }
      i -= 1
    }
    i = limit
    while i > floor {
      if bytes[i - 1] == 0x20 { return i }
      i -= 1
    }
    i = limit
    while i > start + 1, bytes[i] & 0xC0 == 0x80 { i -= 1 }
    return i
  }

  private func analyzeChunk(
    _ bytes: UnsafeBufferPointer<UInt8>, baseOffset: Int, include: TokenSet, slot: inout Int32,
    into tokens: inout [Token]
  ) {
    normalizer.normalize(bytes, baseOffset: baseOffset)
    let n = normalizer.units.count
    if n == 0 { return }
    if breaker == nil { breaker = try? ICUWordBreaker() }
    slotOf = [Int32](repeating: -1, count: n + 1)
    isCJK = [Bool](repeating: false, count: n + 1)
    atomStart = [Bool](repeating: false, count: n + 1)
    wordEnd = [Int32](repeating: -1, count: n + 1)
    atoms.removeAll(keepingCapacity: true)
    let srcStart = normalizer.sourceStart
    let srcEnd = normalizer.sourceEnd

    normalizer.units.withUnsafeBufferPointer { u in
      func string(_ s: Int, _ e: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: u[s..<e]), as: UTF16.self)
      }
      func range(_ s: Int, _ e: Int) -> Range<Int> { Int(srcStart[s])..<Int(srcEnd[e - 1]) }

      // 1. Word tokens and slots.
      func segment(_ s: Int, _ e: Int, _ ruleStatus: Int32) {
        switch ICUWordBreaker.Status(ruleStatus: ruleStatus) {
        case .none:
          return
        case .ideographic:
          let first = slot
          var i = s
          while i < e {
            let length = codePointLength(u, i)
            for k in 0..<length {
              self.slotOf[i + k] = slot
              self.isCJK[i + k] = true
            }
            slot += 1
            i += length
          }
          self.wordEnd[s] = Int32(e)
          if include.contains(.words) {
            tokens.append(
              Token(
                term: string(s, e), position: first, positionLength: slot - first,
                sourceRange: range(s, e), kind: .word))
          }
        case .number, .letter, .kana:
          for k in s..<e { self.slotOf[k] = slot }
          self.atomStart[s] = true
          let kind: Token.Kind =
            ICUWordBreaker.Status(ruleStatus: ruleStatus) == .number ? .number : .letters
          self.atoms.append((s, e, kind))
          tokens.append(
            Token(term: string(s, e), position: slot, sourceRange: range(s, e), kind: kind))
          slot += 1
        }
      }
      if let breaker {
        breaker.segment(u, segment)
      } else {
        // Without ICU data, fall back to one segment per character class run.
        var s = 0
        while s < n {
          let cjk = isIdeograph(codePoint(u, s))
          var e = s + codePointLength(u, s)
          while e < n, isIdeograph(codePoint(u, e)) == cjk, !cjk, isWordUnit(u[e]) {
            e += codePointLength(u, e)
          }
          segment(s, e, cjk ? 400 : (isWordUnit(u[s]) ? 200 : 0))
          s = e
        }
      }

      // 2. Protected mixed runs.
      var k = 0
      while k < atoms.count {
        let atom = atoms[k]
        // `1+x`, `1+x+y`: word characters joined by '+', no spaces.
        var last = k
        while last + 1 < atoms.count, atoms[last].end < n, u[atoms[last].end] == 0x2B,
          atoms[last + 1].start == atoms[last].end + 1
        {
          last += 1
        }
        if last > k {
          let e = atoms[last].end
          tokens.append(
            Token(
              term: string(atom.start, e), position: slotOf[atom.start],
              positionLength: slotOf[atoms[last].start] - slotOf[atom.start] + 1,
              sourceRange: range(atom.start, e), kind: .compound))
        }
        if atom.kind == .number, atom.end < n {
          let next = u[atom.end]
          if next == 0x25 {  // 92.5%
            tokens.append(
              Token(
                term: string(atom.start, atom.end + 1), position: slotOf[atom.start],
                sourceRange: range(atom.start, atom.end + 1), kind: .compound))
          } else if next == 0x5E74, isCJK[atom.end] {  // 2024年
            tokens.append(
              Token(
                term: string(atom.start, atom.end + 1), position: slotOf[atom.start],
                positionLength: 2, sourceRange: range(atom.start, atom.end + 1), kind: .compound))
          }
        }
        k += 1
      }
      for i in 0..<n where Self.isOpeningBracket(u[i]) {
        if let token = documentNumber(u, at: i, range: range) { tokens.append(token) }
      }

      // 3. Lexicon terms, wherever their characters occur.
      if !lexicon.terms.isEmpty {
        for i in 0..<n where isCJK[i] || atomStart[i] {
          lexicon.matches(in: u, at: i) { end in
            guard end == n || isCJK[end] || atomStart[end] || slotOf[end] < 0 else { return }
            guard slotOf[end - 1] >= 0 else { return }
            if wordEnd[i] == Int32(end), include == .index { return }
            tokens.append(
              Token(
                term: string(i, end), position: slotOf[i],
                positionLength: slotOf[end - 1] - slotOf[i] + 1, sourceRange: range(i, end),
                kind: .compound))
          }
        }
      }

      // 4. CJK bigrams: one per character slot, the run's last character alone.
      if include.contains(.index) {
        var i = 0
        while i < n {
          guard isCJK[i] else {
            i += 1
            continue
          }
          let length = codePointLength(u, i)
          let j = i + length
          if j < n, isCJK[j], slotOf[j] == slotOf[i] + 1 {
            let end = j + codePointLength(u, j)
            tokens.append(
              Token(
                term: string(i, end), position: slotOf[i], sourceRange: range(i, end),
                kind: .bigram))
          } else {
            tokens.append(
              Token(
                term: string(i, j), position: slotOf[i], sourceRange: range(i, j),
                kind: .character))
          }
          i = j
        }
      }
    }
  }

  static func isOpeningBracket(_ unit: UInt16) -> Bool {
    unit == 0x3014 || unit == 0x5B || unit == 0x3010 || unit == 0x28
  }

  static func isClosingBracket(_ unit: UInt16) -> Bool {
    unit == 0x3015 || unit == 0x5D || unit == 0x3011 || unit == 0x29
  }

  /// `晋教职成函〔2024〕73号` (any bracket style) starting from its opening bracket at `i`.
  private func documentNumber(
    _ u: UnsafeBufferPointer<UInt16>, at i: Int, range: (Int, Int) -> Range<Int>
  ) -> Token? {
    let n = u.count
    func isDigit(_ k: Int) -> Bool { k < n && (0x30...0x39).contains(u[k]) }
    guard i + 6 < n, (1...4).allSatisfy({ isDigit(i + $0) }), Self.isClosingBracket(u[i + 5])
    else { return nil }
    var j = i + 6
    let numberStart = j
    while isDigit(j), j - numberStart < 6 { j += 1 }
    guard j > numberStart, j < n, u[j] == 0x53F7 else { return nil }  // 号
    var s = i
    while s > 0, isCJK[s - 1], i - s < 12 { s -= 1 }
    guard i - s >= 2, slotOf[s] >= 0, slotOf[j] >= 0 else { return nil }
    var term = Array(u[s..<i])
    term.append(0x3014)
    term.append(contentsOf: u[(i + 1)..<(i + 5)])
    term.append(0x3015)
    term.append(contentsOf: u[numberStart..<(j + 1)])
    return Token(
      term: String(decoding: term, as: UTF16.self), position: slotOf[s],
      positionLength: slotOf[j] - slotOf[s] + 1, sourceRange: range(s, j + 1), kind: .compound)
  }
}

@inline(__always)
func isIdeograph(_ c: Int32) -> Bool {
  (0x3400...0x4DBF).contains(c) || (0x4E00...0x9FFF).contains(c)
    || (0xF900...0xFAFF).contains(c) || (0x20000...0x3FFFF).contains(c)
}

@inline(__always)
private func isWordUnit(_ u: UInt16) -> Bool {
  (0x30...0x39).contains(u) || (0x61...0x7A).contains(u) || (0x41...0x5A).contains(u)
}
