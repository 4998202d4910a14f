import ArgumentParser
import Foundation
import SightlineCore
import SightlineExtract
import SightlinePipeline

/// `sightline export`: hand Sightline's codes to QDA programs (REFI-QDA).
public struct ExportCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a run's codes for NVivo, ATLAS.ti, MAXQDA or QualCoder (REFI-QDA).",
        discussion: "The mapping is described in docs/refi-qda.md.",
        subcommands: [ExportQDPXCommand.self, ExportQDCCommand.self])

    public init() {}
}

/// `sightline export qdpx`: a REFI-QDA project of a run.
public struct ExportQDPXCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "qdpx",
        abstract: "Write a run as a REFI-QDA project (.qdpx): documents, codebook and codings.",
        discussion: """
            One text source per document read, its text exactly as Sightline extracted it (each block's passages \
            joined by a space, blocks by a blank line) in sources/GUID.txt, named by the document's file name; \
            manifest columns (--manifest) as text variables; the codebook from the run's coding frames (a code per \
            frame, its themes under it, their sub-themes under them, each with its description); and a coding per \
            passage coding at the passage's characters, after --decisions, with a note naming the rules that fired \
            and the words matched. Negated, hypothetical and boilerplate mentions go to codes under ‘Not counted \
            by Sightline’, so a reviewer can see them; they are not read back as codes. GUIDs are derived from the \
            documents and passage ids: the same run gives a byte-identical file.
            """)

    @Option(name: .customLong("in"), help: "The run folder (after `sightline run` or `sightline tag`).")
    public var input: String

    @Option(name: .long, help: "The project file to write (.qdpx).")
    public var out: String

    @Option(name: .long, help: "A CSV of document metadata with a `file` column, exported as variables.")
    var manifest: String?

    @Option(help: "Review decisions to apply first (CSV, or a .qdpx, as `aggregate --decisions`).")
    var decisions: String?

    @Option(help: "A CSV mapping code names to themes (code, theme), for --decisions FILE.qdpx.")
    var codeMap: String?

    @Option(help: "The project's name (default: the run folder's name).")
    var name: String?

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    public var quiet = false

    public init() {}

    public func run() throws {
        let started = Date()
        try RunFolder.requireFiles(in: input)
        var documents = try RunFolder.documents(in: input)
        var columns: [String] = []
        if let manifest {
            var loaded: Manifest
            do { loaded = try Manifest.load(path: manifest) } catch let problem as Manifest.Problem {
                throw ValidationError(problem.description)
            }
            loaded.attach(to: &documents)
            columns = loaded.columns
            if !quiet { for warning in loaded.warnings { Terminal.warning("\(manifest): \(warning)") } }
        }
        let passages = try RunFolder.passages(in: input, of: nil)
        let (machine, decided) = try ProjectDecisions.loadMachineCodes(
            folder: input, docIDs: nil, decisions: decisions, codeMap: codeMap)
        for warning in decided?.warnings ?? [] { Terminal.warning(warning) }
        let (project, texts) = QDAExport.project(
            name: name ?? URL(fileURLWithPath: input).standardizedFileURL.lastPathComponent,
            documents: documents, manifestColumns: columns, passages: passages, taxonomies: machine.taxonomies,
            codings: machine.codings, subthemeDescriptions: ExportQDCCommand.subthemeDescriptions(machine.taxonomies))
        var zip = ZipWriter.deflating()
        try zip.add(name: "project.qde", bytes: QDAXMLWriter.project(project))
        for (path, text) in texts { try zip.add(name: path, bytes: Array(text.utf8)) }
        let bytes = zip.finish()
        let file = try OutputFile(path: out)
        try file.write(Data(bytes))
        try OutputFile.commit([file])
        if !quiet {
            let codings = project.sources.reduce(0) { $0 + $1.selections.reduce(0) { $0 + $1.codings.count } }
            let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
            Terminal.progress(
                "wrote \(out): \(project.sources.count) documents, \(codings) codings, "
                    + "\(bytes.count / 1024) KiB in \(seconds) s")
        }
        if decided?.hasStale == true { throw ExitCode(1) }
    }
}

/// `sightline export qdc`: the coding frames as a REFI-QDA codebook.
public struct ExportQDCCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "qdc",
        abstract: "Write coding frames as a REFI-QDA codebook (.qdc).",
        discussion: """
            The frames of a run (--in DIR, from its codings.jsonl) or the taxonomy files (--taxonomy, default the \
            shipped ones): a code per frame, its themes under it and their sub-themes under them, each with its \
            description and Sightline id. The codes have the same GUIDs as in `export qdpx`.
            """)

    @Option(name: .customLong("in"), help: "A run folder whose coding frames to export.")
    var input: String?

    @OptionGroup var taxonomies: TaxonomyOptions

    @Option(name: .long, help: "The codebook file to write (.qdc).")
    public var out: String

    public init() {}

    public func run() throws {
        let codes: [QDAProject.Code]
        if let input {
            try RunFolder.requireFiles(in: input)
            let records = try RunFolder.codings(in: input, of: []).taxonomies
            codes = QDAExport.codebook(records, subthemeDescriptions: Self.subthemeDescriptions(records))
        } else {
            let loaded = try taxonomies.load()
            codes = QDAExport.codebook(
                loaded.map(TaxonomyRecord.init), subthemeDescriptions: Self.descriptions(of: loaded))
        }
        let file = try OutputFile(path: out)
        try file.write(Data(QDAXMLWriter.codebook(codes, origin: "Sightline \(SightlineVersion.current)")))
        try OutputFile.commit([file])
    }

    /// Sub-theme descriptions from the shipped or named taxonomy files, for the
    /// frames whose SHA-256 is the run's (the run's records do not carry them).
    static func subthemeDescriptions(_ records: [TaxonomyRecord]) -> [ThemeKey: String] {
        let wanted = Set(records.map(\.sha256))
        var found: [Taxonomy] = []
        for path in TaxonomyLocator.defaultFiles() ?? [] {
            // Another frame, or one that no longer loads: its sub-themes get no description.
            guard let taxonomy = try? TaxonomyLoader().load(path: path), wanted.contains(taxonomy.sha256) else {
                continue
            }
            found.append(taxonomy)
        }
        return descriptions(of: found)
    }

    static func descriptions(of taxonomies: [Taxonomy]) -> [ThemeKey: String] {
        var out: [ThemeKey: String] = [:]
        for taxonomy in taxonomies {
            for theme in taxonomy.themes {
                for sub in theme.subthemes {
                    if let text = sub.description {
                        out[ThemeKey(taxonomy: taxonomy.id, theme: theme.id, subtheme: sub.id)] = text
                    }
                }
            }
        }
        return out
    }
}
