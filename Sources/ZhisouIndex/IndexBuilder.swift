#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import Dispatch
import Synchronization
import ZhisouAnalysis
import ZhisouCorpus

#if canImport(Glibc)
  import Glibc
#endif

/// Builds or refreshes the index of a corpus directory.
///
/// Incremental by design: documents whose size and modification time (or, failing
/// that, content hash) are unchanged keep their place in existing segments; changed
/// and new documents are analysed in parallel into new segments; removed and replaced
/// ones are marked deleted in the new generation. Small segments and mostly deleted
/// ones are merged away as `MergePolicy` decides; when the lexicon changed, the build
/// starts over (`--full`).
/// Commit: segment files are written and fsynced under new names, then a new
/// generation file, then `CURRENT` is replaced by one rename. A build killed at any
/// point leaves the previous generation whole; the next build removes its leftovers.
public enum IndexBuilder {
  /// How to build.
  public struct Options: Sendable {
    /// Ignore the existing index and analyse every document.
    public var full = false
    /// Analysis threads (default: all cores).
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    /// In-memory postings and stored units per worker before a segment is flushed (a
    /// worker keeps the buffers of its last segment for its next one, so it holds up
    /// to about twice this).
    public var segmentBudgetBytes = 256 << 20
    /// Tokens inverted before they are appended to their terms' postings (`TokenBatch`);
    /// the segment bytes do not depend on it.
    var tokenBatchCapacity = TokenBatch.defaultCapacity
    /// Small segments of one size tier an incremental build lets pile up before it
    /// merges them (`MergePolicy`).
    public var mergeFactor = 4
    /// Live corpus bytes from which a segment counts as large (`MergePolicy`); nil: a
    /// quarter of `segmentBudgetBytes`, about half of what a full build puts in one.
    public var largeSegmentBytes: Int? = nil
    /// Called from worker threads as documents finish.
    public var progress: (@Sendable (BuildProgress) -> Void)?

    public init() {}
  }

  /// Progress of a running build.
  public struct BuildProgress: Sendable {
    public var documentsDone: Int
    public var documentsTotal: Int
    public var bytesDone: Int
    public var bytesTotal: Int
  }

  /// What a build did.
  public struct Report: Sendable {
    public var documents = 0
    public var units = 0
    public var cases = 0
    /// Distinct (field, term) keys of the segments this build wrote: the whole index's
    /// after a full build.
    public var distinctTerms = 0
    /// Postings (term occurrences) this build wrote: the whole index's after a full build.
    public var postings = 0
    public var indexBytes = 0
    public var seconds = 0.0
    /// Bytes of the documents analysed in this build.
    public var analysedBytes = 0
    public var analysedDocuments = 0
    public var reusedDocuments = 0
    public var removedDocuments = 0
    /// Segments merged away, and their live documents, re-indexed (counted in
    /// `analysedDocuments`, not in `reusedDocuments`).
    public var mergedSegments = 0
    public var mergedDocuments = 0
    public var fullRebuild = false
    /// Documents that could not be read, each naming its file.
    public var failures: [String] = []
    /// Non-fatal problems, each naming its file.
    public var warnings: [String] = []
    public var megabytesPerSecond: Double {
      seconds > 0 ? Double(analysedBytes) / 1e6 / seconds : 0
    }
  }

  /// Builds `indexDirectory` from `corpusDirectory`.
  public static func build(
    corpus corpusDirectory: URL, index indexDirectory: String, options: Options = Options()
  ) throws(IndexError) -> Report {
    let started = Date()
    try FileWriting.createDirectory(indexDirectory)
    let lock = try IndexLock(directory: indexDirectory)
    defer { lock.release() }
    return try buildLocked(
      corpus: corpusDirectory, index: indexDirectory, options: options, started: started)
  }

