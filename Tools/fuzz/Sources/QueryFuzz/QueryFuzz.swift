// libFuzzer target: query text → QueryParser.parse → Searcher.search(limit: 10).
//
// Passes when every input gives a result or a QuerySyntaxError with a one-line message;
// a crash, a trap, an ASan report or a hang (libFuzzer's -timeout) is a finding.
// The index is built once per process from $ZHISOU_FUZZ_CORPUS (run.sh sets it to the
// repository's Corpus/) into a temporary directory.
import Foundation
import ZhisouSearch

final class Fixture: @unchecked Sendable {
  let searcher: Searcher

  init() {
    let corpus = ProcessInfo.processInfo.environment["ZHISOU_FUZZ_CORPUS"] ?? "Corpus"
    let index = NSTemporaryDirectory() + "zhisou-query-fuzz-\(getpid())"
    do {
      var options = IndexBuilder.Options()
      options.threads = 1
      _ = try IndexBuilder.build(corpus: URL(fileURLWithPath: corpus), index: index, options: options)
      searcher = Searcher(index: try IndexReader.open(index))
    } catch {
      fatalError("cannot build the fuzzing index of \(corpus): \(error)")
    }
    atexit { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "zhisou-query-fuzz-\(getpid())") }
  }
}

let fixture = Fixture()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  do {
    let query = try QueryParser.parse(text)
    let result = try fixture.searcher.search(query, limit: 10)
    precondition(result.hits.count <= 10, "more hits than the limit")
  } catch let error as QuerySyntaxError {
    precondition(!error.description.isEmpty && !error.description.contains("\n"), "not one line: \(error)")
  } catch let error as IndexError {
    fatalError("a query made the (intact) index report \(error)")
  } catch {
    fatalError("unexpected error \(error)")
  }
  return 0
}
