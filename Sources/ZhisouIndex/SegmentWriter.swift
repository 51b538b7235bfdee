import ZhisouAnalysis
import ZhisouCorpus

/// Inverts analysed units in memory and writes them as one immutable segment file.
///
/// Postings accumulate per term as varint streams (unit delta, tf, position deltas);
/// `write` sorts the terms by their bytes and lays out dictionary blocks, postings
/// blocks with skip headers and block impacts (unit gaps and tfs bit-packed), stored
/// units, norms and documents.
final class SegmentWriter {
  /// Term → id, one table per field (title, body): terms of up to 8 UTF-8 bytes (CJK
  /// bigrams, most numbers) by their packed bytes (`Token.key`), which hash far cheaper
  /// than a String; longer terms by their UTF-8 bytes (`TermBytes`).
  private var shortIds: [PackedTermTable] = [PackedTermTable(), PackedTermTable()]
  private var longIds: [[TermBytes: Int32]] = [[:], [:]]
  private var keys: [String] = []
  /// Per term: its postings so far, as (unit delta, tf, positions) varint records, in
  /// manually grown buffers (no per-append copy-on-write or exclusivity checks), with
  /// the rest of the term's state beside them.
  private var buffers: [TermBuffer] = []
  /// Per-unit scratch of `invert`: the packed key and term id of every token.
  private var tokenKeys: [UInt64] = []
  private var tokenIds: [Int32] = []
  /// Tokens inverted but not yet appended to their terms' buffers (`TokenBatch`).
  private var batch: TokenBatch

  // Scratch of `writePostings`, reused from term to term.
  private var recordUnits: [Int] = []
  private var recordFrequencies: [Int] = []
  private var recordPositions: [Range<Int>] = []
  private var blockHeaders = ByteWriter()
  private var blockDocs = ByteWriter()
  /// A block's unit gaps and tf − 1, before they are bit-packed (`BitPacking`).
  private var gaps = [UInt32](repeating: 0, count: IndexFormat.unitsPerBlock)
  private var extraFrequencies = [UInt32](repeating: 0, count: IndexFormat.unitsPerBlock)
  private var impacts = BlockImpacts()

  private var unitRecords = ByteWriter()
  /// The postings section as `write` lays it out (kept for `makeNext`).
  private var postingsArea = ByteWriter()
  private var unitOffsets: [UInt64] = []
  private var unitChecksums: [UInt32] = []
  private var norms: [UInt32] = []  // title (and kind), body per unit
  private var documentRecords = ByteWriter()
  /// Per document: first unit, record offset, record crc.
  private var documentEntries: [(firstUnit: UInt32, offset: UInt64, crc: UInt32)] = []
  var documentCount: Int { documentEntries.count }
  private(set) var unitCount: Int32 = 0
  private(set) var postingCount = 0
  /// Corpus bytes of the documents, and slots of the units' title and body fields
  /// (before the norms clamp titles), for the build's report and statistics.
  private(set) var corpusBytes = 0
  private(set) var titleLength = 0
  private(set) var bodyLength = 0

  /// `unitRecordCapacity` reserves room for the stored units up front, so they are not
  /// copied (and their new pages zeroed) each time they would double; pages never
  /// written are never mapped, so an unused reservation costs nothing.
  init(tokenBatchCapacity: Int = TokenBatch.defaultCapacity, unitRecordCapacity: Int = 0) {
    batch = TokenBatch(capacity: tokenBatchCapacity)
    unitRecords.reserve(unitRecordCapacity)
  }

  /// A writer for the next segment, once this one is written (`write`), that takes over
  /// its largest buffers (stored units, postings) and its token batch: their pages stay
  /// mapped, where fresh ones cost the kernel a zeroed page per 4 KB written.
  func makeNext() -> SegmentWriter {
    precondition(batch.count == 0, "makeNext() before write(to:)")
    let next = SegmentWriter(tokenBatchCapacity: batch.capacity)
    // Swapped, not copied: a cleared copy of a shared array gets a buffer of its own.
    swap(&next.batch, &batch)
    swap(&next.unitRecords, &unitRecords)
    swap(&next.postingsArea, &postingsArea)
    next.unitRecords.bytes.removeAll(keepingCapacity: true)
    next.postingsArea.bytes.removeAll(keepingCapacity: true)
    return next
  }

