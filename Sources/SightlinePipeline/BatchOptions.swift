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
