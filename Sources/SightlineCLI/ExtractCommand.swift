import ArgumentParser
import Foundation
import SightlineCore
import SightlineExtract

extension Isolation: ExpressibleByArgument {}
extension OCRMode: ExpressibleByArgument {}

/// `sightline extract` and `sightline-extract`.
public struct ExtractCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Extract clean, page-tagged text blocks from PDF, HTML, DOCX and text documents.",
        discussion: """
            Folders are walked recursively in sorted order, taking .pdf, .html, .htm, .xhtml, .docx, \
            .odt, .rtf, .doc (with antiword) and .txt files; each file's format is decided from its \
            bytes. Any other file in a folder (a spreadsheet, an image) is not read: it gets a `skipped` \
            record and a line saying why. Hidden files, the output folder and the entries a folder's \
            .sightlineignore lists are left out silently. Writes OUT/documents.jsonl (one `document`, \
            `error`, `duplicate` or `skipped` record per input, in input order) and OUT/blocks.jsonl \
            (one `block` record per heading, paragraph, list item, table cell or footnote). With \
            --out - both go to standard output.

            Each document is parsed in a worker process with a time and memory limit, so a broken file \
            costs only itself. Exit status: 0 when every document was extracted (skipped files do not \
            count as failures), 1 when some failed (their error records are written), 2 for usage errors.
            """)

    @Argument(help: "Files or folders to extract.")
    public var inputs: [String]

    @Option(name: .long, help: "Output folder (created if missing), or - for standard output.")
    public var out: String

    @OptionGroup var batch: BatchFlags

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    public var quiet = false

    public init() {}

    public func validate() throws {
        if inputs.isEmpty { throw ValidationError("name at least one file or folder to extract") }
        try InputPaths.check(inputs)
    }

    public func run() throws {
        let summary = try ExtractStage(options: batch.options, cache: batch.cacheFolder(out: out), quiet: quiet).run(
            inputs: inputs, out: out)
        if summary.failed > 0 { throw ExitCode(1) }
    }
}

/// The files and folders named on the command line.
enum InputPaths {
    /// A path that does not exist is a usage error, found before anything is read or written.
    static func check(_ inputs: [String]) throws {
        for input in inputs where !FileManager.default.fileExists(atPath: input) {
            throw ValidationError("no such file or folder: ‘\(input)’")
        }
    }
}

/// How a batch of documents is read, shared by `extract` and `run`.
struct BatchFlags: ParsableArguments {
    // No default value here, which the help would print beside this one ("(default: 2)").
    @Option(name: .long, help: "Documents extracted in parallel (default: the number of cores).")
    var jobs: Int?

    @Option(name: .long, help: "Seconds one document may take before it is stopped and reported as `timeout`.")
    var timeout: Int = 300

    @Option(name: .customLong("memory-limit-mb"), help: "Address-space limit of each worker process in MiB (0: none).")
    var memoryLimitMB: Int = 4096

    @Option(name: .long, help: "Where documents are parsed: process (worker processes) or none (in this process).")
    var isolation: Isolation = .process

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Which PDF pages are read with OCR (Tesseract): auto (scanned pages without a text layer), "
                + "always (every page), never.",
            discussion: "Without Tesseract and its English language data (Debian: tesseract-ocr, tesseract-ocr-eng) "
                + "a scanned PDF is reported as no_text_layer, as with never."))
    var ocr: OCRMode = .auto

    @Flag(
        name: .customLong("keep-colour-management"),
        help: "Let poppler build ICC colour transforms (slower; text is the same).")
    var keepColourManagement = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Cache folder (default: OUT/cache).",
            discussion:
                "Each document's extracted blocks (and, for run, its passages and codings) are kept here, keyed by the file's SHA-256, the Sightline build and the taxonomies, so a re-run reads only new or changed files and a killed run resumes where it stopped. Delete the folder to clear it."
        ))
    var cache: String?

    @Flag(name: .customLong("no-cache"), help: "Neither read nor write the cache: extract everything afresh.")
    var noCache = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if timeout < 1 { throw ValidationError("--timeout must be at least 1 second") }
        if memoryLimitMB < 0 { throw ValidationError("--memory-limit-mb cannot be negative") }
        if noCache && cache != nil { throw ValidationError("--cache and --no-cache contradict each other") }
        if ocr == .always, let reason = OCRLibrary.unavailability(language: ExtractOptions().ocrLanguage) {
            throw ValidationError("--ocr always needs Tesseract, and \(reason)")
        }
    }

    var options: BatchOptions {
        var options = BatchOptions()
        options.jobs = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        options.isolation = isolation
        options.timeout = TimeInterval(timeout)
        options.memoryLimitMB = memoryLimitMB
        options.extract.bypassColourManagement = !keepColourManagement
        options.extract.ocr = ocr
        options.extract.memoryLimitMB = memoryLimitMB
        return options
    }

    /// The cache folder for output folder `out`, or nil when there is none.
    func cacheFolder(out: String) -> String? {
        if noCache { return nil }
        if let cache { return cache }
        return out == "-" ? nil : out + "/cache"
    }
}

