import Foundation

/// Finds the document a hand-code row's `source` names: the exact `source`
/// of `documents.jsonl`, else its file name, else a `doc_id` (or a prefix of
/// at least 16 hex digits, as in passage ids).
public struct SourceIndex: Sendable {
    public let documents: [DocumentInfo]
    private let bySource: [String: Int]
    private let byName: [String: [Int]]

    public init(documents: [DocumentInfo]) {
        self.documents = documents
        var bySource: [String: Int] = [:]
        var byName: [String: [Int]] = [:]
        for (i, document) in documents.enumerated() {
            if bySource[document.source] == nil { bySource[document.source] = i }
            byName[Self.fileName(document.source), default: []].append(i)
        }
        self.bySource = bySource
        self.byName = byName
    }

    public static func fileName(_ path: String) -> String {
        String(path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? Substring(path))
    }

    public func resolve(_ source: String) -> Result<Int, InputProblemText> {
        if let i = bySource[source] { return .success(i) }
        var trimmed = source
        while trimmed.hasPrefix("./") { trimmed.removeFirst(2) }
        if let i = bySource[trimmed] { return .success(i) }
        if let found = byName[Self.fileName(source)] {
            if found.count == 1 { return .success(found[0]) }
            let names = found.map { documents[$0].source }.joined(separator: ", ")
            return .failure(
                InputProblemText("source ‘\(source)’ is ambiguous (\(names)): give the path as in documents.jsonl"))
        }
        let lower = source.lowercased()
        if lower.count >= 16 && lower.allSatisfy(\.isHexDigit) {
            let found = documents.indices.filter { documents[$0].docID.hasPrefix(lower) }
            if found.count == 1 { return .success(found[0]) }
        }
        return .failure(
            InputProblemText(
                "unknown source ‘\(source)’: no document with that path or file name in documents.jsonl"))
    }
}

/// Hand codes turned into codes per passage, with every row that could not
/// be used listed as a problem.
public struct HumanCodes: Sendable {
    /// Indices (into the run's documents) of the documents the file names, in input order.
    public var documents: [Int] = []
    /// Distinct non-empty coder names, sorted.
    public var coders: [String] = []
    /// By coder ("" for rows without one): the documents the coder named.
    public var coverage: [String: Set<Int>] = [:]
    /// By coder, then passage id: the themes and sub-themes given (a sub-theme implies its theme).
    public var labels: [String: [String: Set<ThemeKey>]] = [:]
    /// By passage id: every coder's codes together.
    public var union: [String: Set<ThemeKey>] = [:]
    /// Passages some usable row's quote overlaps, with or without a theme.
    public var quoted: Set<String> = []
    /// Taxonomies a usable row names a theme of.
    public var taxonomies: Set<String> = []
    /// Rows that could not be used: an unknown source or theme, a quote found nowhere.
    public var problems: [InputProblem] = []
    /// Rows used with a caveat (a quote found more than once).
    public var warnings: [InputProblem] = []

    public init() {}

    /// The documents named by usable sources, before their passages are read.
    public static func namedDocuments(_ codes: [HandCode], index: SourceIndex) -> Set<String> {
        // A source that names no document is reported by `resolve(_:)` when the rows are read; here it names none.
        Set(codes.compactMap { try? index.resolve($0.source).get() }.map { index.documents[$0].docID })
    }

