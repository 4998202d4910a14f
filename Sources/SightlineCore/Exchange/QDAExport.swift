import Foundation

/// A document's plain text as Sightline exports it to QDA programs, and
/// where each passage lies in it.
///
/// The text is the document's passages in `passages.jsonl` order: the
/// passages of one block joined by a single space (a long paragraph reads as
/// one paragraph again), blocks separated by a blank line (two line feeds).
/// Every passage is therefore an exact substring, and a coding of a passage is
/// the character range of that substring. Positions are Unicode scalars, as
/// REFI-QDA counts them and as Sightline's match offsets are counted.
public struct DocumentText: Sendable {
    public let text: String
    /// Per passage (in the order given): its start and end (exclusive) in `text`.
    public let ranges: [Range<Int>]
    /// Scalars in `text`.
    public let length: Int

    public init(passages: [PassageRecord]) {
        var out = ""
        var ranges: [Range<Int>] = []
        var position = 0
        var previousBlock: Int? = nil
        for passage in passages {
            if let previous = previousBlock {
                let separator = previous == passage.blockIndex ? " " : "\n\n"
                out += separator
                position += separator.unicodeScalars.count
            }
            let count = passage.text.unicodeScalars.count
            out += passage.text
            ranges.append(position..<(position + count))
            position += count
            previousBlock = passage.blockIndex
        }
        text = out
        self.ranges = ranges
        length = position
    }

    /// Indices of the passages a range of characters overlaps.
    public func passages(overlapping range: Range<Int>) -> [Int] {
        guard !range.isEmpty else { return [] }
        // Passages are in order: binary search for the first that ends after the range starts.
        var low = 0
        var high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            if ranges[mid].upperBound <= range.lowerBound { low = mid + 1 } else { high = mid }
        }
        var out: [Int] = []
        var i = low
        while i < ranges.count && ranges[i].lowerBound < range.upperBound {
            if ranges[i].overlaps(range) { out.append(i) }
            i += 1
        }
        return out
    }
}

/// How Sightline's run folder becomes a REFI-QDA project: the mapping is
/// described in `docs/refi-qda.md`.
public enum QDAExport {
    /// The code under which codings Sightline does not count are filed.
    public static let notCountedName = "Not counted by Sightline"
    public static let userName = "Sightline"

    public static func codeGUID(_ key: ThemeKey) -> String { QDAGUID.make("code", "\(key.taxonomy)/\(key.path)") }
    static func taxonomyGUID(_ id: String) -> String { QDAGUID.make("taxonomy", id) }
    static var userGUID: String { QDAGUID.make("user", userName) }

    /// The coding frames as codes: one not-codable code per taxonomy, its
    /// themes as codes under it and their sub-themes under them, each with its
    /// description and Sightline id. `subthemeDescriptions` come from the
    /// taxonomy files, when they are the ones the run used.
    public static func codebook(
        _ taxonomies: [TaxonomyRecord], subthemeDescriptions: [ThemeKey: String] = [:]
    ) -> [QDAProject.Code] {
        taxonomies.map { taxonomy in
            let themes = taxonomy.themes.map { theme -> QDAProject.Code in
                let key = ThemeKey(taxonomy: taxonomy.taxonomy, theme: theme.id)
                let subthemes = theme.subthemes.map { sub -> QDAProject.Code in
                    let subKey = ThemeKey(taxonomy: taxonomy.taxonomy, theme: theme.id, subtheme: sub.id)
                    var text = subthemeDescriptions[subKey].map { clean($0) + "\n\n" } ?? ""
                    text += "Sub-theme of ‘\(theme.name)’. Sightline id: \(taxonomy.taxonomy)/\(subKey.path)"
                    return QDAProject.Code(guid: codeGUID(subKey), name: sub.name, isCodable: true, description: text)
                }
                let text = clean(theme.description) + "\n\nSightline id: \(taxonomy.taxonomy)/\(theme.id)"
                return QDAProject.Code(
                    guid: codeGUID(key), name: theme.name, isCodable: true, description: text, children: subthemes)
            }
            let text =
                "Sightline coding frame ‘\(taxonomy.taxonomy)’ version \(taxonomy.version) "
                + "(SHA-256 \(taxonomy.sha256))"
            return QDAProject.Code(
                guid: taxonomyGUID(taxonomy.taxonomy), name: taxonomy.name, isCodable: false, description: text,
                children: themes)
        }
    }

