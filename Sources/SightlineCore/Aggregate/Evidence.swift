import Foundation

/// Picks exemplar quotes for a theme, by a fixed, documented rule:
/// 1. candidates are passages with a counted coding (not negated,
///    hypothetical or boilerplate) for the theme or sub-theme;
/// 2. each is scored by its counted matches: distinct matched words, then
///    distinct rules (stronger evidence names the theme more fully);
/// 3. the best passage of each document is taken, documents in order of
///    those scores (ties: input order), so quotes come from different reviews;
/// 4. at most `limit` quotes; a passage over 80 words is cut to 60 words
///    around its first counted match, marked with "…".
public struct ExemplarPicker: Sendable {
    public var limit = 5

    public init(limit: Int = 5) { self.limit = limit }

    public struct Quote: Sendable, Equatable {
        public var passageID: String
        public var docID: String
        public var page: Int
        public var pageLabel: String?
        public var text: String
        /// The words matched (counted matches), as ranges of Unicode scalars of `text`.
        public var marks: [Range<Int>] = []
    }

    /// The codings whose passages will be quoted, best first (steps 1–3 and the limit).
    public func choose(codings: [CodingRecord], documentOrder: [String: Int]) -> [CodingRecord] {
        var best = Best(limit: limit)
        for coding in codings { best.offer(coding, documentOrder: documentOrder[coding.docID] ?? Int.max) }
        return best.chosen
    }

    /// Steps 1–3 and the limit, for codings that stream past: keeps at most
    /// `limit` candidates, from different documents, best first. A document
    /// that drops out cannot come back with a weaker passage, since the
    /// weakest kept candidate only ever gets stronger, so the outcome is the
    /// same as choosing each document's best and then the best documents.
    public struct Best: Sendable {
        struct Candidate: Sendable {
            var coding: CodingRecord
            var score: (Int, Int)
            var order: (Int, String)

            func beats(_ other: Candidate) -> Bool {
                score != other.score ? score > other.score : order < other.order
            }
        }

        let limit: Int
        private var kept: [Candidate] = []

        public init(limit: Int) { self.limit = limit }

        /// Offers a coding; true when it was kept (the chosen set changed).
        @discardableResult
        public mutating func offer(_ coding: CodingRecord, documentOrder: Int) -> Bool {
            guard coding.counts else { return false }
            var counted = 0
            for match in coding.matches where match.isAffirmed { counted += 1 }
            guard mayKeep(docID: coding.docID, affirmed: counted) else { return false }
            let same = kept.firstIndex { $0.coding.docID == coding.docID }
            var texts: [String] = []
            var rules: [String] = []
            for match in coding.matches where match.isAffirmed {
                let text = match.text.lowercased()
                if !texts.contains(text) { texts.append(text) }
                if !rules.contains(match.rule) { rules.append(match.rule) }
            }
            let candidate = Candidate(
                coding: coding, score: (texts.count, rules.count), order: (documentOrder, coding.passageID))
            if let same {
                guard candidate.beats(kept[same]) else { return false }
                kept.remove(at: same)
            } else if kept.count == limit {
                guard candidate.beats(kept[kept.count - 1]) else { return false }
                kept.removeLast()
            }
            let at = kept.firstIndex { candidate.beats($0) } ?? kept.count
            kept.insert(candidate, at: at)
            return true
        }

        /// Whether a counted coding of document `docID` with `affirmed`
        /// matches neither negated nor hypothetical could be kept. No coding
        /// scores more than that number on either count, so most codings lose
        /// to the weakest kept candidate here, before their texts are read.
        public func mayKeep(docID: String, affirmed: Int) -> Bool {
            guard limit > 0 else { return false }
            let bound = (affirmed, affirmed)
            if let same = kept.firstIndex(where: { $0.coding.docID == docID }) { return !(kept[same].score > bound) }
            return kept.count < limit || !(kept[kept.count - 1].score > bound)
        }

        /// The passages the chosen codings quote.
        public var chosenPassageIDs: [String] { kept.map(\.coding.passageID) }

        public var chosen: [CodingRecord] { kept.map(\.coding) }
    }

