import Foundation

/// When a document *features* a theme, as against merely mentioning it.
///
/// A long review mentions almost every practice theme somewhere, so "any
/// coded passage" makes every theme feature in nearly every review. The call
/// weighs the evidence in the document instead: a theme features when enough
/// of the document's substantive passages (those outside contents, glossary,
/// methodology and other boilerplate sections) carry counted evidence for it,
/// and that evidence is not confined to one page.
///
/// A taxonomy states its rule under `document_call:`; the command line can
/// override any part of it (`--min-share`, `--min-passages`,
/// `--min-pages`); `standard` applies where neither says anything.
public struct DocumentCallRule: Codable, Sendable, Equatable {
    /// Counted passages the document needs at least.
    public var minPassages: Int
    /// Share of the document's substantive passages, 0...1, that must be counted evidence.
    public var minShare: Double
    /// Distinct pages the counted passages must start on.
    public var minPages: Int

    public init(minPassages: Int, minShare: Double, minPages: Int) {
        self.minPassages = minPassages
        self.minShare = minShare
        self.minPages = minPages
    }

    /// Calibrated on the calibration half of the labelled Ofsted reports (see docs/validation.md).
    public static let standard = DocumentCallRule(minPassages: 2, minShare: 0.01, minPages: 1)

    enum CodingKeys: String, CodingKey {
        case minPassages = "min_passages"
        case minShare = "min_share"
        case minPages = "min_pages"
    }

    /// Parts of a rule given on the command line; nil keeps the taxonomy's value.
    public struct Override: Sendable, Equatable {
        public var minPassages: Int?
        public var minShare: Double?
        public var minPages: Int?

        public init(minPassages: Int? = nil, minShare: Double? = nil, minPages: Int? = nil) {
            self.minPassages = minPassages
            self.minShare = minShare
            self.minPages = minPages
        }

        public static let none = Override()
    }

    /// This rule with the overridden parts replaced.
    public func overridden(by override: Override) -> DocumentCallRule {
        DocumentCallRule(
            minPassages: override.minPassages ?? minPassages, minShare: override.minShare ?? minShare,
            minPages: override.minPages ?? minPages)
    }

    /// The evidence one document holds for one theme or sub-theme.
    public struct Evidence: Sendable, Equatable {
        /// Substantive passages of the document (not boilerplate).
        public var passages: Int
        /// Of those, the passages with counted evidence for the theme.
        public var coded: Int
        /// Distinct pages the coded passages start on.
        public var pages: Int
        /// The document's printed pages (0: not known); nil for a format without printed pages (HTML, DOCX,
        /// text…), whose "pages" are page breaks at best and say nothing of how widely the evidence runs.
        public var documentPages: Int?

        public init(passages: Int, coded: Int, pages: Int, documentPages: Int? = 0) {
            self.passages = passages
            self.coded = coded
            self.pages = pages
            self.documentPages = documentPages
        }

        /// The pages a rule asking for `minPages` can ask of this document: no more than it has, and none
        /// of a document without printed pages.
        func pageFloor(_ minPages: Int) -> Int {
            guard let documentPages else { return 1 }
            return documentPages > 0 ? min(minPages, documentPages) : minPages
        }

        /// coded / passages; nil for a document without substantive passages.
        public var share: Double? { passages > 0 ? min(1, Double(coded) / Double(passages)) : nil }
    }

    /// The call and the reason for it, in words a reader of the table can check. `themeOwn`: the rule is
    /// the theme's own (`document_call:` on the theme), which the reason then says, with its thresholds.
    public func call(_ evidence: Evidence, themeOwn: Bool = false) -> (features: Bool, reason: String) {
        let (features, reason) = plainCall(evidence)
        guard themeOwn, evidence.coded > 0 else { return (features, reason) }
        return (features, reason + "; theme's own rule: " + compact)
    }

    private func plainCall(_ evidence: Evidence) -> (features: Bool, reason: String) {
        guard evidence.coded > 0 else { return (false, "no counted evidence") }
        let share = evidence.share ?? 0
        let measured =
            "\(evidence.coded) of \(evidence.passages) passages (\(Self.percent(share))) on "
            + (evidence.pages == 1 ? "1 page" : "\(evidence.pages) pages")
        var missing: [String] = []
        if evidence.coded < minPassages { missing.append("fewer than \(minPassages) passages") }
        if share < minShare { missing.append("under \(Self.percent(minShare)) of passages") }
        let floor = evidence.pageFloor(minPages)
        if evidence.pages < floor { missing.append("fewer than \(floor) pages") }
        let waived =
            floor >= minPages
            ? ""
            : evidence.documentPages == nil
                ? "; no page floor (no printed pages)"
                : "; the document has only \(floor) \(floor == 1 ? "page" : "pages")"
        if missing.isEmpty { return (true, measured + waived) }
        return (false, "mentioned only: " + measured + "; " + missing.joined(separator: ", ") + waived)
    }

    /// The rule in words, for methods notes.
    public var summary: String {
        var parts = ["at least \(minPassages) \(minPassages == 1 ? "passage" : "passages") of counted evidence"]
        if minShare > 0 { parts.append("at least \(Self.percent(minShare)) of its substantive passages") }
        if minPages > 1 { parts.append("on at least \(minPages) different pages (of a document with printed pages)") }
        return parts.joined(separator: ", ")
    }

    /// The thresholds in a few words, for the reason column: "3 passages, 4.0%, 1 page".
    public var compact: String {
        "\(minPassages) \(minPassages == 1 ? "passage" : "passages"), \(Self.percent(minShare)), "
            + "\(minPages) \(minPages == 1 ? "page" : "pages")"
    }

    static func percent(_ share: Double) -> String {
        Printf.fixed(share * 100, places: 1) + "%"
    }
}

extension DocumentCallRule {
    /// A share as written by a person: `0.05`, `5%` or `5 %`; nil when it is not a share from 0 to 1.
    public static func parseShare(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let value: Double?
        if trimmed.hasSuffix("%") {
            value = Double(trimmed.dropLast().trimmingCharacters(in: .whitespaces)).map { $0 / 100 }
        } else {
            value = Double(trimmed)
        }
        guard let value, value.isFinite, value >= 0, value <= 1 else { return nil }
        return value
    }
}
