import Foundation
import Testing

@testable import SightlineCore

/// The data block of `review.html`, built from records made here.
@Suite struct ReviewPageDataTests {
    func data(_ page: ReviewPage) throws -> [String: Any] {
        let html = try page.html()
        let open = "<script type=\"application/json\" id=\"review-data\">"
        let start = try #require(html.range(of: open)).upperBound
        let end = try #require(html.range(of: "</script>", range: start..<html.endIndex)).lowerBound
        return try #require(try JSONSerialization.jsonObject(with: Data(html[start..<end].utf8)) as? [String: Any])
    }

    @Test func matchOffsetsBecomeUTF16UnitsAndScriptEndsAreEscaped() throws {
        // "👶" is one Unicode scalar and two UTF-16 units: offsets after it move by one.
        let text = "👶 A bruise </script> and shouting 👶👶 at home"
        let scalars = Array(text.unicodeScalars)
        func span(_ words: String) -> (Int, Int) {
            let start = (0...(scalars.count - words.unicodeScalars.count)).first {
                String(String.UnicodeScalarView(scalars[$0..<($0 + words.unicodeScalars.count)])) == words
            }!
            return (start, start + words.unicodeScalars.count)
        }
        let bruise = span("bruise")
        let shouting = span("shouting")
        let passage = PassageRecord(
            passageID: "abc/1.0", docID: "abc", blockIndex: 1, part: 0, page: 3, pageEnd: 3, pageLabel: "ii",
            kind: .paragraph, headingPath: ["Findings", "Home"], text: text, wordCount: 9, boilerplate: false)
        func coding(_ sub: String, _ rule: String, _ at: (Int, Int), _ words: String, negated: Bool) -> CodingRecord {
            CodingRecord(
                passageID: "abc/1.0", docID: "abc", page: 3, pageLabel: "ii", taxonomy: "frame", theme: "abuse",
                subtheme: sub, rules: [rule],
                matches: [
                    MatchSpan(rule: rule, start: at.0, end: at.1, text: words, negated: negated, hypothetical: false)
                ],
                negated: negated, hypothetical: false, boilerplate: false)
        }
        let page = ReviewPage(
            documents: [DocumentInfo(docID: "abc", source: "a.pdf", title: "Child A")],
            taxonomies: [AggregatorTests.taxonomy],
            passages: [
                .init(
                    record: passage,
                    codings: [
                        coding("physical", "p", bruise, "bruise", negated: false),
                        coding("emotional", "e", shouting, "shouting", negated: true),
                    ])
            ],
            decisions: nil)
        let html = try page.html()
        #expect(html.components(separatedBy: "</script>").count == 3, "the passage's </script> is escaped")
        let d = try data(page)
        let row = try #require((d["p"] as? [[Any]])?.first)
        #expect(row[0] as? String == "abc/1.0" && row[1] as? Int == 0 && row[2] as? String == "ii")
        #expect((d["h"] as? [String])?[row[3] as! Int] == "Findings › Home" && row[5] as? String == text)
        #expect(row[4] as? String == SHA256.hex(of: Array(text.utf8)))
        let themes = (d["t"] as! [[String]]).map { $0[0] }
        #expect(themes.contains("frame/abuse/physical") && themes.contains("frame/abuse"))
        let units = Array(text.utf16)
        let codings = row[6] as! [[Int]]
        #expect(codings.map { $0[1] } == [0, 1], "counted, then negated")
        for (packed, words) in zip(codings, ["bruise", "shouting"]) {
            #expect(themes[packed[0]] == "frame/abuse/" + (words == "bruise" ? "physical" : "emotional"))
            #expect(String(decoding: units[packed[4]..<packed[5]], as: UTF16.self) == words)
            #expect(packed[4] == (words == "bruise" ? bruise.0 + 1 : shouting.0 + 1))
        }
        #expect((d["r"] as! [String]) == ["p", "e"])
    }

