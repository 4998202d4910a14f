import Foundation
import Testing

@testable import SightlineCore

/// The field tables the fast paths walk, checked against the Codable definitions.
@Suite struct WireFieldTableTests {
    /// The keys of a JSON object line.
    static func keys(_ line: Data) throws -> [String] {
        let object = try JSONSerialization.jsonObject(with: line) as? [String: Any]
        return (object ?? [:]).keys.sorted()
    }

    /// Every stored property has a key (one left out of `CodingKeys` would be left off the wire unnoticed).
    @Test func everyStoredPropertyHasAKey() {
        var random = WireRandomRecords(seed: 9)
        #expect(Mirror(reflecting: random.block()).children.count == BlockRecord.table.fields.count)
        #expect(Mirror(reflecting: random.passage()).children.count == PassageRecord.table.fields.count)
        #expect(Mirror(reflecting: random.coding()).children.count == CodingRecord.table.fields.count)
        #expect(Mirror(reflecting: random.match()).children.count == MatchSpan.table.fields.count)
        #expect(Mirror(reflecting: BoundingBox(x0: 0, y0: 0, x1: 0, y1: 0)).children.count == 4)
    }

    /// The tables' order is JSONEncoder's, and their optional keys are the ones it leaves out when nil.
    @Test func tablesAreWhatJSONEncoderWrites() throws {
        func check<Key>(_ table: FieldTable<Key>, full: some Encodable, bare: some Encodable) throws {
            let all = table.fields.map(\.stringValue)
            #expect(try Self.keys(Wire.line(full)) == all)
            #expect(all == all.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            let required = table.fields.indices.filter { table.requiredMask & (1 << UInt32($0)) != 0 }
            #expect(try Self.keys(Wire.line(bare)) == required.map { all[$0] })
        }
        let box = BoundingBox(x0: 1, y0: 2, x1: 3, y1: 4)
        var block = BlockRecord(
            docID: "d", page: 1, pageEnd: 1, pageLabel: "i", pageEndLabel: "i", index: 0, kind: .heading, level: 1,
            headingPath: [], text: "t", bbox: box)
        block.ocrConfidence = 90
        let bareBlock = BlockRecord(
            docID: "d", page: 1, pageEnd: 1, pageLabel: nil, pageEndLabel: nil, index: 0, kind: .heading, level: nil,
            headingPath: [], text: "t", bbox: nil)
        try check(BlockRecord.table, full: block, bare: bareBlock)
        try check(BoundingBox.table, full: box, bare: box)
        var passage = PassageRecord(
            passageID: "p", docID: "d", blockIndex: 0, part: 0, page: 1, pageEnd: 1, pageLabel: "i", kind: .paragraph,
            headingPath: [], text: "t", wordCount: 1, boilerplate: false)
        try check(
            PassageRecord.table, full: passage,
            bare: {
                passage.pageLabel = nil
                return passage
            }())
        let match = MatchSpan(rule: "r", start: 0, end: 1, text: "t", negated: false, hypothetical: false)
        var coding = CodingRecord(
            passageID: "p", docID: "d", page: 1, pageLabel: "i", taxonomy: "x", theme: "y", subtheme: "z", rules: [],
            matches: [match], negated: false, hypothetical: false, boilerplate: false)
        let full = coding
        (coding.pageLabel, coding.subtheme) = (nil, nil)
        try check(CodingRecord.table, full: full, bare: coding)
        try check(MatchSpan.table, full: match, bare: match)
    }

    /// A line without one of its keys: both readers refuse it when the key is required, and read it alike when not.
    @Test func aMissingKeyIsRefusedWhenRequired() throws {
        var random = WireRandomRecords(seed: 10)
        for _ in 0..<50 {
            let line = try Wire.line(random.coding()).dropLast()
            let object = try JSONSerialization.jsonObject(with: line) as! [String: Any]
            for key in object.keys {
                var less = object
                less[key] = nil
                let shorter = try JSONSerialization.data(withJSONObject: less, options: [.sortedKeys])
                let decoded = try? JSONDecoder().decode(CodingRecord.self, from: shorter)
                #expect((decoded == nil) == (key != "page_label" && key != "subtheme"), "\(key)")
                #expect(Wire.FastReader.coding(shorter) == decoded, "\(key)")
            }
        }
    }
}

/// Lines are told apart by their `type` alone.
@Suite struct WireLineTests {
    static func line(_ text: String) -> Data { Data(text.utf8) }

    @Test func documentsLinesDispatchOnType() throws {
        let error = ErrorRecord(source: "a.pdf", docID: nil, code: .damaged, message: "cut short")
        #expect(try DocumentsLine(line: Wire.line(error).dropLast()) == .error(error))
        let duplicate = DuplicateRecord(source: "b.pdf", docID: "abc", sameAs: "a.pdf")
        #expect(try DocumentsLine(line: Wire.line(duplicate).dropLast()) == .duplicate(duplicate))
        let skipped = SkippedRecord(source: "c.xlsx", reason: "unsupported format: .xlsx")
        #expect(try DocumentsLine(line: Wire.line(skipped).dropLast()) == .skipped(skipped))
        let document = DocumentRecord(
            docID: "abc", source: "a.pdf", mediaType: .pdf, pageCount: 3, title: nil,
            extractor: ExtractorInfo(name: "poppler-glib", version: "1", libraries: [:]), blockCount: 2, wordCount: 9,
            pagesWithoutText: [], warnings: [])
        #expect(try DocumentsLine(line: Wire.line(document).dropLast()) == .document(document))
        #expect(try DocumentsLine(line: Wire.line(document).dropLast()).source == "a.pdf")
    }

