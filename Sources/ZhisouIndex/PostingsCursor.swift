/// Walks one term's postings in a segment: units in increasing order, each with its
/// term frequency and, on demand, its positions. Postings come in blocks of 128 units
/// whose headers (last unit, sizes, impacts) allow skipping whole blocks and bounding
/// their scores without decoding them.
public struct PostingsCursor: @unchecked Sendable {
  /// `Int32.max` once exhausted.
  public private(set) var unit: Int32 = -1
  /// How often the term occurs in the current unit (0 before the first and after the
  /// last). The block's frequencies are unpacked when first asked for: a phrase or a
  /// conjunction passes through many blocks only to look for a unit.
  public var tf: Int32 {
    mutating get {
      guard block >= 0, index < decodedCount else { return 0 }
      if !tfsDecoded { decodeTfs() }
      return blockTfs[index]
    }
  }
  public let documentFrequency: Int

  /// The list's bytes, as mapped.
  @usableFromInline let data: ByteReader
  private let unitLimit: Int
  /// Last unit of each block, apart from the other header fields: skipping scans it.
  @usableFromInline private(set) var lastUnits: [Int32] = []
  /// What the other header fields of a block say, one array for all blocks (a common
  /// word has thousands per segment, and every search of it reads them all).
  @usableFromInline struct BlockHeader {
    var count: Int32
    /// Where the block's docs bytes start, and its docs and positions sizes.
    var docOffset: Int32
    var docSize: Int32
    var positionSize: Int32
    /// Where the block's impacts start in the list. They are read where they lie,
    /// when a search bounds the block, not copied when the cursor opens.
    @usableFromInline var impactOffset: Int32
    /// Byte c is how many impact pairs class c has.
    @usableFromInline var impactCounts: UInt64
    /// The checksum of its docs and positions bytes (lists of several blocks; a
    /// single block is covered by the dictionary's checksum of the whole list).
    var checksum: UInt32
  }
  @usableFromInline var headers: [BlockHeader] = []
  /// Bytes at the start of the list that the dictionary's checksum covers: the count
  /// and headers of several blocks, everything of one.
  public let checksummedLength: Int

  @usableFromInline private(set) var block = -1
  // The decoded block: fixed buffers of one block's size, filled by index (one
  // uniqueness check per block, not one per appended unit).
  private var blockUnits = [Int32](repeating: 0, count: IndexFormat.unitsPerBlock)
  private var blockTfs = [Int32](repeating: 0, count: IndexFormat.unitsPerBlock)
  private var decodedCount = 0
  private var index = 0
  /// The block's packed tf − 1 values and their width; `blockTfs` holds them once
  /// `tfsDecoded`.
  private var packedTfs = UnsafeRawBufferPointer(start: nil, count: 0)
  private var tfsWidth = 0
  private var tfsDecoded = false
  /// The positions of one unit of the block, `positionsOf` (-1: none yet), decoded on
  /// demand: a phrase asks for the positions of the few units where all its terms
  /// meet, and decoding whole blocks was half the time of a phrase of common words.
  private var unitPositions: [Int32] = []
  private var positionsOf = -1
  /// The unit of the block whose positions start at byte `positionsByte` of the block's
  /// positions (the units before it were skipped or decoded).
  private var positionsUnit = 0
  private var positionsByte = 0

  /// A cursor over no postings, already exhausted (a placeholder where a term is absent).
  public init() {
    documentFrequency = 0
    unitLimit = 0
    checksummedLength = 0
    data = ByteReader(UnsafeRawBufferPointer(start: nil, count: 0), file: "")
    unit = Int32.max
  }

