import ArgumentParser
import Foundation
import SightlineCore
import SightlinePipeline

/// `sightline tag` and `sightline-tag`.
public struct TagCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Split extracted blocks into passages and code them against theme taxonomies.",
        discussion: """
            Reads DIR/documents.jsonl and DIR/blocks.jsonl (the extract stage's output) and writes \
            DIR/passages.jsonl (every passage, coded or not) and DIR/codings.jsonl (a taxonomy header \
            record per taxonomy, then one coding per passage, theme and sub-theme, with the rules that \
            fired, the matched spans, and whether the match is negated, hypothetical or boilerplate). \
            Taxonomies are validated before any document is read.
            """)

    @Option(name: .customLong("in"), help: "The folder holding the extract stage's output.")
    public var input: String

    @OptionGroup var taxonomies: TaxonomyOptions

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    public var quiet = false

    // Benchmark switches for scripts/bench-tag, kept out of the help a user reads.
    @Flag(
        name: .long,
        help: ArgumentHelp(
            "Report the coder's own throughput, then code the passages again from memory and time those passes.",
            visibility: .private))
    public var stats = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "With --stats: how many times to code the passages again from memory (default 3).", visibility: .private))
    public var passes: Int?

    public init() {}

    public func validate() throws {
        if let passes {
            guard stats else { throw ValidationError("--passes goes with --stats") }
            guard passes >= 0 else { throw ValidationError("--passes must be 0 or more") }
        }
    }

    public func run() throws {
        let loaded = try taxonomies.load()
        let summary = try TagStage(taxonomies: loaded, passesAlone: stats ? passes ?? 3 : 0).run(folder: input)
        if !quiet {
            Terminal.progress(
                "tagged \(summary.documents) documents: \(summary.passages) passages, "
                    + "\(summary.codings) codings (\(summary.counted) counted as evidence)"
            )
        }
        if stats {
            let megabytes = Double(summary.textBytes) / 1_000_000
            let seconds = Double(summary.codingNanoseconds) / 1e9
            print(
                String(
                    format: "coder: %.2f MB of passage text in %.3f s: %.1f MB/s on one core (%d taxonomies)",
                    megabytes, seconds, megabytes / max(seconds, 1e-9), loaded.count))
            // The passages again, from memory, pass after pass: timed as the peer in scripts/bench-tag is
            // (texts in memory, one loop).
            for (pass, time) in summary.alonePasses.enumerated() {
                let wall = Double(time.wall) / 1e9
                let cpu = Double(time.cpu) / 1e9
                print(
                    String(
                        format: "coder alone, pass %d: %.3f s, %.1f MB/s (this thread's CPU time %.3f s, %.1f MB/s)",
                        pass + 1, wall, megabytes / max(wall, 1e-9), cpu, megabytes / max(cpu, 1e-9)))
            }
        }
    }
}

/// The tag stage: blocks in, passages and codings out.
struct TagStage {
    let taxonomies: [Taxonomy]
    /// How many more times to code every passage, from memory in one loop, timing each pass (for `--stats`).
    var passesAlone = 0

    struct Summary {
        var documents = 0
        var passages = 0
        var codings = 0
        var counted = 0
        /// UTF-8 bytes of passage text coded, and the time spent coding it.
        var textBytes = 0
        var codingNanoseconds: UInt64 = 0
        /// Each further pass (`passesAlone`): wall-clock and this thread's CPU time.
        var alonePasses: [(wall: UInt64, cpu: UInt64)] = []
    }

    /// CPU time this thread has used (not the wall clock: time the thread waited for a core is not counted).
    static func threadCPUNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    func run(folder: String) throws -> Summary {
        let documentsPath = folder + "/documents.jsonl"
        let blocksPath = folder + "/blocks.jsonl"
        if let path = Stages.code.missing(in: folder).first {
            throw ValidationError("\(path) not found: run `sightline extract … --out \(folder)` first")
        }
        var summary = Summary()
        try JSONLinesReader(path: documentsPath).forEach(DocumentsLine.self) { line, _ in
            if case .document = line { summary.documents += 1 }
        }
        var coder = DocumentCoder(taxonomies: taxonomies)
        if passesAlone > 0 { coder.kept = [] }
        let passagesFile = try OutputFile(path: folder + "/passages.jsonl")
        let codingsFile = try OutputFile(path: folder + "/codings.jsonl")
        for taxonomy in taxonomies { try codingsFile.write(Wire.line(TaxonomyRecord(taxonomy))) }
        // Lines are gathered and written about a megabyte at a time.
        let passageLines = LineBuffer(capacity: 1 << 21)
        let codingLines = LineBuffer(capacity: 1 << 21)
        func write(ifAtLeast limit: Int) throws {
            if passageLines.count >= limit {
                try passagesFile.write(passageLines.data)
                passageLines.removeAll()
            }
            if codingLines.count >= limit {
                try codingsFile.write(codingLines.data)
                codingLines.removeAll()
            }
        }
        try JSONLinesReader(path: blocksPath).forEach(BlocksLine.self) { line, _ in
            coder.append([line.block], passages: passageLines, codings: codingLines)
            try write(ifAtLeast: 1 << 20)
        }
        try write(ifAtLeast: 1)
        summary.passages = coder.passages
        summary.codings = coder.codings
        summary.counted = coder.counted
        summary.textBytes = coder.textBytes
        summary.codingNanoseconds = coder.codingNanoseconds
        try passagesFile.commit()
        try codingsFile.commit()
        if let kept = coder.kept {
            var tagger = coder.tagger
            for _ in 0..<passesAlone {
                var codings = 0
                let wall = DispatchTime.now().uptimeNanoseconds
                let cpu = Self.threadCPUNanoseconds()
                for passage in kept { codings += tagger.code(passage).count }
                summary.alonePasses.append(
                    (DispatchTime.now().uptimeNanoseconds - wall, Self.threadCPUNanoseconds() - cpu))
                precondition(
                    codings == summary.codings,
                    "coding the passages again gave \(codings) codings, not \(summary.codings)")
            }
        }
        return summary
    }
}
