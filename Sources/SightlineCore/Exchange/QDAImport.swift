import Foundation

/// A mapping from a QDA program's code names to Sightline's themes, for
/// codebooks whose names differ: CSV with the columns `code` (a code's name,
/// or its path of names joined by `/`, as `Parent/Child`) and `theme`
/// (`theme`, `theme/subtheme` or `taxonomy/theme/subtheme`; empty to leave
/// the code out on purpose).
public struct QDACodeMap: Sendable {
    public var entries: [String: (theme: String, line: Int)] = [:]
    public var file: String

    public init(file: String) { self.file = file }

    public static func load(path: String) throws -> QDACodeMap {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else { throw RunFolderError(message: "\(path): cannot read the code map (a UTF-8 CSV with code, theme)") }
        let rows: [(line: Int, fields: [String])]
        do { rows = try CSV.parse(text) } catch let error as CSVError {
            throw RunFolderError(message: "\(path):\(error.line): \(error.problem)")
        }
        guard let header = rows.first else { throw RunFolderError(message: "\(path): the code map is empty") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let code = names.firstIndex(of: "code"), let theme = names.firstIndex(of: "theme") else {
            throw RunFolderError(message: "\(path):\(header.line): the header needs the columns code and theme")
        }
        var map = QDACodeMap(file: path)
        for row in rows.dropFirst() {
            guard row.fields.count == names.count else {
                throw RunFolderError(
                    message: "\(path):\(row.line): \(row.fields.count) fields where the header has \(names.count)")
            }
            map.entries[QDAImport.normalized(row.fields[code])] = (
                row.fields[theme].trimmingCharacters(in: .whitespaces), row.line
            )
        }
        return map
    }
}

/// Codes from a REFI-QDA project, as hand codes for `eval` or as review
/// decisions: sources matched to the run's documents (`QDASourceMatcher`),
/// codes to themes (by the code map, else by name: a theme's or sub-theme's
/// id or name, with the codes above it choosing between themes of the same
/// name), and selections to passages.
public struct QDAImport {
    public let project: QDAProject
    public let file: String
    public let catalog: ThemeCatalog
    public let codeMap: QDACodeMap?

    public init(project: QDAProject, file: String, catalog: ThemeCatalog, codeMap: QDACodeMap?) {
        self.project = project
        self.file = file
        self.catalog = catalog
        self.codeMap = codeMap
    }

    /// Lower case, quotes straightened, runs of spaces, hyphens and underscores as one space.
    static func normalized(_ name: String) -> String {
        var out = ""
        var pendingSpace = false
        for scalar in name.lowercased().unicodeScalars {
            if scalar == " " || scalar == "-" || scalar == "_" || scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.unicodeScalars.append(" ")
                pendingSpace = false
            }
            out.unicodeScalars.append(scalar == "’" || scalar == "‘" ? "'" : scalar)
        }
        return out
    }

    /// What a code stands for.
    public enum Resolution: Sendable, Equatable {
        case theme(ThemeKey)
        /// Left out on purpose: Sightline's own not-counted codes, or a code mapped to nothing.
        case ignored(String)
        case unknown(String)
    }

    /// Every code's resolution, by GUID.
    public func resolveCodes() -> [String: Resolution] {
        var out: [String: Resolution] = [:]
        for (code, ancestors) in project.flattenedCodes {
            out[code.guid] = resolve(code, ancestors: ancestors)
        }
        return out
    }

