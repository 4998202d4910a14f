import Foundation
import Testing

@testable import SightlineCore

/// The byte-level writers behind the tables and the review page: CSV quoting, the data block's escaping of `<`,
/// UTF-16 offsets and fixed-point numbers, each checked against the plain definition it must agree with.
@Suite struct TableBytesTests {
    @Test(arguments: [
        ("", ""), ("plain", "plain"), ("a,b", "\"a,b\""), ("\"", "\"\"\"\""), ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("\"\"", "\"\"\"\"\"\""), ("end\"", "\"end\"\"\""), ("line\nbreak", "\"line\nbreak\""),
        ("cr\ronly", "\"cr\ronly\""), ("windows\r\n", "\"windows\r\n\""), (",", "\",\""),
        // A byte-order mark inside a field is text like any other; only the file starts with one.
        ("\u{FEFF}mark", "\u{FEFF}mark"),
        ("naïve, café", "\"naïve, café\""), ("👶\"€\"", "\"👶\"\"€\"\"\""), ("\"\u{301}", "\"\"\"\u{301}\""),
        // The bytes on either side of the four that call for quotes are written as they are.
        ("tab\there +-!#$%&'()*./", "tab\there +-!#$%&'()*./"), ("\u{B}\u{C}\u{2028}", "\u{B}\u{C}\u{2028}"),
    ])
    func csvFields(value: String, written: String) throws {
        #expect(CSV.field(value) == written)
        var row: [UInt8] = []
        CSV.append(row: [value, "a\"b", value], to: &row)
        #expect(String(decoding: row, as: UTF8.self) == "\(written),\"a\"\"b\",\(written)\r\n")
        let document = CSV.document(header: ["value"], rows: [[value]])
        #expect(document.hasPrefix("\u{FEFF}value\r\n"))
        let parsed = try CSV.parse(document).map(\.fields)
        #expect(parsed == (value.isEmpty ? [["value"]] : [["value"], [value]]))
    }

    @Test(arguments: [
        ("[\"no opener\"]", "[\"no opener\"]"), ("[\"<\"]", "[\"\\u003c\"]"),
        ("[\"</script>\"]", "[\"\\u003c/script>\"]"), ("[\"<!-- <script>\"]", "[\"\\u003c!-- \\u003cscript>\"]"),
        ("[\"é<👶<<\"]", "[\"é\\u003c👶\\u003c\\u003c\"]"),
    ])
    func tagOpenersAreEscaped(json: String, escaped: String) throws {
        let out = ReviewPage.escapingTagOpeners(Data(json.utf8))
        #expect(String(decoding: out, as: UTF8.self) == escaped)
        let read = try JSONSerialization.jsonObject(with: out) as? [String]
        #expect(read == (try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String]))
    }

    /// Whatever the strings hold, the escaped block has no `<` and reads back as the same values.
    @Test func escapedBlocksReadBackTheSame() throws {
        let pieces = ["<", "</script", "<!--", "-->", "é", "👶", "\"", "\\", "a", " ", "\n", ">", "\u{2028}"]
        var state: UInt64 = 17
        for _ in 0..<200 {
            var values: [String] = []
            for _ in 0..<3 {
                var value = ""
                for _ in 0..<Int(state % 9) {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    value += pieces[Int((state >> 33) % UInt64(pieces.count))]
                }
                state = state &* 6_364_136_223_846_793_005 &+ 1
                values.append(value)
            }
            let json = try JSONEncoder().encode(values)
            let out = ReviewPage.escapingTagOpeners(json)
            #expect(!out.contains(UInt8(ascii: "<")))
            #expect(try JSONDecoder().decode([String].self, from: out) == values)
        }
    }

    @Test func utf16OffsetsCountEachScalarsUnits() {
        let pieces = ["a", "é", "e\u{301}", "€", "\u{FFFF}", "👶", "\u{10000}", "\u{10FFFF}", "\u{7F}", "\u{80}", " "]
        var state: UInt64 = 5
        for _ in 0..<300 {
            var text = ""
            for _ in 0..<Int(state % 12) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text += pieces[Int((state >> 33) % UInt64(pieces.count))]
            }
            state = state &* 6_364_136_223_846_793_005 &+ 1
            var expected = [0]
            for scalar in text.unicodeScalars { expected.append(expected.last! + scalar.utf16.count) }
            #expect(ReviewPage.utf16Offsets(text) == expected, "\(text.debugDescription)")
        }
    }

    /// `Printf.fixed` must write what `String(format:)` writes, ties and signs included.
    @Test func fixedPointIsWhatPrintfWrites() {
        var values: [Double] = [
            0, -0.0, 0.5, 1.5, 2.5, 0.125, 0.375, 0.0625, 0.00005, 0.00015, 0.99995, 0.999_95, 9.5, 1e-5, -1e-9,
            -0.05, -2.5, 123_456.789, 0x1p52 + 0.5, 0x1p53 - 1, 0x1p53, 1e300, -1e22, .leastNonzeroMagnitude,
            .leastNormalMagnitude, 0x1p-75, 0x1p-74, .nan, .infinity, -.infinity,
        ]
        for passages in 1...300 {
            for coded in stride(from: 0, through: passages, by: max(1, passages / 25)) {
                let share = Double(coded) / Double(passages)
                values += [share, share * 100, -share]
            }
        }
        var state: UInt64 = 11
        for _ in 0..<3000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let value = Double(bitPattern: state)
            values.append(value.isFinite && value.magnitude < 1e30 ? value : Double(state >> 11) / 0x1p40)
        }
        for value in values {
            for places in 0...6 {
                let expected = String(format: "%.\(places)f", value)
                #expect(Printf.fixed(value, places: places) == expected, "\(value) to \(places) places")
            }
        }
    }
}
