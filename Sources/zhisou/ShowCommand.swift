import ArgumentParser
import ZhisouSearch

struct ShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Show a whole unit (by the id a search printed) with its breadcrumbs and source lines."
  )

  @Argument(help: "Unit id, e.g. 0-42.")
  var id: String
  @OptionGroup var options: IndexOptions

  func run() throws {
    try reportingErrors {
      guard let address = UnitAddress(id: id) else {
        throw CLIError("'\(id)' is not a unit id (ids look like 0-42; search prints them)", status: ExitStatus.usage)
      }
      let index = try options.openIndex()
      guard Int(address.segment) < index.segments.count,
        Int(address.unit) < index.segments[Int(address.segment)].unitCount,
        !index.isDeleted(segment: Int(address.segment), unit: address.unit)
      else {
        throw CLIError("no unit \(id) in this index (ids change when the index is rebuilt)", status: ExitStatus.usage)
      }
      let unit = try index.unit(address)
      let document = try index.documentRecord(unit.document)
      if options.json {
        print(
          "{\"id\":\(JSONText.quote(id)),\"kind\":\(JSONText.quote(unit.kind.rawValue)),\"title\":\(JSONText.quote(unit.title)),\"headingPath\":[\(unit.headingPath.map(JSONText.quote).joined(separator: ","))],\"file\":\(JSONText.quote(document.metadata.file)),\"lineStart\":\(unit.lineStart),\"lineEnd\":\(unit.lineEnd),\"text\":\(JSONText.quote(unit.text)),\"document\":\(DocumentJSON.object(document))}"
        )
        return
      }
      print(Terminal.dim((unit.headingPath + [unit.title]).joined(separator: " › ")))
      print(Terminal.dim("\(document.metadata.title) · \(document.metadata.file):\(unit.lineStart)-\(unit.lineEnd) · \(unit.kind.rawValue)"))
      print("")
      print(unit.text)
    }
  }
}
