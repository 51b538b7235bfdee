import CICU

/// Turns UTF-8 text into normalised UTF-16 (NFKC + case folding, then 繁→简) and
/// remembers, for every normalised code unit, the UTF-8 byte range it came from.
///
/// Full-width forms become half-width here (`９２．５％` → `92.5%`, `５Ｇ` → `5g`),
/// before segmentation, so every later step sees one spelling. Invalid UTF-8 bytes
/// become U+FFFD (one per maximal invalid sequence), mapped to those bytes.
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
  private let script = ChineseScriptConverter()

  init() {}

  /// Normalises `bytes`; offsets are reported relative to `bytes` plus `baseOffset`.
  func normalize(_ bytes: UnsafeBufferPointer<UInt8>, baseOffset: Int) {
    decode(bytes, baseOffset: Int32(baseOffset))
    foldCase()
    simplify()
  }

  /// The normalised UTF-16 code units of `text` (for lexicon terms and queries).
  func normalizedUnits(_ text: String) -> [UInt16] {
    var copy = text
    copy.withUTF8 { normalize($0, baseOffset: 0) }
    return units
  }

  private func decode(_ bytes: UnsafeBufferPointer<UInt8>, baseOffset: Int32) {
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
      let start = Int32(i) + baseOffset
      if b0 < 0x80 {
        raw.append(UInt16(b0))
        rawStart.append(start)
        rawEnd.append(start + 1)
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
        rawEnd.append(Int32(j) + baseOffset)
        i = j
        continue
      }
      let end = start + Int32(length)
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
  }

  /// NFKC_Casefold, segment by segment, so each output unit maps to the source of its segment.
  private func foldCase() {
    units.removeAll(keepingCapacity: true)
    sourceStart.removeAll(keepingCapacity: true)
    sourceEnd.removeAll(keepingCapacity: true)
    let n = raw.count
    raw.withUnsafeBufferPointer { text in
      guard let base = text.baseAddress else { return }
      var p = 0
      while p < n {
        var error: Int32 = 0
        let span = Int(zs_nfkc_casefold_span(base + p, Int32(n - p), &error))
        if error > 0 { break }
        if span > 0 {
          units.append(contentsOf: text[p..<(p + span)])
          sourceStart.append(contentsOf: rawStart[p..<(p + span)])
          sourceEnd.append(contentsOf: rawEnd[p..<(p + span)])
          p += span
          if p >= n { break }
        }
        // The segment that needs work: up to the next normalisation boundary.
        var q = p + codePointLength(text, p)
        while q < n, zs_nfkc_casefold_boundary_before(codePoint(text, q)) == 0 {
          q += codePointLength(text, q)
        }
        let capacity = (q - p) * 18 + 8
        if scratch.count < capacity { scratch = [UInt16](repeating: 0, count: capacity) }
        let written = scratch.withUnsafeMutableBufferPointer { out in
          Int(zs_nfkc_casefold(base + p, Int32(q - p), out.baseAddress, Int32(capacity), &error))
        }
        let from = rawStart[p]
        let to = rawEnd[q - 1]
        if error > 0 {
          // Cannot happen with the capacity above; keep the text rather than lose it.
          units.append(contentsOf: text[p..<q])
          sourceStart.append(contentsOf: rawStart[p..<q])
          sourceEnd.append(contentsOf: rawEnd[p..<q])
        } else {
          units.append(contentsOf: scratch[0..<written])
          for _ in 0..<written {
            sourceStart.append(from)
            sourceEnd.append(to)
          }
        }
        p = q
      }
      if p < n {
        units.append(contentsOf: text[p..<n])
        sourceStart.append(contentsOf: rawStart[p..<n])
        sourceEnd.append(contentsOf: rawEnd[p..<n])
      }
    }
  }

  private func simplify() {
    for i in units.indices where ChineseScriptConverter.isCandidate(units[i]) {
      units[i] = script.simplified(units[i])
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
