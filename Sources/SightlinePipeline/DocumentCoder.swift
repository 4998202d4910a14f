import Foundation
import SightlineCore

/// Splits one document's blocks into passages and codes them: the tag stage
/// for a single document, run inside an extraction worker by `sightline run`
/// so that coding happens in parallel and blocks are never re-read. It uses
/// the same splitter and tagger as `sightline tag`, so the lines are the same.
public struct DocumentCoder {
    public var splitter: PassageSplitter
    public var tagger: Tagger
    /// Running totals, for the tag stage's report.
    public var passages = 0
    public var codings = 0
    public var counted = 0

    public init(taxonomies: [Taxonomy]) {
        splitter = PassageSplitter(boilerplateHeadings: taxonomies.flatMap(\.boilerplateHeadings))
        tagger = Tagger(taxonomies: taxonomies)
    }

    /// The passages and codings lines of a document's blocks, and their tallies.
    public mutating func lines(for blocks: [BlockRecord]) -> CodedLines {
        let passageBytes = LineBuffer(capacity: 4096)
        let codingBytes = LineBuffer(capacity: 4096)
        let tallies = append(blocks, passages: passageBytes, codings: codingBytes)
        return CodedLines(passages: passageBytes.data, codings: codingBytes.data, tallies: tallies)
    }

    /// Appends the passages and codings lines of a document's blocks to
    /// buffers the caller keeps (a worker reuses them from document to
    /// document, so that their memory is not given back and asked for again).
    /// Returns the tallies of the lines appended.
    @discardableResult
    public mutating func append(
        _ blocks: [BlockRecord], passages passageBytes: LineBuffer, codings codingBytes: LineBuffer
    ) -> CodingTallies {
        var tallies = CodingTallies()
        for block in blocks {
            for passage in splitter.passages(of: block) {
                Wire.append(passage, to: passageBytes)
                let coded = tagger.code(passage)
                tallies.add(passage, codings: coded)
                for coding in coded { Wire.append(coding, to: codingBytes) }
            }
        }
        passages += tallies.passages
        codings += tallies.codings
        counted += tallies.counted
        return tallies
    }
}

/// A document's `passages.jsonl` and `codings.jsonl` lines, with their tallies.
public struct CodedLines: Sendable, Equatable {
    public var passages: Data
    public var codings: Data
    public var tallies: CodingTallies

    public init(passages: Data = Data(), codings: Data = Data(), tallies: CodingTallies = CodingTallies()) {
        self.passages = passages
        self.codings = codings
        self.tallies = tallies
    }
}
