import Foundation

/// The report appendix, written once as a `ReportDocument` and rendered as
/// `appendix.html`, `appendix.docx` and `evidence.md`: a methods note, the
/// reviews included, what could not be read, each frame of practice themes
/// charted and tabulated, case characteristics tabulated on their own, each
/// `--by` cross-tabulation, and each theme's evidence with quotes.
extension EvidenceModel {
    public var appendix: ReportDocument {
        var report = ReportDocument(title: "Thematic analysis: evidence appendix")
        report.add(.heading(level: 1, text: report.title))
        addMethods(to: &report)
        addReviews(to: &report)
        addNotAnalysed(to: &report)
        for taxonomy in taxonomies {
            // Printed, each frame's results start a page.
            report.add(.section)
            switch taxonomy.reportedKind {
            case .themes: addThemes(of: taxonomy, to: &report)
            case .characteristics: addCharacteristics(of: taxonomy, to: &report)
            }
        }
        for (index, column) in byColumns.enumerated() {
            if index == 0 { report.add(.section) }
            addCrosstab(column, to: &report)
        }
        for taxonomy in taxonomies where taxonomy.reportedKind == .themes { addEvidence(of: taxonomy, to: &report) }
        return report
    }

    public var appendixHTML: String { HTMLReportRenderer().render(appendix) }

    var pagesWithoutText: Int { documents.reduce(0) { $0 + $1.pagesWithoutText.count } }

    private func addMethods(to report: inout ReportDocument) {
        report.add(.heading(level: 2, text: "Methods", anchor: "methods"))
        var read = "\(counted(documents.count, "document")) analysed"
        if !failures.isEmpty { read += "; \(counted(failures.count, "document")) could not be read" }
        if pagesWithoutText > 0 {
            read +=
                "; \(counted(pagesWithoutText, "page")) had no text layer and "
                + "\(pagesWithoutText == 1 ? "was" : "were") not read"
        }
        if !skipped.isEmpty {
            read +=
                "; \(counted(skipped.count, "file")) in a format Sightline does not read "
                + "\(skipped.count == 1 ? "was" : "were") skipped"
        }
        if !failures.isEmpty || pagesWithoutText > 0 || !skipped.isEmpty {
            read += " (listed under ‘Documents and pages not analysed’)"
        }
        report.add(.paragraph([.text(read + ".")]))
        var frames: [ReportInline] = [.text("Coding frames: ")]
        for (index, taxonomy) in taxonomies.enumerated() {
            if index > 0 { frames.append(.text("; ")) }
            frames += [
                .text("\(taxonomy.name) ("), .code(taxonomy.taxonomy), .text(" version \(taxonomy.version), SHA-256 "),
                .code(String(taxonomy.sha256.prefix(16)) + "…"), .text(")"),
            ]
        }
        report.add(.paragraph(frames + [.text(".")]))
        var rule: [ReportInline] = [
            .text(
                "A passage is counted evidence for a theme when it is coded for it and the coding is neither "
                    + "negated, hypothetical (recommendations, conditionals) nor in a boilerplate section (contents, "
                    + "glossary, terms of reference, methodology). A review "), .emphasis("mentions"),
            .text(" a theme when any of its passages is counted evidence, and "), .emphasis("features"),
            .text(" it when the evidence weighs enough: "),
        ]
        let themeFrames = taxonomies.indices.filter { taxonomies[$0].reportedKind == .themes }
        rule.append(
            .text(
                themeFrames.map { "\(taxonomies[$0].name): \(result.ruleSummary($0))" }.joined(separator: "; ") + ". "))
        rule += [.text("Each review’s call and its reason are in "), .code("document-themes.csv"), .text(".")]
        report.add(.paragraph(rule))
        let characteristics = taxonomies.indices.filter { taxonomies[$0].reportedKind == .characteristics }
        if !characteristics.isEmpty {
            let rules = characteristics.map { "\(taxonomies[$0].name): \(result.ruleSummary($0))" }.joined(
                separator: "; ")
            report.add(
                .paragraph([
                    .text(
                        "Case characteristics are facts about the case (the family, the child, the incident), not "
                            + "themes of practice: they are tabulated in their own section and not charted. A review "
                            + "has one when the evidence meets the frame’s rule (\(rules)).")
                ]))
        }
        report.add(
            .paragraph([
                .text(
                    "Percentages are of the reviews analysed, with 95% Wilson score intervals. Quotes (at most five "
                        + "per theme, from different reviews, those matching the most distinct words first) are cited "
                        + "as the review’s title, from the manifest where it gives one, and "), .strong("p."),
                .text(
                    " followed by the page number printed on that page of the review (its printed page label). "
                        + "Where a page carries no printed number it is cited as ‘page N’, counting pages from the "
                        + "start of the file (for Word files, from the page breaks Word stored); web pages and text "
                        + "files, which have no pages, are cited by title alone. "), .mark("Highlighted"),
                .text(" words are those the coding rules matched. Each quote’s passage id (for "),
                .code("sightline show"),
                .text(" and "), .code("coded-segments.csv"),
                .text(
                    ") is kept out of the text: in the HTML it is the quote’s data-passage attribute, in the Word "
                        + "document a bookmark, in evidence.md a comment."),
            ]))
        if let ocr = ocrNote { report.add(.paragraph([.text(ocr)])) }
        if let decisions {
            report.add(
                .paragraph([
                    .text("Review decisions: \(decisions.summary) (each listed in "), .code("decisions.csv"),
                    .text(")."),
                ]))
        }
        report.add(.paragraph([.text("Produced by Sightline \(toolVersion) on \(date).")], note: true))
    }

