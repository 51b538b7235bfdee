/// Evidence that a passage is a case study rather than an ordinary section.
enum CaseDetector {
  /// Words in a chapter title that make its sections exemplar stories (`7．特色创新`).
  static let caseChapterWords = ["特色创新", "典型案例", "案例", "创新案例", "经验做法", "特色亮点", "亮点工作", "典型经验"]
  /// First headings of a case write-up (`1.实施背景`, `一、项目背景`).
  static let storyOpeners = ["实施背景", "项目背景", "案例背景", "建设背景", "改革背景", "背景"]

  /// Whether sections under a chapter titled `title` are case studies.
  static func isCaseChapter(_ title: String) -> Bool {
    caseChapterWords.contains { title.contains($0) }
  }

  /// Whether `candidate` opens a case write-up: numbered 1 (or 一) and titled like `实施背景`.
  static func opensStory(_ candidate: HeadingCandidate) -> Bool {
    guard candidate.numbering.value == 1 else { return false }
    let title = candidate.title
    return title.unicodeScalars.count <= 12 && storyOpeners.contains { title.hasPrefix($0) }
  }

  /// A title for a case whose heading was lost: its first phrase, shortened.
  static func derivedTitle(_ text: String) -> String {
    var title = String()
    var count = 0
    for scalar in text.unicodeScalars {
      if "。；！？".unicodeScalars.contains(scalar) || count >= 24 { break }
      title.unicodeScalars.append(scalar)
      count += 1
    }
    return count >= 24 ? title + "…" : title
  }
}
