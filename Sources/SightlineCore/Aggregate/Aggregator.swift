import Foundation

/// A document as the aggregate stage sees it.
public struct DocumentInfo: Sendable, Equatable {
    public var docID: String
    public var source: String
    public var title: String?
    /// Manifest values by column, when a manifest row matched.
    public var metadata: [String: String] = [:]
    /// Pages read by OCR, and those among them recognised with low confidence (from the document record).
    public var ocrPages = 0
    public var lowConfidencePages: [Int] = []
    public var pageCount = 0
    /// 1-based pages with no text layer (not read).
    public var pagesWithoutText: [Int] = []
    /// The format read (`media_type` of the document record); nil when not known.
    public var mediaType: String? = nil

    /// Whether the document has printed pages (a PDF), so that the pages its evidence spans say how widely
    /// it runs; other formats' pages are page breaks at best. Unknown formats count as paginated.
    public var hasPrintedPages: Bool { mediaType.map { $0 == MediaType.pdf.rawValue } ?? true }

    public init(
        docID: String, source: String, title: String?, metadata: [String: String] = [:], pageCount: Int = 0,
        pagesWithoutText: [Int] = []
    ) {
        self.docID = docID
        self.source = source
        self.title = title
        self.metadata = metadata
        self.pageCount = pageCount
        self.pagesWithoutText = pagesWithoutText
    }

    /// The title for readers: the manifest's `title` when it has one, else the title extracted, else the source.
    public var displayTitle: String {
        if let title = metadata["title"], !title.isEmpty { return title }
        if let title, !title.isEmpty { return title }
        return source
    }
}

extension DocumentInfo {
    /// A document as its `documents.jsonl` record gives it, with its format and
    /// OCR facts: pages read by OCR, and those its `ocr_low_confidence` warning lists.
    public init(_ record: DocumentRecord) {
        self.init(
            docID: record.docID, source: record.source, title: record.title, pageCount: record.pageCount,
            pagesWithoutText: record.pagesWithoutText)
        mediaType = record.mediaType.rawValue
        ocrPages = record.ocrPages?.count ?? 0
        lowConfidencePages = record.warnings.first { $0.code == "ocr_low_confidence" }?.pages ?? []
    }
}

/// One row of `themes.csv`.
public struct ThemeRow: Sendable, Equatable {
    public var taxonomy: String
    public var theme: String
    public var subtheme: String?
    public var name: String
    /// Documents that feature the theme (by the taxonomy's document-call rule).
    public var documents: Int
    /// Documents with any counted passage for the theme: they mention it.
    public var documentsMentioning: Int
    public var totalDocuments: Int
    /// Counted passages (neither negated, hypothetical nor boilerplate).
    public var codedPassages: Int
    /// Documents whose every mention is negated, or boilerplate, or hypothetical: reported, not counted.
    public var onlyNegated: Int
    public var onlyBoilerplate: Int
    public var onlyHypothetical: Int

    public var percent: Double? { totalDocuments > 0 ? 100 * Double(documents) / Double(totalDocuments) : nil }
    public var interval: (low: Double, high: Double)? { Wilson.interval(documents, of: totalDocuments) }
    public var mentioningPercent: Double? {
        totalDocuments > 0 ? 100 * Double(documentsMentioning) / Double(totalDocuments) : nil
    }
    public var mentioningInterval: (low: Double, high: Double)? {
        Wilson.interval(documentsMentioning, of: totalDocuments)
    }
}

/// Counts documents, passages and co-occurrences per theme and sub-theme.
///
/// Counting rule: a passage is counted evidence for a theme (or sub-theme)
/// when it has a coding for it that is neither negated, hypothetical nor
/// boilerplate. A document *mentions* the theme when any of its passages is
/// counted evidence, and *features* it when its taxonomy's document-call rule
/// (`DocumentCallRule`) says the evidence weighs enough. A document with
/// mentions that are all negated (or all boilerplate, or all hypothetical) is
/// reported in its own column and not counted.
public struct Aggregator: Sendable {
    public var override: DocumentCallRule.Override

    public init(override: DocumentCallRule.Override = .none) { self.override = override }