/// The extract stage as the commands run it: walk, extract, write, report.
struct ExtractStage {
    var options: BatchOptions
    /// The cache folder, or nil for none.
    var cache: String?
    var quiet: Bool

    struct Summary {
        var documents = 0
        var failed = 0
        var pages = 0
        /// Pages read by OCR.
        var ocrPages = 0
        var passages = 0
        var fromCache = 0
        var duplicates = 0
        var skipped = 0
        var failures: [String: Int] = [:]
        /// Skipped files by extension (or reason).
        var skips: [String: Int] = [:]
    }

    /// Extracts; with `coding`, also writes passages.jsonl and codings.jsonl
    /// as documents arrive; `each` sees every document's lines in input order.
    func run(
        inputs: [String], out: String, coding taxonomies: [Taxonomy] = [], excluding: [String] = [],
        each: ((ExtractedLines) throws -> Void)? = nil
    ) throws -> Summary {
        // Sightline's own files are not inputs: the output and cache folders, the taxonomies and the files options name.
        var own = excluding + taxonomies.map(\.file)
        if out != "-" { own.append(out) }
        if let cache { own.append(cache) }
        let items = InputWalker(excluding: own).expand(inputs)
        if items.isEmpty { throw CLIError.noInputs }
        let started = Date()
        var summary = Summary()
        let toStdout = out == "-"
        if !toStdout { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) }
        var options = options
        if !taxonomies.isEmpty && !toStdout {
            options.taxonomies = taxonomies
        }
        var store: DocumentCache? = nil
        if let cache {
            do {
                store = try DocumentCache(root: cache, extract: options.extract, taxonomies: toStdout ? [] : taxonomies)
            } catch {
                Terminal.warning(
                    "cannot use the cache folder \(cache) (\(error.localizedDescription)): going on without a cache")
            }
        }
        var index = HashIndex(file: store.map { $0.root + "/index.jsonl" })
        let jobs = JobPlanner.plan(items, index: index)
        let stop = StopSignal()
        stop.install()
        var files: [OutputFile] = []
        var documentsFile: OutputFile? = nil
        var blocksFile: OutputFile? = nil
        var passagesFile: OutputFile? = nil
        var codingsFile: OutputFile? = nil
        do {
            if !toStdout {
                documentsFile = try OutputFile(path: out + "/documents.jsonl")
                blocksFile = try OutputFile(path: out + "/blocks.jsonl")
                files = [documentsFile!, blocksFile!]
                if !taxonomies.isEmpty {
                    passagesFile = try OutputFile(path: out + "/passages.jsonl")
                    codingsFile = try OutputFile(path: out + "/codings.jsonl")
                    files += [passagesFile!, codingsFile!]
                    for taxonomy in taxonomies {
                        try codingsFile?.write(Wire.line(TaxonomyRecord(taxonomy)))
                    }
                }
            }
            let stdout = FileHandle.standardOutput
            // Failed documents by source: a second copy of a failed file fails too, and is reported as such.
            var failedSources: [String: ErrorRecord] = [:]
            // Content keys written so far: two lanes may both read a file's copies; the later in order becomes a duplicate.
            var written: [String: String] = [:]
            let batch = BatchExtractor(options: options)
            let live = LiveOCRCount()
            if !quiet && Terminal.isInteractive {
                // Redrawn after each page read by OCR: a scanned report takes minutes.
                batch.onOCRPage = { [started] in
                    let (pages, done) = live.add()
                    Terminal.bar(
                        done: done, total: items.count,
                        detail: "\(pages) pages OCR'd, "
                            + Self.timeLeft(done: done, total: items.count, elapsed: Date().timeIntervalSince(started)))
                }
            }
            try batch.run(jobs, cache: store, stop: stop) { position, result in
                live.finished(position + 1)
                var result = result
                if let hashed = result.hashed { index.record(hashed) }
                if let key = result.contentKey, !result.duplicate {
                    if let first = written[key] {
                        var copy = ExtractedLines.duplicate(result.source, of: first, sha: String(key.prefix(64)))
                        copy.contentKey = key
                        result = copy
                    } else {
                        written[key] = result.source
                    }
                }
                if let first = result.duplicateOf, let failure = failedSources[first] {
                    let record = ErrorRecord(
                        source: result.source, docID: failure.docID, code: failure.code,
                        message: "\(failure.message) (the same bytes as \(first))")
                    result.document = Wire.encodedLine(record)
                    result.error = record
                    result.duplicateOf = nil
                }
                if let error = result.error { failedSources[result.source] = error }
                try each?(result)
                if toStdout {
                    stdout.write(result.document)
                    stdout.write(result.blocks)
                } else {
                    try documentsFile?.write(result.document)
                    try blocksFile?.write(result.blocks)
                    try passagesFile?.write(result.passages)
                    try codingsFile?.write(result.codings)
                    summary.passages += JSONLinesReader.lineCount(in: result.passages)
                }
                summary.documents += 1
                summary.pages += result.pageCount
                summary.ocrPages += result.ocrPageCount
                if result.fromCache { summary.fromCache += 1 }
                if result.duplicate { summary.duplicates += 1 }
                if let skipped = result.skipped {
                    summary.skipped += 1
                    let kind =
                        skipped.reason.hasPrefix("unsupported format: ")
                        ? String(skipped.reason.dropFirst(20)) : skipped.reason
                    summary.skips[kind, default: 0] += 1
                    if !quiet { Terminal.warning("\(skipped.source): skipped (\(skipped.reason))") }
                } else if let error = result.error {
                    summary.failed += 1
                    summary.failures[error.code.rawValue, default: 0] += 1
                    Terminal.error("\(error.source): \(error.code.rawValue): \(error.message)")
                } else if !quiet {
                    for warning in result.warnings { Terminal.warning("\(result.source): \(warning.message)") }
                    if !Terminal.isInteractive {
                        Terminal.progress(
                            "[\(position + 1)/\(items.count)] \(result.source)\(result.duplicate ? " (same file as one above: read once)" : "")"
                        )
                    }
                }
                if !quiet && Terminal.isInteractive {
                    let elapsed = Date().timeIntervalSince(started)
                    Terminal.bar(
                        done: position + 1, total: items.count,
                        detail: Self.progressDetail(
                            summary, ocrPages: live.pages, done: position + 1, total: items.count, elapsed: elapsed))
                }
            }
            try OutputFile.commit(files)
            index.save()
        } catch is BatchInterrupted {
            for file in files { file.discard() }
            index.save()
            if !quiet && Terminal.isInteractive { Terminal.endBar() }
            var message =
                "interrupted: stopped after \(summary.documents) of \(items.count) documents; no output in \(out) was changed."
            if let store {
                message +=
                    " Finished documents are kept in the cache (\(store.root)): run the same command again to resume."
            }
            Terminal.error(message)
            throw ExitCode(130)
        } catch {
            for file in files { file.discard() }
            throw error
        }
        if !quiet && Terminal.isInteractive { Terminal.endBar() }
        if !quiet {
            let seconds = Date().timeIntervalSince(started)
            let read = summary.documents - summary.failed - summary.duplicates - summary.skipped
            let total = summary.documents - summary.duplicates - summary.skipped
            let ocr = summary.ocrPages > 0 ? ", \(summary.ocrPages) read by OCR" : ""
            var line =
                "extracted \(read) of \(total) documents (\(summary.pages) pages\(ocr)) "
                + "in \(String(format: "%.1f", seconds)) s"
            if summary.fromCache > 0 { line += ", \(summary.fromCache) from the cache" }
            if summary.failed > 0 {
                line +=
                    "; \(summary.failed) failed: "
                    + summary.failures.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(
                        separator: ", ")
            }
            if summary.duplicates > 0 {
                line +=
                    "; \(summary.duplicates) duplicate\(summary.duplicates == 1 ? "" : "s") (the same bytes as an input read under another name)"
            }
            if summary.skipped > 0 {
                let reasons = summary.skips.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(
                    separator: ", ")
                line +=
                    "; \(summary.skipped) file\(summary.skipped == 1 ? "" : "s") skipped, in formats Sightline does not read (\(reasons))"
            }
            Terminal.progress(line)
        }
        return summary
    }
}

