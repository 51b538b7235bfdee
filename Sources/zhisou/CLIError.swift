import ArgumentParser
import ZhisouSearch

/// Exit statuses, documented in the README.
enum ExitStatus {
  static let usage: Int32 = 2
  static let unreadableDocuments: Int32 = 3
  static let corruptIndex: Int32 = 4
  static let failure: Int32 = 1
}

/// A failure reported as one line on stderr with its exit status.
struct CLIError: Error, CustomStringConvertible {
  var description: String
  var status: Int32

  init(_ message: String, status: Int32) {
    description = message
    self.status = status
  }

  init(_ error: IndexError) {
    description = error.description
    switch error {
    case .corrupt, .unsupportedVersion: status = ExitStatus.corruptIndex
    default: status = ExitStatus.failure
    }
  }

  init(_ error: QuerySyntaxError) {
    description = error.description
    status = ExitStatus.usage
  }
}

/// Runs a command body, turning failures into one stderr line and their exit status.
func reportingErrors(_ body: () throws -> Void) throws {
  do {
    try body()
  } catch let error as CLIError {
    Terminal.note("zhisou: \(error.description)")
    throw ExitCode(error.status)
  } catch let error as IndexError {
    Terminal.note("zhisou: \(error.description)")
    throw ExitCode(CLIError(error).status)
  } catch let error as QuerySyntaxError {
    Terminal.note("zhisou: \(error.description)")
    throw ExitCode(ExitStatus.usage)
  }
}
