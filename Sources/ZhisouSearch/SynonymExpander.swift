import ZhisouAnalysis

/// Expands a query word with the field's abbreviations and equivalent names
/// (`StandardSynonyms.swift`): 职教高考 also matches 职业教育高考, 中职 also 中等职业.
public struct SynonymExpander: Sendable {
  /// The list shipped with zhisou.
  public static let standard = SynonymExpander(text: standardText)

  /// Groups of equivalent forms, normalised, longest form first.
  public let groups: [[String]]
  /// Most variants per word, so one word cannot explode into many.
  public var limit = 6

  public init(groups: [[String]]) {
    let normalized = Analyzer.normalized(groups.flatMap { $0 })
    var next = 0
    self.groups = groups.map { group in
      defer { next += group.count }
      return normalized[next..<next + group.count].sorted { $0.count > $1.count }
    }
  }

  /// Parses the data file: one group per line, forms separated by spaces, `#` comments.
  public init(text: String) {
    var groups: [[String]] = []
    for line in text.split(whereSeparator: \.isNewline) {
      let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
      let forms = content.split(whereSeparator: \.isWhitespace).map(String.init)
      if forms.count >= 2 { groups.append(forms) }
    }
    self.init(groups: groups)
  }

  /// Other spellings of `word` (not including `word` itself).
  public func variants(of word: String) -> [String] {
    let normalized = Analyzer.normalized(word)
    var out: [String] = []
    for group in groups {
      // The longest form present, so 中等职业学校 is not also rewritten as 中等职业.
      guard let form = group.first(where: { normalized.contains($0) }) else { continue }
      // Only true alternatives: a form inside another would widen or narrow the word.
      for other in group where other != form && !other.contains(form) && !form.contains(other) {
        let variant = normalized.replacing(form, with: other)
        if variant != normalized, !out.contains(variant) { out.append(variant) }
      }
      if out.count >= limit { break }
    }
    return Array(out.prefix(limit))
  }
}
