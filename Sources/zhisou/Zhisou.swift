import ArgumentParser

@main
struct Zhisou: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "zhisou",
    abstract: "Full-text search over Chinese vocational-education reports and policy documents.",
    subcommands: [
      SearchCommand.self, CasesCommand.self, PoliciesCommand.self, ShowCommand.self, StatsCommand.self,
      BuildCommand.self, AnalyzeCommand.self, OutlineCommand.self,
    ],
    defaultSubcommand: SearchCommand.self
  )
}