    /// The quotes for chosen codings, from their passages (step 4).
    public func quotes(for chosen: [CodingRecord], passages: [String: PassageRecord]) -> [Quote] {
        chosen.compactMap { coding in
            guard let passage = passages[coding.passageID] else { return nil }
            let first = coding.matches.first(where: \.isAffirmed)?.start ?? 0
            let text = Self.excerpt(passage.text, around: first)
            let spans = coding.matches.filter(\.isAffirmed).map { $0.start..<$0.end }
            return Quote(
                passageID: passage.passageID, docID: passage.docID, page: passage.page, pageLabel: passage.pageLabel,
                text: text, marks: Self.marks(spans, passage: passage.text, excerpt: text))
        }
    }

    /// Match spans of a passage moved into its excerpt: the excerpt is found
    /// in the passage (less its "… " and " …"), and spans outside it dropped.
    static func marks(_ spans: [Range<Int>], passage: String, excerpt: String) -> [Range<Int>] {
        if excerpt == passage { return spans }
        let lead = excerpt.hasPrefix("… ") ? 2 : 0
        var core = Substring(excerpt).dropFirst(lead)
        if core.hasSuffix(" …") { core = core.dropLast(2) }
        guard let found = passage.range(of: core) else { return [] }
        let start = passage.unicodeScalars.distance(from: passage.unicodeScalars.startIndex, to: found.lowerBound)
        let length = core.unicodeScalars.count
        return spans.compactMap { span in
            let low = max(span.lowerBound, start)
            let high = min(span.upperBound, start + length)
            return low < high ? (low - start + lead)..<(high - start + lead) : nil
        }
    }

    public func pick(codings: [CodingRecord], passages: [String: PassageRecord], documentOrder: [String: Int])
        -> [Quote]
    {
        quotes(for: choose(codings: codings, documentOrder: documentOrder), passages: passages)
    }

    /// Words are the text's runs between spaces, as a split by character
    /// gives them. Worked out on the UTF-8 bytes when no scalar can join a
    /// space into a larger character (a combining mark after it, a joiner, a
    /// prepended sign before it); by character otherwise.
    static func excerpt(_ text: String, around offset: Int) -> String {
        var utf8 = text
        return utf8.withUTF8 { bytes in
            guard let words = TextNormalizer.spaceSeparatedRuns(bytes) else {
                return excerptByCharacters(text, around: offset)
            }
            guard words.count > 80 else { return text }
            var position = 0
            var index = 0
            for (i, word) in words.enumerated() {
                if position + word.scalars >= offset {
                    index = i
                    break
                }
                position += word.scalars + 1
            }
            let start = max(0, min(index - 20, words.count - 60))
            let end = min(words.count, start + 60)
            var out: [UInt8] = []
            if start > 0 { out += "… ".utf8 }
            for k in start..<end {
                if k > start { out.append(0x20) }
                out += UnsafeBufferPointer(rebasing: bytes[words[k].start..<words[k].end])
            }
            if end < words.count { out += " …".utf8 }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The excerpt with words split by character (the definition `excerpt` follows).
    static func excerptByCharacters(_ text: String, around offset: Int) -> String {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count > 80 else { return text }
        // The word holding the offset.
        var position = 0
        var index = 0
        for (i, word) in words.enumerated() {
            if position + word.unicodeScalars.count >= offset {
                index = i
                break
            }
            position += word.unicodeScalars.count + 1
        }
        let start = max(0, min(index - 20, words.count - 60))
        let end = min(words.count, start + 60)
        return (start > 0 ? "… " : "") + words[start..<end].joined(separator: " ") + (end < words.count ? " …" : "")
    }
}

/// Reads a manifest of document metadata (CSV with a `file` column naming
/// each document as its source path or file name).
public struct Manifest: Sendable {
    public var columns: [String]
    public var rows: [String: [String: String]]
    public var warnings: [String]

    public struct Problem: Error, CustomStringConvertible, Sendable {
        public var file: String
        public var line: Int?
        public var problem: String
        public var description: String { line.map { "\(file):\($0): \(problem)" } ?? "\(file): \(problem)" }
    }

    public static func load(path: String) throws -> Manifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw Problem(file: path, line: nil, problem: exists ? "cannot read the file" : "no such file")
        }
        return try parse(data, file: path)
    }

