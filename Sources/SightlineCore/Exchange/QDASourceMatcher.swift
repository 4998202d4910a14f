import Foundation

/// Which document of a run each source of a REFI-QDA project is, and how a
/// selection in the source's text finds its passages.
///
/// A source is matched, in this order:
/// 1. *exactly*, when its text is the document's text as Sightline exports it
///    (`DocumentText`): a selection then marks the passages its character
///    range overlaps;
/// 2. *by name*, when its name is the document's file name, with or without
///    the extension, and only one document has it;
/// 3. *by content*, when most of its text (folded as quotes are, sampled in
///    runs of 16 characters) occurs in one document and clearly less in any other.
/// In cases 2 and 3 the program extracted its own text (with page headers,
/// other line breaks), so a selection's words are looked for in the
/// document's passages as a quote is (`QuoteLocator`); when they occur more
/// than once, the occurrence nearest the same relative place in the text is taken.
public struct QDASourceMatcher {
    public enum How: String, Sendable { case exact, name, content }

    public struct Match: Sendable {
        public var document: Int
        public var how: How
    }

    public let documents: [DocumentInfo]
    public let passages: [String: [PassageRecord]]
    private var texts: [String: DocumentText] = [:]
    private var locators: [Int: QuoteLocator] = [:]
    private var contentIndex: [UInt64: [Int32]]? = nil

    public init(documents: [DocumentInfo], passages: [String: [PassageRecord]]) {
        self.documents = documents
        self.passages = passages
    }

    public mutating func text(of document: Int) -> DocumentText {
        let id = documents[document].docID
        if let known = texts[id] { return known }
        let made = DocumentText(passages: passages[id] ?? [])
        texts[id] = made
        return made
    }

    /// The document a source is, or nil.
    public mutating func match(_ source: QDAProject.Source) -> Match? {
        guard let text = source.text else { return nil }
        let stem = Self.stem(source.name)
        var byName: [Int] = []
        for d in documents.indices {
            let name = SourceIndex.fileName(documents[d].source)
            if name.lowercased() == source.name.lowercased() || Self.stem(name) == stem { byName.append(d) }
        }
        // Exact text: the named document first, then every other.
        for d in byName + documents.indices.filter({ !byName.contains($0) }) where self.text(of: d).text == text {
            return Match(document: d, how: .exact)
        }
        if byName.count == 1 { return Match(document: byName[0], how: .name) }
        return matchByContent(text).map { Match(document: $0, how: .content) }
    }

    static func stem(_ name: String) -> String {
        let file = SourceIndex.fileName(name).lowercased()
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }

    /// The passages a selection marks (indices into the document's passages), or nil when its words are not found.
    public mutating func passages(
        for selection: QDAProject.Selection, in source: QDAProject.Source, match: Match
    ) -> [Int]? {
        let text = self.text(of: match.document)
        if match.how == .exact { return text.passages(overlapping: selection.start..<selection.end) }
        let scalars = Array((source.text ?? "").unicodeScalars)
        guard selection.start >= 0, selection.end <= scalars.count, selection.start < selection.end else { return nil }
        let quote = String(String.UnicodeScalarView(scalars[selection.start..<selection.end]))
        if locators[match.document] == nil {
            locators[match.document] = QuoteLocator(
                passages: (passages[documents[match.document].docID] ?? []).map(\.text))
        }
        let locator = locators[match.document]!
        let found = locator.occurrences(of: quote)
        guard !found.isEmpty else { return nil }
        // Nearest the same relative place in the text.
        let wanted = Double(selection.start) / Double(max(1, scalars.count)) * Double(locator.foldedCount)
        let best = found.min { abs(Double($0.foldedStart) - wanted) < abs(Double($1.foldedStart) - wanted) }!
        return Array(best.passages)
    }

    // MARK: matching by content

    static let shingle = 16

    /// Hashes of folded runs of `shingle` scalars, one in eight kept (chosen by the hash, so
    /// both sides keep the same runs).
    static func sample(_ text: String) -> [UInt64] {
        let folded = QuoteLocator.folded(text).map(\.value)
        guard folded.count >= shingle else { return [] }
        var out: [UInt64] = []
        for start in 0...(folded.count - shingle) {
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for value in folded[start..<(start + shingle)] {
                hash = (hash ^ UInt64(value)) &* 0x0000_0100_0000_01B3
            }
            if hash & 7 == 0 { out.append(hash) }
        }
        return out
    }

    private mutating func matchByContent(_ text: String) -> Int? {
        if contentIndex == nil {
            var index: [UInt64: [Int32]] = [:]
            for d in documents.indices {
                for hash in Set(Self.sample(self.text(of: d).text)) { index[hash, default: []].append(Int32(d)) }
            }
            contentIndex = index
        }
        let sampled = Set(Self.sample(text))
        guard !sampled.isEmpty else { return nil }
        var hits: [Int32: Int] = [:]
        for hash in sampled { for d in contentIndex![hash] ?? [] { hits[d, default: 0] += 1 } }
        let ranked = hits.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        guard let best = ranked.first, Double(best.value) >= 0.5 * Double(sampled.count) else { return nil }
        if ranked.count > 1, Double(ranked[1].value) > 0.8 * Double(best.value) { return nil }
        return Int(best.key)
    }
}
