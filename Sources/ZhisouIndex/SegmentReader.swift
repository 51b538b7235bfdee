import Synchronization
import ZhisouCorpus

/// A term's entry in a segment's dictionary.
public struct TermInfo: Sendable {
  /// Field byte followed by the term's UTF-8 bytes.
  public var key: [UInt8]
  public var documentFrequency: Int
  /// Largest tf of the term in any unit, and the shortest field among its units.
  public var maxTf: Int
  public var minLength: Int
  var postingsOffset: Int
  var postingsLength: Int
  var checksum: UInt32

  /// The term without its field byte.
  public var term: String { String(decoding: key.dropFirst(), as: UTF8.self) }
}

/// One immutable segment file, memory-mapped: dictionary, postings, units, norms, documents.
///
/// Opening checks the header, the dictionary index and the document table; every other
/// region is checked by its own checksum when it is first read.
public final class SegmentReader: @unchecked Sendable {
  public let name: String
  public let unitCount: Int
  /// Number of documents of this segment (local numbering).
  let documentCount: Int
  /// Each local document's first unit (its units run to the next one's); read at open,
  /// the records themselves only when asked for (`documentRecord(_:)`).
  let documentStarts: [Int32]
  private let file: MappedFile
  private let sections: [UnsafeRawBufferPointer]
  private let blockCount: Int
  /// Norms chunks whose checksum has been verified. Readers share segments across
  /// threads; a flag is only ever set to true after a successful check, so a racing
  /// reader at worst verifies a chunk twice (plain byte stores, no lock on the hot path).
  private let verifiedNormChunks: UnsafeMutableBufferPointer<Bool>
  /// Postings regions whose checksum has been verified.
  private struct Region: Hashable {
    var offset: Int
    var length: Int
    var checksum: UInt32
  }
  private let verifiedPostings = Mutex(Set<Region>())
  private let normsBase: Int

  deinit { verifiedNormChunks.deallocate() }

