// libFuzzer target: the bytes of a segment file → open it → read everything.
//
// The input is a segment file (`seg-G-K.zsi`). Before opening, the harness recomputes
// every checksum the format stores (postings, dictionary blocks, stored units, norms
// chunks, sections, header) wherever the mutated structure still lets it find them, so
// mutations reach the decoders behind the checksums instead of stopping at the first
// crc. It then opens the segment, writes a generation naming it and opens the index
// through `IndexReader.open`, and reads every term's postings (units, tf, positions,
// skips), every stored unit, every norm and document, and runs a few searches.
// Passes when every input reads or throws IndexError; a crash, trap, ASan report or
// hang is a finding. With ZHISOU_FUZZ_MAKE_SEEDS=DIR it writes seed segments (the
// index of $ZHISOU_FUZZ_CORPUS, one document at a time) into DIR and exits.
import Foundation
import ZhisouSearch

@testable import ZhisouIndex

// MARK: Checksum repair

private func le32(_ b: [UInt8], _ o: Int) -> Int? {
  guard o >= 0, o + 4 <= b.count else { return nil }
  return Int(b[o]) | Int(b[o + 1]) << 8 | Int(b[o + 2]) << 16 | Int(b[o + 3]) << 24
}

private func le64(_ b: [UInt8], _ o: Int) -> Int? {
  guard o >= 0, o + 8 <= b.count else { return nil }
  var v: UInt64 = 0
  for i in (0..<8).reversed() { v = v << 8 | UInt64(b[o + i]) }
  return v > UInt64(Int.max) ? nil : Int(v)
}

private func put32(_ b: inout [UInt8], _ o: Int, _ v: UInt32) {
  guard o >= 0, o + 4 <= b.count else { return }
  for i in 0..<4 { b[o + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(i))) }
}

private func crc(_ b: [UInt8], _ start: Int, _ count: Int) -> UInt32? {
  guard start >= 0, count >= 0, start <= b.count, count <= b.count - start else { return nil }
  return b.withUnsafeBytes { Checksum.crc32(UnsafeRawBufferPointer(rebasing: $0[start..<(start + count)])) }
}

private func varint(_ b: [UInt8], _ o: inout Int, _ end: Int) -> Int? {
  var v = 0
  var shift = 0
  while o < end, shift < 63 {
    let byte = b[o]
    o += 1
    v |= Int(byte & 0x7F) << shift
    if byte & 0x80 == 0 { return v }
    shift += 7
  }
  return nil
}

