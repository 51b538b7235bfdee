import Foundation
import Testing

@testable import ZhisouSearch

private let built = Result { try TestIndex(label: "demotion") }

/// Rank (1-based) of the first hit in `file` starting at `line`.
private func rank(_ hits: [Hit], _ file: String, line: Int) throws -> Int {
  let i = hits.firstIndex { $0.document.metadata.file == file && $0.unit.lineStart == line }
  return try #require(i, "\(file):\(line) not found") + 1
}

/// Bare headings and prefaces match like any unit but rank below the units that say
/// something in full.
@Suite struct DemotionTests {
  @Test func aBareHeadingRanksBelowTheMeasuresUnderIt() throws {
    let hits = try built.get().searcher().all("產教融合").full
    let heading = try rank(hits, "gaoping-2021-action-plan.txt", line: 95)
    let measure = try rank(hits, "gaoping-2021-action-plan.txt", line: 103)  // 建设高水平实训基地
    #expect(measure <= 10)
    #expect(heading > 10, "the heading （五）促进产教融合校企“双元”育人 is at \(heading)")
    #expect(heading > measure)
  }

  @Test func aPrefaceRanksLowerThanWithoutDemotion() throws {
    let index = try built.get()
    var undemoted = ScoringParameters()
    undemoted.bareHeadingFactor = 1
    let demoted = try rank(index.searcher().all("產教融合").full, "liangzhou-2023-report.txt", line: 7)
    let plain = try rank(
      index.searcher(undemoted).all("產教融合").full, "liangzhou-2023-report.txt", line: 7)
    #expect(demoted > plain)
  }

  @Test func theIndexMarksExactlyTheDemotedUnits() throws {
    let reader = try built.get().reader
    for unit in try allUnits(reader) {
      let segment = reader.segments[Int(unit.address.segment)]
      let stored = Unit(
        kind: unit.kind, title: unit.title, headingPath: unit.headingPath, level: unit.level,
        lineStart: unit.lineStart, lineEnd: unit.lineEnd, text: unit.text, number: unit.number)
      let short =
        try segment.length(.body, of: Int(unit.address.unit)) <= IndexFormat.shortBodyLength
      #expect(
        try segment.isDemoted(Int(unit.address.unit))
          == (short || stored.isBareHeading || stored.isPreface),
        "\(unit.address.id) \(unit.title)")
    }
  }
}
