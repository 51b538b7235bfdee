import ZhisouAnalysis
import ZhisouCorpus

/// Inverts analysed units in memory and writes them as one immutable segment file.
///
/// Postings accumulate per term as varint streams (unit delta, tf, position deltas);
/// `write` sorts the terms by their bytes and lays out dictionary blocks, postings
/// blocks with skip headers and block maxima, stored units, norms and documents.
final class SegmentWriter {
  /// Term → id, one table per field (title, body): terms of up to 8 UTF-8 bytes (CJK
  /// bigrams, most numbers) keyed by their bytes packed in an integer, which hashes far
  /// cheaper than a String; longer terms by String.
  private var shortIds: [PackedTermTable] = [PackedTermTable(), PackedTermTable()]
  private var longIds: [[String: Int32]] = [[:], [:]]
  private var keys: [String] = []
  /// Per term: its postings so far, as (unit delta, tf, positions) varint records, in
  /// manually grown buffers (no per-append copy-on-write or exclusivity checks).
  private var buffers: [TermBuffer] = []
  private var lastUnit: [Int32] = []
  private var encoded = ByteWriter()
  private var documentFrequency: [Int32] = []

  private var unitRecords = ByteWriter()
  private var unitOffsets: [UInt64] = []
  private var unitChecksums: [UInt32] = []
  private var norms: [UInt32] = []  // title, body per unit
  private var documents = ByteWriter()
  private(set) var documentCount = 0
  private(set) var unitCount: Int32 = 0
  private(set) var postingCount = 0
  private var scratch: [UInt64] = []

  /// Rough memory held, to decide when to flush.
  var estimatedBytes: Int {
    unitRecords.count + keys.count * 120 + postingCount * 2 + norms.count * 4
  }

  var termCount: Int { keys.count }

  deinit {
    for buffer in buffers { buffer.base?.deallocate() }
  }

  /// A term's bytes packed little-endian into an integer, when there are at most 8
  /// (UTF-8 has no zero bytes in terms, so the padding is unambiguous).
  @inline(__always)
  private static func packed(_ term: String) -> UInt64? {
    var key: UInt64 = 0
    var n: UInt64 = 0
    for byte in term.utf8 {
      if n == 8 { return nil }
      key |= UInt64(byte) << (8 * n)
      n += 1
    }
    return key
  }

  private func newTerm(_ term: String, field: Field) -> Int32 {
    let id = Int32(keys.count)
    keys.append((field == .title ? "t" : "b") + term)
    buffers.append(TermBuffer())
    lastUnit.append(-1)
    documentFrequency.append(0)
    return id
  }

  /// Adds a document and its units; returns the document's number in this segment.
  @discardableResult
  func add(
    metadata: DocumentMetadata, contentHash: UInt64, byteCount: Int, modified: Int64,
    units: [IndexedUnit]
  ) -> Int {
    let documentNumber = documentCount
    documentCount += 1
    documents.string(metadata.file)
    documents.string(metadata.title)
    documents.string(metadata.region)
    documents.string(metadata.province)
    documents.varint(metadata.year.map { $0 + 1 } ?? 0)
    documents.string(metadata.kind)
    documents.varint(metadata.notes.count)
    for note in metadata.notes { documents.string(note) }
    documents.u64(contentHash)
    documents.varint(byteCount)
    documents.u64(UInt64(bitPattern: modified))
    documents.varint(unitCount)
    documents.varint(units.count)
    for indexed in units {
      addUnit(indexed, document: documentNumber)
    }
    return documentNumber
  }

  private func addUnit(_ indexed: IndexedUnit, document: Int) {
    let id = unitCount
    unitCount += 1
    var record = ByteWriter()
    let unit = indexed.unit
    record.varint(document)
    record.u8(unitKindCode(unit.kind))
    record.varint(unit.level)
    record.varint(unit.lineStart)
    record.varint(unit.lineEnd)
    record.string(unit.title)
    record.varint(unit.headingPath.count)
    for part in unit.headingPath { record.string(part) }
    record.string(unit.text)
    record.varint(indexed.citations.count)
    for citation in indexed.citations {
      record.string(citation.title)
      record.string(citation.documentNumber ?? "")
      record.string(citation.issuerCode ?? "")
      // 0 = none, else value + 1: 0号 is a real document number.
      record.varint(citation.year.map { $0 + 1 } ?? 0)
      record.varint(citation.number.map { $0 + 1 } ?? 0)
    }
    record.string(unit.number)
    unitOffsets.append(UInt64(unitRecords.count))
    unitChecksums.append(Checksum.crc32(record.bytes))
    unitRecords.raw(record.bytes)
    norms.append(UInt32(indexed.titleLength))
    norms.append(UInt32(indexed.bodyLength))
    invert(indexed.titleTokens, field: .title, unit: id)
    invert(indexed.bodyTokens, field: .body, unit: id)
  }

