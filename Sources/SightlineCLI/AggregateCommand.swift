import ArgumentParser
import Foundation
import SightlineCore
import SightlinePipeline

/// `sightline aggregate` and `sightline-aggregate`.
public struct AggregateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "aggregate",
        abstract: "Count themes across documents and write evidence tables, quotes and an HTML appendix.",
        discussion: """
            Reads DIR/documents.jsonl, passages.jsonl and codings.jsonl and writes DIR/tables/: themes.csv \
            (documents featuring and mentioning each theme and sub-theme, % with 95% Wilson intervals), \
            document-themes.csv (each document's call per theme, with its reason), document-theme-matrix.csv \
            (counted passages per document, theme and sub-theme), coded-segments.csv (one row per counted coding, \
            with its passage), cooccurrence.csv, crosstab-COLUMN.csv for each --by column, evidence.md, \
            appendix.html and review.html (see `sightline review`). \
            A passage is evidence for a theme when it is coded for it, neither negated, hypothetical nor \
            boilerplate; a document mentions a theme when any passage is evidence, and features it when its \
            taxonomy's document_call rule is met (--min-passages, --min-share and --min-pages override it). \
            The appendix's date comes from SOURCE_DATE_EPOCH when it is set.
            """)

    @Option(name: .customLong("in"), help: "The folder holding the tag stage's output.")
    public var input: String

    @OptionGroup var counting: AggregateOptions

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    public var quiet = false

    public init() {}

    public func run() throws {
        let model = try counting.stage(quiet: quiet).run(folder: input)
        if !quiet {
            let found = model.result.rows.filter { $0.subtheme == nil && $0.documents > 0 }.count
            Terminal.progress(
                "aggregated \(model.documents.count) documents: \(found) themes with evidence; "
                    + "tables in \(input)/tables/"
            )
        }
        // Stale decisions were not applied: the tables are written, and the exit status says something needs a look.
        if model.decisions?.hasStale == true { throw ExitCode(1) }
    }
}

/// The aggregate stage's options, shared by `aggregate` and `run`.
struct AggregateOptions: ParsableArguments {
    @Option(name: .long, help: "A CSV of document metadata with a `file` column (source path or file name).")
    var manifest: String?

    @Option(name: .long, help: "A manifest column to cross-tabulate themes by (repeatable).")
    var by: [String] = []

    @Option(
        name: .customLong("min-passages"),
        help:
            "Passages of counted evidence a document needs to feature a theme (overrides the taxonomy's document_call)."
    )
    var minPassages: Int?

    @Option(
        name: .customLong("min-share"),
        help: """
            Share of a document's substantive passages, 0-1 or a percentage such as 5%, that must be evidence \
            for it to feature a theme.
            """
    )
    var minShare: String?

    @Option(
        help: """
            Review decisions applied before counting: a CSV (passage_id, theme, decision accept/reject/add, \
            reviewer, note, text_sha256), or a REFI-QDA project (.qdpx) whose codes replace the machine's on \
            its documents.
            """
    )
    var decisions: String?

    @Option(help: "For --decisions FILE.qdpx: a CSV mapping the project's code names to themes (columns code, theme).")
    var codeMap: String?

    @Option(
        name: .customLong("min-pages"),
        help: "Distinct pages the evidence must start on for a document to feature a theme.")
    var minPages: Int?

    func validate() throws {
        if let minPassages, minPassages < 1 { throw ValidationError("--min-passages must be at least 1") }
        if let minPages, minPages < 1 { throw ValidationError("--min-pages must be at least 1") }
        if let minShare, DocumentCallRule.parseShare(minShare) == nil {
            throw ValidationError(
                "--min-share must be a share from 0 to 1 (0.05) or a percentage (5%), not ‘\(minShare)’")
        }
        if !by.isEmpty && manifest == nil { throw ValidationError("--by needs a --manifest") }
    }

    /// The parts of the document-call rule set here.
    var override: DocumentCallRule.Override {
        DocumentCallRule.Override(
            minPassages: minPassages, minShare: minShare.flatMap(DocumentCallRule.parseShare), minPages: minPages)
    }

    func stage(quiet: Bool) -> AggregateStage {
        AggregateStage(
            manifest: manifest, by: by, override: override, decisions: decisions, codeMap: codeMap, quiet: quiet)
    }
}

