import CICU

/// ICU's dictionary-based word break iterator for Chinese, over UTF-16 text.
///
/// Not thread-safe: each thread (each `Analyzer`) opens its own.
public final class ICUWordBreaker {
  /// ICU rule status classes of a segment.
  public enum Status: Sendable {
    case none, number, letter, kana, ideographic

    init(ruleStatus: Int32) {
      switch ruleStatus {
      case 100..<200: self = .number
      case 200..<300: self = .letter
      case 300..<400: self = .kana
      case 400..<500: self = .ideographic
      default: self = .none
      }
    }
  }

  private let breaker: OpaquePointer
  private var boundaries: [Int32] = []
  private var statuses: [Int32] = []

  /// Opens the iterator for `locale` (default `zh`); fails only when ICU's data is missing.
  public init(locale: String = "zh") throws(AnalysisError) {
    var error: Int32 = 0
    guard let breaker = zs_word_breaker_open(locale, &error), error <= 0 else {
      throw AnalysisError(
        "cannot open ICU word break iterator for \(locale): \(icuErrorName(error))")
    }
    self.breaker = breaker
  }

  deinit { zs_word_breaker_close(breaker) }

  /// Calls `body(start, end, ruleStatus)` for each segment of `text`, in order.
  public func segment(
    _ text: UnsafeBufferPointer<UInt16>, _ body: (Int, Int, Int32) -> Void
  ) {
    let count = text.count
    guard count > 0, let base = text.baseAddress else { return }
    if boundaries.count < count + 1 {
      boundaries = [Int32](repeating: 0, count: count + 1)
      statuses = [Int32](repeating: 0, count: count + 1)
    }
    var error: Int32 = 0
    boundaries.withUnsafeMutableBufferPointer { b in
      statuses.withUnsafeMutableBufferPointer { s in
        let n = Int(
          zs_word_breaker_segment(breaker, base, Int32(count), b.baseAddress, s.baseAddress, &error)
        )
        var start = 0
        for i in 0..<n {
          let end = Int(b[i])
          body(start, end, s[i])
          start = end
        }
      }
    }
  }

  /// Segments `text` and returns `(start, end, status)` of every segment (for tests and tools).
  public func segments(_ text: [UInt16]) -> [(start: Int, end: Int, status: Int32)] {
    var out: [(Int, Int, Int32)] = []
    text.withUnsafeBufferPointer { buffer in
      segment(buffer) { out.append(($0, $1, $2)) }
    }
    return out
  }
}

func icuErrorName(_ error: Int32) -> String {
  String(cString: zs_error_name(error))
}

/// A failure of the analysis stage (in practice: ICU could not be opened).
public struct AnalysisError: Error, CustomStringConvertible, Sendable {
  public var description: String
  public init(_ description: String) { self.description = description }
}
