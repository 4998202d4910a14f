import Foundation

/// One document's passages and codings in numbers, counted by the coder as
/// it writes their lines. `sightline run` hands them from the worker to the
/// main process beside the lines, so that the evidence reads only the
/// passages it needs (those with a coding) and counts the rest from here.
public struct CodingTallies: Codable, Sendable, Equatable {
    /// Passages written, and those not under a boilerplate heading (the share a document-level call weighs).
    public var passages = 0
    public var substantive = 0
    /// Codings written, and those that count (neither negated, hypothetical nor boilerplate).
    public var codings = 0
    public var counted = 0
    /// The places (from 0, in the document's `passages.jsonl` lines) of the
    /// passages with at least one coding, counted or not, in order.
    public var codedPassages: [Int] = []

    enum CodingKeys: String, CodingKey {
        case passages, substantive, codings, counted
        case codedPassages = "coded_passages"
    }

    public init() {}

    /// Counts the next passage of the document and its codings.
    public mutating func add(_ passage: PassageRecord, codings coded: [CodingRecord]) {
        if !coded.isEmpty { codedPassages.append(passages) }
        passages += 1
        if !passage.boilerplate { substantive += 1 }
        codings += coded.count
        for coding in coded where coding.counts { counted += 1 }
    }
}
