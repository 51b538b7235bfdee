/// Why a document could not be read; the message names the file.
public struct CorpusError: Error, CustomStringConvertible, Sendable, Equatable {
  public var file: String
  public var reason: String

  public init(file: String, reason: String) {
    self.file = file
    self.reason = reason
  }

  public var description: String { "\(file): \(reason)" }
}
