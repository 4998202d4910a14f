import Foundation

/// A research team's review decisions on codings, applied before counting.
///
/// A decisions file is CSV with the columns `passage_id`, `theme`,
/// `decision`, `reviewer`, `note` and `text_sha256`:
/// - `theme` is `theme`, `theme/subtheme` or `taxonomy/theme[/subtheme]`;
/// - `accept` makes the passage's codings of that theme count even when they
///   were flagged negated, hypothetical or boilerplate; `reject` removes them;
///   `add` codes the passage for the theme when the rules did not;
/// - `text_sha256` is the SHA-256 of the passage text the reviewer saw
///   (`sightline show` prints it). A decision whose passage is gone, or whose
///   text changed after a re-extraction, is stale: reported, never applied.
///   One without a hash is applied and reported with the hash to add.
public struct DecisionSet: Sendable {
    public enum Kind: String, Sendable { case accept, reject, add }

    public enum Status: String, Sendable {
        case applied
        /// Applied, but the file gives no text hash, so a later change would go unnoticed.
        case appliedUnpinned = "applied_unpinned"
        case textChanged = "stale_text_changed"
        case passageNotFound = "stale_passage_not_found"
        /// `accept` or `reject` of a theme the passage is not coded for; `add` of one it already is.
        case nothingToDo = "nothing_to_do"
    }

    public struct Decision: Sendable {
        public var line: Int
        public var passageID: String
        public var taxonomy: String
        public var theme: String
        public var subtheme: String?
        public var kind: Kind
        public var reviewer: String
        public var note: String
        public var textSHA256: String?
        /// The passage's current text hash, once its passage was seen.
        public var currentSHA256: String?
        /// Whether a coding it applies to was seen.
        var matched = false

        public var status: Status {
            guard let current = currentSHA256 else { return .passageNotFound }
            if let pinned = textSHA256, pinned != current { return .textChanged }
            if !matched { return .nothingToDo }
            return textSHA256 == nil ? .appliedUnpinned : .applied
        }

        var isLive: Bool {
            guard let current = currentSHA256 else { return false }
            return textSHA256 == nil || textSHA256 == current
        }

        /// Whether the decision names this coding's theme (a theme decision covers its sub-themes).
        func covers(_ coding: CodingRecord) -> Bool {
            coding.taxonomy == taxonomy && coding.theme == theme && (subtheme == nil || coding.subtheme == subtheme)
        }
    }

    public struct Problem: Error, CustomStringConvertible, Sendable {
        public var file: String
        public var line: Int?
        public var problem: String
        public var description: String { line.map { "\(file):\($0): \(problem)" } ?? "\(file): \(problem)" }
        public init(file: String, line: Int?, problem: String) {
            self.file = file
            self.line = line
            self.problem = problem
        }
    }

    public private(set) var decisions: [Decision]
    public let file: String
    private var byPassage: [String: [Int]] = [:]

    public init(decisions: [Decision], file: String) {
        self.decisions = decisions
        self.file = file
        for (i, decision) in decisions.enumerated() { byPassage[decision.passageID, default: []].append(i) }
    }

    public var isEmpty: Bool { decisions.isEmpty }

