import Foundation

/// Everything the tables and reports are made from.
public struct EvidenceModel: Sendable {
    public var documents: [DocumentInfo]
    public var failures: [ErrorRecord]
    public var taxonomies: [TaxonomyRecord]
    public var result: Aggregator.Result
    /// Quotes per row of `result.rows`.
    public var quotes: [[ExemplarPicker.Quote]]
    public var manifestColumns: [String]
    /// Review decisions applied before counting, if any.
    public var decisions: DecisionSet? = nil
    public var toolVersion: String
    /// "YYYY-MM-DD" from SOURCE_DATE_EPOCH, or today.
    public var date: String

    public init(
        documents: [DocumentInfo], failures: [ErrorRecord], taxonomies: [TaxonomyRecord], result: Aggregator.Result,
        quotes: [[ExemplarPicker.Quote]], manifestColumns: [String], toolVersion: String, date: String
    ) {
        self.documents = documents
        self.failures = failures
        self.taxonomies = taxonomies
        self.result = result
        self.quotes = quotes
        self.manifestColumns = manifestColumns
        self.toolVersion = toolVersion
        self.date = date
    }

    static func percent(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "" }

    public var themesCSV: String {
        let header = [
            "taxonomy", "theme", "subtheme", "name", "documents", "total_documents", "percent", "ci95_low", "ci95_high",
            "coded_passages", "documents_only_negated", "documents_only_boilerplate", "documents_only_hypothetical",
            "documents_mentioning", "mentioning_percent", "mentioning_ci95_low", "mentioning_ci95_high",
        ]
        let rows = result.rows.map { row -> [String] in
            let ci = row.interval
            let mentioning = row.mentioningInterval
            return [
                row.taxonomy, row.theme, row.subtheme ?? "", row.name, String(row.documents), String(row.totalDocuments),
                Self.percent(row.percent), Self.percent(ci.map { $0.low * 100 }), Self.percent(ci.map { $0.high * 100 }),
                String(row.codedPassages), String(row.onlyNegated), String(row.onlyBoilerplate), String(row.onlyHypothetical),
                String(row.documentsMentioning), Self.percent(row.mentioningPercent),
                Self.percent(mentioning.map { $0.low * 100 }), Self.percent(mentioning.map { $0.high * 100 }),
            ]
        }
        return CSV.document(header: header, rows: rows)
    }

    /// One row per document: one `title` (the manifest's when it has one), the other manifest columns, then
    /// counted passages per theme and per sub-theme (`theme/subtheme`), in the order of `themes.csv`.
    public var matrixCSV: String {
        let columns = manifestColumns.filter { $0 != "title" }
        let themeColumns = result.rows.map { row in row.subtheme.map { "\(row.theme)/\($0)" } ?? row.theme }
        let header = ["doc_id", "source", "title"] + columns + themeColumns
        let rows = documents.enumerated().map { d, document in
            [document.docID, document.source, document.displayTitle] + columns.map { document.metadata[$0] ?? "" }
                + result.calls[d].map { String($0.evidence.coded) }
        }
        return CSV.document(header: header, rows: rows)
    }

    /// One row per document and theme row: the evidence, the call and its reason.
    public var documentThemesCSV: String {
        let header = [
            "doc_id", "source", "title", "taxonomy", "theme", "subtheme", "passages", "coded_passages", "share", "pages",
            "features", "reason",
        ]
        var rows: [[String]] = []
        for (d, document) in documents.enumerated() {
            for (r, row) in result.rows.enumerated() {
                let call = result.calls[d][r]
                rows.append([
                    document.docID, document.source, document.displayTitle, row.taxonomy, row.theme, row.subtheme ?? "",
                    String(call.evidence.passages), String(call.evidence.coded),
                    call.evidence.share.map { String(format: "%.4f", $0) } ?? "", String(call.evidence.pages),
                    call.features ? "yes" : "no", call.reason,
                ])
            }
        }
        return CSV.document(header: header, rows: rows)
    }