    /// A field added to a record, whatever its name sorts before, changes nothing about what the line is.
    @Test func aNewFieldNeverChangesWhatALineIs() throws {
        let taxonomy = TaxonomyRecord(try TaxonomyLoaderFixture.taxonomy())
        let header = String(decoding: try Wire.line(taxonomy).dropLast(), as: UTF8.self)
        let widened = "{\"aardvark\":1," + header.dropFirst()
        #expect(try CodingsLine(line: Self.line(widened)) == .taxonomy(taxonomy))
        let coding = CodingRecord(
            passageID: "p", docID: "d", page: 1, pageLabel: nil, taxonomy: "x", theme: "y", subtheme: nil, rules: [],
            matches: [], negated: false, hypothetical: false, boilerplate: true)
        let codingLine = String(decoding: try Wire.line(coding).dropLast(), as: UTF8.self)
        for extra in ["\"aardvark\":[1,{\"type\":\"taxonomy\"}],", "\"boilerplate_headings\":[],", "\"zz\":null,"] {
            #expect(try CodingsLine(line: Self.line("{" + extra + codingLine.dropFirst())) == .coding(coding))
        }
        let error = ErrorRecord(source: "a.pdf", docID: nil, code: .empty, message: "no bytes")
        let errorLine = String(decoding: try Wire.line(error).dropLast(), as: UTF8.self)
        #expect(try DocumentsLine(line: Self.line("{\"aaa\":\"document\"," + errorLine.dropFirst())) == .error(error))
    }

    @Test func refusesOtherTypesNewerSchemasAndBadLines() throws {
        let cases: [(String, String)] = [
            (#"{"schema":"sightline.figure.v1","type":"figure"}"#, "a ‘figure’ record, which documents.jsonl"),
            (#"{"schema":"sightline.error.v2","type":"error","source":"a","code":"empty","message":"m"}"#, "newer"),
            (#"{"schema":"sightline.error.v1","type":"error","source":"a","code":"odd","message":"m"}"#, "error"),
            (#"{"schema":"sightline.error.v1","type":"error","source":"a","code":"empty"}"#, "no message"),
            (#"{"type":"error","source":"a"#, "malformed"),
        ]
        for (text, words) in cases {
            #expect {
                try DocumentsLine(line: Self.line(text))
            } throws: { ($0 as? Wire.Problem)?.message.contains(words) == true }
        }
        #expect(throws: Wire.Problem.self) {
            try CodingsLine(line: Self.line(#"{"schema":"sightline.passage.v1","type":"passage"}"#))
        }
        #expect(throws: Wire.Problem.self) {
            try BlocksLine(line: Self.line(#"{"schema":"sightline.block.v9","type":"block"}"#))
        }
        // A fast-read line with a newer schema is refused too.
        var block = BlockRecord(
            docID: "d", page: 1, pageEnd: 1, pageLabel: nil, pageEndLabel: nil, index: 0, kind: .paragraph,
            level: nil, headingPath: [], text: "t", bbox: nil)
        block.schema = "sightline.block.v2"
        #expect(Wire.FastReader.block(try Wire.line(block).dropLast()) == block)
        #expect(throws: Wire.Problem.self) { try BlocksLine(line: Wire.line(block).dropLast()) }
    }

    /// Reading a file names the file and line of a bad line.
    @Test func aBadLineIsReportedWithItsFileAndLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wire-\(UUID().uuidString).jsonl").path
        let skipped = try Wire.line(SkippedRecord(source: "c.xlsx", reason: "r"))
        try (skipped + Data("{\"type\":\"document\",\"schema\":\"sightline.document.v1\"}\n".utf8)).write(
            to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            try JSONLinesReader(path: path).readAll(DocumentsLine.self)
        } throws: { error in
            let description = "\(error)"
            return description.hasPrefix(path + ":2: not a valid document record (no ")
        }
    }

    /// Lines picked by place: empty lines are not counted, places past the end are not there.
    @Test func linesPickedByTheirPlace() {
        let data = Data("a\n\nb\nc\nd".utf8)
        func picked(_ indexes: [Int]) -> [String] {
            var lines: [String] = []
            JSONLinesReader.forEachLineInPlace(in: data, at: indexes) {
                lines.append(String(decoding: $0, as: UTF8.self))
            }
            return lines
        }
        #expect(picked([0, 2, 3]) == ["a", "c", "d"])
        #expect(picked([1]) == ["b"])
        #expect(picked([3, 9]) == ["d"])
        #expect(picked([]).isEmpty)
    }
}