  init(path: String, name: String) throws(IndexError) {
    self.name = name
    let file = try MappedFile(path: path, name: name)
    self.file = file
    var r = ByteReader(file.bytes, file: name)
    guard file.bytes.count >= IndexFormat.headerSize else {
      throw .corrupt(file: name, what: "file is truncated (\(file.bytes.count) bytes)")
    }
    guard Array(try r.bytes(8)) == IndexFormat.segmentMagic else {
      throw .corrupt(file: name, what: "not a zhisou segment (bad magic number)")
    }
    let version = try r.u32()
    guard version == IndexFormat.version else {
      throw .unsupportedVersion(file: name, found: version, expected: IndexFormat.version)
    }
    let count = Int(try r.u32())
    guard count == IndexFormat.Section.allCases.count else {
      throw .corrupt(file: name, what: "unexpected section count \(count)")
    }
    var table: [(Int, Int, UInt32)] = []
    for _ in 0..<count {
      let offset = try r.u64()
      let length = try r.u64()
      let crc = try r.u32()
      guard offset <= UInt64(file.bytes.count), length <= UInt64(file.bytes.count) - offset else {
        throw .corrupt(file: name, what: "section outside the file (file truncated?)")
      }
      table.append((Int(offset), Int(length), crc))
    }
    let headerEnd = r.offset
    let headerCRC = try r.u32()
    guard Checksum.crc32c(UnsafeRawBufferPointer(rebasing: file.bytes[0..<headerEnd])) == headerCRC
    else { throw .corrupt(file: name, what: "header checksum mismatch") }
    let all = file.bytes
    let sections = table.map { UnsafeRawBufferPointer(rebasing: all[$0.0..<($0.0 + $0.1)]) }
    self.sections = sections
    let dictionaryIndex = IndexFormat.Section.dictionaryIndex.rawValue
    guard Checksum.crc32c(sections[dictionaryIndex]) == table[dictionaryIndex].2 else {
      throw .corrupt(file: name, what: "dictionaryIndex checksum mismatch")
    }
    var d = ByteReader(sections[IndexFormat.Section.dictionaryIndex.rawValue], file: name)
    blockCount = Int(try d.u32())
    guard blockCount <= d.remaining / 20 else {
      throw .corrupt(file: name, what: "bad dictionary index")
    }

    var u = ByteReader(sections[IndexFormat.Section.units.rawValue], file: name)
    unitCount = Int(try u.u32())
    guard unitCount <= u.remaining / 12 else { throw .corrupt(file: name, what: "bad unit table") }

    var n = ByteReader(sections[IndexFormat.Section.norms.rawValue], file: name)
    let normUnits = Int(try n.u32())
    let chunks = Int(try n.u32())
    guard normUnits == unitCount,
      chunks == (unitCount + IndexFormat.normsChunk - 1) / IndexFormat.normsChunk,
      n.remaining == chunks * 4 + unitCount * 8
    else { throw .corrupt(file: name, what: "norms do not match the unit table") }
    verifiedNormChunks = .allocate(capacity: max(chunks, 1))
    verifiedNormChunks.initialize(repeating: false)
    normsBase = 8 + chunks * 4

    var docs = ByteReader(sections[IndexFormat.Section.documents.rawValue], file: name)
    let documentCount = Int(try docs.u32())
    let tableCRC = try docs.u32()
    guard documentCount <= docs.remaining / 16 else {
      throw .corrupt(file: name, what: "bad document table")
    }
    let documentTable = try docs.sub(docs.offset, documentCount * 16)
    guard Checksum.crc32c(documentTable.base) == tableCRC else {
      throw .corrupt(file: name, what: "document table checksum mismatch")
    }
    // Documents tile the units in order (the first from unit 0), so a unit's document
    // is found by binary search over the starts.
    var starts: [Int32] = []
    starts.reserveCapacity(documentCount)
    var entry = documentTable
    for _ in 0..<documentCount {
      let start = try entry.u32()
      guard start <= UInt32(unitCount), start >= starts.last.map(UInt32.init) ?? 0,
        !starts.isEmpty || start == 0
      else { throw .corrupt(file: name, what: "documents do not tile the units") }
      starts.append(Int32(start))
      entry.offset += 12
    }
    guard documentCount > 0 || unitCount == 0 else {
      throw .corrupt(file: name, what: "documents do not tile the units")
    }
    self.documentCount = documentCount
    documentStarts = starts
  }

  /// The units of local document `local`: from its start to the next document's.
  func documentUnits(_ local: Int) -> Range<Int> {
    let end = local + 1 < documentCount ? Int(documentStarts[local + 1]) : unitCount
    return Int(documentStarts[local])..<end
  }

  /// The record of local document `local`, its checksum verified.
  func documentRecord(_ local: Int) throws(IndexError) -> DocumentRecord {
    guard local >= 0, local < documentCount else {
      throw .corrupt(file: name, what: "no document \(local)")
    }
    var r = try checkedRecord(
      local, of: documentCount, in: .documents, tableStart: 8, entrySize: 16, offsetAt: 4,
      table: "document", record: "document")
    let fileName = try r.string()
    let title = try r.string()
    let region = try r.string()
    let province = try r.string()
    let year = try r.int()
    let kind = try r.string()
    let noteCount = try r.int(below: 1000)
    var notes: [String] = []
    for _ in 0..<noteCount { notes.append(try r.string()) }
    let hash = try r.u64()
    let byteCount = try r.int(below: Int.max)
    let modified = Int64(bitPattern: try r.u64())
    guard r.isAtEnd else {
      throw .corrupt(file: name, what: "document \(local) has trailing bytes")
    }
    let metadata = DocumentMetadata(
      file: fileName, title: title, region: region, province: province,
      year: year == 0 ? nil : year - 1, kind: kind, notes: notes)
    return DocumentRecord(
      metadata: metadata, contentHash: hash, byteCount: byteCount, modified: modified)
  }

