import ArgumentParser
import CSightlineSupport
import Foundation
import SightlineCore
import SightlinePipeline

/// `sightline`: the umbrella command.
public struct SightlineCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "sightline",
        abstract: "Turn published child safeguarding case reviews into traceable thematic-analysis evidence.",
        discussion: """
            Stages: extract (documents → blocks), tag (blocks → passages and codings), \
            aggregate (codings → tables, quotes, appendix); run does all three. \
            Each stage reads the previous stage's JSON Lines.
            """,
        version: SightlineVersion.current,
        subcommands: [
            RunCommand.self, ExtractCommand.self, TagCommand.self, AggregateCommand.self, TaxonomyCommand.self,
            KWICCommand.self,
            EvalCommand.self, ShowCommand.self, ExportCommand.self,
            ReviewCommand.self,
        ])

    public init() {}
}

/// The shared entry point of every executable: worker mode, parsing, exit codes.
public enum SightlineMain {
    /// Runs `root` with the process arguments. Usage errors exit with status 2.
    public static func main(_ root: any ParsableCommand.Type) -> Never {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == WorkerProtocol.flag { WorkerMain.run() }
        var command: any ParsableCommand
        do {
            command = try root.parseAsRoot(arguments)
        } catch {
            // The parser reports a mistyped word as a missing, unknown or unexpected argument: name it, with the
            // nearest right one. Other errors (a command's own checks, --help) say what they mean already.
            let message = root.message(for: error)
            let aboutWords =
                message.hasPrefix("Missing expected argument") || message.hasPrefix("Unknown option")
                || message.contains("nexpected argument")
            if aboutWords, let (problem, path) = ArgumentSuggestions.problem(in: arguments, root: root) {
                FileHandle.standardError.write(
                    Data("Error: \(problem)\n  See '\(path) --help' for its commands and options.\n".utf8))
                exit(2)
            }
            fail(error, root: root)
        }
        do {
            try command.run()
            exit(0)
        } catch {
            fail(error, root: root)
        }
    }

    private static func fail(_ error: any Error, root: any ParsableCommand.Type) -> Never {
        let code = root.exitCode(for: error)
        if code == .validationFailure {
            FileHandle.standardError.write(Data((root.fullMessage(for: error) + "\n").utf8))
            exit(2)
        }
        root.exit(withError: error)
    }
}