  /// The build proper, with the directory's lock held.
  private static func buildLocked(
    corpus corpusDirectory: URL, index indexDirectory: String, options: Options, started: Date
  ) throws(IndexError) -> Report {
    var report = Report()
    let lexicon = Lexicon.standard
    var previous: Generation? = nil
    var previousSegments: [SegmentReader] = []
    // The live generation, whatever this build does with it: its files stay one more
    // build (searches may still read them), and its number is never reused.
    let live = try? Generation.current(in: indexDirectory)
    if !options.full {
      do {
        let generation = try Generation.current(in: indexDirectory)
        if generation.analyzerFingerprint == analyzerFingerprint(lexicon) {
          previousSegments = try generation.segments.map { entry throws(IndexError) in
            try SegmentReader(path: indexDirectory + "/" + entry.name, name: entry.name)
          }
          previous = generation
        } else {
          report.warnings.append("the lexicon changed since the last build; rebuilding everything")
        }
      } catch .missing {
      } catch {
        report.warnings.append("\(error); rebuilding everything")
      }
    }
    report.fullRebuild = previous == nil

    // Which documents are unchanged, changed, new, removed.
    let scan = CorpusScanner.scan(corpusDirectory)
    report.warnings += scan.warnings
    report.failures += scan.failures
    var existing: [FilePathKey: (segment: Int, local: Int, record: DocumentRecord)] = [:]
    // Per old segment: every document's record (deleted ones too, for the merge policy)
    // and the deleted ones.
    var records: [[DocumentRecord]] = []
    var deletions: [Int: Set<Int>] = [:]
    if let previous {
      for (s, entry) in previous.segments.enumerated() {
        let deleted = Set(entry.deletedDocuments)
        deletions[s] = deleted
        records.append(
          try (0..<previousSegments[s].documentCount).map { local throws(IndexError) in
            let record = try previousSegments[s].documentRecord(local)
            if !deleted.contains(local) {
              existing[FilePathKey(record.metadata.file)] = (s, local, record)
            }
            return record
          })
      }
    }
    typealias WorkItem = BuildState.WorkItem
    var work: [WorkItem] = []
    var seen: [FilePathKey: WorkItem] = [:]
    for file in scan.files {
      let (size, modified) = fileStatus(file.url.path)
      let key = FilePathKey(file.relativePath)
      seen[key] = (file, size, modified)
      if let old = existing[key] {
        if old.record.byteCount == size, old.record.modified == modified { continue }
        if let bytes = try? file.readBytes(), Checksum.fnv1a(bytes) == old.record.contentHash {
          continue
        }
        deletions[old.segment, default: []].insert(old.local)
      }
      work.append((file, size, modified))
    }
    for (path, old) in existing where seen[path] == nil {
      deletions[old.segment, default: []].insert(old.local)
      report.removedDocuments += 1
    }

    // Merges ride along with a build that has work, so a build with nothing to do
    // changes nothing. A merged segment's live documents are re-indexed by one writer
    // (so a merged tier becomes one segment, however many workers there are; a merge
    // big enough for several large segments is split between writers), and the
    // segment, all deleted then, leaves the generation.
    var mergeWork: [WorkItem] = []
    var mergedDocuments: [(segment: Int, local: Int)] = []
    var mergedSegments = 0
    let policy = MergePolicy(
      mergeFactor: options.mergeFactor,
      largeSegmentBytes: options.largeSegmentBytes ?? options.segmentBudgetBytes / 4)
    if previous != nil, !work.isEmpty {
      let sizes = records.enumerated().map { s, records in
        var size = MergePolicy.SegmentSize(liveBytes: 0, deletedBytes: 0)
        for (local, record) in records.enumerated() {
          if deletions[s]?.contains(local) == true {
            size.deletedBytes += record.byteCount
          } else {
            size.liveBytes += record.byteCount
          }
        }
        return size
      }
      segments: for s in policy.segmentsToMerge(sizes) {
        // Each document is read once more first. One that cannot be read keeps its
        // segment out of the merge (else every later merge would stop at it); one whose
        // bytes changed under the same size and time is a changed document.
        var documents: [(local: Int, item: WorkItem)] = []
        for (local, record) in records[s].enumerated() where deletions[s]?.contains(local) != true {
          guard let current = seen[FilePathKey(record.metadata.file)] else { continue }
          let bytes: [UInt8]
          do {
            bytes = try current.file.readBytes()
          } catch {
            report.warnings.append("\(error); its segment is not merged")
            continue segments
          }
          if Checksum.fnv1a(bytes) != record.contentHash {
            deletions[s, default: []].insert(local)
            work.append(current)
          } else {
            documents.append((local, current))
          }
        }
        for (local, item) in documents {
          mergeWork.append(item)
          mergedDocuments.append((s, local))
        }
        mergedSegments += 1
      }
    }

    // A number no file in the directory uses yet: a build never writes over a file
    // the live generation (or a leftover of a killed build) might still need.
    let generationNumber = max(live?.number ?? 0, highestGenerationNumber(in: indexDirectory)) + 1
    // Older generations and leftovers of killed builds go before this build writes, so a
    // full build needs room for two indexes, not three. (A search that has opened one
    // keeps its mapped files; one opening it meanwhile retries with the live one.)
    if let live { removeUnreferenced(in: indexDirectory, keeping: files(of: live)) }
    // A build that fails before its switch (a full disk, say) takes its files with it,
    // or the disk would stay full; the live generation is untouched.
    var switched = false
    defer { if !switched { removeGeneration(generationNumber, in: indexDirectory) } }

    // Analyse changed and new documents in parallel, one segment writer per worker.
    let reader = CorpusReader(directory: corpusDirectory)
    let mergeParts = policy.parts(of: mergeWork.map { max($0.size, 0) }, writers: options.threads)
      .map { Array(mergeWork[$0]) }
    let state = BuildState(
      work: work, mergeParts: mergeParts, generation: generationNumber,
      directory: indexDirectory, budget: options.segmentBudgetBytes,
      tokenBatchCapacity: options.tokenBatchCapacity, progress: options.progress)
    let workers = max(1, min(options.threads, work.count + mergeParts.count))
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      state.run(worker: worker, reader: reader, lexicon: lexicon)
    }
    if let error = state.error { throw error }
    report.failures += state.failures
    report.warnings += state.warnings
    if let unreadable = state.mergeFailure {
      // All or nothing: the merged segments stay as they were (their documents are
      // unchanged), and what the merge wrote is left for the cleanup below.
      report.warnings.append("\(unreadable); the merge is given up this time")
    } else {
      for (s, local) in mergedDocuments { deletions[s, default: []].insert(local) }
      report.mergedSegments = mergedSegments
      report.mergedDocuments = mergedDocuments.count
    }
    // What this build wrote and keeps (a merge given up keeps nothing).
    let written = state.segments.filter { !($0.isMerge && state.mergeFailure != nil) }

