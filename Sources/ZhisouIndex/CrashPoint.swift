import Synchronization

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// Fault injection for crash-safety tests: when `ZHISOU_CRASH_AT` names a point
/// (optionally `name:N` for its N-th hit), the process dies there as if killed.
enum CrashPoint {
  private static let target: (name: String, count: Int)? = {
    guard let value = ProcessInfo.processInfo.environment["ZHISOU_CRASH_AT"] else { return nil }
    let parts = value.split(separator: ":")
    return (String(parts[0]), parts.count > 1 ? Int(parts[1]) ?? 1 : 1)
  }()
  private static let hits = Mutex<[String: Int]>([:])

  static func hit(_ name: String) {
    guard let target, target.name == name else { return }
    let n = hits.withLock { hits in
      hits[name, default: 0] += 1
      return hits[name]!
    }
    if n >= target.count { _exit(137) }
  }
}
