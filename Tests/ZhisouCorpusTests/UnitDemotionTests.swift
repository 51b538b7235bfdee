import Testing

@testable import ZhisouCorpus

/// Which seed units are only a heading, and which are a preface: the index ranks both
/// down (they have nothing of their own to answer with).
@Suite struct UnitDemotionTests {
  private func unit(_ file: String, line: Int) throws -> Unit {
    try #require(try seed(file).units.first { $0.lineStart == line }, "\(file):\(line)")
  }

  @Test func aChapterWhoseTextIsAllInItsSubsectionsIsABareHeading() throws {
    // （五）促进产教融合校企“双元”育人 is a line of its own; its measures follow as units.
    #expect(try unit("gaoping-2021-action-plan.txt", line: 95).isBareHeading)
    #expect(try unit("lvliang-2023-report.txt", line: 4).isBareHeading)  // 1. 基本情况
  }

  @Test func aHeadingWithTextIsNotBare() throws {
    // 13. 促进产教深度融合。进一步加大… : heading and text share one line.
    #expect(try !unit("gaoping-2021-action-plan.txt", line: 97).isBareHeading)
    #expect(try !unit("lvliang-2023-report.txt", line: 5).isBareHeading)  // 1.1 规模和结构
    for document in ["datong-2020-report.txt", "linfen-2024-report.txt"] {
      for unit in try seed(document).units where unit.kind == .case {
        #expect(!unit.isBareHeading, "\(document):\(unit.lineStart) \(unit.title)")
      }
    }
  }

  @Test func prefacesOutsideAnyChapterAreFound() throws {
    #expect(try unit("liangzhou-2023-report.txt", line: 7).isPreface)  // 前 言
    #expect(try unit("linfen-2024-report.txt", line: 19).isPreface)
    // A title page with text of its own (the plan's legal basis) is not a preface.
    #expect(try !unit("gaoping-2021-action-plan.txt", line: 19).isPreface)
    // A case's own 引言 is inside its chapter.
    let inside = try seed("datong-2020-report.txt").units.filter { !$0.headingPath.isEmpty }
    #expect(!inside.contains { $0.isPreface })
  }
}
