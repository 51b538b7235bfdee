// libFuzzer target: the bytes of a segment file → open it → read everything.
//
// The input is a segment file (`seg-G-K.zsi`, format 8, INDEX_FORMAT.md). Before opening,
// the harness recomputes every checksum the format stores (postings blocks and lists,
// dictionary blocks, stored units, norms chunks, document records and table, sections,
// header) wherever the mutated structure still lets it find them, so mutations reach the
// decoders behind the checksums instead of stopping at the first crc. It then opens the
// segment, writes a generation naming it and opens the index through `IndexReader.open`,
// and reads every term's postings (block headers and impacts, units, tf, positions,
// skips), every stored unit, every norm and document, and runs a few searches.
// Passes when every input reads or throws IndexError; a crash, trap, ASan report or
// hang is a finding.
//
// Environment:
//   ZHISOU_FUZZ_MAKE_SEEDS=DIR  write seed segments into DIR and exit: one per document of
//                               $ZHISOU_FUZZ_CORPUS (its first 120 lines, small segments fuzz
//                               faster) and one of the whole corpus, lines shortened (postings
//                               lists of several blocks need more than 128 units holding a
//                               term).
//   ZHISOU_FUZZ_SELF_TEST=DIR   check the repair on the `seed-*` segments of DIR and exit
//                               (status 1 on a failure): each must read everything after
//                               repair, and a byte changed in a block of a multi-block
//                               postings list must fail that block's crc without repair
//                               and read after it.
//   ZHISOU_FUZZ_REPAIR=always|never  repair every input / no input (default: inputs whose
//                               size is not a multiple of 8, so the checks are fuzzed too).
//   ZHISOU_FUZZ_STRICT=1        an input that throws IndexError is a failure (to check
//                               that seeds read whole: run the binary on them).
import Foundation
import ZhisouSearch

@testable import ZhisouIndex

// MARK: Checksum repair
//
// Every parse below mirrors what the reader (SegmentReader, PostingsCursor) reads, but
// never throws: it gives up on a structure that does not parse, and every access is
// bounds-checked against the file.

private func le32(_ b: [UInt8], _ o: Int) -> Int? {
  guard o >= 0, o <= b.count - 4 else { return nil }
  return Int(b[o]) | Int(b[o + 1]) << 8 | Int(b[o + 2]) << 16 | Int(b[o + 3]) << 24
}

private func le64(_ b: [UInt8], _ o: Int) -> Int? {
  guard o >= 0, o <= b.count - 8 else { return nil }
  var v: UInt64 = 0
  for i in (0..<8).reversed() { v = v << 8 | UInt64(b[o + i]) }
  return v > UInt64(Int.max) ? nil : Int(v)
}

private func put32(_ b: inout [UInt8], _ o: Int, _ v: UInt32) {
  guard o >= 0, o <= b.count - 4 else { return }
  for i in 0..<4 { b[o + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(i))) }
}

/// CRC-32C of `count` bytes from `start`, nil when they are not all in the file.
private func crc(_ b: [UInt8], _ start: Int, _ count: Int) -> UInt32? {
  guard start >= 0, count >= 0, start <= b.count, count <= b.count - start else { return nil }
  return b.withUnsafeBytes {
    Checksum.crc32c(UnsafeRawBufferPointer(rebasing: $0[start..<(start + count)]))
  }
}

/// A LEB128 varint as `ByteReader.varint` reads it (at most 10 bytes), nil at `end` or
/// when it does not fit an Int (the reader's limits are all below Int.max).
private func varint(_ b: [UInt8], _ o: inout Int, _ end: Int) -> Int? {
  var v: UInt64 = 0
  var shift: UInt64 = 0
  while o >= 0, o < end, o < b.count {
    let byte = b[o]
    o += 1
    v |= UInt64(byte & 0x7F) << shift
    if byte < 0x80 { return v <= UInt64(Int.max) ? Int(v) : nil }
    shift += 7
    if shift > 63 { return nil }
  }
  return nil
}

/// Where one term's postings list keeps what its checksums cover (absolute offsets).
struct PostingsLayout {
  /// What the dictionary entry's crc covers: the whole list of one block; the block
  /// count and headers of several.
  var checksummed: Range<Int>
  /// Lists of several blocks: per block, where its `u32` crc is stored and the docs +
  /// positions bytes it covers (blocks that do not fit the list are left out).
  var blocks: [(crcAt: Int, data: Range<Int>)]
}

