import ArgumentParser
import Foundation
import SightlineCore
import SightlinePipeline

/// `sightline tag` and `sightline-tag`.
public struct TagCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Split extracted blocks into passages and code them against theme taxonomies.",
        discussion: """
            Reads DIR/documents.jsonl and DIR/blocks.jsonl (the extract stage's output) and writes \
            DIR/passages.jsonl (every passage, coded or not) and DIR/codings.jsonl (a taxonomy header \
            record per taxonomy, then one coding per passage, theme and sub-theme, with the rules that \
            fired, the matched spans, and whether the match is negated, hypothetical or boilerplate). \
            Taxonomies are validated before any document is read.
            """)

    @Option(name: .customLong("in"), help: "The folder holding the extract stage's output.")
    public var input: String

    @OptionGroup var taxonomies: TaxonomyOptions

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    public var quiet = false

    public init() {}

    public func run() throws {
        let loaded = try taxonomies.load()
        let summary = try TagStage(taxonomies: loaded).run(folder: input)
        if !quiet {
            Terminal.progress(
                "tagged \(summary.documents) documents: \(summary.passages) passages, "
                    + "\(summary.codings) codings (\(summary.counted) counted as evidence)"
            )
        }
    }
}

/// The tag stage: blocks in, passages and codings out.
struct TagStage {
    let taxonomies: [Taxonomy]

    struct Summary {
        var documents = 0
        var passages = 0
        var codings = 0
        var counted = 0
    }

    func run(folder: String) throws -> Summary {
        let documentsPath = folder + "/documents.jsonl"
        let blocksPath = folder + "/blocks.jsonl"
        if let path = Stages.code.missing(in: folder).first {
            throw ValidationError("\(path) not found: run `sightline extract … --out \(folder)` first")
        }
        var summary = Summary()
        try JSONLinesReader(path: documentsPath).forEach(DocumentsLine.self) { line, _ in
            if case .document = line { summary.documents += 1 }
        }
        var coder = DocumentCoder(taxonomies: taxonomies)
        let passagesFile = try OutputFile(path: folder + "/passages.jsonl")
        let codingsFile = try OutputFile(path: folder + "/codings.jsonl")
        for taxonomy in taxonomies { try codingsFile.write(Wire.line(TaxonomyRecord(taxonomy))) }
        // Lines are gathered and written about a megabyte at a time.
        let passageLines = LineBuffer(capacity: 1 << 21)
        let codingLines = LineBuffer(capacity: 1 << 21)
        func write(ifAtLeast limit: Int) throws {
            if passageLines.count >= limit {
                try passagesFile.write(passageLines.data)
                passageLines.removeAll()
            }
            if codingLines.count >= limit {
                try codingsFile.write(codingLines.data)
                codingLines.removeAll()
            }
        }
        try JSONLinesReader(path: blocksPath).forEach(BlocksLine.self) { line, _ in
            coder.append([line.block], passages: passageLines, codings: codingLines)
            try write(ifAtLeast: 1 << 20)
        }
        try write(ifAtLeast: 1)
        summary.passages = coder.passages
        summary.codings = coder.codings
        summary.counted = coder.counted
        try passagesFile.commit()
        try codingsFile.commit()
        return summary
    }
}
