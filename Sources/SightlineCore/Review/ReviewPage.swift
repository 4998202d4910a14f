import Foundation

/// `review.html`: a self-contained page on which a reviewer goes through the
/// coded passages theme by theme, accepts, rejects or adds codes with a note,
/// and downloads the decisions as the CSV that `--decisions` reads.
///
/// The page carries its data as one JSON block and draws only the theme being
/// looked at, a page of passages at a time (`ReviewPageAssets`), so that it
/// stays usable on hundreds of reports. Nothing is fetched: styles and script
/// are inline, and it works when opened from a file.
public struct ReviewPage: Sendable {
    /// One coded (or decided) passage, with what the page shows of it.
    public struct Passage: Sendable {
        public var record: PassageRecord
        /// Raw codings as the tagger wrote them, before any decision.
        public var codings: [CodingRecord]
    }

    public var documents: [DocumentInfo]
    public var taxonomies: [TaxonomyRecord]
    /// In file order.
    public var passages: [Passage]
    /// Decisions given with the run, with their status; nil when none.
    public var decisions: DecisionSet?

    public init(
        documents: [DocumentInfo], taxonomies: [TaxonomyRecord], passages: [Passage], decisions: DecisionSet?
    ) {
        self.documents = documents
        self.taxonomies = taxonomies
        self.passages = passages
        self.decisions = decisions
    }

    /// Reads a run folder: every passage with a coding (counted or flagged), or named by a decision.
    ///
    /// `decisions` is given the run's taxonomies and returns the decisions to
    /// show, if any; they are checked against the passages as `aggregate`
    /// checks them (their status says whether each applies), so the page can
    /// show which are stale.
    public static func load(
        folder: String, decisions: ([TaxonomyRecord]) throws -> DecisionSet? = { _ in nil }
    ) throws -> ReviewPage {
        try RunFolder.requireFiles(in: folder)
        let documents = try RunFolder.documents(in: folder)
        var taxonomies: [TaxonomyRecord] = []
        var codings: [String: [CodingRecord]] = [:]
        var inHeader = true
        try JSONLinesReader(path: folder + "/codings.jsonl").forEach(CodingsLine.self) { line, _ in
            switch line {
            case .taxonomy(let record):
                guard inHeader else { throw Wire.Problem.taxonomyAfterCodings }
                taxonomies.append(record)
            case .coding(let coding):
                inHeader = false
                codings[coding.passageID, default: []].append(coding)
            }
        }
        var decided = try decisions(taxonomies)
        var passages: [Passage] = []
        try JSONLinesReader(path: folder + "/passages.jsonl").forEach(PassagesLine.self) { line, _ in
            let passage = line.passage
            let own = codings[passage.passageID] ?? []
            let touched = decided?.touches(passage.passageID) == true
            guard !own.isEmpty || touched else { return }
            if touched, var set = decided {
                // The same checks aggregate makes, so each decision's status is the one the tables used.
                set.see(passage)
                let kept = own.compactMap { set.apply(to: $0) }
                _ = set.additions(for: passage, existing: kept)
                decided = set
            }
            passages.append(Passage(record: passage, codings: own))
        }
        return ReviewPage(documents: documents, taxonomies: taxonomies, passages: passages, decisions: decided)
    }

    /// The page's data, as compact as the page can read it (see `ReviewPageAssets.script` for the reader).
    struct Payload: Encodable {
        /// Themes and sub-themes: [key, name, frame name]; key `taxonomy/theme[/subtheme]`.
        var t: [[String]]
        /// Documents: [source, title].
        var d: [[String]]
        /// Rule ids, referred to by index.
        var r: [String]
        /// Heading paths, joined with " › ", referred to by index.
        var h: [String]
        /// Passages: [id, document, page label, heading path, text SHA-256, text, codings].
        var p: [PassageRow]
        /// Decisions given with the run: [passage_id, theme key, decision, reviewer, note, text_sha256, status].
        var x: [[String]]
        /// Identifies the set of documents, so that work kept in the browser finds its page again after a re-run.
        var k: String
    }

    struct PassageRow: Encodable {
        var id: String
        var doc: Int
        var page: String
        var headings: Int
        var sha: String
        var text: String
        /// Per coding: theme index, flag (0 counted, 1 negated, 2 hypothetical, 3 boilerplate), rules, then
        /// match start and end pairs in UTF-16 code units (what the page's JavaScript indexes strings by).
        var codings: [[Int]]

