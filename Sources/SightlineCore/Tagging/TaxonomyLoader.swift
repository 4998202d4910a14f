import Foundation
import Yams

/// Loads and validates taxonomy and cue files. Every problem is reported
/// with the file and line: a syntax error, a duplicate id, an empty rule, an
/// invalid regular expression, an unknown field.
public struct TaxonomyLoader: Sendable {
    /// The widest window, in words, a regular expression may ask for around an anchor.
    static let maxRegexWindow = 1000

    public init() {}

    /// Loads a taxonomy; its cues (see `cueSet(for:path:)`) are loaded too.
    public func load(path: String) throws -> Taxonomy {
        let (text, sha) = try read(path)
        let root = try parse(text, file: path)
        let map = try YAMLMap(
            root, file: path, context: "the taxonomy",
            allowed: [
                "sightline_taxonomy", "id", "name", "version", "description", "matching", "boilerplate_headings",
                "boilerplate_phrases",
                "hypothetical_headings",
                "cues", "document_call", "themes", "kind",
            ])
        let format = try map.requiredString("sightline_taxonomy")
        guard format == "1" else {
            throw TaxonomyError(
                file: path, line: map.line("sightline_taxonomy"),
                problem: "format version \(format) is not supported (this Sightline reads version 1)")
        }
        let id = try map.requiredString("id")
        try checkID(id, file: path, line: map.line("id"))
        var policy = MatchingPolicy()
        if let node = map["matching"] {
            let m = try YAMLMap(
                node, file: path, context: "matching",
                allowed: [
                    "case_sensitive", "plurals", "spelling_variants", "wildcard", "abbreviations_case_sensitive",
                    "default_window",
                ])
            policy.caseSensitive = try m.bool("case_sensitive") ?? policy.caseSensitive
            policy.plurals = try m.bool("plurals") ?? policy.plurals
            policy.spellingVariants = try m.bool("spelling_variants") ?? policy.spellingVariants
            policy.abbreviationsCaseSensitive =
                try m.bool("abbreviations_case_sensitive") ?? policy.abbreviationsCaseSensitive
            if let window = try m.int("default_window") {
                guard window > 0 else {
                    throw TaxonomyError(
                        file: path, line: m.line("default_window"),
                        problem: "default_window must be a positive number of words")
                }
                policy.defaultWindow = window
            }
            if let wildcard = try m.string("wildcard") {
                guard wildcard.count == 1, let character = wildcard.first else {
                    throw TaxonomyError(file: path, line: m.line("wildcard"), problem: "wildcard must be one character")
                }
                policy.wildcard = character
            }
        }
        // A frame that says nothing about headings gets the shipped lists; `[]` opts out.
        let boilerplate = try (map.stringList("boilerplate_headings") ?? StandardHeadings.boilerplate).map {
            $0.lowercased()
        }
        let hypothetical = try (map.stringList("hypothetical_headings") ?? StandardHeadings.hypothetical).map {
            $0.lowercased()
        }

        guard let themeNodes = map["themes"]?.sequence, !themeNodes.isEmpty else {
            throw TaxonomyError(
                file: path, line: map.line("themes") ?? map.line, problem: "`themes` must be a non-empty list")
        }
        // A theme's own rule fills the parts it leaves out from the frame's, so the frame's is read first.
        let documentCall = try map["document_call"].map { try documentCallRule($0, file: path) }
        var themes: [Theme] = []
        var themeIDs = Set<String>()
        var ruleIDs = Set<String>()
        for node in themeNodes {
            let t = try YAMLMap(
                node, file: path, context: "a theme",
                allowed: ["id", "name", "description", "exclude", "rules", "subthemes", "document_call"])
            let themeID = try t.requiredString("id")
            try checkID(themeID, file: path, line: t.line("id"))
            guard themeIDs.insert(themeID).inserted else {
                throw TaxonomyError(file: path, line: t.line("id"), problem: "duplicate theme id ‘\(themeID)’")
            }
            var subthemes: [Subtheme] = []
            var subIDs = Set<String>()
            for subNode in t["subthemes"]?.sequence ?? [] {
                let s = try YAMLMap(
                    subNode, file: path, context: "a sub-theme", allowed: ["id", "name", "description", "rules"])
                let subID = try s.requiredString("id")
                try checkID(subID, file: path, line: s.line("id"))
                guard subIDs.insert(subID).inserted else {
                    throw TaxonomyError(
                        file: path, line: s.line("id"),
                        problem: "duplicate sub-theme id ‘\(subID)’ in theme ‘\(themeID)’")
                }
                subthemes.append(
                    Subtheme(
                        id: subID, name: try s.requiredString("name"), description: try s.string("description"),
                        rules: try rules(s["rules"], file: path, ids: &ruleIDs, policy: policy), line: s.line))
            }
            let themeRules = try rules(t["rules"], file: path, ids: &ruleIDs, policy: policy)
            if themeRules.isEmpty && subthemes.allSatisfy({ $0.rules.isEmpty }) {
                throw TaxonomyError(file: path, line: t.line, problem: "theme ‘\(themeID)’ has no rules")
            }
            themes.append(
                Theme(
                    id: themeID, name: try t.requiredString("name"), description: try t.requiredString("description"),
                    exclude: try t.stringList("exclude") ?? [], rules: themeRules, subthemes: subthemes, line: t.line,
                    documentCall: try t["document_call"].map {
                        try documentCallRule($0, file: path, base: documentCall ?? .standard, theme: themeID)
                    }))
        }
        let boilerplatePhrases = try map.stringList("boilerplate_phrases") ?? []
        if boilerplatePhrases.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty || $0 == "*" }) {
            throw TaxonomyError(
                file: path, line: map.line("boilerplate_phrases"),
                problem: "`boilerplate_phrases` holds an empty phrase")
        }
        var kind = TaxonomyKind.themes
        if let written = try map.string("kind") {
            guard let known = TaxonomyKind(rawValue: written) else {
                let kinds = TaxonomyKind.allCases.map(\.rawValue).joined(separator: " or ")
                throw TaxonomyError(
                    file: path, line: map.line("kind"), problem: "kind must be \(kinds), not ‘\(written)’")
            }
            kind = known
        }
        // After the frame itself, so that a problem in it is reported before a missing cue file.
        let cues = try cueSet(for: map, path: path)
        return Taxonomy(
            id: id, name: try map.requiredString("name"), version: try map.requiredString("version"),
            description: try map.string("description") ?? "", sha256: sha, file: path, policy: policy,
            boilerplateHeadings: boilerplate, hypotheticalHeadings: hypothetical, themes: themes, cues: cues,
            documentCall: documentCall, boilerplatePhrases: boilerplatePhrases, kind: kind)
    }

    /// The taxonomy's cues: the file `cues:` names, else `cues.yaml` beside the
    /// taxonomy, else Sightline's shipped cues (taxonomies/cues.yaml, built
    /// in). Without cues nothing is negated or hedged ("there were no concerns
    /// about housing" would count as evidence), so having none takes an
    /// explicit `cues: none`; `cues: standard` asks for the shipped cues.
    func cueSet(for map: YAMLMap, path: String) throws -> CueSet {
        let folder = (path as NSString).deletingLastPathComponent
        switch try map.string("cues") {
        case "none":
            return CueSet()
        case "standard":
            return try CueSet.standard()
        case let named?:
            let cuePath = named.hasPrefix("/") ? named : (folder as NSString).appendingPathComponent(named)
            guard FileManager.default.fileExists(atPath: cuePath) else {
                throw TaxonomyError(
                    file: path, line: map.line("cues") ?? map.line,
                    problem: "the cue file ‘\(cuePath)’ does not exist "
                        + "(write `cues: standard` for Sightline's shipped cues, `cues: none` to code without cues)")
            }
            return try loadCues(path: cuePath)
        case nil:
            let beside = (folder as NSString).appendingPathComponent("cues.yaml")
            return FileManager.default.fileExists(atPath: beside) ? try loadCues(path: beside) : try CueSet.standard()
        }
    }

    /// `document_call:`: `min_passages`, `min_share` (0 to 1, or a percentage such as `5%`), `min_pages`;
    /// the parts left out are `base`'s (the standard rule for a frame, the frame's rule for a theme).
    func documentCallRule(
        _ node: Node, file path: String, base: DocumentCallRule = .standard, theme: String? = nil
    ) throws -> DocumentCallRule {
        let context = theme.map { "document_call of theme ‘\($0)’" } ?? "document_call"
        let m = try YAMLMap(node, file: path, context: context, allowed: ["min_passages", "min_share", "min_pages"])
        guard theme == nil || !m.isEmpty else {
            throw TaxonomyError(
                file: path, line: m.line, problem: "\(context) is empty: give min_passages, min_share or min_pages")
        }
        var rule = base
        if let passages = try m.int("min_passages") {
            guard passages >= 1 else {
                throw TaxonomyError(
                    file: path, line: m.line("min_passages"), problem: "min_passages in \(context) must be at least 1")
            }
            rule.minPassages = passages
        }
        if let pages = try m.int("min_pages") {
            guard pages >= 1 else {
                throw TaxonomyError(
                    file: path, line: m.line("min_pages"), problem: "min_pages in \(context) must be at least 1")
            }
            rule.minPages = pages
        }
        if let text = try m.string("min_share") {
            guard let share = DocumentCallRule.parseShare(text) else {
                throw TaxonomyError(
                    file: path, line: m.line("min_share"),
                    problem:
                        "min_share in \(context) must be a share from 0 to 1 (0.05) or a percentage (5%), "
                        + "not ‘\(text)’"
                )
            }
            rule.minShare = share
        }
        return rule
    }

    /// Loads a cue file.
    public func loadCues(path: String) throws -> CueSet {
        let (text, sha) = try read(path)
        var cues = try parseCues(text, file: path)
        cues.sha256 = sha
        cues.file = path
        return cues
    }

    /// Reads the text of a cue file; `file` names it in errors.
    func parseCues(_ text: String, file path: String) throws -> CueSet {
        let map = try YAMLMap(
            parse(text, file: path), file: path, context: "the cue file",
            allowed: [
                "sightline_cues", "negation_before", "negation_after", "pseudo_negation", "hypothetical_before",
                "hypothetical_after", "clause_breakers", "max_scope",
            ])
        var cues = CueSet()
        cues.negationBefore = try map.stringList("negation_before") ?? []
        cues.negationAfter = try map.stringList("negation_after") ?? []
        cues.pseudoNegation = try map.stringList("pseudo_negation") ?? []
        cues.hypotheticalBefore = try map.stringList("hypothetical_before") ?? []
        cues.hypotheticalAfter = try map.stringList("hypothetical_after") ?? []
        cues.clauseBreakers = try map.stringList("clause_breakers") ?? []
        if let scope = try map.int("max_scope") {
            guard scope > 0 else {
                throw TaxonomyError(
                    file: path, line: map.line("max_scope"), problem: "max_scope must be a positive number of words")
            }
            cues.maxScope = scope
        }
        return cues
    }

    func read(_ path: String) throws -> (String, String) {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isFolder: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
            let problem =
                !exists
                ? "no such file"
                : isFolder.boolValue ? "a folder, not a taxonomy file" : "cannot read the file (permission denied?)"
            throw TaxonomyError(file: path, line: nil, problem: problem)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TaxonomyError(file: path, line: nil, problem: "not UTF-8 text")
        }
        return (text, SHA256.hex(of: data))
    }

    func parse(_ text: String, file: String) throws -> Node {
        do {
            // Every value is read as text and checked here (`bool`, `int`), so
            // YAML's implicit typing of scalars (bool, int, float, null,
            // timestamp: a regular expression per scalar) is not wanted.
            guard let node = try Yams.compose(yaml: text, .basic) else {
                throw TaxonomyError(file: file, line: 1, problem: "the file is empty")
            }
            return node
        } catch let error as TaxonomyError {
            throw error
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                .composer(_, let problem, let mark, _):
                throw TaxonomyError(
                    file: file, line: mark.line,
                    problem: "YAML syntax error: \(problem)" + Self.hint(problem, line: mark.line, text: text))
            default:
                throw TaxonomyError(file: file, line: nil, problem: "YAML error: \(error)")
            }
        }
    }

    /// What a YAML syntax error most likely means, in words: a tab in the indentation, or keys and list items
    /// that do not line up. Empty when neither fits.
    static func hint(_ problem: String, line: Int, text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // The line the parser stopped on, and the one before (a mapping's error is often reported on the next line).
        for number in [line, line - 1, line + 1] where number >= 1 && number <= lines.count {
            let indentation = lines[number - 1].prefix { $0 == " " || $0 == "\t" }
            if indentation.contains("\t") {
                return " (line \(number) is indented with a tab: YAML indents with spaces only)"
            }
        }
        let indentationProblems = [
            "did not find expected key", "mapping values are not allowed", "did not find expected '-' indicator",
            "block sequence entries are not allowed", "could not find expected ':'",
            "did not find expected node content",
        ]
        if indentationProblems.contains(where: problem.contains) {
            return " (check the indentation near line \(line): the keys of one mapping, and the items of one list, "
                + "must start in the same column, each level indented further with spaces)"
        }
        return ""
    }

    func checkID(_ id: String, file: String, line: Int?) throws {
        let valid =
            !id.isEmpty
            && id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        guard valid else {
            throw TaxonomyError(
                file: file, line: line, problem: "id ‘\(id)’ must be lower-case letters, digits and hyphens")
        }
    }

    func rules(_ node: Node?, file: String, ids: inout Set<String>, policy: MatchingPolicy) throws -> [Rule] {
        guard let node else { return [] }
        guard let list = node.sequence else {
            throw TaxonomyError(file: file, line: node.mark?.line, problem: "`rules` must be a list")
        }
        var out: [Rule] = []
        for ruleNode in list {
            let r = try YAMLMap(
                ruleNode, file: file, context: "a rule",
                allowed: ["id", "phrases", "abbreviations", "near", "same_sentence", "regex", "exclude"])
            let id = try r.requiredString("id")
            guard ids.insert(id).inserted else {
                throw TaxonomyError(file: file, line: r.line("id"), problem: "duplicate rule id ‘\(id)’")
            }
            let kinds = ["phrases", "abbreviations", "near", "same_sentence", "regex"].filter { r[$0] != nil }
            guard kinds.count == 1 else {
                throw TaxonomyError(
                    file: file, line: r.line,
                    problem:
                        "rule ‘\(id)’ must have exactly one of phrases, abbreviations, near, same_sentence, regex "
                        + "(it has \(kinds.isEmpty ? "none" : kinds.joined(separator: ", ")))"
                )
            }
            let kind: Rule.Kind
            switch kinds[0] {
            case "phrases":
                kind = .phrases(try r.nonEmptyPhrases("phrases", rule: id))
            case "abbreviations":
                let list = try r.nonEmptyPhrases("abbreviations", rule: id)
                for abbreviation in list where abbreviation.contains(" ") {
                    throw TaxonomyError(
                        file: file, line: r.line("abbreviations"),
                        problem: "abbreviation ‘\(abbreviation)’ in rule ‘\(id)’ must be one word")
                }
                kind = .abbreviations(list)
            case "near":
                let n = try YAMLMap(r["near"]!, file: file, context: "near", allowed: ["a", "b", "within"])
                let within = try n.int("within") ?? policy.defaultWindow
                guard within > 0 else {
                    throw TaxonomyError(
                        file: file, line: n.line("within"), problem: "`within` must be a positive number of words")
                }
                kind = .near(
                    a: try n.nonEmptyPhrases("a", rule: id), b: try n.nonEmptyPhrases("b", rule: id), within: within)
            case "same_sentence":
                let n = try YAMLMap(
                    r["same_sentence"]!, file: file, context: "same_sentence", allowed: ["a", "b", "rivals"])
                let rivals = n["rivals"] == nil ? [] : try n.nonEmptyPhrases("rivals", rule: id)
                kind = .sameSentence(
                    a: try n.nonEmptyPhrases("a", rule: id), b: try n.nonEmptyPhrases("b", rule: id), rivals: rivals)
            default:
                let n = try YAMLMap(
                    r["regex"]!, file: file, context: "regex",
                    allowed: ["pattern", "anchors", "words_before", "words_after", "requires"])
                let pattern = try n.requiredString("pattern")
                do {
                    _ = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
                } catch {
                    throw TaxonomyError(
                        file: file, line: n.line("pattern"),
                        problem: "invalid regular expression in rule ‘\(id)’: \(pattern)")
                }
                var window: Rule.RegexWindow? = nil
                let before = try n.int("words_before")
                let after = try n.int("words_after")
                if before != nil || after != nil {
                    for (key, value) in [("words_before", before), ("words_after", after)]
                    where !(0...Self.maxRegexWindow).contains(value ?? 0) {
                        throw TaxonomyError(
                            file: file, line: n.line(key),
                            problem: "`\(key)` must be a number of words from 0 to \(Self.maxRegexWindow)")
                    }
                    window = Rule.RegexWindow(before: before ?? 0, after: after ?? 0)
                }
                let requires = n["requires"] == nil ? [] : try n.nonEmptyPhrases("requires", rule: id)
                kind = .regex(
                    pattern: pattern, anchors: try n.nonEmptyPhrases("anchors", rule: id), window: window,
                    requires: requires)
            }
            out.append(Rule(id: id, kind: kind, exclude: try r.stringList("exclude") ?? [], line: r.line))
        }
        return out
    }
}

