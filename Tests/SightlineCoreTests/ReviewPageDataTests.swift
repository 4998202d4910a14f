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

    @Test func utf16OffsetsCountEveryScalar() {
        #expect(ReviewPage.utf16Offsets("") == [0])
        #expect(ReviewPage.utf16Offsets("a👶é") == [0, 1, 3, 4])
    }
}
