// swift-tools-version:6.1
// libFuzzer targets for zhisou (see README.md § Fuzzing; run with Tools/fuzz/run.sh).
// A package of its own, so the sanitizer flags never touch the main build.
import PackageDescription

let package = Package(
  name: "zhisou-fuzz",
  platforms: [.macOS(.v13)],
  dependencies: [.package(name: "zhisou", path: "../..")],
  targets: [
    // Query text → QueryParser.parse → Searcher.search(limit: 10) on a small index.
    .executableTarget(
      name: "QueryFuzz", dependencies: [.product(name: "ZhisouSearch", package: "zhisou")]),
    // Segment file bytes → SegmentReader / IndexReader.open → every term, posting, unit, norm.
    .executableTarget(
      name: "IndexFuzz", dependencies: [.product(name: "ZhisouSearch", package: "zhisou")]),
  ]
)