    /// A theme or sub-theme: "taxonomy/theme" or "taxonomy/theme/subtheme".
    struct Key: Hashable, Comparable {
        var taxonomy: Int
        var theme: Int
        var subtheme: Int // -1: the theme as a whole
        static func < (a: Key, b: Key) -> Bool { (a.taxonomy, a.theme, a.subtheme) < (b.taxonomy, b.theme, b.subtheme) }
    }

    public struct Result: Sendable {
        public var rows: [ThemeRow]
        /// Counted passages per document (in input order) and theme id (theme level only).
        public var matrix: [[Int]]
        public var matrixThemes: [String]
        /// Documents showing both themes (theme level), in `matrixThemes` order.
        public var cooccurrence: [[Int]]
        /// For each theme row: the documents that feature it, in input order.
        public var countedDocuments: [[Int]]
        /// Per document (input order) and row: the evidence and the call.
        public var calls: [[DocumentCall]]
        /// The rule each taxonomy's rows were called by, in taxonomy order.
        public var rules: [DocumentCallRule]
        /// Per taxonomy: the themes called by a rule of their own that differs from the frame's.
        public var themeRules: [[ThemeCallRule]]

        /// A frame's rule in words, with the themes that have their own, for methods notes.
        public func ruleSummary(_ taxonomy: Int) -> String {
            let own = themeRules[taxonomy].map { "\($0.name): \($0.rule.summary)" }
            return rules[taxonomy].summary + (own.isEmpty ? "" : " (" + own.joined(separator: "; ") + ")")
        }
    }

    /// A theme whose document call follows its own rule.
    public struct ThemeCallRule: Sendable, Equatable {
        public var theme: String
        public var name: String
        public var rule: DocumentCallRule
    }

    /// One document's evidence for one theme row, and whether it features the theme.
    public struct DocumentCall: Sendable, Equatable {
        public var evidence: DocumentCallRule.Evidence
        public var features: Bool
        public var reason: String
    }

    /// Counts from whole records; `passages` are the documents' passages
    /// (only their document and boilerplate flag are read).
    public func aggregate(
        documents: [DocumentInfo], taxonomies: [TaxonomyRecord], passages: [PassageRecord], codings: [CodingRecord]
    ) -> Result {
        var accumulator = Accumulator(taxonomies: taxonomies, override: override)
        for document in documents { accumulator.addDocument(document) }
        for passage in passages { accumulator.addPassage(docID: passage.docID, boilerplate: passage.boilerplate) }
        for coding in codings { accumulator.add(coding) }
        return accumulator.result()
    }

    /// Counts codings as they stream past, holding a few numbers per theme
    /// row and document (never the codings themselves), so memory grows with
    /// the number of documents and not with the text. Documents are added
    /// in input order, each before its codings; codings of one passage must
    /// come together (as `codings.jsonl` has them), so that a passage coded
    /// twice for a theme counts once.
    public struct Accumulator: Sendable {
        let taxonomies: [TaxonomyRecord]
        /// Each taxonomy's document-call rule, with the command line's override applied.
        let rules: [DocumentCallRule]
        /// Per row: the rule it is called by (its theme's own, else the frame's; overridden likewise), and
        /// whether that is the theme's own.
        let rowRules: [(rule: DocumentCallRule, own: Bool)]
        /// Rows in output order: each theme, then its sub-themes.
        let rowKeys: [Key]
        private let rowIndex: [Key: Int]
        private let taxonomyIndex: [String: Int]
        private let themeIndex: [[String: Int]]
        private let subIndex: [[[String: Int]]]
        private var documentIndex: [String: Int] = [:]
        public private(set) var documentCount = 0
        /// Per document and row (`document * rows + row`): counted passages,
        /// and which kinds of mention were seen (bit 1: any; then not negated,
        /// not boilerplate, not hypothetical).
        private var counted: [Int32] = []
        private var seen: [UInt8] = []
        /// Per document and row: distinct pages the counted passages start on, and the last such page.
        private var pages: [Int32] = []
        private var lastPage: [Int32] = []
        /// Per document: substantive (not boilerplate) passages.
        private var substantive: [Int32] = []
        /// Per document: its printed pages (0: not known), nil for a format without printed pages.
        private var printedPages: [Int?] = []
        /// Per row: the last passage counted.
        private var lastPassage: [String?]

