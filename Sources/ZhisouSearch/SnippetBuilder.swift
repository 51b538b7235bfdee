import ZhisouAnalysis

/// Finds where query words occur in a unit's text, by re-analysing it with the same
/// analyzer, and cuts the best one or two windows around them. Highlights are source
/// byte ranges, so they land on the characters as written (產教融合 for a query 产教融合).
struct SnippetBuilder {
  /// Bytes of text around the matches (about 70 CJK characters per window).
  var windowBytes = 210
  /// Only this much of a unit's text is re-analysed for a snippet: a unit that is one
  /// 50 MB line would otherwise cost a whole re-analysis per hit.
  var analysedBytes = 1 << 20

  /// The stretch of `bytes` that is searched for a snippet: all of it, or, for a huge
  /// unit, `analysedBytes` around the first place a query term appears as written (the
  /// common case: text already simplified and half-width).
  private func analysedStretch(
    of bytes: UnsafeBufferPointer<UInt8>, _ patterns: [WordPattern]
  ) -> Range<Int> {
    var start = 0
    if bytes.count > analysedBytes {
      var first = bytes.count
      for pattern in patterns {
        for element in pattern.elements {
          let needle = Array(element.term.utf8)
          let hit = needle.withUnsafeBufferPointer {
            ByteSearch.firstOffset(of: $0, in: bytes, before: first)
          }
          if let hit { first = hit }
        }
      }
      if first < bytes.count { start = max(0, first - analysedBytes / 2) }
      while start > 0, bytes[start] & 0xC0 == 0x80 { start -= 1 }
    }
    var end = min(bytes.count, start + analysedBytes)
    while end < bytes.count, end > start, bytes[end] & 0xC0 == 0x80 { end -= 1 }
    return start..<end
  }

  /// Source byte ranges of every occurrence of each pattern in `text`.
  func occurrences(in text: String, patterns: [WordPattern], analyzer: Analyzer) -> [(
    range: Range<Int>, word: Int
  )] {
    var source = text
    // Words of CJK ideographs alone (nearly all queries) are found in the normalised text
    // without making its tokens: the same places, for much less work.
    let ideographs = patterns.compactMap(\.ideographs)
    if ideographs.count == patterns.count {
      var found = source.withUTF8 { bytes in
        let stretch = analysedStretch(of: bytes, patterns)
        return analyzer.occurrences(
          ofIdeographs: ideographs, inUTF8: UnsafeBufferPointer(rebasing: bytes[stretch]),
          baseOffset: stretch.lowerBound)
      }
      found.sort { $0.range.lowerBound < $1.range.lowerBound }
      return found
    }
    let tokens = source.withUTF8 { bytes -> [Token] in
      let stretch = analysedStretch(of: bytes, patterns)
      var found = analyzer.analyze(
        utf8: UnsafeBufferPointer(rebasing: bytes[stretch]), include: .index
      ).tokens
      let shift = stretch.lowerBound
      if shift > 0 {
        for i in found.indices {
          let range = found[i].sourceRange
          found[i].sourceRange = (range.lowerBound + shift)..<(range.upperBound + shift)
        }
      }
      return found
    }
    // The tokens come in slot order: the ones at slot p are tokens[firstAt[p]..<firstAt[p + 1]].
    let slots = Int(tokens.last.map { $0.position + 1 } ?? 0)
    var firstAt = [Int](repeating: tokens.count, count: slots + 1)
    // Tokens are read in place, by index: a Token copy retains its term (when it has a
    // String), and `cases` makes thousands of snippets.
    for i in tokens.indices.reversed() { firstAt[Int(tokens[i].position)] = i }
    for p in stride(from: slots - 1, through: 0, by: -1) where firstAt[p] > firstAt[p + 1] {
      firstAt[p] = firstAt[p + 1]
    }
    func slotToken(at position: Int32, matching element: WordPattern.Element) -> Int? {
      guard position >= 0, Int(position) < slots else { return nil }
      for i in firstAt[Int(position)]..<firstAt[Int(position) + 1]
      where matches(tokens[i], element) {
        return i
      }
      return nil
    }
    let bytes = Array(text.utf8)
    var found: [(Range<Int>, Int)] = []
    for (w, pattern) in patterns.enumerated() where !pattern.isEmpty {
      let first = pattern.elements[0]
      // A lone character matches every term starting with it, and a slot can hold two
      // (校企 and the lexicon's 校企合作): one occurrence per slot.
      var previousStart: Int32 = -1
      for t in tokens.indices where matches(tokens[t], first) {
        let start = tokens[t].position - first.offset
        if start == previousStart { continue }
        previousStart = start
        var lower = Int.max
        var upper = 0
        var all = true
        for element in pattern.elements {
          guard let hit = slotToken(at: start + element.offset, matching: element) else {
            all = false
            break
          }
          var range = tokens[hit].sourceRange
          if element.isPrefix { range = range.lowerBound..<firstCharacterEnd(bytes, range) }
          lower = min(lower, range.lowerBound)
          upper = max(upper, range.upperBound)
        }
        if all, lower < upper { found.append((lower..<upper, w)) }
      }
    }
    found.sort { $0.0.lowerBound < $1.0.lowerBound }
    return found
  }

