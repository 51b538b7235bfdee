/// Fast conversions between valid UTF-8 and `Unicode.Scalar` arrays (the stdlib's generic
/// paths decode and encode one scalar at a time through iterators).
enum ScalarText {
  /// The first `limit` scalars of `text` (all of them by default).
  static func scalars(_ text: String, limit: Int = .max) -> [Unicode.Scalar] {
    var text = text
    return text.withUTF8 { decode($0, limit: limit) }
  }

  /// Decodes valid UTF-8 (as every Swift string holds), at most `limit` scalars.
  static func decode(_ p: UnsafeBufferPointer<UInt8>, limit: Int = .max) -> [Unicode.Scalar] {
    let capacity = min(p.count, limit)
    return [Unicode.Scalar](unsafeUninitializedCapacity: capacity) { buffer, count in
      var i = 0
      var n = 0
      while i < p.count, n < capacity {
        let b0 = UInt32(p[i])
        var value: UInt32
        if b0 < 0x80 {
          value = b0
          i += 1
        } else if b0 < 0xE0 {
          value = (b0 & 0x1F) << 6 | UInt32(p[i + 1] & 0x3F)
          i += 2
        } else if b0 < 0xF0 {
          value = (b0 & 0x0F) << 12 | UInt32(p[i + 1] & 0x3F) << 6 | UInt32(p[i + 2] & 0x3F)
          i += 3
        } else {
          value = (b0 & 0x07) << 18 | UInt32(p[i + 1] & 0x3F) << 12 | UInt32(p[i + 2] & 0x3F) << 6
            | UInt32(p[i + 3] & 0x3F)
          i += 4
        }
        (buffer.baseAddress! + n).initialize(to: Unicode.Scalar(value).unsafelyUnwrapped)
        n += 1
      }
      count = n
    }
  }

  /// The string of `scalars`.
  static func string<C: Collection>(_ scalars: C) -> String where C.Element == Unicode.Scalar {
    if scalars.isEmpty { return "" }
    return String(unsafeUninitializedCapacity: scalars.count * 4) { buffer in
      var n = 0
      for scalar in scalars {
        let v = scalar.value
        if v < 0x80 {
          buffer[n] = UInt8(v)
          n += 1
        } else if v < 0x800 {
          buffer[n] = UInt8(0xC0 | v >> 6)
          buffer[n + 1] = UInt8(0x80 | v & 0x3F)
          n += 2
        } else if v < 0x10000 {
          buffer[n] = UInt8(0xE0 | v >> 12)
          buffer[n + 1] = UInt8(0x80 | (v >> 6) & 0x3F)
          buffer[n + 2] = UInt8(0x80 | v & 0x3F)
          n += 3
        } else {
          buffer[n] = UInt8(0xF0 | v >> 18)
          buffer[n + 1] = UInt8(0x80 | (v >> 12) & 0x3F)
          buffer[n + 2] = UInt8(0x80 | (v >> 6) & 0x3F)
          buffer[n + 3] = UInt8(0x80 | v & 0x3F)
          n += 4
        }
      }
      return n
    }
  }
}
