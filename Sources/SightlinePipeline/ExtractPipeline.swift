import Foundation
import SightlineCore
import SightlineExtract

/// What an extract (or run) pipeline is asked to do: everything the command line decided, nothing parsed here.
public struct PipelineConfiguration: Sendable {
    public var batch: BatchOptions
    /// Files and folders to read.
    public var inputs: [String]
    /// The output folder, or `-` for standard output (documents and blocks only).
    public var out: String
    /// The cache folder, or nil for none.
    public var cache: String?
    /// When not empty (and `out` is a folder), documents are also coded and passages and codings written.
    public var taxonomies: [Taxonomy] = []
    /// Further paths that are Sightline's own files, not inputs (a manifest, a decisions file).
    public var excluding: [String] = []

    public init(batch: BatchOptions, inputs: [String], out: String, cache: String?) {
        self.batch = batch
        self.inputs = inputs
        self.out = out
        self.cache = cache
    }

    var toStandardOutput: Bool { out == "-" }
    var codes: Bool { !taxonomies.isEmpty && !toStandardOutput }
}

/// Hears what a pipeline does, for the command to report it. `pageReadByOCR` is called on the lanes'
/// threads, the rest on the caller's, in input order.
public protocol PipelineObserver: AnyObject, Sendable {
    /// The cache folder cannot be used; the batch goes on without it.
    func cacheUnavailable(_ folder: String, because error: any Error)
    /// One more page read by OCR: `pages` so far in this run, with `documents` finished.
    func pageReadByOCR(pages: Int, documents: Int, of total: Int)
    /// The document at `position` (of `total`) is written; `summary` already counts it.
    func finished(_ result: ExtractedLines, position: Int, of total: Int, summary: BatchSummary) throws
}

/// The batch was stopped (SIGINT or SIGTERM) before every input was done; no output was changed.
public struct PipelineInterrupted: Error {
    /// Documents written before the stop, of `total`.
    public var done: Int
    public var total: Int
    /// Where finished documents were kept, when there is a cache.
    public var cache: String?
}

/// The extract stage, and with taxonomies the extract and code stages of `run`:
/// walk the inputs, plan them against the hash index, read them in the batch's
/// lanes, settle duplicates, write the output files in input order, count.
public struct ExtractPipeline {
    public var configuration: PipelineConfiguration
    public var observer: (any PipelineObserver)?

    public init(configuration: PipelineConfiguration, observer: (any PipelineObserver)? = nil) {
        self.configuration = configuration
        self.observer = observer
    }

    /// The files this run writes in `out`.
    public var writes: [String] { Stages.extract.writes + (configuration.codes ? Stages.code.writes : []) }

    /// Runs the pipeline; `each` sees every document's lines in input order, after they are written.
    public func run(each: ((ExtractedLines) throws -> Void)? = nil) throws -> BatchSummary {
        let configuration = configuration
        let out = configuration.out
        // Sightline's own files are not inputs: the output and cache folders, the taxonomies and the files
        // options name.
        var own = configuration.excluding + configuration.taxonomies.map(\.file)
        if !configuration.toStandardOutput { own.append(out) }
        if let cache = configuration.cache { own.append(cache) }
        let items = InputWalker(excluding: own).expand(configuration.inputs)
        if items.isEmpty { throw PipelineError.noInputs }
        var summary = BatchSummary()
        if !configuration.toStandardOutput {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        }
        var options = configuration.batch
        if configuration.codes { options.taxonomies = configuration.taxonomies }
        var store: DocumentCache? = nil
        if let cache = configuration.cache {
            do {
                store = try DocumentCache(
                    root: cache, extract: options.extract, taxonomies: configuration.codes ? options.taxonomies : [])
            } catch {
                observer?.cacheUnavailable(cache, because: error)
            }
        }
        var index = HashIndex(file: store.map { $0.root + "/index.jsonl" })
        let jobs = JobPlanner.plan(items, index: index)
        let stop = StopSignal()
        stop.install()
        var files: [OutputFile] = []
        do {
            if !configuration.toStandardOutput {
                files = try writes.map { try OutputFile(path: out + "/" + $0) }
                // Taxonomy records head codings.jsonl.
                if let codings = files.first(where: { $0.path.hasSuffix("/codings.jsonl") }) {
                    for taxonomy in options.taxonomies {
                        try codings.write(Wire.line(TaxonomyRecord(taxonomy)))
                    }
                }
            }
            let batch = BatchExtractor(options: options)
            let progress = BatchProgress()
            if let observer {
                batch.onOCRPage = { [total = items.count] in
                    let (pages, done) = progress.addOCRPage()
                    observer.pageReadByOCR(pages: pages, documents: done, of: total)
                }
            }
            let stdout = FileHandle.standardOutput
            try batch.run(jobs, cache: store, stop: stop) { position, result in
                progress.finished(position + 1)
                if let hashed = result.hashed { index.record(hashed) }
                try each?(result)
                if configuration.toStandardOutput {
                    stdout.write(result.document)
                    stdout.write(result.blocks)
                } else {
                    // In the order of `writes`: documents, blocks, then passages and codings when coding.
                    for (file, lines) in zip(files, [result.document, result.blocks, result.passages, result.codings]) {
                        try file.write(lines)
                    }
                }
                summary.count(result, passages: !configuration.toStandardOutput)
                summary.ocrPagesReported = progress.ocrPages
                try observer?.finished(result, position: position, of: items.count, summary: summary)
            }
            try OutputFile.commit(files)
            index.save()
        } catch is BatchInterrupted {
            for file in files { file.discard() }
            index.save()
            throw PipelineInterrupted(done: summary.documents, total: items.count, cache: store?.root)
        } catch {
            for file in files { file.discard() }
            throw error
        }
        return summary
    }
}

/// Failures of a pipeline as a whole (a document's own failures are error records).
public enum PipelineError: Error, CustomStringConvertible {
    case noInputs

    public var description: String {
        switch self {
        case .noInputs:
            return "no documents found in the inputs given (looked for .pdf, .html, .htm, .xhtml, .docx and .txt files)"
        }
    }
}