extension ExtractStage {
    /// The progress bar's words after `done` of `total` documents: pages a
    /// second, pages read by OCR in this run, and the time left. A page read by OCR takes
    /// tens of times longer than one with a text layer, so the time left is worked out
    /// from the rate of the documents done so far, which carries their mix.
    static func progressDetail(
        _ summary: Summary, ocrPages: Int, done: Int, total: Int, elapsed: TimeInterval
    ) -> String {
        let rate = Double(summary.pages) / max(elapsed, 0.001)
        // OCR reads a page in seconds: then the rate needs a decimal.
        var detail = String(format: rate < 10 ? "%.1f pages/s" : "%.0f pages/s", rate)
        if ocrPages > 0 { detail += ", \(ocrPages) pages OCR'd" }
        return detail + ", " + timeLeft(done: done, total: total, elapsed: elapsed)
    }

    static func timeLeft(done: Int, total: Int, elapsed: TimeInterval) -> String {
        guard done > 0 else { return "time left not known yet" }
        return formatDuration(elapsed / Double(done) * Double(max(0, total - done))) + " left"
    }

    /// "42 s", "3 min 5 s", "2 h 7 min".
    static func formatDuration(_ seconds: TimeInterval) -> String {
        let whole = Int(seconds.rounded())
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
        return "\(whole / 3600) h \(whole % 3600 / 60) min"
    }