    private func addReviews(to report: inout ReportDocument) {
        report.add(.heading(level: 2, text: "Reviews included", anchor: "reviews"))
        guard !documents.isEmpty else {
            report.add(.paragraph([.text("No review could be read.")]))
            return
        }
        let columns = manifestColumns.filter { $0 != "title" }
        let header = ["Review"] + columns.map(Self.columnTitle) + ["File", "Pages"]
        let rows = documents.map { document in
            [ReportTable.Cell(document.displayTitle)]
                + columns.map { ReportTable.Cell(Self.spaced(document.metadata[$0] ?? "")) }
                + [
                    ReportTable.Cell((document.source as NSString).lastPathComponent),
                    ReportTable.Cell(String(document.pageCount)),
                ]
        }
        var intro = "\(counted(documents.count, "review")), in the order they were read"
        if !manifestColumns.isEmpty { intro += ", with the manifest’s fields" }
        report.add(.paragraph([.text(intro + ".")]))
        report.add(
            .table(ReportTable(header: header, rows: rows, numeric: [header.count - 1], compact: header.count > 5)))
    }

    private func addNotAnalysed(to report: inout ReportDocument) {
        report.add(.heading(level: 2, text: "Documents and pages not analysed", anchor: "not-analysed"))
        var items: [[ReportInline]] = failures.map { failure in
            [
                .strong(failure.source), .text(": could not be read ("), .code(failure.code.rawValue),
                .text("). \(failure.message)"),
            ]
        }
        for record in skipped {
            items.append([.strong(record.source), .text(": skipped, not read (\(record.reason)).")])
        }
        for document in documents where !document.pagesWithoutText.isEmpty {
            let pages = document.pagesWithoutText.map(String.init).joined(separator: ", ")
            let which = document.pagesWithoutText.count == 1 ? "page \(pages) has" : "pages \(pages) have"
            items.append([
                .strong(document.source),
                .text(
                    ": \(which) no text layer (scanned images), so "
                        + "\(document.pagesWithoutText.count == 1 ? "it was" : "they were") "
                        + "not read; the rest of the review was analysed."),
            ])
        }
        if items.isEmpty {
            report.add(.paragraph([.text("Every document was read, and every page had a text layer.")]))
        } else {
            report.add(.list(items))
        }
    }

    /// Rows of one taxonomy, with their index in `result.rows`.
    func themeRows(of taxonomy: TaxonomyRecord) -> [(index: Int, row: ThemeRow)] {
        result.rows.enumerated().filter { $0.element.taxonomy == taxonomy.taxonomy }.map { ($0.offset, $0.element) }
    }

    private func addThemes(of taxonomy: TaxonomyRecord, to report: inout ReportDocument) {
        report.add(.heading(level: 2, text: taxonomy.name, anchor: taxonomy.taxonomy))
        let rows = themeRows(of: taxonomy)
        let total = documents.count
        report.add(
            .paragraph([
                .text(
                    "Share of the \(counted(total, "review")) that feature each theme, with its 95% interval; the "
                        + "table adds the reviews that mention it and the passages counted, for each theme and "
                        + "sub-theme.")
            ]))
        let bars = rows.filter { $0.row.subtheme == nil }.map { _, row in
            BarChart.Bar(
                label: row.name, value: (row.percent ?? 0) / 100, interval: row.interval,
                caption: "\(row.documents)/\(total)")
        }
        report.add(
            .chart(BarChart(description: "Share of reviews featuring each theme of \(taxonomy.name)", bars: bars)))
        let tableRows = rows.map { _, row -> [ReportTable.Cell] in
            let sub = row.subtheme != nil
            return [
                ReportTable.Cell(row.name, indent: sub ? 1 : 0, strong: !sub),
                ReportTable.Cell("\(row.documents)/\(total)"),
                ReportTable.Cell(Self.percent(row.percent)), ReportTable.Cell(Self.interval(row.interval)),
                ReportTable.Cell("\(row.documentsMentioning)/\(total)"), ReportTable.Cell(String(row.codedPassages)),
            ]
        }
        report.add(
            .table(
                ReportTable(
                    header: ["Theme", "Features in", "%", "95% CI", "Mentioned in", "Passages"], rows: tableRows,
                    numeric: [1, 2, 3, 4, 5])))
    }

