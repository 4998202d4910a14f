import Foundation
import SystemPackage

#if canImport(Glibc)
    import Glibc
#endif

/// A file that appears at its path whole or not at all: written under a
/// temporary name in the same folder, then renamed into place. Every file
/// Sightline writes (outputs, cache entries, the hash index) goes through it.
///
/// `commit` with `.synced` (the default) flushes the file to disk before the
/// rename and the folder after it, so after a power cut the path holds either
/// the old file or the whole new one. `.checksummed` skips both flushes: for
/// files whose reader checks a checksum and treats a torn file as missing (cache
/// entries, one per document, where a flush each would cost a cold run dearly).
///
/// Opening, writing and closing go through swift-system's `FileDescriptor`;
/// swift-system has no `fsync` or `rename`, so those two are called from Glibc here
/// and their failures turned into the same `Errno`.
public final class AtomicFile {
    public enum Durability: Sendable {
        /// The file and its folder are flushed to disk around the rename.
        case synced
        /// No flush: the reader must recognise a torn file by its content.
        case checksummed
    }

    /// Where the file appears on `commit`.
    public let path: String
    /// Where it is written until then.
    public let temporaryPath: String
    public let durability: Durability
    private var descriptor: FileDescriptor?

    /// Creates the temporary file. `temporaryName` (in the same folder) defaults to a hidden
    /// name unique to this process and call, so concurrent writers of one path do not collide.
    public init(path: String, temporaryName: String? = nil, durability: Durability = .synced) throws {
        self.path = path
        self.durability = durability
        let url = URL(fileURLWithPath: path)
        let name =
            temporaryName ?? ".\(url.lastPathComponent).\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
        temporaryPath = url.deletingLastPathComponent().appendingPathComponent(name).path
        do {
            descriptor = try FileDescriptor.open(
                FilePath(temporaryPath), .writeOnly, options: [.create, .truncate, .closeOnExec],
                permissions: [.ownerReadWrite, .groupRead, .otherRead])
        } catch let error as Errno {
            throw AtomicFileError(path: path, action: "create a temporary file for", errno: error)
        }
    }

    /// The open descriptor of the temporary file (for `sync_file_range` and the like).
    public var fileDescriptor: Int32 { descriptor?.rawValue ?? -1 }

    /// Appends bytes to the temporary file.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let descriptor else { throw AtomicFileError(path: path, action: "write", reason: "it was closed") }
        do {
            _ = try descriptor.writeAll(bytes)
        } catch let error as Errno {
            throw AtomicFileError(path: path, action: "write", errno: error)
        }
    }

    public func write(_ data: Data) throws {
        try data.withUnsafeBytes { try write($0) }
    }

    /// Flushes what was written so far to disk (a no-op for `.checksummed` files).
    public func sync() throws {
        guard durability == .synced, let descriptor else { return }
        try Self.sync(descriptor.rawValue, path: path)
    }

    private static func sync(_ descriptor: Int32, path: String) throws {
        if fsync(descriptor) != 0 {
            throw AtomicFileError(path: path, action: "flush", errno: Errno(rawValue: errno))
        }
    }

    /// Closes the temporary file and renames it into place; with `.synced`,
    /// the file is flushed first and its folder after.
    public func commit() throws {
        try sync()
        try closeAndRename()
        if durability == .synced { try Self.syncFolder(of: path) }
    }

    /// Commits several files, flushing them together (the disk writes of one
    /// overlap those of the others) and each folder once, after the renames.
    /// The first error is thrown after every flush has been tried; no file is
    /// renamed unless all were flushed.
    public static func commit(_ files: [AtomicFile]) throws {
        let errors = Errors(count: files.count)
        let synced = files.map { $0.durability == .synced ? ($0.descriptor?.rawValue, $0.path) : (nil, $0.path) }
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            guard let descriptor = synced[i].0 else { return }
            do { try sync(descriptor, path: synced[i].1) } catch { errors.set(i, error) }
        }
        for i in files.indices { if let error = errors.get(i) { throw error } }
        for file in files { try file.closeAndRename() }
        var folders: [String] = []
        for file in files where file.durability == .synced {
            let folder = (file.path as NSString).deletingLastPathComponent
            if !folders.contains(folder) { folders.append(folder) }
        }
        for folder in folders { try syncFolder(folder) }
    }

    /// Abandons the file: the temporary copy is removed and any earlier file at `path` is left as it was.
    public func discard() {
        // Nothing was promised about this file: a failure to close it changes nothing for the user.
        try? descriptor?.close()
        descriptor = nil
        unlink(temporaryPath)
    }

    /// Writes `data` to `path` in one go.
    public static func write(_ data: Data, to path: String, durability: Durability = .synced) throws {
        try write([data], to: path, durability: durability)
    }

    /// Writes `parts` one after another to `path` in one go, each from its own memory (not gathered first).
    public static func write(_ parts: [Data], to path: String, durability: Durability = .synced) throws {
        let file = try AtomicFile(path: path, durability: durability)
        do {
            for part in parts { try file.write(part) }
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
    }

    deinit {
        // A file neither committed nor discarded (an error on the way) leaves no temporary copy behind.
        if descriptor != nil { discard() }
    }

    private func closeAndRename() throws {
        guard let descriptor else { throw AtomicFileError(path: path, action: "commit", reason: "it was closed") }
        self.descriptor = nil
        do {
            try descriptor.close()
        } catch let error as Errno {
            unlink(temporaryPath)
            throw AtomicFileError(path: path, action: "write", errno: error)
        }
        if rename(temporaryPath, path) != 0 {
            let error = Errno(rawValue: errno)
            unlink(temporaryPath)
            throw AtomicFileError(path: path, action: "move into place", errno: error)
        }
    }

    private static func syncFolder(of path: String) throws {
        try syncFolder((path as NSString).deletingLastPathComponent)
    }

    /// Flushes a folder, so that a rename into it survives a power cut.
    private static func syncFolder(_ folder: String) throws {
        let name = folder.isEmpty ? "." : folder
        do {
            let descriptor = try FileDescriptor.open(FilePath(name), .readOnly, options: [.directory, .closeOnExec])
            try descriptor.closeAfter {
                if fsync(descriptor.rawValue) != 0 { throw Errno(rawValue: errno) }
            }
        } catch let error as Errno {
            throw AtomicFileError(path: name, action: "flush the folder", errno: error)
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
}

/// A file that could not be written, with the path and the system's reason.
public struct AtomicFileError: Error, CustomStringConvertible {
    public var path: String
    public var action: String
    public var reason: String

    init(path: String, action: String, errno: Errno) {
        self.init(path: path, action: action, reason: errno.description)
    }

    init(path: String, action: String, reason: String) {
        self.path = path
        self.action = action
        self.reason = reason
    }

    public var description: String { "cannot \(action) \(path): \(reason)" }
}
