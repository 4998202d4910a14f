import Foundation
import Testing

@testable import SightlineCore

/// A worker that cannot code as its parent asked (its taxonomy fails to load, or changed since the parent
/// loaded it) says so for every document instead of silently coding nothing.
@Suite struct WorkerSetupTests {
    /// Starts a worker with the shipped panel-themes taxonomy and the SHA-256 `claimed` for it, sends one
    /// request for a sample text file, and returns what it wrote.
    func workerOutput(taxonomy: String, claimed: String) throws -> String {
        let process = Process()
        process.executableURL = CommandRunner.binaries.appendingPathComponent("sightline")
        process.arguments = ["--sightline-worker", "--taxonomy", taxonomy, "--taxonomy-sha256", claimed]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = CommandRunner.repository.appendingPathComponent("corpus/lcspr-fenwick-child-a.txt").path
        let request = #"{"index":0,"path":"\#(text)","source":"corpus/lcspr-fenwick-child-a.txt"}"# + "\n"
        input.fileHandleForWriting.write(Data(request.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
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
}
