import Foundation

/// Fault injection for crash-safety tests: when `ZHISOU_CRASH_AT` names a point
/// (optionally `name:N` for its N-th hit), the process dies there as if killed.
enum CrashPoint {
  private static let target: (name: String, count: Int)? = {
    guard let value = ProcessInfo.processInfo.environment["ZHISOU_CRASH_AT"] else { return nil }
    let parts = value.split(separator: ":")
    return (String(parts[0]), parts.count > 1 ? Int(parts[1]) ?? 1 : 1)
  }()
  nonisolated(unsafe) private static var hits: [String: Int] = [:]
  private static let lock = NSLock()

  static func hit(_ name: String) {
    guard let target, target.name == name else { return }
    lock.lock()
    hits[name, default: 0] += 1
    let n = hits[name]!
    lock.unlock()
    if n >= target.count { _exit(137) }
  }
}