    /// The rows are written with the records' JSON writer rather than JSONEncoder: the whole data block must be
    /// the bytes JSONEncoder writes for the same values, with each `<` written `\u003c`, whatever the texts hold.
    @Test func theDataBlockIsWhatJSONEncoderWrites() throws {
        let pieces = [
            "child", " ", "\"", "\\", "/", "<", "</script>", "\n", "\r\n", "\t", "\u{0}", "\u{1F}", "\u{7F}", "\u{8}",
            "\u{C}", "é", "e\u{301}", "👶", "\u{2028}", "€", "’",
        ]
        var state: UInt64 = 2026
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        func text(_ length: Int) -> String { (0..<length).map { _ in pieces[next(pieces.count)] }.joined() }
        let subthemes = ["physical", "emotional"]
        var passages: [ReviewPage.Passage] = []
        for i in 0..<60 {
            let body = text(1 + next(40))
            let scalars = body.unicodeScalars.count
            let start = next(scalars)
            let id = "abc/\(i).0"
            let passage = PassageRecord(
                passageID: id, docID: i % 7 == 0 ? "unlisted" : "abc", blockIndex: i, part: 0, page: i,
                pageEnd: i, pageLabel: i % 3 == 0 ? nil : text(2), kind: .paragraph, headingPath: [text(3), text(1)],
                text: body, wordCount: 1, boilerplate: false)
            let codings = (0..<next(3)).map { k in
                CodingRecord(
                    passageID: id, docID: "abc", page: i, pageLabel: nil, taxonomy: "frame", theme: "abuse",
                    subtheme: subthemes[k % 2], rules: [text(2), "r\(next(4))"],
                    matches: [
                        MatchSpan(
                            rule: "r", start: start, end: start + 1 + next(scalars - start), text: "", negated: k == 1,
                            hypothetical: false)
                    ],
                    negated: k == 1, hypothetical: false, boilerplate: false)
            }
            passages.append(.init(record: passage, codings: codings))
        }
        let page = ReviewPage(
            documents: [DocumentInfo(docID: "abc", source: text(4), title: text(5))],
            taxonomies: [AggregatorTests.taxonomy], passages: passages, decisions: nil)
        let written = try page.data()
        // The same values, read back and written again by JSONEncoder as the page used to write them.
        struct Row: Encodable {
            var fields: [Any]
            func encode(to encoder: Encoder) throws {
                var container = encoder.unkeyedContainer()
                try container.encode(fields[0] as! String)
                try container.encode(fields[1] as! Int)
                try container.encode(fields[2] as! String)
                try container.encode(fields[3] as! Int)
                try container.encode(fields[4] as! String)
                try container.encode(fields[5] as! String)
                try container.encode(fields[6] as! [[Int]])
            }
        }
        struct Payload: Encodable {
            var t: [[String]], d: [[String]], r: [String], h: [String], p: [Row], x: [[String]], k: String
        }
        let read = try #require(try JSONSerialization.jsonObject(with: written) as? [String: Any])
        let rows = try #require(read["p"] as? [[Any]])
        #expect(rows.count == 60 && rows.contains { ($0[6] as! [[Int]]).count == 2 })
        #expect(Set(rows.map { $0[1] as! Int }) == [0, -1], "the unlisted document's passages refer to no document")
        let payload = Payload(
            t: read["t"] as! [[String]], d: read["d"] as! [[String]], r: read["r"] as! [String],
            h: read["h"] as! [String], p: rows.map { Row(fields: $0) }, x: read["x"] as! [[String]],
            k: read["k"] as! String)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let expected = ReviewPage.escapingTagOpeners(try encoder.encode(payload))
        #expect(written == expected, "\(String(decoding: written, as: UTF8.self))")
    }

    @Test func utf16OffsetsCountEveryScalar() {
        #expect(ReviewPage.utf16Offsets("") == [0])
        #expect(ReviewPage.utf16Offsets("a👶é") == [0, 1, 3, 4])
    }
}
