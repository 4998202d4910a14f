import Foundation
import SightlineCore

/// One extraction worker child process and the pipes to it.
///
/// The parent sends one request at a time and waits for the frame with a
/// deadline; if the worker dies or overruns, it is killed and the document
/// gets an error record, and the next document starts a fresh worker.
final class WorkerProcess {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    /// Bytes read from the worker and not yet taken (a frame header and what came with it).
    private var buffer: [UInt8] = []
    /// What a frame header is read into (kept: it is reused for every frame).
    private var chunk = [UInt8](repeating: 0, count: 65536)
    /// The worker's standard error: an unlinked temporary file, emptied
    /// before each document, read when the worker dies to tell running out
    /// of memory from any other crash.
    private let log: FileHandle?

    enum Failure: Error {
        case timedOut
        case died(String)
        case outOfMemory(String)
    }

    /// Starts a worker and sends it its configuration, the first line on its standard input.
    init(executable: URL, configuration: WorkerConfiguration) throws {
        process.executableURL = executable
        process.arguments = [WorkerProtocol.flag]
        process.environment = Self.environment(ProcessInfo.processInfo.environment)
        process.standardInput = input
        process.standardOutput = output
        var template = Array((NSTemporaryDirectory() + "/sightline-worker-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if fd >= 0 {
            template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
            log = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        } else {
            log = nil
        }
        process.standardError = log ?? FileHandle.nullDevice
        // A document's frame runs to a few hundred kilobytes: with the pipe's
        // usual 64 KB the worker waits for the parent several times per
        // document. Asks for 1 MB, the most an unprivileged process may; if
        // refused, 64 KB it is.
        _ = fcntl(output.fileHandleForReading.fileDescriptor, Self.setPipeSize, Int32(1 << 20))
        try process.run()
        // A few hundred bytes: the pipe takes them without waiting for the worker to read.
        try input.fileHandleForWriting.write(contentsOf: configuration.line())
    }

    /// The worker's environment: the parent's, with glibc's per-thread cache
    /// of freed blocks raised from 7 to `tcacheCount` blocks of each size.
    /// Poppler asks for and frees millions of small objects per report; with
    /// the default cache most of those calls reach the allocator's shared
    /// bins, and merging and splitting blocks there was a tenth of a worker's
    /// instructions. With the larger cache a worker executes about 5% fewer
    /// instructions (Valgrind, 40 Ofsted reports, extracting alone and
    /// extracting and coding alike) for about 4 MB more memory at its peak.
    /// A `tcache_count` the user has set in `GLIBC_TUNABLES` is kept.
    ///
    /// Tesseract gets one thread (`OMP_THREAD_LIMIT=1`, unless the user set
    /// it): the lanes already keep every core busy with a document each, and
    /// OpenMP's threads would only compete with them.
    static func environment(_ parent: [String: String]) -> [String: String] {
        var environment = parent
        if parent["OMP_THREAD_LIMIT"] == nil { environment["OMP_THREAD_LIMIT"] = "1" }
        let setting = "glibc.malloc.tcache_count=\(tcacheCount)"
        if let tunables = parent["GLIBC_TUNABLES"], !tunables.isEmpty {
            if !tunables.split(separator: ":").contains(where: { $0.hasPrefix("glibc.malloc.tcache_count=") }) {
                environment["GLIBC_TUNABLES"] = tunables + ":" + setting
            }
        } else {
            environment["GLIBC_TUNABLES"] = setting
        }
        return environment
    }

    static let tcacheCount = 1000

    /// Linux's F_SETPIPE_SZ, which Swift's Glibc module does not export.
    private static let setPipeSize: Int32 = 1031

    /// Words allocators print when they give up (poppler, glib, libxml2, the Swift runtime, C++).
    static let memoryMessages = [
        "out of memory", "could not allocate", "cannot allocate memory", "failed to allocate",
        "memory allocation failed", "bad_alloc",
    ]

    /// Whether the worker's last words say it ran out of memory.
    private func ranOutOfMemory() -> Bool {
        guard let log else { return false }
        let fd = log.fileDescriptor
        var bytes = [UInt8](repeating: 0, count: 65536)
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        let text = String(decoding: bytes[0..<count], as: UTF8.self).lowercased()
        return Self.memoryMessages.contains { text.contains($0) }
    }

    deinit { stop() }

    var pid: Int32 { process.processIdentifier }

    /// Sends one request and returns the frame's sections (see `WorkerProtocol`).
    /// `progress` hears of each page read by OCR (the count so far), which also
    /// gives the document `timeout` seconds more.
    func extract(
        _ request: WorkerProtocol.Request, timeout: TimeInterval, progress: ((Int) -> Void)? = nil
    ) throws -> [Data] {
        var deadline = Date().addingTimeInterval(timeout)
        if let log {
            _ = ftruncate(log.fileDescriptor, 0)
            _ = lseek(log.fileDescriptor, 0, SEEK_SET)
        }
        var line = try JSONEncoder().encode(request)
        line.append(0x0A)
        do {
            try input.fileHandleForWriting.write(contentsOf: line)
        } catch {
            throw died()
        }
        var header = try readLine(deadline: deadline)
        while let (index, pages) = WorkerProtocol.parseProgress(header), index == request.index {
            deadline = Date().addingTimeInterval(timeout)
            progress?(pages)
            header = try readLine(deadline: deadline)
        }
        guard let (index, sizes) = WorkerProtocol.parseHeader(header), index == request.index else {
            throw Failure.died("the worker answered out of turn")
        }
        return try sizes.map { try readSection(count: $0, deadline: deadline) }
    }

    /// Kills the worker (if still running) and reaps it.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        // The pipe to a killed worker may already be closed; either way the worker is gone.
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// Closes the worker's input so it exits by itself.
    func finish() {
        // A worker that died has closed the pipe already; `waitUntilExit` reaps it either way.
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// The failure for a worker that has died: out of memory when its last words say so.
    private func died() -> Failure {
        let reason = deathReason()
        return ranOutOfMemory() ? .outOfMemory(reason) : .died(reason)
    }

    private func deathReason() -> String {
        process.waitUntilExit()
        if process.terminationReason == .uncaughtSignal {
            let signal = process.terminationStatus
            let name =
                signal == SIGSEGV
                ? "SIGSEGV"
                : signal == SIGABRT
                    ? "SIGABRT" : signal == SIGBUS ? "SIGBUS" : signal == SIGKILL ? "SIGKILL" : "signal \(signal)"
            return "the extraction worker crashed (\(name))"
        }
        return "the extraction worker exited with status \(process.terminationStatus)"
    }

    /// Waits until the pipe has bytes or the worker has gone, then reads up
    /// to `count` of them into `destination`.
    private func readSome(into destination: UnsafeMutableRawPointer, count: Int, deadline: Date) throws -> Int {
        let fd = output.fileHandleForReading.fileDescriptor
        while true {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { throw Failure.timedOut }
            var pollfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pollfd, 1, Int32(min(remaining * 1000, 60_000)) + 1)
            if ready < 0 {
                if errno == EINTR { continue }
                throw Failure.died("poll failed (errno \(errno))")
            }
            if ready == 0 { continue }
            let read = Glibc.read(fd, destination, count)
            if read < 0 {
                if errno == EINTR { continue }
                throw Failure.died("read failed (errno \(errno))")
            }
            if read == 0 { throw died() }
            return read
        }
    }

    private func readLine(deadline: Date) throws -> String {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            let count = try chunk.withUnsafeMutableBytes {
                try readSome(into: $0.baseAddress!, count: $0.count, deadline: deadline)
            }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }

    /// A section of `count` bytes: what came in with the header, then the
    /// rest read from the pipe straight into the section's own memory.
    private func readSection(count: Int, deadline: Date) throws -> Data {
        guard count > 0 else { return Data() }
        let memory = malloc(count)!
        var filled = min(count, buffer.count)
        if filled > 0 {
            buffer.withUnsafeBytes { memory.copyMemory(from: $0.baseAddress!, byteCount: filled) }
            buffer.removeSubrange(..<filled)
        }
        do {
            while filled < count {
                filled += try readSome(into: memory + filled, count: count - filled, deadline: deadline)
            }
        } catch {
            free(memory)
            throw error
        }
        return Data(bytesNoCopy: memory, count: count, deallocator: .free)
    }
}
