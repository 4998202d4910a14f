import Foundation
import Testing

/// `sightline-bench tag`, the coder benchmark scripts/bench-tag runs: it splits and codes what the tag stage does,
/// and leaves the folder as it was. (Its times are not checked: they are the machine's, not the code's.)
@Suite struct BenchToolTests {
    @Test func benchTagCountsWhatTheTagStageWrites() throws {
        let folder = try CommandRunner.temporaryFolder()
        #expect(
            try CommandRunner.run(["extract", "corpus", "--out", folder.path, "--quiet"], in: CommandRunner.repository)
                .status == 0)
        #expect(
            try CommandRunner.run(["tag", "--in", folder.path, "--quiet"], in: CommandRunner.repository).status == 0)
        let blocksFile = folder.appendingPathComponent("blocks.jsonl")
        let passagesFile = folder.appendingPathComponent("passages.jsonl")
        let codingsFile = folder.appendingPathComponent("codings.jsonl")
        let blocks = try jsonLines(blocksFile).count
        let passages = try jsonLines(passagesFile)
        let textBytes = passages.reduce(0) { $0 + (($1["text"] as? String)?.utf8.count ?? 0) }
        let codings = try jsonLines(codingsFile).filter { $0["type"] as? String == "coding" }.count
        #expect(passages.count > 100 && codings > 100)
        let written = [try Data(contentsOf: passagesFile), try Data(contentsOf: codingsFile)]

        let timed = try CommandRunner.run(
            executable: "sightline-bench", ["tag", "--in", folder.path, "--passes", "2"], in: CommandRunner.repository)
        #expect(timed.status == 0, "\(timed.stderr)")
        let lines = String(decoding: timed.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(
            lines.first
                == "split \(blocks) blocks into \(passages.count) passages (\(textBytes) bytes of text): "
                + "\(codings) codings")
        let megabytes = String(format: "%.2f", Double(textBytes) / 1_000_000)
        #expect(lines.dropFirst().first?.hasPrefix("coder: \(megabytes) MB of passage text in ") == true)
        #expect(lines.dropFirst(2).map { $0.prefix(19) } == ["coder alone, pass 1", "coder alone, pass 2"])
        // Each timed line has a throughput that scripts/bench-tag can read: a number of MB/s above zero.
        for line in lines.dropFirst() {
            let figure = line.components(separatedBy: " MB/s").first?.split(separator: " ").last.flatMap { Double($0) }
            #expect((figure ?? 0) > 0, "\(line)")
        }
        #expect([try Data(contentsOf: passagesFile), try Data(contentsOf: codingsFile)] == written)
    }

    @Test func theSwitchesAreRefusedWhereTheyDoNotBelong() throws {
        let folder = try CommandRunner.temporaryFolder()
        // A negative number of passes is refused before anything is read.
        let negative = try CommandRunner.run(
            executable: "sightline-bench", ["tag", "--in", folder.path, "--passes", "-1"], in: CommandRunner.repository)
        #expect(negative.status == 2)
        #expect(negative.stderr.contains("--passes"))
        // A folder without the extract stage's output is named.
        let empty = try CommandRunner.run(
            executable: "sightline-bench", ["tag", "--in", folder.path], in: CommandRunner.repository)
        #expect(empty.status == 1)
        #expect(empty.stderr.contains("blocks.jsonl not found") || empty.stderr.contains("documents.jsonl not found"))
        // The user's `sightline tag` has no benchmark switches.
        for removed in [["--stats"], ["--passes", "2"]] {
            let refused = try CommandRunner.run(["tag", "--in", folder.path] + removed, in: CommandRunner.repository)
            #expect(refused.status == 2, "\(removed)")
        }
    }
}
