import Testing

@testable import SightlineCore

/// Builds synthetic pages: each line is laid out glyph by glyph at a given
/// position, as poppler would report it.
struct PageBuilder {
    var lines: [LayoutLine] = []
    let width: Float = 595
    let height: Float = 842

    mutating func line(_ text: String, x: Float = 72, y: Float, size: Float = 11, bold: Bool = false) {
        var glyphs: [LayoutGlyph] = []
        var cursor = x
        for scalar in text.unicodeScalars {
            let advance = size * 0.5
            glyphs.append(
                LayoutGlyph(
                    scalar: scalar, x0: cursor, y0: y - size, x1: cursor + advance, y1: y, size: size, bold: bold))
            cursor += advance
        }
        lines.append(LayoutLine(glyphs: glyphs))
    }

    /// Appends a raised, small footnote reference number to the last line.
    mutating func superscript(_ digits: String) {
        var glyphs = lines.removeLast().glyphs
        var cursor = glyphs.last!.x1
        let baseline = glyphs.last!.y1
        for scalar in digits.unicodeScalars {
            glyphs.append(
                LayoutGlyph(
                    scalar: scalar, x0: cursor, y0: baseline - 10, x1: cursor + 3.5, y1: baseline - 4, size: 7,
                    bold: false))
            cursor += 3.5
        }
        lines.append(LayoutLine(glyphs: glyphs))
    }

    func page(_ index: Int, label: String? = nil) -> LayoutPage {
        LayoutPage(index: index, label: label ?? String(index), width: width, height: height, lines: lines)
    }
}

@Suite struct PDFLayoutCleanerTests {
    func clean(_ pages: [LayoutPage]) -> ([BlockRecord], PDFLayoutCleaner.Report) {
        var assembler = BlockAssembler(docID: "doc")
        let report = PDFLayoutCleaner().assemble(pages: pages, into: &assembler)
        return (assembler.blocks, report)
    }

    /// Four pages with a running header, a "Page N of 4" footer and body text.
    func reportPages(body: (Int, inout PageBuilder) -> Void) -> [LayoutPage] {
        (1...4).map { n in
            var builder = PageBuilder()
            builder.line("Harbourside Safeguarding Children Partnership    Child L LCSPR", y: 40, size: 8)
            body(n, &builder)
            builder.line("Page \(n) of 4", x: 270, y: 810, size: 8)
            return builder.page(n)
        }
    }

    /// Int(Float) traps on infinity, NaN and values past Int's range; a hostile PDF chooses its font sizes.
    @Test func sizeKeyTakesAnyFontSize() {
        #expect(PDFLayoutCleaner.sizeKey(11, false) == 44)
        #expect(PDFLayoutCleaner.sizeKey(11, true) == 45)
        for size: Float in [.infinity, -.infinity, .nan, 1e20, -1e20, .greatestFiniteMagnitude] {
            #expect(PDFLayoutCleaner.sizeKey(size, false) >= 0)
        }
    }

    @Test func removesRunningHeadersFootersAndPageNumbers() {
        let pages = reportPages { n, b in
            b.line("Paragraph on page \(n) about the family and the child.", y: 120)
        }
        let (blocks, report) = clean(pages)
        #expect(blocks.map(\.text) == (1...4).map { "Paragraph on page \($0) about the family and the child." })
        #expect(report.marginLinesRemoved == 8)
        #expect(!blocks.contains { $0.text.contains("Harbourside") || $0.text.contains("Page ") })
    }

    @Test func keepsALineThatRepeatsOnlyOnce() {
        // "Recommendations" at the top of two of eight pages is a heading, not a running header.
        let pages = (1...8).map { n in
            var b = PageBuilder()
            if n == 3 || n == 6 { b.line("Recommendations", y: 60, size: 14, bold: true) }
            b.line("Body text on page \(n).", y: 200)
            return b.page(n)
        }
        let (blocks, _) = clean(pages)
        #expect(blocks.filter { $0.text == "Recommendations" }.count == 2)
        #expect(blocks.filter { $0.kind == .heading }.count == 2)
    }