    /// Counts one document's lines towards the tables, as `aggregate` would from the files.
    static func feed(_ result: ExtractedLines, to evidence: inout EvidenceBuilder, interner: StringInterner) throws {
        if let skipped = result.skipped { evidence.add(skipped: skipped) }
        guard !result.duplicate, result.skipped == nil else { return }
        if let error = result.error {
            evidence.add(failure: error)
            return
        }
        do {
            guard case .document(let record) = try DocumentsLine(line: result.document) else {
                throw Wire.Problem("not a document record")
            }
            evidence.add(document: DocumentInfo(record))
            if evidence.decisions != nil {
                // Decided passages' texts are checked before their codings are decided.
                try JSONLinesReader.forEachLineInPlace(in: result.passages) { line in
                    let passage = try PassagesLine(line: line).passage
                    if evidence.isDecided(passage.passageID) { evidence.see(passage: passage) }
                }
            }
            try JSONLinesReader.forEachLineInPlace(in: result.codings) {
                _ = try evidence.add(codingLine: $0, interner: interner)
            }
            try JSONLinesReader.forEachLineInPlace(in: result.passages) { try evidence.add(passageLine: $0) }
        } catch let problem as Wire.Problem {
            throw ValidationError("\(result.source): a line written for it does not read back: \(problem)")
        }
        evidence.dropUnwantedPassages()
    }
}

/// Looks each input up in the cache's index before the batch starts: an
/// unchanged file's SHA-256 is known without reading it; the others are
/// hashed by the batch's lanes as they come to them, alongside extraction.
enum JobPlanner {
    static func plan(_ items: [InputItem], index: HashIndex) -> [Job] {
        items.map { item in
            var job = Job(item: item)
            guard case .file(let path, _) = item, let identity = HashIndex.identity(of: path) else { return job }
            if let known = index.known(identity) { job.sha256 = known } else { job.identity = identity }
            return job
        }
    }

    /// SHA-256 of a file read in 1 MiB pieces, or nil when it cannot be read.
    static func sha256(ofFileAt path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            // nil or empty: the end of the file; a throw: a read error.
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 1 << 20) } catch { return nil }
            guard let chunk, !chunk.isEmpty else { break }
            hasher.update(chunk)
        }
        return hasher.finalizeHex()
    }
}

/// Pages read by OCR in this run so far, counted as workers report them, and
/// documents finished: the progress bar is redrawn from lanes' threads too.
final class LiveOCRCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private var done = 0

    /// Pages read by OCR so far.
    var pages: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }

    /// One more page read; returns the pages and documents done so far.
    func add() -> (pages: Int, done: Int) {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return (count, done)
    }

    func finished(_ documents: Int) {
        lock.lock()
        done = documents
        lock.unlock()
    }
}

/// The only place that writes messages for people (to standard error).
enum Terminal {
    static func error(_ message: String) { write("\(clearLine)error: \(message)\n") }
    static func warning(_ message: String) { write("\(clearLine)warning: \(message)\n") }

    /// On a terminal, messages first wipe the progress bar's line.
    static var clearLine: String { isInteractive ? "\r\u{1B}[K" : "" }
    static func progress(_ message: String) { write("\(message)\n") }

    /// Whether standard error is a terminal (then progress is a bar, else plain lines).
    static let isInteractive = isatty(2) != 0

    /// A one-line progress bar, redrawn in place.
    static func bar(done: Int, total: Int, detail: String) {
        let width = 30
        let filled = total > 0 ? width * done / total : width
        write(
            "\r[" + String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
                + "] \(done)/\(total) documents, \(detail)  ")
    }

    static func endBar() { write("\n") }

    /// Lanes redraw the bar while the writer reports documents: one message at a time.
    private static let lock = NSLock()

    private static func write(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
