/// A term hashed and compared by its UTF-8 bytes. String's own hashing and `==`
/// normalise non-ASCII text (NFC) on every call, which was most of the cost of looking up
/// a long term such as a lexicon compound; terms are normalised already.
struct TermBytes: Hashable {
  let term: String

  init(_ term: String) { self.term = term }

  static func == (a: TermBytes, b: TermBytes) -> Bool {
    var x = a.term
    var y = b.term
    return x.withUTF8 { p in y.withUTF8 { q in p.elementsEqual(q) } }
  }

  func hash(into hasher: inout Hasher) {
    var term = term
    term.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
  }
}
