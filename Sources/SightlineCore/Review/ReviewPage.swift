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

    /// Every document record of the run, in input order.
    public private(set) var documents: [DocumentInfo] = []
    public let taxonomies: [TaxonomyRecord]
    /// Decisions given with the run, with their status; nil when none.
    public var decisions: DecisionSet?
    /// The passages shown so far.
    public private(set) var passageCount = 0

    /// Themes and sub-themes as the page lists them, and their index by key `taxonomy/theme[/subtheme]`.
    private let themes: [[String]]
    private let themeIndex: [String: Int]
    private var documentIndex: [String: Int] = [:]
    private var rules: [String] = []
    private var ruleIndex: [String: Int] = [:]
    private var headings: [String] = []
    private var headingIndex: [String: Int] = [:]
    /// The passages shown, in the order they were added (the order of passages.jsonl): the data block's `p`
    /// array without its brackets, as `JSONEncoder` would write it, and with every `<` written `\u003c` as the
    /// page needs (`escapingTagOpeners`), so that it goes into the page as it is.
    private var rows = Data()
    /// Codings waiting for their passage, by passage id.
    private var waiting: [String: [CodingRecord]] = [:]

    /// An empty page, filled as the run's records stream past: `add(document:)`, then each passage's codings
    /// (`add(coding:)`) before the passage itself (`add(passage:decided:)`).
    public init(taxonomies: [TaxonomyRecord], decisions: DecisionSet? = nil) {
        self.taxonomies = taxonomies
        self.decisions = decisions
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
        self.themes = themes
        self.themeIndex = themeIndex
    }

    /// A page of the given passages, in order.
    public init(
        documents: [DocumentInfo], taxonomies: [TaxonomyRecord], passages: [Passage], decisions: DecisionSet?
    ) {
        self.init(taxonomies: taxonomies, decisions: decisions)
        for document in documents { add(document: document) }
        for passage in passages { show(passage.record, codings: passage.codings) }
    }

    /// A document record; its passages refer to it by its place in this list.
    public mutating func add(document: DocumentInfo) {
        if documentIndex[document.docID] == nil { documentIndex[document.docID] = documents.count }
        documents.append(document)
    }

    /// A coding as the tagger wrote it, before any decision; shown with its passage.
    public mutating func add(coding: CodingRecord) { waiting[coding.passageID, default: []].append(coding) }

    /// The codings added for a passage not yet added.
    public func codings(waitingFor passageID: String) -> [CodingRecord] { waiting[passageID] ?? [] }

    /// A passage, shown with its codings when it has any (counted or flagged) or when a decision names it.
    public mutating func add(passage: PassageRecord, decided: Bool) {
        let own = waiting.removeValue(forKey: passage.passageID) ?? []
        guard !own.isEmpty || decided else { return }
        show(passage, codings: own)
    }

    /// Reads a run folder: every passage with a coding (counted or flagged), or named by a decision.
    ///
    /// `decisions` is given the run's taxonomies and returns the decisions to
    /// show, if any; they are checked against the passages as `aggregate`
    /// checks them (their status says whether each applies), so the page can
    /// show which are stale. (`run` and `aggregate` build the page as they
    /// read the records, with `add(document:)`, `add(coding:)` and
    /// `add(passage:decided:)`, and do not call this.)
    public static func load(
        folder: String, decisions: ([TaxonomyRecord]) throws -> DecisionSet? = { _ in nil }
    ) throws -> ReviewPage {
        try RunFolder.requireFiles(in: folder)
        let documents = try RunFolder.documents(in: folder)
        let taxonomies: [TaxonomyRecord]
        var codings: [CodingRecord]
        (taxonomies, codings) = try RunFolder.codings(in: folder, of: nil)
        var page = ReviewPage(taxonomies: taxonomies, decisions: try decisions(taxonomies))
        for document in documents { page.add(document: document) }
        for coding in codings { page.add(coding: coding) }
        codings = []
        try JSONLinesReader(path: folder + "/passages.jsonl").forEach(PassagesLine.self) { line, _ in
            let passage = line.passage
            let touched = page.decisions?.touches(passage.passageID) == true
            if touched, var set = page.decisions {
                // The same checks aggregate makes, so each decision's status is the one the tables used.
                set.see(passage)
                let kept = page.codings(waitingFor: passage.passageID).compactMap { set.apply(to: $0) }
                _ = set.additions(for: passage, existing: kept)
                page.decisions = set
            }
            page.add(passage: passage, decided: touched)
        }
        return page
    }

    /// Adds a passage's row: its text, where it is, and its codings packed as the page reads them.
    ///
    /// The row is `[id, document, page label, heading path, text SHA-256, text, codings]`: the document and
    /// heading path are indexes into the data block's `d` and `h`; each coding is `[theme index, flag (0 counted,
    /// 1 negated, 2 hypothetical, 3 boilerplate), rule count, rule indexes into `r`..., then match start and end
    /// pairs in UTF-16 code units]` (what the page's JavaScript indexes strings by). It is written with the JSON
    /// writer the records use, byte for byte what JSONEncoder writes once each `<` is written `\u003c`
    /// (`ReviewPageDataTests` compares the two): the rows are most of the page, and JSONEncoder took 0.17 s over
    /// the Ofsted corpus's.
    private mutating func show(_ passage: PassageRecord, codings: [CodingRecord]) {
        let text = passage.text
        let utf16 = Self.utf16Offsets(text)
        let heading = headingIndex(of: passage.headingPath.joined(separator: " › "))
        // The JSON writer asks for room for the longest escaping of each string.
        let row = LineBuffer(capacity: 6 * (text.utf8.count + passage.passageID.utf8.count) + 256)
        let comma = UInt8(ascii: ",")
        if passageCount > 0 { row.append(comma) }
        row.append(UInt8(ascii: "["))
        FastWriter.string(passage.passageID, row)
        row.append(comma)
        FastWriter.integer(documentIndex[passage.docID] ?? -1, row)
        row.append(comma)
        FastWriter.string(passage.pageLabel ?? String(passage.page), row)
        row.append(comma)
        FastWriter.integer(heading, row)
        row.append(comma)
        FastWriter.string(SHA256.hex(of: Array(text.utf8)), row)
        row.append(comma)
        FastWriter.string(text, row)
        row.append(comma)
        row.append(UInt8(ascii: "["))
        var first = true
        for coding in codings {
            let key = coding.taxonomy + "/" + coding.theme + (coding.subtheme.map { "/" + $0 } ?? "")
            guard let theme = themeIndex[key] else { continue }
            let flag = coding.boilerplate ? 3 : coding.negated ? 1 : coding.hypothetical ? 2 : 0
            var packed = [theme, flag, coding.rules.count] + coding.rules.map { ruleIndex(of: $0) }
            for match in coding.matches where match.start >= 0 && match.start < match.end && match.end < utf16.count {
                packed += [utf16[match.start], utf16[match.end]]
            }
            if !first { row.append(comma) }
            first = false
            row.append(UInt8(ascii: "["))
            for (i, number) in packed.enumerated() {
                if i > 0 { row.append(comma) }
                FastWriter.integer(number, row)
            }
            row.append(UInt8(ascii: "]"))
        }
        row.append(UInt8(ascii: "]"))
        row.append(UInt8(ascii: "]"))
        row.withUnsafeBytes { Self.append($0, escapingTagOpenersTo: &rows) }
        passageCount += 1
    }

    private mutating func ruleIndex(of rule: String) -> Int {
        if let i = ruleIndex[rule] { return i }
        ruleIndex[rule] = rules.count
        rules.append(rule)
        return rules.count - 1
    }

    private mutating func headingIndex(of path: String) -> Int {
        if let i = headingIndex[path] { return i }
        headingIndex[path] = headings.count
        headings.append(path)
        return headings.count - 1
    }

    /// The page's data, as compact as the page can read it (see `ReviewPageAssets.script` for the reader): one
    /// JSON object, keys in sorted order as JSONEncoder writes them with `.sortedKeys`.
    /// - `d`: documents, [source, title];
    /// - `h`: heading paths, joined with " › ", referred to by index;
    /// - `k`: identifies the set of documents, so that work kept in the browser finds its page again after a re-run;
    /// - `p`: the passages' rows (see `show`);
    /// - `r`: rule ids, referred to by index;
    /// - `t`: themes and sub-themes, [key, name, frame name], key `taxonomy/theme[/subtheme]`;
    /// - `x`: decisions given with the run, [passage_id, theme key, decision, reviewer, note, text_sha256, status].
    ///
    /// In three pieces, with every `<` written `\u003c` (`escapingTagOpeners`): the fields before `p`, the rows,
    /// and the rest; `write` hands them on as they are.
    func dataBlock() throws -> [Data] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func field(_ name: String, _ value: some Encodable, to out: inout Data) throws {
            out.append(contentsOf: Array(((out.isEmpty ? "{\"" : ",\"") + name + "\":").utf8))
            out.append(try encoder.encode(value))
        }
        let decided = (decisions?.decisions ?? []).map { d in
            [
                d.passageID, d.taxonomy + "/" + d.theme + (d.subtheme.map { "/" + $0 } ?? ""), d.kind.rawValue,
                d.reviewer, d.note, d.textSHA256 ?? "", d.status.rawValue,
            ]
        }
        let key = SHA256.hex(of: Array(documents.map(\.docID).sorted().joined(separator: "\n").utf8))
        var before = Data()
        try field("d", documents.map { [$0.source, $0.title ?? ""] }, to: &before)
        try field("h", headings, to: &before)
        try field("k", String(key.prefix(16)), to: &before)
        before.append(contentsOf: Array(",\"p\":[".utf8))
        var after = Data([UInt8(ascii: "]")])
        try field("r", rules, to: &after)
        try field("t", themes, to: &after)
        try field("x", decided, to: &after)
        after.append(UInt8(ascii: "}"))
        return [Self.escapingTagOpeners(before), rows, Self.escapingTagOpeners(after)]
    }

    /// The data block in one piece.
    func data() throws -> Data {
        try dataBlock().reduce(into: Data()) { $0.append($1) }
    }

    /// For each Unicode scalar offset 0...count, the UTF-16 offset it starts at. Read from the UTF-8 bytes: a
    /// scalar starts at each byte that is not a continuation byte (10xxxxxx) and takes two UTF-16 units when its
    /// first byte starts a four-byte sequence (11110xxx), one otherwise.
    static func utf16Offsets(_ text: String) -> [Int] {
        var text = text
        return text.withUTF8 { bytes in
            var offsets: [Int] = [0]
            offsets.reserveCapacity(bytes.count + 1)
            var position = 0
            for byte in bytes where byte & 0xC0 != 0x80 {
                position += byte >= 0xF0 ? 2 : 1
                offsets.append(position)
            }
            return offsets
        }
    }

    /// The whole page.
    public func html() throws -> String {
        var page = Data()
        try write { page.append($0) }
        return String(decoding: page, as: UTF8.self)
    }

    /// Hands the page to `sink` in a few pieces (the data block is most of it), without first making it one string.
    public func write(to sink: (Data) throws -> Void) throws {
        var head = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        head += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        head += "<title>Sightline review: coded passages</title>\n"
        head += "<style>\n" + ReviewPageAssets.style + "</style>\n</head>\n<body>\n"
        head += ReviewPageAssets.body
        head += "<script type=\"application/json\" id=\"review-data\">"
        try sink(Data(head.utf8))
        for piece in try dataBlock() { try sink(piece) }
        try sink(Data(("</script>\n<script>\n" + ReviewPageAssets.script + "</script>\n</body>\n</html>\n").utf8))
    }

    /// JSON with every `<` written `\u003c`. `<` only occurs inside JSON strings, where the two mean the same:
    /// no `</script>` can end the data block early.
    static func escapingTagOpeners(_ json: Data) -> Data {
        var out = Data()
        json.withUnsafeBytes { append($0, escapingTagOpenersTo: &out) }
        return out
    }

    /// Appends JSON as `escapingTagOpeners` writes it. On the bytes in place, copying the runs between `<`s whole:
    /// `Data`'s own iterator and searches go a byte at a time through its storage.
    static func append(_ json: UnsafeRawBufferPointer, escapingTagOpenersTo out: inout Data) {
        let bytes = json.assumingMemoryBound(to: UInt8.self)
        var start = 0
        while let found = bytes[start...].firstIndex(of: UInt8(ascii: "<")) {
            out.append(UnsafeBufferPointer(rebasing: bytes[start..<found]))
            out.append(contentsOf: escapedTagOpener)
            start = found + 1
        }
        out.append(UnsafeBufferPointer(rebasing: bytes[start...]))
    }

    private static let escapedTagOpener = Array("\\u003c".utf8)
}