/// Parses the headers of the postings list at `start..<start + length` (format 8: `varint
/// blockCount`, per block {lastUnit, count, docsBytes, positionsBytes, impact-class mask,
/// per class n + n pairs, crc when several}, then per block docs + positions); nil when
/// they do not parse.
func postingsLayout(_ b: [UInt8], start: Int, length: Int) -> PostingsLayout? {
  guard start >= 0, length >= 0, start <= b.count, length <= b.count - start else { return nil }
  let end = start + length
  var o = start
  guard let blockCount = varint(b, &o, end) else { return nil }
  let several = blockCount > 1
  var sizes: [(crcAt: Int, size: Int)] = []
  // Each header takes at least 5 bytes, so a garbage count fails within length / 5 rounds.
  for _ in 0..<blockCount {
    guard varint(b, &o, end) != nil, varint(b, &o, end) != nil, let docs = varint(b, &o, end),
      let positions = varint(b, &o, end), docs <= length, positions <= length, o < end
    else { return nil }
    let mask = b[o]
    o += 1
    for c in 0..<IndexFormat.impactClasses where mask & (1 << UInt8(c)) != 0 {
      guard let pairs = varint(b, &o, end) else { return nil }
      for _ in 0..<pairs {
        guard varint(b, &o, end) != nil, varint(b, &o, end) != nil else { return nil }
      }
    }
    if several {
      guard end - o >= 4 else { return nil }
      sizes.append((o, docs + positions))
      o += 4
    }
  }
  guard several else { return PostingsLayout(checksummed: start..<end, blocks: []) }
  var blocks: [(crcAt: Int, data: Range<Int>)] = []
  var at = o
  for block in sizes {
    guard block.size <= end - at else { break }
    blocks.append((block.crcAt, at..<(at + block.size)))
    at += block.size
  }
  return PostingsLayout(checksummed: start..<o, blocks: blocks)
}

/// Repairs one postings list's block crcs; returns the crc its dictionary entry should hold.
private func repairPostings(_ b: inout [UInt8], start: Int, length: Int) -> UInt32? {
  guard let layout = postingsLayout(b, start: start, length: length) else { return nil }
  for block in layout.blocks {
    if let c = crc(b, block.data.lowerBound, block.data.count) { put32(&b, block.crcAt, c) }
  }
  return crc(b, layout.checksummed.lowerBound, layout.checksummed.count)
}

/// Repairs the record crcs of a section made of `u32 count` at `countAt`, a table of
/// `count` entries of `entrySize` bytes from `tableStart` (each with its record's `u64`
/// offset at `offsetAt` and `u32` crc right after), then the record area (record i runs to
/// record i + 1's offset, the last to the end of the section). Returns the count, or nil
/// when the table does not fit the section (the reader then refuses the segment at open).
private func repairRecords(
  _ b: inout [UInt8], _ section: (offset: Int, length: Int), countAt: Int, tableStart: Int,
  entrySize: Int, offsetAt: Int
) -> Int? {
  guard section.length >= tableStart, let count = le32(b, section.offset + countAt),
    count <= (section.length - tableStart) / entrySize
  else { return nil }
  let table = section.offset + tableStart
  let recordsStart = table + count * entrySize
  let recordsSize = section.length - tableStart - count * entrySize
  for i in 0..<count {
    let entry = table + i * entrySize + offsetAt
    guard let from = le64(b, entry), from <= recordsSize else { continue }
    var to = recordsSize
    if i + 1 < count {
      guard let next = le64(b, entry + entrySize), next <= recordsSize else { continue }
      to = next
    }
    guard from <= to, let c = crc(b, recordsStart + from, to - from) else { continue }
    put32(&b, entry + 8, c)
  }
  return count
}