        func encode(to encoder: Encoder) throws {
            var container = encoder.unkeyedContainer()
            try container.encode(id)
            try container.encode(doc)
            try container.encode(page)
            try container.encode(headings)
            try container.encode(sha)
            try container.encode(text)
            try container.encode(codings)
        }
    }

    func payload() throws -> Payload {
        var themes: [[String]] = []
        var themeIndex: [String: Int] = [:]
        for taxonomy in taxonomies {
            for theme in taxonomy.themes {
                let key = taxonomy.taxonomy + "/" + theme.id
                themeIndex[key] = themes.count
                themes.append([key, theme.name, taxonomy.name])
                for sub in theme.subthemes {
                    themeIndex[key + "/" + sub.id] = themes.count
                    themes.append([key + "/" + sub.id, theme.name + ": " + sub.name, taxonomy.name])
                }
            }
        }
        let docIndex = Dictionary(documents.enumerated().map { ($1.docID, $0) }, uniquingKeysWith: { a, _ in a })
        var rules: [String] = []
        var ruleIndex: [String: Int] = [:]
        var headings: [String] = []
        var headingIndex: [String: Int] = [:]
        var rows: [PassageRow] = []
        rows.reserveCapacity(passages.count)
        for passage in passages {
            let text = passage.record.text
            let utf16 = Self.utf16Offsets(text)
            var codings: [[Int]] = []
            for coding in passage.codings {
                let key = coding.taxonomy + "/" + coding.theme + (coding.subtheme.map { "/" + $0 } ?? "")
                guard let theme = themeIndex[key] else { continue }
                let flag = coding.boilerplate ? 3 : coding.negated ? 1 : coding.hypothetical ? 2 : 0
                let ids = coding.rules.map { rule -> Int in
                    if let i = ruleIndex[rule] { return i }
                    ruleIndex[rule] = rules.count
                    rules.append(rule)
                    return rules.count - 1
                }
                var row = [theme, flag, ids.count] + ids
                for match in coding.matches where match.start >= 0 && match.start < match.end && match.end < utf16.count
                {
                    row += [utf16[match.start], utf16[match.end]]
                }
                codings.append(row)
            }
            let path = passage.record.headingPath.joined(separator: " › ")
            let heading = headingIndex[path] ?? headings.count
            if heading == headings.count {
                headingIndex[path] = heading
                headings.append(path)
            }
            rows.append(
                PassageRow(
                    id: passage.record.passageID, doc: docIndex[passage.record.docID] ?? -1,
                    page: passage.record.pageLabel ?? String(passage.record.page), headings: heading,
                    sha: SHA256.hex(of: Array(text.utf8)), text: text, codings: codings))
        }
        let decided = (decisions?.decisions ?? []).map { d in
            [
                d.passageID, d.taxonomy + "/" + d.theme + (d.subtheme.map { "/" + $0 } ?? ""), d.kind.rawValue,
                d.reviewer, d.note, d.textSHA256 ?? "", d.status.rawValue,
            ]
        }
        let key = SHA256.hex(of: Array(documents.map(\.docID).sorted().joined(separator: "\n").utf8))
        return Payload(
            t: themes, d: documents.map { [$0.source, $0.title ?? ""] }, r: rules, h: headings, p: rows, x: decided,
            k: String(key.prefix(16)))
    }

    /// For each Unicode scalar offset 0...count, the UTF-16 offset it starts at.
    static func utf16Offsets(_ text: String) -> [Int] {
        var offsets: [Int] = [0]
        offsets.reserveCapacity(text.unicodeScalars.count + 1)
        var position = 0
        for scalar in text.unicodeScalars {
            position += scalar.utf16.count
            offsets.append(position)
        }
        return offsets
    }

    /// The whole page.
    public func html() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(payload()), as: UTF8.self)
        // `<` only occurs inside JSON strings, where \u003c means the same: no `</script>` can end the block early.
        let data = json.replacingOccurrences(of: "<", with: "\\u003c")
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>Sightline review: coded passages</title>\n"
        out += "<style>\n" + ReviewPageAssets.style + "</style>\n</head>\n<body>\n"
        out += ReviewPageAssets.body
        out += "<script type=\"application/json\" id=\"review-data\">" + data + "</script>\n"
        out += "<script>\n" + ReviewPageAssets.script + "</script>\n</body>\n</html>\n"
        return out
    }
}