    /// The document-call rule of each taxonomy, in words.
    var callRules: String {
        zip(taxonomies, result.rules).map { taxonomy, rule in "\(taxonomy.name): \(rule.summary)" }.joined(separator: "; ")
    }

    public var cooccurrenceCSV: String {
        let rows = result.matrixThemes.enumerated().map { i, theme in [theme] + result.cooccurrence[i].map(String.init) }
        return CSV.document(header: ["theme"] + result.matrixThemes, rows: rows)
    }

    /// Themes × values of one manifest column: n and % of the documents with each value.
    public func crosstabCSV(_ column: String) -> String {
        let values = Set(documents.map { $0.metadata[column] ?? "(missing)" }).sorted()
        let totals = values.map { value in documents.filter { ($0.metadata[column] ?? "(missing)") == value }.count }
        var header = ["taxonomy", "theme", "subtheme"]
        for value in values { header += ["\(value) n", "\(value) %"] }
        let rows = zip(result.rows, result.countedDocuments).map { row, counted -> [String] in
            var out = [row.taxonomy, row.theme, row.subtheme ?? ""]
            for (value, total) in zip(values, totals) {
                let n = counted.filter { (documents[$0].metadata[column] ?? "(missing)") == value }.count
                out += [String(n), total > 0 ? String(format: "%.1f", 100 * Double(n) / Double(total)) : ""]
            }
            return out
        }
        return CSV.document(header: header, rows: rows)
    }

    func label(_ quote: ExemplarPicker.Quote) -> String {
        let document = documents.first { $0.docID == quote.docID }
        let name = document?.title ?? document?.source ?? quote.docID
        let page = quote.pageLabel.map { "p. \($0)" } ?? "page \(quote.page)"
        return "\(name), \(page) [\(quote.passageID)]"
    }

    public var evidenceMarkdown: String {
        var out = "# Evidence tables\n\n"
        out += "\(documents.count) documents analysed; \(failures.count) could not be read. A passage is counted evidence for a theme when it is coded for it and the coding is not negated, hypothetical or boilerplate. A review *mentions* a theme when any passage is counted evidence, and *features* it when the evidence weighs enough (\(callRules)). Percentages with 95% Wilson intervals.\n"
        if let decisions { out += "\nReview decisions: \(decisions.summary) (each listed in `decisions.csv`).\n" }
        for (index, row) in result.rows.enumerated() where row.subtheme == nil {
            let taxonomy = taxonomies.first { $0.taxonomy == row.taxonomy }
            let theme = taxonomy?.themes.first { $0.id == row.theme }
            out += "\n## \(row.name)\n\n"
            if let description = theme?.description { out += "\(description.trimmingCharacters(in: .whitespacesAndNewlines))\n\n" }
            let ci = row.interval.map { String(format: " (95%% CI %.1f–%.1f%%)", $0.low * 100, $0.high * 100) } ?? ""
            let mentionedCI = row.mentioningInterval.map { String(format: " (95%% CI %.1f–%.1f%%)", $0.low * 100, $0.high * 100) } ?? ""
            out += "**Features in \(row.documents) of \(row.totalDocuments) reviews** (\(Self.percent(row.percent))%\(ci)); "
            out += "mentioned in \(row.documentsMentioning) (\(Self.percent(row.mentioningPercent))%\(mentionedCI)); \(row.codedPassages) coded passages"
            out += "; mentioned only in negated form in \(row.onlyNegated), only in boilerplate in \(row.onlyBoilerplate).\n\n"
            let subs = result.rows.enumerated().filter { $0.element.theme == row.theme && $0.element.taxonomy == row.taxonomy && $0.element.subtheme != nil }
            if !subs.isEmpty {
                out += "| Sub-theme | Features in | % | Mentioned in | Passages |\n|---|---:|---:|---:|---:|\n"
                for (_, sub) in subs {
                    out += "| \(sub.name) | \(sub.documents) | \(Self.percent(sub.percent)) | \(sub.documentsMentioning) | \(sub.codedPassages) |\n"
                }
                out += "\n"
            }
            if quotes[index].isEmpty {
                out += "_No counted evidence._\n"
            } else {
                for quote in quotes[index] { out += "> \(quote.text)\n>\n> — \(label(quote))\n\n" }
            }
        }
        return out
    }

