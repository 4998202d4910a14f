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
    public var taxonomies: [Taxonomy] = []

    public init() {}
}

/// One input as the batch will treat it: its SHA-256 when the cache's index
/// already knows it, else the file's identity, to hash it and record it.
public struct Job: Sendable {
    public var item: InputItem
    public var sha256: String?
    var identity: HashIndex.Entry?

    public init(item: InputItem, sha256: String? = nil) {
        self.item = item
        self.sha256 = sha256
    }
}

/// The batch was stopped (SIGINT) before every input was done.
struct BatchInterrupted: Error {}

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
    /// Pages whose text was read by OCR.
    public var ocrPageCount = 0
    /// Whether the lines came from the cache rather than a fresh extraction.
    public var fromCache = false
    /// For a second copy of a file already in the batch: the first copy's source.
    public var duplicateOf: String? = nil
    public var duplicate: Bool { duplicateOf != nil }
    /// For a file in a folder that Sightline does not read: why.
    public var skipped: SkippedRecord? = nil
    /// The file's SHA-256 and extension: two inputs with the same are the same document.
    var contentKey: String? = nil
    /// The file's identity and SHA-256, when it was hashed for this batch (for the cache's index).
    var hashed: HashIndex.Entry? = nil

    /// The lines for a second copy of a file: a `duplicate` record and nothing else.
    static func duplicate(_ source: String, of first: String, sha: String) -> ExtractedLines {
        let record = DuplicateRecord(source: source, docID: sha, sameAs: first)
        var result = ExtractedLines(
            document: Wire.encodedLine(record), blocks: Data(), source: source, error: nil,
            pageCount: 0, warnings: [])
        result.duplicateOf = first
        return result
    }

    /// The lines for a file that is not read: a `skipped` record and nothing else.
    static func skipped(_ record: SkippedRecord) -> ExtractedLines {
        var result = ExtractedLines(
            document: Wire.encodedLine(record), blocks: Data(), source: record.source,
            error: nil,
            pageCount: 0, warnings: [])
        result.skipped = record
        return result
    }
}

/// Extracts a list of inputs with `jobs` parallel workers and hands the
/// results to a sink strictly in input order, so the output is the same for
/// any number of jobs. At most a small window of finished results waits in
/// memory for its turn.
public final class BatchExtractor {
    let options: BatchOptions
    let executable: URL
    /// Called (on a lane's thread) each time a worker has read one more page by OCR.
    var onOCRPage: (@Sendable () -> Void)? = nil

    public init(
        options: BatchOptions, executable: URL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    ) {
        self.options = options
        self.executable = executable
    }

    public func run(_ items: [InputItem], sink: (Int, ExtractedLines) throws -> Void) throws {
        try run(items.map { Job(item: $0) }, cache: nil, sink: sink)
    }

    /// Runs the jobs; with a cache, documents found in it are not extracted
    /// (or coded) again, and fresh results are added to it.
    func run(_ jobs: [Job], cache: DocumentCache?, stop: StopSignal? = nil, sink: (Int, ExtractedLines) throws -> Void)
        throws
    {
        let lanes = max(1, min(options.jobs, max(1, jobs.count)))
        let state = SharedState(window: lanes * 4)
        stop?.onStop { state.cancel() }
        var threads: [Thread] = []
        for _ in 0..<lanes {
            let thread = Thread { [options, executable, onOCRPage] in
                let slot = Slot(options: options, executable: executable, cache: cache, state: state)
                slot.onOCRPage = onOCRPage
                while let index = state.take(count: jobs.count) {
                    state.put(index, slot.process(jobs[index], index: index))
                }
                slot.close()
                state.slotFinished()
            }
            thread.stackSize = 8 << 20
            threads.append(thread)
            thread.start()
        }
        defer { state.waitForSlots(lanes) }
        for index in jobs.indices {
            guard let result = state.wait(for: index) else { throw BatchInterrupted() }
            try sink(index, result)
        }
    }
}

