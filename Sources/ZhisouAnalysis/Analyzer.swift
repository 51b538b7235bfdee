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
  let normalizer = TextNormalizer()
  private var breaker: ICUWordBreaker?
  private let chunkLimit: Int

  // Per-chunk scratch, indexed by normalised code unit, reused across chunks and calls.
  private var scratchCapacity = 0
  private var slotOfBuffer = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
  private var flagsBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
  private var wordEndBuffer = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
  private var atoms: [Atom] = []
  private var side: [Token] = []
  private var segments: [Segment] = []

  /// A number or letter run as ICU segmented it (normalised code units `start..<end`).
  private struct Atom {
    var start: Int
    var end: Int
    var kind: Token.Kind
  }

  /// A segment of ICU's word break over a whole chunk (normalised code units `start..<end`).
  private struct Segment {
    var start: Int32
    var end: Int32
    var ruleStatus: Int32
  }

  private static let cjkFlag: UInt8 = 1
  private static let atomFlag: UInt8 = 2

  /// Creates an analyzer; ICU's iterator opens on first use.
  public init(lexicon: Lexicon = .standard, chunkLimit: Int = 1 << 16) {
    self.lexicon = lexicon
    self.chunkLimit = max(chunkLimit, 64)
  }

  deinit {
    slotOfBuffer.deallocate()
    flagsBuffer.deallocate()
    wordEndBuffer.deallocate()
  }

  /// Analyses `text` and returns its tokens in slot order (longer tokens first at the
  /// same slot), and the number of slots (the length of the text for BM25).
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
    return (tokens, slot)
  }

  /// Splits long texts at a line break (or space, or character boundary) so buffers stay small.
  func chunkEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
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

  /// The packed UTF-8 key (`Token.key`) of a CJK character or bigram `u[s..<e]`: two
  /// code points take at most 8 bytes, so every one has a key and no String is built.
  @inline(__always)
  private func cjkKey(_ u: UnsafeBufferPointer<UInt16>, _ s: Int, _ e: Int) -> UInt64 {
    var key: UInt64 = 0
    var shift: UInt64 = 0
    @inline(__always) func put(_ byte: UInt32) {
      key |= UInt64(byte) << shift
      shift += 8
    }
    var i = s
    while i < e {
      let c = UInt32(u[i])
      i += 1
      if c < 0x80 {
        put(c)
      } else if c < 0x800 {
        put(0xC0 | c >> 6)
        put(0x80 | c & 0x3F)
      } else if c & 0xF800 != 0xD800 {
        put(0xE0 | c >> 12)
        put(0x80 | c >> 6 & 0x3F)
        put(0x80 | c & 0x3F)
      } else if c < 0xDC00, i < e, u[i] & 0xFC00 == 0xDC00 {
        let scalar = 0x10000 + ((c & 0x3FF) << 10 | UInt32(u[i] & 0x3FF))
        i += 1
        put(0xF0 | scalar >> 18)
        put(0x80 | scalar >> 12 & 0x3F)
        put(0x80 | scalar >> 6 & 0x3F)
        put(0x80 | scalar & 0x3F)
      } else {  // a lone surrogate: U+FFFD, as makeTerm writes it
        put(0xEF)
        put(0xBF)
        put(0xBD)
      }
    }
    return key
  }

  private func reserveScratch(_ count: Int) {
    guard count > scratchCapacity else { return }
    let capacity = max(count, scratchCapacity * 2)
    slotOfBuffer.deallocate()
    flagsBuffer.deallocate()
    wordEndBuffer.deallocate()
    slotOfBuffer = .allocate(capacity: capacity)
    flagsBuffer = .allocate(capacity: capacity)
    wordEndBuffer = .allocate(capacity: capacity)
    scratchCapacity = capacity
  }

  /// Analyses one chunk. Tokens in slot order go straight to `tokens` (words and atoms,
  /// or bigrams and atoms); compounds (and, for `.all`, bigrams) go to `side` and are
  /// merged in at the end, so no chunk needs a full sort.
  private func analyzeChunk(
    _ bytes: UnsafeBufferPointer<UInt8>, baseOffset: Int, include: TokenSet, slot: inout Int32,
    into tokens: inout [Token]
  ) {
    normalizer.normalize(bytes, baseOffset: baseOffset)
    let n = normalizer.units.count
    if n == 0 { return }
    if breaker == nil { breaker = try? ICUWordBreaker() }
    reserveScratch(n + 1)
    let slotOf = slotOfBuffer
    let flags = flagsBuffer
    let wordEnd = wordEndBuffer
    slotOf.update(repeating: -1, count: n + 1)
    flags.update(repeating: 0, count: n + 1)
    wordEnd.update(repeating: -1, count: n + 1)
    var atoms = self.atoms
    var side = self.side
    var segments = self.segments
    self.atoms = []
    self.side = []
    self.segments = []
    atoms.removeAll(keepingCapacity: true)
    side.removeAll(keepingCapacity: true)
    segments.removeAll(keepingCapacity: true)
    let chunkStart = tokens.count
    let wantWords = include.contains(.words)
    let wantIndex = include.contains(.index)
    // With `.index` alone, atoms come out in the bigram pass; otherwise with the words.
    let atomsWithWords = wantWords
    // With both sets, bigrams are merged in from the side.
    let bigramsAside = wantWords

    normalizer.units.withUnsafeBufferPointer { u in
      normalizer.sourceStart.withUnsafeBufferPointer { srcStart in
        normalizer.sourceEnd.withUnsafeBufferPointer { srcEnd in
          @inline(__always) func range(_ s: Int, _ e: Int) -> Range<Int> {
            Int(srcStart[s])..<Int(srcEnd[e - 1])
          }

          // With `.words`, ICU's own segmentation of the whole chunk, dictionary included.
          if wantWords, let breaker {
            breaker.segment(u) { start, end, status in
              segments.append(Segment(start: Int32(start), end: Int32(end), ruleStatus: status))
            }
          }

          // 1. Slots. Every CJK ideograph is a slot of its own, recognised by its code
          // point; the text between runs of ideographs goes to ICU, which segments numbers,
          // Latin and the other scripts (stretches of punctuation and spaces alone hold no
          // word and skip it). The index stores no ICU words, so this step never runs ICU's
          // dictionary segmentation of Chinese, which is most of ICU's cost on this text;
          // an ideograph always breaks words on both sides, so each stretch segments as it
          // would in place. (With `.words`, a stretch of Latin script takes the segments of
          // the whole-chunk segmentation when they start and end with it: the same answer
          // without a second call into ICU.)
          func markIdeographs(_ s: Int, _ e: Int) {
            var i = s
            while i < e {
              let length = codePointLength(u, i)
              slotOf[i] = slot
              flags[i] = Self.cjkFlag
              if length == 2 {
                slotOf[i + 1] = slot
                flags[i + 1] = Self.cjkFlag
              }
              slot += 1
              i += length
            }
          }
          func classify(_ s: Int, _ e: Int, _ ruleStatus: Int32) {
            let status = ICUWordBreaker.Status(ruleStatus: ruleStatus)
            switch status {
            case .none:
              return
            case .ideographic:  // 〇, 々 and kana that ICU's dictionary takes
              markIdeographs(s, e)
            case .number, .letter, .kana:
              for k in s..<e { slotOf[k] = slot }
              flags[s] = Self.atomFlag
              atoms.append(Atom(start: s, end: e, kind: status == .number ? .number : .letters))
              slot += 1
            }
          }
          func segmentStretch(_ s: Int, _ e: Int) {
            if let breaker {
              breaker.segment(UnsafeBufferPointer(rebasing: u[s..<e])) { start, end, status in
                classify(s + start, s + end, status)
              }
              return
            }
            // Without ICU data: runs of ASCII letters and digits.
            var i = s
            while i < e {
              var j = i + codePointLength(u, i)
              if isWordUnit(u[i]) {
                while j < e, isWordUnit(u[j]) { j += 1 }
                classify(i, j, 200)
              }
              i = j
            }
          }
          var nextSegment = 0
          func reuseSegments(_ s: Int, _ e: Int) -> Bool {
            while nextSegment < segments.count, segments[nextSegment].end <= s { nextSegment += 1 }
            let first = nextSegment
            guard first < segments.count, segments[first].start == s else { return false }
            var last = first
            while last < segments.count, segments[last].end < e { last += 1 }
            guard last < segments.count, segments[last].end == e else { return false }
            for k in first...last {
              let segment = segments[k]
              classify(Int(segment.start), Int(segment.end), segment.ruleStatus)
            }
            nextSegment = last + 1
            return true
          }
          var i = 0
          while i < n {
            var j = i
            while j < n, isIdeograph(codePoint(u, j)) { j += codePointLength(u, j) }
            if j > i {
              markIdeographs(i, j)
              i = j
              continue
            }
            var hasWordCharacters = false
            var isLatin = true
            while j < n {
              let c = codePoint(u, j)
              if isIdeograph(c) { break }
              if !hasWordCharacters, !isSeparator(c) { hasWordCharacters = true }
              if c >= 0x300 { isLatin = false }
              j += codePointLength(u, j)
            }
            if hasWordCharacters, !(isLatin && !segments.isEmpty && reuseSegments(i, j)) {
              segmentStretch(i, j)
            }
            i = j
          }

          // Words (with `.words`): ICU's own segmentation of the chunk, dictionary
          // included; an ideographic word covers the slots its characters got above, and
          // the atoms are merged in between the words in slot order.
          if wantWords {
            var a = 0
            func appendAtoms(before position: Int32) {
              while a < atoms.count, slotOf[atoms[a].start] < position {
                let atom = atoms[a]
                tokens.append(
                  Token(
                    term: makeTerm(u, atom.start, atom.end), position: slotOf[atom.start],
                    sourceRange: range(atom.start, atom.end), kind: atom.kind))
                a += 1
              }
            }
            func word(_ s: Int, _ e: Int, _ ruleStatus: Int32) {
              guard ICUWordBreaker.Status(ruleStatus: ruleStatus) == .ideographic else { return }
              var first = s
              while first < e, slotOf[first] < 0 { first += 1 }
              var last = e - 1
              while last >= first, slotOf[last] < 0 { last -= 1 }
              guard first <= last else { return }
              appendAtoms(before: slotOf[first])
              wordEnd[s] = Int32(e)
              tokens.append(
                Token(
                  term: makeTerm(u, s, e), position: slotOf[first],
                  positionLength: slotOf[last] - slotOf[first] + 1, sourceRange: range(s, e),
                  kind: .word))
            }
            if breaker != nil {
              for segment in segments {
                word(Int(segment.start), Int(segment.end), segment.ruleStatus)
              }
            } else {
              // Without ICU data, every ideograph is a word.
              var k = 0
              while k < n {
                let length = codePointLength(u, k)
                if flags[k] == Self.cjkFlag { word(k, k + length, 400) }
                k += length
              }
            }
            appendAtoms(before: .max)
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
              side.append(
                Token(
                  term: makeTerm(u, atom.start, e), position: slotOf[atom.start],
                  positionLength: slotOf[atoms[last].start] - slotOf[atom.start] + 1,
                  sourceRange: range(atom.start, e), kind: .compound))
            }
            if atom.kind == .number, atom.end < n {
              let next = u[atom.end]
              if next == 0x25 {  // 92.5%
                side.append(
                  Token(
                    term: makeTerm(u, atom.start, atom.end + 1), position: slotOf[atom.start],
                    sourceRange: range(atom.start, atom.end + 1), kind: .compound))
              } else if next == 0x5E74, flags[atom.end] == Self.cjkFlag {  // 2024年
                side.append(
                  Token(
                    term: makeTerm(u, atom.start, atom.end + 1), position: slotOf[atom.start],
                    positionLength: 2, sourceRange: range(atom.start, atom.end + 1),
                    kind: .compound))
              }
            }
            k += 1
          }
          for i in 0..<n where Self.isOpeningBracket(u[i]) {
            if let token = documentNumber(u, at: i, slotOf: slotOf, flags: flags, range: range) {
              side.append(token)
            }
          }

          // 3. Lexicon terms, wherever their characters occur. A term that is the same
          // token as one already in the stream is left out: an ICU word of the same
          // characters (with `.words`), or a two-character term, which is a bigram (`.index`).
          if !lexicon.isEmpty {
            for i in 0..<n where flags[i] != 0 {
              lexicon.matches(in: u, at: i) { end in
                guard end == n || flags[end] != 0 || slotOf[end] < 0 else { return }
                guard slotOf[end - 1] >= 0 else { return }
                let length = slotOf[end - 1] - slotOf[i] + 1
                if wantWords, wordEnd[i] == Int32(end) { return }
                if wantIndex, length == 2, flags[i] == Self.cjkFlag, flags[end - 1] == Self.cjkFlag
                {
                  return
                }
                side.append(
                  Token(
                    term: makeTerm(u, i, end), position: slotOf[i], positionLength: length,
                    sourceRange: range(i, end), kind: .compound))
              }
            }
          }

          // 4. CJK bigrams: one per character slot, the run's last character alone.
          if wantIndex {
            var i = 0
            var a = 0
            while i < n {
              let flag = flags[i]
              if flag == Self.atomFlag {
                if !atomsWithWords {
                  let atom = atoms[a]
                  tokens.append(
                    Token(
                      term: makeTerm(u, atom.start, atom.end), position: slotOf[i],
                      sourceRange: range(atom.start, atom.end), kind: atom.kind))
                }
                a += 1
                i += 1
                continue
              }
              guard flag == Self.cjkFlag else {
                i += 1
                continue
              }
              let j = i + codePointLength(u, i)
              let isBigram = j < n && flags[j] == Self.cjkFlag && slotOf[j] == slotOf[i] + 1
              let end = isBigram ? j + codePointLength(u, j) : j
              // Made where it is stored: a token held in a local and then appended was
              // copied and destroyed through its value witnesses, per token.
              if bigramsAside {
                side.append(
                  Token(
                    key: cjkKey(u, i, end), position: slotOf[i], sourceRange: range(i, end),
                    kind: isBigram ? .bigram : .character))
              } else {
                tokens.append(
                  Token(
                    key: cjkKey(u, i, end), position: slotOf[i], sourceRange: range(i, end),
                    kind: isBigram ? .bigram : .character))
              }
              i = j
            }
          }
        }
      }
    }

    // 5. Merge the side tokens in: slot order, longer first, side before main on ties.
    if !side.isEmpty {
      side.sort { ($0.position, $1.positionLength) < ($1.position, $0.positionLength) }
      let mainEnd = tokens.count
      tokens.append(contentsOf: side)
      // Main tokens move by swapping their bytes (`swap` on pointees): Array's swapAt
      // copied each through the token's value witnesses, and every main token after the
      // chunk's first compound moves.
      tokens.withUnsafeMutableBufferPointer { buffer in
        guard let t = buffer.baseAddress else { return }
        var r = mainEnd - 1
        var s = side.count - 1
        var w = mainEnd + side.count - 1
        while s >= 0 {
          if r >= chunkStart,
            (t[r].position, side[s].positionLength) >= (side[s].position, t[r].positionLength)
          {
            swap(&t[w], &t[r])
            r -= 1
          } else {
            t[w] = side[s]
            s -= 1
          }
          w -= 1
        }
      }
    }
    self.atoms = atoms
    self.side = side
    self.segments = segments
  }

  static func isOpeningBracket(_ unit: UInt16) -> Bool {
    unit == 0x3014 || unit == 0x5B || unit == 0x3010 || unit == 0x28
  }

  static func isClosingBracket(_ unit: UInt16) -> Bool {
    unit == 0x3015 || unit == 0x5D || unit == 0x3011 || unit == 0x29
  }

  /// `晋教职成函〔2024〕73号` (any bracket style) starting from its opening bracket at `i`.
  private func documentNumber(
    _ u: UnsafeBufferPointer<UInt16>, at i: Int, slotOf: UnsafeMutablePointer<Int32>,
    flags: UnsafeMutablePointer<UInt8>, range: (Int, Int) -> Range<Int>
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
    while s > 0, flags[s - 1] == Self.cjkFlag, i - s < 12 { s -= 1 }
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

/// The UTF-8 string of normalised code units `u[s..<e]` (no allocation up to 15 bytes,
/// which covers every bigram).
@inline(__always)
func makeTerm(_ u: UnsafeBufferPointer<UInt16>, _ s: Int, _ e: Int) -> String {
  String(unsafeUninitializedCapacity: (e - s) * 3) { out in
    var w = 0
    var i = s
    while i < e {
      let c = UInt32(u[i])
      i += 1
      if c < 0x80 {
        out[w] = UInt8(c)
        w += 1
      } else if c < 0x800 {
        out[w] = UInt8(0xC0 | c >> 6)
        out[w + 1] = UInt8(0x80 | c & 0x3F)
        w += 2
      } else if c & 0xF800 != 0xD800 {
        out[w] = UInt8(0xE0 | c >> 12)
        out[w + 1] = UInt8(0x80 | c >> 6 & 0x3F)
        out[w + 2] = UInt8(0x80 | c & 0x3F)
        w += 3
      } else if c < 0xDC00, i < e, u[i] & 0xFC00 == 0xDC00 {
        let scalar = 0x10000 + ((c & 0x3FF) << 10 | UInt32(u[i] & 0x3FF))
        i += 1
        out[w] = UInt8(0xF0 | scalar >> 18)
        out[w + 1] = UInt8(0x80 | scalar >> 12 & 0x3F)
        out[w + 2] = UInt8(0x80 | scalar >> 6 & 0x3F)
        out[w + 3] = UInt8(0x80 | scalar & 0x3F)
        w += 4
      } else {  // a lone surrogate: U+FFFD
        out[w] = 0xEF
        out[w + 1] = 0xBF
        out[w + 2] = 0xBD
        w += 3
      }
    }
    return w
  }
}

/// Whether `c` is a space or punctuation mark that is never part of an ICU word, so a
/// stretch of text made only of such characters needs no segmentation.
@inline(__always)
private func isSeparator(_ c: Int32) -> Bool {
  switch c {
  case 0x00...0x2F, 0x3A...0x40, 0x5B...0x5E, 0x60, 0x7B...0x7F: true  // not letters, digits, _
  case 0xB7, 0x2010...0x2027, 0x2030...0x203B: true  // · – — ‘ ’ “ ” … ‰ ※
  case 0x3000...0x3004, 0x3008...0x3011, 0x3014...0x301F: true  // 　、。《》「」【】〔〕
  case 0x25A0...0x25FF: true  // ■ □ ▲ ● ○: list bullets
  default: false
  }
}

@inline(__always)
private func isWordUnit(_ u: UInt16) -> Bool {
  (0x30...0x39).contains(u) || (0x61...0x7A).contains(u) || (0x41...0x5A).contains(u)
}
