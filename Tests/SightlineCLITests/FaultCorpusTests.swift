import Foundation
import XCTest

/// `sightline run` over the fault corpus (`scripts/make-fault-corpus`: broken,
/// hostile and oversized inputs) mixed with the sample corpus. Every fault
/// must get its expected outcome, no external entity may be resolved, the
/// good documents' lines must be exactly those of a run without the faults,
/// and memory must stay bounded.
final class FaultCorpusTests: XCTestCase {
    struct FaultManifest: Decodable {
        struct File: Decodable {
            var file: String
            var expect: String
            var why: String
        }

        var canaryFile: String
        var canaryMarker: String
        var files: [File]

        enum CodingKeys: String, CodingKey {
            case canaryFile = "canary_file"
            case canaryMarker = "canary_marker"
            case files
        }
    }

    /// The address-space limit `run` gives each worker (its default, `--memory-limit-mb 4096`).
    static let workerLimitMB = 4096
    /// What the main process may reach: it holds a bounded window of results and the codings.
    static let mainLimitMB = 512

    func testFaultsAreReportedAndGoodDocumentsAreUntouched() throws {
        guard let python = Self.onPath("python3") else {
            throw XCTSkip("python3 is not on PATH; the fault corpus generator needs it")
        }
        guard Self.onPath("qpdf") != nil else {
            throw XCTSkip(
                "qpdf is not installed; run scripts/make-fault-corpus once (it installs qpdf) or scripts/setup")
        }
        let sightline = CommandRunner.binaries.appendingPathComponent("sightline")
        guard FileManager.default.isExecutableFile(atPath: sightline.path) else {
            throw XCTSkip("sightline is not built (swift build)")
        }

        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let faults = folder.appendingPathComponent("faults")
        var clock = Date()
        let generator = Process()
        generator.executableURL = URL(fileURLWithPath: python)
        generator.arguments = [
            CommandRunner.repository.appendingPathComponent("scripts/corpus/faults.py").path, "--out", faults.path,
        ]
        generator.environment = ProcessInfo.processInfo.environment.merging([
            "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1",
        ]) { $1 }
        try generator.run()
        generator.waitUntilExit()
        XCTAssertEqual(generator.terminationStatus, 0, "scripts/corpus/faults.py failed")
        let manifest = try JSONDecoder().decode(
            FaultManifest.self, from: Data(contentsOf: faults.appendingPathComponent("manifest.json")))
        XCTAssertGreaterThanOrEqual(manifest.files.count, 30)
        print("fault corpus: \(manifest.files.count) files generated in \(Self.seconds(since: clock))")

        let corpus = CommandRunner.repository.appendingPathComponent("corpus").path
        let environment = ["SOURCE_DATE_EPOCH": "1767225600"]
        let mixedOut = folder.appendingPathComponent("mixed")
        let cleanOut = folder.appendingPathComponent("clean")
        clock = Date()
        // Without OCR: the fault corpus expects its image-only PDF to be no_text_layer, whether or not this
        // machine has Tesseract (OCRTests and OCRCommandTests cover scanned pages).
        let mixed = try Self.measured(
            sightline.path,
            ["run", corpus, faults.path, "--out", mixedOut.path, "--jobs", "2", "--quiet", "--ocr", "never"],
            environment: environment, logs: folder, deadline: 300)
        print(
            "mixed run: \(Self.seconds(since: clock)); peak RSS of the run and its workers \(mixed.peakKB / 1024) MB, "
                + "main process \(mixed.mainPeakKB / 1024) MB"
        )
        XCTAssertFalse(mixed.timedOut, "the run over the fault corpus did not finish in 300 s")
        XCTAssertEqual(
            mixed.status, 1, "some inputs failed, so the exit status is 1 (stderr: \(mixed.stderr.suffix(2000)))")
        clock = Date()
        let clean = try CommandRunner.run(
            ["run", corpus, "--out", cleanOut.path, "--jobs", "2", "--quiet"], environment: environment)
        print("clean run: \(Self.seconds(since: clock))")
        XCTAssertEqual(clean.status, 0, clean.stderr)

        // Every fault has its record, with the expected code.
        var bySource: [String: [String: Any]] = [:]
        for record in try jsonLines(mixedOut.appendingPathComponent("documents.jsonl")) {
            bySource[record["source"] as? String ?? ""] = record
        }
        var faultDocIDs = Set<String>()
        for file in manifest.files {
            let source = faults.appendingPathComponent(file.file).path
            guard let record = bySource[source] else {
                XCTFail("\(file.file): no record in documents.jsonl")
                continue
            }
            let outcome = record["type"] as? String == "error" ? record["code"] as? String ?? "?" : "document"
            XCTAssertEqual(
                outcome, file.expect,
                "\(file.file) (\(file.why)): \(record["message"] as? String ?? "read as a document")")
            if outcome != "document" {
                XCTAssertFalse((record["message"] as? String ?? "").isEmpty, "\(file.file): an error without a message")
            }
            if let id = record["doc_id"] as? String { faultDocIDs.insert(id) }
        }
        // The corpus's own manifest.json is in the folder but is not a review: it is skipped, saying so.
        XCTAssertEqual(bySource[faults.appendingPathComponent("manifest.json").path]?["type"] as? String, "skipped")
        XCTAssertEqual(
            bySource.count, manifest.files.count + 11,
            "one record per file: the faults, manifest.json and the ten sample reviews")

        // No output names the canary's contents: no external entity was resolved.
        let marker = Data(manifest.canaryMarker.utf8)
        XCTAssertFalse(try Data(contentsOf: URL(fileURLWithPath: manifest.canaryFile)).isEmpty)
        for file in try Self.files(under: mixedOut) + [
            folder.appendingPathComponent("stdout"), folder.appendingPathComponent("stderr"),
        ] {
            XCTAssertNil(
                try Data(contentsOf: file).range(of: marker),
                "\(file.lastPathComponent) holds the canary: an external entity was read")
        }
        // Entities were not expanded either (the billion laughs stay one reference).
        let blocks = try Data(contentsOf: mixedOut.appendingPathComponent("blocks.jsonl"))
        XCTAssertNil(blocks.range(of: Data("lollollol".utf8)), "an entity was expanded")

        // Every line of every output is JSON (a box of infinities was once written as `inf`).
        for name in ["documents.jsonl", "blocks.jsonl", "passages.jsonl", "codings.jsonl"] {
            for (number, line) in try Data(contentsOf: mixedOut.appendingPathComponent(name)).split(separator: 0x0A)
                .enumerated()
            {
                XCTAssertNotNil(
                    try? JSONSerialization.jsonObject(with: Data(line)),
                    "\(name):\(number + 1) is not JSON: \(String(decoding: line.prefix(300), as: UTF8.self))")
            }
        }

        // The sample reviews' lines are byte-identical to a run without the faults.
        for name in ["documents.jsonl", "blocks.jsonl", "passages.jsonl", "codings.jsonl"] {
            let expected = try Data(contentsOf: cleanOut.appendingPathComponent(name))
            let produced = try Data(contentsOf: mixedOut.appendingPathComponent(name)).split(
                separator: 0x0A, omittingEmptySubsequences: true
            )
            .filter { line in !Self.belongsToFault(line, faultIDs: faultDocIDs, faultFolder: faults.path) }
            var joined = Data()
            for line in produced {
                joined.append(contentsOf: line)
                joined.append(0x0A)
            }
            XCTAssertGreaterThan(expected.count, 0)
            XCTAssertTrue(
                joined == expected, "\(name): the sample reviews' lines differ when the fault corpus is in the same run"
            )
        }

        XCTAssertLessThan(
            mixed.peakKB, Self.workerLimitMB * 1024, "a process went past the workers' address-space limit")
        XCTAssertLessThan(
            mixed.mainPeakKB, Self.mainLimitMB * 1024, "the main process grew past \(Self.mainLimitMB) MB")
    }

