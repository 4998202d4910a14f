import Foundation
import Testing

@testable import SightlineCLI
@testable import SightlineCore
@testable import SightlinePipeline

/// A worker that cannot work as its parent asked (its configuration does not decode, its taxonomy fails to
/// load, or changed since the parent loaded it) says so for every document instead of silently coding nothing.
@Suite struct WorkerSetupTests {
    /// Starts a worker, sends it `configuration` as its first line and one request for a sample text file,
    /// and returns what it wrote.
    func workerOutput(configuration: String) throws -> String {
        let process = Process()
        process.executableURL = CommandRunner.binaries.appendingPathComponent("sightline")
        process.arguments = ["--sightline-worker"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = CommandRunner.repository.appendingPathComponent("corpus/lcspr-fenwick-child-a.txt").path
        let request = #"{"index":0,"path":"\#(text)","source":"corpus/lcspr-fenwick-child-a.txt"}"# + "\n"
        input.fileHandleForWriting.write(Data((configuration + "\n" + request).utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    func workerOutput(taxonomy: String, claimed: String) throws -> String {
        var configuration = WorkerConfiguration()
        configuration.taxonomies = [.init(path: taxonomy, sha256: claimed)]
        return try workerOutput(configuration: String(decoding: configuration.line().dropLast(), as: UTF8.self))
    }

    @Test func aChangedOrMissingTaxonomyIsAnErrorForEveryDocument() throws {
        let path = CommandRunner.repository.appendingPathComponent("taxonomies/panel-themes.yaml").path
        let sha = try TaxonomyLoader().load(path: path).sha256
        let good = try workerOutput(taxonomy: path, claimed: sha)
        #expect(good.contains(#""type":"document""#) && good.contains(#""type":"coding""#))
        let changed = try workerOutput(taxonomy: path, claimed: String(repeating: "0", count: 64))
        #expect(changed.contains(#""type":"error""#) && changed.contains("changed while the batch was running"))
        #expect(!changed.contains(#""type":"coding""#))
        let missing = try workerOutput(taxonomy: path + ".gone", claimed: sha)
        #expect(missing.contains(#""type":"error""#) && missing.contains("could not load a taxonomy"))
    }

    @Test func aConfigurationThatDoesNotDecodeIsAnErrorForEveryDocument() throws {
        let plain = try workerOutput(
            configuration: String(decoding: WorkerConfiguration().line().dropLast(), as: UTF8.self))
        #expect(plain.contains(#""type":"document""#) && !plain.contains(#""type":"error""#))
        for (configuration, words) in [
            ("--memory-limit-mb 4096", "not a JSON object with a version"),
            (#"{"version":1,"ocr":"auto"}"#, "it has version 1 and this worker reads version 2"),
            (
                #"{"version":2,"keep_colour_management":false,"ocr":"auto","taxonomies":[]}"#,
                "it has no memory_limit_mb"
            ),
            (
                #"{"version":2,"keep_colour_management":false,"memory_limit_mb":0,"ocr":"auto","taxonomies":"a.yaml"}"#,
                "taxonomies is not what it should be"
            ),
            (
                #"{"version":2,"keep_colour_management":false,"memory_limit_mb":0,"ocr":"sometimes","taxonomies":[]}"#,
                "ocr cannot be ‘sometimes’"
            ),
        ] {
            let output = try workerOutput(configuration: configuration)
            #expect(output.contains(#""type":"error""#), "\(configuration)")
            #expect(output.contains("could not use the configuration its parent sent"), "\(configuration)")
            #expect(output.contains(words), "\(configuration): \(output)")
            #expect(!output.contains(#""type":"document""#))
        }
    }

    @Test func theConfigurationReadsBackAsItWasWritten() throws {
        var configuration = WorkerConfiguration()
        configuration.keepColourManagement = true
        configuration.memoryLimitMB = 512
        configuration.ocr = "never"
        configuration.taxonomies = [.init(path: "/frames/a b.yaml", sha256: "ab12")]
        let line = try configuration.line()
        #expect(line.last == 0x0A)
        #expect(
            String(decoding: line.dropLast(), as: UTF8.self)
                == #"{"keep_colour_management":true,"memory_limit_mb":512,"ocr":"never","#
                + #""taxonomies":[{"path":"/frames/a b.yaml","sha256":"ab12"}],"version":2}"#)
        #expect(try WorkerConfiguration.decode(line).get() == configuration)
    }
}
