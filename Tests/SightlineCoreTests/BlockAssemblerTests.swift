import Testing

@testable import SightlineCore

@Suite struct BlockAssemblerTests {
    @Test func numbersBlocksAndTracksHeadingPaths() {
        var assembler = BlockAssembler(docID: "d")
        assembler.add(kind: .heading, text: "1. Introduction", level: 1, page: 1)
        assembler.add(kind: .paragraph, text: "Intro text.", page: 1)
        assembler.add(kind: .heading, text: "1.1 Reasons", level: 2, page: 1)
        assembler.add(kind: .paragraph, text: "   ", page: 1)  // empty after normalising: skipped
        assembler.add(kind: .paragraph, text: "Reasons text.", page: 2, pageLabel: "2")
        assembler.add(kind: .heading, text: "2. Findings", level: 1, page: 3)
        assembler.add(kind: .listItem, text: "A finding", page: 3)
        let blocks = assembler.blocks
        #expect(blocks.map(\.index) == [0, 1, 2, 3, 4, 5])
        #expect(blocks[1].headingPath == ["1. Introduction"])
        #expect(blocks[2].headingPath == ["1. Introduction"])
        #expect(blocks[3].headingPath == ["1. Introduction", "1.1 Reasons"])
        #expect(blocks[3].pageLabel == "2")
        #expect(blocks[4].headingPath == [])
        #expect(blocks[5].headingPath == ["2. Findings"])
        #expect(assembler.wordCount == 13)  // section numbers count as words
    }

    /// Fault corpus: a PDF with a broken text matrix gave a box of infinities, written as `inf` (not JSON).
    @Test func leavesOutABoxThatIsNotFinite() {
        var assembler = BlockAssembler(docID: "d")
        assembler.add(kind: .paragraph, text: "Far away.", page: 1, bbox: BoundingBox(x0: 72, y0: -.infinity, x1: .infinity, y1: 10))
        assembler.add(kind: .paragraph, text: "Undefined.", page: 1, bbox: BoundingBox(x0: .nan, y0: 1, x1: 2, y1: 3))
        assembler.add(kind: .paragraph, text: "Here.", page: 1, bbox: BoundingBox(x0: 72.004, y0: 1, x1: 2, y1: 3))
        #expect(assembler.blocks.map(\.bbox) == [nil, nil, BoundingBox(x0: 72, y0: 1, x1: 2, y1: 3)])
    }
}

@Suite struct BlockLineTests {
    @Test func writesWhatJSONEncoderWrites() throws {
        let blocks = [
            BlockRecord(docID: "abc", page: 2, pageEnd: 3, pageLabel: "ii", pageEndLabel: "1", index: 4, kind: .heading, level: 2,
                headingPath: ["1. Intro", "A \"quoted\" \\ path/with slash"], text: "Tab\there, line\nbreak, bell\u{7}, “curly” – café ﬁ",
                bbox: BoundingBox(x0: 62, y0: 91.44, x1: 533.28, y1: 0.1 + 0.2)),
            BlockRecord(docID: "abc", page: 1, pageEnd: 1, pageLabel: nil, pageEndLabel: nil, index: 0, kind: .paragraph, level: nil, headingPath: [], text: "", bbox: nil),
        ]
        for block in blocks {
            var bytes: [UInt8] = []
            RecordLineWriter.append(block, to: &bytes)
            #expect(bytes == Array(try JSONLinesEncoder().line(block)))
        }
    }
}

@Suite struct RecordLineWriterTests {
    @Test func passagesAndCodingsAsJSONEncoderWritesThem() throws {
        let passage = PassageRecord(
            passageID: "abc/1.0", docID: "abc", blockIndex: 1, part: 0, page: 2, pageEnd: 3, pageLabel: "iv", kind: .listItem,
            headingPath: ["A \"b\"", "c\\d"], text: "Tab\tand “quotes”", wordCount: 3, boilerplate: true)
        var bytes: [UInt8] = []
        RecordLineWriter.append(passage, to: &bytes)
        #expect(bytes == Array(try JSONLinesEncoder().line(passage)))
        let coding = CodingRecord(
            passageID: "abc/1.0", docID: "abc", page: 2, pageLabel: nil, taxonomy: "t", theme: "x", subtheme: "y", rules: ["r1", "r2"],
            matches: [MatchSpan(rule: "r1", start: 0, end: 3, text: "Tab", negated: true, hypothetical: false)],
            negated: true, hypothetical: false, boilerplate: false)
        bytes = []
        RecordLineWriter.append(coding, to: &bytes)
        #expect(bytes == Array(try JSONLinesEncoder().line(coding)))
    }
}
