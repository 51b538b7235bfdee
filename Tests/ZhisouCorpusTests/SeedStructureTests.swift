import Foundation
import Testing

@testable import ZhisouCorpus

/// Top-level titles (level-1 units that are not the document title or front matter).
private func chapters(_ document: Document) -> [String] {
  document.units.filter { $0.level == 1 && !$0.number.isEmpty }.map(\.displayTitle)
}

@Suite struct SeedStructureTests {
  @Test func lvliangChapters() throws {
    let document = try seed("lvliang-2023-report.txt")
    #expect(
      chapters(document) == [
        "1. 基本情况", "2. 学生发展", "3. 教学改革", "4. 政策保障", "5. 校企合作", "6. 服务贡献", "7. 特色创新",
        "8. 学校党建工作", "9. 面临挑战",
      ])
    // The school stories under 7．特色创新 are cases, each one unit.
    let cases = document.units.filter { $0.kind == .case }
    #expect(cases.map(\.number) == ["7.1", "7.2", "7.3"])
    #expect(cases.map(\.lineStart) == [226, 239, 256])
  }

  @Test func datongChaptersSurviveDegradedStories() throws {
    let document = try seed("datong-2020-report.txt")
    #expect(
      chapters(document) == ["2. 学生发展", "3. 质量保障措施", "4. 校企合作", "5. 社会贡献", "6. 政府履责", "8. 学校党建工作情况", "9. 主要问题和改进措施"])
    let cases = document.units.filter { $0.kind == .case }
    #expect(cases.map(\.lineStart) == [320, 362, 469])
    #expect(cases[0].title == "从“大同蓝”城市名片到敬老孝亲的“大·同”精神")
    #expect(cases[0].lineEnd == 361)
    // The stories' own 1.实施背景 / 3.1 / 5.1 numbering stays inside them.
    for unit in document.units where unit.lineStart > 319 && unit.lineStart < 489 {
      #expect(unit.kind == .case)
    }
    // The pasted municipal document stays under 6.2.
    let pasted = document.units.filter { (289...319).contains($0.lineStart) }
    #expect(!pasted.isEmpty)
    #expect(pasted.allSatisfy { $0.headingPath.starts(with: ["6. 政府履责", "6.2 政策措施"]) })
  }

  @Test func linfenChaptersAndAppendixTables() throws {
    let document = try seed("linfen-2024-report.txt")
    #expect(
      chapters(document) == [
        "1. 基本情况", "2. 人才培养", "3. 服务贡献", "4. 文化传承", "5. 国际合作", "6. 产教融合", "7. 发展保障", "8. 面临挑战",
      ])
    let tables = document.units.filter { $0.title.hasPrefix("表") && $0.level == 1 }
    #expect(tables.count == 6)
  }

  @Test func liangzhouChapters() throws {
    let document = try seed("liangzhou-2023-report.txt")
    #expect(
      chapters(document) == [
        "1. 基本情况", "2. 学生发展质量", "3. 教育教学质量", "4. 服务贡献质量", "5. 政策落实质量", "6. 面临挑战", "7. 应对措施",
      ])
  }

  @Test func gaopingMeasuresArePolicyUnits() throws {
    let document = try seed("gaoping-2021-action-plan.txt")
    #expect(
      document.units.filter { $0.level == 1 && $0.number.hasSuffix("、") }.map(\.displayTitle) == [
        "一、指导思想", "二、基本原则", "三、发展目标", "四、重点任务", "五、保障机制",
      ])
    let measures = document.units.filter { $0.kind == .policy && $0.number.hasSuffix(".") }
    #expect(measures.map(\.number) == (1...17).map { "\($0)." })
    let measure4 = try #require(measures.first { $0.number == "4." })
    #expect(measure4.title == "提升县级职教中心社会服务能力")
    #expect(measure4.headingPath == ["四、重点任务", "（二）巩固中等职业教育基础地位"])
    #expect(measure4.lineStart == 69)
  }

  @Test func linfenCaseListIsFoundAtCaseBodies() throws {
    let document = try seed("linfen-2024-report.txt")
    let expected =
      ["1.1", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "4.1", "4.2", "4.3", "4.4", "4.5", "5.1", "5.2", "6.1", "7.1", "7.2"]
    let cases = document.units.filter { $0.kind == .case }
    #expect(cases.map(\.number) == expected.map { "案例 \($0)" })
    // Each case is found at its body, after the table of contents (which ends at line 186).
    #expect(cases.allSatisfy { $0.lineStart > 186 && $0.text.contains("\n") })
    let case11 = try #require(cases.first)
    #expect(case11.lineStart == 258 && case11.lineEnd >= 260)
    #expect(case11.title == "技能培训助力连翘产业大发展")
  }

  @Test func liangzhouShareCases() throws {
    let document = try seed("liangzhou-2023-report.txt")
    let cases = document.units.filter { $0.kind == .case }
    #expect(cases.map(\.number) == (1...5).map { "案例分享 \($0)" })
    #expect(cases.map(\.lineStart) == [322, 362, 378, 448, 450])
    #expect(cases.first?.title == "教材建设")
  }

  @Test(arguments: [
    "lvliang-2023-report.txt", "datong-2020-report.txt", "linfen-2024-report.txt",
    "liangzhou-2023-report.txt", "gaoping-2021-action-plan.txt",
  ])
  func unitsAreCleanOrderedAndNotTOC(name: String) throws {
    let document = try seed(name)
    #expect(document.units.count == document.citations.count)
    var previousEnd = 0
    for unit in document.units {
      #expect(unit.lineStart > previousEnd, "\(unit.displayTitle) overlaps the unit before")
      #expect(unit.lineStart <= unit.lineEnd)
      #expect(unit.lineEnd - unit.lineStart < 150)
      previousEnd = unit.lineEnd
      let heading = unit.text.split(separator: "\n").first.map(String.init) ?? ""
      #expect(!unit.text.contains("[bookmark:") && !unit.text.contains("[image:"))
      #expect(!TableOfContentsFilter.hasDotLeader(heading))
      #expect(!["目录", "表目录", "图目录", "案例目录"].contains(heading.replacingSpaces()))
    }
  }

  @Test func tocLinesAreNotUnits() throws {
    let linfen = try seed("linfen-2024-report.txt")
    #expect(!linfen.units.contains { (29...186).contains($0.lineStart) })
    let liangzhou = try seed("liangzhou-2023-report.txt")
    #expect(!liangzhou.units.contains { (11...70).contains($0.lineStart) })
  }
}
