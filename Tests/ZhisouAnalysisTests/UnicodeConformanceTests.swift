import CICU
import Foundation
import Testing

@testable import ZhisouAnalysis

/// The shim against the Unicode Consortium's own conformance files (Unicode 15.0, the
/// version ICU 72 implements), as Debian's `unicode-data` package installs them.
@Suite struct UnicodeConformanceTests {
  static let unicodeData = "/usr/share/unicode"
  static let missing =
    "install the Unicode data files: apt-get update && apt-get install -y unicode-data"

  /// Reads a conformance file, plain or bzip2-compressed (Debian ships some compressed).
  static func read(_ relativePath: String) throws -> String {
    let path = "\(unicodeData)/\(relativePath)"
    if let text = try? String(contentsOfFile: path, encoding: .utf8) { return text }
    guard FileManager.default.fileExists(atPath: path + ".bz2") else {
      throw MissingData(description: "\(path) not found: \(missing)")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bzip2")
    process.arguments = ["-dc", path + ".bz2"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0, let text = String(data: data, encoding: .utf8) else {
      throw MissingData(
        description: "cannot decompress \(path).bz2 (bzip2 exit \(process.terminationStatus))")
    }
    return text
  }

  /// A conformance file that is not there: a failure that says how to install it.
  struct MissingData: Error, CustomStringConvertible {
    var description: String
  }

  /// UTF-16 of space-separated hex code points (`0041 0308`).
  static func scalars(_ hex: Substring) -> [UInt16] {
    hex.split(whereSeparator: \.isWhitespace).flatMap { field in
      let scalar = UInt32(field, radix: 16).flatMap(Unicode.Scalar.init) ?? "\u{FFFD}"
      return Array(String(scalar).utf16)
    }
  }

  // MARK: Word break

  /// Where CLDR's root word-break rules, which ICU implements, deliberately differ from
  /// UAX #29's defaults: ICU's `word.txt` leaves U+003A COLON out of MidLetter (UAX #29
  /// lists it for Swedish-style abbreviations such as `c:a`), so `a:b` breaks around the
  /// colon. A case is skipped exactly when the file's own annotation shows rule WB6 or
  /// WB7 joining across a COLON — `× [6.0] COLON (MidLetter)` — and ICU's boundaries
  /// differ; every other case must agree.
  static func joinsAcrossColon(_ annotation: Substring) -> Bool {
    annotation.contains("× [6.0] COLON (MidLetter)")
  }

  @Test func wordBoundariesAgreeWithWordBreakTest() throws {
    let text = try Self.read("auxiliary/WordBreakTest.txt")
    let breaker = try ICUWordBreaker(locale: "zh")
    var cases = 0
    var skipped: [Int] = []
    var failures: [String] = []
    for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated()
    {
      let parts = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
      let line = parts[0]
      guard line.contains("÷") else { continue }
      cases += 1
      // Tokens alternate: ÷ or ×, then a code point.
      var units: [UInt16] = []
      var expected: [Int] = []
      for field in line.split(whereSeparator: \.isWhitespace) {
        switch field {
        case "÷": if !units.isEmpty { expected.append(units.count) }
        case "×": break
        default: units.append(contentsOf: Self.scalars(field))
        }
      }
      let actual = breaker.segments(units).map(\.end)
      if actual == expected { continue }
      if parts.count > 1, Self.joinsAcrossColon(parts[1]) {
        skipped.append(index + 1)
      } else {
        failures.append("line \(index + 1): expected \(expected), ICU \(actual)")
      }
    }
    #expect(cases > 1800, "WordBreakTest.txt has \(cases) cases; expected Unicode 15.0's 1,823")
    #expect(
      failures.isEmpty,
      "\(failures.count) disagreements:\n\(failures.prefix(20).joined(separator: "\n"))")
    // Unicode 15.0's file has 15 cases that join across a colon; ICU disagrees on some.
    #expect(skipped.count <= 15, "skipped \(skipped.count) colon cases: \(skipped)")
    print(
      "WordBreakTest: \(cases) cases, \(skipped.count) skipped (colon, CLDR tailoring): lines \(skipped)"
    )
  }

  // MARK: NFKC

  static func nfkc(_ units: [UInt16]) -> [UInt16] {
    var output = [UInt16](repeating: 0, count: units.count * 18 + 16)
    var error: Int32 = 0
    let count = units.withUnsafeBufferPointer { input in
      output.withUnsafeMutableBufferPointer {
        zs_nfkc(input.baseAddress, Int32(input.count), $0.baseAddress, Int32($0.count), &error)
      }
    }
    #expect(error <= 0, "ICU error \(error)")
    return Array(output.prefix(Int(count)))
  }

  /// NFKC(c1…c5) == c4 on every line of NormalizationTest.txt.
  @Test func nfkcAgreesWithNormalizationTest() throws {
    let text = try Self.read("NormalizationTest.txt")
    var lines = 0
    var failures: [String] = []
    for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated()
    {
      let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
      guard !line.hasPrefix("@"), line.contains(";") else { continue }
      let columns = line.split(separator: ";", omittingEmptySubsequences: false).prefix(5).map(
        Self.scalars)
      guard columns.count == 5 else { continue }
      lines += 1
      for (c, column) in columns.enumerated() where Self.nfkc(column) != columns[3] {
        failures.append("line \(index + 1): NFKC(c\(c + 1)) != c4")
      }
    }
    #expect(lines > 19_000, "NormalizationTest.txt has \(lines) test lines")
    #expect(
      failures.isEmpty,
      "\(failures.count) failures:\n\(failures.prefix(20).joined(separator: "\n"))")
  }
}
