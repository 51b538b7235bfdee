/// Reads the XML of an Office document into events: elements with their attributes,
/// and text with the five named entities and numeric character references decoded.
/// Comments, processing instructions and the document type are skipped, CDATA is text.
/// A lenient subset of XML: tags must nest, every construct must end and references
/// must name characters XML allows (anything else is a `Failure` that says what and at
/// which byte), but duplicate attributes or several root elements are let through.
enum XMLScanner {
  /// One thing the document says, in order.
  enum Event: Equatable {
    /// An element opens (a self-closing one is followed by its `end` at once).
    case start(name: String, attributes: [String: String])
    case end(name: String)
    /// Character data between tags, decoded.
    case text(String)
  }

  /// Why the bytes are not well-formed XML.
  struct Failure: Error, Equatable {
    var reason: String
  }

  /// Calls `handle` with each event of the document `bytes` (UTF-8).
  static func scan(_ bytes: [UInt8], _ handle: (Event) -> Void) throws(Failure) {
    var open: [String] = []
    var i = 0
    let n = bytes.count
    func fail(_ what: String, at offset: Int) -> Failure {
      Failure(reason: "\(what) at byte \(offset)")
    }
    /// The index of the first occurrence of `pattern` at or after `from`, or nil.
    func find(_ pattern: [UInt8], from: Int) -> Int? {
      var k = from
      while k + pattern.count <= n {
        if bytes[k] == pattern[0], bytes[k..<(k + pattern.count)].elementsEqual(pattern) {
          return k
        }
        k += 1
      }
      return nil
    }
    func isNameByte(_ b: UInt8) -> Bool {
      !(b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x2F || b == 0x3E || b == 0x3D
        || b == 0x3C || b == 0x22 || b == 0x27)
    }
    func skipSpace(_ k: inout Int) {
      while k < n, bytes[k] == 0x20 || bytes[k] == 0x09 || bytes[k] == 0x0A || bytes[k] == 0x0D {
        k += 1
      }
    }
    while i < n {
      guard bytes[i] == 0x3C else {  // text up to the next '<'
        var k = i
        while k < n, bytes[k] != 0x3C { k += 1 }
        handle(.text(try decode(bytes[i..<k], at: i)))
        i = k
        continue
      }
      if bytes[i..<min(n, i + 4)].elementsEqual("<!--".utf8) {
        guard let close = find(Array("-->".utf8), from: i + 4) else {
          throw fail("unterminated comment", at: i)
        }
        i = close + 3
      } else if bytes[i..<min(n, i + 9)].elementsEqual("<![CDATA[".utf8) {
        guard let close = find(Array("]]>".utf8), from: i + 9) else {
          throw fail("unterminated CDATA", at: i)
        }
        handle(.text(try decode(bytes[(i + 9)..<close], at: i + 9, entities: false)))
        i = close + 3
      } else if i + 1 < n, bytes[i + 1] == 0x3F {  // <? … ?>
        guard let close = find(Array("?>".utf8), from: i + 2) else {
          throw fail("unterminated processing instruction", at: i)
        }
        i = close + 2
      } else if i + 1 < n, bytes[i + 1] == 0x21 {  // <!DOCTYPE …>, with an internal subset
        var k = i + 2
        var depth = 0
        while k < n, bytes[k] != 0x3E || depth > 0 {
          if bytes[k] == 0x5B { depth += 1 } else if bytes[k] == 0x5D { depth -= 1 }
          k += 1
        }
        guard k < n else { throw fail("unterminated declaration", at: i) }
        i = k + 1
      } else if i + 1 < n, bytes[i + 1] == 0x2F {  // </name>
        var k = i + 2
        while k < n, isNameByte(bytes[k]) { k += 1 }
        let name = String(decoding: bytes[(i + 2)..<k], as: UTF8.self)
        skipSpace(&k)
        guard k < n, bytes[k] == 0x3E else { throw fail("unterminated end tag", at: i) }
        guard open.last == name else {
          throw fail("</\(name)> does not close <\(open.last ?? "")>", at: i)
        }
        open.removeLast()
        handle(.end(name: name))
        i = k + 1
      } else {  // <name attr="value" …> or …/>
        var k = i + 1
        while k < n, isNameByte(bytes[k]) { k += 1 }
        guard k > i + 1 else { throw fail("a '<' that starts no tag", at: i) }
        let name = String(decoding: bytes[(i + 1)..<k], as: UTF8.self)
        var attributes: [String: String] = [:]
        while true {
          skipSpace(&k)
          guard k < n else { throw fail("unterminated tag <\(name)>", at: i) }
          if bytes[k] == 0x3E {
            k += 1
            open.append(name)
            handle(.start(name: name, attributes: attributes))
            break
          }
          if bytes[k] == 0x2F {
            guard k + 1 < n, bytes[k + 1] == 0x3E else {
              throw fail("a '/' inside tag <\(name)>", at: k)
            }
            k += 2
            handle(.start(name: name, attributes: attributes))
            handle(.end(name: name))
            break
          }
          let nameStart = k
          while k < n, isNameByte(bytes[k]) { k += 1 }
          guard k > nameStart else { throw fail("a stray character in tag <\(name)>", at: k) }
          let attribute = String(decoding: bytes[nameStart..<k], as: UTF8.self)
          skipSpace(&k)
          guard k < n, bytes[k] == 0x3D else {
            throw fail("attribute \(attribute) without a value", at: k)
          }
          k += 1
          skipSpace(&k)
          guard k < n, bytes[k] == 0x22 || bytes[k] == 0x27 else {
            throw fail("attribute \(attribute) without a quoted value", at: k)
          }
          let quote = bytes[k]
          var close = k + 1
          while close < n, bytes[close] != quote { close += 1 }
          guard close < n else { throw fail("unterminated value of attribute \(attribute)", at: k) }
          attributes[attribute] = try decode(bytes[(k + 1)..<close], at: k + 1)
          k = close + 1
        }
        i = k
      }
    }
    if let unclosed = open.last { throw Failure(reason: "<\(unclosed)> is never closed") }
  }

