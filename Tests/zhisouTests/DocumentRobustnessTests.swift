import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// What `zhisou build` does with whatever users drop into `Corpus/` (issue 7, part 1):
/// every build completes, every good document is searchable, every problem is one
/// stderr line naming the file, and the exit status is 3 exactly when a document
/// could not be read. (Empty and PNG files, 10 000 headings and long lines are covered
/// by RobustnessCLITests and ZhisouCorpusTests.)
@Suite struct DocumentRobustnessTests {
  /// A workspace with a corpus of its own holding `files` (name → bytes).
  private func corpus(_ files: [String: [UInt8]], label: String = #function) throws -> Workspace {
    let w = try Workspace(label)
    let directory = w.url.appendingPathComponent("Corpus")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    for (name, bytes) in files { try Data(bytes).write(to: directory.appendingPathComponent(name)) }
    w.corpus = directory
    return w
  }

  /// The files of the hits of `query` (every hit, full and partial).
  private func files(_ w: Workspace, _ query: String, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> [String]
  {
    let out = try w.run(["search", query, "--json", "--limit", "50"])
    #expect(out.status == 0, "\(query): \(out)", sourceLocation: sourceLocation)
    return out.jsonObjects(sourceLocation: sourceLocation).filter { !$0.isPartial }.compactMap { $0["file"] as? String }
  }

  private static let report = """
    # 晋城市职业教育质量报告

    一、学校概况

    学校坚持产教融合，开展zqxwvmark专项行动，建设实训基地。

    二、办学成效

    毕业生就业率达到百分之九十五。

    """

  /// The same report in GBK (as Python's `str.encode("gbk")` gives it), marker `zqxwvgbk`.
  private static let gbkReport: [UInt8] = {
    let hex =
      "2320bdfab3c7cad0d6b0d2b5bdccd3fdd6cac1bfb1a8b8e60a0ad2bba1a2d1a7d0a3b8c5bff60a0ad1a7d0a3bce1b3d6b2fabdccc8dabacfa3acbfaad5b97a7178777667626bd7a8cfeed0d0b6afa3acbda8c9e8cab5d1b5bbf9b5d8a1a30a0ab6fea1a2b0ecd1a7b3c9d0a70a0ab1cfd2b5c9fabecdd2b5c2cab4efb5bdb0d9b7d6d6aebec5caaecee5a1a30a"
    var bytes: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
      let next = hex.index(index, offsetBy: 2)
      bytes.append(UInt8(hex[index..<next], radix: 16)!)
      index = next
    }
    return bytes
  }()