    /// Reads a manifest's bytes; `file` names it in problems.
    public static func parse(_ data: Data, file path: String) throws -> Manifest {
        guard let text = String(data: data, encoding: .utf8) else {
            throw Problem(file: path, line: nil, problem: "not UTF-8 text: save the manifest as CSV UTF-8")
        }
        let parsed: [(line: Int, fields: [String])]
        do { parsed = try CSV.parse(text) } catch let error as CSVError {
            throw Problem(file: path, line: error.line, problem: error.problem)
        }
        guard let header = parsed.first else { throw Problem(file: path, line: 1, problem: "the manifest is empty") }
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var firstColumn: [String: Int] = [:]
        for (index, column) in columns.enumerated() {
            if let earlier = firstColumn[column] {
                throw Problem(
                    file: path, line: header.line,
                    problem: "the header names column ‘\(column)’ twice (columns \(earlier + 1) and \(index + 1))")
            }
            firstColumn[column] = index
        }
        guard let keyColumn = columns.firstIndex(of: "file") else {
            var problem = "no `file` column (the column that names each document)"
            let line = text.prefix { $0 != "\n" && $0 != "\r\n" }
            for (separator, name) in [(";", "semicolons"), ("\t", "tabs")]
            where columns.count == 1 && line.contains(separator) {
                problem +=
                    "; the header is separated by \(name), not commas: save the manifest as comma-separated CSV "
                    + "(in Excel, ‘CSV UTF-8 (Comma delimited)’)"
            }
            throw Problem(file: path, line: header.line, problem: problem)
        }
        var rows: [String: [String: String]] = [:]
        var firstLine: [String: Int] = [:]
        for row in parsed.dropFirst() {
            guard row.fields.count == columns.count else {
                throw Problem(
                    file: path, line: row.line,
                    problem: "\(row.fields.count) fields where the header has \(columns.count)")
            }
            let key = row.fields[keyColumn]
            if let earlier = firstLine[key] {
                throw Problem(
                    file: path, line: row.line, problem: "‘\(key)’ appears twice (also on line \(earlier))")
            }
            firstLine[key] = row.line
            rows[key] = Dictionary(uniqueKeysWithValues: zip(columns, row.fields).filter { $0.0 != "file" })
        }
        return Manifest(columns: columns.filter { $0 != "file" }, rows: rows, warnings: [])
    }

    /// The row for a document's source: by its path, else by its file name.
    public func row(for source: String) -> [String: String]? {
        rows[source] ?? rows[(source as NSString).lastPathComponent]
    }

    /// Whether any row names one of these sources (by path or file name).
    public func matchesAny(_ sources: [String]) -> Bool {
        sources.contains { row(for: $0) != nil }
    }

    /// The problem when no row names any of the documents: the counts by manifest column would all be "(missing)".
    public func noMatchProblem(file: String, sources: [String]) -> Problem? {
        guard !sources.isEmpty, !rows.isEmpty, !matchesAny(sources) else { return nil }
        let example = (sources[0] as NSString).lastPathComponent
        return Problem(
            file: file, line: nil,
            problem:
                "none of its \(rows.count) rows names any of the \(sources.count) documents: the `file` column "
                + "must hold each document's file name (such as ‘\(example)’) or its path as given "
                + "(‘\(sources[0])’)")
    }

    /// Attaches metadata to documents; notes documents without a row and rows without a document.
    public mutating func attach(to documents: inout [DocumentInfo]) {
        var used = Set<String>()
        for i in documents.indices {
            let source = documents[i].source
            let name = (source as NSString).lastPathComponent
            if let row = rows[source] ?? rows[name] {
                documents[i].metadata = row
                used.insert(rows[source] != nil ? source : name)
            } else {
                warnings.append("no manifest row for \(source)")
            }
        }
        for key in rows.keys.sorted() where !used.contains(key) {
            warnings.append("manifest row ‘\(key)’ matches no document")
        }
    }
}