    /// Text for HTML content and attribute values: & < > " escaped, byte by
    /// byte (each is ASCII, so never part of a longer UTF-8 sequence).
    static func html(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 }) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case 0x26: out += "&amp;".utf8
            case 0x3C: out += "&lt;".utf8
            case 0x3E: out += "&gt;".utf8
            case 0x22: out += "&quot;".utf8
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The methods note's sentence on OCR ("" when no page was read by OCR).
    var ocrNote: String {
        let scanned = documents.filter { $0.ocrPages > 0 }
        guard !scanned.isEmpty else { return "" }
        let pages = scanned.reduce(0) { $0 + $1.ocrPages }
        var note = "<p>OCR: \(pages) scanned page\(pages == 1 ? "" : "s") of \(scanned.count) "
            + "document\(scanned.count == 1 ? "" : "s") were read by OCR (Tesseract)"
        let low = scanned.filter { !$0.lowConfidencePages.isEmpty }
        if low.isEmpty { return note + ".</p>" }
        note += "; pages read with low confidence, whose text may be wrong: "
        note += low.map { document in
            "\(Self.html(document.source)) p. " + document.lowConfidencePages.map(String.init).joined(separator: ", ")
        }.joined(separator: "; ")
        return note + ".</p>"
    }

    /// A self-contained, printable HTML appendix: methods note, prevalence chart, tables, evidence.
    public var appendixHTML: String {
        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Thematic analysis appendix</title>
            <style>
            body{font-family:Georgia,serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1d1d1d;line-height:1.45}
            h1,h2,h3{font-family:Helvetica,Arial,sans-serif;color:#123}h2{border-bottom:2px solid #123;padding-bottom:.2rem;margin-top:2.5rem}
            table{border-collapse:collapse;width:100%;margin:1rem 0;font-size:.9rem}th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left}
            td.n{text-align:right}th{background:#eef2f6}blockquote{margin:1rem 0;padding:.5rem 1rem;border-left:4px solid #5a7;background:#f6faf7}
            .source{font-size:.85rem;color:#555}.methods{background:#f7f7f7;padding:0 1rem 1rem;border:1px solid #ddd}.methods h2{margin-top:1rem}
            @media print{body{max-width:none;margin:0}section.theme{page-break-before:always}a{color:inherit}}
            </style></head><body>
            <h1>Thematic analysis: evidence appendix</h1>

            """
        out += "<div class=\"methods\"><h2>Methods</h2><p>\(documents.count) documents analysed"
        out += failures.isEmpty ? ".</p>" : "; \(failures.count) could not be read:</p><ul>" + failures.map { "<li>\(Self.html($0.source)): \(Self.html($0.code.rawValue)) — \(Self.html($0.message))</li>" }.joined() + "</ul>"
        out += "<p>Coding frames: " + taxonomies.map { "\(Self.html($0.name)) (<code>\($0.taxonomy)</code> \(Self.html($0.version)), SHA-256 <code>\($0.sha256.prefix(16))…</code>)" }.joined(separator: "; ") + ".</p>"
        out += "<p>Counting rule: a passage is counted evidence for a theme when it is coded for it and the coding is neither negated, hypothetical (recommendations, conditionals) nor in boilerplate sections. A review <em>mentions</em> a theme when any of its passages is counted evidence, and <em>features</em> it when the evidence weighs enough: \(Self.html(callRules)). Each review's call and its reason are in <code>document-themes.csv</code>. Intervals are 95% Wilson score intervals. Produced by Sightline \(toolVersion) on \(date).</p>"
        out += ocrNote
        if let decisions { out += "<p>Review decisions: \(Self.html(decisions.summary)) (each listed in <code>decisions.csv</code>).</p>" }
        out += "</div>\n"
        // Prevalence chart with intervals, theme level.
        let themeRows = result.rows.filter { $0.subtheme == nil }
        let barHeight = 22
        let height = themeRows.count * barHeight + 40
        out += "<h2>Prevalence</h2><svg role=\"img\" aria-label=\"Share of reviews showing each theme\" viewBox=\"0 0 780 \(height)\" width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"Helvetica,Arial,sans-serif\" font-size=\"11\">"
        for (i, row) in themeRows.enumerated() {
            let y = 10 + i * barHeight
            let width = (row.percent ?? 0) * 4
            let name = row.name.count > 48 ? String(row.name.prefix(46)) + "…" : row.name
            out += "<text x=\"0\" y=\"\(y + 14)\">\(Self.html(name))</text>"
            out += "<rect x=\"300\" y=\"\(y + 3)\" width=\"\(String(format: "%.1f", width))\" height=\"14\" fill=\"#5a8fb8\"/>"
            if let ci = row.interval {
                out += "<line x1=\"\(String(format: "%.1f", 300 + ci.low * 400))\" x2=\"\(String(format: "%.1f", 300 + ci.high * 400))\" y1=\"\(y + 10)\" y2=\"\(y + 10)\" stroke=\"#123\" stroke-width=\"1.5\"/>"
            }
            let labelX = 306 + max(width, (row.interval?.high ?? 0) * 400)
            out += "<text x=\"\(String(format: "%.1f", labelX))\" y=\"\(y + 14)\">\(row.documents)/\(row.totalDocuments)</text>"
        }
        out += "<line x1=\"300\" x2=\"700\" y1=\"\(height - 22)\" y2=\"\(height - 22)\" stroke=\"#888\"/>"
        for tick in stride(from: 0, through: 100, by: 25) {
            out += "<text x=\"\(300 + tick * 4 - 8)\" y=\"\(height - 8)\">\(tick)%</text>"
        }
        out += "</svg>\n<h2>Themes</h2><table><tr><th>Theme</th><th>Features in</th><th>%</th><th>95% CI</th><th>Mentioned in</th><th>Passages</th></tr>"
        for row in result.rows {
            let name = row.subtheme == nil ? "<strong>\(Self.html(row.name))</strong>" : "&nbsp;&nbsp;\(Self.html(row.name))"
            let ci = row.interval.map { String(format: "%.1f–%.1f", $0.low * 100, $0.high * 100) } ?? ""
            out += "<tr><td>\(name)</td><td class=\"n\">\(row.documents)/\(row.totalDocuments)</td><td class=\"n\">\(Self.percent(row.percent))</td><td class=\"n\">\(ci)</td><td class=\"n\">\(row.documentsMentioning)/\(row.totalDocuments)</td><td class=\"n\">\(row.codedPassages)</td></tr>"
        }
        out += "</table>\n"
        for (index, row) in result.rows.enumerated() where row.subtheme == nil {
            let theme = taxonomies.first { $0.taxonomy == row.taxonomy }?.themes.first { $0.id == row.theme }
            out += "<section class=\"theme\"><h2>\(Self.html(row.name))</h2><p>\(Self.html(theme?.description ?? ""))</p>"
            out += "<p><strong>Features in \(row.documents) of \(row.totalDocuments) reviews</strong> (\(Self.percent(row.percent))%); "
            out += "mentioned in \(row.documentsMentioning) (\(Self.percent(row.mentioningPercent))%).</p>"
            for quote in quotes[index] { out += "<blockquote>\(Self.html(quote.text))<div class=\"source\">— \(Self.html(label(quote)))</div></blockquote>" }
            out += "</section>\n"
        }
        return out + "</body></html>\n"
    }
}
