import Foundation
import Testing
import ZhisouCorpus

@testable import ZhisouIndex

/// A small deterministic PRNG (SplitMix64), so every run damages the same bytes.
struct SplitMix64 {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
}

/// A built index whose files can be damaged one at a time and restored.
final class DamageBench {
  let temp: TempDirectory
  let indexPath: String
  let files: [String]
  let pristine: [String: [UInt8]]
  let reference: IndexSnapshot

  init(_ label: String) throws {
    temp = TempDirectory(label)
    let corpus = temp.sub("Corpus")
    try copySeedCorpus(
      to: corpus, only: ["gaoping-2021-action-plan.txt", "liangzhou-2023-report.txt"])
    indexPath = temp.sub("Index").path
    var options = IndexBuilder.Options()
    options.threads = 2
    _ = try IndexBuilder.build(corpus: corpus, index: indexPath, options: options)
    // A second build after a change gives a generation with two kinds of segment and a deletion.
    try writeDocument("# 补充\n\n补充说明 zqxwvextra 内容。\n", named: "extra.txt", in: corpus)
    _ = try IndexBuilder.build(corpus: corpus, index: indexPath, options: options)
    let generation = try Generation.current(in: indexPath)
    files =
      [IndexFormat.currentFile, IndexFormat.generationFile(generation.number)]
      + generation.segments.map(\.name)
    var pristine: [String: [UInt8]] = [:]
    for file in files {
      pristine[file] = [UInt8](try Data(contentsOf: URL(fileURLWithPath: indexPath + "/" + file)))
    }
    self.pristine = pristine
    reference = try snapshot(IndexReader.open(indexPath))
  }

  deinit { temp.remove() }

  func write(_ file: String, _ bytes: [UInt8]) {
    let path = indexPath + "/" + file
    // Replace, never rewrite in place: an old mapping must not see the file change under it.
    unlink(path)
    FileManager.default.createFile(atPath: path, contents: Data(bytes))
  }

  /// Opens and reads everything with `file` replaced by `bytes`; the outcome must be the
  /// reference data or a clear error naming `file`. Returns whether an error was reported.
  @discardableResult
  func check(
    _ file: String, _ bytes: [UInt8], _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) -> Bool {
    write(file, bytes)
    defer { write(file, pristine[file]!) }
    do {
      let s = try snapshot(IndexReader.open(indexPath))
      #expect(
        s == reference, "\(file) \(what): read without error but differs",
        sourceLocation: sourceLocation)
      return false
    } catch {
      switch error {
      case .corrupt(let named, _):
        #expect(
          error.description.hasPrefix("index is corrupt: \(file): "), "\(file) \(what): \(error)",
          sourceLocation: sourceLocation)
        #expect(named == file, "\(file) \(what): \(error)", sourceLocation: sourceLocation)
        #expect(
          error.description.hasSuffix("rebuild with zhisou build --full"),
          sourceLocation: sourceLocation)
      case .unsupportedVersion(let named, _, _):
        #expect(named == file, "\(file) \(what): \(error)", sourceLocation: sourceLocation)
        #expect(
          error.description.contains("rebuild with zhisou build --full"),
          sourceLocation: sourceLocation)
      default:
        Issue.record("\(file) \(what): unexpected \(error)", sourceLocation: sourceLocation)
      }
      return true
    }
  }
}

@Suite(.serialized) struct CorruptionTests {
  @Test func truncationOfEachFileIsReportedOrHarmless() throws {
    let bench = try DamageBench(#function)
    for file in bench.files {
      let bytes = bench.pristine[file]!
      let n = bytes.count
      var offsets = Set([
        0, 1, 4, 7, 8, 11, 12, 15, 16, 20, 24, 100, IndexFormat.headerSize - 1,
        IndexFormat.headerSize,
      ])
      offsets.formUnion([n / 5, n / 3, n / 2, 2 * n / 3, n - 9, n - 5, n - 2, n - 1])
      var reported = 0
      for offset in offsets.sorted() where offset >= 0 && offset < n {
        if bench.check(file, Array(bytes[..<offset]), "truncated at \(offset)") { reported += 1 }
      }
      if file != IndexFormat.currentFile {
        #expect(
          reported == offsets.filter { $0 >= 0 && $0 < n }.count,
          "every truncation of \(file) is reported")
      }
    }
  }

