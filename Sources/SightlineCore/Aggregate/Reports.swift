import Foundation

/// Everything the tables and reports are made from.
public struct EvidenceModel: Sendable {
    public var documents: [DocumentInfo]
    public var failures: [ErrorRecord]
    /// Files in the inputs that were not read (formats Sightline does not read).
    public var skipped: [SkippedRecord] = []
    public var taxonomies: [TaxonomyRecord]
    public var result: Aggregator.Result
    /// Quotes per row of `result.rows`.
    public var quotes: [[ExemplarPicker.Quote]]
    public var manifestColumns: [String]
    /// The manifest columns cross-tabulated (`--by`), in order.
    public var byColumns: [String] = []
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

    static func percent(_ value: Double?) -> String { value.map { Printf.fixed($0, places: 1) } ?? "" }

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
                row.taxonomy, row.theme, row.subtheme ?? "", row.name, String(row.documents),
                String(row.totalDocuments),
                Self.percent(row.percent), Self.percent(ci.map { $0.low * 100 }),
                Self.percent(ci.map { $0.high * 100 }),
                String(row.codedPassages), String(row.onlyNegated), String(row.onlyBoilerplate),
                String(row.onlyHypothetical),
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
    public var documentThemesCSV: String { String(decoding: documentThemesTable, as: UTF8.self) }

    /// `documentThemesCSV`'s bytes, written row by row into one buffer: the table has a row for every document
    /// and theme (41,000 on the Ofsted corpus, 12 MB), and is written to its file as these bytes.
    public var documentThemesTable: [UInt8] {
        let header = [
            "doc_id", "source", "title", "taxonomy", "theme", "subtheme", "passages", "coded_passages", "share",
            "pages", "features", "reason",
        ]
        var out = Array(CSV.byteOrderMark.utf8)
        CSV.append(row: header, to: &out)
        for (d, document) in documents.enumerated() {
            let title = document.displayTitle
            for (r, row) in result.rows.enumerated() {
                let call = result.calls[d][r]
                let fields = [
                    document.docID, document.source, title, row.taxonomy, row.theme, row.subtheme ?? "",
                    String(call.evidence.passages), String(call.evidence.coded),
                    call.evidence.share.map { Printf.fixed($0, places: 4) } ?? "", String(call.evidence.pages),
                    call.features ? "yes" : "no", call.reason,
                ]
                CSV.append(row: fields, to: &out)
            }
        }
        return out
    }

    /// The document-call rule of each taxonomy, in words.
    var callRules: String {
        taxonomies.indices.map { "\(taxonomies[$0].name): \(result.ruleSummary($0))" }.joined(separator: "; ")
    }

    public var cooccurrenceCSV: String {
        let rows = result.matrixThemes.enumerated().map { i, theme in [theme] + result.cooccurrence[i].map(String.init)
        }
        return CSV.document(header: ["theme"] + result.matrixThemes, rows: rows)
    }

    /// Themes × values of one manifest column: n and % of the documents with each value.
    public func crosstabCSV(_ column: String) -> String {
        let table = crosstab(column)
        var header = ["taxonomy", "theme", "subtheme"]
        for value in table.values { header += ["\(value) n", "\(value) %"] }
        let rows = result.rows.enumerated().map { index, row -> [String] in
            var out = [row.taxonomy, row.theme, row.subtheme ?? ""]
            for (n, total) in zip(table.counts[index], table.totals) {
                out += [String(n), total > 0 ? Printf.fixed(100 * Double(n) / Double(total), places: 1) : ""]
            }
            return out
        }
        return CSV.document(header: header, rows: rows)
    }

    /// The appendix in Markdown (`evidence.md`).
    public var evidenceMarkdown: String { MarkdownReportRenderer().render(appendix) }

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
}
