// In-process query latency over a fixed, deterministic query set drawn from the index's
// own vocabulary; index open time; resident memory after the queries.
//
//     swift run -c release search-benchmark --index DIR [--runs N] [--json] [--fresh-runs]
//     swift run -c release search-benchmark --index DIR [--runs N] --query Q [--query Q …]
//
// With --query, only the given queries are timed, each RUNS times with a new `Searcher`
// (as a `zhisou search` process runs it), and their min and median are printed: for
// looking into one slow query (under `perf record`, say).
//
// Query set (≥ 200 queries, the same for the same index): the stored text of every k-th
// live unit (≈ 3000 units) is split into words by the analyzer (`.words`, CJK words of
// 2–6 characters); words are ranked by how many sampled units contain them. Categories:
//   common  — the most frequent words, 学校 and 教育 first (one word)
//   mid     — one word from the middle of the ranking
//   rare    — one word seen in a single sampled unit
//   two     — two words (common/mid/rare mixed);  three — three words
//   phrase  — a quoted run of 2–3 adjacent words as it occurs in a unit
//   filter  — a word with region:/year: from the index's documents, or kind:case
// Every query goes through `QueryParser.parse` and `Searcher.search(_, limit: 10)`
// (snippets included, the partial-match fallback on, as `zhisou search` runs it).
//
// Timing: one fresh `Searcher` runs every query once ("first run": its word patterns
// are not cached yet), then RUNS rounds over the whole set (default 5), query after
// query, so a change in machine load touches all categories alike. Latencies are wall
// clock (the query path is single-threaded). Percentiles are over all timed runs.
// With --fresh-runs (and --json), every query runs RUNS more times, each with a new
// `Searcher` made outside the timing: no word prepared or matched by an earlier run, as
// in a `zhisou search` process; the times are `queryFreshRunsMs`.
// Hostile queries (a 10 000-character query, a word repeated 400 times, stop words only,
// emoji, punctuation, a 200-fold phrase, 60 ORs) are timed once each, after the rounds.
import Foundation
import ZhisouSearch

// MARK: Arguments

var indexPath = "Index"
var runs = 5
var printJSON = false
var freshRuns = false
var onlyQueries: [String] = []
do {
  var arguments = CommandLine.arguments.dropFirst()
  while let argument = arguments.popFirst() {
    switch argument {
    case "--index": indexPath = arguments.popFirst() ?? indexPath
    case "--runs": runs = max(1, Int(arguments.popFirst() ?? "") ?? runs)
    case "--json": printJSON = true
    case "--fresh-runs": freshRuns = true
    case "--query": onlyQueries.append(arguments.popFirst() ?? "")
    default:
      FileHandle.standardError.write(
        Data(
          "usage: search-benchmark --index DIR [--runs N] [--json] [--fresh-runs] [--query Q …]\n"
            .utf8))
      exit(2)
    }
  }
}

func now() -> Double {
  var time = timespec()
  clock_gettime(CLOCK_MONOTONIC, &time)
  return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("search-benchmark: \(message)\n".utf8))
  exit(1)
}

/// Resident set size of this process (VmRSS), its peak (VmHWM), and the anonymous and
/// file-backed parts of VmRSS (RssAnon: heap; RssFile: touched pages of the mapped
/// index and of the binaries, shared with the page cache), in KiB.
func memory() -> (rss: Int, peak: Int, anon: Int, file: Int) {
  guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
    return (0, 0, 0, 0)
  }
  var rss = 0
  var peak = 0
  var anon = 0
  var file = 0
  for line in status.split(separator: "\n") {
    let fields = line.split(separator: " ", omittingEmptySubsequences: true)
    guard fields.count >= 2, let value = Int(fields[1]) else { continue }
    if line.hasPrefix("VmRSS:") { rss = value }
    if line.hasPrefix("VmHWM:") { peak = value }
    if line.hasPrefix("RssAnon:") { anon = value }
    if line.hasPrefix("RssFile:") { file = value }
  }
  return (rss, peak, anon, file)
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
  guard !sorted.isEmpty else { return 0 }
  let rank = Int((p * Double(sorted.count)).rounded(.up)) - 1
  return sorted[min(max(rank, 0), sorted.count - 1)]
}

// MARK: Index open

let rssBeforeOpen = memory().rss
var openTimes: [Double] = []
var index: IndexReader
do {
  let start = now()
  index = try IndexReader.open(indexPath)
  openTimes.append(now() - start)
  for _ in 0..<max(runs * 2, 10) {
    let start = now()
    index = try IndexReader.open(indexPath)
    openTimes.append(now() - start)
  }
} catch {
  fail("cannot open index at \(indexPath): \(error)")
}
openTimes.sort()

