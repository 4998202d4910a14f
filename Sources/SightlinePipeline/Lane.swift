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
            let first = duplicates.claim(key, index: index, source: job.item.source)
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
            // Cached blocks that cannot be coded are treated as a cache miss: the document is extracted and
            // coded again, and a failure then is reported for it.
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
            var result = Self.summarise(document: sections[0], blocks: sections[1], source: source)
            result.passages = sections[2]
            result.codings = sections[3]
            return result
        } catch {
            // The worker is gone or unusable: the next document starts a fresh one.
            retire()
            let (code, message) = Self.failure(error, options: options)
            return lines(for: .failure(ErrorRecord(source: source, docID: nil, code: code, message: message)))
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
        if let worker { workers.unregister(worker.pid) }
        worker?.finish()
        worker = nil
    }
}
