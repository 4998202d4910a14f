import ArgumentParser
import Foundation
import SightlineCore
import SightlineExtract

extension Isolation: ExpressibleByArgument {}

/// `sightline extract` and `sightline-extract`.
public struct ExtractCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Extract clean, page-tagged text blocks from PDF, HTML, DOCX and text documents.",
        discussion: """
            Folders are walked recursively in sorted order, taking .pdf, .html, .htm, .xhtml, .docx and \
            .txt files; each file's format is decided from its bytes. Writes OUT/documents.jsonl (one \
            `document` or `error` record per input, in input order) and OUT/blocks.jsonl (one `block` \
            record per heading, paragraph, list item, table cell or footnote). With --out - both go to \
            standard output.

            Each document is parsed in a worker process with a time and memory limit, so a broken file \
            costs only itself. Exit status: 0 when every document was extracted, 1 when some failed \
            (their error records are written), 2 for usage errors.
            """)

    @Argument(help: "Files or folders to extract.")
    public var inputs: [String]

    @Option(name: .long, help: "Output folder (created if missing), or - for standard output.")
    public var out: String

    @Option(name: .long, help: "Documents extracted in parallel (default: the number of cores).")
    public var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: "Seconds one document may take before it is stopped and reported as `timeout`.")
    public var timeout: Int = 300

    @Option(name: .customLong("memory-limit-mb"), help: "Address-space limit of each worker process in MiB (0: none).")
    public var memoryLimitMB: Int = 4096

    @Option(name: .long, help: "Where documents are parsed: process (worker processes) or none (in this process).")
    public var isolation: Isolation = .process

    @Flag(name: .customLong("keep-colour-management"), help: "Let poppler build ICC colour transforms (slower; text is the same).")
    public var keepColourManagement = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    public var quiet = false

    public init() {}

    public func validate() throws {
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if timeout < 1 { throw ValidationError("--timeout must be at least 1 second") }
        if memoryLimitMB < 0 { throw ValidationError("--memory-limit-mb cannot be negative") }
        if inputs.isEmpty { throw ValidationError("name at least one file or folder to extract") }
    }

    var batchOptions: BatchOptions {
        var options = BatchOptions()
        options.jobs = jobs
        options.isolation = isolation
        options.timeout = TimeInterval(timeout)
        options.memoryLimitMB = memoryLimitMB
        options.extract.bypassColourManagement = !keepColourManagement
        return options
    }

    public func run() throws {
        let summary = try ExtractStage(options: batchOptions, quiet: quiet).run(inputs: inputs, out: out)
        if summary.failed > 0 { throw ExitCode(1) }
    }
}

/// The extract stage as the commands run it: walk, extract, write, report.
struct ExtractStage {
    var options: BatchOptions
    var quiet: Bool

    struct Summary {
        var documents = 0
        var failed = 0
        var pages = 0
        var passages = 0
        var failures: [String: Int] = [:]
    }

    /// Extracts; with `coding`, also writes passages.jsonl and codings.jsonl as documents arrive.
    func run(inputs: [String], out: String, coding taxonomies: [Taxonomy] = []) throws -> Summary {
        let items = InputWalker().expand(inputs)
        if items.isEmpty { throw CLIError.noInputs }
        let started = Date()
        var summary = Summary()
        let toStdout = out == "-"
        var documentsFile: OutputFile? = nil
        var blocksFile: OutputFile? = nil
        if !toStdout {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            documentsFile = try OutputFile(path: out + "/documents.jsonl")
            blocksFile = try OutputFile(path: out + "/blocks.jsonl")
        }
        var passagesFile: OutputFile? = nil
        var codingsFile: OutputFile? = nil
        var options = options
        if !taxonomies.isEmpty && !toStdout {
            options.taxonomyFiles = taxonomies.map { URL(fileURLWithPath: $0.file).standardizedFileURL.path }
            passagesFile = try OutputFile(path: out + "/passages.jsonl")
            codingsFile = try OutputFile(path: out + "/codings.jsonl")
            for taxonomy in taxonomies { try codingsFile?.write(JSONLinesEncoder().line(TaxonomyRecord(taxonomy))) }
        }
        let stdout = FileHandle.standardOutput
        try BatchExtractor(options: options).run(items) { index, result in
            if toStdout {
                stdout.write(result.document)
                stdout.write(result.blocks)
            } else {
                try documentsFile?.write(result.document)
                try blocksFile?.write(result.blocks)
                try passagesFile?.write(result.passages)
                try codingsFile?.write(result.codings)
                summary.passages += result.passages.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            }
            summary.documents += 1
            summary.pages += result.pageCount
            if let error = result.error {
                summary.failed += 1
                summary.failures[error.code.rawValue, default: 0] += 1
                Terminal.error("\(error.source): \(error.code.rawValue): \(error.message)")
            } else if !quiet {
                for warning in result.warnings { Terminal.warning("\(result.source): \(warning.message)") }
                if !Terminal.isInteractive { Terminal.progress("[\(index + 1)/\(items.count)] \(result.source)") }
            }
            if !quiet && Terminal.isInteractive {
                let elapsed = Date().timeIntervalSince(started)
                let rate = Double(summary.pages) / max(elapsed, 0.001)
                let left = elapsed / Double(index + 1) * Double(items.count - index - 1)
                Terminal.bar(done: index + 1, total: items.count, detail: String(format: "%.0f pages/s, %.0f s left", rate, left))
            }
        }
        try documentsFile?.commit()
        try blocksFile?.commit()
        try passagesFile?.commit()
        try codingsFile?.commit()
        if !quiet && Terminal.isInteractive { Terminal.endBar() }
        if !quiet {
            let seconds = Date().timeIntervalSince(started)
            var line = "extracted \(summary.documents - summary.failed) of \(summary.documents) documents (\(summary.pages) pages) in \(String(format: "%.1f", seconds)) s"
            if summary.failed > 0 {
                line += "; \(summary.failed) failed: " + summary.failures.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            }
            Terminal.progress(line)
        }
        return summary
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
        write("\r[" + String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled) + "] \(done)/\(total) documents, \(detail)  ")
    }

    static func endBar() { write("\n") }

    private static func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
}
