import CICU

/// Turns UTF-8 text into normalised UTF-16 (NFKC + case folding, then 繁→简) and
/// remembers, for every normalised code unit, the UTF-8 byte range it came from.
///
/// Full-width forms become half-width here (`９２．５％` → `92.5%`, `５Ｇ` → `5g`),
/// before segmentation, so every later step sees one spelling. Invalid UTF-8 bytes
/// become U+FFFD (one per maximal invalid sequence), mapped to those bytes.
///
/// Text is normalised segment by segment, a segment ending wherever NFKC_Casefold has a
/// boundary (ICU's `hasBoundaryBefore`), so every output unit maps to the source of its
/// segment. The common case — a BMP character that normalises to one code unit on its
/// own, followed by a boundary — is a table lookup: what ICU says about each BMP code
/// unit (boundary before it, its folded and simplified form) is learnt once per
/// normaliser, the first time the unit is seen. Everything else goes through ICU.
/// Not thread-safe: it reuses its buffers.
final class TextNormalizer {
  /// Normalised text of the last `normalize` call.
  private(set) var units: [UInt16] = []
  /// `sourceStart[i] ..< sourceEnd[i]` is the UTF-8 range that produced `units[i]`.
  private(set) var sourceStart: [Int32] = []
  private(set) var sourceEnd: [Int32] = []

  private var raw: [UInt16] = []
  private var rawStart: [Int32] = []
  private var rawEnd: [Int32] = []
  private var scratch: [UInt16] = []

  /// What is known about each BMP code unit: 0 = not learnt yet; otherwise `known`,
  /// maybe `boundaryBefore`, and, with `single`, its normalised unit in the low 16 bits.
  private let table: UnsafeMutablePointer<UInt32>
  private static let known: UInt32 = 1 << 16
  private static let boundaryBefore: UInt32 = 1 << 17
  private static let single: UInt32 = 1 << 18

  init() {
    table = .allocate(capacity: 0x10000)
    table.initialize(repeating: 0, count: 0x10000)
  }

  deinit { table.deallocate() }

  /// Normalises `bytes`; offsets are reported relative to `bytes` plus `baseOffset`.
  func normalize(_ bytes: UnsafeBufferPointer<UInt8>, baseOffset: Int) {
    decode(bytes, baseOffset: Int32(baseOffset))
    fold()
  }

  /// The normalised UTF-16 code units of `text` (for lexicon terms and queries).
  func normalizedUnits(_ text: String) -> [UInt16] {
    var copy = text
    copy.withUTF8 { normalize($0, baseOffset: 0) }
    return units
  }

  // MARK: UTF-8 → UTF-16

  private func decode(_ bytes: UnsafeBufferPointer<UInt8>, baseOffset: Int32) {
    // Work on locals: no exclusivity checks or copies in the loop.
    var raw = self.raw
    var rawStart = self.rawStart
    var rawEnd = self.rawEnd
    self.raw = []
    self.rawStart = []
    self.rawEnd = []
    raw.removeAll(keepingCapacity: true)
    rawStart.removeAll(keepingCapacity: true)
    rawEnd.removeAll(keepingCapacity: true)
    raw.reserveCapacity(bytes.count)
    rawStart.reserveCapacity(bytes.count)
    rawEnd.reserveCapacity(bytes.count)
    let n = bytes.count
    var i = 0
    while i < n {
      let b0 = bytes[i]
      let start = Int32(truncatingIfNeeded: i) &+ baseOffset
      if b0 < 0x80 {
        raw.append(UInt16(b0))
        rawStart.append(start)
        rawEnd.append(start &+ 1)
        i += 1
        continue
      }
      var scalar: UInt32 = 0
      var length = 0
      if b0 & 0xE0 == 0xC0, b0 >= 0xC2 {
        length = 2
        scalar = UInt32(b0 & 0x1F)
      } else if b0 & 0xF0 == 0xE0 {
        length = 3
        scalar = UInt32(b0 & 0x0F)
      } else if b0 & 0xF8 == 0xF0, b0 <= 0xF4 {
        length = 4
        scalar = UInt32(b0 & 0x07)
      }
      var valid = length > 0 && i + length <= n
      if valid {
        for k in 1..<length {
          let b = bytes[i + k]
          if b & 0xC0 != 0x80 {
            valid = false
            break
          }
          scalar = scalar << 6 | UInt32(b & 0x3F)
        }
      }
      if valid {
        // Reject overlong forms, surrogates and values past U+10FFFF.
        switch length {
        case 3: valid = scalar >= 0x800 && !(0xD800...0xDFFF).contains(scalar)
        case 4: valid = scalar >= 0x10000 && scalar <= 0x10FFFF
        default: break
        }
      }
      if !valid {
        // One U+FFFD for the lead byte and any continuation bytes after it.
        var j = i + 1
        while j < n, j < i + 4, bytes[j] & 0xC0 == 0x80 { j += 1 }
        raw.append(0xFFFD)
        rawStart.append(start)
        rawEnd.append(Int32(truncatingIfNeeded: j) &+ baseOffset)
        i = j
        continue
      }
      let end = start &+ Int32(length)
      if scalar >= 0x10000 {
        let v = scalar - 0x10000
        raw.append(UInt16(0xD800 + (v >> 10)))
        raw.append(UInt16(0xDC00 + (v & 0x3FF)))
        rawStart.append(start)
        rawStart.append(start)
        rawEnd.append(end)
        rawEnd.append(end)
      } else {
        raw.append(UInt16(scalar))
        rawStart.append(start)
        rawEnd.append(end)
      }
      i += length
    }
    self.raw = raw
    self.rawStart = rawStart
    self.rawEnd = rawEnd
  }

