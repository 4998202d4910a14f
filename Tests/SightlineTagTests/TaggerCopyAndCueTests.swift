import Foundation
import Testing

@testable import SightlineCore

/// Two promises of the coder that the differential tests cannot see: copies of a tagger code apart, and an
/// `after` cue reaches back only to the start of its own clause.
@Suite struct TaggerCopyAndCueTests {
    let frame: TaggerTests

    init() throws { frame = try TaggerTests() }

    /// A copy shares the scan's buffers (a class) with its original until one of them codes; then it gets
    /// its own, so copies can code on different threads.
    @Test func aCopyThatCodesGetsWorkingMemoryOfItsOwn() {
        var original = Tagger(taxonomies: [frame.taxonomy])
        let passage = PassageRecord(
            passageID: "p/0.0", docID: String(repeating: "d", count: 64), blockIndex: 0, part: 0, page: 1, pageEnd: 1,
            pageLabel: nil, kind: .paragraph, headingPath: [], text: "There was no evidence of domestic abuse.",
            wordCount: 7, boilerplate: false)
        let expected = original.code(passage)
        #expect(expected.first?.negated == true)
        var copy = original
        #expect(copy.workspace.scan === original.workspace.scan)
        #expect(copy.code(passage) == expected)
        #expect(copy.workspace.scan !== original.workspace.scan)
        #expect(original.code(passage) == expected)
    }

    /// "… back to the start of the clause" (docs/taxonomy-format.md): an `after` cue governs the words
    /// before it in its clause, not those before a break that opens its clause.
    @Test func anAfterCueStopsAtTheStartOfItsClause() {
        func negated(_ text: String) -> Bool? {
            frame.code(text).first { $0.theme == "domestic-abuse" }?.negated
        }
        #expect(negated("Domestic abuse was ruled out by the police.") == true)
        #expect(negated("Police attended after domestic abuse; was ruled out by the police.") == false)
        #expect(negated("Police attended after domestic abuse. Was ruled out by the police.") == false)
        #expect(negated("Police attended after domestic abuse, but was ruled out by the police.") == false)
    }
}
