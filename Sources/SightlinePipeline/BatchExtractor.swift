import Foundation
import SightlineCore
import SightlineExtract

/// Extracts a list of inputs with `jobs` parallel workers and hands the
/// results to a sink strictly in input order, so the output is the same for
/// any number of jobs. At most a small window of finished results waits in
/// memory for its turn. `ExtractPipeline` is the way to run a batch.
final class BatchExtractor {
    let options: BatchOptions
    let executable: URL
    /// Called (on a lane's thread) each time a worker has read one more page by OCR.
    var onOCRPage: (@Sendable () -> Void)? = nil

    init(
        options: BatchOptions, executable: URL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    ) {
        self.options = options
        self.executable = executable
    }

    /// Runs the jobs; with a cache, documents found in it are not extracted
    /// (or coded) again, and fresh results are added to it.
    func run(_ jobs: [Job], cache: DocumentCache?, stop: StopSignal? = nil, sink: (Int, ExtractedLines) throws -> Void)
        throws
    {
        let lanes = max(1, min(options.jobs, max(1, jobs.count)))
        let scheduler = OrderedScheduler<ExtractedLines>(count: jobs.count, window: lanes * 4)
        let workers = WorkerRegistry()
        let duplicates = DuplicateTracker()
        stop?.onStop {
            workers.cancel()
            scheduler.cancel()
        }
        for _ in 0..<lanes {
            let thread = Thread { [options, executable, onOCRPage] in
                let lane = Lane(
                    options: options, executable: executable, cache: cache, duplicates: duplicates, workers: workers)
                lane.onOCRPage = onOCRPage
                while let index = scheduler.take() {
                    scheduler.put(index, lane.process(jobs[index], index: index))
                }
                lane.close()
                scheduler.laneFinished()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        defer { scheduler.waitForLanes(lanes) }
        for index in jobs.indices {
            guard let result = scheduler.wait(for: index) else { throw BatchInterrupted() }
            try sink(index, duplicates.settle(result))
        }
    }
}
