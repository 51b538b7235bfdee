/// Reads a `.docx` into lines: one line per paragraph (so line numbers are paragraph
/// indices, 1-based). Headings (styles `Heading1`…, `标题 1`…, or an outline level) become
/// markdown `#` lines so the structure parser sees their level; table-cell paragraphs
/// start with a tab so they are never taken for headings.
enum DocxReader {
  /// The paragraphs of the document as lines.
  static func lines(from bytes: [UInt8], file: String) throws(CorpusError) -> [String] {
    let archive: ZipArchive
    do {
      archive = try ZipArchive(bytes)
    } catch {
      throw CorpusError(
        file: file, reason: "not a readable .docx (zip) file (\(error.reason)), skipped")
    }
    let entry: [UInt8]?
    do {
      entry = try archive.contents(of: "word/document.xml")
    } catch {
      throw CorpusError(file: file, reason: "damaged .docx (\(error.reason)), skipped")
    }
    guard let entry else {
      throw CorpusError(file: file, reason: ".docx without word/document.xml, skipped")
    }
    // A missing or damaged style sheet only costs the heading levels it would have named.
    let styles = try? archive.contents(of: "word/styles.xml")
    let headingStyles = styles.map { StyleLevels.parse(utf8($0)) } ?? [:]
    var collector = ParagraphCollector(headingStyles: headingStyles)
    do {
      try XMLScanner.scan(utf8(entry)) { collector.handle($0) }
    } catch {
      throw CorpusError(
        file: file, reason: "malformed word/document.xml (\(error.reason)), skipped")
    }
    if collector.lines.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) {
      throw CorpusError(file: file, reason: "empty document, skipped")
    }
    return collector.lines
  }

  /// The XML as UTF-8: a part may also be UTF-16 with a byte-order mark (the package
  /// format allows both).
  private static func utf8(_ xml: [UInt8]) -> [UInt8] {
    guard xml.count >= 2, xml[0] == 0xFF && xml[1] == 0xFE || xml[0] == 0xFE && xml[1] == 0xFF
    else { return xml }
    return Array(TextDecoder.utf16String(xml.dropFirst(2), bigEndian: xml[0] == 0xFE).utf8)
  }


  /// Heading level (1-based) of a style name or outline level, nil for body styles.
  static func headingLevel(styleName: String) -> Int? {
    let lower = styleName.lowercased().filter { $0 != " " }
    for prefix in ["heading", "标题"] where lower.hasPrefix(prefix) {
      if let level = Int(lower.dropFirst(prefix.count)), (1...9).contains(level) { return level }
    }
    return nil
  }

  /// Maps style ids to heading levels from `word/styles.xml`.
  private enum StyleLevels {
    /// The levels named before any damage in the XML.
    static func parse(_ xml: [UInt8]) -> [String: Int] {
      var levels: [String: Int] = [:]
      var currentId: String?
      try? XMLScanner.scan(xml) { event in
        guard case .start(let name, let attributes) = event else { return }
        switch name {
        case "w:style": currentId = attributes["w:styleId"]
        case "w:name":
          if let id = currentId, let value = attributes["w:val"],
            let level = DocxReader.headingLevel(styleName: value)
          {
            levels[id] = level
          }
        case "w:outlineLvl":
          if let id = currentId, levels[id] == nil,
            let value = attributes["w:val"].flatMap(Int.init), value < 9
          {
            levels[id] = value + 1
          }
        default: break
        }
      }
      return levels
    }
  }

  /// Collects paragraph text, heading levels and table membership from `word/document.xml`.
  private struct ParagraphCollector {
    let headingStyles: [String: Int]
    var lines: [String] = []
    private var text = ""
    private var inText = false
    private var level: Int?
    private var tableDepth = 0
    private var inParagraph = false

    init(headingStyles: [String: Int]) {
      self.headingStyles = headingStyles
    }

    mutating func handle(_ event: XMLScanner.Event) {
      switch event {
      case .start(let name, let attributes): start(name, attributes)
      case .end(let name): end(name)
      case .text(let string): if inText { text += string }
      }
    }

    private mutating func start(_ name: String, _ attributes: [String: String]) {
      switch name {
      case "w:tbl": tableDepth += 1
      case "w:p":
        inParagraph = true
        text = ""
        level = nil
      case "w:pStyle":
        if let id = attributes["w:val"] {
          level = headingStyles[id] ?? DocxReader.headingLevel(styleName: id)
        }
      case "w:outlineLvl":
        if level == nil, let value = attributes["w:val"].flatMap(Int.init), value < 9 {
          level = value + 1
        }
      case "w:t": inText = true
      case "w:tab": if inParagraph { text += "\t" }
      case "w:br", "w:cr": if inParagraph { text += " " }
      default: break
      }
    }

    private mutating func end(_ name: String) {
      switch name {
      case "w:t": inText = false
      case "w:tbl": tableDepth -= 1
      case "w:p":
        inParagraph = false
        // Line ends inside a paragraph are soft breaks: one line per paragraph.
        var flat = ""
        flat.unicodeScalars.append(
          contentsOf: text.unicodeScalars.map { $0 == "\n" || $0 == "\r" ? " " : $0 })
        if tableDepth > 0 {
          lines.append("\t" + flat)
        } else if let level, !flat.allSatisfy(\.isWhitespace) {
          lines.append(String(repeating: "#", count: min(level, 6)) + " " + flat)
        } else {
          lines.append(flat)
        }
      default: break
      }
    }
  }
}
