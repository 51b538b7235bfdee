#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Renders a document's unit tree for `zhisou outline`: how a user checks what the
/// engine made of a report.
public enum OutlineFormatter {
  /// One line per unit, indented by level: `  [case] 案例 2.3 标题  L414–L416`.
  public static func text(_ document: Document) -> String {
    let m = document.metadata
    var out = "\(m.file) — \(m.title) (\(m.region.isEmpty ? "?" : m.region), \(m.year.map(String.init) ?? "?"), \(m.kind))\n"
    for note in m.notes { out += "  note: \(note)\n" }
    let counts = Dictionary(grouping: document.units, by: \.kind).mapValues(\.count)
    out += "  units: \(document.units.count) (section \(counts[.section] ?? 0), case \(counts[.case] ?? 0), policy \(counts[.policy] ?? 0))\n"
    for (unit, citations) in zip(document.units, document.citations) {
      let indent = String(repeating: "  ", count: max(unit.level, 1))
      let numbered = citations.filter { $0.documentNumber != nil }.count
      let cites = numbered > 0 ? "  cites \(numbered)" : ""
      out += "\(indent)[\(unit.kind.rawValue)] \(unit.displayTitle)  L\(unit.lineStart)–L\(unit.lineEnd)\(cites)\n"
    }
    for warning in document.warnings { out += "  warning: \(warning)\n" }
    return out
  }

  /// JSON for a list of documents: metadata, units (without their text) and citations.
  public static func json(_ documents: [Document]) -> String {
    struct UnitOutline: Encodable {
      var kind: UnitKind
      var number: String
      var title: String
      var headingPath: [String]
      var level: Int
      var lineStart: Int
      var lineEnd: Int
      var citations: [PolicyCitation]
    }
    struct DocumentOutline: Encodable {
      var metadata: DocumentMetadata
      var units: [UnitOutline]
      var warnings: [String]
    }
    let outlines = documents.map { document in
      DocumentOutline(
        metadata: document.metadata,
        units: zip(document.units, document.citations).map { unit, citations in
          UnitOutline(
            kind: unit.kind, number: unit.number, title: unit.title, headingPath: unit.headingPath,
            level: unit.level, lineStart: unit.lineStart, lineEnd: unit.lineEnd, citations: citations)
        }, warnings: document.warnings)
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(outlines) else { return "[]" }
    return String(decoding: data, as: UTF8.self)
  }
}
