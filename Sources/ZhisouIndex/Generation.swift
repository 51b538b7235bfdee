#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The commit point of an index: which segments make it, which of their documents are
/// deleted, and the collection statistics. `CURRENT` names the live generation; a
/// build writes a new generation file beside the old one and switches `CURRENT` with
/// one rename, so readers always see a whole generation.
struct Generation: Equatable {
  struct SegmentEntry: Equatable {
    var name: String
    var unitCount: Int
    var documentCount: Int
    /// Documents of the segment that were removed or replaced since it was written.
    var deletedDocuments: [Int]
  }

  var number: Int
  /// Lexicon fingerprint and analyzer version the segments were built with.
  var analyzerFingerprint: UInt64
  var segments: [SegmentEntry]
  var liveUnitCount: Int
  var totalTitleLength: Int
  var totalBodyLength: Int
  /// The code units the build's ICU folded to another (traditional << 16 | simplified,
  /// ascending): searches adopt them, so queries fold exactly as the index did.
  var scriptFolding: [UInt32]
  /// The corpus subfolders the build walked (relative paths, sorted): a search checks
  /// these for changes without listing folders that did not change.
  var corpusFolders: [String]

  func encoded() -> [UInt8] {
    var payload = ByteWriter()
    payload.varint(number)
    payload.u64(analyzerFingerprint)
    payload.varint(segments.count)
    for segment in segments {
      payload.string(segment.name)
      payload.varint(segment.unitCount)
      payload.varint(segment.documentCount)
      payload.varint(segment.deletedDocuments.count)
      for d in segment.deletedDocuments { payload.varint(d) }
    }
    payload.varint(liveUnitCount)
    payload.varint(totalTitleLength)
    payload.varint(totalBodyLength)
    payload.varint(scriptFolding.count)
    var previous: UInt32 = 0
    for pair in scriptFolding {
      payload.varint((pair >> 16) - previous)
      payload.varint(pair & 0xFFFF)
      previous = pair >> 16
    }
    payload.varint(corpusFolders.count)
    for folder in corpusFolders { payload.string(folder) }
    var out = ByteWriter()
    out.raw(IndexFormat.generationMagic)
    out.u32(IndexFormat.version)
    out.u32(UInt32(payload.count))
    out.u32(Checksum.crc32c(payload.bytes))
    out.raw(payload.bytes)
    return out.bytes
  }

  static func decode(_ bytes: UnsafeRawBufferPointer, file: String) throws(IndexError) -> Generation
  {
    var r = ByteReader(bytes, file: file)
    let magic = try r.bytes(8)
    guard Array(magic) == IndexFormat.generationMagic else {
      throw .corrupt(file: file, what: "not a zhisou generation file (bad magic number)")
    }
    let version = try r.u32()
    guard version == IndexFormat.version else {
      throw .unsupportedVersion(file: file, found: version, expected: IndexFormat.version)
    }
    let length = Int(try r.u32())
    let crc = try r.u32()
    let payload = try r.bytes(length)
    guard Checksum.crc32c(payload) == crc else {
      throw .corrupt(file: file, what: "checksum mismatch")
    }
    guard r.isAtEnd else { throw .corrupt(file: file, what: "trailing bytes") }
    var p = ByteReader(payload, file: file)
    let number = try p.int()
    let fingerprint = try p.u64()
    let segmentCount = try p.int(below: 100_000)
    var segments: [SegmentEntry] = []
    for _ in 0..<segmentCount {
      let name = try p.string()
      guard name.hasPrefix("seg-"), !name.contains("/") else {
        throw .corrupt(file: file, what: "bad segment name")
      }
      let units = try p.int()
      let documents = try p.int()
      let deletedCount = try p.int(below: documents + 1)
      var deleted: [Int] = []
      for _ in 0..<deletedCount { deleted.append(try p.int(below: documents)) }
      segments.append(
        SegmentEntry(
          name: name, unitCount: units, documentCount: documents, deletedDocuments: deleted))
    }
    let live = try p.int()
    let title = try p.int(below: Int.max)
    let body = try p.int(below: Int.max)
    let foldingCount = try p.int(below: 0x10000)
    var folding: [UInt32] = []
    folding.reserveCapacity(foldingCount)
    var previous = 0
    for _ in 0..<foldingCount {
      let traditional = previous + (try p.int(below: 0x10000))
      let simplified = try p.int(below: 0x10000)
      guard traditional > previous, traditional < 0x10000, simplified != 0 else {
        throw .corrupt(file: file, what: "bad script folding table")
      }
      folding.append(UInt32(traditional) << 16 | UInt32(simplified))
      previous = traditional
    }
    let folderCount = try p.int(below: 10_000_000)
    var folders: [String] = []
    for _ in 0..<folderCount { folders.append(try p.string()) }
    guard p.isAtEnd else { throw .corrupt(file: file, what: "trailing bytes in the payload") }
    return Generation(
      number: number, analyzerFingerprint: fingerprint, segments: segments, liveUnitCount: live,
      totalTitleLength: title, totalBodyLength: body, scriptFolding: folding,
      corpusFolders: folders)
  }

  /// Reads the generation `CURRENT` points to.
  static func current(in directory: String) throws(IndexError) -> Generation {
    let name = try currentName(in: directory)
    let file: MappedFile
    do {
      file = try MappedFile(path: directory + "/" + name, name: name)
    } catch .corrupt(_, let what) where what == "file is missing" {
      throw .corrupt(file: IndexFormat.currentFile, what: "names \(name), which is missing")
    }
    let generation = try decode(file.bytes, file: name)
    guard IndexFormat.generationFile(generation.number) == name else {
      throw .corrupt(file: name, what: "holds generation \(generation.number)")
    }
    return generation
  }

  /// The generation file `CURRENT` names (`missing` when there is no `CURRENT`).
  static func currentName(in directory: String) throws(IndexError) -> String {
    let currentPath = directory + "/" + IndexFormat.currentFile
    guard FileManager.default.fileExists(atPath: currentPath) else {
      throw .missing(directory: directory)
    }
    let current = try MappedFile(path: currentPath, name: IndexFormat.currentFile)
    guard current.bytes.count <= 64 else {
      throw .corrupt(file: IndexFormat.currentFile, what: "does not name a generation file")
    }
    let text = String(decoding: current.bytes, as: UTF8.self)
    let name = text.hasSuffix("\n") ? String(text.dropLast()) : text
    let digits = name.utf8.dropFirst(4).dropLast(4)
    guard name.hasPrefix("gen-"), name.hasSuffix(".zsm"), (6...12).contains(digits.count),
      digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
    else {
      throw .corrupt(file: IndexFormat.currentFile, what: "does not name a generation file")
    }
    return name
  }
}
