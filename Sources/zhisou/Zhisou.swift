import ArgumentParser
#if canImport(Glibc)
  import Glibc
#endif

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

  /// Like ArgumentParser's `main`, but usage errors exit with status 2 (see README).
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      if exitCode(for: error) == .validationFailure {
        Terminal.note(fullMessage(for: error))
        Glibc.exit(ExitStatus.usage)
      }
      exit(withError: error)
    }
  }
}
