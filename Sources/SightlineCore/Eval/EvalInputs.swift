import Foundation

/// A theme or sub-theme of a loaded coding frame.
public struct ThemeKey: Hashable, Sendable {
    public var taxonomy: String
    public var theme: String
    public var subtheme: String?

    public init(taxonomy: String, theme: String, subtheme: String? = nil) {
        self.taxonomy = taxonomy
        self.theme = theme
        self.subtheme = subtheme
    }

    /// `theme` or `theme/subtheme`, as hand-code files name them.
    public var path: String { subtheme.map { "\(theme)/\($0)" } ?? theme }
    /// The theme this sub-theme belongs to (itself for a theme).
    public var themeKey: ThemeKey { ThemeKey(taxonomy: taxonomy, theme: theme) }
}

/// The themes and sub-themes of the coding frames in `codings.jsonl`'s header,
/// in frame order (each theme followed by its sub-themes), and the names
/// people use for them.
public struct ThemeCatalog: Sendable {
    public let taxonomies: [TaxonomyRecord]
    public let keys: [ThemeKey]
    private let index: [ThemeKey: Int]

    public init(taxonomies: [TaxonomyRecord]) {
        self.taxonomies = taxonomies
        var keys: [ThemeKey] = []
        for taxonomy in taxonomies {
            for theme in taxonomy.themes {
                keys.append(ThemeKey(taxonomy: taxonomy.taxonomy, theme: theme.id))
                for sub in theme.subthemes {
                    keys.append(ThemeKey(taxonomy: taxonomy.taxonomy, theme: theme.id, subtheme: sub.id))
                }
            }
        }
        self.keys = keys
        index = Dictionary(keys.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
    }

    public func row(of key: ThemeKey) -> Int? { index[key] }

    /// The key a hand coder's label names: `theme`, `theme/subtheme`,
    /// `taxonomy/theme` or `taxonomy/theme/subtheme` (ids, as in the
    /// taxonomy files). A bare sub-theme id is accepted when only one theme
    /// has it. Returns the problem when the label names none, or more than one.
    public func resolve(_ label: String) -> Result<ThemeKey, InputProblemText> {
        let parts = label.split(separator: "/", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var found: [ThemeKey] = []
        func add(_ key: ThemeKey) { if index[key] != nil && !found.contains(key) { found.append(key) } }
        switch parts.count {
        case 1:
            for taxonomy in taxonomies { add(ThemeKey(taxonomy: taxonomy.taxonomy, theme: parts[0])) }
            if found.isEmpty {
                for key in keys where key.subtheme == parts[0] { add(key) }
            }
        case 2:
            for taxonomy in taxonomies {
                add(ThemeKey(taxonomy: taxonomy.taxonomy, theme: parts[0], subtheme: parts[1]))
                if taxonomy.taxonomy == parts[0] { add(ThemeKey(taxonomy: parts[0], theme: parts[1])) }
            }
        case 3:
            add(ThemeKey(taxonomy: parts[0], theme: parts[1], subtheme: parts[2]))
        default:
            break
        }
        if found.count == 1 { return .success(found[0]) }
        if found.count > 1 {
            let names = found.map { "\($0.taxonomy)/\($0.path)" }.joined(separator: ", ")
            return .failure(
                InputProblemText("theme ‘\(label)’ is ambiguous (\(names)): write taxonomy/theme/subtheme"))
        }
        let known = taxonomies.map(\.taxonomy).joined(separator: ", ")
        return .failure(
            InputProblemText(
                "unknown theme ‘\(label)’: not a theme or theme/subtheme of the coding frames in codings.jsonl "
                    + "(\(known))"
            ))
    }
}

/// The text of a problem, before it is given a file and line.
public struct InputProblemText: Error, Sendable, Equatable {
    public var text: String
    public init(_ text: String) { self.text = text }
}

/// A run folder's files, read for evaluation and inspection. Only the
/// documents asked for are kept in memory.
public enum RunFolder {
    public static let files = ["documents.jsonl", "passages.jsonl", "codings.jsonl"]

    /// Throws a message naming the first missing file and the command that writes it.
    public static func requireFiles(in folder: String) throws {
        for name in files where !FileManager.default.fileExists(atPath: folder + "/" + name) {
            let writer =
                name == "documents.jsonl"
                ? "sightline run FOLDERS --out \(folder)` (or `sightline extract`)"
                : "sightline tag --in \(folder)` (or `sightline run FOLDERS --out \(folder)`)"
            throw RunFolderError(message: "\(folder)/\(name) not found: run `\(writer) first")
        }
    }

    /// The documents that were read (error, duplicate and skipped records are left out), in input order.
    public static func documents(in folder: String) throws -> [DocumentInfo] {
        var documents: [DocumentInfo] = []
        try JSONLinesReader(path: folder + "/documents.jsonl").forEach(DocumentsLine.self) { line, _ in
            if case .document(let record) = line {
                documents.append(DocumentInfo(docID: record.docID, source: record.source, title: record.title))
            }
        }
        return documents
    }

    /// The passages of the documents in `docIDs` (all when nil), grouped by document, in file order.
    public static func passages(in folder: String, of docIDs: Set<String>?) throws -> [String: [PassageRecord]] {
        var out: [String: [PassageRecord]] = [:]
        try JSONLinesReader(path: folder + "/passages.jsonl").forEach(PassagesLine.self) { line, _ in
            let passage = line.passage
            if let docIDs, !docIDs.contains(passage.docID) { return }
            out[passage.docID, default: []].append(passage)
        }
        return out
    }

    /// The taxonomy header records and the codings of the documents in `docIDs` (all when nil), in file order.
    public static func codings(
        in folder: String, of docIDs: Set<String>?
    ) throws -> (taxonomies: [TaxonomyRecord], codings: [CodingRecord]) {
        var taxonomies: [TaxonomyRecord] = []
        var codings: [CodingRecord] = []
        var inHeader = true
        try JSONLinesReader(path: folder + "/codings.jsonl").forEach(CodingsLine.self) { line, _ in
            switch line {
            case .taxonomy(let record):
                guard inHeader else { throw Wire.Problem.taxonomyAfterCodings }
                taxonomies.append(record)
            case .coding(let coding):
                inHeader = false
                if let docIDs, !docIDs.contains(coding.docID) { return }
                codings.append(coding)
            }
        }
        return (taxonomies, codings)
    }
}

/// A run folder that cannot be used, with what to do about it.
public struct RunFolderError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
    public init(message: String) { self.message = message }
}

/// The machine's codes as agreement sees them.
public struct MachineCodes: Sendable {
    public var taxonomies: [TaxonomyRecord]
    /// Every coding of the documents read, counted or not (for explaining disagreements).
    public var codings: [CodingRecord]
    /// By passage id: the themes and sub-themes the machine counts for it.
    public var counted: [String: Set<ThemeKey>]

