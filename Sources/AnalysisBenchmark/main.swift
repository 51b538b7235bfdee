// Analysis throughput against raw ICU word break, on the seed corpus repeated to ≥ 50 MB.
//
//     swift run -c release --scratch-path .build-analysis analysis-benchmark [MB] [RUNS] [raw|index|words]
//         [--corpus DIR|FILE…] [--json]
//
// Text: by default the seed corpus (`Corpus/*.txt`) repeated to MB (default 50). With
// `--corpus`, the `.txt`/`.md` files under the given directories (recursively) or the
// given files, sorted by path: when they hold more than MB, a sample of MB taken as
// every k-th file (so it spans the whole corpus); when less, repeated to MB.
// `--json` prints one JSON object instead of the table (for `Tools/benchmark.py`).
//
// Single core, one thread, timed in thread CPU time (other processes may share the cores). Every measurement walks the same text in the same pieces
// (≈ 64 KB, cut after a line break: about what the indexer hands the analyzer per
// unit batch) and is the median of RUNS runs (default 5), printed with min–max:
// - raw ICU: UTF-8 → UTF-16 conversion + `ICUWordBreaker` (boundaries and rule status);
// - analyzer `.index` (what `zhisou build` indexes) and `.words` (what `analyze` shows).
// The ratio analyzer ÷ raw ICU is the figure of merit (target ≥ 0.7).
import Foundation
import ZhisouAnalysis

var plainArguments: [String] = []
var corpusPaths: [String] = []
var printJSON = false
do {
  var rest = CommandLine.arguments.dropFirst()
  while let argument = rest.popFirst() {
    switch argument {
    case "--json": printJSON = true
    case "--corpus":
      // Every following argument up to the next option is a directory or file.
      while let path = rest.first, !path.hasPrefix("--") {
        corpusPaths.append(path)
        rest.removeFirst()
      }
    default: plainArguments.append(argument)
    }
  }
}
let arguments = plainArguments.compactMap { Int($0) }
/// `raw`, `.index` or `.words` as an argument measures only that (for profiling).
let only = plainArguments.first { Int($0) == nil }
let targetMB = arguments.first ?? 50
let runs = max(arguments.dropFirst().first ?? 5, 1)

// MARK: Corpus

/// The text files a path names: itself, or the `.txt`/`.md` files under it, sorted.
func textFiles(_ path: String) -> [String] {
  var isDirectory: ObjCBool = false
  guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
  guard isDirectory.boolValue else { return [path] }
  let found = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []
  return found.filter { $0.hasSuffix(".txt") || $0.hasSuffix(".md") }.sorted()
    .map { path + "/" + $0 }
}

if corpusPaths.isEmpty {
  corpusPaths = [
    URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Corpus").path
  ]
}
let allFiles = corpusPaths.flatMap(textFiles)
let sizes = allFiles.map { ((try? FileManager.default.attributesOfItem(atPath: $0))?[.size] as? Int) ?? 0 }
let corpusBytes = sizes.reduce(0, +)
/// Every k-th file, so that a sample of a large corpus spans all of it.
let fileStride = max(1, corpusBytes / max(targetMB << 20, 1))
var files: [String] = []
do {
  var taken = 0
  var offset = 0
  while taken < targetMB << 20, offset < fileStride {
    for k in Swift.stride(from: offset, to: allFiles.count, by: fileStride) where taken < targetMB << 20 {
      files.append(allFiles[k])
      taken += sizes[k]
    }
    offset += 1
  }
}
var seed: [UInt8] = []
for file in files {
  if let data = FileManager.default.contents(atPath: file) {
    seed.append(contentsOf: data)
    if seed.last != 0x0A { seed.append(0x0A) }
  }
}
guard !seed.isEmpty else {
  FileHandle.standardError.write(Data("no text files in \(corpusPaths.joined(separator: " "))\n".utf8))
  exit(1)
}
var text: [UInt8] = []
text.reserveCapacity(max(targetMB << 20, seed.count) + seed.count)
repeat { text.append(contentsOf: seed) } while text.count < targetMB << 20
let megabytes = Double(text.count) / Double(1 << 20)

/// Pieces of ≈ 64 KB, each ending after a line break.
var pieces: [Range<Int>] = []
do {
  var start = 0
  while start < text.count {
    var end = min(start + (1 << 16), text.count)
    while end < text.count, text[end - 1] != 0x0A { end += 1 }
    pieces.append(start..<end)
    start = end
  }
}

