import Foundation

/// Agreement between hand codes and the machine's counted codes, passage by
/// passage, per theme and sub-theme; the disagreements; and, with several
/// coders, agreement between them.
///
/// Units: every passage of every document the hand-code file names (others
/// are left out). A theme is compared on the taxonomies the file uses.
/// Intervals: a document-clustered percentile bootstrap (documents drawn
/// with replacement, all their passages with them, since passages of one
/// review are not independent), from a SplitMix64 generator with a fixed seed.
public struct AgreementReport: Sendable {
    public struct Row: Sendable {
        /// nil for the pooled `all` row.
        public var key: ThemeKey?
        public var table: BinaryTable
        public var kappaInterval: (low: Double, high: Double)?
        public var f1Interval: (low: Double, high: Double)?
    }

    public struct Disagreement: Sendable, Equatable {
        public var passageID: String
        public var source: String
        public var page: String
        public var label: String
        public var human: Bool
        public var auto: Bool
        public var rules: String
        public var text: String
    }

    public var rows: [Row]
    /// Passages compared.
    public var passages: Int
    public var documents: Int
    public var disagreements: [Disagreement]
    public var coders: CoderAgreement?

    public struct Options: Sendable {
        public var replicates = 1000
        public var seed: UInt64 = 19
        /// Compare only the passages some row quotes (a sample of passages, not of whole documents).
        public var onlyQuoted = false
        public init(replicates: Int = 1000, seed: UInt64 = 19, onlyQuoted: Bool = false) {
            self.replicates = replicates
            self.seed = seed
            self.onlyQuoted = onlyQuoted
        }
    }

    /// Compares `human` with `machine` on the passages of the named documents.
    public static func build(
        human: HumanCodes, machine: MachineCodes, catalog: ThemeCatalog, documents: [DocumentInfo],
        passages: [String: [PassageRecord]], options: Options = Options()
    ) -> AgreementReport {
        let compared = human.taxonomies.isEmpty ? Set(catalog.taxonomies.map(\.taxonomy)) : human.taxonomies
        let keys = catalog.keys.filter { compared.contains($0.taxonomy) }
        let themeRows = keys.indices.filter { keys[$0].subtheme == nil }
        // Per document (in the order named) and row: the 2×2 table.
        var perDocument: [[BinaryTable]] = []
        var disagreements: [Disagreement] = []
        var codingsByPassage: [String: [CodingRecord]] = [:]
        for coding in machine.codings { codingsByPassage[coding.passageID, default: []].append(coding) }
        var passageCount = 0
        for d in human.documents {
            let document = documents[d]
            var tables = [BinaryTable](repeating: BinaryTable(), count: keys.count)
            for passage in passages[document.docID] ?? [] {
                if options.onlyQuoted && !human.quoted.contains(passage.passageID) { continue }
                passageCount += 1
                let said = human.union[passage.passageID] ?? []
                let found = machine.counted[passage.passageID] ?? []
                for (r, key) in keys.enumerated() {
                    let h = said.contains(key)
                    let a = found.contains(key)
                    tables[r].add(reference: h, test: a)
                    guard h != a else { continue }
                    disagreements.append(
                        Disagreement(
                            passageID: passage.passageID, source: document.source, page: HumanCodes.pageName(passage),
                            label: key.path,
                            human: h, auto: a,
                            rules: Self.rules(codingsByPassage[passage.passageID] ?? [], key: key, counted: a),
                            text: passage.text))
                }
            }
            perDocument.append(tables)
        }
        func pooled(_ tables: [BinaryTable]) -> BinaryTable { themeRows.reduce(BinaryTable()) { $0 + tables[$1] } }
        var totals = [BinaryTable](repeating: BinaryTable(), count: keys.count)
        for tables in perDocument { for r in keys.indices { totals[r] += tables[r] } }
        // Bootstrap: the same draws of documents for every row.
        var kappas = [[Double?]](repeating: [], count: keys.count + 1)
        var f1s = [[Double?]](repeating: [], count: keys.count + 1)
        if options.replicates > 0 && !perDocument.isEmpty {
            var generator = SplitMix64(seed: options.seed)
            for _ in 0..<options.replicates {
                var sample = [BinaryTable](repeating: BinaryTable(), count: keys.count)
                for _ in perDocument.indices {
                    let tables = perDocument[generator.below(perDocument.count)]
                    for r in keys.indices { sample[r] += tables[r] }
                }
                for r in keys.indices {
                    kappas[r].append(sample[r].cohenKappa)
                    f1s[r].append(sample[r].f1)
                }
                let all = pooled(sample)
                kappas[keys.count].append(all.cohenKappa)
                f1s[keys.count].append(all.f1)
            }
        }
        var rows: [Row] = keys.indices.map { r in
            Row(
                key: keys[r], table: totals[r], kappaInterval: Bootstrap.interval95(kappas[r]),
                f1Interval: Bootstrap.interval95(f1s[r]))
        }
        rows.append(
            Row(
                key: nil, table: pooled(totals), kappaInterval: Bootstrap.interval95(kappas[keys.count]),
                f1Interval: Bootstrap.interval95(f1s[keys.count])))
        let coders =
            human.coders.count >= 2
            ? CoderAgreement.build(human: human, keys: keys, documents: documents, passages: passages) : nil
        return AgreementReport(
            rows: rows, passages: passageCount, documents: human.documents.count, disagreements: disagreements,
            coders: coders)
    }

