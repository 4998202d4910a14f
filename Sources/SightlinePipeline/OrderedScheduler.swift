import Foundation

/// Hands input indices to lanes and their results to the writer strictly in
/// input order. Lanes may run ahead of the writer by at most `window` results,
/// so memory stays flat however large the batch. Every field is guarded by `condition`.
final class OrderedScheduler<Result>: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int
    private let window: Int
    /// The next index to hand out, and the first index the writer has not taken.
    private var next = 0
    private var written = 0
    private var results: [Int: Result] = [:]
    private var cancelled = false
    private var finishedLanes = 0

    init(count: Int, window: Int) {
        self.count = count
        self.window = window
    }

    /// The next input for a lane; nil when every input is handed out or the batch was cancelled.
    /// Waits while the lanes are `window` results ahead of the writer.
    func take() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && next < count && next >= written + window { condition.wait() }
        guard !cancelled, next < count else { return nil }
        next += 1
        return next - 1
    }

    /// A lane's result for input `index`.
    func put(_ index: Int, _ result: Result) {
        condition.lock()
        results[index] = result
        condition.broadcast()
        condition.unlock()
    }

    /// The result for `index`, once ready; nil when the batch was cancelled first.
    func wait(for index: Int) -> Result? {
        condition.lock()
        defer { condition.unlock() }
        while results[index] == nil && !cancelled { condition.wait() }
        if cancelled { return nil }
        written = index + 1
        condition.broadcast()
        return results.removeValue(forKey: index)!
    }

    /// Stops handing out work and wakes everyone waiting.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    func laneFinished() {
        condition.lock()
        finishedLanes += 1
        condition.broadcast()
        condition.unlock()
    }

    func waitForLanes(_ lanes: Int) {
        condition.lock()
        while finishedLanes < lanes { condition.wait() }
        condition.unlock()
    }
}