  /// Rough memory held, to decide when to flush.
  var estimatedBytes: Int {
    unitRecords.count + keys.count * 120 + (postingCount + batch.count) * 2 + norms.count * 4
  }

  var termCount: Int { keys.count }

  deinit {
    for buffer in buffers { buffer.base?.deallocate() }
  }

  private func newTerm(_ term: String, field: Field, buffers: inout [TermBuffer]) -> Int32 {
    let id = Int32(keys.count)
    keys.append((field == .title ? "t" : "b") + term)
    buffers.append(TermBuffer())
    return id
  }

  /// Starts a document, whose units follow with `addUnit`; returns its number in this
  /// segment. (Units are added one by one as they are analysed, so a unit's tokens are
  /// inverted while they are still in the cache.)
  func beginDocument(
    metadata: DocumentMetadata, contentHash: UInt64, byteCount: Int, modified: Int64
  ) -> Int {
    let documentNumber = documentCount
    corpusBytes += byteCount
    var record = ByteWriter()
    record.string(metadata.file)
    record.string(metadata.title)
    record.string(metadata.region)
    record.string(metadata.province)
    record.varint(metadata.year.map { $0 + 1 } ?? 0)
    record.string(metadata.kind)
    record.varint(metadata.notes.count)
    for note in metadata.notes { record.string(note) }
    record.u64(contentHash)
    record.varint(byteCount)
    record.u64(UInt64(bitPattern: modified))
    documentEntries.append(
      (UInt32(unitCount), UInt64(documentRecords.count), Checksum.crc32c(record.bytes)))
    documentRecords.raw(record.bytes)
    return documentNumber
  }

  /// Adds a unit of document `document` (the one begun last).
  func addUnit(_ indexed: IndexedUnit, document: Int) {
    let id = unitCount
    unitCount += 1
    titleLength += Int(indexed.titleLength)
    bodyLength += Int(indexed.bodyLength)
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
    unitChecksums.append(Checksum.crc32c(record.bytes))
    unitRecords.raw(record.bytes)
    // The kind and the demoted flag ride in the title entry's top byte: a kind
    // filter or the scorer reads 8 bytes per unit, not every stored record.
    norms.append(
      UInt32(clamping: min(Int(indexed.titleLength), IndexFormat.maxTitleLength))
        | UInt32(unitKindCode(unit.kind)) << 24 | (indexed.isDemoted ? IndexFormat.demotedFlag : 0))
    norms.append(UInt32(indexed.bodyLength))
    invert(indexed.titleTokens, field: .title, unit: id)
    invert(indexed.bodyTokens, field: .body, unit: id)
  }

  private func invert(_ tokens: [Token], field: Field, unit: Int32) {
    guard !tokens.isEmpty else { return }
    let f = field == .title ? 0 : 1
    // Work on moved-out locals: one exclusivity check per call, not per token.
    var short = shortIds[f]
    var long = longIds[f]
    // (A shared placeholder: a fresh table would allocate and clear 16 KB per call.)
    shortIds[f] = PackedTermTable.placeholder
    longIds[f] = [:]
    var buffers = self.buffers
    var tokenKeys = self.tokenKeys
    var tokenIds = self.tokenIds
    self.buffers = []
    self.tokenKeys = []
    self.tokenIds = []
    tokenKeys.removeAll(keepingCapacity: true)

    // Term ids. The term table is bigger than the cache: probing all of the unit's
    // tokens in one loop of independent loads lets the CPU overlap the misses.
    for token in tokens { tokenKeys.append(token.key) }
    short.probe(tokenKeys, into: &tokenIds)
    for k in tokens.indices where tokenIds[k] < 0 {
      let key = tokenKeys[k]
      if key != 0 {
        if let known = short.find(key) {
          tokenIds[k] = known
        } else {
          tokenIds[k] = newTerm(tokens[k].term, field: field, buffers: &buffers)
          short.insert(key, tokenIds[k])
        }
        continue
      }
      let term = tokens[k].term
      if let known = long[TermBytes(term)] {
        tokenIds[k] = known
      } else {
        tokenIds[k] = newTerm(term, field: field, buffers: &buffers)
        long[TermBytes(term)] = tokenIds[k]
      }
    }
    shortIds[f] = short
    longIds[f] = long
    batch.append(terms: tokenIds, unit: unit, tokens: tokens)
    self.tokenKeys = tokenKeys
    self.tokenIds = tokenIds
    self.buffers = buffers
    if batch.isFull { appendBatch() }
  }

