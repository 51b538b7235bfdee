#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The metadata file of a corpus directory (`manifest.json`): one entry per document.
struct Manifest: Sendable {
  /// Entries by relative file path.
  var entries: [String: DocumentMetadata] = [:]

  private struct Entry: Decodable {
    var file: String
    var title: String?
    var region: String?
    var province: String?
    var year: Int?
    var kind: String?
  }

  /// Loads `manifest.json` from `directory`; a missing file is no manifest, a corrupt one a warning.
  static func load(from directory: URL) -> (manifest: Manifest, warning: String?) {
    let url = directory.appendingPathComponent("manifest.json")
    guard FileManager.default.fileExists(atPath: url.path) else { return (Manifest(), nil) }
    do {
      let data = try Data(contentsOf: url)
      let entries = try JSONDecoder().decode([Entry].self, from: data)
      var manifest = Manifest()
      for entry in entries {
        manifest.entries[entry.file] = DocumentMetadata(
          file: entry.file, title: entry.title ?? entry.file, region: entry.region ?? "",
          province: entry.province ?? "", year: entry.year, kind: entry.kind ?? "report")
      }
      return (manifest, nil)
    } catch {
      return (Manifest(), "manifest.json: unreadable (\(error)); metadata will be inferred from the text")
    }
  }
}