struct AggregateStage {
    var manifest: String?
    var by: [String]
    var override: DocumentCallRule.Override
    var decisions: String?
    var codeMap: String? = nil
    var quiet: Bool

    /// Whether the decisions are a REFI-QDA project, which needs the run's passages and codings to be read.
    var decisionsAreProject: Bool { decisions.map(ProjectDecisions.isProject) ?? false }

    /// The review decisions, checked against the taxonomies, or nil when none were named.
    /// A project's decisions are made against the run in `folder`.
    func loadDecisions(taxonomies: [TaxonomyRecord], folder: String? = nil) throws -> DecisionSet? {
        guard let decisions else { return nil }
        do {
            if decisionsAreProject, let folder {
                return try ProjectDecisions.fromProject(
                    decisions, folder: folder, taxonomies: taxonomies, codings: nil, docIDs: nil, codeMap: codeMap)
            }
            return try DecisionSet.load(path: decisions, taxonomies: taxonomies)
        } catch let problem as DecisionSet.Problem {
            throw ValidationError(problem.description)
        }
    }

    /// The manifest, checked against `--by`, or nil when none was named.
    func loadManifest() throws -> Manifest? {
        guard let manifest else { return nil }
        let loaded = try Manifest.load(path: manifest)
        for column in by where !loaded.columns.contains(column) {
            throw ValidationError(
                "--by \(column): the manifest has no such column (it has \(loaded.columns.joined(separator: ", ")))")
        }
        return loaded
    }

    /// Reads an earlier run's files and writes the tables.
    func run(folder: String) throws -> EvidenceModel {
        if let path = Stages.aggregate.missing(in: folder).first {
            throw ValidationError("\(path) not found: run `sightline tag --in \(folder)` first")
        }
        let manifest = try loadManifest()
        var documents: [DocumentInfo] = []
        var failures: [ErrorRecord] = []
        var skipped: [SkippedRecord] = []
        try JSONLinesReader(path: folder + "/documents.jsonl").forEach(DocumentsLine.self) { line, _ in
            switch line {
            case .document(let record): documents.append(DocumentInfo(record))
            case .error(let record): failures.append(record)
            case .duplicate: break
            case .skipped(let record): skipped.append(record)
            }
        }
        // Taxonomy records head codings.jsonl; the codings then stream into the builder.
        var taxonomies: [TaxonomyRecord] = []
        var builder: EvidenceBuilder? = nil
        func started() throws -> EvidenceBuilder {
            var fresh = EvidenceBuilder(taxonomies: taxonomies, override: override)
            fresh.manifest = manifest
            fresh.segments = CodedSegments()
            fresh.review = ReviewPage(taxonomies: taxonomies)
            if let decided = try loadDecisions(taxonomies: taxonomies, folder: folder) {
                fresh.apply(decisions: decided)
                // Decided passages' current texts, before any coding is decided.
                try JSONLinesReader(path: folder + "/passages.jsonl").forEach(PassagesLine.self) { line, _ in
                    if fresh.isDecided(line.passage.passageID) { fresh.see(passage: line.passage) }
                }
            }
            for document in documents { fresh.add(document: document) }
            for failure in failures { fresh.add(failure: failure) }
            for record in skipped { fresh.add(skipped: record) }
            return fresh
        }
        let interner = StringInterner()
        let codingsPath = folder + "/codings.jsonl"
        var lines = try JSONLinesReader(path: codingsPath).lines()
        while let (bytes, line) = lines.next() {
            try Wire.at(file: codingsPath, line: line) {
                if builder == nil {
                    // The header: read whole, until the first coding.
                    switch try CodingsLine(line: bytes) {
                    case .taxonomy(let record):
                        taxonomies.append(record)
                        return
                    case .coding:
                        builder = try started()
                    }
                }
                let coding = try bytes.withUnsafeBytes { try builder!.add(codingLine: $0, interner: interner) }
                if coding == nil { throw Wire.Problem.taxonomyAfterCodings }
            }
        }
        var evidence = try builder ?? started()
        // Every passage counts towards its document's substantive passages; the quoted ones are kept.
        // The coded segments are written as their passages arrive.
        let segments = try Self.openSegments(folder: folder)
        do {
            let passagesPath = folder + "/passages.jsonl"
            lines = try JSONLinesReader(path: passagesPath).lines()
            while let (bytes, line) = lines.next() {
                try Wire.at(file: passagesPath, line: line) {
                    try bytes.withUnsafeBytes { try evidence.add(passageLine: $0) }
                }
                try segments.write(evidence.drainSegments())
            }
            return try finish(evidence, manifest: manifest, folder: folder, segments: segments)
        } catch {
            Self.abandon(segments, folder: folder)
            throw error
        }
    }