    /// Reads a decisions file, resolving theme names against the run's taxonomies; every problem names the line.
    public static func load(path: String, taxonomies: [TaxonomyRecord]) throws -> DecisionSet {
        guard FileManager.default.fileExists(atPath: path) else {
            throw Problem(file: path, line: nil, problem: "no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Problem(file: path, line: nil, problem: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Problem(file: path, line: nil, problem: "not UTF-8 text: save the decisions as CSV UTF-8")
        }
        let rows: [(line: Int, fields: [String])]
        do { rows = try CSV.parse(text) } catch let error as CSVError {
            throw Problem(file: path, line: error.line, problem: error.problem)
        }
        guard let header = rows.first else { throw Problem(file: path, line: 1, problem: "the file is empty") }
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ name: String) throws -> Int {
            guard let index = columns.firstIndex(of: name) else {
                throw Problem(
                    file: path, line: header.line,
                    problem: "no `\(name)` column (expected passage_id, theme, decision, reviewer, note, text_sha256)")
            }
            return index
        }
        let passage = try column("passage_id")
        let theme = try column("theme")
        let decision = try column("decision")
        let reviewer = columns.firstIndex(of: "reviewer")
        let note = columns.firstIndex(of: "note")
        let hash = columns.firstIndex(of: "text_sha256")
        var decisions: [Decision] = []
        var problems: [String] = []
        for row in rows.dropFirst() {
            guard row.fields.count == columns.count else {
                problems.append("line \(row.line): \(row.fields.count) fields where the header has \(columns.count)")
                continue
            }
            let field = { (index: Int?) in index.map { row.fields[$0].trimmingCharacters(in: .whitespaces) } ?? "" }
            guard let kind = Kind(rawValue: field(decision).lowercased()) else {
                problems.append("line \(row.line): decision ‘\(field(decision))’ is not accept, reject or add")
                continue
            }
            guard let (taxonomy, themeID, subthemeID) = resolve(field(theme), in: taxonomies) else {
                problems.append("line \(row.line): no theme ‘\(field(theme))’ in the run's taxonomies")
                continue
            }
            let pinned = field(hash).lowercased()
            guard pinned.isEmpty || (pinned.count == 64 && pinned.allSatisfy(\.isHexDigit)) else {
                problems.append("line \(row.line): text_sha256 ‘\(pinned)’ is not a SHA-256 (64 hex digits)")
                continue
            }
            guard !field(passage).isEmpty else {
                problems.append("line \(row.line): no passage_id")
                continue
            }
            decisions.append(
                Decision(
                    line: row.line, passageID: field(passage), taxonomy: taxonomy, theme: themeID, subtheme: subthemeID,
                    kind: kind, reviewer: field(reviewer), note: field(note), textSHA256: pinned.isEmpty ? nil : pinned)
            )
        }
        if !problems.isEmpty { throw Problem(file: path, line: nil, problem: problems.joined(separator: "; ")) }
        return DecisionSet(decisions: decisions, file: path)
    }

    /// `theme`, `theme/subtheme` or `taxonomy/theme[/subtheme]`, against the taxonomies.
    static func resolve(_ name: String, in taxonomies: [TaxonomyRecord]) -> (String, String, String?)? {
        let parts = name.split(separator: "/").map(String.init)
        var candidates: [(String, String, String?)] = []
        for taxonomy in taxonomies {
            var rest = parts[...]
            if rest.count > 1, rest.first == taxonomy.taxonomy { rest = rest.dropFirst() }
            guard let themeID = rest.first, let theme = taxonomy.themes.first(where: { $0.id == themeID }) else {
                continue
            }
            if rest.count == 1 { candidates.append((taxonomy.taxonomy, themeID, nil)) }
            if rest.count == 2, theme.subthemes.contains(where: { $0.id == rest.last }) {
                candidates.append((taxonomy.taxonomy, themeID, rest.last))
            }
        }
        return candidates.count == 1 ? candidates[0] : nil
    }

    /// Records a passage's current text; call before its codings are applied.
    public mutating func see(_ passage: PassageRecord) {
        guard let indexes = byPassage[passage.passageID] else { return }
        let current = SHA256.hex(of: Array(passage.text.utf8))
        for i in indexes { decisions[i].currentSHA256 = current }
    }

    /// Whether any decision names this passage (its codings then take the slow, whole-record path).
    public func touches(_ passageID: String) -> Bool { byPassage[passageID] != nil }

    /// The coding as decided: nil when rejected; made counted when accepted.
    public mutating func apply(to coding: CodingRecord) -> CodingRecord? {
        guard let indexes = byPassage[coding.passageID] else { return coding }
        var decided = coding
        for i in indexes where decisions[i].isLive && decisions[i].covers(coding) {
            switch decisions[i].kind {
            case .reject:
                decisions[i].matched = true
                return nil
            case .accept:
                decisions[i].matched = true
                decided.negated = false
                decided.hypothetical = false
                decided.boilerplate = false
                for m in decided.matches.indices {
                    decided.matches[m].negated = false
                    decided.matches[m].hypothetical = false
                }
            case .add:
                break // made by `additions(for:existing:)` once the passage's codings are known
            }
        }
        return decided
    }

