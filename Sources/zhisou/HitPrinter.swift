import ZhisouSearch

/// Prints hits as text for people or as JSON lines for scripts.
struct HitPrinter {
  var json: Bool
  var explain = false

  /// Prints ranked hits from `firstRank` on; in text output (not JSON) a line marks where
  /// the full matches end and the partial ones begin (unless `announced` already).
  func print(_ hits: [Hit], firstRank: Int, announced: Bool = false) {
    var announced = announced || json
    for (i, hit) in hits.enumerated() {
      if hit.isFallback, !announced {
        Swift.print(Terminal.dim("— partial matches: some of the words, or parts of them —") + "\n")
        announced = true
      }
      print(hit, rank: firstRank + i)
    }
  }

  func print(_ hit: Hit, rank: Int, extra: [String: String] = [:]) {
    if json {
      Swift.print(jsonLine(hit, rank: rank, extra: extra))
      return
    }
    let unit = hit.unit
    let meta = hit.document.metadata
    let kind = unit.kind.rawValue
    let header =
      "\(rank). " + Terminal.bold(unit.title.isEmpty ? "(untitled)" : unit.title)
      + "  [\(kind)]  " + Self.fixed(hit.score, digits: 2)
    Swift.print(header)
    let place = [meta.region, meta.year.map(String.init) ?? ""].filter { !$0.isEmpty }.joined(
      separator: " ")
    Swift.print("   " + Terminal.dim("\(place) · \(meta.title)"))
    if !unit.headingPath.isEmpty {
      Swift.print("   " + Terminal.dim((unit.headingPath + [unit.title]).joined(separator: " › ")))
    }
    Swift.print(
      "   \(meta.file):\(unit.lineStart)-\(unit.lineEnd)  " + Terminal.dim("id \(unit.address.id)"))
    Swift.print(
      "   " + hit.snippet.marked(open: Terminal.highlightOpen, close: Terminal.highlightClose))
    if explain {
      for part in hit.explanation {
        Swift.print(
          "   "
            + Terminal.dim(
              "\(part.word): title \(Self.fixed(part.title, digits: 3)) + body \(Self.fixed(part.body, digits: 3))"
            ))
      }
    }
  }

  /// `x` with `digits` (≥ 1) decimals: x · 10^digits rounded half away from zero. The
  /// last digit can differ from `%.Nf`'s, which rounds the exact binary value half to even
  /// (0.15 → "0.2" here, "0.1" there). `String(format:)` cost a search its
  /// first variadic-argument conformance lookups, which scan every conformance of this
  /// static binary: about 1 ms.
  static func fixed(_ x: Double, digits: Int) -> String {
    precondition((1...6).contains(digits))
    var scale = 1
    for _ in 0..<digits { scale *= 10 }
    guard x.isFinite, x.magnitude * Double(scale) < 1e18 else { return "\(x)" }
    let scaled = Int((x.magnitude * Double(scale)).rounded())
    let fraction = String(scaled % scale)
    let sign = x < 0 && scaled > 0 ? "-" : ""
    return sign + String(scaled / scale) + "."
      + String(repeating: "0", count: digits - fraction.count) + fraction
  }

  func jsonLine(_ hit: Hit, rank: Int, extra: [String: String] = [:]) -> String {
    let unit = hit.unit
    let meta = hit.document.metadata
    var fields: [String] = [
      "\"rank\":\(rank)",
      "\"id\":\(JSONText.quote(unit.address.id))",
      "\"score\":\(hit.score)",
      "\"kind\":\(JSONText.quote(unit.kind.rawValue))",
      "\"title\":\(JSONText.quote(unit.title))",
      "\"headingPath\":[\(unit.headingPath.map(JSONText.quote).joined(separator: ","))]",
      "\"file\":\(JSONText.quote(meta.file))",
      "\"lineStart\":\(unit.lineStart)",
      "\"lineEnd\":\(unit.lineEnd)",
      "\"snippet\":\(JSONText.quote(hit.snippet.text))",
      "\"highlights\":[\(hit.snippet.characterHighlights.map { "[\($0.lowerBound),\($0.upperBound)]" }.joined(separator: ","))]",
      "\"highlightBytes\":[\(hit.snippet.highlights.map { "[\($0.lowerBound),\($0.upperBound)]" }.joined(separator: ","))]",
      "\"fallback\":\(hit.isFallback)",
      "\"document\":" + DocumentJSON.object(hit.document),
    ]
    for (key, value) in extra.sorted(by: { $0.key < $1.key }) {
      fields.append("\(JSONText.quote(key)):\(value)")
    }
    if explain {
      let parts = hit.explanation.map {
        "{\"word\":\(JSONText.quote($0.word)),\"title\":\($0.title),\"body\":\($0.body)}"
      }
      fields.append("\"explain\":[\(parts.joined(separator: ","))]")
    }
    return "{" + fields.joined(separator: ",") + "}"
  }
}

/// JSON of a document's metadata.
enum DocumentJSON {
  static func object(_ d: DocumentRecord) -> String {
    let m = d.metadata
    return
      "{\"file\":\(JSONText.quote(m.file)),\"title\":\(JSONText.quote(m.title)),\"region\":\(JSONText.quote(m.region)),\"province\":\(JSONText.quote(m.province)),\"year\":\(m.year.map(String.init) ?? "null"),\"kind\":\(JSONText.quote(m.kind))}"
  }
}