  private func invert(_ tokens: [Token], field: Field, unit: Int32) {
    guard !tokens.isEmpty else { return }
    // (term id << 32 | position), sorted: groups each term's positions in order.
    var scratch = self.scratch
    self.scratch = []
    scratch.removeAll(keepingCapacity: true)
    defer { self.scratch = scratch }
    let f = field == .title ? 0 : 1
    // Work on moved-out locals: one exclusivity check per call, not per token.
    var short = shortIds[f]
    var long = longIds[f]
    shortIds[f] = PackedTermTable()
    longIds[f] = [:]
    for token in tokens {
      let id: Int32
      if let key = Self.packed(token.term) {
        if let known = short.find(key) {
          id = known
        } else {
          id = newTerm(token.term, field: field)
          short.insert(key, id)
        }
      } else if let known = long[token.term] {
        id = known
      } else {
        id = newTerm(token.term, field: field)
        long[token.term] = id
      }
      scratch.append(UInt64(UInt32(id)) << 32 | UInt64(UInt32(bitPattern: token.position)))
    }
    shortIds[f] = short
    longIds[f] = long
    scratch.sort()
    var buffers = self.buffers
    var lastUnit = self.lastUnit
    var documentFrequency = self.documentFrequency
    self.buffers = []
    self.lastUnit = []
    self.documentFrequency = []
    var encoded = self.encoded
    var postings = 0
    var i = 0
    while i < scratch.count {
      let term = scratch[i] >> 32
      // Count distinct positions first: the record is unit delta, tf, positions.
      var j = i
      var tf = 0
      var previous: UInt64 = .max
      while j < scratch.count, scratch[j] >> 32 == term {
        let position = scratch[j] & 0xFFFF_FFFF
        if position != previous { tf += 1 }
        previous = position
        j += 1
      }
      let t = Int(term)
      encoded.bytes.removeAll(keepingCapacity: true)
      encoded.varint(unit - lastUnit[t] - 1)
      encoded.varint(tf)
      previous = .max
      for k in i..<j {
        let position = scratch[k] & 0xFFFF_FFFF
        guard position != previous else { continue }
        // First position absolute, then deltas.
        encoded.varint(previous == .max ? position : position - previous)
        previous = position
      }
      encoded.bytes.withUnsafeBufferPointer { buffers[t].append($0) }
      lastUnit[t] = unit
      documentFrequency[t] += 1
      postings += tf
      i = j
    }
    self.buffers = buffers
    self.lastUnit = lastUnit
    self.documentFrequency = documentFrequency
    self.encoded = encoded
    postingCount += postings
  }

