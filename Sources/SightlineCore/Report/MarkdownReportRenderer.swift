/// Renders a `ReportDocument` as Markdown (`evidence.md`): tables as pipe
/// tables, matched words in bold, charts as their numbers (the tables beside
/// them carry the same figures), passage ids in HTML comments a reader of the
/// rendered page does not see.
public struct MarkdownReportRenderer: Sendable {
    public init() {}

    public func render(_ document: ReportDocument) -> String {
        var out = ""
        for block in document.blocks {
            switch block {
            case .heading(let level, let text, _):
                out += String(repeating: "#", count: level) + " " + text + "\n\n"
            case .paragraph(let runs, _):
                out += inline(runs) + "\n\n"
            case .list(let items):
                out += items.map { "- " + inline($0) + "\n" }.joined() + "\n"
            case .table(let table):
                out += "| " + table.header.map(cell).joined(separator: " | ") + " |\n|"
                out += table.header.indices.map { table.numeric.contains($0) ? "---:|" : "---|" }.joined() + "\n"
                for row in table.rows {
                    let cells = row.map { value -> String in
                        let text = cell(value.text)
                        let indented = value.indent > 0 && !text.isEmpty ? "  " + text : text
                        return value.strong && !text.isEmpty ? "**\(indented)**" : indented
                    }
                    out += "| " + cells.joined(separator: " | ") + " |\n"
                }
                out += "\n"
            case .chart:
                continue
            case .quote(let quote):
                out += "> " + inline(quote.text) + "\n>\n> — " + escape(quote.citation) + "\n"
                out += "<!-- passage \(quote.passageID) -->\n\n"
            case .section:
                continue
            }
        }
        return out
    }

    func inline(_ runs: [ReportInline]) -> String {
        runs.map { run in
            switch run {
            case .text(let s): escape(s)
            case .strong(let s), .mark(let s): "**\(escape(s))**"
            case .emphasis(let s): "*\(escape(s))*"
            case .code(let s): "`\(s)`"
            }
        }.joined()
    }

    /// Characters Markdown would read as markup, escaped; line breaks become spaces.
    func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "*", "_", "`", "<", "[", "]", "\\": out += "\\\(character)"
            case "\n", "\r\n", "\r": out += " "
            default: out.append(character)
            }
        }
        return out
    }

    func cell(_ text: String) -> String { escape(text).replacingOccurrences(of: "|", with: "\\|") }
}