if !onlyQueries.isEmpty {
  for text in onlyQueries {
    var times: [Double] = []
    var hits = -1
    for _ in 0..<runs {
      let searcher = Searcher(index: index)
      let start = now()
      do {
        hits = try searcher.search(QueryParser.parse(text), limit: 10).hits.count
      } catch {
        hits = -1
      }
      times.append((now() - start) * 1000)
    }
    times.sort()
    print(
      "\(text)\tmin \(String(format: "%.2f", times[0])) ms\tmedian "
        + "\(String(format: "%.2f", times[times.count / 2])) ms\thits \(hits)")
  }
  exit(0)
}

// MARK: Query set

/// Deterministic generator (SplitMix64), so the query set depends on the index only.
struct Random {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
}
var random = Random(state: 20_261_123)

func isCJKWord(_ term: String) -> Bool {
  let scalars = term.unicodeScalars
  return (2...6).contains(scalars.count)
    && scalars.allSatisfy { (0x4E00...0x9FFF).contains($0.value) }
}

let live = index.liveUnits()
guard !live.isEmpty else { fail("the index has no units") }
let stride = max(1, live.count / 3000)
let analyzer = Analyzer()
var unitFrequency: [String: Int] = [:]
/// Runs of 2–3 adjacent words (no gap in the source text) for phrase queries.
var phraseCandidates: [String] = []
var sampledBytes = 0
for k in Swift.stride(from: 0, to: live.count, by: stride) {
  guard let unit = try? index.unit(live[k]) else { continue }
  sampledBytes += unit.text.utf8.count
  let words = analyzer.analyze(unit.text, include: .words).tokens.filter {
    $0.kind == .word || $0.kind == .compound
  }
  var seen = Set<String>()
  for token in words where isCJKWord(token.term) && seen.insert(token.term).inserted {
    unitFrequency[token.term, default: 0] += 1
  }
  // One phrase per sampled unit at most, at a position chosen by the generator.
  if words.count > 3 {
    let length = 2 + Int(random.next() % 2)
    let start = Int(random.next() % UInt64(words.count - length))
    let run = words[start..<(start + length)]
    let adjacent = zip(run, run.dropFirst()).allSatisfy {
      $0.sourceRange.upperBound == $1.sourceRange.lowerBound
    }
    let text = run.map(\.term).joined()
    if adjacent, run.allSatisfy({ isCJKWord($0.term) }), text.unicodeScalars.count <= 10 {
      phraseCandidates.append(text)
    }
  }
}
let ranked = unitFrequency.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
guard ranked.count >= 50 else { fail("too few words in the index (\(ranked.count))") }
let common = Array(
  (["学校", "教育"] + ranked.prefix(40).filter { $0 != "学校" && $0 != "教育" }).prefix(40))
let middleStart = min(ranked.count / 10, 500)
let mid = Array(ranked[middleStart..<min(ranked.count, middleStart + 2000)])
let singles = ranked.filter { unitFrequency[$0] == 1 }
let rare = singles.isEmpty ? Array(ranked.suffix(200)) : singles

var queries: [(category: String, text: String)] = []
@MainActor func add(_ category: String, _ count: Int, _ make: () -> String) {
  var made = Set(queries.map(\.text))
  var attempts = 0
  var added = 0
  while added < count, attempts < count * 20 {
    attempts += 1
    let text = make()
    if made.insert(text).inserted {
      queries.append((category, text))
      added += 1
    }
  }
}
for word in common.prefix(20) { queries.append(("common", word)) }
add("mid", 40) { random.pick(mid) }
add("rare", 30) { random.pick(rare) }
add("two", 40) {
  switch random.next() % 3 {
  case 0: "\(random.pick(common)) \(random.pick(mid))"
  case 1: "\(random.pick(mid)) \(random.pick(mid))"
  default: "\(random.pick(common)) \(random.pick(rare))"
  }
}
add("three", 30) { "\(random.pick(common)) \(random.pick(mid)) \(random.pick(mid))" }
if !phraseCandidates.isEmpty { add("phrase", 30) { "\"\(random.pick(phraseCandidates))\"" } }
let documents = try index.allDocuments()
let regions = Array(Set(documents.map(\.metadata.region).filter { !$0.isEmpty })).sorted()
let years = Array(Set(documents.compactMap(\.metadata.year))).sorted()
add("filter", 30) {
  let word = random.next() % 2 == 0 ? random.pick(common) : random.pick(mid)
  switch random.next() % 3 {
  case 0 where !regions.isEmpty: return "\(word) region:\(random.pick(regions))"
  case 1 where !years.isEmpty: return "\(word) year:\(random.pick(years))"
  default: return "\(word) kind:case"
  }
}

