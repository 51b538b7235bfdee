import Foundation
import Testing

@testable import ZhisouIndex

/// The `zhisou` executable built beside this test bundle (swift build --build-tests builds it).
func zhisouBinary() -> URL? {
  var candidates: [URL] = []
  if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
  candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
  if let first = ProcessInfo.processInfo.arguments.first {
    candidates.append(URL(fileURLWithPath: first).deletingLastPathComponent())
  }
  // Inside a .xctest bundle directory: look beside the bundle too.
  candidates += candidates.map { $0.deletingLastPathComponent() }
  for directory in candidates {
    let binary = directory.appendingPathComponent("zhisou")
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: binary.path, isDirectory: &isDirectory), !isDirectory.boolValue,
      FileManager.default.isExecutableFile(atPath: binary.path)
    {
      return binary
    }
  }
  return nil
}

/// Runs `zhisou build` on `corpus` into `index`; returns the exit status and stderr.
func runBuild(_ binary: URL, corpus: URL, index: String, environment: [String: String] = [:]) throws -> (
  status: Int32, stderr: String
) {
  let process = Process()
  process.executableURL = binary
  process.arguments = ["build", "--corpus", corpus.path, "--index", index, "--threads", "1"]
  var env = ProcessInfo.processInfo.environment
  env.removeValue(forKey: "ZHISOU_CRASH_AT")
  for (k, v) in environment { env[k] = v }
  process.environment = env
  let errors = Pipe()
  process.standardError = errors
  process.standardOutput = FileHandle.nullDevice
  try process.run()
  let data = errors.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// gaoping and liangzhou (with the manifest) copied to `temp/Corpus`; the index path
/// `temp/Index`.
func twoSeedDocuments(in temp: TempDirectory) throws -> (corpus: URL, index: String) {
  let corpus = temp.sub("Corpus")
  try copySeedCorpus(to: corpus, only: ["gaoping-2021-action-plan.txt", "liangzhou-2023-report.txt"])
  return (corpus, temp.sub("Index").path)
}

@Suite struct CrashSafetyTests {
  @Test func leftoversOfAKilledBuildAreHarmlessAndRemoved() throws {
    let temp = TempDirectory()
    defer { temp.remove() }
    let corpus = temp.sub("Corpus")
    try copySeedCorpus(to: corpus, only: ["gaoping-2021-action-plan.txt"])
    let indexPath = temp.sub("Index").path
    _ = try IndexBuilder.build(corpus: corpus, index: indexPath)
    let reference = try snapshot(IndexReader.open(indexPath))
    let live = try Generation.current(in: indexPath)

    // What a build killed at various points leaves behind.
    let stray = ["CURRENT.tmp", "seg-7-1.zsi", "seg-7-2.zsi", "gen-000007.zsm"]
    try Data("gen-000007.zsm\n".utf8).write(to: URL(fileURLWithPath: indexPath + "/CURRENT.tmp"))
    try Data("ZHSOUSEG\u{1}\0\0\0 half a segment".utf8).write(to: URL(fileURLWithPath: indexPath + "/seg-7-1.zsi"))
    try Data().write(to: URL(fileURLWithPath: indexPath + "/seg-7-2.zsi"))
    var unswitched = live
    unswitched.number = 7
    unswitched.segments.append(.init(name: "seg-7-1.zsi", unitCount: 1, documentCount: 1, deletedDocuments: []))
    try Data(unswitched.encoded()).write(to: URL(fileURLWithPath: indexPath + "/gen-000007.zsm"))

    // The old generation opens and reads whole.
    let index = try IndexReader.open(indexPath)
    #expect(index.generationNumber == live.number)
    #expect(try snapshot(index) == reference)

    // The next build succeeds, takes a fresh number and removes the leftovers.
    try writeDocument("# 补充\n\n补充说明 zqxwvextra 内容。\n", named: "extra.txt", in: corpus)
    let report = try IndexBuilder.build(corpus: corpus, index: indexPath)
    #expect(report.failures.isEmpty)
    #expect(report.analysedDocuments == 1)
    let rebuilt = try IndexReader.open(indexPath)
    #expect(rebuilt.generationNumber == 8)
    try expectIndex(rebuilt, matches: corpus)
    let names = try FileManager.default.contentsOfDirectory(atPath: indexPath)
    for name in stray { #expect(!names.contains(name), "\(name) removed") }
    // The previous generation is kept for one more build.
    #expect(names.contains(IndexFormat.generationFile(live.number)))
  }

  @Test func cliBuildKilledMidwayLeavesThePreviousGenerationAndRecovers() throws {
    let binary = try #require(zhisouBinary(), "the zhisou executable is beside the test bundle (swift build --build-tests)")
    let temp = TempDirectory()
    defer { temp.remove() }
    let (corpus, indexPath) = try twoSeedDocuments(in: temp)
    let first = try runBuild(binary, corpus: corpus, index: indexPath)
    #expect(first.status == 0, "\(first.stderr)")
    let reference = try snapshot(IndexReader.open(indexPath))

    // Change one document and add two, then kill builds at several points.
    try writeDocument("# 补充\n\n补充说明 zqxwvone 内容。\n", named: "one.txt", in: corpus)
    try writeDocument("# 再补充\n\n再补充说明 zqxwvtwo 内容。\n", named: "two.txt", in: corpus)
    try writeDocument("# 替换\n\n高平替换 zqxwvthree。\n", named: "gaoping-2021-action-plan.txt", in: corpus)
    for point in ["document:1", "document:2", "document:3", "before-switch"] {
      let killed = try runBuild(binary, corpus: corpus, index: indexPath, environment: ["ZHISOU_CRASH_AT": point])
      #expect(killed.status == 137, "killed at \(point): \(killed.stderr)")
      let index = try IndexReader.open(indexPath)
      #expect(try snapshot(index) == reference, "previous generation intact after a kill at \(point)")
    }
    let recovered = try runBuild(binary, corpus: corpus, index: indexPath)
    #expect(recovered.status == 0, "\(recovered.stderr)")
    try expectIndex(IndexReader.open(indexPath), matches: corpus)
    // Only the current and previous generations' files remain.
    let generation = try Generation.current(in: indexPath)
    let names = try FileManager.default.contentsOfDirectory(atPath: indexPath)
    let segments = names.filter { $0.hasPrefix("seg-") }
    let generations = names.filter { $0.hasPrefix("gen-") }
    #expect(generations.count == 2)
    #expect(!names.contains { $0.hasSuffix(".tmp") })
    for entry in generation.segments { #expect(segments.contains(entry.name)) }
  }

  @Test func cliBuildKilledWhileMergingLeavesThePreviousGenerationAndRecovers() throws {
    let binary = try #require(zhisouBinary(), "the zhisou executable is beside the test bundle (swift build --build-tests)")
    let temp = TempDirectory()
    defer { temp.remove() }
    let (corpus, indexPath) = try twoSeedDocuments(in: temp)
    // Four small segments (tier 0 at the defaults): the next build with work merges them.
    for k in 0..<4 {
      if k > 0 { try writeDocument("# 第\(k)份\n\n内容 zqxwv\(k)。\n", named: "extra-\(k).txt", in: corpus) }
      let built = try runBuild(binary, corpus: corpus, index: indexPath)
      #expect(built.status == 0, "\(built.stderr)")
    }
    #expect(try Generation.current(in: indexPath).segments.count == 4)
    let reference = try snapshot(IndexReader.open(indexPath))

    try writeDocument("# 新报告\n\n内容 zqxwvnew。\n", named: "new.txt", in: corpus)
    // The merge (5 documents) is indexed first, then the new one.
    for point in ["document:1", "document:4", "document:6", "before-switch"] {
      let killed = try runBuild(binary, corpus: corpus, index: indexPath, environment: ["ZHISOU_CRASH_AT": point])
      #expect(killed.status == 137, "killed at \(point): \(killed.stderr)")
      #expect(try snapshot(IndexReader.open(indexPath)) == reference, "intact after a kill at \(point)")
    }
    let recovered = try runBuild(binary, corpus: corpus, index: indexPath)
    #expect(recovered.status == 0, "\(recovered.stderr)")
    let generation = try Generation.current(in: indexPath)
    #expect(generation.segments.map(\.documentCount).sorted() == [1, 5], "merged, and the new one")
    try expectIndex(IndexReader.open(indexPath), matches: corpus)
    let names = try FileManager.default.contentsOfDirectory(atPath: indexPath)
    #expect(names.filter { $0.hasPrefix("gen-") }.count == 2)
    #expect(!names.contains { $0.hasSuffix(".tmp") })
  }
}
