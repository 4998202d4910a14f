import Foundation

/// Runs the built executables as a user would, capturing their output.
struct CommandRunner {
    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The folder holding the executables built with the tests.
    static let binaries: URL = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for candidate in [
            beside, beside.deletingLastPathComponent(), repository.appendingPathComponent(".build/debug"),
        ] {
            if FileManager.default.isExecutableFile(atPath: candidate.appendingPathComponent("sightline").path) {
                return candidate
            }
        }
        return repository.appendingPathComponent(".build/debug")
    }()

    static func run(_ arguments: [String], environment: [String: String] = [:], in folder: URL? = nil) throws -> Result
    {
        try run(executable: "sightline", arguments, environment: environment, in: folder)
    }

    static func run(
        executable: String, _ arguments: [String], environment: [String: String] = [:], in folder: URL? = nil
    ) throws -> Result {
        let process = Process()
        if let folder { process.currentDirectoryURL = folder }
        process.executableURL = binaries.appendingPathComponent(executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes while the process runs, so neither fills up.
        nonisolated(unsafe) var errData = Data()
        let errReader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        errReader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while errReader.isExecuting || !errReader.isFinished { usleep(1000) }
        return Result(
            status: process.terminationStatus, stdout: outData, stderr: String(decoding: errData, as: UTF8.self))
    }

    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sightline-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Decoded lines of a JSON Lines file, as dictionaries for loose checks.
func jsonLines(_ url: URL) throws -> [[String: Any]] {
    let data = try Data(contentsOf: url)
    return try data.split(separator: 0x0A).map { try JSONSerialization.jsonObject(with: Data($0)) as! [String: Any] }
}