    private func addCharacteristics(of taxonomy: TaxonomyRecord, to report: inout ReportDocument) {
        report.add(.heading(level: 2, text: taxonomy.name, anchor: taxonomy.taxonomy))
        report.add(
            .paragraph([
                .text(
                    "Characteristics of the case, as the reviews state them: the reviews that have each "
                        + "(of \(documents.count)), with its 95% interval, and the passages that state it. These are "
                        + "facts about the family, the child and the incident, not themes of practice.")
            ]))
        let tableRows = themeRows(of: taxonomy).map { _, row -> [ReportTable.Cell] in
            let sub = row.subtheme != nil
            return [
                ReportTable.Cell(row.name, indent: sub ? 1 : 0, strong: !sub),
                ReportTable.Cell("\(row.documents)/\(documents.count)"),
                ReportTable.Cell(Self.percent(row.percent)), ReportTable.Cell(Self.interval(row.interval)),
                ReportTable.Cell(String(row.codedPassages)),
            ]
        }
        report.add(
            .table(
                ReportTable(
                    header: ["Characteristic", "Reviews", "%", "95% CI", "Passages"], rows: tableRows,
                    numeric: [1, 2, 3, 4])))
    }

    private func addCrosstab(_ column: String, to report: inout ReportDocument) {
        let table = crosstab(column)
        report.add(.heading(level: 2, text: "By \(Self.columnTitle(column).lowercased())", anchor: "by-" + column))
        report.add(
            .paragraph([
                .text("For each value of the manifest’s "), .code(column),
                .text(
                    " column, the reviews with that value (n) and how many of them feature each theme or have each "
                        + "characteristic, with the share as a bar. Sub-themes are in "),
                .code("crosstab-\(Self.fileSafe(column)).csv"), .text("."),
            ]))
        let header = ["Theme"] + zip(table.values, table.totals).map { "\($0) (n=\($1))" }
        var cells: [[ReportTable.Cell]] = []
        for taxonomy in taxonomies {
            if taxonomies.count > 1 {
                cells.append(
                    [ReportTable.Cell(taxonomy.name, strong: true)] + table.values.map { _ in ReportTable.Cell("") })
            }
            for (index, row) in themeRows(of: taxonomy) where row.subtheme == nil {
                var line = [ReportTable.Cell(row.name, indent: taxonomies.count > 1 ? 1 : 0)]
                for (v, total) in table.totals.enumerated() {
                    let n = table.counts[index][v]
                    let share = total > 0 ? Double(n) / Double(total) : 0
                    line.append(
                        ReportTable.Cell(total > 0 ? "\(n) (\(Int((share * 100).rounded()))%)" : "", bar: share))
                }
                cells.append(line)
            }
        }
        report.add(
            .table(
                ReportTable(
                    header: header, rows: cells, numeric: Set(1..<header.count), compact: table.values.count > 4)))
    }

