import Foundation
import Testing

/// End-to-end tests of `sightline extract` and `sightline-extract`, run as processes.
@Suite struct ExtractCommandTests {
    let corpus = CommandRunner.repository.appendingPathComponent("corpus").path
    let fixtures = CommandRunner.repository.appendingPathComponent("Tests/SightlineExtractTests/Fixtures")

    @Test func sameBytesForAnyNumberOfJobs() throws {
        let folder = try CommandRunner.temporaryFolder()
        var outputs: [(Data, Data)] = []
        for (jobs, isolation) in [("1", "process"), ("4", "process"), ("2", "none")] {
            let out = folder.appendingPathComponent("out-\(jobs)-\(isolation)")
            let result = try CommandRunner.run([
                "extract", corpus, "--out", out.path, "--jobs", jobs, "--isolation", isolation, "--quiet",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            outputs.append(
                (
                    try Data(contentsOf: out.appendingPathComponent("documents.jsonl")),
                    try Data(contentsOf: out.appendingPathComponent("blocks.jsonl"))
                ))
        }
        #expect(outputs[0].0.count > 0 && outputs[0].1.count > 0)
        for other in outputs.dropFirst() {
            #expect(other.0 == outputs[0].0)
            #expect(other.1 == outputs[0].1)
        }
    }

    /// Bad inputs mixed with good ones: each bad one gets its error record,
    /// and the good documents' output is exactly what it is without them.
    @Test func badInputsDoNotDisturbTheBatch() throws {
        let folder = try CommandRunner.temporaryFolder()
        let mixed = folder.appendingPathComponent("mixed")
        let clean = folder.appendingPathComponent("clean")
        try FileManager.default.createDirectory(at: mixed, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: clean, withIntermediateDirectories: true)
        let bad = try FileManager.default.contentsOfDirectory(atPath: fixtures.appendingPathComponent("bad").path)
            .sorted()
        try #require(bad.count >= 13, "run scripts/make-fixtures")
        for name in bad {
            try FileManager.default.copyItem(
                at: fixtures.appendingPathComponent("bad/\(name)"), to: mixed.appendingPathComponent("bad-\(name)"))
        }
        let good = try FileManager.default.contentsOfDirectory(atPath: corpus).filter {
            ["pdf", "html", "docx", "txt"].contains(($0 as NSString).pathExtension)
        }.sorted()
        for name in good {
            try FileManager.default.copyItem(
                atPath: corpus + "/" + name, toPath: mixed.appendingPathComponent("good-\(name)").path)
            try FileManager.default.copyItem(
                atPath: corpus + "/" + name, toPath: clean.appendingPathComponent("good-\(name)").path)
        }
        let mixedOut = folder.appendingPathComponent("mixed-out")
        let cleanOut = folder.appendingPathComponent("clean-out")
        let mixedRun = try CommandRunner.run(["extract", mixed.path, "--out", mixedOut.path, "--jobs", "2"])
        let cleanRun = try CommandRunner.run(["extract", clean.path, "--out", cleanOut.path, "--jobs", "2"])
        #expect(mixedRun.status == 1, "some inputs failed, so the exit status is 1")
        #expect(cleanRun.status == 0, "\(cleanRun.stderr)")

        let records = try jsonLines(mixedOut.appendingPathComponent("documents.jsonl"))
        #expect(records.count == bad.count + good.count, "one record per input")
        let errors = records.filter { $0["type"] as? String == "error" }
        #expect(errors.count == bad.count)
        for error in errors {
            let source = error["source"] as! String
            #expect(source.contains("/bad-"), "\(source) should not have failed")
            #expect(
                mixedRun.stderr.contains((source as NSString).lastPathComponent), "the error for \(source) is printed")
        }
        // The good documents' records and blocks are byte-identical to a run without the bad files.
        func goodLines(_ url: URL) throws -> [String] {
            try String(contentsOf: url, encoding: .utf8).split(separator: "\n").filter {
                !$0.contains("\"type\":\"error\"")
            }
            .map {
                $0.replacingOccurrences(of: mixed.path, with: "ROOT").replacingOccurrences(of: clean.path, with: "ROOT")
            }
        }
        #expect(
            try goodLines(mixedOut.appendingPathComponent("documents.jsonl"))
                == goodLines(cleanOut.appendingPathComponent("documents.jsonl")))
        #expect(
            try goodLines(mixedOut.appendingPathComponent("blocks.jsonl"))
                == goodLines(cleanOut.appendingPathComponent("blocks.jsonl")))
    }

    /// A worker that crashes or hangs costs one document, not the batch.
    @Test func crashingAndHangingWorkersAreContained() throws {
        let folder = try CommandRunner.temporaryFolder()
        let inputs = folder.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        let good = try FileManager.default.contentsOfDirectory(atPath: corpus).filter {
            $0.hasSuffix(".pdf") || $0.hasSuffix(".html")
        }.sorted()
        try #require(good.count >= 2)
        for name in good {
            try FileManager.default.copyItem(
                atPath: corpus + "/" + name, toPath: inputs.appendingPathComponent(name).path)
        }
        // Copies with a byte of their own, so they are not taken for duplicates of good[0].
        for (name, extra) in [("boom-crash.pdf", "\n"), ("stuck-hang.pdf", "\n\n")] {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: corpus + "/" + good[0])) + Data(extra.utf8)
            try bytes.write(to: inputs.appendingPathComponent(name))
        }
        let out = folder.appendingPathComponent("out")
        let started = Date()
        let result = try CommandRunner.run(
            ["extract", inputs.path, "--out", out.path, "--jobs", "2", "--timeout", "3"],
            environment: ["SIGHTLINE_FAULT_INJECTION": "crash=boom-crash,hang=stuck-hang"])
        #expect(Date().timeIntervalSince(started) < 60)
        #expect(result.status == 1)
        let records = try jsonLines(out.appendingPathComponent("documents.jsonl"))
        #expect(records.count == good.count + 2)
        let bySource = Dictionary(
            uniqueKeysWithValues: records.map { (($0["source"] as! String as NSString).lastPathComponent, $0) })
        #expect(bySource["boom-crash.pdf"]?["code"] as? String == "crashed")
        #expect(bySource["stuck-hang.pdf"]?["code"] as? String == "timeout")
        for name in good { #expect(bySource[name]?["type"] as? String == "document", "\(name) should be extracted") }
    }

    /// A worker that runs out of memory under --memory-limit-mb is reported as such, not as a broken file.
    @Test func runningOutOfMemoryIsNamed() throws {
        let folder = try CommandRunner.temporaryFolder()
        let pdf = try FileManager.default.contentsOfDirectory(atPath: corpus).filter { $0.hasSuffix(".pdf") }.sorted()[
            0]
        let out = folder.appendingPathComponent("out")
        // 100 MiB of address space is less than the runtime and poppler need to open any PDF.
        let result = try CommandRunner.run([
            "extract", corpus + "/" + pdf, "--out", out.path, "--memory-limit-mb", "100", "--no-cache",
        ])
        #expect(result.status == 1)
        let record = try jsonLines(out.appendingPathComponent("documents.jsonl")).first
        #expect(record?["code"] as? String == "out_of_memory", "\(record ?? [:])")
        #expect((record?["message"] as? String)?.contains("--memory-limit-mb") == true)
    }

    @Test func usageErrorsExitWithStatus2() throws {
        #expect(try CommandRunner.run(["extract", corpus]).status == 2) // no --out
        #expect(try CommandRunner.run(["extract", corpus, "--out", "/tmp/x", "--jobs", "0"]).status == 2)
        #expect(try CommandRunner.run(["no-such-command"]).status == 2)
    }

    @Test func standardOutputAndTheStageExecutable() throws {
        let stdout = try CommandRunner.run(["extract", corpus, "--out", "-", "--quiet"])
        #expect(stdout.status == 0)
        let lines = stdout.stdout.split(separator: 0x0A)
        #expect(
            lines.contains {
                $0.starts(with: Array("{".utf8))
                    && String(decoding: $0, as: UTF8.self).contains("\"type\":\"document\"")
            })
        #expect(lines.contains { String(decoding: $0, as: UTF8.self).contains("\"type\":\"block\"") })
        // sightline-extract is the same command.
        let folder = try CommandRunner.temporaryFolder()
        let viaStage = try CommandRunner.run(
            executable: "sightline-extract", [corpus, "--out", folder.path, "--quiet"])
        #expect(viaStage.status == 0)
        let viaUmbrella = try CommandRunner.run([
            "extract", corpus, "--out", folder.appendingPathComponent("u").path, "--quiet",
        ])
        #expect(viaUmbrella.status == 0)
        #expect(
            try Data(contentsOf: folder.appendingPathComponent("blocks.jsonl"))
                == Data(contentsOf: folder.appendingPathComponent("u/blocks.jsonl")))
    }
}
