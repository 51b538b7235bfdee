extension Analyzer {
  /// `text` normalised as the analyzer sees it (NFKC, case folding, 繁→简), for
  /// comparing query words with data files such as the synonym list.
  public static func normalized(_ text: String) -> String {
    String(decoding: TextNormalizer().normalizedUnits(text), as: UTF16.self)
  }
}
