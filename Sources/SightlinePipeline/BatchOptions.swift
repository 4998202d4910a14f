import Foundation
import SightlineCore
import SightlineExtract

/// Where documents are parsed.
public enum Isolation: String, CaseIterable, Sendable {
    /// In worker child processes: a crash or hang costs one document.
    case process
    /// In this process: faster to debug, but a crash in poppler ends the batch.
    case none
}

/// How a batch runs.
public struct BatchOptions: Sendable {
    public var jobs = ProcessInfo.processInfo.activeProcessorCount
    public var isolation = Isolation.process
    /// Wall-clock seconds one document may take.
    public var timeout: TimeInterval = 300
    /// Address-space limit for each worker, in MiB (0: none).
    public var memoryLimitMB = 4096
    public var extract = ExtractOptions()
    /// When set, each document is also split into passages and coded, in the worker.
    public var taxonomies: [Taxonomy] = []

    public init() {}
}

/// One input as the batch will treat it: its SHA-256 when the cache's index
/// already knows it, else the file's identity, to hash it and record it.
public struct Job: Sendable {
    public var item: InputItem
    public var sha256: String?
    var identity: HashIndex.Entry?

    public init(item: InputItem, sha256: String? = nil) {
        self.item = item
        self.sha256 = sha256
    }
}

/// The batch was stopped (SIGINT) before every input was done.
struct BatchInterrupted: Error {}
