import ArgumentParser

struct OutlineCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "outline")
}
