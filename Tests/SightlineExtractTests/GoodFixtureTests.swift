import Foundation
import SightlineCore
import Testing

@testable import SightlineExtract

/// Small rendered fixtures with known text in every format.
@Suite struct GoodFixtureTests {
    func extract(_ name: String, ocr: OCRMode = .auto) throws -> (DocumentRecord, [BlockRecord]) {
        let url = TestPaths.fixtures.appendingPathComponent("good/\(name)")
        var options = ExtractOptions()
        options.ocr = ocr
        switch Extractor(options: options).extract(path: url.path, source: name) {
        case .document(let document, let blocks): return (document, blocks)
        case .failure(let error): throw error
        }
    }

    func truth(_ name: String) throws -> [TruthBlock] {
        try TruthBlock.load(TestPaths.fixtures.appendingPathComponent("good/\(name)"))
    }

    @Test(arguments: ["small.pdf", "small.html", "small.docx", "small.txt"])
    func smallDocumentMatchesItsText(name: String) throws {
        let (document, blocks) = try extract(name)
        let known = try truth("small.truth.jsonl")
        let score = WordAccuracy.accuracy(
            reference: known.map(\.text).joined(separator: " "), extracted: blocks.map(\.text).joined(separator: " "))
        #expect(score.errors == 0, "\(name): \(score)")
        #expect(document.blockCount == blocks.count)
        #expect(document.title != nil)
    }

    @Test(arguments: ["structured.html", "structured.docx"])
    func listsTablesAndFootnotes(name: String) throws {
        let (_, blocks) = try extract(name)
        let known = try truth("structured.truth.jsonl")
        for kind in ["heading", "list_item", "table_cell", "footnote"] {
            let expected = known.filter { $0.kind == kind }.map(\.text)
            let got = blocks.filter { $0.kind.rawValue == kind }.map(\.text)
            if kind == "heading" {
                // A DOCX paragraph in the Title style is a heading too; the known headings come in order.
                #expect(got.filter { expected.contains($0) } == expected, "\(name): \(kind)")
            } else {
                #expect(got == expected, "\(name): \(kind)")
            }
        }
    }

    @Test func scannedPageIsNamedNotSilentlyEmpty() throws {
        let (document, blocks) = try extract("mixed-scanned.pdf", ocr: .never)
        #expect(document.pagesWithoutText == [2])
        let warning = document.warnings.first { $0.code == "needs_ocr" }
        #expect(warning?.pages == [2])
        #expect(warning?.message.contains("page 2") == true)
        #expect(Set(blocks.map(\.page)) == [1, 3])
    }
}
