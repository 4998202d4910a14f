import Foundation

/// The worker processes a batch has running, so that an interrupted batch can
/// kill them all at once (lanes start and retire their own workers).
final class WorkerRegistry: @unchecked Sendable {
    /// Guards both fields.
    private let lock = NSLock()
    private var running: Set<Int32> = []
    private var cancelled = false

    /// Records a worker; false (and the worker killed) when the batch is already cancelled.
    func register(_ pid: Int32) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if cancelled {
            kill(pid, SIGKILL)
            return false
        }
        running.insert(pid)
        return true
    }

    func unregister(_ pid: Int32) {
        lock.lock()
        running.remove(pid)
        lock.unlock()
    }

    /// Kills every running worker, and any registered from now on.
    func cancel() {
        lock.lock()
        cancelled = true
        for pid in running { kill(pid, SIGKILL) }
        lock.unlock()
    }
}
