import Foundation
import ZhisouCorpus

/// Whether an index still describes its corpus, checked cheaply (file sizes and times).
public enum IndexFreshness {
  /// True when a document was added, changed or removed since the index was built.
  /// A file the index does not know counts only if it is newer than the index (files
  /// that failed to read stay unknown without forcing a rebuild on every search).
  public static func isStale(_ reader: IndexReader, corpus: URL) -> Bool {
    let scan = CorpusScanner.scan(corpus)
    var known: [String: DocumentRecord] = [:]
    for document in reader.documents { known[document.metadata.file] = document }
    let generationPath = reader.directory + "/" + IndexFormat.generationFile(reader.generationNumber)
    let (_, builtAt) = IndexBuilder.fileStatus(generationPath)
    var seen = 0
    for file in scan.files {
      let (size, modified) = IndexBuilder.fileStatus(file.url.path)
      if let record = known[file.relativePath] {
        seen += 1
        if record.byteCount != size || record.modified != modified { return true }
      } else if modified > builtAt {
        return true
      }
    }
    return seen != known.count
  }
}
