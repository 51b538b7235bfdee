import Foundation
import Testing

/// The CLI on bad documents, damaged indexes and killed builds.
@Suite struct RobustnessCLITests {
  @Test func badDocumentsAreNamedAndTheRestIsSearchable() throws {
    let w = try Workspace()
    let corpus = try w.copySeeds()
    try Data().write(to: corpus.appendingPathComponent("empty.txt"))
    // A PNG header and binary noise, named .txt.
    var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52]
    var state: UInt32 = 12345
    for _ in 0..<4096 {
      state = state &* 1_103_515_245 &+ 12345
      png.append(UInt8(truncatingIfNeeded: state >> 16))
    }
    try Data(png).write(to: corpus.appendingPathComponent("picture.txt"))
    let build = try w.run(["build"])
    #expect(build.status == 3, "\(build)")
    #expect(build.stderr.contains("empty.txt"), "\(build.stderr)")
    #expect(build.stderr.contains("picture.txt"), "\(build.stderr)")
    // The good documents are all indexed and searchable.
    let stats = try w.run(["stats", "--json"])
    #expect(stats.status == 0, "\(stats)")
    #expect(stats.jsonObjects().first?.int("documents") == 5, "\(stats)")
    let search = try w.run(["search", "连翘", "--json"])
    #expect(search.status == 0, "\(search)")
    #expect(search.jsonObjects().contains { $0["file"] as? String == "linfen-2024-report.txt" })
    let hits = try w.run(["search", "职业教育", "--json", "--limit", "1000"]).jsonObjects()
    for file in ["datong-2020-report.txt", "gaoping-2021-action-plan.txt", "liangzhou-2023-report.txt", "lvliang-2023-report.txt"] {
      #expect(hits.contains { $0["file"] as? String == file }, "\(file) searchable")
    }
  }

  @Test func aCorruptSegmentGivesStatus4() throws {
    let w = try Workspace()
    let commands = [["search", "产教融合"], ["search", "乡村振兴", "--json"], ["cases", "思政", "--json"], ["stats", "--json"]]
    var before: [String] = []
    for arguments in commands {
      let out = try w.run(arguments)
      #expect(out.status == 0, "\(arguments): \(out)")
      before.append(out.stdout)
    }
    let names = try FileManager.default.contentsOfDirectory(atPath: w.index)
    let segments = names.filter { $0.hasPrefix("seg-") && $0.hasSuffix(".zsi") }
    try #require(!segments.isEmpty, "segment files in \(names)")
    for name in segments {
      let url = URL(fileURLWithPath: w.index).appendingPathComponent(name)
      var bytes = [UInt8](try Data(contentsOf: url))
      try #require(bytes.count > 4096)
      // Flip a byte in every KB after the header (damage, not another format version).
      for offset in stride(from: 64, to: bytes.count, by: 1024) { bytes[offset] ^= 0xA5 }
      try Data(bytes).write(to: url)
    }
    // A search that reads most of the index (every unit with 的, all of them shown) has
    // to meet damaged blocks: status 4 and the message. Narrower searches may only read
    // undamaged, checksum-verified blocks, and then must answer as before (below).
    let search = try w.run(["search", "的", "--limit", "100000"])
    #expect(search.status == 4, "\(search)")
    #expect(search.stderr.hasPrefix("zhisou: index is corrupt:"), "\(search.stderr)")
    #expect(search.stderrLines.count == 1, "\(search.stderr)")
    #expect(search.reason == .exit)
    // Every command either answers as before or reports the damage (never a crash).
    for (arguments, expected) in zip(commands, before) {
      let out = try w.run(arguments)
      #expect(out.reason == .exit, "\(arguments) crashed: \(out)")
      if out.status == 0 {
        #expect(out.stdout == expected, "\(arguments) answered differently on a damaged index")
      } else {
        #expect(out.status == 4, "\(arguments): \(out)")
        #expect(out.stderr.contains("index is corrupt:"), "\(arguments): \(out.stderr)")
      }
    }
    // A full rebuild repairs it.
    let rebuild = try w.run(["build", "--full"])
    #expect(rebuild.status == 0, "\(rebuild)")
    let repaired = try w.run(["search", "产教融合"])
    #expect(repaired.status == 0, "\(repaired)")
    // The same hits (ids may differ: a full rebuild numbers segments afresh).
    let withoutIDs = { (s: String) in s.replacingOccurrences(of: #"id \d+-\d+"#, with: "id", options: .regularExpression) }
    #expect(withoutIDs(repaired.stdout) == withoutIDs(before[0]))
  }

  @Test func aTruncatedSegmentGivesStatus4() throws {
    let w = try Workspace()
    #expect(try w.run(["build"]).status == 0)
    let names = try FileManager.default.contentsOfDirectory(atPath: w.index)
    let name = try #require(names.first { $0.hasPrefix("seg-") && $0.hasSuffix(".zsi") })
    let url = URL(fileURLWithPath: w.index).appendingPathComponent(name)
    let data = try Data(contentsOf: url)
    try data.prefix(data.count / 2).write(to: url)
    let out = try w.run(["search", "产教融合"])
    #expect(out.status == 4, "\(out)")
    #expect(out.stderr.contains("index is corrupt:"), "\(out.stderr)")
  }

  /// A build that cannot write (a full disk; here a file size limit, which fails writes
  /// the same way) names the file, fails, and leaves nothing of itself: the disk is no
  /// fuller than before, and the previous index answers.
  @Test func aBuildThatCannotWriteLeavesNothingBehind() throws {
    let w = try Workspace()
    #expect(try w.run(["build"]).status == 0)
    let before = try FileManager.default.contentsOfDirectory(atPath: w.index).sorted()
    // Segments of the seeds are ~700 KB; `ulimit -f 400` allows 200 or 400 KB (dash
    // counts 512-byte blocks, bash 1 KB), enough for the generation file. SIGXFSZ is
    // ignored, so a write past the limit fails with EFBIG instead of killing.
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = [
      "-c", #"trap '' XFSZ; ulimit -f 400; exec "$0" "$@""#, try requireBinary().path, "build",
      "--full", "--index", w.index, "--corpus", w.corpus.path,
    ]
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 1, "\(stderr)")
    #expect(stderr.contains("cannot write") && stderr.contains("File too large"), "\(stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: w.index).sorted() == before)
    let search = try w.run(["search", "产教融合"])
    #expect(search.status == 0 && search.stdout.contains("产教融合"), "\(search)")
  }

  @Test func aKilledBuildLeavesThePreviousGenerationSearchable() throws {
    let w = try Workspace()
    let corpus = try w.copySeeds()
    let first = try w.run(["build"])
    #expect(first.status == 0, "\(first)")
    let before = try w.run(["stats", "--json"])
    let generation = try #require(before.jsonObjects().first?.int("generation"))
    let reference = try w.run(["search", "产教融合", "--json", "--limit", "20"])
    #expect(reference.status == 0)

    // A new document; the build dies while analysing it.
    let extra = corpus.appendingPathComponent("extra.txt")
    try Data("# 补充材料\n\n学校开展zqxwvmarker专项行动，推进产教融合。\n".utf8).write(to: extra)
    let killed = try w.run(["build"], environment: ["ZHISOU_CRASH_AT": "document:1"])
    #expect(killed.status == 137, "\(killed)")

    // Without the new document the corpus is what the previous generation holds: a search
    // uses it as it is (no rebuild) and answers as before.
    let aside = w.url.appendingPathComponent("extra.txt")
    try FileManager.default.moveItem(at: extra, to: aside)
    let after = try w.run(["search", "产教融合", "--json", "--limit", "20"])
    #expect(after.status == 0, "\(after)")
    #expect(after.stderr.isEmpty, "searched the previous generation without rebuilding: \(after.stderr)")
    #expect(after.stdout == reference.stdout)
    let stats = try w.run(["stats", "--json"])
    #expect(stats.jsonObjects().first?.int("generation") == generation)

    // The next build succeeds and holds the new document.
    try FileManager.default.moveItem(at: aside, to: extra)
    let next = try w.run(["build"])
    #expect(next.status == 0, "\(next)")
    let found = try w.run(["search", "zqxwvmarker", "--json"])
    #expect(found.status == 0, "\(found)")
    #expect(found.stderr.isEmpty, "\(found.stderr)")
    #expect(found.jsonObjects().first?["file"] as? String == "extra.txt", "\(found)")
    #expect((try w.run(["stats", "--json"]).jsonObjects().first?.int("generation") ?? 0) > generation)
  }

  @Test func aSearchOnAChangedCorpusAfterAKilledBuildRebuilds() throws {
    let w = try Workspace()
    let corpus = try w.copySeeds()
    #expect(try w.run(["build"]).status == 0)
    try Data("# 补充\n\n新增zqxwvlater内容。\n".utf8).write(to: corpus.appendingPathComponent("later.txt"))
    let killed = try w.run(["build"], environment: ["ZHISOU_CRASH_AT": "before-switch"])
    #expect(killed.status == 137, "\(killed)")
    let out = try w.run(["search", "zqxwvlater", "--json"])
    #expect(out.status == 0, "\(out)")
    #expect(out.stderr.contains("updating"), "\(out.stderr)")
    #expect(out.jsonObjects().first?["file"] as? String == "later.txt")
  }
}