    /// Resolves every row. A quote marks each passage it overlaps; when it
    /// occurs more than once in the document, occurrences that are whole
    /// passages are preferred, a `page` value keeps only occurrences starting
    /// on that page (printed label or index), and the n-th row with the same
    /// quote, theme and coder takes the n-th occurrence (the last when there
    /// are fewer), so a table cell repeated down a chronology can be coded
    /// once per repeat.
    public static func resolve(
        _ codes: [HandCode], file: String, index: SourceIndex, passages: [String: [PassageRecord]],
        catalog: ThemeCatalog
    ) -> HumanCodes {
        var out = HumanCodes()
        var locators: [Int: QuoteLocator] = [:]
        var repeats: [String: Int] = [:]
        var named = Set<Int>()
        var coders = Set<String>()
        func problem(_ code: HandCode, _ text: String) {
            out.problems.append(InputProblem(file: file, line: code.line, problem: text))
        }
        for code in codes {
            if code.source.isEmpty {
                problem(code, "no source: name the document as in documents.jsonl")
                continue
            }
            let d: Int
            switch index.resolve(code.source) {
            case .success(let found): d = found
            case .failure(let text):
                problem(code, text.text)
                continue
            }
            named.insert(d)
            out.coverage[code.coder, default: []].insert(d)
            if !code.coder.isEmpty { coders.insert(code.coder) }
            if code.isNothingCoded { continue }
            if QuoteLocator.isBlank(code.quote) {
                problem(code, "theme ‘\(code.theme)’ with no quote: copy the words coded into the quote field")
                continue
            }
            // A quote with no theme: a passage read with nothing to code (for --only-quoted).
            var key: ThemeKey? = nil
            if !code.theme.isEmpty {
                switch catalog.resolve(code.theme) {
                case .success(let found): key = found
                case .failure(let text):
                    problem(code, text.text)
                    continue
                }
            }
            let document = index.documents[d]
            let docPassages = passages[document.docID] ?? []
            if locators[d] == nil { locators[d] = QuoteLocator(passages: docPassages.map(\.text)) }
            var occurrences = locators[d]!.occurrences(of: code.quote)
            if occurrences.isEmpty {
                problem(code, "quote not found in \(document.source): ‘\(Self.excerpt(code.quote))’")
                continue
            }
            if !code.page.isEmpty {
                let onPage = occurrences.filter { Self.isOnPage(docPassages[$0.passages.lowerBound], code.page) }
                if onPage.isEmpty {
                    problem(
                        code,
                        "quote found in \(document.source), but not on page \(code.page): "
                            + "‘\(Self.excerpt(code.quote))’"
                    )
                    continue
                }
                occurrences = onPage
            }
            let whole = occurrences.filter(\.wholePassages)
            if !whole.isEmpty { occurrences = whole }
            let folded = String(String.UnicodeScalarView(QuoteLocator.folded(code.quote)))
            let label = key.map { "\($0.taxonomy)/\($0.path)" } ?? ""
            let repeatKey = "\(d)\u{1}\(code.coder)\u{1}\(label)\u{1}\(folded)"
            let n = repeats[repeatKey, default: 0]
            repeats[repeatKey] = n + 1
            if occurrences.count > 1 && n == 0 {
                let pages = occurrences.prefix(5).map { Self.pageName(docPassages[$0.passages.lowerBound]) }.joined(
                    separator: ", ")
                let text =
                    "warning: quote found \(occurrences.count) times in \(document.source) (pages \(pages)); "
                    + "rows with this quote and theme take them in turn (a longer quote or a page column chooses)"
                out.warnings.append(InputProblem(file: file, line: code.line, problem: text))
            }
            let occurrence = occurrences[min(n, occurrences.count - 1)]
            for p in occurrence.passages { out.quoted.insert(docPassages[p].passageID) }
            guard let key else { continue }
            out.taxonomies.insert(key.taxonomy)
            for p in occurrence.passages {
                let id = docPassages[p].passageID
                out.labels[code.coder, default: [:]][id, default: []].formUnion([key, key.themeKey])
                out.union[id, default: []].formUnion([key, key.themeKey])
            }
        }
        out.documents = named.sorted()
        out.coders = coders.sorted()
        return out
    }

    static func isOnPage(_ passage: PassageRecord, _ page: String) -> Bool {
        if passage.pageLabel == page { return true }
        if let number = Int(page) { return passage.page <= number && number <= passage.pageEnd }
        return false
    }

    /// The printed page label when there is one, else the page index.
    public static func pageName(_ passage: PassageRecord) -> String { passage.pageLabel ?? String(passage.page) }

    static func excerpt(_ quote: String) -> String {
        let flat = quote.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return flat.count > 70 ? String(flat.prefix(70)) + "…" : flat
    }
}