  init(_ region: ByteReader, documentFrequency: Int, unitLimit: Int) throws(IndexError) {
    self.documentFrequency = documentFrequency
    self.unitLimit = unitLimit
    var r = region
    guard region.base.count < Int(Int32.max) else { throw r.corrupt("a postings list over 2 GB") }
    let blocks = try r.int(below: documentFrequency / IndexFormat.unitsPerBlock + 2)
    var total = 0
    var previous = -1
    lastUnits.reserveCapacity(blocks)
    headers.reserveCapacity(blocks)
    for _ in 0..<blocks {
      let last = try r.int(below: unitLimit)
      let count = try r.int(below: IndexFormat.unitsPerBlock + 1)
      let docs = try r.int(below: region.base.count + 1)
      let positions = try r.int(below: region.base.count + 1)
      let classes = Int(try r.u8())
      guard classes != 0, classes < 1 << IndexFormat.impactClasses else {
        throw r.corrupt("bad impact classes in a postings block")
      }
      let impactOffset = r.offset
      var classCounts: UInt64 = 0
      for c in 0..<IndexFormat.impactClasses where classes & 1 << c != 0 {
        let pairs = try r.int(below: count + 1)
        guard pairs > 0 else { throw r.corrupt("empty impact class in a postings block") }
        guard r.skipVarints(2 * pairs) else { throw r.corrupt("impacts run past the postings") }
        classCounts |= UInt64(pairs) << (8 * UInt64(c))
      }
      let checksum = blocks > 1 ? try r.u32() : 0
      guard last > previous, count > 0 else { throw r.corrupt("postings blocks out of order") }
      previous = last
      lastUnits.append(Int32(last))
      headers.append(
        BlockHeader(
          count: Int32(count), docOffset: 0, docSize: Int32(docs), positionSize: Int32(positions),
          impactOffset: Int32(impactOffset), impactCounts: classCounts, checksum: checksum))
      total += count
    }
    guard total == documentFrequency else {
      throw r.corrupt("postings count does not match the dictionary")
    }
    var offset = r.offset
    checksummedLength = blocks > 1 ? offset : region.base.count
    for i in 0..<blocks {
      headers[i].docOffset = Int32(offset)
      offset += Int(headers[i].docSize) + Int(headers[i].positionSize)
      guard offset <= region.base.count else { throw r.corrupt("postings sizes do not add up") }
    }
    guard offset == region.base.count else { throw r.corrupt("postings sizes do not add up") }
    data = region
  }

  /// Number of postings blocks.
  @inlinable public var blockCount: Int { lastUnits.count }
  /// The block the cursor is in (`blockCount` once exhausted).
  @inlinable public var currentBlock: Int { max(block, 0) }

  /// Last unit of block `b`.
  @inlinable public func lastUnit(ofBlock b: Int) -> Int32 { lastUnits[b] }

  /// The first block, from `hint` on, that ends at or after `target` (`blockCount` if
  /// none): read from the headers, nothing decoded.
  @inlinable
  public func firstBlock(endingAtOrAfter target: Int32, from hint: Int) -> Int {
    var b = hint
    while b < lastUnits.count, lastUnits[b] < target { b += 1 }
    return b
  }

  /// The largest `score(tf, length)` over block `b`'s impacts of impact class `c`
  /// (`IndexFormat.impactClass`), 0 when the block has no unit of the class: every unit
  /// of the class has an impact with at least its tf and at most its length, so for a
  /// `score` that grows with tf and falls with length this bounds each unit's.
  @inlinable
  public func bestImpact(
    ofBlock b: Int, impactClass c: Int, _ score: (_ tf: Int32, _ length: Int32) -> Double
  ) -> Double {
    let header = headers[b]
    let classCounts = header.impactCounts
    let n = Int(truncatingIfNeeded: classCounts >> (8 * UInt64(c)) & 0xFF)
    guard n > 0 else { return 0 }
    // The opening walked every class's count and pairs and checked that they end inside
    // the list (a value too large for Int32 is clamped), so they are read here without
    // checks: the classes before c (a count, then its pairs),
    // then c's count, then c's pairs.
    var at = Int(header.impactOffset)
    var below = classCounts & ((1 << (8 * UInt64(c))) - 1)
    var skip = 1
    while below != 0 {
      let pairs = Int(truncatingIfNeeded: below & 0xFF)
      if pairs > 0 { skip += 1 + 2 * pairs }
      below >>= 8
    }
    while skip > 0 {
      if data.base[at] < 0x80 { skip -= 1 }
      at += 1
    }
    var best = 0.0
    for _ in 0..<n {
      let tf = Self.impactValue(data.base, &at)
      let length = Self.impactValue(data.base, &at)
      best = max(best, score(tf, length))
    }
    return best
  }