        static let any: UInt8 = 1
        static let notNegated: UInt8 = 2
        static let notBoilerplate: UInt8 = 4
        static let notHypothetical: UInt8 = 8

        public init(taxonomies: [TaxonomyRecord], override: DocumentCallRule.Override = .none) {
            self.taxonomies = taxonomies
            let rules = taxonomies.map { ($0.documentCall ?? .standard).overridden(by: override) }
            self.rules = rules
            var keys: [Key] = []
            var taxonomyIndex: [String: Int] = [:]
            var themeIndex: [[String: Int]] = []
            var subIndex: [[[String: Int]]] = []
            for (t, taxonomy) in taxonomies.enumerated() {
                taxonomyIndex[taxonomy.taxonomy] = t
                themeIndex.append(
                    Dictionary(
                        taxonomy.themes.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { a, _ in a }
                    ))
                subIndex.append(
                    taxonomy.themes.map { theme in
                        Dictionary(
                            theme.subthemes.enumerated().map { ($0.element.id, $0.offset) },
                            uniquingKeysWith: { a, _ in a })
                    })
                for (h, theme) in taxonomy.themes.enumerated() {
                    keys.append(Key(taxonomy: t, theme: h, subtheme: -1))
                    for s in theme.subthemes.indices { keys.append(Key(taxonomy: t, theme: h, subtheme: s)) }
                }
            }
            rowKeys = keys
            rowIndex = Dictionary(keys.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
            self.taxonomyIndex = taxonomyIndex
            self.themeIndex = themeIndex
            self.subIndex = subIndex
            lastPassage = Array(repeating: nil, count: keys.count)
            rowRules = keys.map { key in
                let frame = rules[key.taxonomy]
                let own = taxonomies[key.taxonomy].themes[key.theme].documentCall?.overridden(by: override)
                return own.map { ($0, $0 != frame) } ?? (frame, false)
            }
        }

        public var rowCount: Int { rowKeys.count }

        /// A document, in input order; a second record with the same id adds nothing.
        public mutating func addDocument(_ document: DocumentInfo) {
            addDocument(document.docID, printedPages: document.hasPrintedPages ? document.pageCount : nil)
        }

        /// A document by id: `printedPages` its page count (0: not known), nil for a format without pages.
        public mutating func addDocument(_ docID: String, printedPages: Int? = 0) {
            guard documentIndex[docID] == nil else { return }
            self.printedPages.append(printedPages)
            documentIndex[docID] = documentCount
            documentCount += 1
            counted.append(contentsOf: repeatElement(0, count: rowKeys.count))
            seen.append(contentsOf: repeatElement(0, count: rowKeys.count))
            pages.append(contentsOf: repeatElement(0, count: rowKeys.count))
            lastPage.append(contentsOf: repeatElement(0, count: rowKeys.count))
            substantive.append(0)
        }

        /// A passage of a listed document: boilerplate passages are left out of the document's substantive ones.
        public mutating func addPassage(docID: String, boilerplate: Bool) {
            guard !boilerplate, let d = documentIndex[docID] else { return }
            substantive[d] += 1
        }

        /// A listed document's substantive passages, counted elsewhere (`CodingTallies`).
        public mutating func addPassages(docID: String, substantive count: Int) {
            guard let d = documentIndex[docID] else { return }
            substantive[d] += Int32(count)
        }

        /// The row of a coding's theme, and of its sub-theme when it has one.
        public func rows(of coding: CodingRecord) -> (theme: Int, subtheme: Int?)? {
            guard let t = taxonomyIndex[coding.taxonomy], let h = themeIndex[t][coding.theme],
                let row = rowIndex[Key(taxonomy: t, theme: h, subtheme: -1)]
            else {
                return nil
            }
            let sub = coding.subtheme.flatMap { subIndex[t][h][$0] }.flatMap {
                rowIndex[Key(taxonomy: t, theme: h, subtheme: $0)]
            }
            return (row, sub)
        }

        /// Counts a coding; returns its rows (nil: an unknown document or theme, not counted).
        /// `themeRow: false` tallies only the sub-theme's row (the passage already counts for the theme).
        @discardableResult
        public mutating func add(_ coding: CodingRecord, themeRow: Bool = true) -> (theme: Int, subtheme: Int?)? {
            guard let d = documentIndex[coding.docID], let rows = rows(of: coding) else { return nil }
            if themeRow { tally(coding, row: rows.theme, document: d) }
            if let sub = rows.subtheme { tally(coding, row: sub, document: d) }
            return rows
        }

        private mutating func tally(_ coding: CodingRecord, row: Int, document d: Int) {
            let cell = d * rowKeys.count + row
            if coding.counts && lastPassage[row] != coding.passageID {
                counted[cell] += 1
                lastPassage[row] = coding.passageID
                if lastPage[cell] != Int32(coding.page) {
                    pages[cell] += 1
                    lastPage[cell] = Int32(coding.page)
                }
            }
            var flags = seen[cell] | Self.any
            if !coding.negated { flags |= Self.notNegated }
            if !coding.boilerplate { flags |= Self.notBoilerplate }
            if !(coding.hypothetical && !coding.negated) { flags |= Self.notHypothetical }
            seen[cell] = flags
        }

        public func result() -> Result {
            let n = documentCount
            let width = rowKeys.count
            var rows: [ThemeRow] = []
            var countedDocuments: [[Int]] = []
            var matrixThemes: [String] = []
            var themeRows: [Int] = []
            var calls: [[DocumentCall]] = (0..<n).map { _ in [] }
            for (r, key) in rowKeys.enumerated() {
                let taxonomy = taxonomies[key.taxonomy]
                let theme = taxonomy.themes[key.theme]
                if key.subtheme < 0 {
                    matrixThemes.append(theme.id)
                    themeRows.append(r)
                }
                var counting: [Int] = []
                var mentioning = 0
                var passages = 0
                var onlyNegated = 0
                var onlyBoilerplate = 0
                var onlyHypothetical = 0
                for d in 0..<n {
                    let cell = d * width + r
                    let count = Int(counted[cell])
                    passages += count
                    let evidence = DocumentCallRule.Evidence(
                        passages: Int(substantive[d]), coded: count, pages: Int(pages[cell]),
                        documentPages: printedPages[d])
                    let (features, reason) = rowRules[r].rule.call(evidence, themeOwn: rowRules[r].own)
                    calls[d].append(DocumentCall(evidence: evidence, features: features, reason: reason))
                    if count > 0 { mentioning += 1 }
                    if features { counting.append(d) }
                    let flags = seen[cell]
                    if count == 0 && flags & Self.any != 0 {
                        if flags & Self.notNegated == 0 { onlyNegated += 1 }
                        if flags & Self.notBoilerplate == 0 { onlyBoilerplate += 1 }
                        if flags & Self.notHypothetical == 0 { onlyHypothetical += 1 }
                    }
                }
                let name = key.subtheme < 0 ? theme.name : theme.subthemes[key.subtheme].name
                rows.append(
                    ThemeRow(
                        taxonomy: taxonomy.taxonomy, theme: theme.id,
                        subtheme: key.subtheme < 0 ? nil : theme.subthemes[key.subtheme].id, name: name,
                        documents: counting.count, documentsMentioning: mentioning, totalDocuments: n,
                        codedPassages: passages,
                        onlyNegated: onlyNegated,
                        onlyBoilerplate: onlyBoilerplate, onlyHypothetical: onlyHypothetical))
                countedDocuments.append(counting)
            }
            let matrix = (0..<n).map { d in themeRows.map { Int(counted[d * width + $0]) } }
            let showing = themeRows.map { Set(countedDocuments[$0]) }
            let themeRules = taxonomies.indices.map { t in
                zip(rowKeys, rowRules).filter { $0.0.taxonomy == t && $0.0.subtheme < 0 && $0.1.own }.map { key, row in
                    let theme = taxonomies[t].themes[key.theme]
                    return ThemeCallRule(theme: theme.id, name: theme.name, rule: row.rule)
                }
            }
            let cooccurrence = showing.map { a in showing.map { b in a.intersection(b).count } }
            return Result(
                rows: rows, matrix: matrix, matrixThemes: matrixThemes, cooccurrence: cooccurrence,
                countedDocuments: countedDocuments, calls: calls, rules: rules, themeRules: themeRules)
        }
    }
}