    private static func clean(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// Why a coding is not counted, in the order a coding is filed by.
    enum Flag: String, CaseIterable {
        case negated, hypothetical, boilerplate
    }

    static func flag(of coding: CodingRecord) -> Flag? {
        if coding.negated { return .negated }
        if coding.hypothetical { return .hypothetical }
        if coding.boilerplate { return .boilerplate }
        return nil
    }

    /// The project for a run: a text source per document (text in
    /// `sources/GUID.txt`), manifest columns as text variables, the codebook,
    /// and per coded passage a selection with a coding per (decided) coding
    /// record, each with a note naming its rules and matches. Codings that do
    /// not count go to codes under `notCountedName`, one per theme or
    /// sub-theme and reason, made only when used.
    public static func project(
        name: String, documents: [DocumentInfo], manifestColumns: [String], passages: [String: [PassageRecord]],
        taxonomies: [TaxonomyRecord], codings: [CodingRecord], subthemeDescriptions: [ThemeKey: String] = [:]
    ) -> (project: QDAProject, texts: [(path: String, text: String)]) {
        var project = QDAProject(name: name, origin: "Sightline \(SightlineVersion.current)")
        let user = QDAProject.User(guid: userGUID, name: userName)
        project.users = [user]
        let catalog = ThemeCatalog(taxonomies: taxonomies)
        var names: [ThemeKey: String] = [:]
        for taxonomy in taxonomies {
            for theme in taxonomy.themes {
                names[ThemeKey(taxonomy: taxonomy.taxonomy, theme: theme.id)] = theme.name
                for sub in theme.subthemes {
                    names[ThemeKey(taxonomy: taxonomy.taxonomy, theme: theme.id, subtheme: sub.id)] =
                        "\(theme.name) / \(sub.name)"
                }
            }
        }
        project.variables = manifestColumns.map { .init(guid: QDAGUID.make("variable", $0), name: $0) }
        var byPassage: [String: [CodingRecord]] = [:]
        for coding in codings { byPassage[coding.passageID, default: []].append(coding) }
        var usedNotCounted = Set<String>()
        var texts: [(path: String, text: String)] = []
        for document in documents {
            let docPassages = passages[document.docID] ?? []
            let text = DocumentText(passages: docPassages)
            let guid = QDAGUID.make("source", document.docID)
            let fileName = String(document.source.split(separator: "/").last ?? Substring(document.source))
            var source = QDAProject.Source(
                kind: .text, guid: guid, name: fileName, plainTextPath: "internal://\(guid).txt")
            for (i, passage) in docPassages.enumerated() {
                guard let records = byPassage[passage.passageID], !records.isEmpty else { continue }
                var selection = QDAProject.Selection(
                    guid: QDAGUID.make("selection", passage.passageID), name: passage.passageID,
                    start: text.ranges[i].lowerBound, end: text.ranges[i].upperBound, userGUID: user.guid,
                    codings: [])
                for record in records {
                    let key = ThemeKey(taxonomy: record.taxonomy, theme: record.theme, subtheme: record.subtheme)
                    guard catalog.row(of: key) != nil else { continue }
                    let flag = flag(of: record)
                    let label = "\(record.taxonomy)/\(key.path)" + (flag.map { ":" + $0.rawValue } ?? "")
                    let codeGUID =
                        flag.map { QDAGUID.make("not-counted", "\(record.taxonomy)/\(key.path):\($0)") }
                        ?? Self.codeGUID(key)
                    if flag != nil { usedNotCounted.insert(label) }
                    let id = "\(passage.passageID)|\(label)"
                    let note = QDAProject.Note(
                        guid: QDAGUID.make("note", id), name: "Sightline: \(passage.passageID) \(label)",
                        text: noteText(record, flag: flag, key: key))
                    project.notes.append(note)
                    selection.codings.append(
                        .init(
                            guid: QDAGUID.make("coding", id), codeGUID: codeGUID, userGUID: user.guid,
                            noteGUID: note.guid))
                }
                if !selection.codings.isEmpty { source.selections.append(selection) }
            }
            for column in manifestColumns {
                if let value = document.metadata[column], !value.isEmpty {
                    source.values.append((QDAGUID.make("variable", column), value))
                }
            }
            texts.append(("sources/\(guid).txt", text.text))
            project.sources.append(source)
        }
        project.codes = codebook(taxonomies, subthemeDescriptions: subthemeDescriptions)
        var notCounted: [QDAProject.Code] = []
        for key in catalog.keys {
            for flag in Flag.allCases where usedNotCounted.contains("\(key.taxonomy)/\(key.path):\(flag.rawValue)") {
                notCounted.append(
                    .init(
                        guid: QDAGUID.make("not-counted", "\(key.taxonomy)/\(key.path):\(flag.rawValue)"),
                        name: "\(names[key] ?? key.path): \(flag.rawValue)", isCodable: true,
                        description: "Passages Sightline coded for ‘\(names[key] ?? key.path)’ whose mentions are "
                            + "\(flag.rawValue), so not counted as evidence. "
                            + "Sightline id: \(key.taxonomy)/\(key.path)"))
            }
        }
        if !notCounted.isEmpty {
            project.codes.append(
                .init(
                    guid: QDAGUID.make("not-counted", "parent"), name: notCountedName, isCodable: false,
                    description: "Mentions Sightline found but does not count: negated (\"no evidence of …\"), "
                        + "hypothetical (\"should consider …\", or under a recommendations heading) or in "
                        + "boilerplate (contents, glossary, methodology). Shown so that a reviewer can see them; "
                        + "not read back as codes.",
                    children: notCounted))
        }
        return (project, texts)
    }

    static func noteText(_ coding: CodingRecord, flag: Flag?, key: ThemeKey) -> String {
        var text = "Sightline coded \(coding.taxonomy)/\(key.path)"
        text += flag.map { " (not counted: \($0.rawValue))" } ?? " (counted)"
        text += ". Rules: " + (coding.rules.isEmpty ? "none" : coding.rules.joined(separator: ", ")) + "."
        if !coding.matches.isEmpty {
            let matches = coding.matches.map { match -> String in
                var words = "‘\(match.text)’ (\(match.rule)"
                if match.negated { words += ", negated" }
                if match.hypothetical { words += ", hypothetical" }
                return words + ")"
            }
            text += " Matched: " + matches.joined(separator: "; ") + "."
        }
        return text
    }
}
