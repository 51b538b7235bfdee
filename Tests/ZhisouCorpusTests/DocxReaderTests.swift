import CZlib
import Testing

@testable import ZhisouCorpus

/// A zip archive as Word writes one: each entry deflated (or stored), a local header
/// before its data, the central directory and its end record last.
private func zip(_ entries: [(name: String, contents: String)], deflated: Bool = true) -> [UInt8] {
  zip(entries.map { ($0.name, Array($0.contents.utf8)) }, deflated: deflated)
}

private func zip(_ entries: [(name: String, bytes: [UInt8])], deflated: Bool = true) -> [UInt8] {
  var out: [UInt8] = []
  var directory: [UInt8] = []
  func u16(_ v: Int, _ into: inout [UInt8]) { into += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
  func u32(_ v: UInt32, _ into: inout [UInt8]) {
    into += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)]
  }
  for entry in entries {
    let plain = entry.bytes
    let crc = plain.withUnsafeBufferPointer { zs_crc32($0.baseAddress, $0.count) }
    var data = plain
    if deflated {
      var packed = [UInt8](repeating: 0, count: plain.count + 64)
      let n = plain.withUnsafeBufferPointer { input in
        packed.withUnsafeMutableBufferPointer {
          zs_deflate_raw(input.baseAddress, input.count, $0.baseAddress, $0.count)
        }
      }
      precondition(n >= 0)
      data = Array(packed[0..<n])
    }
    let name = Array(entry.name.utf8)
    let offset = out.count
    // The fields a local header and its central directory entry share: version needed,
    // flags, method, time, date, CRC, sizes, name length.
    func shared(_ into: inout [UInt8]) {
      u16(20, &into)
      u16(0, &into)
      u16(deflated ? 8 : 0, &into)
      u16(0, &into)
      u16(0, &into)
      u32(crc, &into)
      u32(UInt32(data.count), &into)
      u32(UInt32(plain.count), &into)
      u16(name.count, &into)
    }
    u32(0x0403_4B50, &out)
    shared(&out)
    u16(0, &out)  // extra length
    out += name + data
    u32(0x0201_4B50, &directory)
    u16(20, &directory)  // version made by
    shared(&directory)
    for _ in 0..<4 { u16(0, &directory) }  // extra, comment, disk, internal attributes
    u32(0, &directory)  // external attributes
    u32(UInt32(offset), &directory)
    directory += name
  }
  let directoryOffset = out.count
  out += directory
  u32(0x0605_4B50, &out)
  u16(0, &out)
  u16(0, &out)
  u16(entries.count, &out)
  u16(entries.count, &out)
  u32(UInt32(directory.count), &out)
  u32(UInt32(directoryOffset), &out)
  u16(0, &out)
  return out
}

private func paragraph(_ text: String, style: String? = nil) -> String {
  let properties = style.map { "<w:pPr><w:pStyle w:val=\"\($0)\"/></w:pPr>" } ?? ""
  return "<w:p>\(properties)<w:r><w:t>\(text)</w:t></w:r></w:p>"
}

private func documentXML(_ body: String) -> String {
  """
  <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
  <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>\(body)</w:body></w:document>
  """
}

private let reader = CorpusReader(directory: seedCorpus)

