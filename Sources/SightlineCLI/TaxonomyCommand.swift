import ArgumentParser
import Foundation
import SightlineCore

/// `sightline taxonomy check FILE…`.
public struct TaxonomyCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "taxonomy",
        abstract: "Work with theme taxonomies.",
        subcommands: [Check.self])

    public init() {}

    public struct Check: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate taxonomy files and print their themes and rule counts.",
            discussion: "The format is documented in docs/taxonomy-format.md. An error names the file and line.")

        @Argument(help: "Taxonomy YAML files.")
        public var files: [String]

        public init() {}

        public func run() throws {
            var failed = false
            for file in files {
                do {
                    let taxonomy = try TaxonomyLoader().load(path: file)
                    print(Self.describe(taxonomy))
                } catch let error as TaxonomyError {
                    Terminal.error(error.description)
                    failed = true
                }
            }
            if failed { throw ExitCode(1) }
        }

        static func describe(_ taxonomy: Taxonomy) -> String {
            let subthemes = taxonomy.themes.reduce(0) { $0 + $1.subthemes.count }
            let rules = taxonomy.themes.reduce(0) { $0 + $1.rules.count + $1.subthemes.reduce(0) { $0 + $1.rules.count } }
            var lines = [
                "\(taxonomy.file): \(taxonomy.id) \(taxonomy.version) — \(taxonomy.name)",
                "  sha256 \(taxonomy.sha256)",
                "  \(taxonomy.themes.count) themes, \(subthemes) sub-themes, \(rules) rules; cues: \(taxonomy.cues.file.isEmpty ? "none" : taxonomy.cues.file)",
            ]
            for theme in taxonomy.themes {
                let own = theme.rules.count
                let total = own + theme.subthemes.reduce(0) { $0 + $1.rules.count }
                let terms = (theme.rules + theme.subthemes.flatMap(\.rules)).reduce(0) { $0 + $1.termCount }
                lines.append("  \(theme.id.padding(toLength: 28, withPad: " ", startingAt: 0)) \(String(total).leftPad(3)) rules \(String(terms).leftPad(4)) terms  \(theme.name)")
                for sub in theme.subthemes {
                    let subTerms = sub.rules.reduce(0) { $0 + $1.termCount }
                    lines.append("    \(sub.id.padding(toLength: 26, withPad: " ", startingAt: 0)) \(String(sub.rules.count).leftPad(3)) rules \(String(subTerms).leftPad(4)) terms  \(sub.name)")
                }
            }
            return lines.joined(separator: "\n")
        }
    }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