  /// Appends the batched tokens to their terms' buffers, one record per term and unit:
  /// unit delta, tf (distinct positions), positions (the first absolute, then deltas).
  /// Sorted by term, the batch touches each term's buffer once, not once per unit: the
  /// buffers are far bigger than the cache, and a miss per term and unit was the
  /// largest cost of a build.
  private func appendBatch() {
    guard batch.count > 0 else { return }
    var buffers = self.buffers
    self.buffers = []
    postingCount += batch.drain(termCount: keys.count) { term, units, positions in
      let t = Int(term)
      var previousUnit = buffers[t].previousUnit
      var documentFrequency = buffers[t].documentFrequency
      var postings = 0
      var k = 0
      while k < units.count {
        let unit = units[k]
        var end = k + 1
        var tf = 1
        while end < units.count, units[end] == unit {
          // Tokens come in slot order; a repeated slot (a compound equal to its
          // bigram) counts once.
          if positions[end] != positions[end - 1] { tf += 1 }
          end += 1
        }
        buffers[t].reserve(10 + 5 * tf)
        buffers[t].varint(Int(unit - previousUnit - 1))
        buffers[t].varint(tf)
        var previous: Int32 = -1
        for j in k..<end where positions[j] != previous {
          buffers[t].varint(Int(previous < 0 ? positions[j] : positions[j] - previous))
          previous = positions[j]
        }
        previousUnit = unit
        documentFrequency += 1
        postings += tf
        k = end
      }
      buffers[t].previousUnit = previousUnit
      buffers[t].documentFrequency = documentFrequency
      return postings
    }
    self.buffers = buffers
  }