let cjk = Array("职业教育学校产教融合乡村振兴实训基地专业建设人才培养")
var hostile: [(category: String, text: String)] = [
  ("hostile", String((0..<10_000).map { cjk[$0 % cjk.count] })),
  ("hostile", String(repeating: "学校 ", count: 400)),
  ("hostile", "的 了 和 是 在 与 及 等"),
  ("hostile", "的"),
  ("hostile", "😀🎓📚 🚀"),
  ("hostile", "？！。，、；：“”（）【】"),
  ("hostile", "\"" + String(repeating: "教育", count: 200) + "\""),
  ("hostile", (0..<60).map { _ in random.pick(common) }.joined(separator: " OR ")),
]

/// The words the whole-process comparison (zhisou search vs rg) uses, common → rare.
let cliWords: [String] = {
  var out = ["学校"]
  let candidates = [
    ranked[min(2, ranked.count - 1)], ranked[min(middleStart, ranked.count - 1)],
    ranked[min(ranked.count / 2, ranked.count - 1)], rare[0],
  ]
  for word in candidates where !out.contains(word) { out.append(word) }
  return out
}()

// MARK: Running

let searcher = Searcher(index: index)
/// Runs one query; returns its wall time in seconds and its hit count (-1: rejected).
@MainActor func run(_ text: String, with searcher: Searcher) -> (Double, Int) {
  let start = now()
  var hits = -1
  do {
    let query = try QueryParser.parse(text)
    hits = try searcher.search(query, limit: 10).hits.count
  } catch {
    hits = -1
  }
  return (now() - start, hits)
}

var firstRun: [String: [Double]] = [:]
var hitCounts: [Int] = []
for query in queries {
  let (time, hits) = run(query.text, with: searcher)
  firstRun[query.category, default: []].append(time)
  hitCounts.append(hits)
}
var times: [String: [Double]] = [:]
var worst: (time: Double, text: String) = (0, "")
var perQuery = [[Double]](repeating: [], count: queries.count)
for _ in 0..<runs {
  for (q, query) in queries.enumerated() {
    let (time, _) = run(query.text, with: searcher)
    times[query.category, default: []].append(time)
    perQuery[q].append(time)
    if time > worst.time { worst = (time, query.text) }
  }
}
var perQueryFresh = [[Double]](repeating: [], count: queries.count)
if freshRuns {
  for _ in 0..<runs {
    for (q, query) in queries.enumerated() {
      let fresh = Searcher(index: index)
      perQueryFresh[q].append(run(query.text, with: fresh).0)
    }
  }
}
/// The queries of highest median time, slowest first (where to look next).
let slowestQueries = perQuery.indices
  .map { (median: perQuery[$0].sorted()[perQuery[$0].count / 2], text: queries[$0].text) }
  .sorted { $0.median > $1.median }
  .prefix(8)
var hostileTimes: [(text: String, time: Double, hits: Int)] = []
for query in hostile {
  // Once each: some of them take seconds on a large index.
  let (time, hits) = run(query.text, with: searcher)
  hostileTimes.append((query.text, time, hits))
}
let after = memory()

// MARK: Report

struct Stats {
  var count: Int
  var p50, p95, p99, max: Double
  init(_ values: [Double]) {
    let sorted = values.sorted()
    count = sorted.count
    p50 = percentile(sorted, 0.5) * 1000
    p95 = percentile(sorted, 0.95) * 1000
    p99 = percentile(sorted, 0.99) * 1000
    max = (sorted.last ?? 0) * 1000
  }
  var json: String {
    String(
      format: "{\"count\":%d,\"p50\":%.4f,\"p95\":%.4f,\"p99\":%.4f,\"max\":%.4f}", count, p50, p95,
      p99, max)
  }
}
let categories = ["common", "mid", "rare", "two", "three", "phrase", "filter"].filter {
  times[$0] != nil
}
let all = Stats(times.values.flatMap { $0 })
let allFirst = Stats(firstRun.values.flatMap { $0 })
let worstHostile = hostileTimes.max { $0.time < $1.time }!

func quote(_ s: String) -> String {
  var out = "\""
  for c in s.unicodeScalars {
    switch c {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    default:
      if c.value < 0x20 {
        out += String(format: "\\u%04x", c.value)
      } else {
        out.unicodeScalars.append(c)
      }
    }
  }
  return out + "\""
}
func shorten(_ s: String) -> String {
  s.count > 40 ? String(s.prefix(30)) + "…(\(s.count) chars)" : s
}

