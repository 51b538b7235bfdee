import Foundation
import Testing

@testable import ZhisouCorpus

@Suite struct CitationTests {
  @Test func extractsTheCitationWithItsNumber() throws {
    let text = "根据《山西省教育厅关于开展职业教育课堂革命典型案例遴选工作的通知》（晋教职成函〔2024〕73号）要求"
    let citation = try #require(CitationExtractor.citations(in: text).first)
    #expect(citation.title == "山西省教育厅关于开展职业教育课堂革命典型案例遴选工作的通知")
    #expect(citation.documentNumber == "晋教职成函〔2024〕73号")
    #expect(citation.issuerCode == "晋教职成函")
    #expect(citation.year == 2024)
    #expect(citation.number == 73)
    #expect(citation.isPolicyDocument)
  }

  @Test(arguments: [
    "《某通知》(晋教职成函[2024]73号)", "《某通知》（晋教职成函【2024】73号）", "《某通知》（晋教职成函 (2024) 73 号）",
    "《某通知》(晋教职成函（２０２４）７３号)", "《某 通知》 （ 晋教职成函 〔2024〕 73号 ）",
  ])
  func normalisesBracketVariants(text: String) throws {
    let citation = try #require(CitationExtractor.citations(in: text).first)
    #expect(citation.title == "某通知")
    #expect(citation.documentNumber == "晋教职成函〔2024〕73号")
  }

  @Test func booksAreNotPolicyDocuments() {
    let citations = CitationExtractor.citations(in: "开设《网店美工》《职业道德与法治》课程，落实《中华人民共和国职业教育法》。")
    #expect(citations.map(\.isPolicyDocument) == [false, false, true])
    #expect(citations[1].title == "职业道德与法治")
  }

  @Test func titleBrokenOverLinesIsJoined() throws {
    let text = "按照《山西省教育厅关于开展2023年度职业教育国家在线\n\n精品课程认定工作的通知》（晋教职成函〔2024〕2号）安排"
    let citation = try #require(CitationExtractor.citations(in: text).first)
    #expect(citation.title == "山西省教育厅关于开展2023年度职业教育国家在线精品课程认定工作的通知")
    #expect(citation.number == 2)
  }

  @Test func seedsCiteTheNoticeAndManyNumberedDocuments() throws {
    var numbered: Set<String> = []
    var found73 = false
    for name in ["lvliang-2023-report.txt", "datong-2020-report.txt", "linfen-2024-report.txt", "liangzhou-2023-report.txt", "gaoping-2021-action-plan.txt"] {
      let document = try seed(name)
      for (unit, citations) in zip(document.units, document.citations) {
        for citation in citations where citation.documentNumber != nil {
          numbered.insert(citation.documentNumber!)
          if citation.documentNumber == "晋教职成函〔2024〕73号" {
            found73 = true
            #expect(citation.title == "山西省教育厅关于开展职业教育课堂革命典型案例遴选工作的通知")
            #expect(unit.number == "2.3.2")
          }
        }
      }
    }
    #expect(found73)
    #expect(numbered.count >= 16, "\(numbered.sorted())")
  }
}
