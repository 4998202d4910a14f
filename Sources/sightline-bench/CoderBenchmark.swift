import Foundation
import SightlineCore
import SightlinePipeline

/// The tag stage's splitting and coding of a folder's blocks, with the coder timed: first inside the stage
/// (each passage coded between splitting it and encoding its lines), then over the same passages held in memory.
struct CoderBenchmark {
    /// The splitter and tagger `sightline tag` and `run`'s workers use, built the same way.
    private var tagger: Tagger
    private(set) var blocks = 0
    private(set) var passages: [PassageRecord] = []
    /// UTF-8 bytes of passage text, codings made, and nanoseconds spent in the coder inside the stage.
    private(set) var textBytes = 0
    private(set) var codings = 0
    private(set) var codingNanoseconds: UInt64 = 0

    /// Reads `folder`/blocks.jsonl, splitting and coding as the tag stage does; nothing is written.
    init(folder: String, taxonomies: [Taxonomy]) throws {
        if let path = Stages.code.missing(in: folder).first {
            throw CoderBenchmarkError(message: "\(path) not found: run `sightline extract … --out \(folder)` first")
        }
        let coder = DocumentCoder(taxonomies: taxonomies)
        var splitter = coder.splitter
        tagger = coder.tagger
        // Lines are encoded into buffers emptied about every megabyte, where the stage writes them out.
        let passageLines = LineBuffer(capacity: 1 << 21)
        let codingLines = LineBuffer(capacity: 1 << 21)
        try JSONLinesReader(path: folder + "/blocks.jsonl").forEach(BlocksLine.self) { line, _ in
            blocks += 1
            for passage in splitter.passages(of: line.block) {
                Wire.append(passage, to: passageLines)
                passages.append(passage)
                textBytes += passage.text.utf8.count
                let started = DispatchTime.now().uptimeNanoseconds
                let coded = tagger.code(passage)
                codingNanoseconds += DispatchTime.now().uptimeNanoseconds - started
                codings += coded.count
                for coding in coded { Wire.append(coding, to: codingLines) }
            }
            if passageLines.count >= 1 << 20 { passageLines.removeAll() }
            if codingLines.count >= 1 << 20 { codingLines.removeAll() }
        }
    }

    /// Codes every passage again in one loop; returns the wall-clock and this thread's CPU nanoseconds.
    mutating func codeAgain() throws -> (wall: UInt64, cpu: UInt64) {
        var found = 0
        let wall = DispatchTime.now().uptimeNanoseconds
        let cpu = Self.threadCPUNanoseconds()
        for passage in passages { found += tagger.code(passage).count }
        let time = (DispatchTime.now().uptimeNanoseconds - wall, Self.threadCPUNanoseconds() - cpu)
        guard found == codings else {
            throw CoderBenchmarkError(message: "coding the passages again gave \(found) codings, not \(codings)")
        }
        return time
    }

    /// CPU time this thread has used (not the wall clock: time the thread waited for a core is not counted).
    static func threadCPUNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}

struct CoderBenchmarkError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