if printJSON {
  var fields: [String] = []
  fields.append("\"queries\":\(queries.count)")
  fields.append("\"runs\":\(runs)")
  fields.append("\"units\":\(live.count)")
  fields.append("\"segments\":\(index.segments.count)")
  fields.append("\"sampledUnits\":\((live.count + stride - 1) / stride)")
  fields.append("\"distinctSampledWords\":\(ranked.count)")
  fields.append("\"all\":\(all.json)")
  fields.append("\"firstRun\":\(allFirst.json)")
  fields.append(
    "\"categories\":{"
      + categories.map { "\(quote($0)):\(Stats(times[$0]!).json)" }.joined(separator: ",")
      + "}")
  fields.append(
    "\"firstRunCategories\":{"
      + categories.map { "\(quote($0)):\(Stats(firstRun[$0] ?? []).json)" }.joined(separator: ",")
      + "}")
  fields.append("\"worstQuery\":{\"ms\":\(worst.time * 1000),\"query\":\(quote(worst.text))}")
  fields.append(
    "\"hostile\":["
      + hostileTimes.map {
        "{\"query\":\(quote(shorten($0.text))),\"ms\":\($0.time * 1000),\"hits\":\($0.hits)}"
      }.joined(separator: ",") + "]")
  fields.append(
    "\"hostileWorst\":{\"ms\":\(worstHostile.time * 1000),\"query\":\(quote(shorten(worstHostile.text)))}"
  )
  fields.append(
    String(
      format: "\"openMs\":{\"median\":%.4f,\"min\":%.4f,\"max\":%.4f,\"first\":%.4f}",
      percentile(openTimes, 0.5) * 1000, openTimes[0] * 1000, openTimes.last! * 1000,
      (openTimes.first ?? 0) * 1000))
  fields.append("\"rssBeforeOpenKiB\":\(rssBeforeOpen)")
  fields.append("\"rssAfterQueriesKiB\":\(after.rss)")
  fields.append("\"peakRssKiB\":\(after.peak)")
  fields.append("\"rssAnonKiB\":\(after.anon)")
  fields.append("\"rssFileKiB\":\(after.file)")
  fields.append("\"zeroHitQueries\":\(hitCounts.filter { $0 == 0 }.count)")
  fields.append("\"rejectedQueries\":\(hitCounts.filter { $0 < 0 }.count)")
  fields.append("\"cliWords\":[" + cliWords.map(quote).joined(separator: ",") + "]")
  fields.append(
    "\"querySet\":["
      + queries.map { "[\(quote($0.category)),\(quote($0.text))]" }.joined(separator: ",") + "]")
  // Every timed run of every query (ms, in querySet order), and its first-run hit count, so
  // another engine can be compared on the same queries (Tools/tantivy_baseline.py).
  /// Per query, its run times in ms, as a JSON array of arrays.
  func milliseconds(_ runs: [[Double]]) -> String {
    "["
      + runs.map { "[" + $0.map { String(format: "%.4f", $0 * 1000) }.joined(separator: ",") + "]" }
      .joined(separator: ",") + "]"
  }
  fields.append("\"queryRunsMs\":" + milliseconds(perQuery))
  fields.append("\"queryHits\":[" + hitCounts.map(String.init).joined(separator: ",") + "]")
  if freshRuns {
    fields.append("\"queryFreshRunsMs\":" + milliseconds(perQueryFresh))
  }
  print("{" + fields.joined(separator: ",") + "}")
} else {
  print(
    "index \(indexPath): \(live.count) units, \(index.segments.count) segments; \(queries.count) queries"
      + " (\(ranked.count) distinct words in \((live.count + stride - 1) / stride) sampled units); \(runs) runs"
  )
  print(
    String(
      format: "index open: median %.3f ms (min %.3f, max %.3f)", percentile(openTimes, 0.5) * 1000,
      openTimes[0] * 1000, openTimes.last! * 1000))
  func line(_ name: String, _ s: Stats) {
    print(
      name.padding(toLength: 12, withPad: " ", startingAt: 0)
        + String(
          format: "n=%5d  p50 %8.3f  p95 %8.3f  p99 %8.3f  max %8.3f ms", s.count, s.p50, s.p95,
          s.p99, s.max))
  }
  line("all", all)
  for category in categories { line(category, Stats(times[category]!)) }
  line("first run", allFirst)
  print(String(format: "slowest query: %.3f ms  %@", worst.time * 1000, worst.text))
  print("slowest by median:")
  for q in slowestQueries { print(String(format: "  %8.3f ms  %@", q.median * 1000, q.text)) }
  for h in hostileTimes {
    print(String(format: "hostile %8.3f ms  hits %3d  %@", h.time * 1000, h.hits, shorten(h.text)))
  }
  print(
    "resident memory after the queries: \(after.rss / 1024) MiB (anonymous \(after.anon / 1024),"
      + " file-backed \(after.file / 1024); peak \(after.peak / 1024) MiB)")
  print(
    "zero-hit queries: \(hitCounts.filter { $0 == 0 }.count), rejected: \(hitCounts.filter { $0 < 0 }.count)"
  )
  for (query, hits) in zip(queries, hitCounts) where hits <= 0 {
    print("  \(hits == 0 ? "no hits" : "rejected"): \(query.text)")
  }
}
