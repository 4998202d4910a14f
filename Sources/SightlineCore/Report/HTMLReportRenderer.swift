import Foundation

/// Renders a `ReportDocument` as one self-contained HTML page: no scripts,
/// fonts, images or style sheets from outside, charts drawn with CSS so that
/// their labels wrap, and a print style sheet (A4, headings kept with what
/// follows, quotes and chart rows never split, colours kept).
public struct HTMLReportRenderer: Sendable {
    public init() {}

    static let style = """
        body{font-family:Georgia,'Times New Roman',serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1d1d1d;\
        line-height:1.45}
        h1,h2,h3{font-family:Helvetica,Arial,sans-serif;color:#123;line-height:1.2}
        h2{border-bottom:2px solid #123;padding-bottom:.2rem;margin-top:2.2rem}h3{margin-top:1.6rem}
        p.note{font-size:.85rem;color:#444}
        table{border-collapse:collapse;width:calc(100% - 2px);margin:.8rem 1px 1.2rem;font-size:.9rem}
        table.compact{font-size:.78rem}th,td{border:1px solid #bbb;padding:.25rem .45rem;text-align:left;\
        vertical-align:top}
        th{background:#eef2f6;font-family:Helvetica,Arial,sans-serif;font-weight:600}td.n,th.n{text-align:right}
        td.i1{padding-left:1.4rem}.cellbar{height:.3rem;background:#e4e9ef;margin-top:.2rem}
        .cellbar span{display:block;height:100%;background:#5a8fb8}
        .chart{display:grid;grid-template-columns:minmax(9rem,17rem) 1fr 3.6rem;gap:.3rem .6rem;align-items:center;\
        margin:1rem 0 1.4rem;font:.82rem/1.25 Helvetica,Arial,sans-serif}
        .chart .track{position:relative;height:.95rem;background:#f0f3f6;border-left:1px solid #888}
        .chart .bar{position:absolute;left:0;top:.15rem;height:.65rem;background:#5a8fb8}
        .chart .ci{position:absolute;top:.42rem;height:0;border-top:1.5px solid #123}
        .chart .axis{position:relative;height:1rem;border-top:1px solid #888;font-size:.7rem;color:#555}
        .chart .axis span{position:absolute;top:.1rem;transform:translateX(-50%)}
        .chart .value{text-align:right;font-variant-numeric:tabular-nums}
        blockquote{margin:1rem 0;padding:.5rem 1rem;border-left:4px solid #5a7;background:#f6faf7}
        mark{background:#fbe38e;color:inherit;padding:0 .1em}.source{font-size:.85rem;color:#555;margin-top:.3rem}
        .methods{background:#f7f7f7;padding:0 1rem .6rem;border:1px solid #ddd}.methods h2{margin-top:1rem}
        *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
        @page{size:A4;margin:16mm 14mm}
        @media print{body{max-width:none;margin:0;padding:0;font-size:10.5pt}a{color:inherit}
        h2,h3{break-after:avoid}blockquote,tr,.chart>div{break-inside:avoid}.page-break{break-before:page}}
        """

    public func render(_ document: ReportDocument) -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(document.title))</title>
            <style>
            \(Self.style)
            </style></head><body>

            """
        var inMethods = false
        for block in document.blocks {
            switch block {
            case .heading(let level, let text, let anchor):
                // The methods note sits in a box: it runs from its heading to the next heading of its level.
                if inMethods && level <= 2 {
                    out += "</div>\n"
                    inMethods = false
                }
                if anchor == "methods" {
                    out += "<div class=\"methods\">"
                    inMethods = true
                }
                let id = anchor.map { " id=\"\(escape($0))\"" } ?? ""
                out += "<h\(level)\(id)>\(escape(text))</h\(level)>\n"
            case .paragraph(let runs, let note):
                out += "<p\(note ? " class=\"note\"" : "")>\(inline(runs))</p>\n"
            case .list(let items):
                out += "<ul>" + items.map { "<li>\(inline($0))</li>" }.joined() + "</ul>\n"
            case .table(let table):
                out += render(table)
            case .chart(let chart):
                out += render(chart)
            case .quote(let quote):
                out += "<blockquote data-passage=\"\(escape(quote.passageID))\">\(inline(quote.text))"
                out += "<div class=\"source\">— \(escape(quote.citation))</div></blockquote>\n"
            case .section:
                out += "<div class=\"page-break\"></div>\n"
            }
        }
        if inMethods { out += "</div>\n" }
        return out + "</body></html>\n"
    }

    func escape(_ text: String) -> String { EvidenceModel.html(text) }

    func inline(_ runs: [ReportInline]) -> String {
        runs.map { run in
            switch run {
            case .text(let s): escape(s)
            case .strong(let s): "<strong>\(escape(s))</strong>"
            case .emphasis(let s): "<em>\(escape(s))</em>"
            case .code(let s): "<code>\(escape(s))</code>"
            case .mark(let s): "<mark>\(escape(s))</mark>"
            }
        }.joined()
    }

    func render(_ table: ReportTable) -> String {
        var out = "<table\(table.compact ? " class=\"compact\"" : "")><thead><tr>"
        for (c, title) in table.header.enumerated() {
            out += "<th\(table.numeric.contains(c) ? " class=\"n\"" : "")>\(escape(title))</th>"
        }
        out += "</tr></thead><tbody>"
        for row in table.rows {
            out += "<tr>"
            for (c, cell) in row.enumerated() {
                var classes: [String] = []
                if table.numeric.contains(c) { classes.append("n") }
                if cell.indent > 0 { classes.append("i1") }
                let text = cell.strong ? "<strong>\(escape(cell.text))</strong>" : escape(cell.text)
                let bar =
                    cell.bar.map { "<div class=\"cellbar\"><span style=\"width:\(percent($0))\"></span></div>" } ?? ""
                out += "<td\(classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\"")>\(text)\(bar)</td>"
            }
            out += "</tr>"
        }
        return out + "</tbody></table>\n"
    }

    func render(_ chart: BarChart) -> String {
        var out = "<div class=\"chart\" role=\"img\" aria-label=\"\(escape(chart.description))\">"
        for bar in chart.bars {
            out += "<div class=\"label\">\(escape(bar.label))</div><div class=\"track\">"
            out += "<div class=\"bar\" style=\"width:\(percent(bar.value))\"></div>"
            if let ci = bar.interval {
                out += "<div class=\"ci\" style=\"left:\(percent(ci.low));width:\(percent(ci.high - ci.low))\"></div>"
            }
            out += "</div><div class=\"value\">\(escape(bar.caption))</div>"
        }
        out += "<div></div><div class=\"axis\">"
        for tick in stride(from: 0, through: 100, by: 25) { out += "<span style=\"left:\(tick)%\">\(tick)%</span>" }
        return out + "</div><div></div></div>\n"
    }

    func percent(_ share: Double) -> String { String(format: "%.1f%%", min(max(share, 0), 1) * 100) }
}
