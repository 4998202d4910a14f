import ArgumentParser
import Foundation
import SightlineCore
import SightlineExtract
import SightlinePipeline

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
            discussion: """
                Each document's extracted blocks (and, for run, its passages and codings) are kept here, keyed by \
                the file's SHA-256, the Sightline build and the taxonomies, so a re-run reads only new or changed \
                files and a killed run resumes where it stopped. Delete the folder to clear it.
                """
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

/// The extract stage as the commands run it: build the pipeline's configuration, run it, report.
struct ExtractStage {
    var options: BatchOptions
    /// The cache folder, or nil for none.
    var cache: String?
    var quiet: Bool

    typealias Summary = BatchSummary

    /// Extracts; with `coding`, also writes passages.jsonl and codings.jsonl
    /// as documents arrive; `each` sees every document's lines in input order.
    func run(
        inputs: [String], out: String, coding taxonomies: [Taxonomy] = [], excluding: [String] = [],
        each: ((ExtractedLines) throws -> Void)? = nil
    ) throws -> Summary {
        var configuration = PipelineConfiguration(batch: options, inputs: inputs, out: out, cache: cache)
        configuration.taxonomies = taxonomies
        configuration.excluding = excluding
        let reporter = BatchReporter(quiet: quiet)
        let summary: Summary
        do {
            summary = try ExtractPipeline(configuration: configuration, observer: reporter).run(each: each)
        } catch let interrupted as PipelineInterrupted {
            if !quiet && Terminal.isInteractive { Terminal.endBar() }
            var message =
                "interrupted: stopped after \(interrupted.done) of \(interrupted.total) documents; "
                + "no output in \(out) was changed."
            if let cache = interrupted.cache {
                message += " Finished documents are kept in the cache (\(cache)): run the same command again to resume."
            }
            Terminal.error(message)
            throw ExitCode(130)
        }
        if !quiet && Terminal.isInteractive { Terminal.endBar() }
        if !quiet { Terminal.progress(Self.closingLine(summary, seconds: Date().timeIntervalSince(reporter.started))) }
        return summary
    }

    /// "extracted 9 of 10 documents (120 pages) in 3.2 s; 1 failed: 1 encrypted", and so on.
    static func closingLine(_ summary: Summary, seconds: TimeInterval) -> String {
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
                + summary.failures.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        }
        if summary.duplicates > 0 {
            line +=
                "; \(summary.duplicates) duplicate\(summary.duplicates == 1 ? "" : "s") "
                + "(the same bytes as an input read under another name)"
        }
        if summary.skipped > 0 {
            let reasons = summary.skips.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(
                separator: ", ")
            line +=
                "; \(summary.skipped) file\(summary.skipped == 1 ? "" : "s") skipped, "
                + "in formats Sightline does not read (\(reasons))"
        }
        return line
    }
}

/// Reports a batch on standard error as it goes: each document's errors and
/// warnings, and a progress bar on a terminal (plain lines otherwise).
final class BatchReporter: PipelineObserver, @unchecked Sendable {
    let quiet: Bool
    /// Set once, when the reporter is made (just before the batch starts).
    let started = Date()

    init(quiet: Bool) { self.quiet = quiet }

    func cacheUnavailable(_ folder: String, because error: any Error) {
        Terminal.warning(
            "cannot use the cache folder \(folder) (\(error.localizedDescription)): going on without a cache")
    }

    func pageReadByOCR(pages: Int, documents: Int, of total: Int) {
        // Redrawn after each page read by OCR: a scanned report takes minutes.
        guard !quiet && Terminal.isInteractive else { return }
        Terminal.bar(
            done: documents, total: total,
            detail: "\(pages) pages OCR'd, "
                + ExtractStage.timeLeft(done: documents, total: total, elapsed: Date().timeIntervalSince(started)))
    }

    func finished(_ result: ExtractedLines, position: Int, of total: Int, summary: BatchSummary) {
        if let skipped = result.skipped {
            if !quiet { Terminal.warning("\(skipped.source): skipped (\(skipped.reason))") }
        } else if let error = result.error {
            Terminal.error("\(error.source): \(error.code.rawValue): \(error.message)")
        } else if !quiet {
            for warning in result.warnings { Terminal.warning("\(result.source): \(warning.message)") }
            if !Terminal.isInteractive {
                let note = result.duplicate ? " (same file as one above: read once)" : ""
                Terminal.progress("[\(position + 1)/\(total)] \(result.source)\(note)")
            }
        }
        if !quiet && Terminal.isInteractive {
            Terminal.bar(
                done: position + 1, total: total,
                detail: ExtractStage.progressDetail(
                    summary, ocrPages: summary.ocrPagesReported, done: position + 1, total: total,
                    elapsed: Date().timeIntervalSince(started)))
        }
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

    /// Counts one document's lines towards the tables, as `aggregate` would
    /// from the files. Its record and tallies come typed with the lines; of
    /// the lines, the codings are read (the tables, segments and review page
    /// need them whole), and of the passages only those with a coding,
    /// unless decisions apply, which may name any passage.
    static func feed(_ result: ExtractedLines, to evidence: inout EvidenceBuilder, interner: StringInterner) throws {
        if let skipped = result.skipped { evidence.add(skipped: skipped) }
        guard !result.duplicate, result.skipped == nil else { return }
        if let error = result.error {
            evidence.add(failure: error)
            return
        }
        guard let record = result.typed.document else { return }
        evidence.add(document: DocumentInfo(record))
        do {
            if evidence.decisions != nil {
                // Decided passages' texts are checked before their codings are decided.
                var passages: [PassageRecord] = []
                try JSONLinesReader.forEachLineInPlace(in: result.passages) {
                    passages.append(try PassagesLine(line: $0).passage)
                }
                for passage in passages where evidence.isDecided(passage.passageID) { evidence.see(passage: passage) }
                try addCodings(result, to: &evidence, interner: interner)
                for passage in passages { evidence.add(passage: passage) }
            } else {
                try addCodings(result, to: &evidence, interner: interner)
                try evidence.add(
                    passageLines: result.passages, tallies: result.typed.coding ?? CodingTallies(), docID: record.docID)
            }
        } catch let problem as Wire.Problem {
            throw ValidationError("\(result.source): a line written for it does not read back: \(problem)")
        }
        evidence.dropUnwantedPassages()
    }

    private static func addCodings(
        _ result: ExtractedLines, to evidence: inout EvidenceBuilder, interner: StringInterner
    ) throws {
        try JSONLinesReader.forEachLineInPlace(in: result.codings) {
            _ = try evidence.add(codingLine: $0, interner: interner)
        }
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
