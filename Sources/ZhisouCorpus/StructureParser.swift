/// Turns cleaned lines into non-overlapping units: sections, cases and policy measures.
///
/// The report's own arabic numbering (`3．`, `3.2`, `3.2.1`) is its backbone. A numbered
/// heading is accepted into it only when it continues the numbering seen so far: going
/// backwards (`3.1` inside chapter 6) or restarting (`1.实施背景` in chapter 6) is evidence
/// that the line belongs to something pasted in or to a story's own numbering, so it stays
/// body text. Other heading styles (`一、`, `（一）`, `1.` lists, markdown, bold) nest under
/// the current backbone heading by style: a style seen before closes back to its level.
///
/// Cases (`案例 2.3`, `【案例分享 3】`, sections of a `特色创新` chapter, and stories that
/// open with `1.实施背景` after their heading was lost) are one unit each: headings inside a
/// case that are not backbone headings are part of the story.
///
/// Units longer than `maxUnitLines` are split at line boundaries into consecutive parts with
/// the same title and heading path, because hits spanning more than 150 lines are useless.
struct StructureParser {
  /// Longest span (in source lines) of one unit before it is split into parts.
  static let maxUnitLines = 120
  static let frontMatter: Set<String> = ["前言", "序言", "引言", "摘要", "概述", "后记", "结语", "结束语", "附件", "附录", "附表", "说明", "编写说明"]
  static let policySuffixes = ["通知", "意见", "办法", "方案", "规划", "计划", "决定", "规定", "条例", "细则", "纲要", "要点", "指南", "标准"]

  let lines: [CleanLine]
  let toc: TableOfContents
  let documentTitle: String
  let isPolicy: Bool

  private struct Frame {
    var level: Int
    var title: String
    var style: String
    var structural: Bool
    var number: [Int]?
    var value: Int?
  }

  private struct Builder {
    var kind: UnitKind
    var title: String
    var number: String
    var headingPath: [String]
    var level: Int
    var lines: [(Int, String)]
    var hasHeadingLine: Bool
    var isPendingStory = false
  }

  private var frames: [Frame] = []
  private var lastNumber: [Int] = []
  private var units: [Unit] = []
  private var builder: Builder?
  /// Level of the open case while it absorbs inner headings.
  private var caseLevel: Int?
  /// Units of stories found by their restarting numbering, waiting for their chapter.
  private var pendingStories: [Int] = []
  private let titleKey: String
  private var caseChapterCache: (title: String, isCase: Bool)?

  init(lines: [CleanLine], toc: TableOfContents, documentTitle: String, isPolicy: Bool) {
    self.lines = lines
    self.toc = toc
    self.documentTitle = documentTitle
    self.isPolicy = isPolicy
    self.titleKey = StructureParser.key(documentTitle)
  }

  /// Longest front-matter word, in scalars (a string equal to one is no longer).
  static let frontMatterMaxScalars = frontMatter.map(\.unicodeScalars.count).max() ?? 0

  /// `key` of a line from its compact form (which has no spaces already): the same string
  /// without copying when it has no full-width parentheses.
  static func key(compact: String) -> String {
    // `（` is EF BC 88, `）` is EF BC 89.
    var hasParenthesis = false
    var previous: (UInt8, UInt8) = (0, 0)
    for byte in compact.utf8 {
      if (byte == 0x88 || byte == 0x89), previous == (0xEF, 0xBC) {
        hasParenthesis = true
        break
      }
      previous = (previous.1, byte)
    }
    return hasParenthesis ? key(compact) : compact
  }

