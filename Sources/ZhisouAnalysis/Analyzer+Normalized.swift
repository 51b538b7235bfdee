extension Analyzer {
  /// `text` normalised as the analyzer sees it (NFKC, case folding, 繁→简), for
  /// comparing query words with data files such as the synonym list.
  public static func normalized(_ text: String) -> String {
    normalized([text])[0]
  }

  /// Each of `texts` normalised as `normalized(_:)` does, with one normaliser (whose
  /// 256 KB table is worth making once for a whole data file).
  public static func normalized(_ texts: [String]) -> [String] {
    let normalizer = TextNormalizer()
    return texts.map { String(decoding: normalizer.normalizedUnits($0), as: UTF16.self) }
  }
}
