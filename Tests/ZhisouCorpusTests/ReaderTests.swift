import Foundation
import Testing

@testable import ZhisouCorpus

private let reader = CorpusReader(directory: seedCorpus)

/// Units without their text compared by what a hit carries.
private func shape(_ document: Document) -> [String] {
  document.units.map { "\($0.kind) \($0.displayTitle) \($0.headingPath) \($0.level) \($0.lineStart)-\($0.lineEnd)" }
}

@Suite struct ReaderTests {
  @Test func gbkCopyYieldsTheSameUnits() throws {
    let source = seedCorpus.appendingPathComponent("lvliang-2023-report.txt")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
    process.arguments = ["-f", "UTF-8", "-t", "GB18030", source.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let gbk = [UInt8](pipe.fileHandleForReading.readDataToEndOfFile())
    process.waitUntilExit()
    #expect(String(validating: gbk, as: UTF8.self) == nil)
    let original = try seed("lvliang-2023-report.txt")
    let converted = try reader.document(from: gbk, relativePath: "lvliang-2023-report.txt")
    #expect(shape(converted) == shape(original))
    #expect(converted.units.map(\.text) == original.units.map(\.text))
  }

  @Test(arguments: [false, true])
  func utf16WithBOM(bigEndian: Bool) throws {
    let text = "1．基本情况\n1.1 规模\n正文一行。\r\n2．学生发展\n"
    var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
    for unit in text.utf16 {
      let pair = [UInt8(unit >> 8), UInt8(unit & 0xFF)]
      bytes += bigEndian ? pair : pair.reversed()
    }
    let document = try reader.document(from: bytes, relativePath: "x.txt")
    #expect(document.units.map(\.displayTitle) == ["1. 基本情况", "1.1 规模", "2. 学生发展"])
    #expect(document.units[1].lineEnd == 3)
  }

  @Test func utf8BOMIsIgnored() throws {
    let document = try reader.document(from: [0xEF, 0xBB, 0xBF] + Array("1．基本情况\n正文。".utf8), relativePath: "x.txt")
    #expect(document.units.first?.title == "基本情况")
  }

  @Test func emptyWhitespaceAndBinaryFilesAreErrors() {
    #expect(throws: CorpusError.self) { try reader.document(from: [], relativePath: "empty.txt") }
    #expect(throws: CorpusError.self) { try reader.document(from: Array(" \n\u{3000}\n\t".utf8), relativePath: "blank.txt") }
    do {
      _ = try reader.document(from: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], relativePath: "image.txt")
      Issue.record("a PNG was read as text")
    } catch {
      #expect(error.file == "image.txt")
      #expect(error.description.contains("binary"))
    }
    #expect(throws: CorpusError.self) { try reader.document(from: Array("abc\0def".utf8), relativePath: "nul.txt") }
  }

  @Test func invalidUTF8IsReplacedWithAWarningNamingTheLine() throws {
    let bytes = Array("1．基本情况\n第二行中文正文。\n".utf8) + [0xE4, 0xB8] + Array("坏了\n第四行。\n".utf8)
    let document = try reader.document(from: bytes, relativePath: "bad.txt")
    #expect(document.warnings == ["bad.txt:3: invalid UTF-8 replaced with U+FFFD"])
    #expect(document.units.first?.text.contains("\u{FFFD}坏了") == true)
    #expect(document.units.first?.lineEnd == 4)
  }

  @Test func metadataIsInferredWithoutAManifestEntry() throws {
    let text = "吕梁市中等职业教育质量年度报告（2023）\n\n1．基本情况\n正文。\n"
    let document = try reader.document(from: Array(text.utf8), relativePath: "new/report.txt")
    #expect(document.metadata.title == "吕梁市中等职业教育质量年度报告（2023）")
    #expect(document.metadata.region == "吕梁市")
    #expect(document.metadata.year == 2023)
    #expect(document.metadata.kind == "report")
    let unknown = try reader.document(from: Array("一些没有标题的文字。\n".utf8), relativePath: "misc.txt")
    #expect(!unknown.metadata.notes.isEmpty)
  }

  @Test func manifestMetadataIsUsed() throws {
    let document = try seed("gaoping-2021-action-plan.txt")
    #expect(document.metadata.kind == "policy")
    #expect(document.metadata.region == "高平市")
    #expect(document.metadata.year == 2021)
  }

  @Test func scannerIsRecursiveSortedAndSurvivesLoops() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("zhisou-scan-\(UUID().uuidString)")
    let fm = FileManager.default
    try fm.createDirectory(at: root.appendingPathComponent("b/c"), withIntermediateDirectories: true)
    try Data("x".utf8).write(to: root.appendingPathComponent("z.txt"))
    try Data("x".utf8).write(to: root.appendingPathComponent("b/c/a.md"))
    try Data("x".utf8).write(to: root.appendingPathComponent("b/.hidden.txt"))
    try Data("[]".utf8).write(to: root.appendingPathComponent("manifest.json"))
    try Data("x".utf8).write(to: root.appendingPathComponent("notes.pdf"))
    try fm.createSymbolicLink(at: root.appendingPathComponent("b/c/loop"), withDestinationURL: root.appendingPathComponent("b"))
    defer { try? fm.removeItem(at: root) }
    let scan = CorpusScanner.scan(root)
    #expect(scan.files.map(\.relativePath) == ["b/c/a.md", "z.txt"])
    #expect(scan.warnings.contains { $0.hasPrefix("b/c/loop:") })
    #expect(scan.warnings.contains { $0.hasPrefix("notes.pdf:") })
  }

  /// `é` composed and decomposed are equal Swift strings but two folders on disk: the
  /// scanner took the second for a symlink loop and skipped its documents.
  @Test func scannerKeepsFoldersWhoseNamesAreCanonicallyEqualApart() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("zhisou-scan-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
    for folder in [composed, decomposed] {
      try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
      try Data("x".utf8).write(to: root.appendingPathComponent(folder).appendingPathComponent("a.txt"))
    }
    let scan = CorpusScanner.scan(root)
    #expect(scan.warnings.isEmpty)
    #expect(scan.files.map { Array($0.relativePath.utf8) } == [Array("\(decomposed)/a.txt".utf8), Array("\(composed)/a.txt".utf8)])
  }
}

@Suite struct ScaleTests {
  @Test func manyHeadingsAndAHugeLineStayLinear() throws {
    var text = ""
    for chapter in 1...99 {
      text += "\(chapter)．第\(chapter)章\n"
      for section in 1...99 { text += "\(chapter).\(section) 小节\n正文。\n" }
    }
    text += String(repeating: "很长的一行", count: 1_000_000) + "\n"
    let start = ContinuousClock.now
    let document = try CorpusReader(directory: seedCorpus).document(from: Array(text.utf8), relativePath: "big.txt")
    #expect(document.units.count == 99 * 100)
    #expect(ContinuousClock.now - start < .seconds(60))
  }
}
