import Foundation

/// Renders a `ReportDocument` as a Word document (`.docx`, Office Open XML):
/// headings in Word's heading styles (so the navigation pane and a table of
/// contents find them), tables as Word tables with a repeating header row,
/// charts as tables of bars, matched words highlighted, passage ids as
/// bookmarks (invisible in the text), each theme's section on a new page.
/// Written directly, without a converter, so the bytes are the same on every
/// machine and nothing outside Sightline is needed.
public struct WordReportRenderer: Sendable {
    public init() {}

    /// Width of the text block in twentieths of a point: A4 less two 2 cm margins.
    static let textWidth = 9638

    /// The document's bytes: a zip of its parts, stored (not compressed), their names ASCII and so not flagged UTF-8.
    public func render(_ document: ReportDocument) throws -> Data {
        var zip = ZipWriter(utf8Names: false)
        try zip.add(name: "[Content_Types].xml", bytes: Array(Self.contentTypes.utf8))
        try zip.add(name: "_rels/.rels", bytes: Array(Self.packageRelationships.utf8))
        try zip.add(name: "docProps/core.xml", bytes: Array(Self.coreProperties(title: document.title).utf8))
        try zip.add(name: "word/_rels/document.xml.rels", bytes: Array(Self.documentRelationships.utf8))
        try zip.add(name: "word/styles.xml", bytes: Array(Self.styles.utf8))
        try zip.add(name: "word/document.xml", bytes: Array(body(document).utf8))
        return Data(zip.finish())
    }