// MARK: Measurements

/// Times `body` once in thread CPU seconds; returns MB/s and the body's token count.
func measureOnce(_ body: () -> Int) -> (rate: Double, count: Int) {
  let before = threadCPUSeconds()
  let count = body()
  return (megabytes / (threadCPUSeconds() - before), count)
}

@MainActor func report(_ name: String, _ rates: [Double], _ count: Int) -> Double {
  let rates = rates.sorted()
  let median = rates[rates.count / 2]
  if printJSON { return median }
  print(
    "\(name.padding(toLength: 20, withPad: " ", startingAt: 0))"
      + " \(format(median)) MB/s  (min \(format(rates[0])), max \(format(rates[rates.count - 1])))"
      + "  [\(count) tokens]")
  return median
}

/// CPU time of this thread: robust against other processes sharing the cores.
func threadCPUSeconds() -> Double {
  var time = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
  return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

func format(_ x: Double) -> String { String(format: "%7.2f", x) }

guard let breaker = try? ICUWordBreaker() else {
  FileHandle.standardError.write(Data("cannot open ICU\n".utf8))
  exit(1)
}

if !printJSON { print(
  "corpus: \(files.count) of \(allFiles.count) files, \(seed.count) bytes, repeated to \(String(format: "%.1f", megabytes)) MB"
    + " in \(pieces.count) pieces; \(runs) runs each") }

@MainActor func rawICU(_ all: UnsafeBufferPointer<UInt8>) -> Int {
  var words = 0
  var units: [UInt16] = []
  for piece in pieces {
    units.removeAll(keepingCapacity: true)
    units.append(
      contentsOf: String(decoding: UnsafeBufferPointer(rebasing: all[piece]), as: UTF8.self).utf16)
    units.withUnsafeBufferPointer { buffer in
      breaker.segment(buffer) { _, _, status in if status >= 100 { words += 1 } }
    }
  }
  return words
}

let analyzer = Analyzer()
@MainActor func analyze(_ all: UnsafeBufferPointer<UInt8>, _ set: Analyzer.TokenSet) -> Int {
  var tokens = 0
  for piece in pieces {
    tokens +=
      analyzer.analyze(utf8: UnsafeBufferPointer(rebasing: all[piece]), include: set)
      .tokens.count
  }
  return tokens
}

// The three measurements take turns, run after run, so a change in machine load
// during the benchmark affects them alike.
let measurements = ["raw ICU word break", "analyzer .index", "analyzer .words"]
  .filter { only == nil || $0.hasPrefix(only ?? "") || $0.hasSuffix(only ?? "") }
@MainActor func run(_ name: String, _ all: UnsafeBufferPointer<UInt8>) -> Int {
  switch name {
  case "analyzer .index": analyze(all, .index)
  case "analyzer .words": analyze(all, .words)
  default: rawICU(all)
  }
}
var rates = [[Double]](repeating: [], count: measurements.count)
var counts = [Int](repeating: 0, count: measurements.count)
text.withUnsafeBufferPointer { all in
  for _ in 0..<runs {
    for (k, measurement) in measurements.enumerated() {
      let (rate, count) = measureOnce { run(measurement, all) }
      rates[k].append(rate)
      counts[k] = count
    }
  }
}
var medians: [String: Double] = [:]
for (k, measurement) in measurements.enumerated() {
  medians[measurement] = report(measurement, rates[k], counts[k])
}
if printJSON {
  func list(_ values: [Double]) -> String { "[" + values.map { String($0) }.joined(separator: ",") + "]" }
  var fields = [
    "\"files\":\(files.count)", "\"corpusFiles\":\(allFiles.count)", "\"sampleBytes\":\(seed.count)",
    "\"megabytes\":\(megabytes)", "\"runs\":\(runs)",
  ]
  for (k, measurement) in measurements.enumerated() {
    fields.append("\"\(measurement)\":{\"rates\":\(list(rates[k])),\"tokens\":\(counts[k])}")
  }
  print("{" + fields.joined(separator: ",") + "}")
} else if let raw = medians["raw ICU word break"] {
  for name in ["analyzer .index", "analyzer .words"] {
    guard let rate = medians[name] else { continue }
    print("ratio \(name) ÷ raw ICU: \(String(format: "%.2f", rate / raw))  (target ≥ 0.70)")
  }
}
