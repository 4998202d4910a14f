import ArgumentParser
import Foundation
import SightlineCore

/// `sightline show`: one passage and why it was coded as it was.
public struct ShowCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a passage with its matched words marked, its codings, rules, matches, and what set each flag.",
        discussion: """
            PASSAGE_ID is a passage id from passages.jsonl, codings.jsonl or eval/disagreements.csv \
            (<first 16 hex of doc_id>/<block>.<part>). Prints the document's source and title, the page index \
            and printed label, the heading path, the text with matched words marked (bold on a terminal, \
            [[like this]] otherwise), and each coding with its rules and matches. For a negated or hypothetical \
            match it names the cue whose scope reaches it, found by running the tagger's cue scope again with the \
            taxonomies (and cue list) the run used, or the recommendations heading that made it hypothetical; for \
            a boilerplate passage, the heading and the boilerplate_headings pattern it matched. An unknown id \
            exits with status 1 and suggests the nearest ids of the same document.
            """)

    @Argument(help: "The passage id.")
    public var passageID: String

    @Option(name: .customLong("in"), help: "The run folder (after `sightline run` or `sightline tag`).")
    public var input: String

    @OptionGroup var taxonomies: TaxonomyOptions

    public init() {}

    public func run() throws {
        try RunFolder.requireFiles(in: input)
        let documents = try RunFolder.documents(in: input)
        let prefix = String(passageID.split(separator: "/").first ?? "").lowercased()
        let candidates = Set(documents.filter { !prefix.isEmpty && $0.docID.hasPrefix(prefix) }.map(\.docID))
        let passages = try RunFolder.passages(in: input, of: candidates)
        let all = candidates.sorted().flatMap { passages[$0] ?? [] }
        guard let passage = all.first(where: { $0.passageID == passageID }) else {
            Terminal.error(Self.notFound(passageID, among: all, documents: documents, folder: input))
            throw ExitCode(1)
        }
        let (headers, codings) = try RunFolder.codings(in: input, of: [passage.docID])
        let loaded: [Taxonomy]
        do {
            loaded = try taxonomies.load()
        } catch {
            Terminal.warning("taxonomies not loaded (\(error)): cues are not shown")
            loaded = []
        }
        let explainer = PassageExplainer(loaded: loaded, headers: headers)
        let report = PassageReport(
            passage: passage, document: documents.first { $0.docID == passage.docID },
            codings: codings.filter { $0.passageID == passage.passageID }, headers: headers)
        let terminal = isatty(1) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        print(
            report.render(
                explainer: explainer, open: terminal ? "\u{1B}[1m" : "[[", close: terminal ? "\u{1B}[0m" : "]]"),
            terminator: "")
    }

    /// The message for an id not found: the nearest ids of the same document, else the documents' prefixes.
    static func notFound(
        _ id: String, among passages: [PassageRecord], documents: [DocumentInfo], folder: String
    ) -> String {
        var message = "no passage ‘\(id)’ in \(folder)/passages.jsonl"
        if passages.isEmpty {
            let known = documents.prefix(10).map { "\($0.docID.prefix(16))/… \($0.source)" }.joined(separator: "\n  ")
            message += ": no document's passage ids start with ‘\(id.split(separator: "/").first ?? "")/’"
            if !known.isEmpty { message += "; documents:\n  " + known }
            return message
        }
        // Nearest by block, then part.
        let wanted = id.split(separator: "/").dropFirst().first.map(String.init) ?? ""
        let numbers = wanted.split(separator: ".").compactMap { Int($0) }
        let block = numbers.first ?? 0
        let part = numbers.count > 1 ? numbers[1] : 0
        let nearest = passages.sorted {
            (abs($0.blockIndex - block), abs($0.part - part), $0.blockIndex, $0.part)
                < (abs($1.blockIndex - block), abs($1.part - part), $1.blockIndex, $1.part)
        }.prefix(5).sorted { ($0.blockIndex, $0.part) < ($1.blockIndex, $1.part) }
        return message + "; nearest in the same document: " + nearest.map(\.passageID).joined(separator: ", ")
    }
}
