import Foundation

/// `tables/coded-segments.csv`: one row per counted coding, with the passage
/// it codes, for sorting and filtering in a spreadsheet.
///
/// Rows come out in passage order (document by document), each passage's
/// codings in the order `codings.jsonl` has them, then any a review decision
/// added. A coding's own fields are written when it arrives, and wait for
/// their passage's text: in `run` that is a document at a time; in
/// `aggregate`, which reads every coding before any passage, it is the
/// counted codings of the whole corpus.
public struct CodedSegments: Sendable {
    public static let header = [
        "source", "title", "page", "page_label", "taxonomy", "theme", "subtheme", "negated", "hypothetical",
        "boilerplate",
        "passage_id", "rules", "matched", "text",
    ]

    /// Source and title (the manifest's when it has one) by document id.
    private var documents: [String: (source: String, title: String)] = [:]
    /// The counted codings waiting for their passage, by passage id: each coding's fields from `taxonomy` to
    /// `matched`, as CSV, the middle of its row.
    private var pending: [String: [[UInt8]]] = [:]
    /// CSV rows not yet taken by `drain()`; the header is written first.
    private var buffer: [UInt8] = Array((CSV.byteOrderMark + header.joined(separator: ",") + "\r\n").utf8)
    public private(set) var rowCount = 0

    public init() {}

    public mutating func add(document: DocumentInfo, title: String) {
        documents[document.docID] = (document.source, title)
    }

    /// A coding that counts (after any review decision); its row is finished when its passage arrives.
    public mutating func add(counted coding: CodingRecord) {
        // The matches that count; all of them when a review decision accepted a flagged coding.
        let affirmed = coding.matches.filter(\.isAffirmed)
        let matched = Self.distinct((affirmed.isEmpty ? coding.matches : affirmed).map(\.text))
        var middle: [UInt8] = []
        CSV.append(
            fields: [
                coding.taxonomy, coding.theme, coding.subtheme ?? "", Self.flag(coding.negated),
                Self.flag(coding.hypothetical), Self.flag(coding.boilerplate), coding.passageID,
                coding.rules.joined(separator: "; "), matched.joined(separator: "; "),
            ], to: &middle)
        pending[coding.passageID, default: []].append(middle)
    }

    /// A passage: the rows of the counted codings waiting for it. The passage's fields are the same in each of
    /// them, and are written once.
    public mutating func add(passage: PassageRecord) {
        guard let codings = pending.removeValue(forKey: passage.passageID) else { return }
        let document = documents[passage.docID] ?? (passage.docID, "")
        var start: [UInt8] = []
        CSV.append(
            fields: [document.source, document.title, String(passage.page), passage.pageLabel ?? ""], to: &start)
        start.append(CSV.comma)
        var end = [CSV.comma]
        CSV.append(field: passage.text, to: &end)
        end += CSV.lineEnd
        for middle in codings {
            buffer += start
            buffer += middle
            buffer += end
            rowCount += 1
        }
    }

    /// The bytes written since the last call (the first call starts with the byte-order mark and header).
    public mutating func drain() -> Data {
        defer { buffer.removeAll(keepingCapacity: true) }
        return Data(buffer)
    }

    static func flag(_ value: Bool) -> String { value ? "true" : "false" }

    /// Match texts without repeats, in first-seen order (case kept as written). A coding usually has a few matches,
    /// so they are compared one by one rather than hashed.
    static func distinct(_ texts: [String]) -> [String] {
        var seen: [String] = []
        return texts.filter { text in
            let key = text.lowercased()
            guard !seen.contains(key) else { return false }
            seen.append(key)
            return true
        }
    }
}
