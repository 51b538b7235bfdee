import ZhisouIndex

/// The best `capacity` (score, address) pairs seen, ordered by score, then address;
/// unbounded when `capacity` is nil. A binary min-heap on the ranking order.
struct TopK {
  let capacity: Int?
  private var items: [(Double, UnitAddress)] = []

  init(capacity: Int?) { self.capacity = capacity }

  /// `a` ranks below `b`: lower score, or equal score and later address.
  @inline(__always)
  private static func below(_ a: (Double, UnitAddress), _ b: (Double, UnitAddress)) -> Bool {
    a.0 != b.0 ? a.0 < b.0 : a.1 > b.1
  }

  /// The score a new item must beat (reach) once full; nil while there is room.
  var threshold: Double? {
    guard let capacity, capacity > 0, items.count >= capacity else {
      return capacity == 0 ? Double.infinity : nil
    }
    return items[0].0
  }

  mutating func insert(_ score: Double, _ address: UnitAddress) {
    let item = (score, address)
    guard let capacity else {
      items.append(item)
      return
    }
    if capacity == 0 { return }
    if items.count < capacity {
      items.append(item)
      var i = items.count - 1
      while i > 0 {
        let parent = (i - 1) / 2
        guard Self.below(items[i], items[parent]) else { break }
        items.swapAt(i, parent)
        i = parent
      }
      return
    }
    guard Self.below(items[0], item) else { return }
    items[0] = item
    var i = 0
    while true {
      let l = 2 * i + 1
      let r = l + 1
      var smallest = i
      if l < items.count, Self.below(items[l], items[smallest]) { smallest = l }
      if r < items.count, Self.below(items[r], items[smallest]) { smallest = r }
      if smallest == i { break }
      items.swapAt(i, smallest)
      i = smallest
    }
  }

  /// Best first.
  func sorted() -> [(Double, UnitAddress)] {
    items.sorted { Self.below($1, $0) }
  }
}
