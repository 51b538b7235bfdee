import Synchronization
import ZhisouAnalysis
import ZhisouCorpus

/// A field of a unit, indexed and length-normalised separately for BM25.
public enum Field: UInt8, Sendable, CaseIterable {
  /// The unit's title and heading path.
  case title = 0x74  // "t"
  /// The unit's text.
  case body = 0x62  // "b"
}

/// Global identity of a unit in an open index: its segment and its number there.
public struct UnitAddress: Hashable, Comparable, Sendable {
  public var segment: Int32
  public var unit: Int32
  public init(segment: Int32, unit: Int32) {
    self.segment = segment
    self.unit = unit
  }
  public static func < (a: UnitAddress, b: UnitAddress) -> Bool {
    (a.segment, a.unit) < (b.segment, b.unit)
  }
  /// A stable printable id, e.g. `2-417` (for `zhisou show ID`).
  public var id: String { "\(segment)-\(unit)" }
  /// Parses `2-417`.
  public init?(id: String) {
    let parts = id.split(separator: "-")
    guard parts.count == 2, let s = Int32(parts[0]), let u = Int32(parts[1]) else { return nil }
    self.init(segment: s, unit: u)
  }
}

/// A unit as stored in the index: what a hit shows.
public struct StoredUnit: Sendable {
  public var address: UnitAddress
  /// The document's number (`IndexReader.documentRecord(_:)`).
  public var document: Int
  public var kind: UnitKind
  public var title: String
  public var headingPath: [String]
  public var level: Int
  public var lineStart: Int
  public var lineEnd: Int
  public var text: String
  public var citations: [PolicyCitation]
  /// The heading's numbering as written (`1.3`, `案例 2.3`); empty when none.
  public var number: String
}

/// A document as recorded in the index.
public struct DocumentRecord: Sendable {
  public var metadata: DocumentMetadata
  /// FNV-1a 64 of the file's bytes; what incremental builds compare.
  public var contentHash: UInt64
  public var byteCount: Int
  /// Modification time (ns since 1970) when indexed; a cheap first check for changes.
  public var modified: Int64
}

/// Statistics over the live units of the whole index, for BM25.
public struct CollectionStatistics: Sendable {
  public var unitCount: Int
  /// Sum of field lengths (in slots) over live units, per field.
  public var totalLength: [Field: Int]
  public func averageLength(_ field: Field) -> Double {
    unitCount == 0 ? 1 : max(1, Double(totalLength[field] ?? 0) / Double(unitCount))
  }
}

/// An open index: the segments of one generation, memory-mapped, with deletions applied.
///
/// Opening reads `CURRENT`, the generation file and each segment's header, dictionary
/// index and document table; nothing proportional to the number of terms or postings.
public final class IndexReader: @unchecked Sendable {
  public let directory: String
  public let generationNumber: Int
  public let segments: [SegmentReader]
  /// Number of live documents of the whole index (numbered 0..<documentCount).
  public let documentCount: Int
  /// Per live document: its segment and local number. Records are decoded when first
  /// asked for: at 1 GB, decoding all 13 314 at open was a third of a search process.
  private let documentLocations: [(segment: Int32, local: Int32)]
  private let decodedDocuments = Mutex<[Int: DocumentRecord]>([:])
  public let statistics: CollectionStatistics
  /// Fingerprint of the analyzer (lexicon) the index was built with.
  public let analyzerFingerprint: UInt64
  /// The corpus subfolders the build walked (relative paths, sorted).
  public let corpusFolders: [String]
  /// Per segment: global document number of each local document (-1 when deleted).
  private let documentMap: [[Int]]
  /// Per segment: whether any of its documents is deleted.
  private let hasDeletions: [Bool]

  /// Opens the current generation in `directory`.
  public static func open(_ directory: String) throws(IndexError) -> IndexReader {
    // A build may switch generations and remove old files between reading CURRENT and
    // opening a segment; one retry then sees the new generation whole.
    do {
      return try IndexReader(directory: directory)
    } catch .corrupt(let file, let what) where what == "file is missing" && file.hasPrefix("seg-") {
      return try IndexReader(directory: directory)
    }
  }

  private init(directory: String) throws(IndexError) {
    self.directory = directory
    let generation = try Generation.current(in: directory)
    generationNumber = generation.number
    analyzerFingerprint = generation.analyzerFingerprint
    corpusFolders = generation.corpusFolders
    // Queries and snippets of this process fold traditional characters as the index did,
    // and the search process never compiles ICU's transliterator rules.
    ChineseScriptConverter.adopt(
      changedUnits: generation.scriptFolding.map { (UInt16($0 >> 16), UInt16($0 & 0xFFFF)) })
    var segments: [SegmentReader] = []
    var locations: [(segment: Int32, local: Int32)] = []
    var documentMap: [[Int]] = []
    var hasDeletions: [Bool] = []
    for entry in generation.segments {
      let segment = try SegmentReader(path: directory + "/" + entry.name, name: entry.name)
      guard segment.unitCount == entry.unitCount, segment.documentCount == entry.documentCount
      else {
        throw .corrupt(file: entry.name, what: "does not match generation \(generation.number)")
      }
      let deleted = Set(entry.deletedDocuments)
      var map: [Int] = []
      map.reserveCapacity(segment.documentCount)
      for local in 0..<segment.documentCount {
        if deleted.contains(local) {
          map.append(-1)
        } else {
          map.append(locations.count)
          locations.append((Int32(segments.count), Int32(local)))
        }
      }
      segments.append(segment)
      documentMap.append(map)
      hasDeletions.append(!deleted.isEmpty)
    }
    self.segments = segments
    documentCount = locations.count
    documentLocations = locations
    self.documentMap = documentMap
    self.hasDeletions = hasDeletions
    statistics = CollectionStatistics(
      unitCount: generation.liveUnitCount,
      totalLength: [.title: generation.totalTitleLength, .body: generation.totalBodyLength])
  }

