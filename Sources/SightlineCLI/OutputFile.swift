import Foundation

/// A file written under a temporary name in the same folder and renamed into
/// place only when complete, so a reader never sees half an output. Writes
/// are gathered into blocks of about a megabyte: the tag stage hands over a
/// few lines per block of text, and a system call for each cost it more than
/// its coding.
final class OutputFile {
    let path: String
    private let temporaryPath: String
    private let handle: FileHandle
    private var pending = Data()
    private static let blockBytes = 1 << 20

    init(path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        temporaryPath = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial").path
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil) else {
            throw CLIError.cannotWrite(path)
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporaryPath))
    }

    func write(_ data: Data) throws {
        if pending.isEmpty && data.count >= Self.blockBytes {
            try handle.write(contentsOf: data)
            return
        }
        pending.append(data)
        if pending.count >= Self.blockBytes { try flush() }
    }

    private func flush() throws {
        guard !pending.isEmpty else { return }
        try handle.write(contentsOf: pending)
        pending.removeAll(keepingCapacity: true)
    }

    /// Abandons the file: the temporary copy is removed and any earlier file at `path` is left as it was.
    func discard() {
        pending = Data()
        try? handle.close()
        unlink(temporaryPath)
    }

    /// Flushes to disk and moves the file into place.
    func commit() throws {
        try flush()
        try handle.synchronize()
        try handle.close()
        if rename(temporaryPath, path) != 0 { throw CLIError.cannotWrite(path) }
    }
}

/// Run-time failures of the command line, with messages a person can act on.
enum CLIError: Error, CustomStringConvertible {
    case cannotWrite(String)
    case noInputs

    var description: String {
        switch self {
        case .cannotWrite(let path): return "cannot write \(path): check the folder exists and is writable"
        case .noInputs: return "no documents found in the inputs given (looked for .pdf, .html, .htm, .xhtml, .docx and .txt files)"
        }
    }
}