    /// The machine's rules for `key` on a passage: the counted codings' rules
    /// when it counts, else every coding's rules with why it did not count.
    static func rules(_ codings: [CodingRecord], key: ThemeKey, counted: Bool) -> String {
        var parts: [String] = []
        for coding in codings where coding.taxonomy == key.taxonomy && coding.theme == key.theme {
            if let sub = key.subtheme, coding.subtheme != sub { continue }
            if counted && !coding.counts { continue }
            var flags: [String] = []
            if coding.negated { flags.append("negated") }
            if coding.hypothetical { flags.append("hypothetical") }
            if coding.boilerplate { flags.append("boilerplate") }
            let text =
                coding.rules.joined(separator: " ") + (flags.isEmpty ? "" : " (\(flags.joined(separator: ", ")))")
            if !parts.contains(text) { parts.append(text) }
        }
        return parts.joined(separator: "; ")
    }

    // MARK: Output

    public static let agreementHeader = [
        "taxonomy", "theme", "subtheme", "passages", "human", "auto", "both", "precision", "recall", "f1", "kappa",
        "alpha",
        "kappa_ci95_low", "kappa_ci95_high", "f1_ci95_low", "f1_ci95_high",
    ]

    /// `agreement.csv`: a row per theme and sub-theme, then `all` (pooled over theme rows).
    public var agreementCSV: String {
        let lines: [[String]] = rows.map { row in
            let t = row.table
            let f = StatFormat.decimal
            let name = row.key.map { [$0.taxonomy, $0.theme, $0.subtheme ?? ""] } ?? ["all", "", ""]
            return name + [
                String(row.key == nil ? passages : t.units), String(t.reference), String(t.test), String(t.both),
                f(t.precision, 3), f(t.recall, 3), f(t.f1, 3), f(t.cohenKappa, 3), f(t.krippendorffAlpha, 3),
                f(row.kappaInterval?.low, 3), f(row.kappaInterval?.high, 3), f(row.f1Interval?.low, 3),
                f(row.f1Interval?.high, 3),
            ]
        }
        return CSV.document(header: Self.agreementHeader, rows: lines)
    }

    public static let disagreementsHeader = ["passage_id", "source", "page", "theme", "human", "auto", "rules", "text"]

    /// `disagreements.csv`: documents in input order, passages in document order, themes in frame order.
    public var disagreementsCSV: String {
        CSV.document(
            header: Self.disagreementsHeader,
            rows: disagreements.map { d in
                [d.passageID, d.source, d.page, d.label, d.human ? "1" : "0", d.auto ? "1" : "0", d.rules, d.text]
            })
    }

    /// The table printed on standard output: theme rows and `all`.
    public var summary: String {
        var lines: [[String]] = [["theme", "n", "human", "auto", "precision", "recall", "F1", "kappa"]]
        for row in rows where row.key?.subtheme == nil {
            let t = row.table
            let f = StatFormat.decimal
            let blank: (Double?) -> String = { v in v == nil ? "-" : f(v, 3) }
            lines.append([
                row.key?.theme ?? "all", String(row.key == nil ? passages : t.units), String(t.reference),
                String(t.test),
                blank(t.precision), blank(t.recall), blank(t.f1), blank(t.cohenKappa),
            ])
        }
        let widths = lines[0].indices.map { c in lines.map { $0[c].count }.max() ?? 0 }
        return lines.map { line in
            line.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return c == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