  // MARK: NFKC_Casefold and 繁→简

  /// What the table knows about BMP code unit `unit` (learning it on first sight).
  @inline(__always)
  private func info(_ unit: UInt16) -> UInt32 {
    let known = table[Int(unit)]
    return known != 0 ? known : learn(unit)
  }

  private func learn(_ unit: UInt16) -> UInt32 {
    var value = Self.known
    if unit & 0xF800 == 0xD800 {  // a surrogate: never decided by the table
      table[Int(unit)] = value
      return value
    }
    if zs_nfkc_casefold_boundary_before(Int32(unit)) != 0 { value |= Self.boundaryBefore }
    var input = unit
    var output: [UInt16] = [0, 0, 0, 0, 0, 0, 0, 0]
    var error: Int32 = 0
    let count = output.withUnsafeMutableBufferPointer {
      zs_nfkc_casefold(&input, 1, $0.baseAddress, Int32($0.count), &error)
    }
    if error <= 0, count == 1 {
      var folded = output[0]
      if ChineseScriptConverter.isCandidate(folded) {
        folded = ChineseScriptConverter.simplified(folded)
      }
      value |= Self.single | UInt32(folded)
    }
    table[Int(unit)] = value
    return value
  }

  /// Whether NFKC_Casefold has a boundary before the code point at `i`.
  @inline(__always)
  private func hasBoundaryBefore(_ text: UnsafeBufferPointer<UInt16>, _ i: Int) -> Bool {
    let unit = text[i]
    if unit & 0xF800 != 0xD800 { return info(unit) & Self.boundaryBefore != 0 }
    return zs_nfkc_casefold_boundary_before(codePoint(text, i)) != 0
  }

  private func fold() {
    var units = self.units
    var sourceStart = self.sourceStart
    var sourceEnd = self.sourceEnd
    self.units = []
    self.sourceStart = []
    self.sourceEnd = []
    units.removeAll(keepingCapacity: true)
    sourceStart.removeAll(keepingCapacity: true)
    sourceEnd.removeAll(keepingCapacity: true)
    let n = raw.count
    units.reserveCapacity(n)
    sourceStart.reserveCapacity(n)
    sourceEnd.reserveCapacity(n)
    raw.withUnsafeBufferPointer { text in
      rawStart.withUnsafeBufferPointer { rawStart in
        rawEnd.withUnsafeBufferPointer { rawEnd in
          var p = 0
          while p < n {
            let unit = text[p]
            if unit & 0xF800 != 0xD800 {
              let known = info(unit)
              if known & Self.single != 0, p + 1 == n || hasBoundaryBefore(text, p + 1) {
                units.append(UInt16(truncatingIfNeeded: known))
                sourceStart.append(rawStart[p])
                sourceEnd.append(rawEnd[p])
                p += 1
                continue
              }
            }
            // A segment that needs ICU: up to the next normalisation boundary.
            var q = p + codePointLength(text, p)
            while q < n, !hasBoundaryBefore(text, q) { q += codePointLength(text, q) }
            foldSegment(
              text, p, q, from: rawStart[p], to: rawEnd[q - 1], &units, &sourceStart, &sourceEnd)
            p = q
          }
        }
      }
    }
    self.units = units
    self.sourceStart = sourceStart
    self.sourceEnd = sourceEnd
  }

  private func foldSegment(
    _ text: UnsafeBufferPointer<UInt16>, _ p: Int, _ q: Int, from: Int32, to: Int32,
    _ units: inout [UInt16], _ sourceStart: inout [Int32], _ sourceEnd: inout [Int32]
  ) {
    guard let base = text.baseAddress else { return }
    let capacity = (q - p) * 18 + 8
    if scratch.count < capacity { scratch = [UInt16](repeating: 0, count: capacity) }
    var error: Int32 = 0
    let written = scratch.withUnsafeMutableBufferPointer { out in
      Int(zs_nfkc_casefold(base + p, Int32(q - p), out.baseAddress, Int32(capacity), &error))
    }
    if error > 0 {
      // Cannot happen with the capacity above; keep the text rather than lose it.
      units.append(contentsOf: text[p..<q])
    } else {
      for k in 0..<written {
        let unit = scratch[k]
        units.append(
          ChineseScriptConverter.isCandidate(unit) ? ChineseScriptConverter.simplified(unit) : unit)
      }
    }
    let count = error > 0 ? q - p : written
    for _ in 0..<count {
      sourceStart.append(from)
      sourceEnd.append(to)
    }
  }
}

@inline(__always)
func codePointLength(_ text: UnsafeBufferPointer<UInt16>, _ i: Int) -> Int {
  let u = text[i]
  if u & 0xFC00 == 0xD800, i + 1 < text.count, text[i + 1] & 0xFC00 == 0xDC00 { return 2 }
  return 1
}

@inline(__always)
func codePoint(_ text: UnsafeBufferPointer<UInt16>, _ i: Int) -> Int32 {
  let u = text[i]
  if u & 0xFC00 == 0xD800, i + 1 < text.count, text[i + 1] & 0xFC00 == 0xDC00 {
    return 0x10000 + (Int32(u & 0x3FF) << 10 | Int32(text[i + 1] & 0x3FF))
  }
  return Int32(u)
}