  @Test func flippedBytesInEachFileAreReportedOrHarmless() throws {
    let bench = try DamageBench(#function)
    for file in bench.files {
      let bytes = bench.pristine[file]!
      let n = bytes.count
      var offsets = Set([
        0, 3, 7, 8, 9, 11, 12, 13, 16, 20, 24, 31, 40, 60, 100, 127, IndexFormat.headerSize - 1,
        IndexFormat.headerSize,
      ])
      for k in 1..<16 { offsets.insert(k * n / 16) }
      offsets.formUnion([n - 1, n - 2, n - 5])
      for offset in offsets.sorted() where offset >= 0 && offset < n {
        for mask: UInt8 in [0x01, 0x80, 0xFF] {
          var damaged = bytes
          damaged[offset] ^= mask
          let reported = bench.check(file, damaged, "byte \(offset) ^ \(mask)")
          if file != IndexFormat.currentFile {
            #expect(reported, "\(file): a flip at \(offset) goes unnoticed")
          }
        }
      }
    }
  }

  @Test func damageAtEverySectionBoundaryIsReported() throws {
    let bench = try DamageBench(#function)
    for file in bench.files where file.hasPrefix("seg-") {
      let bytes = bench.pristine[file]!
      var starts: [Int] = []
      for section in 0..<IndexFormat.Section.allCases.count {
        let at = 16 + section * 20
        let offset = bytes[at..<(at + 8)].reversed().reduce(0) { $0 << 8 | Int($1) }
        let length = bytes[(at + 8)..<(at + 16)].reversed().reduce(0) { $0 << 8 | Int($1) }
        starts.append(offset)
        if length > 1 { starts.append(offset + length - 1) }
      }
      for start in starts {
        // The first entries of each section: counts, offsets (their high bytes), checksums.
        for offset in start..<min(bytes.count, start + 13) {
          let mask: UInt8 = offset % 2 == 0 ? 0xFF : 0x01
          var damaged = bytes
          damaged[offset] ^= mask
          #expect(
            bench.check(file, damaged, "byte \(offset) ^ \(mask)"),
            "\(file): flip at \(offset) unnoticed")
        }
      }
    }
  }

  @Test func aDamagedPostingsBlockIsReportedWhenItIsDecoded() throws {
    let temp = TempDirectory(#function)
    defer { temp.remove() }
    let indexPath = try buildSeedIndex(in: temp).index
    let segment = try #require(try IndexReader.open(indexPath).segments.first)
    let info = try #require(
      try segment.terms(field: .body, prefix: "").max {
        $0.documentFrequency < $1.documentFrequency
      })
    #expect(info.documentFrequency > IndexFormat.unitsPerBlock)
    // Flip the term's last byte: a position in its last block, which the dictionary's
    // checksum (the headers of a list of several blocks) does not cover.
    let path = indexPath + "/" + segment.name
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    let at = 16 + IndexFormat.Section.postings.rawValue * 20
    let postingsOffset = bytes[at..<(at + 8)].reversed().reduce(0) { $0 << 8 | Int($1) }
    bytes[postingsOffset + info.postingsOffset + info.postingsLength - 1] ^= 0x5A
    unlink(path)
    FileManager.default.createFile(atPath: path, contents: Data(bytes))

    let damaged = try #require(try IndexReader.open(indexPath).segments.first)
    var cursor = try damaged.postings(info)  // the headers are whole
    try cursor.next()
    #expect(cursor.unit != Int32.max)  // and so are the first blocks
    do {
      while cursor.unit != Int32.max {
        _ = try cursor.positions()
        try cursor.next()
      }
      Issue.record("the damaged block was read without an error")
    } catch {
      #expect(error.description.hasPrefix("index is corrupt: \(segment.name): "), "\(error)")
      #expect(error.description.contains("block"), "\(error)")
    }
  }

  @Test func anotherFormatVersionGetsItsOwnMessage() throws {
    let bench = try DamageBench(#function)
    for file in bench.files where file != IndexFormat.currentFile {
      var bytes = bench.pristine[file]!
      bytes.replaceSubrange(8..<12, with: [9, 0, 0, 0])
      bench.write(file, bytes)
      defer { bench.write(file, bench.pristine[file]!) }
      do {
        _ = try snapshot(IndexReader.open(bench.indexPath))
        Issue.record("\(file) of version 9 was read")
      } catch {
        #expect(error == .unsupportedVersion(file: file, found: 9, expected: IndexFormat.version))
        #expect(error.description.hasPrefix("index format version 9 in \(file) is not supported"))
      }
    }
  }

  @Test func missingFilesAreReportedByName() throws {
    let bench = try DamageBench(#function)
    for file in bench.files {
      unlink(bench.indexPath + "/" + file)
      defer { bench.write(file, bench.pristine[file]!) }
      do {
        _ = try IndexReader.open(bench.indexPath)
        Issue.record("opened without \(file)")
      } catch {
        if file == IndexFormat.currentFile {
          #expect(error == .missing(directory: bench.indexPath))
        } else if file.hasPrefix("gen-") {
          #expect(
            error.description.hasPrefix(
              "index is corrupt: CURRENT: names \(file), which is missing"))
        } else {
          #expect(error.description.hasPrefix("index is corrupt: \(file): file is missing"))
        }
      }
    }
  }

  @Test(.timeLimit(.minutes(10))) func fuzzedDamageNeverCrashesOrHangs() throws {
    let bench = try DamageBench(#function)
    var random = SplitMix64(state: 0x5A48_534F_55)
    var reported = 0
    let rounds = 1200
    for round in 0..<rounds {
      let file = bench.files[random.below(bench.files.count)]
      var bytes = bench.pristine[file]!
      var what = "round \(round):"
      switch random.below(6) {
      case 0:  // truncate
        let at = random.below(bytes.count)
        bytes.removeSubrange(at...)
        what += " truncated at \(at)"
      case 1:  // one random byte
        let at = random.below(bytes.count)
        bytes[at] = UInt8(truncatingIfNeeded: random.next())
        what += " byte \(at) set"
      case 2:  // a burst of flipped bits
        for _ in 0..<(1 + random.below(8)) {
          let at = random.below(bytes.count)
          bytes[at] ^= UInt8(1 << random.below(8))
          what += " bit at \(at)"
        }
      case 3:  // a run of 0xFF or 0x00 (huge varints, zero lengths)
        let at = random.below(bytes.count)
        let length = min(bytes.count - at, 1 + random.below(16))
        let fill: UInt8 = random.below(2) == 0 ? 0xFF : 0x00
        bytes.replaceSubrange(at..<(at + length), with: repeatElement(fill, count: length))
        what += " \(length) bytes of \(fill) at \(at)"
      case 4:  // garbage appended or inserted
        let at = random.below(bytes.count + 1)
        let junk = (0..<(1 + random.below(32))).map { _ in UInt8(truncatingIfNeeded: random.next())
        }
        bytes.insert(contentsOf: junk, at: at)
        what += " \(junk.count) bytes inserted at \(at)"
      default:  // a block of bytes moved elsewhere in the file
        let from = random.below(bytes.count)
        let to = random.below(bytes.count)
        let length = min(bytes.count - max(from, to), 1 + random.below(64))
        if length > 0 {
          bytes.replaceSubrange(to..<(to + length), with: Array(bytes[from..<(from + length)]))
        }
        what += " \(length) bytes copied \(from)→\(to)"
      }
      if bench.check(file, bytes, what) { reported += 1 }
    }
    #expect(reported > rounds / 2)
  }
}