    // The new generation: surviving old segments with their deletions, then the new ones.
    var entries: [Generation.SegmentEntry] = []
    var liveUnits = 0
    var titleTotal = 0
    var bodyTotal = 0
    var keptFiles = Set<String>()
    for (s, segment) in previousSegments.enumerated() {
      let deleted = deletions[s] ?? []
      if deleted.count == segment.documentCount { continue }
      for local in 0..<segment.documentCount where !deleted.contains(local) {
        let units = segment.documentUnits(local)
        for u in units {
          titleTotal += try segment.length(.title, of: u)
          bodyTotal += try segment.length(.body, of: u)
        }
        liveUnits += units.count
      }
      entries.append(
        Generation.SegmentEntry(
          name: segment.name, unitCount: segment.unitCount, documentCount: segment.documentCount,
          deletedDocuments: deleted.sorted()))
      keptFiles.insert(segment.name)
      report.reusedDocuments += segment.documentCount - deleted.count
    }
    for segment in written {
      report.analysedDocuments += segment.documents
      report.analysedBytes += segment.corpusBytes
      report.postings += segment.postings
      entries.append(
        Generation.SegmentEntry(
          name: segment.name, unitCount: segment.units, documentCount: segment.documents,
          deletedDocuments: []))
      liveUnits += segment.units
      titleTotal += segment.titleLength
      bodyTotal += segment.bodyLength
      keptFiles.insert(segment.name)
    }
    let generation = Generation(
      number: generationNumber, analyzerFingerprint: analyzerFingerprint(lexicon),
      segments: entries, liveUnitCount: liveUnits, totalTitleLength: titleTotal,
      totalBodyLength: bodyTotal,
      scriptFolding: ChineseScriptConverter.changedUnits().map {
        UInt32($0.traditional) << 16 | UInt32($0.simplified)
      },
      corpusFolders: scan.folders)
    let generationName = IndexFormat.generationFile(generationNumber)
    FileWriting.syncDirectory(of: indexDirectory + "/" + generationName)
    try FileWriting.write(
      path: indexDirectory + "/" + generationName, parts: [generation.encoded()])
    FileWriting.syncDirectory(of: indexDirectory + "/" + generationName)
    CrashPoint.hit("before-switch")
    try FileWriting.replace(
      path: indexDirectory + "/" + IndexFormat.currentFile,
      bytes: Array((generationName + "\n").utf8))
    switched = true
    keptFiles.insert(generationName)
    keptFiles.insert(IndexFormat.currentFile)