/// Recomputes the checksums of a (possibly mutated) segment wherever its structure allows.
func repairChecksums(_ b: inout [UInt8]) {
  guard b.count >= IndexFormat.headerSize else { return }
  var sections: [(offset: Int, length: Int)] = []
  for s in 0..<6 {
    guard let o = le64(b, 16 + s * 20), let l = le64(b, 24 + s * 20), o <= b.count, l <= b.count - o else { return }
    sections.append((o, l))
  }
  let (dIndex, dBlocks, postings, units, norms) = (sections[0], sections[1], sections[2], sections[3], sections[4])
  // Dictionary blocks: each term's postings crc, then the block's crc.
  if let blockCount = le32(b, dIndex.offset), blockCount <= dIndex.length / 20 {
    for i in 0..<blockCount {
      let entry = dIndex.offset + 4 + i * 20
      guard let bo = le32(b, entry), let bl = le32(b, entry + 4), bo <= dBlocks.length, bl <= dBlocks.length - bo
      else { continue }
      let start = dBlocks.offset + bo
      let end = start + bl
      var o = start
      if let count = varint(b, &o, end) {
        for _ in 0..<min(count, 64) {
          guard varint(b, &o, end) != nil, let suffix = varint(b, &o, end), suffix <= end - o else { break }
          o += suffix
          guard varint(b, &o, end) != nil, let po = varint(b, &o, end), let pl = varint(b, &o, end), o + 4 <= end
          else { break }
          if po <= postings.length, pl <= postings.length - po, let c = crc(b, postings.offset + po, pl) {
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
  if let unitCount = le32(b, units.offset), unitCount <= units.length / 12 {
    let recordsStart = units.offset + 4 + unitCount * 12
    let recordsSize = units.length - 4 - unitCount * 12
    for u in 0..<unitCount {
      let entry = units.offset + 4 + u * 12
      guard let o = le64(b, entry), o <= recordsSize else { continue }
      let end = u + 1 < unitCount ? (le64(b, entry + 12) ?? recordsSize) : recordsSize
      guard end >= o, end <= recordsSize, let c = crc(b, recordsStart + o, end - o) else { continue }
      put32(&b, entry + 8, c)
    }
  }
  // Norms: each chunk's crc.
  if let normUnits = le32(b, norms.offset), let chunks = le32(b, norms.offset + 4),
    chunks <= norms.length / 4, normUnits <= norms.length / 8
  {
    let entriesStart = norms.offset + 8 + chunks * 4
    for c in 0..<chunks {
      let first = c * IndexFormat.normsChunk
      let count = max(0, min(normUnits, first + IndexFormat.normsChunk) - first)
      if let value = crc(b, entriesStart + first * 8, count * 8) { put32(&b, norms.offset + 8 + c * 4, value) }
    }
  }
  // Sections, then the header.
  for (s, section) in sections.enumerated() {
    if let c = crc(b, section.offset, section.length) { put32(&b, 32 + s * 20, c) }
  }
  if let c = crc(b, 0, 136) { put32(&b, 136, c) }
}

// MARK: Reading everything

func readAll(_ index: IndexReader) throws(IndexError) {
  for (s, segment) in index.segments.enumerated() {
    for field in Field.allCases {
      for info in try segment.terms(field: field, prefix: "") {
        _ = try segment.lookup(field: field, term: info.term)
        var cursor = try segment.postings(info)
        try cursor.next()
        var steps = 0
        while cursor.unit != Int32.max, steps < 100_000 {
          _ = try cursor.positions()
          _ = (cursor.blockLastUnit, cursor.blockMaxTf, cursor.blockMinLength)
          try cursor.next()
          steps += 1
        }
        var skipper = try segment.postings(info)
        try skipper.advance(to: Int32(segment.unitCount / 2))
        try skipper.nextBlock()
      }
    }
    for u in 0..<segment.unitCount {
      _ = try segment.length(.title, of: u)
      _ = try segment.length(.body, of: u)
      _ = try segment.storedKind(u)
      if !index.isDeleted(segment: s, unit: Int32(u)) {
        _ = try index.unit(UnitAddress(segment: Int32(s), unit: Int32(u)))
      }
    }
  }
  for address in index.liveUnits() { _ = index.document(of: address) }
  let searcher = Searcher(index: index)
  for text in ["产教融合", "学校 -疫情", "\"职业教育\"", "实训 OR 实习", "kind:case 案例"] {
    do {
      _ = try searcher.search(QueryParser.parse(text), limit: 10)
    } catch let error as IndexError {
      throw error
    } catch {}
  }
}

// MARK: The target

final class Workdir: @unchecked Sendable {
  let path = NSTemporaryDirectory() + "zhisou-index-fuzz-\(getpid())"
  init() {
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "zhisou-index-fuzz-\(getpid())") }
  }
}

let workdir = Workdir()

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
  guard let seeds = ProcessInfo.processInfo.environment["ZHISOU_FUZZ_MAKE_SEEDS"] else { return 0 }
  let corpus = URL(fileURLWithPath: ProcessInfo.processInfo.environment["ZHISOU_FUZZ_CORPUS"] ?? "Corpus")
  try? FileManager.default.createDirectory(atPath: seeds, withIntermediateDirectories: true)
  let files = CorpusScanner.scan(corpus).files
  for (n, file) in files.enumerated() {
    let single = workdir.path + "/seed-corpus-\(n)"
    let index = workdir.path + "/seed-index-\(n)"
    do {
      try FileManager.default.createDirectory(atPath: single, withIntermediateDirectories: true)
      // The first 120 lines of one document: small segments fuzz faster.
      let lines = try String(contentsOf: file.url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
      try lines.prefix(120).joined(separator: "\n").write(
        toFile: single + "/" + file.url.lastPathComponent, atomically: false, encoding: .utf8)
      _ = try IndexBuilder.build(corpus: URL(fileURLWithPath: single), index: index)
      for name in try FileManager.default.contentsOfDirectory(atPath: index) where name.hasPrefix("seg-") {
        try FileManager.default.copyItem(atPath: index + "/" + name, toPath: seeds + "/seed-\(n)-\(name)")
      }
    } catch {
      FileHandle.standardError.write(Data("seed \(file.relativePath): \(error)\n".utf8))
    }
  }
  exit(0)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  var bytes = Array(UnsafeBufferPointer(start: data, count: size))
  // Most inputs get their checksums repaired (to reach the decoders); sizes divisible
  // by 8 are opened as they are (to exercise the checks themselves).
  if size % 8 != 0 { repairChecksums(&bytes) }
  let name = "seg-1-1.zsi"
  let directory = workdir.path
  do {
    try Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + name))
  } catch {
    fatalError("cannot write \(directory): \(error)")
  }
  do {
    let segment = try SegmentReader(path: directory + "/" + name, name: name)
    var title = 0
    var body = 0
    for u in 0..<segment.unitCount {
      title += try segment.length(.title, of: u)
      body += try segment.length(.body, of: u)
    }
    // Delete every third document, so deletion bookkeeping is read too.
    let deleted = stride(from: 1, to: segment.documents.count, by: 3).map { $0 }
    let generation = Generation(
      number: 1, analyzerFingerprint: 0,
      segments: [.init(name: name, unitCount: segment.unitCount, documentCount: segment.documents.count, deletedDocuments: deleted)],
      liveUnitCount: segment.unitCount, totalTitleLength: title, totalBodyLength: body)
    try Data(generation.encoded()).write(to: URL(fileURLWithPath: directory + "/gen-000001.zsm"))
    try Data("gen-000001.zsm\n".utf8).write(to: URL(fileURLWithPath: directory + "/CURRENT"))
    try readAll(IndexReader.open(directory))
  } catch is IndexError {
  } catch {
    fatalError("unexpected error \(error)")
  }
  return 0
}
