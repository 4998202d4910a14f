import CSightlineSupport
import Foundation

/// An output file: an `AtomicFile` (written as `.NAME.partial` beside its
/// path, flushed and renamed into place only when complete, so a reader never
/// sees half an output) with its writes gathered into blocks of about a
/// megabyte: the tag stage hands over a few lines per block of text, and a
/// system call for each cost it more than its coding.
public final class OutputFile {
    public let file: AtomicFile
    private var pending = Data()
    private static let blockBytes = 1 << 20

    public var path: String { file.path }

    public init(path: String) throws {
        file = try AtomicFile(path: path, temporaryName: ".\((path as NSString).lastPathComponent).partial")
    }

    /// Appends bytes. A megabyte or more goes to the file at once (after what is pending), rather than being
    /// copied into the block first: the tables and the review page are handed over whole, ten megabytes or more.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        if bytes.count >= Self.blockBytes {
            try flush()
            try file.write(bytes)
            startWriteback()
            return
        }
        pending.append(bytes.assumingMemoryBound(to: UInt8.self))
        if pending.count >= Self.blockBytes { try flush() }
    }

    public func write(_ data: Data) throws {
        try data.withUnsafeBytes { try write($0) }
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    private func flush() throws {
        guard !pending.isEmpty else { return }
        try file.write(pending)
        pending.removeAll(keepingCapacity: true)
        startWriteback()
    }

    /// Starts writing what has been written so far to disk, without waiting:
    /// otherwise a batch's tens of megabytes all wait for the fsync in
    /// `commit`, after the last document, while nothing else is left to do.
    private func startWriteback() {
        // Only a hint to the kernel: if it is refused, the fsync in `commit` does the work.
        _ = sightline_start_writeback(file.fileDescriptor)
    }

    /// Abandons the file: the temporary copy is removed and any earlier file at `path` is left as it was.
    public func discard() {
        pending = Data()
        file.discard()
    }

    /// Flushes to disk and moves the file into place.
    public func commit() throws {
        try flush()
        try file.commit()
    }

    /// Commits several files, waiting for their disk writes together rather
    /// than one after another; each is on disk before any is renamed into place.
    public static func commit(_ files: [OutputFile]) throws {
        for file in files { try file.flush() }
        try AtomicFile.commit(files.map(\.file))
    }
}