  /// The record of live document `d` (0..<documentCount): file, metadata, content hash.
  public func documentRecord(_ d: Int) throws(IndexError) -> DocumentRecord {
    guard d >= 0, d < documentCount else {
      throw .corrupt(file: "document \(d)", what: "no such document")
    }
    if let known = decodedDocuments.withLock({ $0[d] }) { return known }
    let location = documentLocations[d]
    let record = try segments[Int(location.segment)].documentRecord(Int(location.local))
    decodedDocuments.withLock { $0[d] = record }
    return record
  }

  /// The records of every live document, in document order.
  public func allDocuments() throws(IndexError) -> [DocumentRecord] {
    var out: [DocumentRecord] = []
    out.reserveCapacity(documentCount)
    for d in 0..<documentCount { out.append(try documentRecord(d)) }
    return out
  }

  /// The live documents of segment `segment` in unit order: each one's global number
  /// and its units, which are contiguous.
  public func documentUnits(segment: Int) -> [(document: Int, units: Range<Int32>)] {
    guard segment >= 0, segment < segments.count else { return [] }
    var out: [(document: Int, units: Range<Int32>)] = []
    for local in 0..<segments[segment].documentCount {
      let global = documentMap[segment][local]
      guard global >= 0 else { continue }
      let units = segments[segment].documentUnits(local)
      out.append((global, Int32(units.lowerBound)..<Int32(units.upperBound)))
    }
    return out
  }

  /// Whether a unit belongs to a deleted (removed or replaced) document.
  @inline(__always)
  public func isDeleted(segment: Int, unit: Int32) -> Bool {
    guard segment >= 0, segment < segments.count, unit >= 0,
      Int(unit) < segments[segment].unitCount
    else { return true }
    guard hasDeletions[segment] else { return false }
    return localDocument(segment: segment, unit: unit).map { documentMap[segment][$0] < 0 } ?? true
  }

  /// The local document holding unit `unit` of segment `s` (deleted or not).
  private func localDocument(segment s: Int, unit: Int32) -> Int? {
    let starts = segments[s].documentStarts
    // The last document starting at or before the unit.
    var low = 0
    var high = starts.count
    while low < high {
      let mid = (low + high) / 2
      if starts[mid] <= unit { low = mid + 1 } else { high = mid }
    }
    let local = low - 1
    guard local >= 0 else { return nil }
    return segments[s].documentUnits(local).contains(Int(unit)) ? local : nil
  }

  /// Global document number of a live unit.
  public func document(of address: UnitAddress) -> Int? {
    let s = Int(address.segment)
    guard s >= 0, s < segments.count, address.unit >= 0,
      Int(address.unit) < segments[s].unitCount,
      let local = localDocument(segment: s, unit: address.unit)
    else { return nil }
    let global = documentMap[s][local]
    return global >= 0 ? global : nil
  }

  /// The stored unit at `address`, with its document resolved; with an empty `text` when
  /// `withText` is false (a scan of every unit's citations need not decode 1 GB of text).
  public func unit(_ address: UnitAddress, withText: Bool = true) throws(IndexError) -> StoredUnit {
    guard address.segment >= 0, Int(address.segment) < segments.count, address.unit >= 0,
      Int(address.unit) < segments[Int(address.segment)].unitCount
    else { throw .corrupt(file: "unit \(address.id)", what: "no such unit") }
    let (local, fields) = try segments[Int(address.segment)].storedUnit(
      Int(address.unit), withText: withText)
    guard local >= 0, local < documentMap[Int(address.segment)].count else {
      throw .corrupt(
        file: segments[Int(address.segment)].name, what: "unit names a missing document")
    }
    let document = documentMap[Int(address.segment)][local]
    return StoredUnit(
      address: address, document: max(document, 0), kind: fields.kind, title: fields.title,
      headingPath: fields.headingPath, level: fields.level, lineStart: fields.lineStart,
      lineEnd: fields.lineEnd, text: fields.text, citations: fields.citations, number: fields.number
    )
  }

  /// Number of units (all segments, deleted documents included, as Lucene counts) containing the term.
  public func documentFrequency(field: Field, term: String) throws(IndexError) -> Int {
    var total = 0
    for segment in segments {
      total += try segment.lookup(field: field, term: term)?.documentFrequency ?? 0
    }
    return total
  }

  /// Every unit address of the index, live ones only, in order.
  public func liveUnits() -> [UnitAddress] {
    var out: [UnitAddress] = []
    for (s, segment) in segments.enumerated() {
      for u in 0..<segment.unitCount where !isDeleted(segment: s, unit: Int32(u)) {
        out.append(UnitAddress(segment: Int32(s), unit: Int32(u)))
      }
    }
    return out
  }
}
