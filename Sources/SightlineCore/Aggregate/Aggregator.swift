import Foundation

/// A document as the aggregate stage sees it.
public struct DocumentInfo: Sendable, Equatable {
    public var docID: String
    public var source: String
    public var title: String?
    /// Manifest values by column, when a manifest row matched.
    public var metadata: [String: String] = [:]

    public init(docID: String, source: String, title: String?, metadata: [String: String] = [:]) {
        self.docID = docID
        self.source = source
        self.title = title
        self.metadata = metadata
    }
}

/// One row of `themes.csv`.
public struct ThemeRow: Sendable, Equatable {
    public var taxonomy: String
    public var theme: String
    public var subtheme: String?
    public var name: String
    /// Documents with at least `minPassages` counted passages.
    public var documents: Int
    public var totalDocuments: Int
    /// Counted passages (neither negated, hypothetical nor boilerplate).
    public var codedPassages: Int
    /// Documents whose every mention is negated, or boilerplate, or hypothetical: reported, not counted.
    public var onlyNegated: Int
    public var onlyBoilerplate: Int
    public var onlyHypothetical: Int

    public var percent: Double? { totalDocuments > 0 ? 100 * Double(documents) / Double(totalDocuments) : nil }
    public var interval: (low: Double, high: Double)? { Wilson.interval(documents, of: totalDocuments) }
}

/// Counts documents, passages and co-occurrences per theme and sub-theme.
///
/// Counting rule: a document counts for a theme (or sub-theme) when at least
/// `minPassages` of its passages have a coding for it that is neither
/// negated, hypothetical nor boilerplate. A document with mentions that are
/// all negated (or all boilerplate, or all hypothetical) is reported in its
/// own column and not counted.
public struct Aggregator: Sendable {
    public var minPassages = 1

    public init(minPassages: Int = 1) { self.minPassages = minPassages }

    /// A theme or sub-theme: "taxonomy/theme" or "taxonomy/theme/subtheme".
    struct Key: Hashable, Comparable {
        var taxonomy: Int
        var theme: Int
        var subtheme: Int  // -1: the theme as a whole
        static func < (a: Key, b: Key) -> Bool { (a.taxonomy, a.theme, a.subtheme) < (b.taxonomy, b.theme, b.subtheme) }
    }

    /// Per key and document: counted passages, and which kinds of mention were seen.
    struct Tally {
        var counted = Set<String>()
        var allNegated = true
        var allBoilerplate = true
        var allHypothetical = true
    }

    public struct Result: Sendable {
        public var rows: [ThemeRow]
        /// Counted passages per document (in input order) and theme id (theme level only).
        public var matrix: [[Int]]
        public var matrixThemes: [String]
        /// Documents showing both themes (theme level), in `matrixThemes` order.
        public var cooccurrence: [[Int]]
        /// For each theme row: the documents that count, in input order.
        public var countedDocuments: [[Int]]
    }

    public func aggregate(documents: [DocumentInfo], taxonomies: [TaxonomyRecord], codings: [CodingRecord]) -> Result {
        // Names → indexes, looked up level by level without building strings per coding.
        var taxonomyIndex: [String: Int] = [:]
        var themeIndex: [[String: Int]] = []
        var subIndex: [[[String: Int]]] = []
        for (t, taxonomy) in taxonomies.enumerated() {
            taxonomyIndex[taxonomy.taxonomy] = t
            themeIndex.append(Dictionary(taxonomy.themes.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { a, _ in a }))
            subIndex.append(taxonomy.themes.map { theme in
                Dictionary(theme.subthemes.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { a, _ in a })
            })
        }
        let documentIndex = Dictionary(documents.enumerated().map { ($0.element.docID, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var tallies: [Key: [Int: Tally]] = [:]
        for coding in codings {
            guard let t = taxonomyIndex[coding.taxonomy], let h = themeIndex[t][coding.theme], let d = documentIndex[coding.docID] else { continue }
            var keys = [Key(taxonomy: t, theme: h, subtheme: -1)]
            if let sub = coding.subtheme, let s = subIndex[t][h][sub] { keys.append(Key(taxonomy: t, theme: h, subtheme: s)) }
            for key in keys {
                var tally = tallies[key, default: [:]][d, default: Tally()]
                if coding.counts { tally.counted.insert(coding.passageID) }
                tally.allNegated = tally.allNegated && coding.negated
                tally.allBoilerplate = tally.allBoilerplate && coding.boilerplate
                tally.allHypothetical = tally.allHypothetical && coding.hypothetical && !coding.negated
                tallies[key, default: [:]][d] = tally
            }
        }
        var rows: [ThemeRow] = []
        var countedDocuments: [[Int]] = []
        var matrixThemes: [String] = []
        var matrixKeys: [Key] = []
        for (t, taxonomy) in taxonomies.enumerated() {
            for (h, theme) in taxonomy.themes.enumerated() {
                matrixThemes.append(theme.id)
                matrixKeys.append(Key(taxonomy: t, theme: h, subtheme: -1))
                let subs = [(-1, theme.name, nil as String?)] + theme.subthemes.enumerated().map { ($0.offset, $0.element.name, Optional($0.element.id)) }
                for (s, name, subID) in subs {
                    let perDocument = tallies[Key(taxonomy: t, theme: h, subtheme: s)] ?? [:]
                    let counting = perDocument.filter { $0.value.counted.count >= minPassages && !$0.value.counted.isEmpty }.keys.sorted()
                    let uncounted = perDocument.filter { $0.value.counted.isEmpty }.values
                    rows.append(ThemeRow(
                        taxonomy: taxonomy.taxonomy, theme: theme.id, subtheme: subID, name: name, documents: counting.count,
                        totalDocuments: documents.count, codedPassages: perDocument.values.reduce(0) { $0 + $1.counted.count },
                        onlyNegated: uncounted.filter(\.allNegated).count, onlyBoilerplate: uncounted.filter(\.allBoilerplate).count,
                        onlyHypothetical: uncounted.filter(\.allHypothetical).count))
                    countedDocuments.append(counting)
                }
            }
        }
        let matrix = documents.indices.map { d in matrixKeys.map { tallies[$0]?[d]?.counted.count ?? 0 } }
        let showing = matrixKeys.map { key in Set((tallies[key] ?? [:]).filter { $0.value.counted.count >= minPassages && !$0.value.counted.isEmpty }.keys) }
        let cooccurrence = showing.map { a in showing.map { b in a.intersection(b).count } }
        return Result(rows: rows, matrix: matrix, matrixThemes: matrixThemes, cooccurrence: cooccurrence, countedDocuments: countedDocuments)
    }
}