/// Recomputes the checksums of a (possibly mutated) segment wherever its structure allows.
func repairChecksums(_ b: inout [UInt8]) {
  guard b.count >= IndexFormat.headerSize else { return }
  var sections: [(offset: Int, length: Int)] = []
  for s in 0..<IndexFormat.Section.allCases.count {
    guard let o = le64(b, 16 + s * 20), let l = le64(b, 24 + s * 20), o <= b.count, l <= b.count - o
    else { return }
    sections.append((o, l))
  }
  let (dIndex, dBlocks, postings, units, norms, documents) = (
    sections[0], sections[1], sections[2], sections[3], sections[4], sections[5]
  )
  // Dictionary blocks: each term's postings (block crcs, then the list's crc in the
  // entry), then the block's crc in the dictionary index.
  if dIndex.length >= 4, let blockCount = le32(b, dIndex.offset),
    blockCount <= (dIndex.length - 4) / 20
  {
    for i in 0..<blockCount {
      let entry = dIndex.offset + 4 + i * 20
      guard let bo = le32(b, entry), let bl = le32(b, entry + 4), bo <= dBlocks.length,
        bl <= dBlocks.length - bo
      else { continue }
      let start = dBlocks.offset + bo
      let end = start + bl
      var o = start
      if let count = varint(b, &o, end), count <= IndexFormat.termsPerBlock {
        for _ in 0..<count {
          guard varint(b, &o, end) != nil, let suffix = varint(b, &o, end), suffix <= end - o else {
            break
          }
          o += suffix
          guard varint(b, &o, end) != nil, let po = varint(b, &o, end), let pl = varint(b, &o, end),
            end - o >= 4
          else { break }
          if po <= postings.length, pl <= postings.length - po,
            let c = repairPostings(&b, start: postings.offset + po, length: pl)
          {
            put32(&b, o, c)
          }
          o += 4
          guard varint(b, &o, end) != nil, varint(b, &o, end) != nil else { break }
        }
      }
      if let c = crc(b, start, bl) { put32(&b, entry + 8, c) }
    }
  }
  // Stored units: each record's crc.
  _ = repairRecords(&b, units, countAt: 0, tableStart: 4, entrySize: 12, offsetAt: 0)
  // Norms: each chunk's crc.
  if norms.length >= 8, let normUnits = le32(b, norms.offset),
    let chunks = le32(b, norms.offset + 4),
    chunks <= (norms.length - 8) / 4, normUnits <= (norms.length - 8) / 8
  {
    let entriesStart = norms.offset + 8 + chunks * 4
    for c in 0..<chunks {
      let first = c * IndexFormat.normsChunk
      let count = max(0, min(normUnits, first + IndexFormat.normsChunk) - first)
      if let value = crc(b, entriesStart + first * 8, count * 8) {
        put32(&b, norms.offset + 8 + c * 4, value)
      }
    }
  }
  // Documents: each record's crc, then the table's crc (it holds the record crcs).
  if let documentCount = repairRecords(
    &b, documents, countAt: 0, tableStart: 8, entrySize: 16, offsetAt: 4),
    let c = crc(b, documents.offset + 8, documentCount * 16)
  {
    put32(&b, documents.offset + 4, c)
  }
  // Sections, then the header.
  for (s, section) in sections.enumerated() {
    if let c = crc(b, section.offset, section.length) { put32(&b, 32 + s * 20, c) }
  }
  if let c = crc(b, 0, IndexFormat.headerSize - 4) { put32(&b, IndexFormat.headerSize - 4, c) }
}

// MARK: Reading everything

/// An increasing score of (tf, length) for `bestImpact`.
private func impactScore(_ tf: Int32, _ length: Int32) -> Double {
  Double(tf) / Double(max(length, 0) + 1)
}

func readPostings(_ segment: SegmentReader, _ info: TermInfo) throws(IndexError) {
  var cursor = try segment.postings(info)
  for block in 0..<cursor.blockCount {
    _ = cursor.lastUnit(ofBlock: block)
    for c in 0..<IndexFormat.impactClasses {
      _ = cursor.bestImpact(ofBlock: block, impactClass: c, impactScore)
    }
  }
  _ = cursor.firstBlock(endingAtOrAfter: Int32(clamping: segment.unitCount / 2), from: 0)
  try cursor.next()
  var steps = 0
  while cursor.unit != Int32.max, steps < 100_000 {
    _ = try cursor.positions()
    _ = (cursor.tf, cursor.currentBlock)
    try cursor.next()
    steps += 1
  }
  // Skipping: into the middle, then a block further, then past the end.
  var skipper = try segment.postings(info)
  try skipper.advance(to: Int32(clamping: segment.unitCount / 2))
  _ = try skipper.positions()
  if skipper.unit != Int32.max {
    try skipper.advance(to: skipper.unit &+ Int32(IndexFormat.unitsPerBlock) &+ 1)
    _ = try skipper.positions()
  }
  try skipper.advance(to: Int32.max)
  _ = PostingsCursor().unit
}

