import Foundation
import Testing

@testable import ZhisouIndex

@Suite struct LockTests {
  @Test func aSecondBuildIsRefusedWhileOneHoldsTheLock() throws {
    let temp = TempDirectory()
    defer { temp.remove() }
    let corpus = temp.sub("Corpus")
    try copySeedCorpus(to: corpus, only: ["gaoping-2021-action-plan.txt"])
    let indexPath = temp.sub("Index").path
    _ = try IndexBuilder.build(corpus: corpus, index: indexPath)
    let reference = try snapshot(IndexReader.open(indexPath))

    let held = try IndexLock(directory: indexPath)
    #expect(throws: IndexError.locked(directory: indexPath)) {
      try IndexBuilder.build(corpus: corpus, index: indexPath)
    }
    #expect(
      IndexError.locked(directory: indexPath).description
        == "another zhisou build is running on \(indexPath); try again when it has finished")
    // Searches still read the index while a build holds the lock.
    #expect(try snapshot(IndexReader.open(indexPath)) == reference)
    // Another process is refused too.
    if let binary = zhisouBinary() {
      let other = try runBuild(binary, corpus: corpus, index: indexPath)
      #expect(other.status != 0)
      #expect(other.stderr.contains("another zhisou build is running"), "\(other.stderr)")
    }
    held.release()
    let report = try IndexBuilder.build(corpus: corpus, index: indexPath)
    #expect(report.analysedDocuments == 0)
  }

  @Test func concurrentBuildsLeaveOneWholeIndex() throws {
    let temp = TempDirectory()
    defer { temp.remove() }
    let corpus = temp.sub("Corpus")
    try copySeedCorpus(to: corpus, only: ["gaoping-2021-action-plan.txt", "liangzhou-2023-report.txt"])
    let indexPath = temp.sub("Index").path
    try FileManager.default.createDirectory(atPath: indexPath, withIntermediateDirectories: true)
    let outcomes = Outcomes()
    DispatchQueue.concurrentPerform(iterations: 3) { _ in
      do throws(IndexError) {
        _ = try IndexBuilder.build(corpus: corpus, index: indexPath)
        outcomes.add("built")
      } catch .locked {
        outcomes.add("locked")
      } catch {
        outcomes.add("\(error)")
      }
    }
    let all = outcomes.all
    #expect(all.allSatisfy { $0 == "built" || $0 == "locked" }, "\(all)")
    #expect(all.contains("built"))
    try expectIndex(IndexReader.open(indexPath), matches: corpus)
  }
}

final class Outcomes: @unchecked Sendable {
  private let lock = NSLock()
  private var values: [String] = []
  func add(_ value: String) { lock.withLock { values.append(value) } }
  var all: [String] { lock.withLock { values } }
}
