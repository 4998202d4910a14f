import ArgumentParser
import Foundation
import SightlineCLI
import SightlineCore

/// `sightline-bench`: measurements for the scripts in scripts/bench-*, kept out of the `sightline` a user runs.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sightline-bench",
        abstract: "Benchmark helpers for scripts/bench-*; not part of the sightline command.",
        subcommands: [BenchTagCommand.self])
}

/// `sightline-bench tag`: the coder's throughput, for scripts/bench-tag.
struct BenchTagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Time the tag stage's coder on a folder's blocks, inside the stage and from memory.",
        discussion: """
            Reads DIR/blocks.jsonl and splits and codes every block as `sightline tag` does (the same splitter \
            and tagger, the lines encoded but not written: DIR is left as it was), timing the coder passage by \
            passage. Then codes the same passages again from memory PASSES times, one loop each, timing each \
            pass by the wall clock and by this thread's CPU time.
            """)

    @Option(name: .customLong("in"), help: "The folder holding the extract stage's output.")
    var input: String

    @OptionGroup var taxonomies: TaxonomyOptions

    @Option(help: "How many times to code the passages again from memory.")
    var passes = 3

    func validate() throws {
        guard passes >= 0 else { throw ValidationError("--passes must be 0 or more") }
    }

    func run() throws {
        let loaded = try taxonomies.load()
        var bench = try CoderBenchmark(folder: input, taxonomies: loaded)
        let megabytes = Double(bench.textBytes) / 1_000_000
        print(
            "split \(bench.blocks) blocks into \(bench.passages.count) passages (\(bench.textBytes) bytes of text): "
                + "\(bench.codings) codings")
        let seconds = Double(bench.codingNanoseconds) / 1e9
        print(
            String(
                format: "coder: %.2f MB of passage text in %.3f s: %.1f MB/s on one core (%d taxonomies)",
                megabytes, seconds, megabytes / max(seconds, 1e-9), loaded.count))
        // The passages again, from memory, pass after pass: timed as the peer in scripts/bench-tag is
        // (texts in memory, one loop).
        for pass in 0..<passes {
            let time = try bench.codeAgain()
            let wall = Double(time.wall) / 1e9
            let cpu = Double(time.cpu) / 1e9
            print(
                String(
                    format: "coder alone, pass %d: %.3f s, %.1f MB/s (this thread's CPU time %.3f s, %.1f MB/s)",
                    pass + 1, wall, megabytes / max(wall, 1e-9), cpu, megabytes / max(cpu, 1e-9)))
        }
    }
}