  /// Writes the segment to `path` (not yet fsynced: the builder syncs before committing).
  func write(to path: String) throws(IndexError) {
    appendBatch()
    var dictionaryIndex = ByteWriter()
    var dictionaryBlocks = ByteWriter()
    var postings = postingsArea
    postingsArea = ByteWriter()
    postings.bytes.removeAll(keepingCapacity: true)
    defer { postingsArea = postings }
    var keyArea = ByteWriter()
    var blockEntries:
      [(offset: UInt32, length: UInt32, crc: UInt32, keyOffset: UInt32, keyLength: UInt32)] = []

    let order = keys.indices.sorted { a, b in
      keys[a].utf8.lexicographicallyPrecedes(keys[b].utf8)
    }
    // Room for every term's postings at once (no regrowth copies): the blocks hold the
    // logs' positions as they are, their units and tfs in fewer bytes, and headers.
    postings.reserve(buffers.reduce(0) { $0 + $1.count } + 24 * keys.count)
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
          UInt32(dictionaryBlocks.count), UInt32(framed.count), Checksum.crc32c(framed.bytes),
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
      let (maxTf, minLength, checked) = writePostings(
        t, field: key[0] == UInt8(ascii: "t") ? 0 : 1, into: &postings)
      let length = postings.count - start
      let crc = postings.bytes.withUnsafeBytes {
        Checksum.crc32c(UnsafeRawBufferPointer(rebasing: $0[start..<(start + checked)]))
      }
      block.varint(shared)
      block.varint(key.count - shared)
      block.raw(key[shared...])
      block.varint(buffers[t].documentFrequency)
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

    // Sections are written as the buffers they were built in (a table, then its
    // records), never copied into one: the unit records alone are a third of a
    // segment, and a copy of them was a page fault per 4 KB.
    var unitTable = ByteWriter()
    unitTable.reserve(4 + 12 * Int(unitCount))
    unitTable.u32(UInt32(unitCount))
    for i in 0..<Int(unitCount) {
      unitTable.u64(unitOffsets[i])
      unitTable.u32(unitChecksums[i])
    }

    var normsTable = ByteWriter()
    let chunk = IndexFormat.normsChunk
    let chunkCount = (Int(unitCount) + chunk - 1) / chunk
    normsTable.u32(UInt32(unitCount))
    normsTable.u32(UInt32(chunkCount))
    // The entries as stored: u32 little-endian, as this host's integers are.
    let normBytes = norms.map { $0.littleEndian }.withUnsafeBytes { [UInt8]($0) }
    for c in 0..<chunkCount {
      let from = c * chunk * 8
      let to = min(normBytes.count, from + chunk * 8)
      let crc = normBytes.withUnsafeBytes {
        Checksum.crc32c(UnsafeRawBufferPointer(rebasing: $0[from..<to]))
      }
      normsTable.u32(crc)
    }

    var documentTable = ByteWriter()
    for entry in documentEntries {
      documentTable.u32(entry.firstUnit)
      documentTable.u64(entry.offset)
      documentTable.u32(entry.crc)
    }
    var documentsHead = ByteWriter()
    documentsHead.u32(UInt32(documentCount))
    documentsHead.u32(Checksum.crc32c(documentTable.bytes))

    let sections: [[[UInt8]]] = [
      [dictionaryIndex.bytes, keyArea.bytes], [dictionaryBlocks.bytes], [postings.bytes],
      [unitTable.bytes, unitRecords.bytes], [normsTable.bytes, normBytes],
      [documentsHead.bytes, documentTable.bytes, documentRecords.bytes],
    ]
    var header = ByteWriter()
    header.raw(IndexFormat.segmentMagic)
    header.u32(IndexFormat.version)
    header.u32(UInt32(sections.count))
    var offset = UInt64(IndexFormat.headerSize)
    for parts in sections {
      let count = parts.reduce(0) { $0 + $1.count }
      header.u64(offset)
      header.u64(UInt64(count))
      header.u32(Checksum.crc32c(parts: parts))
      offset += UInt64(count)
    }
    header.u32(Checksum.crc32c(header.bytes))
    try FileWriting.write(path: path, parts: [header.bytes] + sections.joined())
  }