  /// Record `i` of a section holding a table of `count` fixed-size entries from
  /// `tableStart` (each with the record's `u64` offset at `offsetAt` and its `u32` crc
  /// right after), then the records, each running to the next one's offset: bounds and
  /// checksum verified.
  private func checkedRecord(
    _ i: Int, of count: Int, in section: IndexFormat.Section, tableStart: Int, entrySize: Int,
    offsetAt: Int, table tableName: String, record recordName: String
  ) throws(IndexError) -> ByteReader {
    var table = ByteReader(sections[section.rawValue], file: name)
    let recordsStart = tableStart + count * entrySize
    let recordsSize = table.base.count - recordsStart
    table.offset = tableStart + i * entrySize + offsetAt
    let offset = try table.u64(atMost: recordsSize)
    let crc = try table.u32()
    var end = recordsSize
    if i + 1 < count {
      table.offset = tableStart + (i + 1) * entrySize + offsetAt
      end = try table.u64(atMost: recordsSize)
    }
    guard offset <= end else {
      throw .corrupt(file: name, what: "\(tableName) table out of order")
    }
    let record = try table.sub(recordsStart, recordsSize).sub(offset, end - offset)
    guard Checksum.crc32c(record.base) == crc else {
      throw .corrupt(file: name, what: "\(recordName) \(i) checksum mismatch")
    }
    return record
  }

  // MARK: Dictionary

  private func blockKey(_ i: Int) throws(IndexError) -> UnsafeRawBufferPointer {
    var d = ByteReader(sections[IndexFormat.Section.dictionaryIndex.rawValue], file: name)
    d.offset = 4 + i * 20 + 12
    let keyOffset = Int(try d.u32())
    let keyLength = Int(try d.u32())
    return try d.sub(4 + blockCount * 20 + keyOffset, keyLength).base
  }

  /// Dictionary block `i`, its checksum checked, positioned after its term count.
  private func openBlock(_ i: Int) throws(IndexError) -> (reader: ByteReader, count: Int) {
    var d = ByteReader(sections[IndexFormat.Section.dictionaryIndex.rawValue], file: name)
    d.offset = 4 + i * 20
    let offset = Int(try d.u32())
    let length = Int(try d.u32())
    let crc = try d.u32()
    let blocks = ByteReader(sections[IndexFormat.Section.dictionaryBlocks.rawValue], file: name)
    var b = try blocks.sub(offset, length)
    guard Checksum.crc32c(b.base) == crc else {
      throw .corrupt(file: name, what: "dictionary block \(i) checksum mismatch")
    }
    let count = try b.int(below: IndexFormat.termsPerBlock + 1)
    return (b, count)
  }

  private func block(_ i: Int) throws(IndexError) -> [TermInfo] {
    var (b, count) = try openBlock(i)
    var entries: [TermInfo] = []
    entries.reserveCapacity(count)
    var previous: [UInt8] = []
    let postingsSize = sections[IndexFormat.Section.postings.rawValue].count
    for _ in 0..<count {
      let shared = try b.int(below: previous.count + 1)
      let suffixLength = try b.int(below: 1 << 16)
      var key = Array(previous[0..<shared])
      key.append(contentsOf: try b.bytes(suffixLength))
      let df = try b.int(below: unitCount + 1)
      let offset = try b.int(below: postingsSize + 1)
      let length = try b.int(below: postingsSize - offset + 1)
      let checksum = try b.u32()
      let maxTf = try b.int()
      let minLength = try b.int()
      entries.append(
        TermInfo(
          key: key, documentFrequency: df, maxTf: maxTf, minLength: minLength,
          postingsOffset: offset, postingsLength: length, checksum: checksum))
      previous = key
    }
    return entries
  }

  /// Index of the last block whose first key is ≤ `key`, or nil when `key` sorts first.
  private func findBlock(_ key: [UInt8]) throws(IndexError) -> Int? {
    var low = 0
    var high = blockCount
    while low < high {
      let mid = (low + high) / 2
      let first = try blockKey(mid)
      if first.lexicographicallyPrecedes(key) || first.elementsEqual(key) {
        low = mid + 1
      } else {
        high = mid
      }
    }
    return low == 0 ? nil : low - 1
  }

