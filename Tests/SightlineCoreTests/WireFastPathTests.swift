import Foundation
import Testing

@testable import SightlineCore

// The fast readers and writers of the hot records, on hand-made lines (the random-record
// property tests are in WirePropertyTests).
@Suite struct WireFastReaderTests {
    @Test func readsWhatTheWriterWritesAndDefersTheRest() throws {
        let coding = CodingRecord(
            passageID: "abc/1.0", docID: "abc", page: 2, pageLabel: "iv", taxonomy: "t", theme: "x", subtheme: "y",
            rules: ["r1", "r2"],
            matches: [
                MatchSpan(rule: "r1", start: 0, end: 9, text: "a \"b\" \\ c", negated: true, hypothetical: false)
            ],
            negated: true, hypothetical: false, boilerplate: true)
        var bytes: [UInt8] = []
        Wire.append(coding, to: &bytes)
        #expect(Wire.FastReader.coding(Data(bytes)) == coding)
        // A line it does not expect (a field the record does not have, or missing fields) is left to JSONDecoder.
        #expect(Wire.FastReader.coding(Data(#"{"type":"coding","passage_id":"p","text":"a\nb"}"#.utf8)) == nil)
        #expect(Wire.FastReader.coding(Data(#"{"boilerplate":false,"confidence":0.9,"type":"coding"}"#.utf8)) == nil)
        #expect(Wire.FastReader.coding(Data("{\"boilerplate\":fal".utf8)) == nil)
    }