    /// A line of a fault's document, or its error record.
    static func belongsToFault(_ line: Data.SubSequence, faultIDs: Set<String>, faultFolder: String) -> Bool {
        guard let record = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { return true }
        if let id = record["doc_id"] as? String, faultIDs.contains(id) { return true }
        if let source = record["source"] as? String, source.hasPrefix(faultFolder + "/") { return true }
        return false
    }

    struct Measured {
        var status: Int32
        var timedOut: Bool
        /// Peak resident set of the process and every descendant it waited for (`wait4`), in KiB.
        var peakKB: Int
        /// The main process's own high-water mark (`VmHWM`, sampled until it exits), in KiB.
        var mainPeakKB: Int
        var stderr: String
    }

    /// Runs a command to completion with `posix_spawn` and `wait4`, so that the
    /// resource usage of it and its reaped workers can be read.
    static func measured(
        _ executable: String, _ arguments: [String], environment: [String: String], logs: URL, deadline: TimeInterval
    ) throws -> Measured {
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let stdoutPath = logs.appendingPathComponent("stdout").path
        let stderrPath = logs.appendingPathComponent("stderr").path
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else { throw NSError(domain: NSPOSIXErrorDomain, code: Int(spawned)) }

        let stop = Date().addingTimeInterval(deadline)
        var status: Int32 = 0
        var usage = rusage()
        var mainPeak = 0
        var timedOut = false
        while true {
            let reaped = wait4(pid, &status, WNOHANG, &usage)
            if reaped == pid { break }
            if reaped < 0 && errno != EINTR { throw NSError(domain: NSPOSIXErrorDomain, code: Int(errno)) }
            mainPeak = max(mainPeak, highWaterMarkKB(of: pid))
            if Date() > stop && !timedOut {
                timedOut = true
                kill(pid, SIGKILL)
            }
            usleep(20_000)
        }
        let exitStatus: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        let errors = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        return Measured(
            status: exitStatus, timedOut: timedOut, peakKB: Int(usage.ru_maxrss), mainPeakKB: mainPeak, stderr: errors)
    }

    /// `VmHWM` of a running process, in KiB (0 once it has exited).
    static func highWaterMarkKB(of pid: pid_t) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
    }

    static func files(under folder: URL) throws -> [URL] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        var files: [URL] = []
        for case let url as URL in walker
        where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            files.append(url)
        }
        return files
    }

    static func onPath(_ name: String) -> String? {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func seconds(since start: Date) -> String { String(format: "%.1f s", Date().timeIntervalSince(start)) }
}
