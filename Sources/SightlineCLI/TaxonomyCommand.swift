import ArgumentParser
import Foundation
import SightlineCore

/// `sightline taxonomy check FILE…`.
public struct TaxonomyCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "taxonomy",
        abstract: "Work with theme taxonomies.",
        subcommands: [Check.self, Terms.self])

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
            let rules = taxonomy.themes.reduce(0) {
                $0 + $1.rules.count + $1.subthemes.reduce(0) { $0 + $1.rules.count }
            }
            var lines = [
                "\(taxonomy.file): \(taxonomy.id) \(taxonomy.version) — \(taxonomy.name)",
                "  sha256 \(taxonomy.sha256)",
                "  \(taxonomy.themes.count) themes, \(subthemes) sub-themes, \(rules) rules; "
                    + "cues: \(taxonomy.cues.file.isEmpty ? "none" : taxonomy.cues.file)",
            ]
            let frameRule = taxonomy.documentCall ?? .standard
            lines.append(
                "  features when: \(frameRule.summary)\(taxonomy.documentCall == nil ? " (the standard rule)" : "")")
            for theme in taxonomy.themes {
                let own = theme.rules.count
                let total = own + theme.subthemes.reduce(0) { $0 + $1.rules.count }
                let terms = (theme.rules + theme.subthemes.flatMap(\.rules)).reduce(0) { $0 + $1.termCount }
                let id = theme.id.padding(toLength: 28, withPad: " ", startingAt: 0)
                let counts = "\(String(total).leftPad(3)) rules \(String(terms).leftPad(4)) terms"
                lines.append("  \(id) \(counts)  \(theme.name)")
                if let rule = theme.documentCall {
                    lines.append("    features when (the theme's own rule): \(rule.summary)")
                }
                for sub in theme.subthemes {
                    let subTerms = sub.rules.reduce(0) { $0 + $1.termCount }
                    let id = sub.id.padding(toLength: 26, withPad: " ", startingAt: 0)
                    let count = String(sub.rules.count).leftPad(3)
                    lines.append("    \(id) \(count) rules \(String(subTerms).leftPad(4)) terms  \(sub.name)")
                }
            }
            return lines.joined(separator: "\n")
        }
    }
}

extension TaxonomyCommand {
    /// `sightline taxonomy terms FILE…`: every word sequence the frames match.
    public struct Terms: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "terms",
            abstract: "Print every phrase the taxonomies match, as expanded by their matching policy.",
            discussion: """
                One phrase per line (plurals and spelling variants included; a wildcard word ends in *), sorted. \
                Useful to review a frame, and for benchmarks against other phrase matchers.
                """
        )

        @Argument(help: "Taxonomy YAML files.")
        public var files: [String]

        public init() {}

        public func run() throws {
            var terms = Set<String>()
            for file in files {
                let taxonomy = try TaxonomyLoader().load(path: file)
                for theme in taxonomy.themes {
                    for rule in theme.rules + theme.subthemes.flatMap(\.rules) {
                        var phrases: [(String, Bool)] = []
                        switch rule.kind {
                        case .phrases(let list): phrases = list.map { ($0, false) }
                        case .abbreviations(let list): phrases = list.map { ($0, true) }
                        case .near(let a, let b, _): phrases = (a + b).map { ($0, false) }
                        case .sameSentence(let a, let b, let rivals): phrases = (a + b + rivals).map { ($0, false) }
                        case .regex(_, let anchors, _, let requires): phrases = (anchors + requires).map { ($0, false) }
                        }
                        for (phrase, abbreviation) in phrases {
                            for sequence in PhraseVariants.expand(
                                phrase, policy: taxonomy.policy, abbreviation: abbreviation)
                            {
                                terms.insert(
                                    sequence.map { $0.wildcard ? $0.text + "*" : $0.text }.joined(separator: " "))
                            }
                        }
                    }
                }
            }
            for term in terms.sorted() { print(term) }
        }
    }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