    @Test func joinsHyphenatedWordsAndKeepsRealHyphens() {
        var b = PageBuilder()
        b.line("The social worker did not complete an assess-", y: 100)
        b.line("ment of the home, and the multi-", y: 114)
        b.line("agency meeting did not consider a step-", y: 128)
        b.line("down. Elsewhere the document says multi-agency.", y: 142)
        let (blocks, report) = clean([b.page(1)])
        #expect(blocks.count == 1)
        #expect(
            blocks[0].text
                == "The social worker did not complete an assessment of the home, and the multi-agency meeting "
                + "did not consider a step-down. Elsewhere the document says multi-agency."
        )
        #expect(report.hyphenationsJoined == 1)
        #expect(report.hyphensKept == 2)
    }

    @Test func joinsAParagraphRunningOverAPageBreak() {
        let pages = reportPages { n, b in
            switch n {
            case 1:
                b.line("1. Introduction", y: 100, size: 14, bold: true)
                b.line("The review found that information about the father was", y: 780)
            case 2:
                b.line("not shared with the health visitor before the birth.", y: 100)
                b.line("A new paragraph starts here and runs", y: 130)
                b.line("on to a second line.", y: 144)
            default:
                b.line("Text on page \(n).", y: 100)
            }
        }
        let (blocks, report) = clean(pages)
        let joined = blocks.first { $0.text.hasPrefix("The review found") }
        #expect(
            joined?.text
                == "The review found that information about the father was not shared with the health visitor "
                + "before the birth."
        )
        #expect(joined?.page == 1)
        #expect(joined?.pageEnd == 2)
        #expect(joined?.pageEndLabel == "2")
        #expect(joined?.headingPath == ["1. Introduction"])
        #expect(report.pageBreakJoins == 1)
        #expect(
            blocks.contains { $0.text == "A new paragraph starts here and runs on to a second line." && $0.page == 2 })
    }

    @Test func separatesFootnotesAndDropsReferenceNumbers() {
        let pages = reportPages { n, b in
            b.line("Child L was excluded from school in Year 9.", y: 150)
            if n == 2 {
                b.superscript("1")
                b.line("1 Permanent exclusion under the school’s behaviour policy.", y: 770, size: 8)
            }
        }
        let (blocks, report) = clean(pages)
        #expect(report.footnotes == 1)
        let page2 = blocks.filter { $0.page == 2 }
        #expect(page2.map(\.kind) == [.paragraph, .footnote])
        #expect(page2[0].text == "Child L was excluded from school in Year 9.")
        #expect(page2[1].text == "Permanent exclusion under the school’s behaviour policy.")
    }

    @Test func findsHeadingsListItemsAndLevels() {
        var b = PageBuilder()
        b.line("Serious Case Review: Child D", y: 80, size: 20, bold: true)
        b.line("2. Terms of reference", y: 130, size: 14, bold: true)
        b.line("2.1 Scope", y: 160, size: 12, bold: true)
        b.line("• whether agencies shared information in a timely", y: 190)
        b.line("way;", x: 84, y: 204)
        b.line("• how the voice of the child was heard.", y: 218)
        let (blocks, _) = clean([b.page(1)])
        #expect(blocks.map(\.kind) == [.heading, .heading, .heading, .listItem, .listItem])
        #expect(blocks.map(\.level) == [1, 2, 3, nil, nil])
        #expect(blocks[3].text == "whether agencies shared information in a timely way;")
        #expect(blocks[4].headingPath == ["Serious Case Review: Child D", "2. Terms of reference", "2.1 Scope"])
    }

    @Test func separatesParagraphsBySpacing() {
        var b = PageBuilder()
        b.line("First paragraph line one", y: 100)
        b.line("first paragraph line two.", y: 114)
        b.line("Second paragraph after a gap.", y: 140)
        let (blocks, _) = clean([b.page(1)])
        #expect(
            blocks.map(\.text) == [
                "First paragraph line one first paragraph line two.", "Second paragraph after a gap.",
            ])
    }
}