  /// Compact comparison key: no spaces, ASCII parentheses.
  static func key(_ text: String) -> String {
    var result = String()
    for scalar in text.unicodeScalars where !isSpace(scalar) {
      switch scalar {
      case "（": result.unicodeScalars.append("(")
      case "）": result.unicodeScalars.append(")")
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  /// Parses all lines into units.
  mutating func parse() -> [Unit] {
    for index in lines.indices {
      if toc.isTOC[index] { continue }
      let line = lines[index]
      if line.text.isEmpty { continue }
      handle(line, number: index + 1, index: index)
    }
    flush()
    return units
  }

  private mutating func handle(_ line: CleanLine, number lineNumber: Int, index: Int) {
    let compact = line.compact
    let candidate = HeadingDetector.candidate(line)
    // Document title and front matter: top level, outside the numbering.
    if !line.isTableRow, line.compactScalarCount <= 60 {
      let key = StructureParser.key(compact: compact)
      if key == titleKey
        || (candidate == nil && startsAppendix(compact) && !toc.headingTitles.isEmpty
          && toc.headingTitles.contains(compact))
        || (line.compactScalarCount <= StructureParser.frontMatterMaxScalars
          && StructureParser.frontMatter.contains(compact))
        || (line.markdownLevel == 1 && (candidate?.numbering ?? .none) == .none && candidate?.caseMarker == nil)
      {
        startTopLevel(line, lineNumber: lineNumber, pushFrame: key != titleKey)
        return
      }
    }
    if let candidate, let marker = candidate.caseMarker {
      startCase(candidate, marker: marker, line: line, lineNumber: lineNumber)
      return
    }
    if let candidate, case .arabic(let components) = candidate.numbering, !candidate.isSeparatorless {
      if acceptsBackbone(components, candidate) {
        startBackbone(components, candidate, line: line, lineNumber: lineNumber, kind: nil)
        return
      }
      if components.count > 1 {
        append(line, lineNumber)
        return
      }
    }
    if let candidate, isInnerHeading(candidate, line) {
      startInner(candidate, line: line, lineNumber: lineNumber)
      return
    }
    if candidate == nil, isEmbeddedDocumentTitle(line, index: index) {
      let inner = HeadingCandidate(
        numbering: .none, number: "", title: line.text, hasRunIn: false, isTitleLike: true,
        isSeparatorless: false, caseMarker: nil)
      startInner(inner, line: line, lineNumber: lineNumber, style: "doc")
      return
    }
    if candidate == nil, caseLevel == nil, !line.isTableRow, line.compactScalarCount <= 40,
      !toc.headingTitles.isEmpty, toc.headingTitles.contains(compact)
    {
      let inner = HeadingCandidate(
        numbering: .none, number: "", title: line.text, hasRunIn: false, isTitleLike: true,
        isSeparatorless: false, caseMarker: nil)
      startInner(inner, line: line, lineNumber: lineNumber, style: "toc")
      return
    }
    append(line, lineNumber)
  }

  private func startsAppendix(_ compact: String) -> Bool {
    compact.hasPrefix("表") || compact.hasPrefix("附")
  }

  // MARK: Backbone numbering

  /// Whether arabic numbering `c` continues the report's own numbering.
  private func acceptsBackbone(_ c: [Int], _ candidate: HeadingCandidate) -> Bool {
    if c.count == 1 {
      guard candidate.isTitleLike, !isPolicy else { return false }
      let current = lastNumber.first ?? 0
      let inner = frames.filter { !$0.structural }
      if inner.contains(where: { $0.style == "ar1" && $0.value == c[0] - 1 }) { return false }
      if inner.isEmpty { return c[0] > current && c[0] <= current + 2 }
      return current > 0 && c[0] == current + 1
    }
    guard candidate.isTitleLike || candidate.hasRunIn else { return false }
    if lastNumber.isEmpty { return c[0] <= 2 && c.dropFirst().allSatisfy { $0 <= 3 } }
    if c.count > lastNumber.count, Array(c.prefix(lastNumber.count)) == lastNumber {
      return c.dropFirst(lastNumber.count).allSatisfy { (1...3).contains($0) }
    }
    guard let i = (0..<min(c.count, lastNumber.count)).first(where: { c[$0] != lastNumber[$0] }) else { return false }
    let limit = i == 0 ? 2 : 3
    guard c[i] > lastNumber[i], c[i] <= lastNumber[i] + limit else { return false }
    return c.dropFirst(i + 1).allSatisfy { (1...3).contains($0) }
  }

  private mutating func startBackbone(
    _ c: [Int], _ candidate: HeadingCandidate, line: CleanLine, lineNumber: Int, kind: UnitKind?
  ) {
    let level = c.count
    if let caseLevel, level > caseLevel, kind == nil {
      lastNumber = c
      append(line, lineNumber)
      return
    }
    flush()
    let newChapter = c[0] != (lastNumber.first ?? 0)
    while let last = frames.last,
      !last.structural || last.level >= level || (last.number.map { !c.starts(with: $0) } ?? false)
    {
      frames.removeLast()
    }
    let path = frames.map(\.title)
    if newChapter || !pendingStories.isEmpty { resolvePendingStories(path: path, level: level) }
    let chapterTitle = frames.first(where: { $0.level == 1 })?.title ?? ""
    var unitKind = kind ?? .section
    if kind == nil, level >= 2, isCaseChapter(chapterTitle) { unitKind = .case }
    let label = c.count == 1 ? "\(c[0])." : c.map(String.init).joined(separator: ".")
    let number = candidate.caseMarker.map { "\(label) \($0.label)" } ?? label
    let title = unitKind == .case && candidate.caseMarker != nil ? caseTitle(candidate, line) : candidate.title
    start(unitKind, title: title, number: number, path: path, level: level, line: line, lineNumber: lineNumber)
    frames.append(
      Frame(level: level, title: display(label, candidate.title), style: "ar", structural: true, number: c, value: c.last))
    lastNumber = c
    caseLevel = unitKind == .case ? level : nil
  }

  /// `CaseDetector.isCaseChapter`, remembered for the last chapter title asked about (a
  /// chapter's sections all ask about the same title).
  private mutating func isCaseChapter(_ title: String) -> Bool {
    if let cached = caseChapterCache, cached.title.utf8.elementsEqual(title.utf8) { return cached.isCase }
    let isCase = CaseDetector.isCaseChapter(title)
    caseChapterCache = (title, isCase)
    return isCase
  }

  private mutating func resolvePendingStories(path: [String], level: Int) {
    for index in pendingStories {
      units[index].headingPath = path
      units[index].level = level
    }
    pendingStories.removeAll()
  }

  // MARK: Cases

  private mutating func startCase(
    _ candidate: HeadingCandidate, marker: CaseMarker, line: CleanLine, lineNumber: Int
  ) {
    if case .arabic(let c) = candidate.numbering {
      var asHeading = candidate
      asHeading.isTitleLike = true
      asHeading.hasRunIn = false
      if acceptsBackbone(c, asHeading) {
        startBackbone(c, candidate, line: line, lineNumber: lineNumber, kind: .case)
        return
      }
    }
    flush()
    if caseLevel != nil { frames.removeAll { !$0.structural } }
    let level = (frames.last?.level ?? 0) + 1
    start(
      .case, title: caseTitle(candidate, line), number: marker.label, path: frames.map(\.title),
      level: level, line: line, lineNumber: lineNumber)
    caseLevel = level
  }

  /// A case's title: its `案例目录` entry when there is one, else the heading's own words.
  private func caseTitle(_ candidate: HeadingCandidate, _ line: CleanLine) -> String {
    if let marker = candidate.caseMarker, !marker.number.isEmpty, let title = toc.caseTitles[marker.number] {
      return title
    }
    if candidate.isTitleLike || candidate.hasRunIn { return candidate.title }
    return CaseDetector.derivedTitle(candidate.title)
  }

  // MARK: Inner headings

  private func isInnerHeading(_ candidate: HeadingCandidate, _ line: CleanLine) -> Bool {
    if candidate.numbering == .dash { return isPolicy && candidate.hasRunIn }
    if isPolicyMeasure(candidate) { return true }
    if candidate.numbering == .none { return candidate.isTitleLike && (line.markdownLevel != nil || line.isBold) }
    return candidate.isTitleLike
  }

  private func isPolicyMeasure(_ candidate: HeadingCandidate) -> Bool {
    guard isPolicy, candidate.hasRunIn else { return false }
    switch candidate.numbering {
    case .arabic(let c): return c.count == 1
    case .parenChinese, .parenArabic, .dash, .chineseNumeral: return true
    case .none: return false
    }
  }

  private mutating func startInner(
    _ candidate: HeadingCandidate, line: CleanLine, lineNumber: Int, style: String? = nil
  ) {
    let styleKey: String
    if let style {
      styleKey = style
    } else if candidate.numbering == .none {
      styleKey = line.markdownLevel.map { "md\($0)" } ?? "bold"
    } else {
      styleKey = candidate.numbering.style
    }
    if caseLevel != nil {
      // Markdown headings close a case; everything else is the story's own structure.
      if line.markdownLevel == nil {
        if CaseDetector.opensStory(candidate), let builder, builder.lines.count > (builder.hasHeadingLine ? 1 : 0) {
          startStory(line: line, lineNumber: lineNumber)
        } else {
          append(line, lineNumber)
        }
        return
      }
      caseLevel = nil
      frames.removeAll { !$0.structural }
    } else if CaseDetector.opensStory(candidate), let builder,
      builder.lines.count > (builder.hasHeadingLine ? 1 : 0)
    {
      startStory(line: line, lineNumber: lineNumber)
      return
    }
    flush()
    var level = (frames.last?.level ?? 0) + 1
    if let sibling = frames.lastIndex(where: { !$0.structural && $0.style == styleKey }),
      !frames[sibling...].contains(where: \.structural)
    {
      level = frames[sibling].level
      frames.removeSubrange(sibling...)
    }
    let kind: UnitKind = isPolicyMeasure(candidate) || (candidate.numbering == .dash) ? .policy : .section
    start(kind, title: candidate.title, number: candidate.number, path: frames.map(\.title), level: level, line: line, lineNumber: lineNumber)
    frames.append(
      Frame(level: level, title: display(candidate.number, candidate.title), style: styleKey, structural: false, number: nil, value: candidate.numbering.value))
  }

  /// Starts a story whose heading was lost: the line before its `1.实施背景` is its title
  /// (or its introduction), so it moves from the unit before into the story.
  private mutating func startStory(line: CleanLine, lineNumber: Int) {
    guard var current = builder, let stolen = current.lines.popLast() else { return }
    builder = current
    flush()
    let stolenLine = CleanLine(text: stolen.1, markdownLevel: nil, isBold: false, isTableRow: false)
    let title: String
    if let candidate = HeadingDetector.candidate(stolenLine), candidate.isTitleLike {
      title = candidate.title
    } else if stolen.1.unicodeScalars.count <= 40, !stolen.1.unicodeScalars.contains(where: { HeadingDetector.endsSentence($0) }) {
      title = stolen.1
    } else {
      title = CaseDetector.derivedTitle(stolen.1)
    }
    frames.removeAll { !$0.structural }
    let level = (frames.last?.level ?? 0) + 1
    builder = Builder(
      kind: .case, title: title, number: "", headingPath: frames.map(\.title), level: level,
      lines: [stolen], hasHeadingLine: true, isPendingStory: true)
    caseLevel = level
    append(line, lineNumber)
  }

  /// A bare title of a document pasted into a section (`关于…的实施方案`, then `各县区…:`).
  private func isEmbeddedDocumentTitle(_ line: CleanLine, index: Int) -> Bool {
    guard !line.isTableRow, caseLevel == nil else { return false }
    guard line.scalarCount <= 50,
      !line.text.unicodeScalars.contains(where: {
        switch $0 {
        case "。", "；", "，", ",", "：", ":": return true
        default: return false
        }
      })
    else { return false }
    guard line.text.hasPrefix("关于") || StructureParser.policySuffixes.contains(where: { line.text.hasSuffix($0) })
    else { return false }
    var next = index + 1
    while next < lines.count, lines[next].text.isEmpty { next += 1 }
    guard next < lines.count, let last = lines[next].text.unicodeScalars.last else { return false }
    return last == ":" || last == "："
  }

  // MARK: Top level

  private mutating func startTopLevel(_ line: CleanLine, lineNumber: Int, pushFrame: Bool) {
    flush()
    pendingStories.removeAll()
    frames.removeAll()
    caseLevel = nil
    start(.section, title: line.text, number: "", path: [], level: 1, line: line, lineNumber: lineNumber)
    if pushFrame {
      frames.append(Frame(level: 1, title: line.text, style: "top", structural: true, number: nil, value: nil))
    }
  }

  // MARK: Building units

  private func display(_ number: String, _ title: String) -> String {
    if number.isEmpty { return title }
    if let last = number.unicodeScalars.last, "、）)】.".unicodeScalars.contains(last), number.count > 1,
      last != "."
    {
      return number + title
    }
    return "\(number) \(title)"
  }

  private mutating func start(
    _ kind: UnitKind, title: String, number: String, path: [String], level: Int, line: CleanLine,
    lineNumber: Int
  ) {
    flush()
    builder = Builder(
      kind: kind, title: title, number: number, headingPath: path, level: level,
      lines: [(lineNumber, line.text)], hasHeadingLine: true)
  }

  private mutating func append(_ line: CleanLine, _ lineNumber: Int) {
    if builder == nil {
      builder = Builder(
        kind: .section, title: documentTitle, number: "", headingPath: [], level: 1, lines: [],
        hasHeadingLine: false)
    }
    builder?.lines.append((lineNumber, line.text))
  }

  private mutating func flush() {
    guard let current = builder else { return }
    builder = nil
    guard let first = current.lines.first else { return }
    var partStart = first.0
    var partLines: [String] = []
    var partEnd = first.0
    let firstIndex = units.count
    for (number, text) in current.lines {
      if number - partStart + 1 > StructureParser.maxUnitLines, !partLines.isEmpty {
        units.append(unit(current, partStart, partEnd, partLines))
        partStart = number
        partLines = []
      }
      partLines.append(text)
      partEnd = number
    }
    units.append(unit(current, partStart, partEnd, partLines))
    if current.isPendingStory { pendingStories.append(contentsOf: firstIndex..<units.count) }
  }

  private func unit(_ b: Builder, _ start: Int, _ end: Int, _ lines: [String]) -> Unit {
    Unit(
      kind: b.kind, title: b.title, headingPath: b.headingPath, level: b.level, lineStart: start,
      lineEnd: end, text: lines.joined(separator: "\n"), number: b.number)
  }
}
