import Foundation

/// Runs a helper program (antiword) as a child of the current process and
/// collects what it writes, with a deadline and a cap on its output. The
/// child's standard input is /dev/null, so it can never read the worker's
/// requests, and it inherits the worker's address-space limit.
enum ChildProcess {
    struct Result {
        var status: Int32
        var output: [UInt8]
        var error: [UInt8]
    }

    enum Failure: Error {
        case cannotStart(String)
        case timedOut
        case tooMuchOutput
    }

    static func run(_ program: String, _ arguments: [String], deadline seconds: Double, maxOutput: UInt64) throws
        -> Result
    {
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0 else { throw Failure.cannotStart("no pipe: \(String(cString: strerror(errno)))") }
        guard pipe(&errPipe) == 0 else {
            close(outPipe[0])
            close(outPipe[1])
            throw Failure.cannotStart("no pipe: \(String(cString: strerror(errno)))")
        }
        // The child gets the write ends as its 1 and 2 only; no other program started meanwhile inherits them.
        for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, program, &actions, nil, argv, environ)
        close(outPipe[1])
        close(errPipe[1])
        guard spawned == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            throw Failure.cannotStart(String(cString: strerror(spawned)))
        }
        var output: [UInt8] = []
        var error: [UInt8] = []
        var failure: Failure? = nil
        let end = Date().addingTimeInterval(seconds)
        var open: [Int32] = [outPipe[0], errPipe[0]]
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while !open.isEmpty && failure == nil {
            let left = end.timeIntervalSinceNow
            if left <= 0 {
                failure = .timedOut
                break
            }
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(min(left * 1000, 60_000)) + 1)
            if ready < 0 && errno == EINTR { continue }
            if ready < 0 { break }
            for entry in fds where entry.revents != 0 {
                let count = read(entry.fd, &buffer, buffer.count)
                if count > 0 {
                    if entry.fd == outPipe[0] {
                        output += buffer[0..<count]
                    } else if error.count < 1 << 16 {
                        error += buffer[0..<count]
                    }
                    if UInt64(output.count) > maxOutput { failure = .tooMuchOutput }
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    open.removeAll { $0 == entry.fd }
                }
            }
        }
        if failure != nil { kill(pid, SIGKILL) }
        close(outPipe[0])
        close(errPipe[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        if let failure { throw failure }
        // Exited normally: its exit code; killed by a signal: 128 + the signal, as a shell reports it.
        let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Result(status: exitStatus, output: output, error: error)
    }
}

/// A file in the temporary folder holding some bytes, for a helper program to read.
struct TemporaryFile {
    let path: String

    init(bytes: [UInt8]) throws {
        let folder = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((folder + "/sightline-XXXXXX.doc").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 4) }
        guard fd >= 0 else {
            throw ExtractionError(
                .unreadable,
                "cannot make a temporary file for antiword in \(folder): \(String(cString: strerror(errno)))")
        }
        path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                close(fd)
                unlink(path)
                throw ExtractionError(
                    .unreadable,
                    "cannot write a temporary file for antiword in \(folder): \(String(cString: strerror(errno)))")
            }
            written += count
        }
        close(fd)
    }

    func remove() { unlink(path) }
}
