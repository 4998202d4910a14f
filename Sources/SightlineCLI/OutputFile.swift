import CSightlineSupport
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
            startWriteback()
            return
        }
        pending.append(data)
        if pending.count >= Self.blockBytes { try flush() }
    }

    private func flush() throws {
        guard !pending.isEmpty else { return }
        try handle.write(contentsOf: pending)
        pending.removeAll(keepingCapacity: true)
        startWriteback()
    }

    /// Starts writing what has been written so far to disk, without waiting:
    /// otherwise a batch's tens of megabytes all wait for the fsync in
    /// `commit`, after the last document, while nothing else is left to do.
    private func startWriteback() {
        _ = sightline_start_writeback(handle.fileDescriptor)
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
        try finishCommit()
    }

    /// Commits several files, waiting for their disk writes together rather
    /// than one after another; each is still on disk before it is renamed
    /// into place. The first error is thrown after all have been tried.
    static func commit(_ files: [OutputFile]) throws {
        for file in files { try file.flush() }
        let errors = Errors(count: files.count)
        let handles = files.map(\.handle)
        DispatchQueue.concurrentPerform(iterations: handles.count) { i in
            do { try handles[i].synchronize() } catch { errors.set(i, error) }
        }
        for (i, file) in files.enumerated() {
            if let error = errors.get(i) { throw error }
            try file.finishCommit()
        }
    }

    /// Errors of concurrent work, one slot per task.
    private final class Errors: @unchecked Sendable {
        private var slots: [Error?]
        private let lock = NSLock()
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ error: Error) { lock.withLock { slots[i] = error } }
        func get(_ i: Int) -> Error? { lock.withLock { slots[i] } }
    }

    private func finishCommit() throws {
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
        case .noInputs:
            return "no documents found in the inputs given (looked for .pdf, .html, .htm, .xhtml, .docx and .txt files)"
        }
    }
}