    /// Found by fuzzing: with a key given twice the fast parser kept one copy and JSONDecoder the other.
    @Test func leavesALineWithARepeatedKeyToJSONDecoder() {
        #expect(
            Wire.FastReader.block(
                Data(
                    (#"{"doc_id":"d","heading_path":[],"index":1,"index":2,"kind":"paragraph","page":1,"page_end":1,"#
                        + #""schema":"sightline.block.v1","text":"t","type":"block"}"#).utf8)) == nil)
        #expect(
            Wire.FastReader.block(
                Data(
                    (#"{"bbox":{"x0":1,"x0":2,"x1":3,"y0":4,"y1":5},"doc_id":"d","heading_path":[],"index":1,"#
                        + #""kind":"paragraph","page":1,"page_end":1,"schema":"sightline.block.v1","text":"t","#
                        + #""type":"block"}"#).utf8)) == nil)
        #expect(
            Wire.FastReader.coding(Data(#"{"passage_id":"p","theme":"a","theme":"b","type":"coding"}"#.utf8)) == nil)
        #expect(
            Wire.FastReader.block(
                Data(
                    (#"{"doc_id":"d","heading_path":[],"index":1,"kind":"paragraph","page":1,"page_end":1,"#
                        + #""schema":"sightline.block.v1","text":"t","type":"block"}"#).utf8
                )) != nil)
    }
}

extension WireFastReaderTests {
    /// Field names are matched by their packed bytes: a name that shares a
    /// beginning with a known one, or is longer than fifteen bytes, is not it.
    @Test func aFieldIsKnownByAllItsBytes() {
        let line =
            #"{"doc_id":"d","heading_path":[],"index":1,"kind":"paragraph","page":1,"page_end":1,"#
            + #""schema":"sightline.block.v1","text":"t","type":"block"}"#
        #expect(Wire.FastReader.block(Data(line.utf8)) != nil)
        for (known, other) in [
            ("\"page\"", "\"pag\""), ("\"page\"", "\"pagex\""), ("\"page_end\"", "\"page_end_label_x\""),
            ("\"index\"", "\"inde\\u0078\""), ("\"text\"", "\"tex\u{301}t\""),
        ] {
            let variant = line.replacingOccurrences(of: known + ":", with: other + ":")
            #expect(variant != line)
            #expect(Wire.FastReader.block(Data(variant.utf8)) == nil, "\(variant)")
        }
    }

    /// With an interner, repeated ids come from it; the records are the same as without.
    @Test func codingsReadWithAnInternerAreTheSame() {
        let interner = StringInterner()
        for k in 0..<600 {
            let coding = CodingRecord(
                passageID: "doc\(k / 7)/\(k / 3).0", docID: "doc-\(k / 7)-with-an-id-longer-than-fifteen", page: k,
                pageLabel: nil,
                taxonomy: "panel-themes", theme: "theme-number-\(k % 300)",
                subtheme: k % 2 == 0 ? nil : "sub-theme-\(k % 5)",
                rules: ["rule-\(k % 11)-of-the-theme", "r"],
                matches: [
                    MatchSpan(
                        rule: "rule-\(k % 11)-of-the-theme", start: 0, end: 3, text: "abc", negated: false,
                        hypothetical: false)
                ],
                negated: k % 3 == 0, hypothetical: false, boilerplate: false)
            var bytes: [UInt8] = []
            Wire.append(coding, to: &bytes)
            let read = bytes.withUnsafeBytes {
                Wire.FastReader.coding(UnsafeRawBufferPointer(rebasing: $0.dropLast()), interner: interner)
            }
            #expect(read == coding)
        }
    }
}

extension WireFastReaderTests {
    /// Read for counting, a coding line gives the whole read's record with
    /// its rule list, matches and page label left out, and the number of its
    /// matches neither negated nor hypothetical; lines the whole read leaves
    /// to JSONDecoder it leaves too.
    @Test func readsForCountingWhatTheWholeReadGives() {
        let interner = StringInterner()
        for k in 0..<200 {
            let matches = (0..<(k % 5)).map { m in
                MatchSpan(
                    rule: "rule-\(m)", start: m, end: m + 3, text: m == 2 ? "a \"quoted\" \\ word" : "word \(m)",
                    negated: (k + m) % 3 == 0, hypothetical: (k + m) % 4 == 1)
            }
            let coding = CodingRecord(
                passageID: "doc/\(k).0", docID: "doc", page: k, pageLabel: k % 2 == 0 ? nil : "p\(k)",
                taxonomy: "panel-themes", theme: "theme-\(k % 7)",
                subtheme: k % 3 == 0 ? nil : "sub-\(k % 3)", rules: matches.map(\.rule), matches: matches,
                negated: k % 6 == 0, hypothetical: k % 10 == 1, boilerplate: k % 9 == 0)
            var bytes: [UInt8] = []
            Wire.append(coding, to: &bytes)
            let read = bytes.withUnsafeBytes {
                Wire.FastReader.codingForCounting(
                    UnsafeRawBufferPointer(rebasing: $0.dropLast()), interner: interner)
            }
            var expected = coding
            (expected.rules, expected.matches, expected.pageLabel) = ([], [], nil)
            #expect(read?.coding == expected)
            #expect(read?.affirmed == matches.filter(\.isAffirmed).count)
        }
        for line in [
            #"{"type":"coding","passage_id":"p","text":"a\nb"}"#,
            #"{"boilerplate":false,"confidence":0.9,"type":"coding"}"#,
            #"{"matches":[{"rule":"r","text":"a\tb"}],"passage_id":"p","type":"coding"}"#,
            #"{"passage_id":"p","rules":["a","b"],"rules":[],"type":"coding"}"#,
            "{\"boilerplate\":fal",
        ] {
            let whole = Wire.FastReader.coding(Data(line.utf8))
            let counting = Data(line.utf8).withUnsafeBytes {
                Wire.FastReader.codingForCounting($0, interner: interner)
            }
            #expect(whole == nil && counting == nil, "\(line)")
        }
    }
}

@Suite struct PassageLineParserTests {
    @Test func readsPassagesTheWriterWritesAsJSONDecoderDoes() throws {
        let passages = [
            PassageRecord(
                passageID: "abc/4.1", docID: "abc", blockIndex: 4, part: 1, page: 2, pageEnd: 3, pageLabel: "ii",
                kind: .listItem,
                headingPath: ["1. Intro", "A \"quoted\" \\ path"], text: "“curly” – café \\ \"q\"", wordCount: 3,
                boilerplate: true),
            PassageRecord(
                passageID: "abc/0.0", docID: "abc", blockIndex: 0, part: 0, page: 1, pageEnd: 1, pageLabel: nil,
                kind: .paragraph,
                headingPath: [], text: "", wordCount: 0, boilerplate: false),
        ]
        for passage in passages {
            var bytes: [UInt8] = []
            Wire.append(passage, to: &bytes)
            let line = Data(bytes.dropLast())
            #expect(Wire.FastReader.passage(line) == passage)
            #expect(try JSONDecoder().decode(PassageRecord.self, from: line) == passage)
        }
    }

    @Test func leavesWhatItDoesNotExpectToJSONDecoder() {
        var bytes: [UInt8] = []
        Wire.append(
            PassageRecord(
                passageID: "p", docID: "d", blockIndex: 0, part: 0, page: 1, pageEnd: 1, pageLabel: nil,
                kind: .paragraph, headingPath: [],
                text: "t", wordCount: 1, boilerplate: false),
            to: &bytes)
        let line = String(decoding: bytes.dropLast(), as: UTF8.self)
        // A required field missing, a key twice, a newer field, another record type.
        for variant in [
            line.replacingOccurrences(of: #""word_count":1"#, with: #""word_count":1,"word_count":2"#),
            line.replacingOccurrences(of: #","word_count":1"#, with: ""),
            line.replacingOccurrences(of: #""text":"t""#, with: #""text":"t","tone":"x""#),
            line.replacingOccurrences(of: #""type":"passage""#, with: #""type":"block""#),
        ] {
            #expect(variant != line)
            #expect(Wire.FastReader.passage(Data(variant.utf8)) == nil, "\(variant)")
        }
    }
}

@Suite struct BlockLineParserTests {
    @Test func readsBlocksTheWriterWrites() throws {
        let blocks = [
            BlockRecord(
                docID: "abc", page: 2, pageEnd: 3, pageLabel: "ii", pageEndLabel: "1", index: 4, kind: .heading,
                level: 2,
                headingPath: ["1. Intro", "A \"quoted\" \\ path/with slash"], text: "“curly” – café",
                bbox: BoundingBox(x0: 62, y0: 91.44, x1: 533.28, y1: 0.3)),
            BlockRecord(
                docID: "abc", page: 1, pageEnd: 1, pageLabel: nil, pageEndLabel: nil, index: 0, kind: .tableCell,
                level: nil, headingPath: [], text: "", bbox: nil),
        ]
        for block in blocks {
            var bytes: [UInt8] = []
            Wire.append(block, to: &bytes)
            #expect(Wire.FastReader.block(Data(bytes.dropLast())) == block)
        }
        // Every JSON escape is read as JSONDecoder reads it.
        let escaped =
            #"{"doc_id":"a\/b","heading_path":["\u00e9\ud83d\ude42"],"index":0,"kind":"paragraph","#
            + #""page":1,"page_end":1,"#
            + #""schema":"sightline.block.v1","text":"tab\there\r\n\b\f\u0000","type":"block"}"#
        let decoded = try JSONDecoder().decode(BlockRecord.self, from: Data(escaped.utf8))
        #expect(Wire.FastReader.block(Data(escaped.utf8)) == decoded)
        #expect(decoded.headingPath == ["é🙂"] && decoded.docID == "a/b")
        // A lone surrogate, or an escape JSON does not have, is left to JSONDecoder.
        for bad in [#"\ud83d"#, #"\x41"#, #"\u12"#] {
            let line = escaped.replacingOccurrences(of: #"\b"#, with: bad)
            #expect(Wire.FastReader.block(Data(line.utf8)) == nil, "\(line)")
        }
    }
}