    // Remove what no generation needs: leftovers of killed builds and superseded files.
    // The previous generation's files stay one more build, for searches still reading it.
    if let live { keptFiles.formUnion(files(of: live)) }
    removeUnreferenced(in: indexDirectory, keeping: keptFiles)

    // Summary.
    let opened = try IndexReader.open(indexDirectory)
    report.documents = opened.documentCount
    // A full build counts the whole index's terms; an incremental one the terms it wrote
    // (reading every dictionary would cost each rebuild in proportion to the corpus).
    report.distinctTerms = try IndexReader.distinctTermCount(
      of: opened.segments.filter { segment in written.contains { $0.name == segment.name } })
    report.units = opened.statistics.unitCount
    for (s, segment) in opened.segments.enumerated() {
      for u in 0..<segment.unitCount where !opened.isDeleted(segment: s, unit: Int32(u)) {
        if try segment.storedKind(u) == .case { report.cases += 1 }
      }
    }
    var currentFiles = Set(entries.map(\.name))
    currentFiles.insert(generationName)
    currentFiles.insert(IndexFormat.currentFile)
    report.indexBytes = directorySize(indexDirectory, names: currentFiles)
    report.seconds = Date().timeIntervalSince(started)
    return report
  }

  static func analyzerFingerprint(_ lexicon: Lexicon) -> UInt64 {
    // Bump the constant when analysis changes in a way that changes index terms.
    lexicon.fingerprint &+ 2
  }

  static func fileStatus(_ path: String) -> (size: Int, modified: Int64) {
    var info = stat()
    guard stat(path, &info) == 0 else { return (-1, 0) }
    return fileStatus(info)
  }

  /// Size and modification time (ns since 1970) from a `stat` result.
  static func fileStatus(_ info: stat) -> (size: Int, modified: Int64) {
    (Int(info.st_size), Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
  }

  /// The highest generation number any `gen-N.zsm` or `seg-N-K.zsi` in `directory` carries.
  static func highestGenerationNumber(in directory: String) -> Int {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      return 0
    }
    var highest = 0
    for name in names {
      let digits: Substring
      if name.hasPrefix("gen-"), name.hasSuffix(".zsm") {
        digits = name.dropFirst(4).dropLast(4)
      } else if name.hasPrefix("seg-") {
        digits = name.dropFirst(4).prefix { $0 != "-" }
      } else {
        continue
      }
      if digits.count <= 12, let n = Int(digits) { highest = max(highest, n) }
    }
    return highest
  }

  /// The files of `generation`: its generation file and its segments.
  private static func files(of generation: Generation) -> Set<String> {
    Set([IndexFormat.generationFile(generation.number)] + generation.segments.map(\.name))
  }

  /// Removes what the build of generation `number` wrote (and any half-written file).
  private static func removeGeneration(_ number: Int, in directory: String) {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      return
    }
    for name in names
    where name == IndexFormat.generationFile(number) || name.hasPrefix("seg-\(number)-")
      || name.hasSuffix(".tmp")
    {
      unlink(directory + "/" + name)
    }
  }

  private static func removeUnreferenced(in directory: String, keeping: Set<String>) {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      return
    }
    for name in names where !keeping.contains(name) {
      if name.hasPrefix("seg-") || name.hasPrefix("gen-") || name.hasSuffix(".tmp") {
        unlink(directory + "/" + name)
      }
    }
  }

  private static func directorySize(_ directory: String, names: Set<String>) -> Int {
    names.reduce(0) { total, name in
      let (size, _) = fileStatus(directory + "/" + name)
      return total + max(size, 0)
    }
  }
}

