import ArgumentParser
import Foundation
import SightlineCore

/// `sightline kwic`: every match in context, for refining a dictionary.
public struct KWICCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kwic",
        abstract: "Show every match of a theme or a phrase in context (keyword in context).",
        discussion: """
            TARGET is a theme id, a theme/sub-theme id pair, or a phrase with * wildcards \
            ("professional curios*"). Theme matches come from DIR/codings.jsonl; phrases are searched \
            in DIR/passages.jsonl. A single word that is not a theme id of the folder's frames is refused \
            (it is most likely a mistyped id); give --phrase to search for it as words. Each line: source, \
            printed page, the words around the match, and for themes the rule and whether the match is negated, \
            hypothetical or boilerplate.
            """)

    @Argument(help: "A theme id, theme/sub-theme, or a phrase.")
    public var target: String

    @Option(name: .customLong("in"), help: "The folder holding the tag stage's output.")
    public var input: String

    @Option(name: .long, help: "Words shown either side of the match.")
    public var window: Int = 8

    @Option(name: .long, help: "Show at most this many matches (0: all).")
    public var limit: Int = 0

    @Flag(name: .long, help: "Search for TARGET as words, even when it is a single word.")
    public var phrase = false

    @OptionGroup var taxonomies: TaxonomyOptions

    public init() {}

    public func validate() throws {
        if window < 0 { throw ValidationError("--window cannot be negative") }
        if limit < 0 { throw ValidationError("--limit cannot be negative") }
    }

    struct Context {
        var source: String
        var passage: PassageRecord
    }

    /// The frames the folder was coded with (the header of codings.jsonl), else those named or shipped.
    func frames() throws -> [(id: String, themes: [String])] {
        var found: [(id: String, themes: [String])] = []
        let codings = input + "/codings.jsonl"
        if FileManager.default.fileExists(atPath: codings) {
            var lines = try JSONLinesReader(path: codings).lines()
            // The header: the taxonomy records before the first coding.
            while let (bytes, line) = lines.next(),
                case .taxonomy(let record) = try Wire.at(file: codings, line: line, { try CodingsLine(line: bytes) })
            {
                found.append(
                    (
                        record.taxonomy,
                        record.themes.flatMap { theme in [theme.id] + theme.subthemes.map { "\(theme.id)/\($0.id)" } }
                    ))
            }
            if !found.isEmpty { return found }
        }
        return try taxonomies.load().map { taxonomy in
            (
                taxonomy.id,
                taxonomy.themes.flatMap { theme in [theme.id] + theme.subthemes.map { "\(theme.id)/\($0.id)" } }
            )
        }
    }

    public func run() throws {
        for (name, first) in [
            ("documents.jsonl", "`sightline run FILES --out \(input)` (or extract, then tag)"),
            ("passages.jsonl", "`sightline tag --in \(input)`"),
        ]
        where !FileManager.default.fileExists(atPath: input + "/" + name) {
            throw ValidationError("\(input)/\(name) not found: run \(first) first")
        }
        let ids = try frames().flatMap(\.themes)
        let looksLikeID = !target.contains(where: \.isWhitespace) && !target.contains("*")
        let isTheme = !phrase && ids.contains(target)
        if !phrase && looksLikeID && !isTheme {
            var message = "‘\(target)’ is not a theme or sub-theme id of the frames in \(input)"
            if let near = ArgumentSuggestions.nearest(target, in: ids) { message += "; did you mean ‘\(near)’?" }
            throw ValidationError(message + ". To search for it as a word, add --phrase.")
        }
        var sources: [String: String] = [:]
        try JSONLinesReader(path: input + "/documents.jsonl").forEach(DocumentsLine.self) { line, _ in
            if case .document(let record) = line { sources[record.docID] = record.source }
        }
        var passages: [String: PassageRecord] = [:]
        var order: [String] = []
        try JSONLinesReader(path: input + "/passages.jsonl").forEach(PassagesLine.self) { line, _ in
            passages[line.passage.passageID] = line.passage
            order.append(line.passage.passageID)
        }
        var shown = 0
        func show(_ passage: PassageRecord, start: Int, end: Int, note: String) -> Bool {
            let line = Self.line(
                passage: passage, source: sources[passage.docID] ?? passage.docID, start: start, end: end,
                window: window, note: note)
            print(line)
            shown += 1
            return limit == 0 || shown < limit
        }
        let themeParts = target.split(separator: "/").map(String.init)
        if isTheme {
            try JSONLinesReader(path: input + "/codings.jsonl").forEach(CodingsLine.self) { line, _ in
                guard case .coding(let coding) = line else { return }
                guard coding.theme == themeParts[0], themeParts.count == 1 || coding.subtheme == themeParts[1],
                    let passage = passages[coding.passageID]
                else { return }
                for match in coding.matches {
                    var flags: [String] = []
                    if match.negated { flags.append("negated") }
                    if match.hypothetical { flags.append("hypothetical") }
                    if coding.boilerplate { flags.append("boilerplate") }
                    let flagged = flags.isEmpty ? "" : " · " + flags.joined(separator: ", ")
                    let note = "[\(coding.subtheme ?? coding.theme) · \(match.rule)\(flagged)]"
                    if !show(passage, start: match.start, end: match.end, note: note) { throw ExitCode(0) }
                }
            }
            if shown == 0 { Terminal.progress("no codings for \(target) in \(input)/codings.jsonl") }
            return
        }
        // A phrase: compile it alone and scan every passage.
        var automaton = PhraseAutomaton()
        for sequence in PhraseVariants.expand(target, policy: MatchingPolicy()) { automaton.add(sequence, payload: 0) }
        automaton.finish()
        var tokens: [PhraseAutomaton.LabelledToken] = []
        var hits: [PhraseAutomaton.Hit] = []
        let buffers = PhraseAutomaton.ScanBuffers()
        for id in order {
            guard let passage = passages[id] else { continue }
            automaton.tokenize(passage.text, into: &tokens, buffers: buffers)
            automaton.hits(tokens, into: &hits, buffers: buffers)
            guard !hits.isEmpty else { continue }
            let scalars = ScalarOffsets(passage.text)
            for hit in hits {
                let start = scalars.scalar(at: Int(tokens[hit.first].byteStart))
                let end = scalars.scalar(at: Int(tokens[hit.last].byteEnd))
                if !show(passage, start: start, end: end, note: passage.boilerplate ? "[boilerplate]" : "") { return }
            }
        }
        if shown == 0 { Terminal.progress("no matches for ‘\(target)’") }
    }

    /// `source p.LABEL | left words [match] right words | note`
    static func line(passage: PassageRecord, source: String, start: Int, end: Int, window: Int, note: String) -> String
    {
        let scalars = Array(passage.text.unicodeScalars)
        let before = String(String.UnicodeScalarView(scalars[..<start])).split(separator: " ").suffix(window).joined(
            separator: " ")
        let match = String(String.UnicodeScalarView(scalars[start..<end]))
        let after = String(String.UnicodeScalarView(scalars[end...])).split(separator: " ").prefix(window).joined(
            separator: " ")
        let page = passage.pageLabel.map { "p.\($0)" } ?? "page \(passage.page)"
        return "\(source) \(page) | \(before) [\(match)] \(after) | \(note)".trimmingCharacters(in: .whitespaces)
    }
}
