import Testing

@testable import SightlineCore

@Suite struct BlockAssemblerTests {
    @Test func numbersBlocksAndTracksHeadingPaths() {
        var assembler = BlockAssembler(docID: "d")
        assembler.add(kind: .heading, text: "1. Introduction", level: 1, page: 1)
        assembler.add(kind: .paragraph, text: "Intro text.", page: 1)
        assembler.add(kind: .heading, text: "1.1 Reasons", level: 2, page: 1)
        assembler.add(kind: .paragraph, text: "   ", page: 1) // empty after normalising: skipped
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
        #expect(assembler.wordCount == 13) // section numbers count as words
    }

    /// Fault corpus: a PDF with a broken text matrix gave a box of infinities, written as `inf` (not JSON).
    @Test func leavesOutABoxThatIsNotFinite() {
        var assembler = BlockAssembler(docID: "d")
        assembler.add(
            kind: .paragraph, text: "Far away.", page: 1,
            bbox: BoundingBox(x0: 72, y0: -.infinity, x1: .infinity, y1: 10))
        assembler.add(kind: .paragraph, text: "Undefined.", page: 1, bbox: BoundingBox(x0: .nan, y0: 1, x1: 2, y1: 3))
        assembler.add(kind: .paragraph, text: "Here.", page: 1, bbox: BoundingBox(x0: 72.004, y0: 1, x1: 2, y1: 3))
        #expect(assembler.blocks.map(\.bbox) == [nil, nil, BoundingBox(x0: 72, y0: 1, x1: 2, y1: 3)])
    }

    /// A box edge a hair above or left of the page's corner rounds to 0, and is written `0` (JSON's `-0` is
    /// what the writers would give for negative zero, and not what blocks.jsonl has ever held).
    @Test func roundsToPositiveZero() throws {
        let box = BoundingBox(x0: -0.004, y0: -0.0, x1: 10, y1: 20).rounded
        #expect(box.x0.sign == .plus && box.y0.sign == .plus)
        var block = BlockAssembler(docID: "d")
        block.add(kind: .paragraph, text: "Corner.", page: 1, bbox: BoundingBox(x0: -0.004, y0: -0.001, x1: 5, y1: 6))
        let line = String(decoding: try Wire.line(try #require(block.blocks.first)), as: UTF8.self)
        #expect(line.hasPrefix(#"{"bbox":{"x0":0,"x1":5,"y0":0,"y1":6}"#))
    }
}

@Suite struct BlockLineTests {
    @Test func writesWhatJSONEncoderWrites() throws {
        let blocks = [
            BlockRecord(
                docID: "abc", page: 2, pageEnd: 3, pageLabel: "ii", pageEndLabel: "1", index: 4, kind: .heading,
                level: 2,
                headingPath: ["1. Intro", "A \"quoted\" \\ path/with slash"],
                text: "Tab\there, line\nbreak, bell\u{7}, “curly” – café ﬁ",
                bbox: BoundingBox(x0: 62, y0: 91.44, x1: 533.28, y1: 0.1 + 0.2)),
            BlockRecord(
                docID: "abc", page: 1, pageEnd: 1, pageLabel: nil, pageEndLabel: nil, index: 0, kind: .paragraph,
                level: nil, headingPath: [], text: "", bbox: nil),
        ]
        for block in blocks {
            var bytes: [UInt8] = []
            Wire.append(block, to: &bytes)
            #expect(bytes == Array(try Wire.line(block)))
        }
    }
}

@Suite struct WireFastPathTests {
    @Test func passagesAndCodingsAsJSONEncoderWritesThem() throws {
        let passage = PassageRecord(
            passageID: "abc/1.0", docID: "abc", blockIndex: 1, part: 0, page: 2, pageEnd: 3, pageLabel: "iv",
            kind: .listItem,
            headingPath: ["A \"b\"", "c\\d"], text: "Tab\tand “quotes”", wordCount: 3, boilerplate: true)
        var bytes: [UInt8] = []
        Wire.append(passage, to: &bytes)
        #expect(bytes == Array(try Wire.line(passage)))
        let coding = CodingRecord(
            passageID: "abc/1.0", docID: "abc", page: 2, pageLabel: nil, taxonomy: "t", theme: "x", subtheme: "y",
            rules: ["r1", "r2"],
            matches: [MatchSpan(rule: "r1", start: 0, end: 3, text: "Tab", negated: true, hypothetical: false)],
            negated: true, hypothetical: false, boilerplate: false)
        bytes = []
        Wire.append(coding, to: &bytes)
        #expect(bytes == Array(try Wire.line(coding)))
    }

    /// Strings are escaped eight bytes at a time: every character that needs
    /// escaping, at every place in a word and in the tail after the last
    /// whole word, must come out as JSONEncoder writes it.
    @Test func escapesEveryByteWhereverItFalls() throws {
        let pieces = [
            "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{8}", "\u{C}", "\u{1}", "\u{1F}", "\u{7F}", "é",
            "“", "🙂", "!", "#", "[", "]", "~",
        ]
        var state: UInt64 = 7
        for length in 0..<40 {
            for _ in 0..<20 {
                let text = (0..<length).map { _ in pieces[Self.pick(&state, below: pieces.count)] }.joined()
                let passage = PassageRecord(
                    passageID: text, docID: "d", blockIndex: -length, part: Int.max - length, page: Int.min + length,
                    pageEnd: 0, pageLabel: text,
                    kind: .paragraph, headingPath: [text, ""], text: text, wordCount: length,
                    boilerplate: length % 2 == 0)
                var bytes: [UInt8] = []
                Wire.append(passage, to: &bytes)
                #expect(bytes == Array(try Wire.line(passage)), "\(text.debugDescription)")
            }
        }
    }

    /// A buffer kept across records grows as it must and, emptied, holds nothing of what came before.
    @Test func aReusedBufferGrowsAndForgets() throws {
        let buffer = LineBuffer(capacity: 16)
        let long = PassageRecord(
            passageID: "p", docID: "d", blockIndex: 0, part: 0, page: 1, pageEnd: 1, pageLabel: nil, kind: .paragraph,
            headingPath: [], text: String(repeating: "word \"quoted\" ", count: 500), wordCount: 1_000,
            boilerplate: false)
        let short = PassageRecord(
            passageID: "q", docID: "d", blockIndex: 1, part: 0, page: 2, pageEnd: 2, pageLabel: "2", kind: .heading,
            headingPath: ["H"], text: "Short.", wordCount: 1, boilerplate: true)
        Wire.append(long, to: buffer)
        Wire.append(short, to: buffer)
        #expect(buffer.bytes == Array(try Wire.line(long)) + Array(try Wire.line(short)))
        buffer.removeAll()
        Wire.append(short, to: buffer)
        #expect(buffer.data == (try Wire.line(short)))
    }

    /// A linear congruential step (Knuth's MMIX constants), so a failing case repeats.
    static func pick(_ state: inout UInt64, below count: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(count))
    }
}