  private static func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
    var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
    for unit in text.utf16 {
      let high = UInt8(unit >> 8), low = UInt8(unit & 0xFF)
      bytes += bigEndian ? [high, low] : [low, high]
    }
    return bytes
  }

  @Test func everyEncodingIsIndexedAndSearchable() throws {
    let text = Self.report
    let w = try corpus([
      "gbk.txt": Self.gbkReport,
      "utf16le.txt": Self.utf16(text.replacingOccurrences(of: "zqxwvmark", with: "zqxwvle"), bigEndian: false),
      "utf16be.txt": Self.utf16(text.replacingOccurrences(of: "zqxwvmark", with: "zqxwvbe"), bigEndian: true),
      "bom.txt": [0xEF, 0xBB, 0xBF] + Array(text.replacingOccurrences(of: "zqxwvmark", with: "zqxwvbom").utf8),
      "plain.md": Array(text.replacingOccurrences(of: "zqxwvmark", with: "zqxwvplain").utf8),
    ])
    let build = try w.run(["build"])
    #expect(build.status == 0, "\(build)")
    #expect(!build.stderr.contains("error"), "\(build.stderr)")
    for (marker, file) in [
      ("zqxwvgbk", "gbk.txt"), ("zqxwvle", "utf16le.txt"), ("zqxwvbe", "utf16be.txt"), ("zqxwvbom", "bom.txt"),
      ("zqxwvplain", "plain.md"),
    ] {
      #expect(try files(w, marker) == [file], "\(marker)")
    }
    // Decoded, not mojibake: the Chinese words find all five, with the right title and line.
    let out = try w.run(["search", "产教融合", "--json", "--limit", "50"])
    let hits = out.jsonObjects().filter { !$0.isPartial }
    #expect(Set(hits.compactMap { $0["file"] as? String }) == ["gbk.txt", "utf16le.txt", "utf16be.txt", "bom.txt", "plain.md"], "\(out)")
    for hit in hits {
      #expect((hit["title"] as? String)?.contains("学校概况") == true, "\(hit)")
      #expect(hit.int("lineStart") == 3, "\(hit.place)")
      #expect((hit["snippet"] as? String)?.contains("坚持产教融合") == true, "\(hit)")
    }
    let documents = try w.run(["stats", "--json"]).jsonObjects().first
    #expect(documents?.int("documents") == 5)
  }

  @Test func invalidUTF8IsReplacedAndTheLineNamed() throws {
    var bytes = Array("# 吕梁市职业教育质量报告\n\n一、学校概况\n\n学校推进产教融合".utf8)
    bytes += [0xFF, 0xC3, 0x28, 0xE4, 0xBA]  // a stray byte, a bad continuation, a cut-off sequence
    bytes += Array("zqxwvdamaged专项行动。\n\n二、办学成效\n\n毕业生就业率稳步提升。\n".utf8)
    let w = try corpus(["damaged.txt": bytes])
    let build = try w.run(["build"])
    #expect(build.status == 0, "a document with a few bad bytes is read: \(build)")
    #expect(build.stderr.contains("damaged.txt:5:"), "the warning names file and line: \(build.stderr)")
    #expect(build.stderr.contains("U+FFFD"), "\(build.stderr)")
    #expect(try files(w, "zqxwvdamaged") == ["damaged.txt"])
    // The good text around the damage is indexed as written.
    let hits = try w.run(["search", "产教融合", "--json"]).jsonObjects()
    #expect(hits.first?["file"] as? String == "damaged.txt")
    #expect(hits.first?.int("lineStart") == 3)
    #expect(try files(w, "就业率") == ["damaged.txt"])
  }

  @Test func archivesAndImagesNamedTxtAreRefusedByName() throws {
    var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D] + Array("IHDR".utf8)
    var zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0] + Array("word/document.xml".utf8)
    var state: UInt32 = 7
    for _ in 0..<2048 {
      state = state &* 1_103_515_245 &+ 12345
      png.append(UInt8(truncatingIfNeeded: state >> 16))
      zip.append(UInt8(truncatingIfNeeded: state >> 8))
    }
    let w = try corpus([
      "photo.txt": png, "archive.txt": zip, "report.txt": Array(Self.report.utf8),
    ])
    let build = try w.run(["build"])
    #expect(build.status == 3, "\(build)")
    let errors = build.stderrLines.filter { $0.hasPrefix("error:") }
    #expect(errors.count == 2, "\(build.stderr)")
    #expect(errors.contains { $0.contains("photo.txt") && $0.contains("PNG") }, "\(build.stderr)")
    #expect(errors.contains { $0.contains("archive.txt") && $0.contains("zip") }, "\(build.stderr)")
    #expect(build.stderr.contains("2 document(s) could not be read"), "\(build.stderr)")
    #expect(try files(w, "zqxwvmark") == ["report.txt"])
    #expect(try w.run(["stats", "--json"]).jsonObjects().first?.int("documents") == 1)
  }

  @Test func fiftyMegabytesOnOneLineIsIndexedAndSearchable() throws {
    // Corpus text with its line breaks removed, repeated to 50 MB, a marker in the middle.
    var piece = ""
    for name in ["linfen-2024-report.txt", "datong-2020-report.txt", "lvliang-2023-report.txt"] {
      piece += try String(contentsOf: seedCorpus.appendingPathComponent(name), encoding: .utf8)
    }
    piece = piece.replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: " ")
    let chunk = Array(piece.utf8)
    let target = 50 << 20
    var bytes: [UInt8] = []
    bytes.reserveCapacity(target + 64)
    var markerPlaced = false
    while bytes.count < target {
      bytes += chunk.prefix(target - bytes.count)
      if !markerPlaced, bytes.count >= target / 2 {
        bytes += Array(" 学校开展zqxwvhuge专项行动。 ".utf8)
        markerPlaced = true
      }
    }
    // Cut at a character boundary (a chunk may end inside a UTF-8 sequence).
    while let last = bytes.last, last & 0xC0 == 0x80 || last >= 0xC0 { bytes.removeLast() }
    try #require(!bytes.contains(0x0A))
    let w = try corpus(["huge.txt": bytes, "small.txt": Array(Self.report.utf8)])
    let build = try w.run(["build"])
    #expect(build.status == 0, "\(build)")
    #expect(try w.run(["stats", "--json"]).jsonObjects().first?.int("documents") == 2)
    // One search (a hit's snippet re-analyses its whole unit — here 50 MB — so each
    // search of this document costs about as much as its build in a debug build).
    let out = try w.run(["search", "zqxwvhuge OR zqxwvmark", "--json", "--limit", "5"])
    #expect(out.status == 0, "\(out)")
    let hits = out.jsonObjects()
    #expect(Set(hits.compactMap { $0["file"] as? String }) == ["huge.txt", "small.txt"], "\(hits.map(\.place))")
    #expect(hits.contains { $0["file"] as? String == "huge.txt" && $0.int("lineStart") == 1 && $0.int("lineEnd") == 1 })
    let snippet = hits.first { $0["file"] as? String == "huge.txt" }?["snippet"] as? String
    #expect(snippet?.contains("zqxwvhuge") == true, "\(snippet ?? "")")
  }

  @Test func aTableOfContentsAloneIsIndexedWithoutAnsweringForTheReport() throws {
    let toc = """
      目  录

      一、学校概况……………………………………………………1
      （一）办学规模……………………………………………………2
      （二）专业设置……………………………………………………3
      二、产教融合……………………………………………………5
      （一）校企合作……………………………………………………6
      三、乡村振兴……………………………………………………8
      四、面临挑战……………………………………………………10

      """
    let w = try corpus(["toc.txt": Array(toc.utf8), "report.txt": Array(Self.report.utf8)])
    let build = try w.run(["build"])
    #expect(build.reason == .exit)
    #expect(build.status == 0 || build.status == 3, "\(build)")
    if build.status == 3 { #expect(build.stderr.contains("toc.txt"), "\(build.stderr)") }
    // The table of contents is not a unit of text: a search for one of its entries finds
    // the report's section, never a TOC line.
    let hits = try w.run(["search", "产教融合", "--json", "--limit", "50"]).jsonObjects()
    #expect(hits.first?["file"] as? String == "report.txt", "\(hits.map(\.place))")
    #expect(!hits.contains { ($0["snippet"] as? String)?.contains("……") == true }, "\(hits.map(\.place))")
    #expect(try files(w, "面临挑战").isEmpty)
  }

  @Test func aSymlinkLoopIsNamedAndEveryFileIndexedOnce() throws {
    let w = try corpus(["report.txt": Array(Self.report.utf8)])
    let sub = w.corpus.appendingPathComponent("sub")
    try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
    try Data(Self.report.replacingOccurrences(of: "zqxwvmark", with: "zqxwvsub").utf8).write(
      to: sub.appendingPathComponent("inner.txt"))
    try FileManager.default.createSymbolicLink(atPath: sub.appendingPathComponent("back").path, withDestinationPath: "..")
    try FileManager.default.createSymbolicLink(atPath: w.corpus.appendingPathComponent("self").path, withDestinationPath: ".")
    let build = try w.run(["build"])
    #expect(build.status == 0, "\(build)")
    #expect(build.stderr.contains("sub/back"), "\(build.stderr)")
    #expect(build.stderr.contains("self"), "\(build.stderr)")
    #expect(try w.run(["stats", "--json"]).jsonObjects().first?.int("documents") == 2)
    #expect(try files(w, "zqxwvmark") == ["report.txt"])
    #expect(try files(w, "zqxwvsub") == ["sub/inner.txt"])
  }

  /// A named pipe called `.txt` would block a reader forever: it is skipped by name, with
  /// a warning, and the build goes on (status 0: it is not a document).
  @Test func aNamedPipeIsSkippedByNameWithoutBlocking() throws {
    let w = try corpus(["report.txt": Array(Self.report.utf8)])
    #expect(mkfifo(w.corpus.appendingPathComponent("pipe.txt").path, 0o644) == 0)
    let build = try w.run(["build"])
    #expect(build.status == 0, "\(build)")
    #expect(
      build.stderrLines.contains {
        $0.hasPrefix("warning:") && $0.contains("pipe.txt") && $0.contains("not a regular file (a named pipe)")
      }, "\(build.stderr)")
    #expect(try w.run(["stats", "--json"]).jsonObjects().first?.int("documents") == 1)
    #expect(try files(w, "zqxwvmark") == ["report.txt"])
  }

  /// A document the build cannot read. As a normal user: a file without read permission.
  /// Tests run as root in CI, and root reads any file whatever its mode, so as root the
  /// document is a symlink to `/proc/self/mem`: it exists and is a `.txt`, but reading it
  /// from offset 0 fails (EIO) for every user — the same path through the build as EACCES.
  @Test func anUnreadableFileFailsByNameAndTheRestIsIndexed() throws {
    let w = try corpus(["report.txt": Array(Self.report.utf8)])
    let locked = w.corpus.appendingPathComponent("locked.txt")
    if getuid() == 0 {
      try FileManager.default.createSymbolicLink(atPath: locked.path, withDestinationPath: "/proc/self/mem")
    } else {
      try Data(Self.report.replacingOccurrences(of: "zqxwvmark", with: "zqxwvlocked").utf8).write(to: locked)
      #expect(chmod(locked.path, 0) == 0)
    }
    defer { chmod(locked.path, 0o644) }
    let build = try w.run(["build"])
    #expect(build.status == 3, "\(build)")
    let errors = build.stderrLines.filter { $0.hasPrefix("error:") }
    #expect(errors.count == 1 && errors[0].contains("locked.txt") && errors[0].contains("cannot read"), "\(build.stderr)")
    #expect(try files(w, "zqxwvmark") == ["report.txt"])
    // Fixing the permission and building again indexes it (as a normal user).
    if getuid() != 0 {
      chmod(locked.path, 0o644)
      #expect(try w.run(["build"]).status == 0)
      #expect(try files(w, "zqxwvlocked") == ["locked.txt"])
    }
  }

  /// A file that vanishes between the listing and the read. Deterministically: a symlink
  /// whose target is gone (what a deleted file looks like to the scanner). It is a missing
  /// file, not an unreadable one: a warning naming it, status 0. (The race itself — a file
  /// deleted after the scan, before its read — is a read failure naming it, status 3; it is
  /// tested in ZhisouIndexTests' DeletedDuringBuildTests.)
  @Test func aFileDeletedBeforeItIsReadIsNamedAndSkipped() throws {
    let w = try corpus(["report.txt": Array(Self.report.utf8)])
    try FileManager.default.createSymbolicLink(
      atPath: w.corpus.appendingPathComponent("gone.txt").path, withDestinationPath: "deleted-meanwhile.txt")
    let build = try w.run(["build"])
    #expect(build.status == 0, "\(build)")
    #expect(build.stderrLines.contains { $0.hasPrefix("warning:") && $0.contains("gone.txt") }, "\(build.stderr)")
    #expect(try w.run(["stats", "--json"]).jsonObjects().first?.int("documents") == 1)
    #expect(try files(w, "zqxwvmark") == ["report.txt"])
  }

  /// Names from a Windows zip are often GBK, not UTF-8. Such a document cannot be stored
  /// or reopened by name, and Foundation's listing garbles the name, so it used to be
  /// skipped as a "vanished file" with status 0. It is now a failure naming the bytes and
  /// what they read as in GBK (报告 = B1 A8 B8 E6), with the command that fixes it.
  @Test func aFileOrFolderNamedInGBKFailsByNameAndTheRestIsIndexed() throws {
    let w = try corpus(["report.txt": Array(Self.report.utf8)])
    func create(_ name: [UInt8], folder: Bool) {
      let path = Array(w.corpus.path.utf8) + [UInt8(ascii: "/")] + name + [0]
      path.withUnsafeBufferPointer { p in
        p.withMemoryRebound(to: CChar.self) {
          if folder {
            #expect(mkdir($0.baseAddress!, 0o755) == 0)
          } else {
            let fd = open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644)
            #expect(fd >= 0)
            _ = Self.gbkReport.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
            close(fd)
          }
        }
      }
    }
    create([0xB1, 0xA8, 0xB8, 0xE6] + Array(".txt".utf8), folder: false)
    create([0xB1, 0xA8, 0xB8, 0xE6], folder: true)
    create([0xB1, 0xA8, 0xB8, 0xE6] + Array(".pdf".utf8), folder: false)
    let build = try w.run(["build"])
    #expect(build.status == 3, "\(build)")
    let errors = build.stderrLines.filter { $0.hasPrefix("error:") }
    #expect(
      errors.contains {
        $0.contains(#"\xB1\xA8\xB8\xE6.txt (in GBK: 报告.txt): file name is not UTF-8"#) && $0.contains("convmv")
      }, "\(build.stderr)")
    #expect(
      errors.contains { $0.contains(#"\xB1\xA8\xB8\xE6 (in GBK: 报告): folder name is not UTF-8"#) },
      "\(build.stderr)")
    #expect(errors.count == 2, "\(build.stderr)")
    #expect(
      build.stderrLines.contains { $0.hasPrefix("warning:") && $0.contains(#"\xB1\xA8\xB8\xE6.pdf"#) },
      "\(build.stderr)")
    #expect(try files(w, "zqxwvmark") == ["report.txt"])
  }

  @Test func twoFilesWithTheSameContentAreBothIndexedAndFound() throws {
    let bytes = Array(Self.report.utf8)
    let w = try corpus(["a.txt": bytes, "copy-of-a.txt": bytes])
    let build = try w.run(["build"])
    #expect(build.status == 0, "\(build)")
    #expect(try w.run(["stats", "--json"]).jsonObjects().first?.int("documents") == 2)
    #expect(try files(w, "zqxwvmark").sorted() == ["a.txt", "copy-of-a.txt"])
    // Removing one leaves the other (the content hash is not an identity).
    try FileManager.default.removeItem(at: w.corpus.appendingPathComponent("a.txt"))
    #expect(try w.run(["build"]).status == 0)
    #expect(try files(w, "zqxwvmark") == ["copy-of-a.txt"])
  }
}
