import ArgumentParser
import Foundation
import SightlineCore
import SightlinePipeline

/// `sightline review`: writes the review page for a run folder.
public struct ReviewCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Write review.html: a page for accepting, rejecting and adding codes, passage by passage.",
        discussion: """
            Reads DIR/documents.jsonl, passages.jsonl and codings.jsonl and writes one self-contained HTML file \
            (default DIR/tables/review.html; `run` and `aggregate` write it too). Open it in a browser, from the \
            file: it lists the coded passages theme by theme with the matched words marked and the rules that \
            matched. Accept a flagged code to count it, reject a wrong one, or add a theme the rules missed, with \
            a note; the work is kept in the browser until you download decisions.csv \
            (passage_id, theme, decision, reviewer, note, text_sha256), which `aggregate --decisions` and \
            `run --decisions` read. With --decisions, those decisions are shown as already made (stale ones \
            marked) and are part of the file the page downloads.
            """)

    @Option(name: .customLong("in"), help: "The run folder (after `sightline run` or `sightline tag`).")
    public var input: String

    @Option(name: .long, help: "Where to write the page (default: DIR/tables/review.html).")
    public var out: String?

    @Option(help: "Review decisions made earlier (CSV, as for `aggregate --decisions`), shown as already decided.")
    var decisions: String?

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    public var quiet = false

    public init() {}

    public func run() throws {
        if let decisions, ProjectDecisions.isProject(decisions) {
            throw ValidationError(
                "\(decisions): review --decisions reads the CSV the page downloads; a REFI-QDA project's codes are "
                    + "shown by `sightline aggregate --in \(input) --decisions \(decisions)`, which writes review.html")
        }
        let page: ReviewPage
        do {
            page = try ReviewPage.load(folder: input) { taxonomies in
                try decisions.map { try DecisionSet.load(path: $0, taxonomies: taxonomies) }
            }
        } catch let problem as DecisionSet.Problem {
            throw ValidationError(problem.description)
        }
        let path = out ?? input + "/tables/review.html"
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let file = try OutputFile(path: path)
        var bytes = 0
        try page.write { piece in
            bytes += piece.count
            try file.write(piece)
        }
        try OutputFile.commit([file])
        for warning in page.decisions?.warnings ?? [] { Terminal.warning(warning) }
        if !quiet {
            let size = String(format: "%.1f", Double(bytes) / 1_048_576)
            Terminal.progress("wrote \(path): \(page.passageCount) coded passages (\(size) MB)")
        }
        if page.decisions?.hasStale == true { throw ExitCode(1) }
    }
}
