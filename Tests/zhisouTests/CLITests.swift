import Foundation
import Testing

/// End-to-end tests of the real `zhisou` executable on the seed corpus.
@Suite struct SearchCLITests {
  static let jsonHitFields = ["file", "lineStart", "lineEnd", "kind", "title", "headingPath", "score", "snippet", "document"]
  static let documentFields = ["file", "title", "region", "year", "kind"]

  @Test func aMissingIndexIsBuiltFirstWithANote() throws {
    let w = try Workspace()
    let out = try w.run(["search", "产教融合"])
    #expect(out.status == 0, "\(out)")
    #expect(out.stderr.contains("no index"), "\(out)")
    #expect(out.stdout.contains("【产教融合】"), "piped output marks matches with 【】")
    let again = try w.run(["search", "产教融合"])
    #expect(again.status == 0)
    #expect(again.stderr.isEmpty, "a fresh index is not rebuilt: \(again.stderr)")
    #expect(again.stdout == out.stdout)
  }

  @Test func aPhraseFindsTheSectionContainingIt() throws {
    let w = try Workspace()
    let phrase = "临汾市教育局认真组织开展了课堂革命典型案例遴选工作"
    let line = try seedLine("linfen-2024-report.txt", containing: phrase)
    let out = try w.run(["search", "\"\(phrase)\"", "--json"])
    #expect(out.status == 0, "\(out)")
    let hits = out.jsonObjects().filter { !$0.isPartial }
    try #require(!hits.isEmpty, "\(out)")
    let first = hits[0]
    #expect(first["file"] as? String == "linfen-2024-report.txt")
    #expect((first.int("lineStart") ?? .max) <= line && line <= (first.int("lineEnd") ?? .min), "\(first.place) covers line \(line)")
    #expect((first["snippet"] as? String)?.contains(phrase) == true)
    // The text output names the same place.
    let text = try w.run(["search", "\"\(phrase)\""])
    #expect(text.stdout.contains("linfen-2024-report.txt:\(first.int("lineStart")!)-\(first.int("lineEnd")!)"), "\(text)")
    #expect(text.stdout.contains("【\(phrase)】"), "\(text)")
  }