    func resolve(_ code: QDAProject.Code, ancestors: [String]) -> Resolution {
        if let map = codeMap {
            let path = (ancestors + [code.name]).joined(separator: "/")
            if let entry = map.entries[Self.normalized(path)] ?? map.entries[Self.normalized(code.name)] {
                if entry.theme.isEmpty { return .ignored("mapped to nothing by \(map.file):\(entry.line)") }
                switch catalog.resolve(entry.theme) {
                case .success(let key): return .theme(key)
                case .failure(let problem): return .unknown("\(map.file):\(entry.line): \(problem.text)")
                }
            }
        }
        if ancestors.first == QDAExport.notCountedName {
            return .ignored("Sightline's record of mentions it does not count")
        }
        if case .success(let key) = catalog.resolve(code.name) { return .theme(key) }
        let name = Self.normalized(code.name)
        let near = ancestors.map(Self.normalized)
        var found: [(key: ThemeKey, context: Int)] = []
        for taxonomy in catalog.taxonomies {
            let inFrame =
                near.contains(Self.normalized(taxonomy.name)) || near.contains(Self.normalized(taxonomy.taxonomy))
            for theme in taxonomy.themes {
                let themeNames = [Self.normalized(theme.id), Self.normalized(theme.name)]
                if themeNames.contains(name) {
                    found.append((ThemeKey(taxonomy: taxonomy.taxonomy, theme: theme.id), inFrame ? 1 : 0))
                }
                let underTheme = near.last.map { themeNames.contains($0) } ?? false
                for sub in theme.subthemes where [Self.normalized(sub.id), Self.normalized(sub.name)].contains(name) {
                    let key = ThemeKey(taxonomy: taxonomy.taxonomy, theme: theme.id, subtheme: sub.id)
                    found.append((key, (underTheme ? 2 : 0) + (inFrame ? 1 : 0)))
                }
            }
        }
        let best = found.map(\.context).max() ?? 0
        let chosen = found.filter { $0.context == best }
        if chosen.count == 1 { return .theme(chosen[0].key) }
        let path = (ancestors + [code.name]).joined(separator: "/")
        if chosen.isEmpty {
            return .unknown(
                "code ‘\(path)’ is not a theme or sub-theme of the run's coding frames by id or name: "
                    + "map it to one (or to nothing) with --code-map")
        }
        let names = chosen.map { "\($0.key.taxonomy)/\($0.key.path)" }.joined(separator: ", ")
        return .unknown("code ‘\(path)’ could be any of \(names): choose with --code-map")
    }

    /// The coded passages, per coder: what `eval` compares. Also lists
    /// what could not be used (each a problem: exit status 1) and what was
    /// left out on purpose (warnings).
    public func humanCodes(matcher: inout QDASourceMatcher) -> (codes: HumanCodes, matched: [String]) {
        var out = HumanCodes()
        var matchedNotes: [String] = []
        let resolutions = resolveCodes()
        let users = Dictionary(project.users.map { ($0.guid, $0.name) }, uniquingKeysWith: { a, _ in a })
        var reportedCodes = Set<String>()
        var ignoredCounts: [String: Int] = [:]
        var named = Set<Int>()
        var coders = Set<String>()
        func problem(_ line: Int, _ text: String) {
            out.problems.append(InputProblem(file: file, line: line, problem: text))
        }
        for source in project.sources {
            let everyCoding =
                source.selections.flatMap(\.codings) + source.codings
                + source.coordinateSelections.flatMap(\.codings)
            guard source.kind != .other else {
                if !everyCoding.isEmpty {
                    problem(
                        source.line,
                        "\(source.element) ‘\(source.name)’ (\(everyCoding.count) codings): "
                            + "only text and PDF sources with a text representation can be compared")
                }
                continue
            }
            guard source.text != nil else { continue } // reported by the reader
            guard let match = matcher.match(source) else {
                problem(
                    source.line,
                    "source ‘\(source.name)’ matches no document of the run (not by its text, "
                        + "its name or its content): add the document to the run, or leave it out of the project")
                continue
            }
            let document = matcher.documents[match.document]
            matchedNotes.append("\(source.name) → \(document.source) (\(match.how.rawValue))")
            named.insert(match.document)
            for selection in source.coordinateSelections {
                problem(
                    selection.line,
                    "\(selection.name ?? "selection") \(selection.guid) in ‘\(source.name)’ is "
                        + "by page coordinates (page \(selection.start)), which has no place in the text: "
                        + "code a text selection instead")
            }
            if !source.codings.isEmpty {
                problem(
                    source.line,
                    "source ‘\(source.name)’ has \(source.codings.count) codings of the whole "
                        + "source: Sightline compares passages, so code text selections instead")
            }
            let docPassages = matcher.passages[document.docID] ?? []
            let length = source.text?.unicodeScalars.count ?? 0
            for selection in source.selections {
                guard selection.start >= 0, selection.start <= selection.end, selection.end <= length else {
                    continue // reported by the reader
                }
                var keys: [(ThemeKey, String)] = []
                for coding in selection.codings {
                    switch resolutions[coding.codeGUID] {
                    case .theme(let key):
                        let coder = users[coding.userGUID ?? selection.userGUID ?? ""] ?? ""
                        keys.append((key, coder))
                    case .ignored(let why):
                        ignoredCounts[why, default: 0] += 1
                    case .unknown(let why):
                        if reportedCodes.insert(coding.codeGUID).inserted { problem(coding.line, why) }
                    case nil:
                        break // a code not in the codebook: reported by the reader
                    }
                }
                guard let marked = matcher.passages(for: selection, in: source, match: match), !marked.isEmpty else {
                    if !keys.isEmpty {
                        problem(
                            selection.line,
                            "selection \(selection.guid) (characters \(selection.start)–"
                                + "\(selection.end)) of ‘\(source.name)’ was not found in the text of "
                                + document.source)
                    }
                    continue
                }
                for p in marked { out.quoted.insert(docPassages[p].passageID) }
                for (key, coder) in keys {
                    out.taxonomies.insert(key.taxonomy)
                    out.coverage[coder, default: []].insert(match.document)
                    if !coder.isEmpty { coders.insert(coder) }
                    for p in marked {
                        let id = docPassages[p].passageID
                        out.labels[coder, default: [:]][id, default: []].formUnion([key, key.themeKey])
                        out.union[id, default: []].formUnion([key, key.themeKey])
                    }
                }
            }
        }
        for (why, count) in ignoredCounts.sorted(by: { $0.key < $1.key }) {
            out.warnings.append(
                InputProblem(file: file, line: 0, problem: "\(count) coding\(count == 1 ? "" : "s") left out: \(why)"))
        }
        // Coders who coded nothing in a document still read it: the project is read as a whole.
        for coder in coverage(of: out) { out.coverage[coder, default: []].formUnion(named) }
        out.documents = named.sorted()
        out.coders = coders.sorted()
        return (out, matchedNotes)
    }

