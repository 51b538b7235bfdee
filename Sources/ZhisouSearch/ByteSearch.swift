/// A byte string inside another, by a plain scan: for UTF-8 text compared byte for byte
/// (no Unicode-aware comparison, which costs far more on Chinese text).
enum ByteSearch {
  /// First offset of `needle` in `bytes` starting below `limit`; nil if none or empty.
  static func firstOffset(
    of needle: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>,
    before limit: Int = Int.max
  ) -> Int? {
    guard let lead = needle.first else { return nil }
    var i = 0
    let last = min(limit, bytes.count - needle.count + 1)
    while i < last {
      if bytes[i] == lead {
        var k = 1
        while k < needle.count, bytes[i + k] == needle[k] { k += 1 }
        if k == needle.count { return i }
      }
      i += 1
    }
    return nil
  }

  /// Whether `text` contains `part` (always, for an empty `part`).
  static func contains(_ text: String, _ part: String) -> Bool {
    var text = text
    var part = part
    return text.withUTF8 { t in
      part.withUTF8 { p in p.isEmpty || firstOffset(of: p, in: t) != nil }
    }
  }
}