    /// Codings that `add` decisions make for a passage, given the passage's codings as decided.
    public mutating func additions(for passage: PassageRecord, existing: [CodingRecord]) -> [CodingRecord] {
        guard let indexes = byPassage[passage.passageID] else { return [] }
        var made: [CodingRecord] = []
        for i in indexes where decisions[i].kind == .add && decisions[i].isLive {
            let decision = decisions[i]
            let present = existing.contains {
                $0.counts && $0.taxonomy == decision.taxonomy && $0.theme == decision.theme
                    && $0.subtheme == decision.subtheme
            }
            guard !present else { continue }
            decisions[i].matched = true
            made.append(
                CodingRecord(
                    passageID: passage.passageID, docID: passage.docID, page: passage.page,
                    pageLabel: passage.pageLabel,
                    taxonomy: decision.taxonomy, theme: decision.theme, subtheme: decision.subtheme,
                    rules: ["decision:add"], matches: [], negated: false, hypothetical: false, boilerplate: false))
        }
        return made
    }

    /// Decisions by status, and the reviewers of the applied ones, for the methods note.
    public var summary: String {
        let applied = decisions.filter { $0.status == .applied || $0.status == .appliedUnpinned }
        var text =
            "\(applied.count) of \(decisions.count) review \(decisions.count == 1 ? "decision" : "decisions") applied"
        let kinds = [Kind.accept, .reject, .add].map { kind in
            "\(applied.filter { $0.kind == kind }.count) \(kind.rawValue)"
        }
        text += " (" + kinds.joined(separator: ", ") + ")"
        let reviewers = Set(applied.map(\.reviewer).filter { !$0.isEmpty }).sorted()
        if !reviewers.isEmpty { text += " by " + reviewers.joined(separator: ", ") }
        let stale = decisions.filter { $0.status == .textChanged || $0.status == .passageNotFound }.count
        if stale > 0 { text += "; \(stale) stale (passage gone or its text changed), not applied" }
        return text
    }

    /// `tables/decisions.csv`: every decision with what became of it.
    public var reportCSV: String {
        let header = [
            "line", "passage_id", "taxonomy", "theme", "subtheme", "decision", "reviewer", "status", "text_sha256",
            "current_text_sha256", "note",
        ]
        let rows = decisions.map { d in
            [
                String(d.line), d.passageID, d.taxonomy, d.theme, d.subtheme ?? "", d.kind.rawValue, d.reviewer,
                d.status.rawValue, d.textSHA256 ?? "", d.currentSHA256 ?? "", d.note,
            ]
        }
        return CSV.document(header: header, rows: rows)
    }

    /// Messages for decisions that were not applied as written, each naming the file and line.
    public var warnings: [String] {
        decisions.compactMap { d in
            let at =
                "\(file):\(d.line): \(d.kind.rawValue) \(d.theme)\(d.subtheme.map { "/" + $0 } ?? "") on \(d.passageID)"
            switch d.status {
            case .applied: return nil
            case .appliedUnpinned:
                return "\(at): applied, but no text_sha256; add \(d.currentSHA256 ?? "") to notice a later change"
            case .textChanged: return "\(at): stale, the passage's text changed since the decision; not applied"
            case .passageNotFound: return "\(at): stale, no such passage in this run; not applied"
            case .nothingToDo:
                return d.kind == .add
                    ? "\(at): the passage is already coded for it; nothing added"
                    : "\(at): the passage has no coding of that theme; nothing to \(d.kind.rawValue)"
            }
        }
    }

    /// Whether some decision could not be applied because its passage is gone or changed.
    public var hasStale: Bool { decisions.contains { $0.status == .textChanged || $0.status == .passageNotFound } }
}