/// A YAML mapping with line numbers, refusing keys it does not know.
struct YAMLMap {
    let file: String
    let line: Int
    private var values: [String: Node] = [:]
    private var lines: [String: Int] = [:]

    init(_ node: Node, file: String, context: String, allowed: Set<String>) throws {
        self.file = file
        self.line = node.mark?.line ?? 0
        guard let mapping = node.mapping else {
            throw TaxonomyError(
                file: file, line: node.mark?.line, problem: "\(context) must be a mapping of keys to values")
        }
        for (key, value) in mapping {
            guard let name = key.string else {
                throw TaxonomyError(file: file, line: key.mark?.line, problem: "keys must be text")
            }
            guard allowed.contains(name) else {
                throw TaxonomyError(
                    file: file, line: key.mark?.line,
                    problem:
                        "unknown field ‘\(name)’ in \(context) "
                        + "(allowed: \(allowed.sorted().joined(separator: ", ")))")
            }
            guard values[name] == nil else {
                throw TaxonomyError(file: file, line: key.mark?.line, problem: "field ‘\(name)’ appears twice")
            }
            values[name] = value
            lines[name] = key.mark?.line
        }
    }

    subscript(key: String) -> Node? { values[key] }
    var isEmpty: Bool { values.isEmpty }
    func line(_ key: String) -> Int? { lines[key] }

