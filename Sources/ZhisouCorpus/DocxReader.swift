import Foundation
import ZIPFoundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Reads a `.docx` into lines: one line per paragraph (so line numbers are paragraph
/// indices, 1-based). Headings (styles `Heading1`…, `标题 1`…, or an outline level) become
/// markdown `#` lines so the structure parser sees their level; table-cell paragraphs
/// start with a tab so they are never taken for headings.
enum DocxReader {
  /// The paragraphs of the document as lines.
  static func lines(from bytes: [UInt8], file: String) throws(CorpusError) -> [String] {
    let archive: Archive
    do {
      archive = try Archive(data: Data(bytes), accessMode: .read)
    } catch {
      throw CorpusError(file: file, reason: "not a readable .docx (zip) file, skipped")
    }
    guard let document = extract(archive, "word/document.xml") else {
      throw CorpusError(file: file, reason: ".docx without word/document.xml, skipped")
    }
    let headingStyles = extract(archive, "word/styles.xml").map(StyleLevels.parse) ?? [:]
    let collector = ParagraphCollector(headingStyles: headingStyles)
    let parser = XMLParser(data: document)
    parser.delegate = collector
    guard parser.parse() else {
      throw CorpusError(file: file, reason: "malformed word/document.xml, skipped")
    }
    if collector.lines.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
      throw CorpusError(file: file, reason: "empty document, skipped")
    }
    return collector.lines
  }

  private static func extract(_ archive: Archive, _ path: String) -> Data? {
    guard let entry = archive[path] else { return nil }
    var data = Data()
    do {
      _ = try archive.extract(entry, skipCRC32: true) { data.append($0) }
    } catch {
      return nil
    }
    return data
  }

  /// Heading level (1-based) of a style name or outline level, nil for body styles.
  static func headingLevel(styleName: String) -> Int? {
    let lower = styleName.lowercased().replacingOccurrences(of: " ", with: "")
    for prefix in ["heading", "标题"] where lower.hasPrefix(prefix) {
      if let level = Int(lower.dropFirst(prefix.count)), (1...9).contains(level) { return level }
    }
    return nil
  }

  /// Maps style ids to heading levels from `word/styles.xml`.
  private final class StyleLevels: NSObject, XMLParserDelegate {
    var levels: [String: Int] = [:]
    private var currentId: String?

    static func parse(_ data: Data) -> [String: Int] {
      let delegate = StyleLevels()
      let parser = XMLParser(data: data)
      parser.delegate = delegate
      _ = parser.parse()
      return delegate.levels
    }

    func parser(
      _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
      attributes: [String: String] = [:]
    ) {
      switch name {
      case "w:style": currentId = attributes["w:styleId"]
      case "w:name":
        if let id = currentId, let value = attributes["w:val"], let level = DocxReader.headingLevel(styleName: value) {
          levels[id] = level
        }
      case "w:outlineLvl":
        if let id = currentId, levels[id] == nil, let value = attributes["w:val"].flatMap(Int.init), value < 9 {
          levels[id] = value + 1
        }
      default: break
      }
    }
  }

  /// Collects paragraph text, heading levels and table membership from `word/document.xml`.
  private final class ParagraphCollector: NSObject, XMLParserDelegate {
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

    func parser(
      _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
      attributes: [String: String] = [:]
    ) {
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
        if level == nil, let value = attributes["w:val"].flatMap(Int.init), value < 9 { level = value + 1 }
      case "w:t": inText = true
      case "w:tab": if inParagraph { text += "\t" }
      case "w:br", "w:cr": if inParagraph { text += " " }
      default: break
      }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      if inText { text += string }
    }

    func parser(
      _ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?
    ) {
      switch name {
      case "w:t": inText = false
      case "w:tbl": tableDepth -= 1
      case "w:p":
        inParagraph = false
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        if tableDepth > 0 {
          lines.append("\t" + flat)
        } else if let level, !flat.trimmingCharacters(in: .whitespaces).isEmpty {
          lines.append(String(repeating: "#", count: min(level, 6)) + " " + flat)
        } else {
          lines.append(flat)
        }
      default: break
      }
    }
  }
}
