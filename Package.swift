// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "zhisou",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "zhisou", targets: ["zhisou"]),
    .library(name: "ZhisouSearch", targets: ["ZhisouSearch"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
  ],
  targets: [
    // C shim over the system ICU (libicu-dev); its header uses plain C types only.
    .target(
      name: "CICU",
      linkerSettings: [
        .linkedLibrary("icui18n"), .linkedLibrary("icuuc"), .linkedLibrary("icudata"),
      ]
    ),
    // Text → tokens: ICU word break, NFKC case folding, 繁→简, domain lexicon, CJK bigrams.
    .target(name: "ZhisouAnalysis", dependencies: ["CICU"]),
    // C shim over the system zlib (zlib1g-dev): inflates the entries of a .docx.
    .target(name: "CZlib", linkerSettings: [.linkedLibrary("z")]),
    // Files → documents → units (sections, cases, policy measures) and policy citations.
    .target(
      name: "ZhisouCorpus",
      dependencies: ["CICU", "CZlib"]
    ),
    // CRC-32C over index bytes (the CPU's instruction where there is one).
    .target(name: "CChecksum"),
    // Units → on-disk inverted index (writer, reader, incremental builder).
    .target(name: "ZhisouIndex", dependencies: ["ZhisouAnalysis", "ZhisouCorpus", "CChecksum"]),
    // Index → ranked hits: query language, BM25, top-k, snippets.
    .target(name: "ZhisouSearch", dependencies: ["ZhisouIndex"]),
    // The command-line interface: parses flags, calls the library, prints.
    .executableTarget(
      name: "zhisou",
      dependencies: [
        "ZhisouSearch", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(
      name: "analysis-benchmark", dependencies: ["ZhisouAnalysis", "CICU"],
      path: "Sources/AnalysisBenchmark"),
    .executableTarget(
      name: "search-benchmark", dependencies: ["ZhisouSearch"], path: "Sources/SearchBenchmark"),
    .testTarget(name: "ZhisouAnalysisTests", dependencies: ["ZhisouAnalysis", "CICU"]),
    .testTarget(name: "ZhisouCorpusTests", dependencies: ["ZhisouCorpus", "CZlib"]),
    .testTarget(name: "ZhisouIndexTests", dependencies: ["ZhisouIndex", "CChecksum"]),
    .testTarget(name: "ZhisouSearchTests", dependencies: ["ZhisouSearch"]),
    .testTarget(name: "zhisouTests", dependencies: ["zhisou"]),
  ]
)