@Suite struct DocxReaderTests {
  @Test(arguments: [true, false]) func headingStylesBecomeUnits(deflated: Bool) throws {
    let body = [
      paragraph("吕梁市中等职业教育质量年度报告（2023）", style: "Title"), paragraph("基本情况", style: "Heading1"),
      paragraph("全市现有中职学校36所。"), paragraph("规模和结构", style: "Heading2"), paragraph("在校生约2.68万人。"),
      paragraph("学生发展", style: "Heading1"), paragraph("满意度90.2%。"),
    ].joined()
    let bytes = zip([("word/document.xml", documentXML(body))], deflated: deflated)
    let document = try reader.document(from: bytes, relativePath: "report.docx")
    #expect(
      document.units.map { "\($0.level) \($0.title) \($0.lineStart)-\($0.lineEnd)" } == [
        "1 吕梁市中等职业教育质量年度报告（2023） 1-1", "1 基本情况 2-3", "2 规模和结构 4-5", "1 学生发展 6-7",
      ])
    #expect(document.units[2].headingPath == ["基本情况"])
  }

  /// Style ids that only styles.xml names as headings, entities and character references,
  /// CDATA, comments, a table and line breaks: each read as Word shows it.
  @Test func stylesEntitiesAndTables() throws {
    let styles = """
      <?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="x"><!-- 样式 -->\
      <w:style w:type="paragraph" w:styleId="a1"><w:name w:val="heading 1"/></w:style>\
      <w:style w:type="paragraph" w:styleId="x9"><w:name w:val="小标题"/><w:pPr><w:outlineLvl w:val='1'/></w:pPr></w:style>\
      </w:styles>
      """
    let body = [
      paragraph("产教融合 &amp; 校企合作", style: "a1"),
      paragraph("&#x4E00;是&#20108;，&lt;三&gt;<![CDATA[ & 四]]>"),
      "<w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t><w:tab/><w:t>末</w:t></w:r></w:p>",
      paragraph("实训基地", style: "x9"),
      "<w:tbl><w:tr><w:tc>\(paragraph("表格里的一段"))</w:tc></w:tr></w:tbl>",
    ].joined()
    let bytes = zip([("word/styles.xml", styles), ("word/document.xml", documentXML(body))])
    let lines = try DocxReader.lines(from: bytes, file: "a.docx")
    #expect(lines == ["# 产教融合 & 校企合作", "一是二，<三> & 四", "第一行 第二行\t末", "## 实训基地", "\t表格里的一段"])
  }

  @Test func damagedArchivesSayWhatIsWrong() throws {
    let good = zip([("word/document.xml", documentXML(paragraph("正文内容")))])
    func reason(_ bytes: [UInt8]) -> String {
      do {
        _ = try DocxReader.lines(from: bytes, file: "r.docx")
        return "read"
      } catch {
        return error.description
      }
    }
    #expect(reason(good) == "read")
    #expect(reason(Array(good[0..<(good.count - 30)])).contains("not a readable .docx (zip) file"))
    #expect(reason(Array("not a zip at all, just text".utf8)).contains("not a readable .docx"))
    var flipped = good
    flipped[60] ^= 0xFF  // inside the deflated data (after a 30-byte header and the name)
    #expect(reason(flipped).contains("damaged .docx"), "\(reason(flipped))")
    let other = zip([("word/other.xml", "<a/>")])
    #expect(reason(other).contains("without word/document.xml"))
    let unclosed = zip([("word/document.xml", documentXML("<w:p><w:r><w:t>正文</w:r></w:p>"))])
    #expect(reason(unclosed).contains("malformed word/document.xml"), "\(reason(unclosed))")
    let entity = zip([("word/document.xml", documentXML(paragraph("A &nbsp; B")))])
    #expect(reason(entity).contains("unknown entity &nbsp;"), "\(reason(entity))")
    let empty = zip([("word/document.xml", documentXML(paragraph("  ")))])
    #expect(reason(empty).contains("empty document"))
  }

  /// Line ends inside a paragraph's text (as some generators write them) are soft breaks:
  /// still one line per paragraph.
  @Test func lineEndsInsideAParagraphAreSpaces() throws {
    let body = "<w:p><w:r><w:t>第一行\r\n第二行\r第三行&#13;&#10;末</w:t></w:r></w:p>"
    let lines = try DocxReader.lines(
      from: zip([("word/document.xml", documentXML(body))]), file: "a.docx")
    #expect(lines == ["第一行 第二行 第三行  末"])
  }

  @Test func aDamagedStyleSheetOnlyCostsItsHeadingLevels() throws {
    let styles = """
      <w:styles xmlns:w="x"><w:style w:styleId="a1"><w:name w:val="heading 1"/></w:style></w:styles>
      """
    let body = paragraph("基本情况", style: "Heading1") + paragraph("正文")
    var bytes = zip(
      [("word/styles.xml", styles), ("word/document.xml", documentXML(body))], deflated: false)
    bytes[30 + "word/styles.xml".utf8.count + 5] ^= 0x20  // inside the stored style sheet
    let lines = try DocxReader.lines(from: bytes, file: "a.docx")
    #expect(lines == ["# 基本情况", "正文"])
  }

  @Test func aUTF16DocumentIsRead() throws {
    var utf16: [UInt8] = [0xFF, 0xFE]
    for unit in documentXML(paragraph("职业教育")).utf16 {
      utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)]
    }
    let lines = try DocxReader.lines(from: zip([("word/document.xml", utf16)]), file: "a.docx")
    #expect(lines == ["职业教育"])
  }

  @Test(arguments: ["&#0;", "&#+65;", "&#x1B;", "&#xD800;", "&#x110000;", "&#;", "&#x;"])
  func referencesToCharactersXMLForbidsAreErrors(_ reference: String) {
    let bytes = zip([("word/document.xml", documentXML(paragraph("A\(reference)B")))])
    #expect(throws: CorpusError.self) { try DocxReader.lines(from: bytes, file: "a.docx") }
  }

  /// An entry whose header claims more than DEFLATE can expand to is refused before
  /// anything is allocated for it.
  @Test func anImplausibleInflatedSizeIsRefused() throws {
    var bytes = zip([("word/document.xml", documentXML(paragraph("正文")))])
    let end = bytes.count - 22
    let directory = Int(bytes[end + 16]) | Int(bytes[end + 17]) << 8
    bytes[directory + 24 + 3] = 0x0C  // the uncompressed size: now about 200 MB
    do {
      _ = try DocxReader.lines(from: bytes, file: "bomb.docx")
      Issue.record("read")
    } catch {
      #expect(error.description.contains("claims to inflate"), "\(error)")
    }
  }
}