  /// Writes the segment to `path` (not yet fsynced: the builder syncs before committing).
  func write(to path: String) throws(IndexError) {
    var dictionaryIndex = ByteWriter()
    var dictionaryBlocks = ByteWriter()
    var postings = ByteWriter()
    var keyArea = ByteWriter()
    var blockEntries: [(offset: UInt32, length: UInt32, crc: UInt32, keyOffset: UInt32, keyLength: UInt32)] = []

    let order = keys.indices.sorted { a, b in
      keys[a].utf8.lexicographicallyPrecedes(keys[b].utf8)
    }
    var block = ByteWriter()
    var blockCount = 0
    var previousKey: [UInt8] = []
    var blockFirstKey: [UInt8] = []
    func flushBlock() {
      guard blockCount > 0 else { return }
      var framed = ByteWriter()
      framed.varint(blockCount)
      framed.raw(block.bytes)
      blockEntries.append(
        (
          UInt32(dictionaryBlocks.count), UInt32(framed.count), Checksum.crc32(framed.bytes),
          UInt32(keyArea.count), UInt32(blockFirstKey.count)
        ))
      keyArea.raw(blockFirstKey)
      dictionaryBlocks.raw(framed.bytes)
      block = ByteWriter()
      blockCount = 0
    }
    for t in order {
      let key = Array(keys[t].utf8)
      if blockCount == IndexFormat.termsPerBlock { flushBlock() }
      if blockCount == 0 {
        blockFirstKey = key
        previousKey = []
      }
      var shared = 0
      while shared < key.count, shared < previousKey.count, key[shared] == previousKey[shared] {
        shared += 1
      }
      let start = postings.count
      let (maxTf, minLength) = writePostings(t, field: key[0] == UInt8(ascii: "t") ? 0 : 1, into: &postings)
      let length = postings.count - start
      let crc = postings.bytes.withUnsafeBytes {
        Checksum.crc32(UnsafeRawBufferPointer(rebasing: $0[start..<(start + length)]))
      }
      block.varint(shared)
      block.varint(key.count - shared)
      block.raw(key[shared...])
      block.varint(documentFrequency[t])
      block.varint(start)
      block.varint(length)
      block.u32(crc)
      block.varint(maxTf)
      block.varint(minLength)
      previousKey = key
      blockCount += 1
    }
    flushBlock()
    dictionaryIndex.u32(UInt32(blockEntries.count))
    for entry in blockEntries {
      dictionaryIndex.u32(entry.offset)
      dictionaryIndex.u32(entry.length)
      dictionaryIndex.u32(entry.crc)
      dictionaryIndex.u32(entry.keyOffset)
      dictionaryIndex.u32(entry.keyLength)
    }
    dictionaryIndex.raw(keyArea.bytes)

    var units = ByteWriter()
    units.u32(UInt32(unitCount))
    for i in 0..<Int(unitCount) {
      units.u64(unitOffsets[i])
      units.u32(unitChecksums[i])
    }
    units.raw(unitRecords.bytes)

    var normsSection = ByteWriter()
    let chunk = IndexFormat.normsChunk
    let chunkCount = (Int(unitCount) + chunk - 1) / chunk
    normsSection.u32(UInt32(unitCount))
    normsSection.u32(UInt32(chunkCount))
    var normBytes = ByteWriter()
    for v in norms { normBytes.u32(v) }
    for c in 0..<chunkCount {
      let from = c * chunk * 8
      let to = min(normBytes.count, from + chunk * 8)
      let crc = normBytes.bytes.withUnsafeBytes {
        Checksum.crc32(UnsafeRawBufferPointer(rebasing: $0[from..<to]))
      }
      normsSection.u32(crc)
    }
    normsSection.raw(normBytes.bytes)

    var documentsSection = ByteWriter()
    documentsSection.varint(documentCount)
    documentsSection.raw(documents.bytes)

    let sections = [
      dictionaryIndex, dictionaryBlocks, postings, units, normsSection, documentsSection,
    ]
    var header = ByteWriter()
    header.raw(IndexFormat.segmentMagic)
    header.u32(IndexFormat.version)
    header.u32(UInt32(sections.count))
    var offset = UInt64(IndexFormat.headerSize)
    for section in sections {
      header.u64(offset)
      header.u64(UInt64(section.count))
      header.u32(Checksum.crc32(section.bytes))
      offset += UInt64(section.count)
    }
    header.u32(Checksum.crc32(header.bytes))
    try FileWriting.write(path: path, parts: [header.bytes] + sections.map(\.bytes))
  }

