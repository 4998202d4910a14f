import Foundation

/// Ctrl-C (SIGINT) for a batch: once caught, the batch takes no new
/// documents and kills its workers, and the command reports how to resume.
final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var handlers: [() -> Void] = []
    private var sources: [DispatchSourceSignal] = []

    /// Catches SIGINT (and SIGTERM) from now on.
    func install() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.fire() }
            source.resume()
            sources.append(source)
        }
    }

    var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    func onStop(_ handler: @escaping () -> Void) {
        lock.lock()
        handlers.append(handler)
        let already = stopped
        lock.unlock()
        if already { handler() }
    }

    func fire() {
        lock.lock()
        if stopped {
            lock.unlock()
            return
        }
        stopped = true
        let run = handlers
        lock.unlock()
        for handler in run { handler() }
    }
}