func readAll(_ index: IndexReader) throws(IndexError) {
  var frequent: [(df: Int, term: String)] = []
  for (s, segment) in index.segments.enumerated() {
    _ = segment.termCount
    for field in Field.allCases {
      for info in try segment.terms(field: field, prefix: "") {
        _ = try segment.lookup(field: field, term: info.term)
        try readPostings(segment, info)
        if field == .body { frequent.append((info.documentFrequency, info.term)) }
      }
    }
    for u in 0..<segment.unitCount {
      _ = try segment.length(.title, of: u)
      _ = try segment.length(.body, of: u)
      _ = try segment.storedKind(u)
      _ = try segment.isDemoted(u)
      if !index.isDeleted(segment: s, unit: Int32(u)) {
        _ = try index.unit(UnitAddress(segment: Int32(s), unit: Int32(u)))
      }
    }
    _ = index.documentUnits(segment: s)
  }
  for address in index.liveUnits() { _ = index.document(of: address) }
  _ = try index.allDocuments()
  // Searches: fixed queries, and the segment's most frequent body terms (long postings
  // lists, block-max pruning), those also under each kind filter (per-class impacts).
  frequent.sort { $0.df > $1.df }
  let words = frequent.prefix(3).map(\.term).filter { term in
    !term.contains { $0.isWhitespace || $0 == "\"" }
  }
  var texts = [
    "产教融合", "学校 -疫情", "\"职业教育\"", "实训 OR 实习", "kind:case 案例", "region:临汾 year:2024 技能",
  ]
  if let first = words.first {
    let all = words.joined(separator: " ")
    texts += [
      all, words.joined(separator: " OR "), "\"\(first)\"", first + " -" + (words.last ?? first),
    ]
    for kind in ["section", "case", "policy"] {
      texts += ["\(first) kind:\(kind)", "\(all) kind:\(kind)"]
    }
  }
  let searcher = Searcher(index: index)
  for text in texts {
    do {
      _ = try searcher.search(QueryParser.parse(text), limit: 10)
    } catch let error as IndexError {
      throw error
    } catch {}
  }
  if let first = words.first { _ = try index.documentFrequency(field: .body, term: first) }
}

// MARK: The target

let environment = ProcessInfo.processInfo.environment
let repairMode = environment["ZHISOU_FUZZ_REPAIR"]
let strict = environment["ZHISOU_FUZZ_STRICT"].map { !$0.isEmpty && $0 != "0" } ?? false

final class Workdir: @unchecked Sendable {
  let path = NSTemporaryDirectory() + "zhisou-index-fuzz-\(getpid())"
  init() {
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    atexit {
      try? FileManager.default.removeItem(
        atPath: NSTemporaryDirectory() + "zhisou-index-fuzz-\(getpid())")
    }
  }
}

let workdir = Workdir()

/// The script folding of this process's ICU, for the generation files the harness writes
/// (as a build records it; a reader adopts it).
let scriptFolding: [UInt32] = ChineseScriptConverter.changedUnits().map {
  UInt32($0.traditional) << 16 | UInt32($0.simplified)
}

