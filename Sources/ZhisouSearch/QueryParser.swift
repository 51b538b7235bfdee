/// Parses the query language:
///
///     产教融合 乡村振兴          both words (ranked by BM25)
///     实训基地 OR 实习基地       either
///     学校 -疫情                 exclude units that mention 疫情
///     "现代学徒制试点"            an exact phrase (spaces inside are ignored, as in the text)
///     region:临汾 year:2024 kind:case|section|policy
public enum QueryParser {
  /// Upper bound on query length, so a pasted document cannot make a query slow.
  public static let maxLength = 2000
  /// Upper bound on distinct required words (each one is a postings walk).
  public static let maxWords = 32

  public static func parse(_ text: String) throws(QuerySyntaxError) -> Query {
    if text.count > maxLength {
      throw QuerySyntaxError("query is \(text.count) characters long; the limit is \(maxLength)")
    }
    var items: [(word: Query.Word, negated: Bool)] = []
    var ors: [Int] = []  // indexes into items that an OR follows
    var query = Query()
    var chars = Array(text)
    // Full-width quotes and minus behave like ASCII ones.
    for i in chars.indices {
      switch chars[i] {
      case "“", "”", "＂": chars[i] = "\""
      case "－": chars[i] = "-"
      case "\u{3000}": chars[i] = " "
      default: break
      }
    }
    var i = 0
    var pendingOr = false
    while i < chars.count {
      let c = chars[i]
      if c.isWhitespace || c.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .control }) {
        i += 1
        continue
      }
      if c == "-", i + 1 < chars.count, chars[i + 1] == "-" {
        let option = String(chars[i...].prefix { !$0.isWhitespace })
        throw QuerySyntaxError("unknown option \(option) (see zhisou search --help)")
      }
      var negated = false
      if c == "-" {
        if pendingOr {
          throw QuerySyntaxError("OR must stand between two words, not before an exclusion (-word)")
        }
        negated = true
        i += 1
        guard i < chars.count, !chars[i].isWhitespace else {
          throw QuerySyntaxError("'-' must be followed by a word to exclude, e.g. -疫情")
        }
      }
      if chars[i] == "\"" {
        guard let close = chars[(i + 1)...].firstIndex(of: "\"") else {
          throw QuerySyntaxError("unbalanced quote: a phrase starts at character \(i + 1) but never ends")
        }
        let phrase = trimmingWhitespace(chars[(i + 1)..<close])
        i = close + 1
        if phrase.isEmpty { throw QuerySyntaxError("empty phrase \"\"") }
        items.append((Query.Word(phrase, isPhrase: true), negated))
      } else {
        var j = i
        while j < chars.count, !chars[j].isWhitespace, chars[j] != "\"" { j += 1 }
        let word = String(chars[i..<j])
        i = j
        if word == "OR", !negated {
          guard !items.isEmpty, !pendingOr, !items[items.count - 1].negated else {
            throw QuerySyntaxError("OR must stand between two words, e.g. 实训基地 OR 实习基地")
          }
          pendingOr = true
          ors.append(items.count - 1)
          continue
        }
        if let colon = word.firstIndex(of: ":"), !negated {
          let key = word[..<colon]
          let value = String(word[word.index(after: colon)...])
          if !key.isEmpty, key.allSatisfy({ $0.isASCII && $0.isLetter }) {
            try applyFilter(key: key.lowercased(), value: value, to: &query.filters)
            continue
          }
        }
        items.append((Query.Word(word), negated))
      }
      pendingOr = false
    }
    if pendingOr { throw QuerySyntaxError("OR at the end of the query needs a word after it") }
    let orAfter = Set(ors)
    var group: [Query.Word] = []
    for (k, item) in items.enumerated() {
      if item.negated {
        query.excluded.append(item.word)
        continue
      }
      group.append(item.word)
      if !orAfter.contains(k) {
        query.groups.append(group)
        group = []
      }
    }
    if !group.isEmpty { query.groups.append(group) }
    // A word said twice means the same: `学校 学校` is `学校` (and costs no more).
    var seenGroups = Set<[Query.Word]>()
    query.groups = query.groups.map { words in
      var seen = Set<Query.Word>()
      return words.filter { seen.insert($0).inserted }
    }.filter { seenGroups.insert($0).inserted }
    var seenExcluded = Set<Query.Word>()
    query.excluded = query.excluded.filter { seenExcluded.insert($0).inserted }
    if query.groups.count > maxWords {
      throw QuerySyntaxError("the query has \(query.groups.count) different words; the limit is \(maxWords)")
    }
    if query.groups.isEmpty {
      if !query.excluded.isEmpty {
        throw QuerySyntaxError("a query of only exclusions matches nothing; add a word to search for")
      }
      let hasFilter = query.filters != Filters()
      if !hasFilter { throw QuerySyntaxError("the query is empty; give a word to search for") }
    }
    return query
  }

  private static func applyFilter(key: String, value: String, to filters: inout Filters)
    throws(QuerySyntaxError)
  {
    guard !value.isEmpty else { throw QuerySyntaxError("filter \(key): needs a value, e.g. \(key):\(example(key))") }
    switch key {
    case "region":
      filters.region = value
    case "year":
      guard let year = Int(value), (1900...2200).contains(year) else {
        throw QuerySyntaxError("year:\(value) is not a year, e.g. year:2024")
      }
      filters.year = year
    case "kind":
      guard let kind = UnitKind(rawValue: value.lowercased()) else {
        throw QuerySyntaxError("kind:\(value) is not one of case, section, policy")
      }
      filters.kind = kind
    default:
      throw QuerySyntaxError("unknown filter \(key): (filters are region:, year:, kind:)")
    }
  }

  private static func example(_ key: String) -> String {
    switch key {
    case "year": return "2024"
    case "kind": return "case"
    default: return "临汾"
    }
  }
}

/// The characters without the whitespace at either end.
private func trimmingWhitespace(_ characters: ArraySlice<Character>) -> String {
  guard let first = characters.firstIndex(where: { !$0.isWhitespace }),
    let last = characters.lastIndex(where: { !$0.isWhitespace })
  else { return "" }
  return String(characters[first...last])
}