  @Test func casesOnRuralRevitalisationIncludeLinfen31And32() throws {
    let w = try Workspace()
    let out = try w.run(["cases", "乡村振兴", "--json"])
    #expect(out.status == 0, "\(out)")
    let cases = out.jsonObjects()
    #expect(cases.count >= 2)
    for hit in cases { #expect(hit["kind"] as? String == "case", "\(hit.place)") }
    for title in ["深化校企育人", "构建多元销售模式"] {
      let line = try seedLine("linfen-2024-report.txt", containing: "案例 3.\(title == "深化校企育人" ? 1 : 2) \(title)")
      let found = cases.first { ($0["title"] as? String)?.contains(title) == true }
      let hit = try #require(found, "case \(title) in \(cases.map { $0["title"] ?? "" })")
      #expect(hit["file"] as? String == "linfen-2024-report.txt")
      // The case itself, not its line in the table of contents.
      #expect((hit.int("lineStart") ?? 0) > 200, "\(hit.place)")
      _ = line
      #expect(hit["strength"] as? String == "strong", "\(title): \(hit["strength"] ?? "")")
    }
  }

  @Test func traditionalScriptGivesTheSameHitsAsSimplified() throws {
    let w = try Workspace()
    for (traditional, simplified) in [("產教融合", "产教融合"), ("鄉村振興", "乡村振兴")] {
      for command in ["search", "cases"] {
        let extra = command == "search" ? ["--limit", "100"] : []
        let t = try w.run([command, traditional, "--json"] + extra)
        let s = try w.run([command, simplified, "--json"] + extra)
        #expect(t.status == 0 && s.status == 0, "\(t)\n\(s)")
        let key = { (o: [String: Any]) in "\(o["id"] ?? "")|\(o.place)|\(o["kind"] ?? "")|\(o.isPartial)" }
        let tk = t.jsonObjects().map(key)
        let sk = s.jsonObjects().map(key)
        #expect(!sk.isEmpty)
        #expect(tk == sk, "\(command) \(traditional) vs \(simplified)")
      }
    }
  }

  @Test func excludingAWordRemovesItsHits() throws {
    let w = try Workspace()
    func full(_ query: String) throws -> [String] {
      let out = try w.run(["search", query, "--json", "--limit", "10000"])
      #expect(out.status == 0, "\(out)")
      return out.jsonObjects().filter { !$0.isPartial }.map { $0["id"] as? String ?? "" }
    }
    let base = try full("产教融合")
    let excluded = Set(try full("乡村振兴"))
    let result = try full("产教融合 -乡村振兴")
    #expect(!result.isEmpty)
    #expect(result.count < base.count, "some 产教融合 units mention 乡村振兴")
    #expect(result == base.filter { !excluded.contains($0) })
    // The excluded word appears in no remaining hit.
    for id in result.prefix(15) {
      let shown = try w.run(["show", id])
      #expect(!shown.stdout.contains("乡村振兴"), "\(id) mentions 乡村振兴")
    }
  }

  static let malformed: [(arguments: [String], mentions: String)] = [
    (["search", "\"产教融合"], "unbalanced quote"),
    (["search", "产教融合 \"乡村"], "unbalanced quote"),
    (["search", "--", "-疫情"], "only exclusions"),
    (["search", "--", "-疫情 -线上"], "only exclusions"),
    (["search", ""], "empty"),
    (["search", "   "], "empty"),
    (["cases", "\"乡村振兴"], "unbalanced quote"),
    (["policies", ""], "empty"),
    (["search", "学校 OR"], "OR"),
    (["search", "学校 year:abc"], "year"),
  ]

  @Test(arguments: malformed)
  func malformedQueriesGetAOneLineMessageAndStatus2(_ example: (arguments: [String], mentions: String)) throws {
    let w = try Workspace()
    let out = try w.run(example.arguments)
    #expect(out.status == 2, "\(example.arguments): \(out)")
    #expect(out.stderrLines.count == 1, "one line: \(out.stderr)")
    #expect(out.stderr.hasPrefix("zhisou: invalid query:"), "\(out.stderr)")
    #expect(out.stderr.contains(example.mentions), "\(out.stderr)")
    #expect(out.stdout.isEmpty)
  }

  /// What a user types: a query of only exclusions without `--` in front of it.
  @Test func onlyExclusionsWithoutDoubleDash() throws {
    let w = try Workspace()
    let out = try w.run(["search", "-疫情"])
    #expect(out.status == 2, "\(out)")
    #expect(out.stderr.hasPrefix("zhisou: invalid query:"), "\(out.stderr)")
  }

  /// Words typed without quotes, an exclusion among them, make one query.
  @Test func unquotedWordsWithAnExclusionAreOneQuery() throws {
    let w = try Workspace()
    let quoted = try w.run(["search", "学校 -疫情", "--json"])
    let unquoted = try w.run(["search", "学校", "-疫情", "--json"])
    #expect(quoted.status == 0 && unquoted.status == 0, "\(unquoted)")
    #expect(quoted.stdout == unquoted.stdout)
    #expect(!unquoted.stdout.contains("疫情"))
  }

  @Test func usageErrorsExitWithStatus2() throws {
    let w = try Workspace()
    let out = try w.run(["search", "产教融合", "--limit", "abc"])
    #expect(out.status == 2, "\(out)")
  }

  @Test func jsonLinesAreValidJSONWithEveryField() throws {
    let w = try Workspace()
    for arguments in [["search", "产教融合", "--json"], ["search", "连翘 疫情", "--json"], ["cases", "思政", "--json"],
      ["search", "学校 -疫情 region:临汾 kind:section", "--json", "--limit", "30"]]
    {
      let out = try w.run(arguments)
      #expect(out.status == 0, "\(arguments): \(out)")
      let objects = out.jsonObjects()
      #expect(!objects.isEmpty, "\(arguments)")
      #expect(objects.count == out.stdoutLines.count)
      for o in objects {
        for field in Self.jsonHitFields { #expect(o[field] != nil, "\(arguments): \(field) missing in \(o)") }
        #expect(o["file"] is String)
        #expect((o.int("lineStart") ?? 0) >= 1)
        #expect((o.int("lineEnd") ?? 0) >= (o.int("lineStart") ?? .max))
        #expect(["section", "case", "policy"].contains(o["kind"] as? String ?? ""))
        #expect(o["headingPath"] is [String])
        #expect(o["score"] is NSNumber)
        #expect(o["snippet"] is String)
        let document = o["document"] as? [String: Any] ?? [:]
        for field in Self.documentFields { #expect(document[field] != nil, "document.\(field) missing in \(o)") }
        #expect(document["file"] as? String == o["file"] as? String)
        // Highlights are character ranges inside the snippet.
        let snippet = (o["snippet"] as? String ?? "").unicodeScalars.count
        for pair in o["highlights"] as? [[Int]] ?? [] {
          #expect(pair.count == 2 && 0 <= pair[0] && pair[0] < pair[1] && pair[1] <= snippet, "\(pair)")
        }
      }
      if arguments[1].contains("region:临汾") {
        for o in objects {
          #expect((o["document"] as? [String: Any])?["region"] as? String == "临汾市")
          #expect(o["kind"] as? String == "section")
        }
      }
    }
    // A line's line span in the file is real: its first line exists.
    let out = try w.run(["search", "乡村振兴", "--json", "--limit", "5"])
    for o in out.jsonObjects() {
      let file = try String(contentsOf: seedCorpus.appendingPathComponent(o["file"] as! String), encoding: .utf8)
      let count = file.components(separatedBy: "\n").count
      #expect((o.int("lineEnd") ?? .max) <= count, "\(o.place) in a file of \(count) lines")
    }
  }

  @Test func showPrintsTheUnitOfAHit() throws {
    let w = try Workspace()
    let search = try w.run(["search", "\"深化校企育人\"", "--json", "--limit", "1"])
    let hit = try #require(search.jsonObjects().first, "\(search)")
    let id = try #require(hit["id"] as? String)
    let file = hit["file"] as! String
    let out = try w.run(["show", id])
    #expect(out.status == 0, "\(out)")
    #expect(out.stdout.contains("深化校企育人"))
    #expect(out.stdout.contains("\(file):\(hit.int("lineStart")!)-\(hit.int("lineEnd")!)"), "\(out)")
    // The text is the source lines of the unit (its body's lines are in the file).
    let lines = try String(contentsOf: seedCorpus.appendingPathComponent(file), encoding: .utf8).components(separatedBy: "\n")
    let span = lines[(hit.int("lineStart")! - 1)..<hit.int("lineEnd")!]
    let longest = try #require(span.max { $0.count < $1.count })
    #expect(out.stdout.contains(longest.trimmingCharacters(in: .whitespaces).prefix(40)), "show prints the unit's text")
    let json = try w.run(["show", id, "--json"])
    let object = try #require(json.jsonObjects().first)
    #expect(object["id"] as? String == id)
    #expect(object["file"] as? String == file)
    #expect((object["text"] as? String)?.contains("深化校企育人") == true)
    // Unknown and malformed ids.
    let missing = try w.run(["show", "99-99999"])
    #expect(missing.status == 2, "\(missing)")
    #expect(missing.stderr.hasPrefix("zhisou: "))
    let bad = try w.run(["show", "abc"])
    #expect(bad.status == 2, "\(bad)")
  }

  @Test func statsJSON() throws {
    let w = try Workspace()
    let out = try w.run(["stats", "--json"])
    #expect(out.status == 0, "\(out)")
    let o = try #require(out.jsonObjects().first)
    #expect(out.stdoutLines.count == 1)
    #expect(o.int("documents") == 5)
    #expect((o.int("units") ?? 0) > 100)
    #expect((o.int("cases") ?? 0) > 10)
    #expect(o.int("units") == (o.int("sections") ?? 0) + (o.int("cases") ?? 0) + (o.int("policies") ?? 0))
    #expect((o["averageBodyLength"] as? NSNumber)?.doubleValue ?? 0 > 0)
    // Index bytes: the segment files on disk, split as the size benchmark splits them.
    let segmentFiles = try FileManager.default.contentsOfDirectory(atPath: w.index).filter {
      $0.hasPrefix("seg-")
    }
    let onDisk = try segmentFiles.reduce(0) {
      $0 + ((try FileManager.default.attributesOfItem(atPath: w.index + "/" + $1)[.size] as? Int) ?? 0)
    }
    #expect(o.int("segmentBytes") == onDisk)
    let postings = try #require(o.int("postingsBytes"))
    let stored = try #require(o.int("storedUnitBytes"))
    #expect(postings > 0 && stored > 0 && postings + stored < onDisk)
    let text = try w.run(["stats"])
    #expect(text.status == 0)
    #expect(text.stdout.contains("linfen-2024-report.txt"))
    #expect(text.stdout.contains(" MB without the stored text (postings "))
    #expect(!text.stdout.contains("more (--documents lists them all)"), "5 documents: all listed")
  }

  @Test func statsListsTwentyDocumentsUnlessAskedForAll() throws {
    let w = try Workspace()
    let corpus = try w.copySeeds()
    for k in 0..<21 {
      try Data("# 第\(k)份报告\n\n一、基本情况\n\n本校开展专项行动。\n".utf8)
        .write(to: corpus.appendingPathComponent("extra-\(k).txt"))
    }
    let text = try w.run(["stats"])
    #expect(text.status == 0, "\(text)")
    let listed = text.stdoutLines.filter { $0.hasPrefix("  ") && $0.contains(".txt") }
    #expect(listed.count == 20)
    #expect(text.stdoutLines.last == "  … and 6 more (--documents lists them all)")
    let all = try w.run(["stats", "--documents"])
    #expect(all.stdoutLines.filter { $0.hasPrefix("  ") && $0.contains(".txt") }.count == 26)
  }

  @Test func policiesListTheCitedDocumentNumber() throws {
    let w = try Workspace()
    let out = try w.run(["policies", "晋教职成函", "--json"])
    #expect(out.status == 0, "\(out)")
    let objects = out.jsonObjects()
    let policies = objects.filter { $0["type"] as? String == "policy" }
    let numbers = policies.compactMap { $0["documentNumber"] as? String }
    #expect(numbers.contains("晋教职成函〔2024〕73号"), "\(numbers)")
    let line = try seedLine("linfen-2024-report.txt", containing: "晋教职成函〔2024〕73号")
    let policy = try #require(policies.first { $0["documentNumber"] as? String == "晋教职成函〔2024〕73号" })
    #expect((policy["title"] as? String)?.contains("课堂革命典型案例遴选") == true, "\(policy)")
    let citedBy = policy["citedBy"] as? [[String: Any]] ?? []
    #expect(
      citedBy.contains {
        $0["file"] as? String == "linfen-2024-report.txt" && ($0.int("lineStart") ?? .max) <= line
          && line <= ($0.int("lineEnd") ?? .min)
      }, "cited at linfen line \(line): \(citedBy)")
    for p in policies { #expect((p["documentNumber"] as? String ?? p["title"] as? String ?? "").contains("晋教职成函") || (p["title"] as? String ?? "").contains("晋教职成函")) }
  }
}
