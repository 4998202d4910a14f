import Foundation

/// Agreement between hand coders, per theme and sub-theme: Cohen's kappa and
/// Krippendorff's alpha for each pair on the passages of the documents both
/// named, then alpha for all coders together on every passage at least two
/// of them covered (a coder covers the documents their rows name, including
/// "nothing coded" rows). Rows without a coder take no part.
public struct CoderAgreement: Sendable {
    public struct Row: Sendable {
        /// nil: pooled over theme rows.
        public var key: ThemeKey?
        /// Both names for a pair; nil for all coders together.
        public var pair: (a: String, b: String)?
        public var passages: Int
        /// For a pair: the 2×2 table (a is the reference); nil for all coders.
        public var table: BinaryTable?
        public var alpha: Double?
    }

    public var rows: [Row]

    public static func build(
        human: HumanCodes, keys: [ThemeKey], documents: [DocumentInfo], passages: [String: [PassageRecord]]
    ) -> CoderAgreement {
        let coders = human.coders
        // Passages in document order, with the coders who covered each.
        var units: [(id: String, coders: [String])] = []
        for d in human.documents {
            let covering = coders.filter { human.coverage[$0]?.contains(d) == true }
            guard covering.count >= 2 else { continue }
            for passage in passages[documents[d].docID] ?? [] { units.append((passage.passageID, covering)) }
        }
        func said(_ coder: String, _ id: String, _ key: ThemeKey) -> Bool {
            human.labels[coder]?[id]?.contains(key) == true
        }
        var pairs: [(String, String)] = []
        for i in coders.indices { for j in coders.indices where j > i { pairs.append((coders[i], coders[j])) } }
        var rows: [Row] = []
        var pooledPairs = [BinaryTable](repeating: BinaryTable(), count: pairs.count)
        var pooledUnits: [[Int]] = []
        for key in keys {
            for (p, pair) in pairs.enumerated() {
                var table = BinaryTable()
                for unit in units where unit.coders.contains(pair.0) && unit.coders.contains(pair.1) {
                    table.add(reference: said(pair.0, unit.id, key), test: said(pair.1, unit.id, key))
                }
                if key.subtheme == nil { pooledPairs[p] += table }
                rows.append(
                    Row(key: key, pair: pair, passages: table.units, table: table, alpha: table.krippendorffAlpha))
            }
            let values = units.map { unit in unit.coders.map { said($0, unit.id, key) ? 1 : 0 } }
            if key.subtheme == nil { pooledUnits += values }
            rows.append(
                Row(
                    key: key, pair: nil, passages: values.count, table: nil,
                    alpha: Krippendorff.alphaNominal(units: values)))
        }
        for (p, pair) in pairs.enumerated() {
            let table = pooledPairs[p]
            rows.append(Row(key: nil, pair: pair, passages: table.units, table: table, alpha: table.krippendorffAlpha))
        }
        rows.append(
            Row(
                key: nil, pair: nil, passages: pooledUnits.count, table: nil,
                alpha: Krippendorff.alphaNominal(units: pooledUnits)))
        return CoderAgreement(rows: rows)
    }

    public static let header = [
        "taxonomy", "theme", "subtheme", "coder_a", "coder_b", "passages", "a", "b", "both", "kappa", "alpha",
    ]

    /// `coders.csv`: per theme and sub-theme, a row per pair of coders and a
    /// row `all` for every coder together (alpha only); then the same pooled
    /// over theme rows (taxonomy `all`; passages there count passage-theme pairs).
    public var csv: String {
        CSV.document(
            header: Self.header,
            rows: rows.map { row in
                let name = row.key.map { [$0.taxonomy, $0.theme, $0.subtheme ?? ""] } ?? ["all", "", ""]
                let who = row.pair.map { [$0.a, $0.b] } ?? ["all", ""]
                let counts =
                    row.table.map { [String($0.reference), String($0.test), String($0.both)] } ?? ["", "", ""]
                return name + who + [String(row.passages)] + counts + [
                    StatFormat.decimal(row.table?.cohenKappa), StatFormat.decimal(row.alpha),
                ]
            })
    }
}
