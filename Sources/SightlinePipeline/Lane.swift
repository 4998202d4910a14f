import Foundation
import SightlineCore
import SightlineExtract

/// One lane of the batch: a worker process (or the in-process extractor).
final class Lane {
    let options: BatchOptions
    let executable: URL
    let cache: DocumentCache?
    let duplicates: DuplicateTracker
    let workers: WorkerRegistry
    var worker: WorkerProcess?
    /// Codes documents whose blocks come from the cache, and in-process batches.
    lazy var coder: DocumentCoder? = options.taxonomies.isEmpty ? nil : DocumentCoder(taxonomies: options.taxonomies)

    var onOCRPage: (@Sendable () -> Void)? = nil

    init(
        options: BatchOptions, executable: URL, cache: DocumentCache?, duplicates: DuplicateTracker,
        workers: WorkerRegistry
    ) {
        self.options = options
        self.executable = executable
        self.cache = cache
        self.duplicates = duplicates
        self.workers = workers
    }

    var codes: Bool { !options.taxonomies.isEmpty }

    func process(_ job: Job, index: Int) -> ExtractedLines {
        var job = job
        var hashed: HashIndex.Entry? = nil
        // An oversized page is refused from its size and first bytes: hashing it would read it all.
        if job.sha256 == nil, case .file(let path, let source) = job.item,
            let refusal = Extractor(options: options.extract).refuseBySize(fileAt: path, source: source)
        {
            return .failure(refusal)
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
            let first = duplicates.claim(key, index: index, source: job.item.source)
            if first.index < index { return .duplicate(job.item.source, of: first.source, sha: sha) }
        }
        switch job.item {
        case .problem(let record):
            return .failure(record)
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
                result = ExtractedLines(outcome)
                if case .document(_, let blocks) = outcome, codes, coder != nil {
                    result.add(coder!.lines(for: blocks))
                }
            case .process:
                result = isolated(path: path, source: source, sha: job.sha256, index: index)
            }
            if let cache, let sha = job.sha256, result.error.map({ DocumentCache.isLasting($0.code) }) ?? true {
                let coded = result.typed.coding.map {
                    CodedLines(passages: result.passages, codings: result.codings, tallies: $0)
                }
                cache.store(
                    sha: sha, source: source, document: result.document, blocks: result.blocks, typed: result.typed,
                    coded: coded)
            }
            return result
        }
    }

    /// A cached document's lines under this copy's name, coded if the
    /// batch codes and the entry was not; nil when its lines do not read
    /// back (the document is then extracted again).
    ///
    /// The entry keeps the lines and, once coded, their tallies: its
    /// document line is read here (nothing was just written; the line is
    /// needed anyway to give it this copy's name), its passages and codings
    /// are not.
    func fromCache(_ cached: DocumentCache.Entry, cache: DocumentCache, sha: String, source: String) -> ExtractedLines?
    {
        // An entry whose lines do not read back is as good as missing: the document is extracted again.
        guard let (document, typed) = try? Self.renamed(cached.document, to: source) else { return nil }
        var result = ExtractedLines(document: document, blocks: cached.blocks, source: source, typed: typed)
        result.fromCache = true
        guard codes && result.error == nil else { return result }
        if let coded = cached.coded {
            result.add(coded)
        } else {
            // Cached blocks that cannot be coded are treated as a cache miss: the document is extracted and
            // coded again, and a failure then is reported for it.
            guard let coded = try? code(blocks: cached.blocks) else { return nil }
            result.add(coded)
            cache.store(
                sha: sha, source: source, document: cached.document, blocks: cached.blocks, typed: typed, coded: coded)
        }
        return result
    }

    /// Codes a document from its `blocks.jsonl` lines.
    func code(blocks lines: Data) throws -> CodedLines {
        guard coder != nil else { return CodedLines() }
        var blocks: [BlockRecord] = []
        try JSONLinesReader.forEachLineInPlace(in: lines) { blocks.append(try BlocksLine(line: $0).block) }
        return coder!.lines(for: blocks)
    }

    /// A cached `documents.jsonl` line with the name this copy of the file goes by, and what it holds.
    static func renamed(_ line: Data, to source: String) throws -> (Data, DocumentResult) {
        switch try DocumentsLine(line: line) {
        case .document(var record):
            guard record.source != source else { return (line, DocumentResult(document: record)) }
            record.source = source
            return (Wire.encodedLine(record), DocumentResult(document: record))
        case .error(var record):
            guard record.source != source else { return (line, DocumentResult(error: record)) }
            record.source = source
            return (Wire.encodedLine(record), DocumentResult(error: record))
        case .duplicate, .skipped:
            throw Wire.Problem("a duplicate or skipped record where a document or error record belongs")
        }
    }

    func isolated(path: String, source: String, sha: String?, index: Int) -> ExtractedLines {
        do {
            if worker == nil {
                let started = try WorkerProcess(executable: executable, configuration: workerConfiguration)
                worker = started
                if !workers.register(started.pid) {
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
            return Self.received(sections, source: source, coded: codes)
        } catch {
            // The worker is gone or unusable: the next document starts a fresh one.
            retire()
            let (code, message) = Self.failure(error, options: options)
            return .failure(ErrorRecord(source: source, docID: nil, code: code, message: message))
        }
    }

    /// The error code and message a document gets when its worker failed with `error`.
    static func failure(_ error: any Error, options: BatchOptions) -> (ErrorCode, String) {
        switch error {
        case WorkerProcess.Failure.timedOut:
            return (
                .timeout,
                "extraction took longer than \(Int(options.timeout)) s and was stopped; "
                    + "the file may be malformed (raise --timeout for very long documents)"
            )
        case WorkerProcess.Failure.outOfMemory(let reason):
            return (
                .outOfMemory,
                "\(reason): it ran out of memory under the limit of \(options.memoryLimitMB) MiB "
                    + "per worker; raise --memory-limit-mb for very large documents. "
                    + "The rest of the batch was not affected"
            )
        case WorkerProcess.Failure.died(let reason):
            return (
                .crashed,
                "\(reason) while reading this file; the file is probably malformed. "
                    + "The rest of the batch was not affected"
            )
        default:
            return (.crashed, "the extraction worker could not be started: \(error)")
        }
    }

    /// Kills the current worker; the next document starts a fresh one.
    func retire() {
        if let worker { workers.unregister(worker.pid) }
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

    /// A worker's frame as lines and what they hold, taken from the frame's result. A result that does not
    /// read back (a worker gone wrong) becomes a `crashed` error record saying so, in place of the lines.
    static func received(_ sections: [Data], source: String, coded: Bool) -> ExtractedLines {
        do {
            let typed = try DocumentResult.fromWorker(sections[4], coded: coded)
            var lines = ExtractedLines(document: sections[0], blocks: sections[1], source: source, typed: typed)
            lines.passages = sections[2]
            lines.codings = sections[3]
            return lines
        } catch {
            return .failure(
                ErrorRecord(
                    source: source, docID: nil, code: .crashed,
                    message: "the extraction worker's result for this file does not read back (\(error))"))
        }
    }

    func close() {
        if let worker { workers.unregister(worker.pid) }
        worker?.finish()
        worker = nil
    }
}
