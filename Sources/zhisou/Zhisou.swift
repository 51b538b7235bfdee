import ArgumentParser

@main
struct Zhisou: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "zhisou",
    abstract: "Full-text search over Chinese vocational-education reports and policy documents.",
    subcommands: [AnalyzeCommand.self, OutlineCommand.self]
  )
}