/// Writes `bytes` as the only segment of an index in the work directory (a generation
/// deleting every third document) and reads everything.
func openAndRead(_ bytes: [UInt8]) throws(IndexError) {
  let name = "seg-1-1.zsi"
  let directory = workdir.path
  do {
    try Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + name))
  } catch {
    fatalError("cannot write \(directory): \(error)")
  }
  let segment = try SegmentReader(path: directory + "/" + name, name: name)
  var title = 0
  var body = 0
  for u in 0..<segment.unitCount {
    title += try segment.length(.title, of: u)
    body += try segment.length(.body, of: u)
  }
  // Delete every third document, so deletion bookkeeping is read too.
  let deleted = Array(stride(from: 1, to: segment.documentCount, by: 3))
  var live = 0
  for d in 0..<segment.documentCount where d % 3 != 1 { live += segment.documentUnits(d).count }
  let generation = Generation(
    number: 1, analyzerFingerprint: 0,
    segments: [
      .init(
        name: name, unitCount: segment.unitCount, documentCount: segment.documentCount,
        deletedDocuments: deleted)
    ],
    liveUnitCount: live, totalTitleLength: title, totalBodyLength: body,
    scriptFolding: scriptFolding,
    corpusFolders: [])
  do {
    try Data(generation.encoded()).write(to: URL(fileURLWithPath: directory + "/gen-000001.zsm"))
    try Data("gen-000001.zsm\n".utf8).write(to: URL(fileURLWithPath: directory + "/CURRENT"))
  } catch {
    fatalError("cannot write \(directory): \(error)")
  }
  try readAll(IndexReader.open(directory))
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  var bytes = Array(UnsafeBufferPointer(start: data, count: size))
  // Most inputs get their checksums repaired (to reach the decoders); sizes divisible
  // by 8 are opened as they are (to exercise the checks themselves).
  let repair = repairMode == "always" || (repairMode != "never" && size % 8 != 0)
  if repair { repairChecksums(&bytes) }
  do {
    try openAndRead(bytes)
  } catch {
    if strict {
      try? FileManager.default.removeItem(atPath: workdir.path)
      fatalError("ZHISOU_FUZZ_STRICT: \(error)")
    }
  }
  return 0
}

// MARK: Seeds and the self-test

@_cdecl("LLVMFuzzerInitialize")
public func initialize(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
) -> CInt {
  if let seeds = environment["ZHISOU_FUZZ_MAKE_SEEDS"] {
    makeSeeds(into: seeds)
    exit(0)
  }
  if let seeds = environment["ZHISOU_FUZZ_SELF_TEST"] {
    exit(selfTest(seeds) ? 0 : 1)
  }
  return 0
}

func makeSeeds(into seeds: String) {
  let corpus = URL(fileURLWithPath: environment["ZHISOU_FUZZ_CORPUS"] ?? "Corpus")
  try? FileManager.default.createDirectory(atPath: seeds, withIntermediateDirectories: true)
  func copy(_ path: String, _ name: String) throws {
    try? FileManager.default.removeItem(atPath: seeds + "/" + name)
    try FileManager.default.copyItem(atPath: path, toPath: seeds + "/" + name)
  }
  /// Builds an index of `source` (one thread: one segment); copies its segments to the
  /// seeds as `prefix-seg-…` unless `prefix` is nil.
  func build(_ source: String, _ index: String, prefix: String?) throws {
    var options = IndexBuilder.Options()
    options.threads = 1
    _ = try IndexBuilder.build(corpus: URL(fileURLWithPath: source), index: index, options: options)
    guard let prefix else { return }
    for name in try FileManager.default.contentsOfDirectory(atPath: index)
    where name.hasPrefix("seg-") {
      try copy(index + "/" + name, "\(prefix)-\(name)")
    }
  }
  let files = CorpusScanner.scan(corpus).files
  for (n, file) in files.enumerated() {
    let single = workdir.path + "/seed-corpus-\(n)"
    do {
      try FileManager.default.createDirectory(atPath: single, withIntermediateDirectories: true)
      // The first 120 lines of one document: small segments fuzz faster.
      let lines = try String(contentsOf: file.url, encoding: .utf8).split(
        separator: "\n", omittingEmptySubsequences: false)
      try lines.prefix(120).joined(separator: "\n").write(
        toFile: single + "/" + file.url.lastPathComponent, atomically: false, encoding: .utf8)
      try build(single, workdir.path + "/seed-index-\(n)", prefix: "seed-\(n)")
    } catch {
      FileHandle.standardError.write(Data("seed \(file.relativePath): \(error)\n".utf8))
    }
  }
  // The whole corpus in one segment, each line cut to its first `width` characters: all
  // the units (headings are short lines) with little text. The smallest width whose
  // segment has a postings list of several blocks (more than 128 units holding a term)
  // makes the seed that reaches the per-block checksums and multi-block cursors.
  for width in [24, 32, 48, 64, 96, Int.max] {
    let all = workdir.path + "/seed-corpus-all-\(width)"
    let index = workdir.path + "/seed-index-all-\(width)"
    do {
      try FileManager.default.createDirectory(atPath: all, withIntermediateDirectories: true)
      for file in files {
        let lines = try String(contentsOf: file.url, encoding: .utf8).split(
          separator: "\n", omittingEmptySubsequences: false)
        try lines.map { $0.prefix(width) }.joined(separator: "\n").write(
          toFile: all + "/" + file.url.lastPathComponent, atomically: false, encoding: .utf8)
      }
      try build(all, index, prefix: nil)
      let segments = try FileManager.default.contentsOfDirectory(atPath: index).filter {
        $0.hasPrefix("seg-")
      }
      let multiBlock = segments.contains { name in
        FileManager.default.contents(atPath: index + "/" + name).map {
          multiBlockTarget([UInt8]($0)) != nil
        } ?? false
      }
      guard multiBlock || width == Int.max else { continue }
      if !multiBlock {
        FileHandle.standardError.write(Data("no seed has a postings list of several blocks\n".utf8))
      }
      for name in segments { try copy(index + "/" + name, "seed-all-\(name)") }
      break
    } catch {
      FileHandle.standardError.write(Data("seed of the whole corpus: \(error)\n".utf8))
      break
    }
  }
}