  /// Re-encodes one term's accumulated postings into blocks with skip headers; returns
  /// the term's largest tf, its shortest field, and how many of the bytes written the
  /// dictionary's checksum covers (all of one block; the headers of several).
  private func writePostings(_ t: Int, field: Int, into out: inout ByteWriter) -> (
    maxTf: Int, minLength: Int, checksummed: Int
  ) {
    let regionStart = out.count
    // The term's records, in unit order, out of the log. A record's positions are kept
    // as the byte range they occupy in the log: the block stores the same varints.
    var units = recordUnits
    var frequencies = recordFrequencies
    var positions = recordPositions
    var headers = blockHeaders
    var docs = blockDocs
    var gaps = self.gaps
    var extraFrequencies = self.extraFrequencies
    self.gaps = []
    self.extraFrequencies = []
    recordUnits = []
    recordFrequencies = []
    recordPositions = []
    blockHeaders = ByteWriter()
    blockDocs = ByteWriter()
    units.removeAll(keepingCapacity: true)
    frequencies.removeAll(keepingCapacity: true)
    positions.removeAll(keepingCapacity: true)
    headers.bytes.removeAll(keepingCapacity: true)
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
    var unit = -1
    for _ in 0..<Int(buffers[t].documentFrequency) {
      unit += next() + 1
      let tf = next()
      units.append(unit)
      frequencies.append(tf)
      let start = r
      for _ in 0..<tf {
        while record[r] >= 0x80 { r += 1 }
        r += 1
      }
      positions.append(start..<r)
    }
    var termMaxTf = 0
    var termMinLength = Int.max
    let blockCount = (units.count + IndexFormat.unitsPerBlock - 1) / IndexFormat.unitsPerBlock
    var previousBlockLast = -1
    // Headers first, then every block's docs and positions: sizes are known up front.
    var blockDocBytes: [(from: Int, to: Int, docs: Range<Int>)] = []
    blockDocBytes.reserveCapacity(blockCount)
    // A list of several blocks checks each block on its own (a query decodes only the
    // blocks it needs), so its dictionary checksum covers the headers alone.
    var blockChecksumOffsets: [Int] = []
    docs.bytes.removeAll(keepingCapacity: true)
    for b in 0..<blockCount {
      let from = b * IndexFormat.unitsPerBlock
      let to = min(units.count, from + IndexFormat.unitsPerBlock)
      let docsStart = docs.count
      var positionCount = 0
      var maxTf = 0
      var minLength = Int.max
      var blockPrevious = previousBlockLast
      impacts.clear()
      for k in from..<to {
        let u = units[k]
        let tf = frequencies[k]
        gaps[k - from] = UInt32(u - blockPrevious - 1)
        extraFrequencies[k - from] = UInt32(tf - 1)
        blockPrevious = u
        positionCount += positions[k].count
        let length = Int(norms[u * 2 + field] & (field == 0 ? IndexFormat.titleLengthMask : ~0))
        maxTf = max(maxTf, tf)
        minLength = min(minLength, length)
        let entry = norms[u * 2]
        impacts.add(
          tf: tf, length: length,
          impactClass: IndexFormat.impactClass(
            kind: entry >> 24 & IndexFormat.kindMask,
            demoted: entry & IndexFormat.demotedFlag != 0))
      }
      gaps.withUnsafeBufferPointer {
        BitPacking.pack(UnsafeBufferPointer(rebasing: $0[0..<(to - from)]), into: &docs)
      }
      extraFrequencies.withUnsafeBufferPointer {
        BitPacking.pack(UnsafeBufferPointer(rebasing: $0[0..<(to - from)]), into: &docs)
      }
      headers.varint(units[to - 1])
      headers.varint(to - from)
      headers.varint(docs.count - docsStart)
      headers.varint(positionCount)
      impacts.write(into: &headers)
      if blockCount > 1 {
        // The block's checksum, filled in once its bytes are laid out below.
        blockChecksumOffsets.append(headers.count)
        headers.u32(0)
      }
      blockDocBytes.append((from, to, docsStart..<docs.count))
      previousBlockLast = units[to - 1]
      termMaxTf = max(termMaxTf, maxTf)
      termMinLength = min(termMinLength, minLength)
    }
    out.varint(blockCount)
    let headersStart = out.count
    out.raw(headers.bytes)
    // Every block's docs and positions, copied into room made once: a unit's positions
    // are a few bytes, and an append call per unit cost more than the copy.
    var total = docs.count
    for range in positions { total += range.count }
    let start = out.count
    out.bytes.append(contentsOf: repeatElement(0, count: total))
    out.bytes.withUnsafeMutableBufferPointer { destination in
      docs.bytes.withUnsafeBufferPointer { docBytes in
        guard let to = destination.baseAddress, let docBase = docBytes.baseAddress,
          let recordBase = record.baseAddress
        else { return }
        var at = start
        for (b, block) in blockDocBytes.enumerated() {
          let blockStart = at
          (to + at).update(from: docBase + block.docs.lowerBound, count: block.docs.count)
          at += block.docs.count
          for k in block.from..<block.to {
            let range = positions[k]
            (to + at).update(from: recordBase + range.lowerBound, count: range.count)
            at += range.count
          }
          if !blockChecksumOffsets.isEmpty {
            let crc = Checksum.crc32c(
              UnsafeRawBufferPointer(start: to + blockStart, count: at - blockStart))
            UnsafeMutableRawPointer(to + headersStart + blockChecksumOffsets[b])
              .storeBytes(of: crc.littleEndian, as: UInt32.self)
          }
        }
      }
    }
    recordUnits = units
    recordFrequencies = frequencies
    recordPositions = positions
    blockHeaders = headers
    blockDocs = docs
    self.gaps = gaps
    self.extraFrequencies = extraFrequencies
    return (
      termMaxTf, termMinLength == Int.max ? 0 : termMinLength,
      blockCount > 1 ? headersStart + headers.count - regionStart : out.count - regionStart
    )
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

/// One term's postings while a segment is built: a growable byte buffer of its records,
/// and the term's bookkeeping beside it.
struct TermBuffer {
  var base: UnsafeMutablePointer<UInt8>? = nil
  var count = 0
  var capacity = 0
  /// Units holding the term so far, and the last one.
  var documentFrequency: Int32 = 0
  var previousUnit: Int32 = -1

  /// Makes room for `extra` more bytes.
  @inline(__always)
  mutating func reserve(_ extra: Int) {
    guard count + extra > capacity else { return }
    let grown = max(16, capacity * 2, count + extra)
    let new = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
    if let base {
      new.update(from: base, count: count)
      base.deallocate()
    }
    base = new
    capacity = grown
  }

  /// Appends `value` as a LEB128 varint (room reserved by the caller).
  @inline(__always)
  mutating func varint(_ value: Int) {
    guard let base else { return }
    var v = UInt(bitPattern: value)
    while v >= 0x80 {
      base[count] = UInt8(truncatingIfNeeded: v) | 0x80
      count += 1
      v >>= 7
    }
    base[count] = UInt8(v)
    count += 1
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
/// of one integer instead of SipHash, linear probing, grown at half full; key and id
/// side by side, so a lookup touches one cache line.
struct PackedTermTable {
  private struct Entry {
    var key: UInt64
    var value: Int32
  }
  private var entries = [Entry](repeating: Entry(key: 0, value: -1), count: 1024)
  private var count = 0

  /// An empty table to park in a field's slot while `invert` works on the real one.
  static let placeholder = PackedTermTable()

  @inline(__always)
  private static func slot(_ key: UInt64, _ mask: Int) -> Int {
    Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
  }

  /// The id of `key` (never 0: packed terms have a non-zero first byte).
  @inline(__always)
  func find(_ key: UInt64) -> Int32? {
    let mask = entries.count - 1
    var i = Self.slot(key, mask)
    while true {
      let entry = entries[i]
      if entry.key == key { return entry.value }
      if entry.key == 0 { return nil }
      i = (i + 1) & mask
    }
  }

  /// Each key's id where the first slot probed holds it, else -1 (then `find`): one loop
  /// of independent loads, whose cache misses the CPU overlaps.
  func probe(_ keys: [UInt64], into ids: inout [Int32]) {
    ids.removeAll(keepingCapacity: true)
    let mask = entries.count - 1
    entries.withUnsafeBufferPointer { table in
      for key in keys {
        let entry = table[Self.slot(key, mask)]
        ids.append(entry.key == key ? entry.value : -1)
      }
    }
  }

  mutating func insert(_ key: UInt64, _ value: Int32) {
    if (count + 1) * 2 > entries.count { grow() }
    let mask = entries.count - 1
    var i = Self.slot(key, mask)
    while entries[i].key != 0 && entries[i].key != key { i = (i + 1) & mask }
    if entries[i].key == 0 { count += 1 }
    entries[i] = Entry(key: key, value: value)
  }

  private mutating func grow() {
    let old = entries
    entries = [Entry](repeating: Entry(key: 0, value: -1), count: old.count * 2)
    count = 0
    for entry in old where entry.key != 0 { insert(entry.key, entry.value) }
  }
}