  /// Text with line ends normalised (`\r\n` and a lone `\r` are `\n`, as an XML
  /// processor reports them) and, unless it is CDATA, `&amp;`, `&lt;`, `&gt;`,
  /// `&quot;`, `&apos;`, `&#N;` and `&#xH;` decoded.
  private static func decode(
    _ raw: ArraySlice<UInt8>, at offset: Int, entities: Bool = true
  ) throws(Failure) -> String {
    guard raw.contains(0x0D) || entities && raw.contains(0x26) else {
      return String(decoding: raw, as: UTF8.self)
    }
    var out: [UInt8] = []
    out.reserveCapacity(raw.count)
    var i = raw.startIndex
    while i < raw.endIndex {
      if raw[i] == 0x0D {
        out.append(0x0A)
        i += i + 1 < raw.endIndex && raw[i + 1] == 0x0A ? 2 : 1
        continue
      }
      guard entities, raw[i] == 0x26 else {
        out.append(raw[i])
        i += 1
        continue
      }
      guard let semicolon = raw[i...].firstIndex(of: 0x3B), semicolon - i <= 12 else {
        throw Failure(reason: "a '&' that starts no entity at byte \(offset + i - raw.startIndex)")
      }
      let name = raw[(i + 1)..<semicolon]
      guard let scalar = entity(name) else {
        throw Failure(
          reason: "unknown entity &\(String(decoding: name, as: UTF8.self)); "
            + "at byte \(offset + i - raw.startIndex)")
      }
      out.append(contentsOf: String(Character(scalar)).utf8)
      i = semicolon + 1
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The character an entity or character reference (without `&` and `;`) stands for:
  /// only characters XML allows in a document (no NUL, no control characters but tab
  /// and line ends, no surrogates).
  private static func entity(_ name: ArraySlice<UInt8>) -> Unicode.Scalar? {
    switch String(decoding: name, as: UTF8.self) {
    case "amp": return "&"
    case "lt": return "<"
    case "gt": return ">"
    case "quot": return "\""
    case "apos": return "'"
    default: break
    }
    guard name.first == 0x23 else { return nil }  // #
    var digits = name.dropFirst()
    var radix: UInt32 = 10
    if digits.first == 0x78 || digits.first == 0x58 {  // x, X
      radix = 16
      digits = digits.dropFirst()
    }
    guard !digits.isEmpty else { return nil }
    var value: UInt32 = 0
    for byte in digits {
      let digit: UInt32
      switch byte {
      case 0x30...0x39: digit = UInt32(byte - 0x30)
      case 0x61...0x66 where radix == 16: digit = UInt32(byte - 0x61 + 10)
      case 0x41...0x46 where radix == 16: digit = UInt32(byte - 0x41 + 10)
      default: return nil
      }
      value = value * radix + digit
      if value > 0x10FFFF { return nil }
    }
    switch value {
    case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF:
      return Unicode.Scalar(value)
    default: return nil
    }
  }
}