/// The result of opening and reading `bytes`: nil when everything read, else the error.
private func outcome(_ bytes: [UInt8]) -> IndexError? {
  do {
    try openAndRead(bytes)
    return nil
  } catch {
    return error
  }
}

/// Checks the repair on the seed segments of `directory` (see the header comment).
func selfTest(_ directory: String) -> Bool {
  func say(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
  let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
    .filter { $0.hasPrefix("seed-") }.sorted()
  guard !names.isEmpty else {
    say("self-test: no seed-* segments in \(directory)")
    return false
  }
  var ok = true
  var flipped = 0
  for name in names {
    guard let data = FileManager.default.contents(atPath: directory + "/" + name) else {
      say("self-test: cannot read \(name)")
      ok = false
      continue
    }
    let original = [UInt8](data)
    // 1. Unchanged: the repair must leave the checksums as the writer made them, and
    // the segment must read whole.
    var repaired = original
    repairChecksums(&repaired)
    if repaired != original {
      say("self-test: \(name): the repair changed an intact segment")
      ok = false
    }
    if let error = outcome(repaired) {
      say("self-test: \(name): does not read after repair: \(error)")
      ok = false
      continue
    }
    // 2. One byte changed in a block of a multi-block postings list: the last byte of
    // its positions (the end of a varint: changing its low bit keeps every position
    // readable). Without repair the block's crc must fail; with it, it must read.
    guard let target = multiBlockTarget(original) else { continue }
    var changed = original
    changed[target] ^= 1
    switch outcome(changed) {
    case .corrupt(_, let what)? where what.contains("postings block fails its checksum"):
      break
    case let other:
      let what = other.map { "\($0)" } ?? "no error"
      say("self-test: \(name): byte \(target) (a postings block) changed, without repair: \(what)")
      ok = false
    }
    repairChecksums(&changed)
    if let error = outcome(changed) {
      say("self-test: \(name): byte \(target) (a postings block) changed, after repair: \(error)")
      ok = false
    }
    flipped += 1
  }
  if flipped == 0 {
    say("self-test: no seed has a postings list of several blocks")
    ok = false
  }
  let verdict = ok ? "passed" : "FAILED"
  say(
    "self-test: \(names.count) seed segments, \(flipped) with a changed postings block: \(verdict)")
  return ok
}

/// The offset of the last positions byte of the first block of the first multi-block
/// postings list of an intact segment (found through the reader's own dictionary).
private func multiBlockTarget(_ bytes: [UInt8]) -> Int? {
  let path = workdir.path + "/self-test.zsi"
  guard (try? Data(bytes).write(to: URL(fileURLWithPath: path))) != nil,
    let segment = try? SegmentReader(path: path, name: "self-test.zsi"),
    let postings = le64(bytes, 16 + IndexFormat.Section.postings.rawValue * 20)
  else { return nil }
  for field in Field.allCases {
    guard let terms = try? segment.terms(field: field, prefix: "") else { return nil }
    for info in terms where info.documentFrequency > IndexFormat.unitsPerBlock {
      guard
        let layout = postingsLayout(
          bytes, start: postings + info.postingsOffset, length: info.postingsLength),
        let first = layout.blocks.first, !first.data.isEmpty
      else { continue }
      return first.data.upperBound - 1
    }
  }
  return nil
}