  /// Terms are compared as bytes — packed (`Token.key`) when short, as nearly all are:
  /// both are the analyzer's normalised output, and String's `==` (canonical
  /// equivalence) was a tenth of the time of `cases` on a big index.
  private func matches(_ token: Token, _ element: WordPattern.Element) -> Bool {
    let key = element.key
    if element.isPrefix {
      // A lone character: its bytes, then any (bigram) or none.
      if key != 0, token.key != 0 {
        let width = UInt64(element.term.utf8.count) * 8
        return token.key & ((1 << width) - 1) == key
      }
      return token.term.utf8.starts(with: element.term.utf8)
    }
    if key != 0 || token.key != 0 { return token.key == key }
    return token.term.utf8.elementsEqual(element.term.utf8)
  }

  private func firstCharacterEnd(_ bytes: [UInt8], _ range: Range<Int>) -> Int {
    var end = range.lowerBound + 1
    while end < range.upperBound, bytes[end] & 0xC0 == 0x80 { end += 1 }
    return end
  }

  /// The best window(s) of `text` around the occurrences of `patterns`.
  func snippet(of text: String, patterns: [WordPattern], analyzer: Analyzer) -> Snippet {
    let bytes = Array(text.utf8)
    let found = occurrences(in: text, patterns: patterns, analyzer: analyzer)
    guard !found.isEmpty else {
      return window(bytes, 0..<boundary(bytes, min(bytes.count, windowBytes)), [])
    }
    // The window covering the most distinct words, then the most occurrences.
    func best(_ candidates: [(range: Range<Int>, word: Int)], excluding covered: Set<Int>) -> (
      Range<Int>, Set<Int>
    )? {
      var bestRange: Range<Int>? = nil
      var bestWords = Set<Int>()
      var bestCount = 0
      for (i, occurrence) in candidates.enumerated() {
        let start = boundary(bytes, max(0, occurrence.range.lowerBound - windowBytes / 4))
        let end = boundary(bytes, min(bytes.count, start + windowBytes))
        var words = Set<Int>()
        var count = 0
        for other in candidates[i...] where other.range.upperBound <= end {
          words.insert(other.word)
          count += 1
        }
        let fresh = words.subtracting(covered).count
        let bestFresh = bestWords.subtracting(covered).count
        if fresh > bestFresh || (fresh == bestFresh && count > bestCount) {
          bestRange = start..<end
          bestWords = words
          bestCount = count
        }
      }
      return bestRange.map { ($0, bestWords) }
    }
    guard let (first, words) = best(found, excluding: []) else {
      return window(bytes, 0..<boundary(bytes, min(bytes.count, windowBytes)), [])
    }
    var ranges = [first]
    let rest = found.filter { !first.contains($0.range.lowerBound) }
    if words.count < Set(found.map(\.word)).count, let (second, _) = best(rest, excluding: words),
      second.lowerBound >= first.upperBound || second.upperBound <= first.lowerBound
    {
      ranges.append(second)
      ranges.sort { $0.lowerBound < $1.lowerBound }
    }
    var text = ""
    var highlights: [Range<Int>] = []
    for (k, range) in ranges.enumerated() {
      let part = window(bytes, range, found.map(\.range))
      if k > 0 || range.lowerBound > 0 { text += "…" }
      let base = text.utf8.count
      text += part.text
      highlights += part.highlights.map { ($0.lowerBound + base)..<($0.upperBound + base) }
      if range.upperBound < bytes.count { text += "…" }
    }
    return Snippet(text: text, highlights: highlights)
  }

  /// Bytes `range` of the text as one line, with the matches inside it.
  private func window(_ bytes: [UInt8], _ range: Range<Int>, _ matches: [Range<Int>]) -> Snippet {
    var slice = Array(bytes[range])
    for i in slice.indices where slice[i] == 0x0A || slice[i] == 0x09 || slice[i] == 0x0D {
      slice[i] = 0x20
    }
    let highlights = matches.filter {
      range.contains($0.lowerBound) && $0.upperBound <= range.upperBound
    }
    .map { ($0.lowerBound - range.lowerBound)..<($0.upperBound - range.lowerBound) }
    return Snippet(text: String(decoding: slice, as: UTF8.self), highlights: highlights)
  }

  /// The nearest character boundary at or before `offset`.
  private func boundary(_ bytes: [UInt8], _ offset: Int) -> Int {
    var o = offset
    while o > 0, o < bytes.count, bytes[o] & 0xC0 == 0x80 { o -= 1 }
    return o
  }
}