    /// Loads the machine's codes for the documents `docIDs` from `folder/codings.jsonl`.
    ///
    /// The one place that decides which codings are the machine's answer:
    /// those that count as evidence (`CodingRecord.counts`: neither negated,
    /// hypothetical nor boilerplate). A coding for a sub-theme is also a code
    /// for its theme. Review decisions (`decisions`, resolved against the
    /// run's taxonomies by `decisionsFile`) are applied first, as `aggregate`
    /// applies them, so that every comparison sees the decided codes.
    public static func load(
        folder: String, docIDs: Set<String>?, decisionsFile: String? = nil
    ) throws -> (codes: MachineCodes, decisions: DecisionSet?) {
        try load(
            folder: folder, docIDs: docIDs,
            decisions: decisionsFile.map { path in
                { taxonomies, _ in try DecisionSet.load(path: path, taxonomies: taxonomies) }
            })
    }

    /// As `load(folder:docIDs:decisionsFile:)`, with the decisions made by
    /// `decisions` from the run's taxonomies and the codings as the rules made them.
    public static func load(
        folder: String, docIDs: Set<String>?,
        decisions loader: ((_ taxonomies: [TaxonomyRecord], _ codings: [CodingRecord]) throws -> DecisionSet)?
    ) throws -> (codes: MachineCodes, decisions: DecisionSet?) {
        var (taxonomies, codings) = try RunFolder.codings(in: folder, of: docIDs)
        var decisions: DecisionSet? = nil
        if let loader {
            var set = try loader(taxonomies, codings)
            let decided = try RunFolder.passages(in: folder, of: docIDs).values.joined().filter {
                set.touches($0.passageID)
            }
            for passage in decided { set.see(passage) }
            codings = codings.compactMap { set.apply(to: $0) }
            var existing: [String: [CodingRecord]] = [:]
            for coding in codings where set.touches(coding.passageID) {
                existing[coding.passageID, default: []].append(coding)
            }
            for passage in decided {
                codings += set.additions(for: passage, existing: existing[passage.passageID] ?? [])
            }
            decisions = set
        }
        return (codes(taxonomies: taxonomies, codings: codings), decisions)
    }

    public static func codes(taxonomies: [TaxonomyRecord], codings: [CodingRecord]) -> MachineCodes {
        var counted: [String: Set<ThemeKey>] = [:]
        for coding in codings where coding.counts {
            let key = ThemeKey(taxonomy: coding.taxonomy, theme: coding.theme, subtheme: coding.subtheme)
            counted[coding.passageID, default: []].insert(key)
            counted[coding.passageID, default: []].insert(key.themeKey)
        }
        return MachineCodes(taxonomies: taxonomies, codings: codings, counted: counted)
    }
}
