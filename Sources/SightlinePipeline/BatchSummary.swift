import Foundation
import SightlineCore

/// The tallies of a batch, counted as each document is written.
public struct BatchSummary: Sendable {
    public var documents = 0
    public var failed = 0
    public var pages = 0
    /// Pages read by OCR, in finished documents.
    public var ocrPages = 0
    /// Pages read by OCR so far as the workers reported them, finished documents or not.
    public var ocrPagesReported = 0
    public var passages = 0
    public var fromCache = 0
    public var duplicates = 0
    public var skipped = 0
    /// Failed documents by error code.
    public var failures: [String: Int] = [:]
    /// Skipped files by extension (or reason).
    public var skips: [String: Int] = [:]

    public init() {}

    /// Counts one document; its passages too when they were written.
    mutating func count(_ result: ExtractedLines, passages countPassages: Bool) {
        if countPassages { passages += result.typed.coding?.passages ?? 0 }
        documents += 1
        pages += result.pageCount
        ocrPages += result.ocrPageCount
        if result.fromCache { fromCache += 1 }
        if result.duplicate { duplicates += 1 }
        if let skipped = result.skipped {
            self.skipped += 1
            let kind =
                skipped.reason.hasPrefix("unsupported format: ")
                ? String(skipped.reason.dropFirst(20)) : skipped.reason
            skips[kind, default: 0] += 1
        } else if let error = result.error {
            failed += 1
            failures[error.code.rawValue, default: 0] += 1
        }
    }
}

/// Pages read by OCR in this run so far, counted as workers report them, and
/// documents finished: the progress bar is redrawn from lanes' threads too.
final class BatchProgress: @unchecked Sendable {
    /// Guards both counts.
    private let lock = NSLock()
    private var pages = 0
    private var done = 0

    /// Pages read by OCR so far.
    var ocrPages: Int { lock.withLock { pages } }

    /// One more page read; returns the pages and documents done so far.
    func addOCRPage() -> (pages: Int, done: Int) {
        lock.withLock {
            pages += 1
            return (pages, done)
        }
    }

    func finished(_ documents: Int) { lock.withLock { done = documents } }
}