    func string(_ key: String) throws -> String? {
        guard let node = values[key] else { return nil }
        guard let scalar = node.scalar else {
            throw TaxonomyError(file: file, line: line(key), problem: "‘\(key)’ must be text")
        }
        return scalar.string
    }

    func requiredString(_ key: String) throws -> String {
        guard let value = try string(key)?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            throw TaxonomyError(file: file, line: line(key) ?? line, problem: "missing required field ‘\(key)’")
        }
        return value
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = try string(key) else { return nil }
        switch value.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default: throw TaxonomyError(file: file, line: line(key), problem: "‘\(key)’ must be true or false")
        }
    }

    func int(_ key: String) throws -> Int? {
        guard let value = try string(key) else { return nil }
        guard let number = Int(value) else {
            throw TaxonomyError(file: file, line: line(key), problem: "‘\(key)’ must be a whole number")
        }
        return number
    }

    func stringList(_ key: String) throws -> [String]? {
        guard let node = values[key] else { return nil }
        guard let sequence = node.sequence else {
            throw TaxonomyError(file: file, line: line(key), problem: "‘\(key)’ must be a list")
        }
        return try sequence.map { item in
            guard let text = item.scalar?.string else {
                throw TaxonomyError(file: file, line: item.mark?.line, problem: "items of ‘\(key)’ must be text")
            }
            return text
        }
    }

    func nonEmptyPhrases(_ key: String, rule: String) throws -> [String] {
        let list = try stringList(key) ?? []
        guard !list.isEmpty else {
            throw TaxonomyError(
                file: file, line: line(key) ?? line, problem: "rule ‘\(rule)’ has an empty ‘\(key)’ list")
        }
        for (offset, phrase) in list.enumerated()
        where phrase.unicodeScalars.allSatisfy(CharacterSet.whitespaces.contains) || phrase == "*" {
            let itemLine = values[key]?.sequence?[offset].mark?.line
            throw TaxonomyError(
                file: file, line: itemLine ?? line(key),
                problem: "rule ‘\(rule)’ has an empty phrase in ‘\(key)’")
        }
        return list
    }
}
