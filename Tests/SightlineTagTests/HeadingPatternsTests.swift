import Testing

@testable import SightlineCore

@Suite struct HeadingPatternsTests {
    let patterns = HeadingPatterns(["*terms of reference*", "*scope", "what needs to improve*", "*méthode*"])

    @Test func aHeadingMatchesWhenItHoldsThePiecesInOrder() {
        #expect(patterns.matches(heading: "2.1 Terms of Reference"))
        #expect(patterns.matches(heading: "Scope and limits"))
        #expect(patterns.matches(heading: "3) What needs to improve in practice"))
        #expect(patterns.matches(heading: "La MÉTHODE suivie"))
        #expect(!patterns.matches(heading: "Reference terms"))
        #expect(!patterns.matches(heading: "Improve what needs"))
        #expect(!patterns.matches(heading: ""))
    }

    @Test func noPatternsMatchNothing() {
        #expect(HeadingPatterns([]).isEmpty)
        #expect(!HeadingPatterns([]).matches(heading: "Contents"))
        // A pattern that is all wildcards has no pieces: it matches any heading.
        #expect(HeadingPatterns(["*"]).matches(heading: "Anything at all"))
    }

    @Test func theSplitterJudgesPassagesByTheirNearestHeading() {
        var splitter = PassageSplitter(boilerplateHeadings: ["*glossary*"])
        let block = BlockRecord(
            docID: String(repeating: "b", count: 64), page: 1, pageEnd: 1, pageLabel: nil, pageEndLabel: nil, index: 0,
            kind: .paragraph,
            level: nil, headingPath: ["Glossary", "5. Findings"], text: "CSE means child sexual exploitation.",
            bbox: nil)
        let outside = splitter.passages(of: block)
        #expect(!outside.isEmpty && outside.allSatisfy { !$0.boilerplate })
        var inGlossary = block
        inGlossary.headingPath = ["5. Findings", "Appendix B: glossary of terms"]
        let passages = splitter.passages(of: inGlossary)
        #expect(!passages.isEmpty && passages.allSatisfy { $0.boilerplate })
    }
}
