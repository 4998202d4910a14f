import Foundation
import Testing

/// Killed and interrupted runs resume to the same outputs; the cache makes
/// re-runs read only what changed; duplicates and odd file names are accounted for.
@Suite(.serialized) struct ResumeAndCacheTests {
    static let outputs = RunCommandTests.outputs.filter { !$0.hasPrefix("tables/crosstab") }
    static let environment = ["SOURCE_DATE_EPOCH": "1767225600"]

    /// A copy of the sample corpus in a folder of its own, so tests can add to it.
    func corpusCopy(in folder: URL) throws -> URL {
        let inputs = folder.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        let source = CommandRunner.repository.appendingPathComponent("corpus")
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) where !name.hasSuffix(".csv") {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: source.appendingPathComponent(name).path, isDirectory: &isDirectory)
            if !isDirectory.boolValue {
                try FileManager.default.copyItem(
                    at: source.appendingPathComponent(name), to: inputs.appendingPathComponent(name))
            }
        }
        return inputs
    }

    func run(_ inputs: URL, _ out: URL, _ extra: [String] = [], environment: [String: String] = [:]) throws
        -> CommandRunner.Result
    {
        try CommandRunner.run(
            ["run", inputs.path, "--out", out.path, "--jobs", "2"] + extra,
            environment: Self.environment.merging(environment) { $1 })
    }

    func expectSameOutputs(_ a: URL, _ b: URL, _ note: String) throws {
        for name in Self.outputs {
            let left = try Data(contentsOf: a.appendingPathComponent(name))
            let right = try Data(contentsOf: b.appendingPathComponent(name))
            #expect(left == right, "\(name) differs: \(note)")
        }
    }

    /// Starts `sightline run` and returns the process without waiting.
    func start(_ arguments: [String], environment: [String: String]) throws -> Process {
        let process = Process()
        process.executableURL = CommandRunner.binaries.appendingPathComponent("sightline")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(Self.environment.merging(environment) { $1 })
        { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test func killedRunsResumeToTheSameOutputs() throws {
        let folder = try CommandRunner.temporaryFolder()
        let inputs = try corpusCopy(in: folder)
        let reference = folder.appendingPathComponent("reference")
        #expect(try run(inputs, reference, ["--no-cache", "--quiet"]).status == 0)
        let out = folder.appendingPathComponent("out")
        // Every document takes a further 0.3 s, so the kills land part way through the batch.
        let slow = ["SIGHTLINE_FAULT_INJECTION": "slow=."]
        var generator = SystemRandomNumberGenerator()
        var kills: [String] = []
        for base in [0.15, 0.4, 0.7, 1.0, 1.3] {
            let delay = base + Double.random(in: 0..<0.15, using: &generator)
            let process = try start(
                ["run", inputs.path, "--out", out.path, "--jobs", "2", "--quiet"], environment: slow)
            usleep(useconds_t(delay * 1_000_000))
            let wasRunning = process.isRunning
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            kills.append(String(format: "%.2f s%@", delay, wasRunning ? "" : " (had finished)"))
            // A killed run never leaves half a file under an output's name.
            for name in Self.outputs where FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path)
            {
                #expect(
                    try Data(contentsOf: out.appendingPathComponent(name))
                        == Data(contentsOf: reference.appendingPathComponent(name)),
                    "\(name) after a kill at \(delay) s")
            }
        }
        let final = try run(inputs, out, [], environment: slow)
        #expect(final.status == 0)
        try expectSameOutputs(reference, out, "after kills at \(kills.joined(separator: ", "))")
        let summary = final.stderr.split(separator: "\n").first { $0.hasPrefix("extracted") } ?? ""
        print("kill-and-resume: SIGKILL at \(kills.joined(separator: ", ")); final run: \(summary)")
    }

    @Test func interruptStopsCleanlyAndSaysHowToResume() throws {
        let folder = try CommandRunner.temporaryFolder()
        let inputs = try corpusCopy(in: folder)
        let out = folder.appendingPathComponent("out")
        let process = Process()
        process.executableURL = CommandRunner.binaries.appendingPathComponent("sightline")
        process.arguments = ["run", inputs.path, "--out", out.path, "--jobs", "2"]
        process.environment = ProcessInfo.processInfo.environment.merging(["SIGHTLINE_FAULT_INJECTION": "slow=."]) {
            $1
        }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Interrupt once two documents are done (progress lines go to standard error).
        let collected = Collected()
        let reader = Thread {
            while true {
                let chunk = err.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                collected.append(chunk)
            }
            collected.finish()
        }
        reader.start()
        let deadline = Date().addingTimeInterval(30)
        while !collected.text.contains("[2/10]") && Date() < deadline { usleep(20_000) }
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        while !collected.finished { usleep(10_000) }
        let message = collected.text
        #expect(process.terminationStatus == 130)
        #expect(message.contains("interrupted") && message.contains("run the same command again"), "\(message)")
        // Nothing half-written is left: no outputs, no temporary files.
        let left = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(left == ["cache"], "left in --out: \(left)")
        let resumed = try run(inputs, out)
        #expect(resumed.status == 0)
        #expect(resumed.stderr.contains("from the cache"), "\(resumed.stderr)")
        let reference = folder.appendingPathComponent("reference")
        #expect(try run(inputs, reference, ["--no-cache", "--quiet"]).status == 0)
        try expectSameOutputs(reference, out, "after an interrupt")
    }

    @Test func reRunsReadOnlyWhatChanged() throws {
        let folder = try CommandRunner.temporaryFolder()
        let inputs = try corpusCopy(in: folder)
        let out = folder.appendingPathComponent("out")
        #expect(try run(inputs, out).status == 0)
        let first = try Data(contentsOf: out.appendingPathComponent("codings.jsonl"))
        // Unchanged: every worker would crash, so an extraction would show as an error.
        let crashAll = ["SIGHTLINE_FAULT_INJECTION": "crash=."]
        let again = try run(inputs, out, [], environment: crashAll)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("10 from the cache"), "\(again.stderr)")
        #expect(try Data(contentsOf: out.appendingPathComponent("codings.jsonl")) == first)
        // One new document: only it is extracted.
        let added = inputs.appendingPathComponent("zz-added.txt")
        try Data(
            ("Review of Child Z\n\nThe social worker recorded that Child Z was going missing from home "
                + "and was at risk of criminal exploitation.\n").utf8
        ).write(to: added)
        let withNew = try run(inputs, out)
        #expect(withNew.status == 0)
        #expect(
            withNew.stderr.contains("extracted 11 of 11 documents") && withNew.stderr.contains("10 from the cache"),
            "\(withNew.stderr)")
        // A changed taxonomy: codes again from cached blocks, extracts nothing.
        let taxonomy = folder.appendingPathComponent("panel-themes.yaml")
        try FileManager.default.copyItem(
            at: CommandRunner.repository.appendingPathComponent("taxonomies/cues.yaml"),
            to: folder.appendingPathComponent("cues.yaml"))
        let shipped = try String(
            contentsOf: CommandRunner.repository.appendingPathComponent("taxonomies/panel-themes.yaml"), encoding: .utf8
        )
        try shipped.replacingOccurrences(of: "\"county lines\"", with: "\"county lines\", \"going missing from home\"")
            .write(to: taxonomy, atomically: true, encoding: .utf8)
        let retagged = try run(inputs, out, ["--taxonomy", taxonomy.path], environment: crashAll)
        #expect(retagged.status == 0, "\(retagged.stderr)")
        #expect(retagged.stderr.contains("11 from the cache"), "\(retagged.stderr)")
        let fresh = folder.appendingPathComponent("fresh")
        #expect(try run(inputs, fresh, ["--taxonomy", taxonomy.path, "--no-cache", "--quiet"]).status == 0)
        try expectSameOutputs(fresh, out, "re-tagged from the cache")
        #expect(try Data(contentsOf: out.appendingPathComponent("codings.jsonl")) != first)
    }

    @Test func duplicatesAreReadOnceAndOddNamesAreReported() throws {
        let folder = try CommandRunner.temporaryFolder()
        let inputs = try corpusCopy(in: folder)
        try FileManager.default.copyItem(
            at: inputs.appendingPathComponent("lcspr-fenwick-child-a.txt"),
            to: inputs.appendingPathComponent("zz-copy-of-fenwick.txt"))
        // A name that is not valid UTF-8.
        let badName = inputs.path + "/" + "bad-\u{FFFD}.txt"
        let raw = Array(inputs.path.utf8) + Array("/bad-".utf8) + [0xFF] + Array(".txt".utf8) + [0]
        let fd = raw.withUnsafeBufferPointer {
            open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY, 0o644)
        }
        #expect(fd >= 0)
        _ = "Some text.".withCString { write(fd, $0, 10) }
        close(fd)
        // Two copies of a broken file: each name gets its error.
        for name in ["broken-1.pdf", "broken-2.pdf"] {
            try Data("%PDF-1.4 truncated".utf8).write(to: inputs.appendingPathComponent(name))
        }
        let out = folder.appendingPathComponent("out")
        let result = try run(inputs, out)
        #expect(result.status == 1)
        let records = try jsonLines(out.appendingPathComponent("documents.jsonl"))
        let duplicate = records.first { $0["type"] as? String == "duplicate" }
        #expect((duplicate?["source"] as? String)?.hasSuffix("zz-copy-of-fenwick.txt") == true)
        #expect((duplicate?["same_as"] as? String)?.hasSuffix("lcspr-fenwick-child-a.txt") == true)
        #expect(records.filter { $0["type"] as? String == "document" }.count == 10)
        let broken = records.filter { ($0["source"] as? String)?.contains("/broken-") == true }
        #expect(
            broken.count == 2
                && broken.allSatisfy {
                    $0["type"] as? String == "error" && $0["code"] as? String == broken[0]["code"] as? String
                })
        #expect((broken.last?["message"] as? String)?.contains("the same bytes as") == true)
        let odd = records.first { ($0["source"] as? String) == badName }
        #expect(odd?["code"] as? String == "unreadable", "\(records.map { $0["source"] ?? "" })")
        // The copy adds no blocks and no document to the counts.
        let reference = folder.appendingPathComponent("reference")
        #expect(
            try run(CommandRunner.repository.appendingPathComponent("corpus"), reference, ["--no-cache", "--quiet"])
                .status == 0)
        let themes = try String(contentsOf: out.appendingPathComponent("tables/themes.csv"), encoding: .utf8)
        #expect(
            themes == (try String(contentsOf: reference.appendingPathComponent("tables/themes.csv"), encoding: .utf8)))
    }
}

/// Standard error gathered by a reader thread.
final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var done = false

    func append(_ chunk: Data) {
        lock.lock()
        data.append(chunk)
        lock.unlock()
    }

    func finish() {
        lock.lock()
        done = true
        lock.unlock()
    }

    var finished: Bool {
        lock.lock()
        defer { lock.unlock() }
        return done
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}
