extension Analyzer {
  /// The normalised UTF-16 code units of `word` when it is nothing but CJK ideographs,
  /// else nil. Every ideograph is a slot of its own, and a run of them is indexed as its
  /// bigrams (with its lexicon terms and its last character), so such a word matches
  /// exactly where these units stand together in normalised text.
  public func ideographUnits(_ word: String) -> [UInt16]? {
    let units = normalizer.normalizedUnits(word)
    if units.isEmpty { return nil }
    let isAllIdeographs = units.withUnsafeBufferPointer { u in
      var i = 0
      while i < u.count {
        guard isIdeograph(codePoint(u, i)) else { return false }
        i += codePointLength(u, i)
      }
      return true
    }
    return isAllIdeographs ? units : nil
  }

  /// Where each of `words` (from `ideographUnits`) stands in `bytes`, with the source
  /// byte range it covers (offset by `baseOffset`): the places and ranges `analyze`
  /// gives its bigram chain, found without making tokens (a snippet for each of
  /// thousands of `cases` hits). Each word's occurrences come in order of position.
  public func occurrences(
    ofIdeographs words: [[UInt16]], inUTF8 bytes: UnsafeBufferPointer<UInt8>, baseOffset: Int = 0
  ) -> [(range: Range<Int>, word: Int)] {
    var found: [(range: Range<Int>, word: Int)] = []
    // Chunk by chunk, as `analyze` goes: a run of ideographs never spans two chunks.
    var start = 0
    while start < bytes.count {
      let end = chunkEnd(bytes, from: start)
      normalizer.normalize(
        UnsafeBufferPointer(rebasing: bytes[start..<end]), baseOffset: baseOffset + start)
      normalizer.units.withUnsafeBufferPointer { u in
        normalizer.sourceStart.withUnsafeBufferPointer { sourceStart in
          normalizer.sourceEnd.withUnsafeBufferPointer { sourceEnd in
            for (w, word) in words.enumerated() where !word.isEmpty && word.count <= u.count {
              let first = word[0]
              for i in 0...(u.count - word.count) where u[i] == first {
                var k = 1
                while k < word.count, u[i + k] == word[k] { k += 1 }
                if k == word.count {
                  found.append(
                    (Int(sourceStart[i])..<Int(sourceEnd[i + word.count - 1]), w))
                }
              }
            }
          }
        }
      }
      start = end
    }
    return found
  }
}