/// Shared state of the analysis workers of one build.
private final class BuildState: @unchecked Sendable {
  typealias WorkItem = (file: CorpusFile, size: Int, modified: Int64)

  struct WrittenSegment {
    var name: String
    var units: Int
    var documents: Int
    var titleLength: Int
    var bodyLength: Int
    var corpusBytes: Int
    var postings: Int
    /// Written by the merge (dropped if the merge fails).
    var isMerge: Bool
  }

  /// Changed and new documents, taken by any worker.
  let work: [WorkItem]
  /// The live documents of the segments being merged, in parts; a part is indexed by
  /// one worker into one segment.
  let mergeParts: [[WorkItem]]
  private let mergeCount: Int
  let generation: Int
  let directory: String
  let budget: Int
  let tokenBatchCapacity: Int
  let progress: (@Sendable (IndexBuilder.BuildProgress) -> Void)?
  let totalBytes: Int
  private let lock = Mutex(())
  private var next = 0
  private var nextPart = 0
  private var segmentCounter = 0
  private var done = 0
  private var doneBytes = 0
  var segments: [WrittenSegment] = []
  var failures: [String] = []
  var warnings: [String] = []
  var error: IndexError?
  /// Why the merge was given up: a document of it that could not be read again.
  var mergeFailure: String?

  init(
    work: [WorkItem], mergeParts: [[WorkItem]], generation: Int, directory: String, budget: Int,
    tokenBatchCapacity: Int, progress: (@Sendable (IndexBuilder.BuildProgress) -> Void)?
  ) {
    self.tokenBatchCapacity = tokenBatchCapacity
    self.work = work
    self.mergeParts = mergeParts
    mergeCount = mergeParts.reduce(0) { $0 + $1.count }
    self.generation = generation
    self.directory = directory
    self.budget = budget
    self.progress = progress
    totalBytes = (work + mergeParts.joined()).reduce(0) { $0 + max($1.size, 0) }
  }

  private func locked<T>(_ body: () -> T) -> T {
    lock.withLock { _ in body() }
  }