/// Ctrl-C (SIGINT) for a batch: once caught, the batch takes no new
/// documents and kills its workers, and the command reports how to resume.
final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var handlers: [() -> Void] = []
    private var sources: [DispatchSourceSignal] = []

    /// Catches SIGINT (and SIGTERM) from now on.
    func install() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.fire() }
            source.resume()
            sources.append(source)
        }
    }

    var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    func onStop(_ handler: @escaping () -> Void) {
        lock.lock()
        handlers.append(handler)
        let already = stopped
        lock.unlock()
        if already { handler() }
    }

    func fire() {
        lock.lock()
        if stopped {
            lock.unlock()
            return
        }
        stopped = true
        let run = handlers
        lock.unlock()
        for handler in run { handler() }
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
    private var cancelled = false
    private var workers: Set<Int32> = []
    /// Content key → the lowest input index (and its source) that has it so far.
    private var claims: [String: (index: Int, source: String)] = [:]

    /// Claims a content key for input `index`: the lowest index that has claimed it, and its source.
    func claim(_ key: String, index: Int, source: String) -> (index: Int, source: String) {
        condition.lock()
        defer { condition.unlock() }
        if let held = claims[key], held.index < index { return held }
        claims[key] = (index, source)
        return (index, source)
    }

    init(window: Int) { self.window = window }

    /// Stops handing out work and kills every running worker.
    func cancel() {
        condition.lock()
        cancelled = true
        for pid in workers { kill(pid, SIGKILL) }
        condition.broadcast()
        condition.unlock()
    }

    /// Records a worker so that `cancel` can stop it; false when already cancelled.
    func register(worker pid: Int32) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if cancelled {
            kill(pid, SIGKILL)
            return false
        }
        workers.insert(pid)
        return true
    }

    func unregister(worker pid: Int32) {
        condition.lock()
        workers.remove(pid)
        condition.unlock()
    }

    func take(count: Int) -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && next < count && next >= written + window { condition.wait() }
        guard !cancelled, next < count else { return nil }
        next += 1
        return next - 1
    }

    func put(_ index: Int, _ result: ExtractedLines) {
        condition.lock()
        results[index] = result
        condition.broadcast()
        condition.unlock()
    }

    /// The result for `index`, once ready; nil when the batch was cancelled first.
    func wait(for index: Int) -> ExtractedLines? {
        condition.lock()
        defer { condition.unlock() }
        while results[index] == nil && !cancelled { condition.wait() }
        if cancelled { return nil }
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
    let cache: DocumentCache?
    let state: SharedState
    var worker: WorkerProcess?
    /// Codes documents whose blocks come from the cache, and in-process batches.
    lazy var coder: DocumentCoder? = options.taxonomies.isEmpty ? nil : DocumentCoder(taxonomies: options.taxonomies)

    var onOCRPage: (@Sendable () -> Void)? = nil

    init(options: BatchOptions, executable: URL, cache: DocumentCache?, state: SharedState) {
        self.options = options
        self.executable = executable
        self.cache = cache
        self.state = state
    }

    var codes: Bool { !options.taxonomies.isEmpty }

    func process(_ job: Job, index: Int) -> ExtractedLines {
        var job = job
        var hashed: HashIndex.Entry? = nil
        // An oversized page is refused from its size and first bytes: hashing it would read it all.
        if job.sha256 == nil, case .file(let path, let source) = job.item,
            let refusal = Extractor(options: options.extract).refuseBySize(fileAt: path, source: source)
        {
            return lines(for: .failure(refusal))
        }
        if job.sha256 == nil, case .file(let path, _) = job.item, var identity = job.identity,
            let digest = JobPlanner.sha256(ofFileAt: path)
        {
            job.sha256 = digest
            identity.sha256 = digest
            hashed = identity
        }
        let key = job.sha256.map { $0 + "." + DocumentCache.extensionKey(job.item.source) }
        var result = process(job, index: index, key: key)
        result.contentKey = key
        result.hashed = hashed
        return result
    }

    private func process(_ job: Job, index: Int, key: String?) -> ExtractedLines {
        // A copy of an input earlier in the batch is read once, under the first name.
        if let key, let sha = job.sha256 {
            let first = state.claim(key, index: index, source: job.item.source)
            if first.index < index { return .duplicate(job.item.source, of: first.source, sha: sha) }
        }
        switch job.item {
        case .problem(let record):
            return lines(for: .failure(record))
        case .skipped(let record):
            return .skipped(record)
        case .file(let path, let source):
            if let cache, let sha = job.sha256, let cached = cache.entry(sha: sha, source: source),
                let result = fromCache(cached, cache: cache, sha: sha, source: source)
            {
                return result
            }
            var result: ExtractedLines
            switch options.isolation {
            case .none:
                let outcome = Extractor(options: options.extract).extract(path: path, source: source, docID: job.sha256)
                result = lines(for: outcome)
                if case .document(_, let blocks) = outcome, codes, coder != nil {
                    (result.passages, result.codings) = coder!.lines(for: blocks)
                }
            case .process:
                result = isolated(path: path, source: source, sha: job.sha256, index: index)
            }
            if let cache, let sha = job.sha256, result.error.map({ DocumentCache.isLasting($0.code) }) ?? true {
                let coded = codes && result.error == nil ? (result.passages, result.codings) : nil
                cache.store(sha: sha, source: source, document: result.document, blocks: result.blocks, coded: coded)
            }
            return result
        }
    }

    /// A cached document's lines under this copy's name, coded if the
    /// batch codes and the entry was not; nil when its lines do not read
    /// back (the document is then extracted again).
    func fromCache(_ cached: DocumentCache.Entry, cache: DocumentCache, sha: String, source: String) -> ExtractedLines?
    {
        // An entry whose lines do not read back is as good as missing: the document is extracted again.
        guard let document = try? Self.renamed(cached.document, to: source) else { return nil }
        var result = Self.summarise(document: document, blocks: cached.blocks, source: source)
        result.fromCache = true
        guard codes && result.error == nil else { return result }
        if let coded = cached.coded {
            (result.passages, result.codings) = coded
        } else {
            guard let coded = try? code(blocks: cached.blocks) else { return nil }
            (result.passages, result.codings) = coded
            cache.store(sha: sha, source: source, document: cached.document, blocks: cached.blocks, coded: coded)
        }
        return result
    }

    /// Codes a document from its `blocks.jsonl` lines.
    func code(blocks lines: Data) throws -> (passages: Data, codings: Data) {
        guard coder != nil else { return (Data(), Data()) }
        var blocks: [BlockRecord] = []
        try JSONLinesReader.forEachLineInPlace(in: lines) { blocks.append(try BlocksLine(line: $0).block) }
        return coder!.lines(for: blocks)
    }

    /// A cached `documents.jsonl` line with the name this copy of the file goes by.
    static func renamed(_ line: Data, to source: String) throws -> Data {
        switch try DocumentsLine(line: line) {
        case .document(var record) where record.source != source:
            record.source = source
            return Wire.encodedLine(record)
        case .error(var record) where record.source != source:
            record.source = source
            return Wire.encodedLine(record)
        default:
            return line
        }
    }

    func isolated(path: String, source: String, sha: String?, index: Int) -> ExtractedLines {
        do {
            if worker == nil {
                let started = try WorkerProcess(executable: executable, configuration: workerConfiguration)
                worker = started
                if !state.register(worker: started.pid) {
                    throw WorkerProcess.Failure.died("the batch was interrupted")
                }
            }
            var reported = 0
            let sections = try worker!.extract(
                WorkerProtocol.Request(index: index, path: path, source: source, sha256: sha), timeout: options.timeout
            ) { [onOCRPage] pages in
                while reported < pages {
                    reported += 1
                    onOCRPage?()
                }
            }
            var result = Self.summarise(document: sections[0], blocks: sections[1], source: source)
            result.passages = sections[2]
            result.codings = sections[3]
            return result
        } catch WorkerProcess.Failure.timedOut {
            retire()
            return lines(
                for: .failure(
                    ErrorRecord(
                        source: source, docID: nil, code: .timeout,
                        message:
                            "extraction took longer than \(Int(options.timeout)) s and was stopped; the file may be malformed (raise --timeout for very long documents)"
                    )))
        } catch WorkerProcess.Failure.outOfMemory(let reason) {
            retire()
            return lines(
                for: .failure(
                    ErrorRecord(
                        source: source, docID: nil, code: .outOfMemory,
                        message:
                            "\(reason): it ran out of memory under the limit of \(options.memoryLimitMB) MiB per worker; raise --memory-limit-mb for very large documents. The rest of the batch was not affected"
                    )))
        } catch WorkerProcess.Failure.died(let reason) {
            retire()
            return lines(
                for: .failure(
                    ErrorRecord(
                        source: source, docID: nil, code: .crashed,
                        message:
                            "\(reason) while reading this file; the file is probably malformed. The rest of the batch was not affected"
                    )))
        } catch {
            retire()
            return lines(
                for: .failure(
                    ErrorRecord(
                        source: source, docID: nil, code: .crashed,
                        message: "the extraction worker could not be started: \(error)")))
        }
    }

    /// Kills the current worker; the next document starts a fresh one.
    func retire() {
        if let worker { state.unregister(worker: worker.pid) }
        worker?.stop()
        worker = nil
    }

    /// What each worker is told when it starts.
    var workerConfiguration: WorkerConfiguration {
        var configuration = WorkerConfiguration()
        configuration.keepColourManagement = !options.extract.bypassColourManagement
        configuration.memoryLimitMB = options.memoryLimitMB
        configuration.ocr = options.extract.ocr.rawValue
        configuration.taxonomies = options.taxonomies.map {
            .init(path: URL(fileURLWithPath: $0.file).standardizedFileURL.path, sha256: $0.sha256)
        }
        return configuration
    }

    func lines(for outcome: ExtractionOutcome) -> ExtractedLines {
        let source: String
        switch outcome {
        case .document(let document, _): source = document.source
        case .failure(let error): source = error.source
        }
        let encoded = Wire.lines(for: outcome)
        return Self.summarise(document: encoded.document, blocks: encoded.blocks, source: source)
    }

    /// Reads back the few fields the progress report needs. A line that is
    /// not a document or error record (a worker gone wrong) becomes a
    /// `crashed` error record saying so, in place of the line.
    static func summarise(document: Data, blocks: Data, source: String) -> ExtractedLines {
        var lines = ExtractedLines(
            document: document, blocks: blocks, source: source, error: nil, pageCount: 0, warnings: [])
        do {
            switch try DocumentsLine(line: document) {
            case .document(let record):
                lines.pageCount = record.pageCount
                lines.warnings = record.warnings
                lines.ocrPageCount = record.ocrPages?.count ?? 0
            case .error(let record):
                lines.error = record
            case .duplicate, .skipped:
                throw Wire.Problem("a duplicate or skipped record where a document or error record belongs")
            }
        } catch {
            let record = ErrorRecord(
                source: source, docID: nil, code: .crashed,
                message: "the extraction worker's record for this file does not read back (\(error))")
            lines = ExtractedLines(
                document: Wire.encodedLine(record), blocks: Data(), source: source, error: record, pageCount: 0,
                warnings: [])
        }
        return lines
    }

    func close() {
        if let worker { state.unregister(worker: worker.pid) }
        worker?.finish()
        worker = nil
    }
}