    func body(_ document: ReportDocument) -> String {
        var out = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
            """
        var bookmark = 0
        var newPage = false
        for block in document.blocks {
            switch block {
            case .heading(let level, let text, _):
                let style = level == 1 ? "Title" : "Heading\(level - 1)"
                out += "<w:p><w:pPr><w:pStyle w:val=\"\(style)\"/>\(newPage ? "<w:pageBreakBefore/>" : "")</w:pPr>"
                out += run(text) + "</w:p>"
                newPage = false
            case .paragraph(let runs, let note):
                out += paragraph(runs, style: note ? "Note" : nil)
            case .list(let items):
                for item in items { out += paragraph([.text("•\t")] + item, style: "ListItem") }
            case .table(let table):
                out += render(table)
            case .chart(let chart):
                out += render(chart)
            case .quote(let quote):
                bookmark += 1
                let name = "passage_" + String(quote.passageID.map { $0.isLetter || $0.isNumber ? $0 : "_" }).prefix(31)
                out += "<w:p><w:pPr><w:pStyle w:val=\"Quote\"/></w:pPr>"
                out += "<w:bookmarkStart w:id=\"\(bookmark)\" w:name=\"\(Self.escape(name))\"/>"
                out += quote.text.map(run).joined() + "<w:bookmarkEnd w:id=\"\(bookmark)\"/></w:p>"
                out += paragraph([.text("— " + quote.citation)], style: "Source")
            case .section:
                newPage = true
            }
        }
        out += "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
        out += "<w:pgMar w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" w:left=\"1134\" "
        out += "w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>"
        return out + "</w:sectPr></w:body></w:document>"
    }

    func paragraph(_ runs: [ReportInline], style: String? = nil, align: String? = nil) -> String {
        var properties = style.map { "<w:pStyle w:val=\"\($0)\"/>" } ?? ""
        if let align { properties += "<w:jc w:val=\"\(align)\"/>" }
        return "<w:p>" + (properties.isEmpty ? "" : "<w:pPr>\(properties)</w:pPr>") + runs.map(run).joined() + "</w:p>"
    }

    func run(_ inline: ReportInline) -> String {
        switch inline {
        case .text(let s): run(s)
        case .strong(let s): run(s, properties: "<w:b/>")
        case .emphasis(let s): run(s, properties: "<w:i/>")
        case .code(let s):
            run(s, properties: "<w:rFonts w:ascii=\"Courier New\" w:hAnsi=\"Courier New\"/><w:sz w:val=\"18\"/>")
        case .mark(let s): run(s, properties: "<w:highlight w:val=\"yellow\"/>")
        }
    }

    func run(_ text: String, properties: String = "") -> String {
        let props = properties.isEmpty ? "" : "<w:rPr>\(properties)</w:rPr>"
        // A tab is its own element in Word's text.
        let parts = text.split(separator: "\t", omittingEmptySubsequences: false)
        let content = parts.map { "<w:t xml:space=\"preserve\">\(Self.escape(String($0)))</w:t>" }.joined(
            separator: "<w:tab/>")
        return "<w:r>\(props)\(content)</w:r>"
    }

    /// Column widths: the first column (names) takes a larger share.
    func grid(_ columns: Int) -> [Int] {
        guard columns > 1 else { return [Self.textWidth] }
        let first = columns > 6 ? Self.textWidth / 4 : Self.textWidth * 2 / 5
        let rest = (Self.textWidth - first) / (columns - 1)
        return [first] + Array(repeating: rest, count: columns - 1)
    }

    func render(_ table: ReportTable) -> String {
        let widths = grid(table.header.count)
        let size = table.compact ? "<w:sz w:val=\"16\"/>" : "<w:sz w:val=\"18\"/>"
        var out = "<w:tbl><w:tblPr><w:tblStyle w:val=\"ReportTable\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/>"
        out += "<w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>"
        out += widths.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined() + "</w:tblGrid>"
        out += "<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>"
        for (c, title) in table.header.enumerated() {
            out += cell(
                width: widths[c], fill: "EEF2F6", align: table.numeric.contains(c) ? "right" : nil,
                content: run(title, properties: "<w:b/>" + size))
        }
        out += "</w:tr>"
        for row in table.rows {
            out += "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
            for (c, value) in row.enumerated() where c < widths.count {
                let text = (value.indent > 0 ? "    " : "") + value.text
                // A share drawn as the cell's shade, from white to the charts' blue.
                let fill = value.bar.map(Self.shade)
                out += cell(
                    width: widths[c], fill: fill, align: table.numeric.contains(c) ? "right" : nil,
                    content: run(text, properties: (value.strong ? "<w:b/>" : "") + size))
            }
            out += "</w:tr>"
        }
        return out + "</w:tbl>" + paragraph([], style: "AfterTable")
    }

    func cell(width: Int, fill: String?, align: String?, content: String) -> String {
        var properties = "<w:tcW w:w=\"\(width)\" w:type=\"dxa\"/>"
        if let fill { properties += "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"\(fill)\"/>" }
        let justify = align.map { "<w:jc w:val=\"\($0)\"/>" } ?? ""
        return "<w:tc><w:tcPr>\(properties)</w:tcPr>"
            + "<w:p><w:pPr><w:pStyle w:val=\"TableText\"/>\(justify)</w:pPr>\(content)</w:p></w:tc>"
    }

    /// Bars of block characters, 30 to the whole, in a borderless table: label, bar, figure and interval.
    func render(_ chart: BarChart) -> String {
        let widths = [Self.textWidth * 2 / 5, Self.textWidth * 2 / 5, Self.textWidth / 5]
        var out = "<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblLayout w:type=\"fixed\"/>"
        out += "<w:tblCaption w:val=\"\(Self.escape(chart.description))\"/></w:tblPr><w:tblGrid>"
        out += widths.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined() + "</w:tblGrid>"
        for bar in chart.bars {
            let blocks = Int((min(max(bar.value, 0), 1) * 30).rounded())
            let barRun = run(
                String(repeating: "█", count: blocks), properties: "<w:color w:val=\"5A8FB8\"/><w:sz w:val=\"16\"/>")
            var figure = bar.caption
            if let ci = bar.interval { figure += String(format: " (%.0f–%.0f%%)", ci.low * 100, ci.high * 100) }
            out += "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
            out += cell(
                width: widths[0], fill: nil, align: nil, content: run(bar.label, properties: "<w:sz w:val=\"18\"/>"))
            out += cell(width: widths[1], fill: nil, align: nil, content: barRun)
            out += cell(
                width: widths[2], fill: nil, align: nil, content: run(figure, properties: "<w:sz w:val=\"16\"/>"))
            out += "</w:tr>"
        }
        return out + "</w:tbl>"
            + paragraph(
                [
                    .text(
                        chart.description + ": bars are shares of reviews; "
                            + "figures give the count and the 95% interval.")
                ], style: "Note")
    }

    /// A hex colour from white (share 0) to #5A8FB8 (share 1), lightened so that text stays legible.
    static func shade(_ share: Double) -> String {
        let s = min(max(share, 0), 1) * 0.7
        let channels = [0x5A, 0x8F, 0xB8].map { Int((255 - Double(255 - $0) * s).rounded()) }
        return channels.map { String(format: "%02X", $0) }.joined()
    }

    /// Text for XML: & < > " escaped; characters XML 1.0 forbids (most control characters) dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(" ")
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
