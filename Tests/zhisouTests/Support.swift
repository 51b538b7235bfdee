import Foundation
import Testing

/// The package root (this file is Tests/zhisouTests/Support.swift).
let packageRoot = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The seed corpus.
let seedCorpus = packageRoot.appendingPathComponent("Corpus")

/// The `zhisou` executable built beside this test bundle (the products directory that
/// holds the `.xctest`), whatever the scratch path.
let zhisouBinary: URL? = {
  var directories: [URL] = []
  for bundle in Bundle.allBundles + [Bundle.main] {
    var url = bundle.bundleURL
    // Walk up out of a .xctest bundle (macOS: …/X.xctest/Contents/MacOS).
    while url.pathComponents.count > 1, !url.lastPathComponent.hasSuffix(".xctest"),
      url.path.contains(".xctest")
    {
      url = url.deletingLastPathComponent()
    }
    directories.append(url.deletingLastPathComponent())
    if let executable = bundle.executableURL { directories.append(executable.deletingLastPathComponent()) }
  }
  if let first = ProcessInfo.processInfo.arguments.first {
    let url = URL(fileURLWithPath: first)
    directories += [url.deletingLastPathComponent(), url.deletingLastPathComponent().deletingLastPathComponent()]
  }
  for directory in directories {
    let binary = directory.appendingPathComponent("zhisou")
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: binary.path, isDirectory: &isDirectory), !isDirectory.boolValue,
      FileManager.default.isExecutableFile(atPath: binary.path)
    {
      return binary
    }
  }
  return nil
}()

/// The binary, or a test failure saying where it was looked for.
func requireBinary(sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
  try #require(
    zhisouBinary,
    "the zhisou executable is not beside the test bundle (looked next to \(Bundle.allBundles.map(\.bundlePath))); build it with swift build --build-tests",
    sourceLocation: sourceLocation)
}

/// What a finished process printed.
struct Output: CustomStringConvertible {
  var status: Int32
  var reason: Process.TerminationReason
  var stdout: String
  var stderr: String
  var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
  var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
  var description: String { "status \(status)\nstderr:\n\(stderr)\nstdout:\n\(stdout.prefix(2000))" }

  /// stdout as JSON objects, one per line; records an issue for any line that is not one.
  func jsonObjects(sourceLocation: SourceLocation = #_sourceLocation) -> [[String: Any]] {
    stdoutLines.compactMap { line in
      guard let data = line.data(using: .utf8),
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
      else {
        Issue.record("not a JSON object: \(line)", sourceLocation: sourceLocation)
        return nil
      }
      return object
    }
  }
}

/// A temporary directory for one test: an index (and a corpus when the test needs one).
final class Workspace {
  let url: URL
  var index: String { url.appendingPathComponent("Index").path }
  var corpus: URL

  init(_ label: String = #function) throws {
    let safe = label.filter { $0.isLetter || $0.isNumber }
    url = FileManager.default.temporaryDirectory.appendingPathComponent("zhisou-e2e-\(safe)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    corpus = seedCorpus
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  /// Copies the seed corpus into the workspace (writable) and uses it.
  func copySeeds() throws -> URL {
    let directory = url.appendingPathComponent("Corpus")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    for name in try FileManager.default.contentsOfDirectory(atPath: seedCorpus.path) {
      try Data(contentsOf: seedCorpus.appendingPathComponent(name)).write(to: directory.appendingPathComponent(name))
    }
    corpus = directory
    return directory
  }

  /// Runs `zhisou ARGS --index <own> --corpus <corpus>` (the options go before any `--`).
  func run(_ arguments: [String], environment: [String: String] = [:], indexOptions: Bool = true) throws -> Output {
    var args = arguments
    if indexOptions {
      let options = ["--index", index, "--corpus", corpus.path]
      if let dashes = args.firstIndex(of: "--") { args.insert(contentsOf: options, at: dashes) } else { args += options }
    }
    return try runZhisou(args, environment: environment, in: url)
  }
}

/// Runs the real CLI as a child process; output goes through files so nothing blocks.
func runZhisou(_ arguments: [String], environment: [String: String] = [:], in directory: URL) throws -> Output {
  let binary = try requireBinary()
  let process = Process()
  process.executableURL = binary
  process.arguments = arguments
  process.currentDirectoryURL = directory
  var env = ProcessInfo.processInfo.environment
  for key in env.keys where key.hasPrefix("ZHISOU_") { env.removeValue(forKey: key) }
  env["NO_COLOR"] = "1"
  for (k, v) in environment { env[k] = v }
  process.environment = env
  let id = UUID().uuidString
  let outURL = directory.appendingPathComponent("stdout-\(id)")
  let errURL = directory.appendingPathComponent("stderr-\(id)")
  FileManager.default.createFile(atPath: outURL.path, contents: nil)
  FileManager.default.createFile(atPath: errURL.path, contents: nil)
  let out = try FileHandle(forWritingTo: outURL)
  let err = try FileHandle(forWritingTo: errURL)
  process.standardOutput = out
  process.standardError = err
  process.standardInput = FileHandle.nullDevice
  try process.run()
  process.waitUntilExit()
  try out.close()
  try err.close()
  defer {
    try? FileManager.default.removeItem(at: outURL)
    try? FileManager.default.removeItem(at: errURL)
  }
  return Output(
    status: process.terminationStatus, reason: process.terminationReason,
    stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
    stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
}

/// The 1-based number of the first line of `file` in the seed corpus containing `text`.
func seedLine(_ file: String, containing text: String) throws -> Int {
  let content = try String(contentsOf: seedCorpus.appendingPathComponent(file), encoding: .utf8)
  let lines = content.components(separatedBy: "\n")
  let index = try #require(lines.firstIndex { $0.contains(text) }, "\(text) is in \(file)")
  return index + 1
}

extension Dictionary where Key == String, Value == Any {
  var string: (String) -> String? { { self[$0] as? String } }
  func int(_ key: String) -> Int? { (self[key] as? NSNumber)?.intValue }
  /// file:lineStart-lineEnd, a hit's place.
  var place: String { "\(self["file"] as? String ?? "?"):\(int("lineStart") ?? -1)-\(int("lineEnd") ?? -1)" }
  var isPartial: Bool { (self["fallback"] as? Bool) ?? false }
}