  /// The dictionary entry of `term` in `field`, if the segment has it.
  public func lookup(field: Field, term: String) throws(IndexError) -> TermInfo? {
    let key = [field.rawValue] + Array(term.utf8)
    guard let b = try findBlock(key) else { return nil }
    return try block(b).first { $0.key == key }
  }

  /// All terms of `field` that start with `prefix`, in byte order.
  public func terms(field: Field, prefix: String) throws(IndexError) -> [TermInfo] {
    let key = [field.rawValue] + Array(prefix.utf8)
    var b = try findBlock(key) ?? 0
    var out: [TermInfo] = []
    while b < blockCount {
      var passed = false
      for entry in try block(b) {
        if entry.key.starts(with: key) {
          out.append(entry)
        } else if key.lexicographicallyPrecedes(entry.key) {
          passed = true
          break
        }
      }
      if passed { break }
      b += 1
    }
    return out
  }

  /// A cursor over the postings of a dictionary entry, its checksum verified: the whole
  /// list of a single block; the headers of several, whose blocks the cursor checks as it
  /// decodes them (a common word's query reads a few of thousands of blocks).
  public func postings(_ info: TermInfo) throws(IndexError) -> PostingsCursor {
    let base = ByteReader(sections[IndexFormat.Section.postings.rawValue], file: name)
    let region = try base.sub(info.postingsOffset, info.postingsLength)
    let cursor = try PostingsCursor(
      region, documentFrequency: info.documentFrequency, unitLimit: unitCount)
    // A query opens the same term's postings once per segment and again per hit (for
    // `--explain` parts): check each region once per open segment, not on every open.
    let key = Region(
      offset: info.postingsOffset, length: info.postingsLength, checksum: info.checksum)
    if !verifiedPostings.withLock({ $0.contains(key) }) {
      let checked = UnsafeRawBufferPointer(rebasing: region.base[0..<cursor.checksummedLength])
      guard Checksum.crc32c(checked) == info.checksum else {
        throw .corrupt(file: name, what: "postings of a term fail their checksum")
      }
      verifiedPostings.withLock { _ = $0.insert(key) }
    }
    return cursor
  }

  /// Bytes of the segment file.
  public var fileBytes: Int { file.bytes.count }
  /// Bytes of the postings section (unit ids, tfs, positions, block headers).
  public var postingsBytes: Int { sections[IndexFormat.Section.postings.rawValue].count }
  /// Bytes of the stored units (records and their table): what `show` and snippets
  /// read, and what an index "without stored text" leaves out.
  public var storedUnitBytes: Int { sections[IndexFormat.Section.units.rawValue].count }

  /// Calls `body` with every dictionary key (field byte + term bytes), in order; a key
  /// is valid only during its call.
  func forEachKey(_ body: (UnsafeBufferPointer<UInt8>) -> Void) throws(IndexError) {
    var key: [UInt8] = []
    for i in 0..<blockCount {
      var (b, count) = try openBlock(i)
      key.removeAll(keepingCapacity: true)
      for _ in 0..<count {
        let shared = try b.int(below: key.count + 1)
        let suffixLength = try b.int(below: 1 << 16)
        key.removeSubrange(shared...)
        key.append(contentsOf: try b.bytes(suffixLength))
        // The entry's df, postings offset and length, crc, max tf and min length.
        guard b.skipVarints(3), b.remaining >= 4 else { throw b.corrupt("entry cut short") }
        b.offset += 4
        guard b.skipVarints(2) else { throw b.corrupt("entry cut short") }
        key.withUnsafeBufferPointer(body)
      }
    }
  }

  /// Number of distinct (field, term) keys in the segment.
  public var termCount: Int {
    guard blockCount > 0, let last = try? block(blockCount - 1) else { return 0 }
    return (blockCount - 1) * IndexFormat.termsPerBlock + last.count
  }

  // MARK: Units

  /// The kind of unit `unit`, from the norms (its stored record is not touched).
  public func storedKind(_ unit: Int) throws(IndexError) -> UnitKind {
    let entry = try normsEntry(unit, field: .title)
    guard let kind = unitKind(code: UInt8(entry >> 24 & IndexFormat.kindMask)) else {
      throw .corrupt(file: name, what: "bad unit kind in the norms")
    }
    return kind
  }