    private func addEvidence(of taxonomy: TaxonomyRecord, to report: inout ReportDocument) {
        let rows = themeRows(of: taxonomy)
        for (index, row) in rows where row.subtheme == nil {
            report.add(.section)
            report.add(.heading(level: 2, text: row.name, anchor: row.theme))
            if let description = taxonomy.themes.first(where: { $0.id == row.theme })?.description {
                report.add(.paragraph([.text(description.trimmingCharacters(in: .whitespacesAndNewlines))]))
            }
            let total = documents.count
            var summary: [ReportInline] = [
                .strong("Features in \(row.documents) of \(counted(total, "review"))"),
                .text(
                    " (\(Self.percent(row.percent))%, 95% CI \(Self.interval(row.interval))%); mentioned in "
                        + "\(row.documentsMentioning) (\(Self.percent(row.mentioningPercent))%); "
                        + "\(counted(row.codedPassages, "passage")) counted."),
            ]
            var only: [String] = []
            if row.onlyNegated > 0 { only.append("only in negated form in \(counted(row.onlyNegated, "review"))") }
            if row.onlyBoilerplate > 0 {
                only.append("only in boilerplate in \(counted(row.onlyBoilerplate, "review"))")
            }
            if row.onlyHypothetical > 0 {
                only.append("only hypothetically in \(counted(row.onlyHypothetical, "review"))")
            }
            if !only.isEmpty {
                summary.append(.text(" Mentioned, but not counted: " + only.joined(separator: "; ") + "."))
            }
            report.add(.paragraph(summary))
            let subs = rows.filter { $0.row.theme == row.theme && $0.row.subtheme != nil }
            if !subs.isEmpty {
                let cells = subs.map { _, sub in
                    [
                        ReportTable.Cell(sub.name), ReportTable.Cell("\(sub.documents)/\(total)"),
                        ReportTable.Cell(Self.percent(sub.percent)),
                        ReportTable.Cell("\(sub.documentsMentioning)/\(total)"),
                        ReportTable.Cell(String(sub.codedPassages)),
                    ]
                }
                report.add(
                    .table(
                        ReportTable(
                            header: ["Sub-theme", "Features in", "%", "Mentioned in", "Passages"], rows: cells,
                            numeric: [1, 2, 3, 4])))
            }
            if quotes[index].isEmpty {
                report.add(.paragraph([.emphasis("No counted evidence.")]))
            }
            for quote in quotes[index] {
                report.add(
                    .quote(
                        ReportQuote(
                            text: ReportInline.marked(quote.text, marks: quote.marks), citation: citation(quote),
                            passageID: quote.passageID)))
            }
        }
    }

    /// The methods note's sentence on OCR (nil when no page was read by OCR).
    var ocrNote: String? {
        let scanned = documents.filter { $0.ocrPages > 0 }
        guard !scanned.isEmpty else { return nil }
        let pages = scanned.reduce(0) { $0 + $1.ocrPages }
        var note =
            "OCR: \(counted(pages, "scanned page")) of \(counted(scanned.count, "document")) "
            + "\(pages == 1 ? "was" : "were") read by OCR (Tesseract)"
        let low = scanned.filter { !$0.lowConfidencePages.isEmpty }
        if low.isEmpty { return note + "." }
        note += "; pages read with low confidence, whose text may be wrong: "
        note += low.map { document in
            "\(document.source) p. " + document.lowConfidencePages.map(String.init).joined(separator: ", ")
        }.joined(separator: "; ")
        return note + "."
    }

    /// "Title, p. 12"; "Title, page 3" where the page has no printed number; "Title" for a document without pages.
    func citation(_ quote: ExemplarPicker.Quote) -> String {
        let document = documents.first { $0.docID == quote.docID }
        let title = document?.displayTitle ?? quote.docID
        if let label = quote.pageLabel, !label.isEmpty { return "\(title), p. \(label)" }
        if (document?.pageCount ?? 0) > 1 { return "\(title), page \(quote.page)" }
        return title
    }

    /// Values of a manifest column (sorted; documents without one under "(missing)"), the documents with each,
    /// and per theme row the documents that feature it among them.
    func crosstab(_ column: String) -> (values: [String], totals: [Int], counts: [[Int]]) {
        let valueOf = documents.map { $0.metadata[column] ?? "(missing)" }
        let values = Set(valueOf).sorted()
        let position = Dictionary(uniqueKeysWithValues: values.enumerated().map { ($0.element, $0.offset) })
        var totals = Array(repeating: 0, count: values.count)
        for value in valueOf { totals[position[value]!] += 1 }
        let counts = result.countedDocuments.map { featuring in
            var row = Array(repeating: 0, count: values.count)
            for d in featuring { row[position[valueOf[d]]!] += 1 }
            return row
        }
        return (values, totals, counts)
    }

    /// A list written "a;b;c" as "a; b; c", so that it can wrap.
    static func spaced(_ value: String) -> String {
        value.contains(";")
            ? value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "; ")
            : value
    }

    static func interval(_ ci: (low: Double, high: Double)?) -> String {
        ci.map { String(format: "%.1f–%.1f", $0.low * 100, $0.high * 100) } ?? ""
    }

    /// "review_type" → "Review type".
    static func columnTitle(_ column: String) -> String {
        let words = column.replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    /// A column name as it appears in a file name (as the cross-tab files are named).
    public static func fileSafe(_ column: String) -> String {
        String(column.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }
}
