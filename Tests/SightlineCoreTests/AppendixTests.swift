import Foundation
import Testing

@testable import SightlineCore

/// The appendix as a reader sees it: counts in words, citations, highlights,
/// what was not read, case characteristics apart from the themes.
@Suite struct AppendixTests {
    static func frame(_ id: String, kind: String?) throws -> TaxonomyRecord {
        let yaml = """
            sightline_taxonomy: 1
            id: \(id)
            name: Frame \(id)
            version: 1.0.0
            cues: none
            \(kind.map { "kind: \($0)" } ?? "")
            themes:
              - id: \(id)-voice
                name: The voice of the child, heard and recorded in every assessment and plan
                description: The child's voice.
                rules: [{id: \(id)-v, phrases: [voice]}]
            """
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(id)-\(UUID().uuidString).yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return TaxonomyRecord(try TaxonomyLoader().load(path: path))
    }

    func model(quotes: [ExemplarPicker.Quote]) throws -> EvidenceModel {
        let themes = try Self.frame("themes", kind: nil)
        let characteristics = try Self.frame("facts", kind: "characteristics")
        #expect(themes.kind == nil && characteristics.kind == .characteristics)
        let documents = [
            DocumentInfo(
                docID: "d1", source: "in/one.pdf", title: "Extracted title",
                metadata: ["title": "Child Q", "year": "2021"],
                pageCount: 12, pagesWithoutText: [3, 4])
        ]
        let coding = CodingRecord(
            passageID: "d1/5.0", docID: "d1", page: 5, pageLabel: "iv", taxonomy: "themes", theme: "themes-voice",
            subtheme: nil,
            rules: ["themes-v"],
            matches: [
                MatchSpan(rule: "themes-v", start: 4, end: 9, text: "voice", negated: false, hypothetical: false)
            ],
            negated: false, hypothetical: false, boilerplate: false)
        let passages = [
            PassageRecord(
                passageID: "d1/5.0", docID: "d1", blockIndex: 5, part: 0, page: 5, pageEnd: 5, pageLabel: "iv",
                kind: .paragraph,
                headingPath: [], text: "Her voice was heard.", wordCount: 4, boilerplate: false)
        ]
        let result = Aggregator(override: .init(minPassages: 1, minShare: 0))
            .aggregate(
                documents: documents, taxonomies: [themes, characteristics], passages: passages, codings: [coding])
        var model = EvidenceModel(
            documents: documents,
            failures: [
                ErrorRecord(source: "in/two.pdf", docID: nil, code: .encrypted, message: "It needs a password.")
            ],
            taxonomies: [themes, characteristics], result: result, quotes: [quotes, []],
            manifestColumns: ["title", "year"],
            toolVersion: "t", date: "2026-01-01")
        model.byColumns = ["year"]
        model.skipped = [SkippedRecord(source: "in/sheet.xlsx", reason: "unsupported format: .xlsx")]
        return model
    }

    @Test func appendixReadsAsAReportAndKeepsIdsOutOfTheText() throws {
        let quote = ExemplarPicker.Quote(
            passageID: "d1/5.0", docID: "d1", page: 5, pageLabel: "iv", text: "Her voice was heard.", marks: [4..<9])
        let model = try model(quotes: [quote])
        let report = model.appendix
        let text = MarkdownReportRenderer().render(report)
        // Singular counts, and what was not read: the failed file and the pages without a text layer.
        #expect(text.contains("1 document analysed; 1 document could not be read; 2 pages had no text layer"))
        #expect(text.contains("**in/two.pdf**: could not be read (`encrypted`). It needs a password."))
        #expect(text.contains("pages 3, 4 have no text layer"))
        #expect(text.contains("1 file in a format Sightline does not read was skipped"))
        #expect(text.contains("**in/sheet.xlsx**: skipped, not read (unsupported format: .xlsx)."))
        // The reviews included, with the manifest's title and fields.
        #expect(text.contains("| Review | Year | File | Pages |") && text.contains("| Child Q | 2021 | one.pdf | 12 |"))
        // The quote: manifest title and printed label, matched words marked, the id only in a comment.
        #expect(text.contains("> Her **voice** was heard.\n>\n> — Child Q, p. iv\n<!-- passage d1/5.0 -->"))
        #expect(text.contains("Features in 1 of 1 review**"))
        // Characteristics: their own table, never a chart; every --by column a table.
        let charts = report.blocks.compactMap { block -> BarChart? in
            if case .chart(let chart) = block { chart } else { nil }
        }
        #expect(charts.count == 1 && charts[0].bars.map(\.label) == [model.result.rows[0].name])
        #expect(report.blocks.contains(.heading(level: 2, text: "Frame facts", anchor: "facts")))
        #expect(report.blocks.contains(.heading(level: 2, text: "By year", anchor: "by-year")))
        let html = HTMLReportRenderer().render(report)
        #expect(html.contains("<blockquote data-passage=\"d1/5.0\">Her <mark>voice</mark> was heard."))
        #expect(html.contains("— Child Q, p. iv</div>"))
        // No chart label is cut short.
        #expect(html.contains(">The voice of the child, heard and recorded in every assessment and plan</div>"))
        let visible = html.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
        #expect(!visible.contains("d1/5.0"), "passage ids stay out of the text a reader sees")
    }

    @Test func citationsSayWhichPageIsMeant() throws {
        let model = try model(quotes: [])
        func quote(_ label: String?, page: Int, doc: String = "d1") -> ExemplarPicker.Quote {
            ExemplarPicker.Quote(passageID: "x", docID: doc, page: page, pageLabel: label, text: "t")
        }
        #expect(model.citation(quote("iv", page: 5)) == "Child Q, p. iv")
        #expect(model.citation(quote(nil, page: 5)) == "Child Q, page 5")
        var single = model
        single.documents[0].pageCount = 1
        #expect(single.citation(quote(nil, page: 1)) == "Child Q")
    }

    /// Marks follow the quote into an excerpt of a long passage.
    @Test func marksMoveIntoExcerpts() {
        let words = (0..<120).map { "w\($0)" }
        let passage = words.joined(separator: " ")
        let target = passage.range(of: "w70")!
        let start = passage.unicodeScalars.distance(from: passage.unicodeScalars.startIndex, to: target.lowerBound)
        let excerpt = ExemplarPicker.excerpt(passage, around: start)
        #expect(excerpt.hasPrefix("… "))
        let marks = ExemplarPicker.marks([start..<(start + 3), 0..<2], passage: passage, excerpt: excerpt)
        #expect(marks.count == 1)
        let runs = ReportInline.marked(excerpt, marks: marks)
        #expect(runs.contains(.mark("w70")))
    }

    @Test func wordDocumentIsAZipOfTheParts() throws {
        let model = try model(quotes: [])
        let data = try WordReportRenderer().render(model.appendix)
        #expect(data.starts(with: [0x50, 0x4B, 0x03, 0x04]))
        let text = String(decoding: data, as: UTF8.self)
        for part in ["[Content_Types].xml", "word/document.xml", "word/styles.xml", "_rels/.rels"] {
            #expect(text.contains(part))
        }
        #expect(
            text.contains("<w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t xml:space=\"preserve\">Methods</w:t></w:r>"))
        #expect(try data == WordReportRenderer().render(model.appendix), "the same report gives the same bytes")
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }
}