    /// `tables/coded-segments.csv`, opened to take the rows as they are made (`EvidenceBuilder.drainSegments`).
    static func openSegments(folder: String) throws -> OutputFile {
        try FileManager.default.createDirectory(atPath: folder + "/tables", withIntermediateDirectories: true)
        return try OutputFile(path: folder + "/tables/coded-segments.csv")
    }

    /// After a failure: removes the unfinished coded-segments table, and the tables folder when that leaves it
    /// empty (rmdir leaves a folder that holds an earlier run's tables).
    static func abandon(_ segments: OutputFile?, folder: String) {
        segments?.discard()
        rmdir(folder + "/tables")
    }

    /// Attaches the manifest's metadata and writes `folder/tables/`. `segments` has had the coded-segments rows
    /// drained so far; the rest are written here. The evidence must have collected the review page.
    func finish(_ evidence: EvidenceBuilder, manifest: Manifest?, folder: String, segments: OutputFile) throws
        -> EvidenceModel
    {
        var evidence = evidence
        var documents = evidence.documents
        var manifestColumns: [String] = []
        if let manifest, let path = self.manifest,
            let problem = manifest.noMatchProblem(file: path, sources: documents.map(\.source))
        {
            throw problem
        }
        if var manifest {
            manifest.attach(to: &documents)
            manifestColumns = manifest.columns
            if !quiet, let path = self.manifest {
                for warning in manifest.warnings { Terminal.warning("\(path): \(warning)") }
            }
        }
        var model = evidence.model(
            metadata: documents, manifestColumns: manifestColumns, toolVersion: SightlineVersion.current,
            date: Self.date())
        model.byColumns = by
        let tables = folder + "/tables"
        try FileManager.default.createDirectory(atPath: tables, withIntermediateDirectories: true)
        let appendix = model.appendix
        var files: [(String, String)] = [
            ("themes.csv", model.themesCSV), ("document-theme-matrix.csv", model.matrixCSV),
            ("cooccurrence.csv", model.cooccurrenceCSV),
            ("evidence.md", MarkdownReportRenderer().render(appendix)),
            ("appendix.html", HTMLReportRenderer().render(appendix)),
        ]
        for column in by { files.append(("crosstab-\(EvidenceModel.fileSafe(column)).csv", model.crosstabCSV(column))) }
        if let decisions = model.decisions {
            files.append(("decisions.csv", decisions.reportCSV))
            for warning in decisions.warnings { Terminal.warning(warning) }
        }
        // The largest table, as the bytes it was built in.
        let documentThemes = try OutputFile(path: tables + "/document-themes.csv")
        try documentThemes.write(model.documentThemesTable)
        var outputs = [documentThemes]
        for (name, text) in files {
            let file = try OutputFile(path: tables + "/" + name)
            try file.write(Data(text.utf8))
            outputs.append(file)
        }
        try segments.write(evidence.drainSegments())
        // The review page, collected as the records streamed past, shows the decisions as the counts applied them.
        guard var review = evidence.review else {
            preconditionFailure("the evidence was not collecting the review page")
        }
        review.decisions = model.decisions
        let page = try OutputFile(path: tables + "/review.html")
        try review.write(to: page.write)
        let word = try OutputFile(path: tables + "/appendix.docx")
        try word.write(WordReportRenderer().render(appendix))
        outputs += [segments, page, word]
        try OutputFile.commit(outputs)
        return model
    }

    /// The report date: SOURCE_DATE_EPOCH when set (reproducible builds), else today, in UTC.
    static func date() -> String {
        let seconds =
            ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap(TimeInterval.init)
            ?? Date().timeIntervalSince1970
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }
}