  func run(worker: Int, reader: CorpusReader, lexicon: Lexicon) {
    let analyzer = Analyzer(lexicon: lexicon)
    // The flush below bounds the unit records by the budget (plus one document).
    var writer = SegmentWriter(
      tokenBatchCapacity: tokenBatchCapacity, unitRecordCapacity: budget)
    func flush(isMerge: Bool) -> Bool {
      guard writer.unitCount > 0 || writer.documentCount > 0 else { return true }
      let name = locked { () -> String in
        segmentCounter += 1
        return "seg-\(generation)-\(segmentCounter).zsi"
      }
      do {
        try writer.write(to: directory + "/" + name)
      } catch {
        locked { self.error = error }
        return false
      }
      locked {
        segments.append(
          WrittenSegment(
            name: name, units: Int(writer.unitCount), documents: writer.documentCount,
            titleLength: writer.titleLength, bodyLength: writer.bodyLength,
            corpusBytes: writer.corpusBytes,
            postings: writer.postingCount, isMerge: isMerge))
      }
      writer = writer.makeNext()
      return true
    }

    /// Reads, analyses and adds one document to `writer`; false if it could not be read.
    func add(_ item: WorkItem, isMerge: Bool) -> Bool {
      CrashPoint.hit("document")
      let bytes: [UInt8]
      let document: Document
      do {
        bytes = try item.file.readBytes()
        document = try reader.document(from: bytes, relativePath: item.file.relativePath)
      } catch {
        locked {
          if !isMerge {
            failures.append(error.description)
          } else if mergeFailure == nil {
            mergeFailure = error.description
          }
        }
        return false
      }
      let documentNumber = writer.beginDocument(
        metadata: document.metadata, contentHash: Checksum.fnv1a(bytes), byteCount: bytes.count,
        modified: item.modified)
      for (i, unit) in document.units.enumerated() {
        let titleText = (unit.headingPath + [unit.title]).joined(separator: " ")
        let title = analyzer.analyze(titleText, include: .index)
        let body = analyzer.analyze(unit.text, include: .index)
        writer.addUnit(
          IndexedUnit(
            unit: unit, citations: i < document.citations.count ? document.citations[i] : [],
            titleTokens: title.tokens, titleLength: title.slotCount, bodyTokens: body.tokens,
            bodyLength: body.slotCount,
            isDemoted: body.slotCount <= IndexFormat.shortBodyLength || unit.isBareHeading
              || unit.isPreface),
          document: documentNumber)
      }
      // A merged document's warnings were given when it was first indexed.
      if !isMerge { locked { warnings += document.warnings } }
      return true
    }

    func reportProgress(bytes: Int) {
      let snapshot = locked { () -> IndexBuilder.BuildProgress in
        done += 1
        doneBytes += bytes
        return IndexBuilder.BuildProgress(
          documentsDone: done, documentsTotal: work.count + mergeCount,
          bytesDone: doneBytes, bytesTotal: totalBytes)
      }
      progress?(snapshot)
    }

    // Merge parts first, each whole by one worker: a part becomes one segment (more
    // only past the flush budget, and those are large). Parts of a merge given up are
    // still taken, to count them done without reading them.
    while let part = locked({ () -> [WorkItem]? in
      guard error == nil, nextPart < mergeParts.count else { return nil }
      nextPart += 1
      return mergeParts[nextPart - 1]
    }) {
      for (k, item) in part.enumerated() {
        let (failed, givenUp) = locked { (error != nil, mergeFailure != nil) }
        if failed { return }
        if givenUp || !add(item, isMerge: true) {
          // The merge is given up (here or in another part): what it wrote is dropped
          // by the builder, and the rest need not be read.
          for rest in part[k...] { reportProgress(bytes: max(rest.size, 0)) }
          break
        }
        reportProgress(bytes: max(item.size, 0))
        if writer.estimatedBytes > budget, !flush(isMerge: true) { return }
      }
      if locked({ mergeFailure != nil }) {
        writer = SegmentWriter(tokenBatchCapacity: tokenBatchCapacity, unitRecordCapacity: budget)
      } else if !flush(isMerge: true) {
        return
      }
    }

    while true {
      let index: Int? = locked {
        guard error == nil, next < work.count else { return nil }
        next += 1
        return next - 1
      }
      guard let index else { break }
      let item = work[index]
      if add(item, isMerge: false) {
        reportProgress(bytes: max(item.size, 0))
        if writer.estimatedBytes > budget, !flush(isMerge: false) { return }
      } else {
        reportProgress(bytes: max(item.size, 0))
      }
    }
    _ = flush(isMerge: false)
  }
}