    private func coverage(of codes: HumanCodes) -> [String] { Array(codes.coverage.keys) + [""] }

    /// The project's codes as review decisions against the machine's codes:
    /// for each passage of a matched document, a theme or sub-theme the
    /// project codes and the machine does not count is `add`ed; one the machine
    /// counts and the project does not is `reject`ed (a theme absent from the
    /// project is rejected as a whole, its sub-themes with it). Each decision
    /// is pinned to the passage's current text.
    public static func decisions(
        human: HumanCodes, machine: MachineCodes, passages: [String: [PassageRecord]], documents: [DocumentInfo],
        file: String
    ) -> DecisionSet {
        var decisions: [DecisionSet.Decision] = []
        let order = ThemeCatalog(taxonomies: machine.taxonomies).keys
        let reviewer = human.coders.joined(separator: "; ")
        for d in human.documents {
            for passage in passages[documents[d].docID] ?? [] {
                let said = human.union[passage.passageID] ?? []
                let counted = machine.counted[passage.passageID] ?? []
                let hash = SHA256.hex(of: Array(passage.text.utf8))
                func decide(_ key: ThemeKey, _ kind: DecisionSet.Kind) {
                    decisions.append(
                        DecisionSet.Decision(
                            line: decisions.count + 1, passageID: passage.passageID, taxonomy: key.taxonomy,
                            theme: key.theme, subtheme: key.subtheme, kind: kind, reviewer: reviewer,
                            note: "from \(SourceIndex.fileName(file))", textSHA256: hash))
                }
                for key in order where said.contains(key) && !counted.contains(key) {
                    // A theme the project gives only through a sub-theme is added by the sub-theme's decision.
                    if key.subtheme == nil, said.contains(where: { $0.themeKey == key && $0.subtheme != nil }) {
                        continue
                    }
                    decide(key, .add)
                }
                var rejectedUnder = Set<ThemeKey>()
                for key in order where counted.contains(key) && !said.contains(key) {
                    if key.subtheme != nil, !said.contains(key.themeKey) { continue } // rejected with its theme
                    decide(key, .reject)
                    if key.subtheme != nil { rejectedUnder.insert(key.themeKey) }
                }
                // A theme the project codes as such, which the machine counted only through the sub-themes
                // just rejected, is added as a theme.
                for theme in order where rejectedUnder.contains(theme) && said.contains(theme) {
                    let subthemeSaid = said.contains { $0.themeKey == theme && $0.subtheme != nil }
                    let themeLevel = machine.codings.contains {
                        $0.passageID == passage.passageID && $0.counts && $0.taxonomy == theme.taxonomy
                            && $0.theme == theme.theme && $0.subtheme == nil
                    }
                    if !subthemeSaid && !themeLevel { decide(theme, .add) }
                }
            }
        }
        return DecisionSet(decisions: decisions, file: file)
    }
}