  /// Re-encodes one term's accumulated postings into blocks with skip headers.
  private func writePostings(_ t: Int, field: Int, into out: inout ByteWriter) -> (Int, Int) {
    // The term's records, in unit order, out of the log.
    var units: [Int] = []
    var frequencies: [Int] = []
    var positions: [Int] = []
    var unit = -1
    let record = buffers[t].bytes
    defer { buffers[t].release() }
    var r = 0
    func next() -> Int {
      var v = 0
      var shift = 0
      while true {
        let b = record[r]
        r += 1
        v |= Int(b & 0x7F) << shift
        if b < 0x80 { return v }
        shift += 7
      }
    }
    for _ in 0..<Int(documentFrequency[t]) {
      unit += next() + 1
      let tf = next()
      units.append(unit)
      frequencies.append(tf)
      for _ in 0..<tf { positions.append(next()) }
    }
    var headers = ByteWriter()
    var data = ByteWriter()
    var termMaxTf = 0
    var termMinLength = Int.max
    let blockCount = (units.count + IndexFormat.unitsPerBlock - 1) / IndexFormat.unitsPerBlock
    var previousBlockLast = -1
    var p = 0
    var docs = ByteWriter()
    var positionBytes = ByteWriter()
    for b in 0..<blockCount {
      let from = b * IndexFormat.unitsPerBlock
      let to = min(units.count, from + IndexFormat.unitsPerBlock)
      docs.bytes.removeAll(keepingCapacity: true)
      positionBytes.bytes.removeAll(keepingCapacity: true)
      var maxTf = 0
      var minLength = Int.max
      var blockPrevious = previousBlockLast
      for k in from..<to {
        let u = units[k]
        let tf = frequencies[k]
        docs.varint(u - blockPrevious - 1)
        docs.varint(tf)
        blockPrevious = u
        for _ in 0..<tf {
          positionBytes.varint(positions[p])
          p += 1
        }
        maxTf = max(maxTf, tf)
        minLength = min(minLength, Int(norms[u * 2 + field]))
      }
      headers.varint(units[to - 1])
      headers.varint(to - from)
      headers.varint(docs.count)
      headers.varint(positionBytes.count)
      headers.varint(maxTf)
      headers.varint(minLength)
      data.raw(docs.bytes)
      data.raw(positionBytes.bytes)
      previousBlockLast = units[to - 1]
      termMaxTf = max(termMaxTf, maxTf)
      termMinLength = min(termMinLength, minLength)
    }
    out.varint(blockCount)
    out.raw(headers.bytes)
    out.raw(data.bytes)
    return (termMaxTf, termMinLength == Int.max ? 0 : termMinLength)
  }
}

func unitKindCode(_ kind: UnitKind) -> UInt8 {
  switch kind {
  case .section: return 0
  case .case: return 1
  case .policy: return 2
  }
}

func unitKind(code: UInt8) -> UnitKind? {
  switch code {
  case 0: return .section
  case 1: return .case
  case 2: return .policy
  default: return nil
  }
}

/// A growable byte buffer for one term's postings while a segment is built.
struct TermBuffer {
  var base: UnsafeMutablePointer<UInt8>? = nil
  var count = 0
  var capacity = 0

  @inline(__always)
  mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    if count + bytes.count > capacity {
      let grown = max(16, capacity * 2, count + bytes.count)
      let new = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
      if let base {
        new.update(from: base, count: count)
        base.deallocate()
      }
      base = new
      capacity = grown
    }
    if let source = bytes.baseAddress, let base {
      // Records are a few bytes: a plain loop beats a memmove call.
      let target = base + count
      for i in 0..<bytes.count { target[i] = source[i] }
    }
    count += bytes.count
  }

  /// The bytes so far (valid until the next append or release).
  var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

  mutating func release() {
    base?.deallocate()
    base = nil
    count = 0
    capacity = 0
  }
}

/// Open-addressing hash table from packed short terms to term ids: a multiplicative hash
/// of one integer instead of SipHash, linear probing, grown at half full.
struct PackedTermTable {
  private var keys: [UInt64] = [UInt64](repeating: 0, count: 1024)
  private var values: [Int32] = [Int32](repeating: -1, count: 1024)
  private var count = 0

  @inline(__always)
  private static func slot(_ key: UInt64, _ mask: Int) -> Int {
    Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
  }

  /// The id of `key` (never 0: packed terms have a non-zero first byte).
  @inline(__always)
  func find(_ key: UInt64) -> Int32? {
    let mask = keys.count - 1
    var i = Self.slot(key, mask)
    while true {
      let k = keys[i]
      if k == key { return values[i] }
      if k == 0 { return nil }
      i = (i + 1) & mask
    }
  }

  mutating func insert(_ key: UInt64, _ value: Int32) {
    if (count + 1) * 2 > keys.count { grow() }
    let mask = keys.count - 1
    var i = Self.slot(key, mask)
    while keys[i] != 0 && keys[i] != key { i = (i + 1) & mask }
    if keys[i] == 0 { count += 1 }
    keys[i] = key
    values[i] = value
  }

  private mutating func grow() {
    let oldKeys = keys
    let oldValues = values
    keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
    values = [Int32](repeating: -1, count: oldKeys.count * 2)
    count = 0
    for (k, v) in zip(oldKeys, oldValues) where k != 0 { insert(k, v) }
  }
}