  /// A varint of the impacts, clamped to `Int32` (the opening checked its bytes).
  @inlinable
  static func impactValue(_ bytes: UnsafeRawBufferPointer, _ at: inout Int) -> Int32 {
    var value: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      let byte = bytes[at]
      at += 1
      if shift < 64 { value |= UInt64(byte & 0x7F) << shift }
      if byte < 0x80 { break }
      shift += 7
    }
    return Int32(clamping: value)
  }

  private mutating func load(_ b: Int) throws(IndexError) {
    block = b
    index = 0
    positionsOf = -1
    positionsUnit = 0
    positionsByte = 0
    decodedCount = 0
    guard b < lastUnits.count else {
      unit = Int32.max
      return
    }
    let header = headers[b]
    if headers.count > 1 {
      let bytes = try data.sub(
        Int(header.docOffset), Int(header.docSize) + Int(header.positionSize))
      guard Checksum.crc32c(bytes.base) == header.checksum else {
        throw bytes.corrupt("a postings block fails its checksum")
      }
    }
    var r = try data.sub(Int(header.docOffset), Int(header.docSize))
    var previous = b == 0 ? -1 : Int(lastUnits[b - 1])
    let count = Int(header.count)
    let limit = unitLimit
    // Unit gaps, then tf − 1, each bit-packed at its own width: unpacked in place, then
    // summed into unit numbers and raised to tfs.
    try blockUnits.withUnsafeMutableBufferPointer { all throws(IndexError) in
      let units = UnsafeMutableBufferPointer(rebasing: all[0..<count])
      try units.withMemoryRebound(to: UInt32.self) { gaps throws(IndexError) in
        try BitPacking.unpack(from: &r, maxWidth: 31, into: gaps)
      }
      for k in 0..<count {
        let u = previous + 1 + Int(units[k])
        guard u < limit else { throw r.corrupt("unit number out of range in postings") }
        units[k] = Int32(u)
        previous = u
      }
    }
    (packedTfs, tfsWidth) = try BitPacking.packedValues(from: &r, count: count, maxWidth: 24)
    tfsDecoded = false
    guard previous == Int(lastUnits[b]), r.isAtEnd else {
      throw r.corrupt("postings block does not match its header")
    }
    decodedCount = count
    unit = blockUnits[0]
  }

  private mutating func decodeTfs() {
    let count = decodedCount
    let (packed, width) = (packedTfs, tfsWidth)
    blockTfs.withUnsafeMutableBufferPointer { all in
      let tfs = UnsafeMutableBufferPointer(rebasing: all[0..<count])
      tfs.withMemoryRebound(to: UInt32.self) { extra in
        BitPacking.unpack(packed, width: width, into: extra)
      }
      for k in 0..<count { tfs[k] += 1 }
    }
    tfsDecoded = true
  }

  /// Moves to the next unit (the first, on a new cursor).
  public mutating func next() throws(IndexError) {
    if unit == Int32.max { return }
    if block >= 0, index + 1 < decodedCount {
      index += 1
      unit = blockUnits[index]
      return
    }
    try load(block + 1)
  }

  /// Moves to the first unit ≥ `target`, skipping blocks that end before it.
  public mutating func advance(to target: Int32) throws(IndexError) {
    if unit >= target { return }
    var b = max(block, 0)
    while b < lastUnits.count, lastUnits[b] < target { b += 1 }
    if b != block { try load(b) }
    if unit == Int32.max { return }
    while index < decodedCount, blockUnits[index] < target { index += 1 }
    if index < decodedCount {
      unit = blockUnits[index]
    } else {
      try load(block + 1)
    }
  }

  /// Positions (slots) of the term in the current unit, increasing.
  public mutating func positions() throws(IndexError) -> ArraySlice<Int32> {
    guard block >= 0, block < headers.count, index < decodedCount else { return [] }
    if positionsOf == index { return unitPositions[...] }
    let header = headers[block]
    var r = try data.sub(
      Int(header.docOffset) + Int(header.docSize), Int(header.positionSize))
    if index < positionsUnit {
      positionsUnit = 0
      positionsByte = 0
    }
    r.offset = positionsByte
    if !tfsDecoded { decodeTfs() }
    // Skip the positions of the units before this one.
    var skip = 0
    for u in positionsUnit..<index { skip += Int(blockTfs[u]) }
    guard r.skipVarints(skip) else { throw r.corrupt("positions do not match term frequencies") }
    unitPositions.removeAll(keepingCapacity: true)
    var position = 0
    for j in 0..<Int(blockTfs[index]) {
      let v = try r.int(below: 1 << 30)
      position = j == 0 ? v : position + v
      unitPositions.append(Int32(clamping: position))
    }
    if index + 1 == decodedCount, !r.isAtEnd {
      throw r.corrupt("positions do not match term frequencies")
    }
    positionsUnit = index + 1
    positionsByte = r.offset
    positionsOf = index
    return unitPositions[...]
  }
}
