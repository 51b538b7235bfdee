import ZhisouSearch

/// Formats one token for `zhisou analyze`, as an aligned text line or a JSON object.
struct TokenPrinter {
  var json: Bool

  func line(_ token: Token, original: String) -> String {
    if json {
      return
        "{\"term\":\(JSONText.quote(token.term)),\"position\":\(token.position),\"positionLength\":\(token.positionLength),\"kind\":\"\(token.kind)\",\"start\":\(token.sourceRange.lowerBound),\"end\":\(token.sourceRange.upperBound),\"original\":\(JSONText.quote(original))}"
    }
    let span =
      token.positionLength > 1
      ? "\(token.position)-\(token.position + token.positionLength - 1)" : "\(token.position)"
    return "\(pad(span, 7)) \(pad(token.term, 14)) \(pad(String(describing: token.kind), 10)) \(original)"
  }

  private func pad(_ s: String, _ width: Int) -> String {
    let w = s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 ? 2 : 1) }
    return w >= width ? s : s + String(repeating: " ", count: width - w)
  }
}