  /// Whether `unit` is ranked down (a bare heading or a preface, see
  /// `IndexedUnit.isDemoted`); postings blocks keep the impacts of such units apart.
  public func isDemoted(_ unit: Int) throws(IndexError) -> Bool {
    try normsEntry(unit, field: .title) & IndexFormat.demotedFlag != 0
  }

  /// Field length (in slots) of `unit` for BM25.
  public func length(_ field: Field, of unit: Int) throws(IndexError) -> Int {
    let entry = try normsEntry(unit, field: field)
    return Int(field == .title ? entry & IndexFormat.titleLengthMask : entry)
  }

  /// The norms entry of a unit's field, its chunk's checksum verified once.
  @inline(__always)
  private func normsEntry(_ unit: Int, field: Field) throws(IndexError) -> UInt32 {
    guard unit >= 0, unit < unitCount else { throw .corrupt(file: name, what: "no unit \(unit)") }
    let section = sections[IndexFormat.Section.norms.rawValue]
    let chunk = unit / IndexFormat.normsChunk
    let verified = verifiedNormChunks[chunk]
    if !verified {
      // The section's size was checked at open: chunk CRCs, then 8 bytes per unit.
      var r = ByteReader(section, file: name)
      r.offset = 8 + chunk * 4
      let crc = try r.u32()
      let from = normsBase + chunk * IndexFormat.normsChunk * 8
      let to = min(section.count, from + IndexFormat.normsChunk * 8)
      guard from <= to, Checksum.crc32c(UnsafeRawBufferPointer(rebasing: section[from..<to])) == crc
      else {
        throw .corrupt(file: name, what: "norms checksum mismatch")
      }
      verifiedNormChunks[chunk] = true
    }
    let offset = normsBase + unit * 8 + (field == .title ? 0 : 4)
    return UInt32(littleEndian: section.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
  }

  /// The stored unit `unit` (its record's checksum verified); without its text (left
  /// empty, its bytes skipped) when `withText` is false.
  func storedUnit(_ unit: Int, withText: Bool = true) throws(IndexError) -> (
    localDocument: Int, unit: StoredUnitFields
  ) {
    guard unit >= 0, unit < unitCount else { throw .corrupt(file: name, what: "no unit \(unit)") }
    var r = try checkedRecord(
      unit, of: unitCount, in: .units, tableStart: 4, entrySize: 12, offsetAt: 0,
      table: "unit", record: "stored unit")
    let document = try r.int(below: documentCount)
    guard let kind = unitKind(code: try r.u8()) else {
      throw .corrupt(file: name, what: "bad unit kind")
    }
    let level = try r.int()
    let lineStart = try r.int()
    let lineEnd = try r.int()
    let title = try r.string()
    let pathCount = try r.int(below: 1000)
    var path: [String] = []
    for _ in 0..<pathCount { path.append(try r.string()) }
    var text = ""
    if withText { text = try r.string() } else { try r.skipString() }
    let citationCount = try r.int(below: 100_000)
    var citations: [PolicyCitation] = []
    for _ in 0..<citationCount {
      let title = try r.string()
      let number = try r.string()
      let issuer = try r.string()
      let year = try r.int()
      let n = try r.int()
      citations.append(
        PolicyCitation(
          title: title, documentNumber: number.isEmpty ? nil : number,
          issuerCode: issuer.isEmpty ? nil : issuer, year: year == 0 ? nil : year - 1,
          number: n == 0 ? nil : n - 1))
    }
    let number = try r.string()
    return (
      document,
      StoredUnitFields(
        kind: kind, title: title, headingPath: path, level: level, lineStart: lineStart,
        lineEnd: lineEnd, text: text, citations: citations, number: number)
    )
  }
}

/// The stored fields of a unit, before its document is resolved.
struct StoredUnitFields {
  var kind: UnitKind
  var title: String
  var headingPath: [String]
  var level: Int
  var lineStart: Int
  var lineEnd: Int
  var text: String
  var citations: [PolicyCitation]
  var number: String
}
