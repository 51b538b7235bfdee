import Foundation
import Testing
import ZhisouAnalysis

@testable import ZhisouIndex

@Suite struct ScriptFoldingTests {
  @Test func theGenerationRecordsTheFoldingTheBuildUsed() throws {
    let temp = TempDirectory()
    defer { temp.remove() }
    let corpus = temp.sub("Corpus")
    try copySeedCorpus(to: corpus, only: ["gaoping-2021-action-plan.txt"])
    let indexPath = temp.sub("Index").path
    _ = try IndexBuilder.build(corpus: corpus, index: indexPath)

    let recorded = try Generation.current(in: indexPath).scriptFolding
    let live = ChineseScriptConverter.changedUnits().map {
      UInt32($0.traditional) << 16 | UInt32($0.simplified)
    }
    #expect(recorded == live)
    #expect(recorded.count > 2000, "ICU's table folds a few thousand characters")
    #expect(recorded.contains(0x7522 << 16 | 0x4EA7), "產 folds to 产")
    #expect(recorded.contains(0x9AD4 << 16 | 0x4F53), "體 folds to 体")
    #expect(!recorded.contains { $0 >> 16 == 0x4EA7 }, "产 is already simplified")

    // Opening adopts the table; folding afterwards answers exactly as before.
    _ = try IndexReader.open(indexPath)
    #expect(
      ChineseScriptConverter.changedUnits().map {
        UInt32($0.traditional) << 16 | UInt32($0.simplified)
      } == live)
    #expect(Analyzer.normalized("產教融合") == Analyzer.normalized("产教融合"))
  }

  @Test func aRepeatedOrZeroFoldingIsCorrupt() throws {
    func generation(_ folding: [UInt32]) -> Generation {
      Generation(
        number: 1, analyzerFingerprint: 7, segments: [], liveUnitCount: 0, totalTitleLength: 0,
        totalBodyLength: 0, scriptFolding: folding, corpusFolders: ["p00", "p00/a"])
    }
    let good = generation([0x7522 << 16 | 0x4EA7, 0x9AD4 << 16 | 0x4F53])
    let bytes = good.encoded()
    #expect(try bytes.withUnsafeBytes { try Generation.decode($0, file: "gen-000001.zsm") } == good)

    for bad in [
      [0x7522 << 16 | 0x4EA7, 0x7522 << 16 | 0x4EA7],  // repeated
      [0x7522 << 16],  // folds to U+0000
    ] as [[UInt32]] {
      let damaged = generation(bad).encoded()
      #expect {
        try damaged.withUnsafeBytes { try Generation.decode($0, file: "gen-000001.zsm") }
      } throws: { error in
        "\(error)".contains("script folding")
      }
    }
  }
}
