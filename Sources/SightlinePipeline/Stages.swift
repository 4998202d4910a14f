import Foundation

/// What a stage reads and writes, by file name in the output folder: the
/// contract between stages, and what a command checks before it starts.
public struct StageFiles: Sendable, Equatable {
    public var name: String
    /// Files the stage needs, written by earlier stages (the inputs themselves, for extract, are not listed).
    public var reads: [String]
    /// Files the stage writes, each atomically (see `AtomicFile`).
    public var writes: [String]

    /// The files `reads` names that are missing from `folder`.
    public func missing(in folder: String) -> [String] {
        reads.map { folder + "/" + $0 }.filter { !FileManager.default.fileExists(atPath: $0) }
    }
}

/// The stages of the pipeline. `run` does extract and code together in one pass (the worker codes each
/// document as it reads it), then aggregate; the stage commands do one each, through the files.
public enum Stages {
    public static let extract = StageFiles(name: "extract", reads: [], writes: ["documents.jsonl", "blocks.jsonl"])
    public static let code = StageFiles(
        name: "tag", reads: ["documents.jsonl", "blocks.jsonl"], writes: ["passages.jsonl", "codings.jsonl"])
    /// Writes the folder `tables/` (its files depend on the options: see `AggregateStage`).
    public static let aggregate = StageFiles(
        name: "aggregate", reads: ["documents.jsonl", "passages.jsonl", "codings.jsonl"], writes: ["tables/"])
}
