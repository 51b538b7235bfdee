#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

#if canImport(Glibc)
  import Glibc
#endif

/// Where output goes and how it is marked: colour on a terminal, 【】 when piped.
enum Terminal {
  static let isInteractive = isatty(STDOUT_FILENO) != 0
  static let errorIsInteractive = isatty(STDERR_FILENO) != 0
  static let useColor = isInteractive && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

  static func note(_ line: String) {
    writeError(line + "\n")
  }

  /// Writes `text` to standard error as it is (no newline added).
  static func writeError(_ text: String) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
      let n = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
      if n < 0, errno == EINTR { continue }
      guard n > 0 else { return }
      bytes = bytes.dropFirst(n)
    }
  }

  static var highlightOpen: String { useColor ? "\u{1B}[1;31m" : "【" }
  static var highlightClose: String { useColor ? "\u{1B}[0m" : "】" }
  static func bold(_ s: String) -> String { useColor ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
  static func dim(_ s: String) -> String { useColor ? "\u{1B}[2m\(s)\u{1B}[0m" : s }
}
