import Foundation
import SightlineCore
import SightlineExtract

/// Where documents are parsed.
public enum Isolation: String, CaseIterable, Sendable {
    /// In worker child processes: a crash or hang costs one document.
    case process
    /// In this process: faster to debug, but a crash in poppler ends the batch.
    case none
}

/// How a batch runs.
public struct BatchOptions: Sendable {
    public var jobs = ProcessInfo.processInfo.activeProcessorCount
    public var isolation = Isolation.process
    /// Wall-clock seconds one document may take.
    public var timeout: TimeInterval = 300
    /// Address-space limit for each worker, in MiB (0: none).
    public var memoryLimitMB = 4096
    public var extract = ExtractOptions()
    /// When set, each document is also split into passages and coded, in the worker.
    public var taxonomyFiles: [String] = []

    public init() {}
}

/// The encoded result for one input, ready to append to the output files.
public struct ExtractedLines: Sendable {
    public var document: Data
    public var blocks: Data
    /// `passages.jsonl` and `codings.jsonl` lines when the batch codes as it goes.
    public var passages = Data()
    public var codings = Data()
    public var source: String
    /// Set when the input failed.
    public var error: ErrorRecord?
    public var pageCount: Int
    public var warnings: [ExtractionWarning]
}

/// Extracts a list of inputs with `jobs` parallel workers and hands the
/// results to a sink strictly in input order, so the output is the same for
/// any number of jobs. At most a small window of finished results waits in
/// memory for its turn.
public final class BatchExtractor {
    let options: BatchOptions
    let executable: URL

    public init(options: BatchOptions, executable: URL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()) {
        self.options = options
        self.executable = executable
    }

    public func run(_ items: [InputItem], sink: (Int, ExtractedLines) throws -> Void) throws {
        let jobs = max(1, min(options.jobs, max(1, items.count)))
        let state = SharedState(window: jobs * 4)
        var threads: [Thread] = []
        for _ in 0..<jobs {
            let thread = Thread { [options, executable] in
                let slot = Slot(options: options, executable: executable)
                while let index = state.take(count: items.count) {
                    state.put(index, slot.process(items[index], index: index))
                }
                slot.close()
                state.slotFinished()
            }
            thread.stackSize = 8 << 20
            threads.append(thread)
            thread.start()
        }
        for index in items.indices {
            let result = state.wait(for: index)
            try sink(index, result)
        }
        state.waitForSlots(jobs)
    }
}

/// Shared between the slot threads and the writer; every field is guarded by `condition`.
private final class SharedState: @unchecked Sendable {
    private let condition = NSCondition()
    private var next = 0
    private var written = 0
    private var results: [Int: ExtractedLines] = [:]
    private var finishedSlots = 0
    private let window: Int

    init(window: Int) { self.window = window }

    func take(count: Int) -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while next < count && next >= written + window { condition.wait() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }

    func put(_ index: Int, _ result: ExtractedLines) {
        condition.lock()
        results[index] = result
        condition.broadcast()
        condition.unlock()
    }

    func wait(for index: Int) -> ExtractedLines {
        condition.lock()
        defer { condition.unlock() }
        while results[index] == nil { condition.wait() }
        written = index + 1
        condition.broadcast()
        return results.removeValue(forKey: index)!
    }

    func slotFinished() {
        condition.lock()
        finishedSlots += 1
        condition.broadcast()
        condition.unlock()
    }

    func waitForSlots(_ count: Int) {
        condition.lock()
        while finishedSlots < count { condition.wait() }
        condition.unlock()
    }
}

/// One lane of the batch: a worker process (or the in-process extractor).
private final class Slot {
    let options: BatchOptions
    let executable: URL
    var worker: WorkerProcess?
    let encoder = JSONLinesEncoder()
    /// For in-process batches that code as they go.
    var coder: DocumentCoder?

    init(options: BatchOptions, executable: URL) {
        self.options = options
        self.executable = executable
        if options.isolation == .none && !options.taxonomyFiles.isEmpty {
            coder = (try? options.taxonomyFiles.map { try TaxonomyLoader().load(path: $0) }).map(DocumentCoder.init)
        }
    }

    func process(_ item: InputItem, index: Int) -> ExtractedLines {
        switch item {
        case .problem(let record):
            return lines(for: .failure(record))
        case .file(let path, let source):
            switch options.isolation {
            case .none:
                let outcome = Extractor(options: options.extract).extract(path: path, source: source)
                var result = lines(for: outcome)
                if case .document(_, let blocks) = outcome, coder != nil {
                    (result.passages, result.codings) = coder!.lines(for: blocks)
                }
                return result
            case .process:
                return isolated(path: path, source: source, index: index)
            }
        }
    }

    func isolated(path: String, source: String, index: Int) -> ExtractedLines {
        do {
            if worker == nil { worker = try WorkerProcess(executable: executable, arguments: workerArguments) }
            let sections = try worker!.extract(
                WorkerProtocol.Request(index: index, path: path, source: source), timeout: options.timeout)
            var result = Self.summarise(document: sections[0], blocks: sections[1], source: source)
            result.passages = sections[2]
            result.codings = sections[3]
            return result
        } catch WorkerProcess.Failure.timedOut {
            worker?.stop()
            worker = nil
            return lines(for: .failure(ErrorRecord(
                source: source, docID: nil, code: .timeout,
                message: "extraction took longer than \(Int(options.timeout)) s and was stopped; the file may be malformed (raise --timeout for very long documents)")))
        } catch WorkerProcess.Failure.died(let reason) {
            worker?.stop()
            worker = nil
            return lines(for: .failure(ErrorRecord(
                source: source, docID: nil, code: .crashed,
                message: "\(reason) while reading this file; the file is probably malformed. The rest of the batch was not affected")))
        } catch {
            worker?.stop()
            worker = nil
            return lines(for: .failure(ErrorRecord(source: source, docID: nil, code: .crashed, message: "the extraction worker could not be started: \(error)")))
        }
    }

    var workerArguments: [String] {
        var arguments: [String] = []
        if !options.extract.bypassColourManagement { arguments.append("--keep-colour-management") }
        if options.memoryLimitMB > 0 { arguments += ["--memory-limit-mb", String(options.memoryLimitMB)] }
        for file in options.taxonomyFiles { arguments += ["--taxonomy", file] }
        return arguments
    }

    func lines(for outcome: ExtractionOutcome) -> ExtractedLines {
        let source: String
        switch outcome {
        case .document(let document, _): source = document.source
        case .failure(let error): source = error.source
        }
        guard let encoded = try? encoder.lines(for: outcome) else {
            return ExtractedLines(document: Data(), blocks: Data(), source: source, error: nil, pageCount: 0, warnings: [])
        }
        return Self.summarise(document: encoded.document, blocks: encoded.blocks, source: source)
    }

    /// Reads back the few fields the progress report needs.
    static func summarise(document: Data, blocks: Data, source: String) -> ExtractedLines {
        struct Peek: Decodable {
            var type: String
            var page_count: Int?
            var warnings: [ExtractionWarning]?
        }
        let peek = try? JSONDecoder().decode(Peek.self, from: document)
        let error = peek?.type == "error" ? try? JSONDecoder().decode(ErrorRecord.self, from: document) : nil
        return ExtractedLines(
            document: document, blocks: blocks, source: source, error: error,
            pageCount: peek?.page_count ?? 0, warnings: peek?.warnings ?? [])
    }

    func close() {
        worker?.finish()
        worker = nil
    }
}
