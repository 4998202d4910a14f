import ArgumentParser
import Foundation
import SightlineCore
import SightlinePipeline

/// `sightline run`: extract, tag and aggregate in one go.
public struct RunCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Extract, tag and aggregate a folder of reviews, leaving every stage's output in --out.",
        discussion: """
            The same as `sightline extract`, then `sightline tag`, then `sightline aggregate` on the same \
            folder: DIR/documents.jsonl, blocks.jsonl, passages.jsonl, codings.jsonl and tables/. Exit \
            status as for extract: 1 when some documents could not be read (files skipped because \
            Sightline does not read their format do not count).
            """)

    @Argument(help: "Files or folders to analyse.")
    public var inputs: [String]

    @Option(name: .long, help: "Output folder.")
    public var out: String

    @OptionGroup var batch: BatchFlags

    @OptionGroup var taxonomies: TaxonomyOptions

    @OptionGroup var counting: AggregateOptions

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    public var quiet = false

    public init() {}

    public func validate() throws {
        if out == "-" { throw ValidationError("run writes several files: --out must be a folder") }
        try InputPaths.check(inputs)
    }

    public func run() throws {
        // Frames are validated before any document is read.
        let loaded = try taxonomies.load()
        let stage = counting.stage(quiet: quiet)
        let manifest = try stage.loadManifest()
        // A manifest that names none of the inputs is found out before anything is read.
        if let manifest, let path = counting.manifest {
            let sources = InputWalker().expand(inputs).compactMap { item -> String? in
                if case .file(_, let source) = item { source } else { nil }
            }
            if let problem = manifest.noMatchProblem(file: path, sources: sources) { throw problem }
        }
        // Documents are split into passages and coded in the extraction workers, as they are read,
        // and counted here as they arrive, so the tables need nothing read back.
        let records = loaded.map(TaxonomyRecord.init)
        var evidence = EvidenceBuilder(taxonomies: records, override: counting.override)
        evidence.manifest = manifest
        // A project's decisions are made against this run's passages and codings: applied once they are
        // written, by the aggregate stage reading them back. Otherwise the tables, the coded segments and the
        // review page come from the records as they stream past.
        let streaming = !stage.decisionsAreProject
        if streaming {
            evidence.segments = CodedSegments()
            evidence.review = ReviewPage(taxonomies: records)
            if let decisions = try stage.loadDecisions(taxonomies: records) { evidence.apply(decisions: decisions) }
        }
        let interner = StringInterner()
        // Opened with the first document (the stage makes the output folder), and written document by document.
        var segments: OutputFile? = nil
        let summary: ExtractStage.Summary
        let model: EvidenceModel
        do {
            summary = try ExtractStage(options: batch.options, cache: batch.cacheFolder(out: out), quiet: quiet).run(
                inputs: inputs, out: out, coding: loaded,
                excluding: [counting.manifest, counting.decisions].compactMap { $0 },
                each: { lines in
                    try ExtractStage.feed(lines, to: &evidence, interner: interner)
                    guard streaming else { return }
                    if segments == nil { segments = try AggregateStage.openSegments(folder: out) }
                    try segments?.write(evidence.drainSegments())
                })
            model =
                try streaming
                ? stage.finish(
                    evidence, manifest: manifest, folder: out,
                    segments: segments ?? AggregateStage.openSegments(folder: out))
                : stage.run(folder: out)
        } catch {
            AggregateStage.abandon(segments, folder: out)
            throw error
        }
        if !quiet {
            Terminal.progress(
                "split into \(summary.passages) passages; "
                    + "\(evidence.codedPassages) coded as evidence for at least one theme"
            )
            for row in model.result.rows where row.subtheme == nil && row.documents > 0 {
                Terminal.progress(
                    "  \(row.name): features in \(row.documents) of \(row.totalDocuments) documents; "
                        + "mentioned in \(row.documentsMentioning)"
                )
            }
            Terminal.progress("results in \(out)/ (tables in \(out)/tables/)")
        }
        if summary.failed > 0 || model.decisions?.hasStale == true { throw ExitCode(1) }
    }
}
