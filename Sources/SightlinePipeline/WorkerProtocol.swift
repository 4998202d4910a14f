import Foundation
import SightlineCore

/// The pipe protocol between `sightline extract` and its worker processes.
///
/// Configuration (parent → worker stdin), the first line: one JSON object,
/// a `WorkerConfiguration` (version, colour management, memory limit, OCR
/// mode, the taxonomy files to code with).
/// Request (parent → worker stdin), one JSON object per line after it:
/// `{"index":3,"path":"corpus/a.pdf","source":"corpus/a.pdf"}`.
/// Response (worker → parent stdout), one frame per request:
/// `SLW2 <index> <document-bytes> <block-bytes> <passage-bytes> <coding-bytes> <result-bytes>\n`
/// followed by exactly that many bytes of `documents.jsonl`, `blocks.jsonl`,
/// `passages.jsonl` and `codings.jsonl` lines (the middle two empty unless the
/// worker was started with taxonomies to code with), then the document's
/// `DocumentResult` as one JSON line: its document or error record, and
/// its passages' and codings' tallies, which the parent uses instead of
/// reading the lines back.
/// Before its frame, a worker reading pages by OCR writes a progress line after
/// each page, `SLP1 <index> <pages-read-by-OCR-so-far>\n`: the parent counts
/// them for its progress bar and starts the document's time limit again, so
/// `--timeout` bounds each OCR'd page (and the rest of the document), not a
/// long scanned report as a whole.
public enum WorkerProtocol {
    /// The private first argument that starts an executable as a worker.
    public static let flag = "--sightline-worker"
    static let magic = "SLW2"
    static let progressMagic = "SLP1"

    /// Writes a progress line: `pages` pages of document `index` read by OCR so far.
    static func writeProgress(index: Int, pages: Int, to descriptor: Int32) {
        let line = Array("\(progressMagic) \(index) \(pages)\n".utf8)
        line.withUnsafeBytes { writeAll($0, to: descriptor) }
    }

    /// Parses a progress line into the index and the pages read so far.
    static func parseProgress(_ line: String) -> (index: Int, pages: Int)? {
        let parts = line.split(separator: " ")
        guard parts.count == 3, parts[0] == progressMagic, let index = Int(parts[1]), let pages = Int(parts[2]) else {
            return nil
        }
        return (index, pages)
    }

    struct Request: Codable {
        var index: Int
        var path: String
        var source: String
        /// The file's SHA-256 when the parent already hashed it (the worker then need not).
        var sha256: String?
    }

    /// Writes one frame, its header and then each section as it lies in
    /// memory (not gathered into one buffer first: a document's sections run
    /// to megabytes). A write that fails (the parent has gone) ends the worker.
    static func write(index: Int, _ sections: [any ContiguousBytes], to descriptor: Int32) {
        let sizes = sections.map { $0.withUnsafeBytes { String($0.count) } }
        var header = Array(([magic, String(index)] + sizes).joined(separator: " ").utf8)
        header.append(0x0A)
        header.withUnsafeBytes { writeAll($0, to: descriptor) }
        for section in sections { section.withUnsafeBytes { writeAll($0, to: descriptor) } }
    }

    private static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) {
        var done = 0
        while done < bytes.count {
            let written = Foundation.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { exit(1) }
            done += written
        }
    }

    /// The sections of a frame: four files' lines and the result.
    static let sections = 5

    /// Parses a frame header line into the index and the section sizes.
    static func parseHeader(_ line: String) -> (index: Int, sizes: [Int])? {
        let parts = line.split(separator: " ")
        guard parts.count == 2 + sections, parts[0] == magic, let index = Int(parts[1]) else { return nil }
        let sizes = parts[2...].compactMap { Int($0) }
        return sizes.count == sections ? (index, sizes) : nil
    }
}

/// Test-only fault injection for the worker, read from the environment
/// variable `SIGHTLINE_FAULT_INJECTION` (e.g. `crash=boom.pdf,hang=stuck.pdf`):
/// the worker crashes, hangs, or takes a further 0.3 s (`slow=`, so a test can
/// interrupt a batch part way) when a document's source contains the text.
/// Used by the isolation and resume tests; nothing sets it in normal use.
struct FaultInjection {
    var crash: [String] = []
    var hang: [String] = []
    var slow: [String] = []

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let spec = environment["SIGHTLINE_FAULT_INJECTION"] else { return }
        for part in spec.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            if pair[0] == "crash" { crash.append(pair[1]) }
            if pair[0] == "hang" { hang.append(pair[1]) }
            if pair[0] == "slow" { slow.append(pair[1]) }
        }
    }

    func apply(to source: String) {
        if crash.contains(where: { source.contains($0) }) { abort() }
        if hang.contains(where: { source.contains($0) }) {
            while true { sleep(60) }
        }
        if slow.contains(where: { source.contains($0) }) { usleep(300_000) }
    }
}
