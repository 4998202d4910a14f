import Foundation
import SightlineCore
import SightlineExtract

/// What one input's lines say, typed, made by whoever wrote the lines (a
/// worker, the in-process lane, the cache, the duplicate tracker), so that
/// the main process counts, reports and builds the evidence without reading
/// back lines it has just been handed.
///
/// A worker sends it as the fifth section of its frame, one JSON line
/// (`Wire.line`: the struct's own `Codable` form); the in-process lane builds
/// it directly. Exactly one of the four records is set: the one the
/// input's `documents.jsonl` line holds.
public struct DocumentResult: Codable, Sendable, Equatable {
    public var document: DocumentRecord?
    public var error: ErrorRecord?
    public var duplicate: DuplicateRecord?
    public var skipped: SkippedRecord?
    /// The tallies of the document's passages and codings, when it was coded.
    public var coding: CodingTallies?

    public init(
        document: DocumentRecord? = nil, error: ErrorRecord? = nil, duplicate: DuplicateRecord? = nil,
        skipped: SkippedRecord? = nil, coding: CodingTallies? = nil
    ) {
        self.document = document
        self.error = error
        self.duplicate = duplicate
        self.skipped = skipped
        self.coding = coding
    }

    /// The result of an extraction, before any coding.
    public init(_ outcome: ExtractionOutcome) {
        switch outcome {
        case .document(let record, _): self.init(document: record)
        case .failure(let record): self.init(error: record)
        }
    }

    public var pageCount: Int { document?.pageCount ?? 0 }
    /// Pages whose text was read by OCR.
    public var ocrPageCount: Int { document?.ocrPages?.count ?? 0 }
    public var warnings: [ExtractionWarning] { document?.warnings ?? [] }

    /// A worker's result line: a document record (with its tallies when the worker codes) or an error
    /// record, and nothing else; anything other is a `Wire.Problem` saying what is wrong.
    static func fromWorker(_ line: Data, coded: Bool) throws -> DocumentResult {
        let result: DocumentResult
        do {
            result = try JSONDecoder().decode(DocumentResult.self, from: line)
        } catch {
            throw Wire.Problem("not a valid result (\(error))")
        }
        let records = [result.document != nil, result.error != nil, result.duplicate != nil, result.skipped != nil]
        guard records.filter({ $0 }).count == 1, result.duplicate == nil, result.skipped == nil else {
            throw Wire.Problem("not exactly one document or error record")
        }
        if coded && result.document != nil && result.coding == nil {
            throw Wire.Problem("a coded document without its tallies")
        }
        return result
    }
}

/// The encoded result for one input, ready to append to the output files, and what it says, typed.
public struct ExtractedLines: Sendable {
    public var document: Data
    public var blocks: Data
    /// `passages.jsonl` and `codings.jsonl` lines when the batch codes as it goes.
    public var passages = Data()
    public var codings = Data()
    public var source: String
    /// What the lines say.
    public var typed: DocumentResult
    /// Whether the lines came from the cache rather than a fresh extraction.
    public var fromCache = false
    /// The file's SHA-256 and extension: two inputs with the same are the same document.
    var contentKey: String? = nil
    /// The file's identity and SHA-256, when it was hashed for this batch (for the cache's index).
    var hashed: HashIndex.Entry? = nil

    init(document: Data, blocks: Data = Data(), source: String, typed: DocumentResult) {
        self.document = document
        self.blocks = blocks
        self.source = source
        self.typed = typed
    }

    /// Set when the input failed.
    public var error: ErrorRecord? { typed.error }
    public var pageCount: Int { typed.pageCount }
    public var warnings: [ExtractionWarning] { typed.warnings }
    /// Pages whose text was read by OCR.
    public var ocrPageCount: Int { typed.ocrPageCount }
    /// For a second copy of a file already in the batch: the first copy's source.
    public var duplicateOf: String? { typed.duplicate?.sameAs }
    public var duplicate: Bool { typed.duplicate != nil }
    /// For a file in a folder that Sightline does not read: why.
    public var skipped: SkippedRecord? { typed.skipped }

    /// The lines of an extraction (not coded).
    init(_ outcome: ExtractionOutcome) {
        let encoded = Wire.lines(for: outcome)
        let source: String
        switch outcome {
        case .document(let document, _): source = document.source
        case .failure(let error): source = error.source
        }
        self.init(document: encoded.document, blocks: encoded.blocks, source: source, typed: DocumentResult(outcome))
    }

    /// The lines for an input that failed: its error record and nothing else.
    static func failure(_ record: ErrorRecord) -> ExtractedLines {
        ExtractedLines(document: Wire.encodedLine(record), source: record.source, typed: DocumentResult(error: record))
    }

    /// The lines for a second copy of a file: a `duplicate` record and nothing else.
    static func duplicate(_ source: String, of first: String, sha: String) -> ExtractedLines {
        let record = DuplicateRecord(source: source, docID: sha, sameAs: first)
        return ExtractedLines(
            document: Wire.encodedLine(record), source: source, typed: DocumentResult(duplicate: record))
    }

    /// The lines for a file that is not read: a `skipped` record and nothing else.
    static func skipped(_ record: SkippedRecord) -> ExtractedLines {
        ExtractedLines(
            document: Wire.encodedLine(record), source: record.source, typed: DocumentResult(skipped: record))
    }

    /// Adds a document's passages and codings, and their tallies.
    mutating func add(_ coded: CodedLines) {
        passages = coded.passages
        codings = coded.codings
        typed.coding = coded.tallies
    }
}
