import Foundation
import SightlineCore

/// Everything about inputs with the same bytes, in one place.
///
/// Two inputs with the same content key (SHA-256 and extension) are one
/// document, read once under the name that comes first in input order. Lanes
/// `claim` a key before reading: a lane that finds an earlier input holding it
/// answers with a `duplicate` record at once. Lanes run out of order, though,
/// so a later copy may be read before the first one claims the key; `settle`,
/// called by the writer on each result in input order, turns such a second
/// reading into a `duplicate` record too. And a copy of a file that failed
/// fails as well, with the first copy's reason.
final class DuplicateTracker: @unchecked Sendable {
    /// Guards `claims`, which lanes share; the rest is the writer's alone.
    private let lock = NSLock()
    /// Content key → the lowest input index (and its source) that has claimed it so far.
    private var claims: [String: (index: Int, source: String)] = [:]
    /// Content keys written so far, with the source written under.
    private var written: [String: String] = [:]
    /// Failed documents by source.
    private var failures: [String: ErrorRecord] = [:]

    /// Claims a content key for input `index` (from any lane): the lowest index that has claimed it, and its source.
    func claim(_ key: String, index: Int, source: String) -> (index: Int, source: String) {
        lock.lock()
        defer { lock.unlock() }
        if let held = claims[key], held.index < index { return held }
        claims[key] = (index, source)
        return (index, source)
    }

    /// The result to write for the next input in order (called by the writer only).
    func settle(_ result: ExtractedLines) -> ExtractedLines {
        var result = result
        if let key = result.contentKey, !result.duplicate {
            if let first = written[key] {
                var copy = ExtractedLines.duplicate(result.source, of: first, sha: String(key.prefix(64)))
                copy.contentKey = key
                result = copy
            } else {
                written[key] = result.source
            }
        }
        if let first = result.duplicateOf, let failure = failures[first] {
            let record = ErrorRecord(
                source: result.source, docID: failure.docID, code: failure.code,
                message: "\(failure.message) (the same bytes as \(first))")
            result.document = Wire.encodedLine(record)
            result.typed = DocumentResult(error: record)
        }
        if let error = result.error { failures[result.source] = error }
        return result
    }
}
