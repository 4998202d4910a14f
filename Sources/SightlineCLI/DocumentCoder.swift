import Foundation
import SightlineCore

/// Splits one document's blocks into passages and codes them: the tag stage
/// for a single document, run inside an extraction worker by `sightline run`
/// so that coding happens in parallel and blocks are never re-read. It uses
/// the same splitter and tagger as `sightline tag`, so the lines are the same.
struct DocumentCoder {
    var splitter: PassageSplitter
    var tagger: Tagger

    init(taxonomies: [Taxonomy]) {
        splitter = PassageSplitter(boilerplateHeadings: taxonomies.flatMap(\.boilerplateHeadings))
        tagger = Tagger(taxonomies: taxonomies)
    }

    /// The passages and codings lines of a document's blocks.
    mutating func lines(for blocks: [BlockRecord]) -> (passages: Data, codings: Data) {
        var passageBytes: [UInt8] = []
        var codingBytes: [UInt8] = []
        for block in blocks {
            for passage in splitter.passages(of: block) {
                RecordLineWriter.append(passage, to: &passageBytes)
                for coding in tagger.code(passage) { RecordLineWriter.append(coding, to: &codingBytes) }
            }
        }
        return (Data(passageBytes), Data(codingBytes))
    }
}
