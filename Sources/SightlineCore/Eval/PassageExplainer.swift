import Foundation

/// Why a passage was coded as it was: its place in the document, its codings,
/// every match, and for each negated, hypothetical or boilerplate flag what
/// set it. The cue that negated or hedged a match is found by running the
/// tagger's own cue scope (`CueScope`) over the passage again, with the cue
/// lists of the taxonomy the run used; when that taxonomy is not at hand (or
/// has changed since, by its SHA-256), the explanation says so plainly.
public struct PassageExplainer {
    /// Cue automata of the loaded taxonomies whose SHA-256 matches the run's header, by taxonomy id.
    private var cueFrames: [String: CueFrame] = [:]
    /// Taxonomy ids in the run's header that could not be matched, with why.
    public private(set) var unavailable: [String: String] = [:]

    struct CueFrame {
        var automaton: PhraseAutomaton
        var kinds: [Tagger.Kind]
        var maxScope: Int
        var hypotheticalHeadings: [String]
    }

    /// `loaded`: taxonomies loaded from their files now; `headers`: the run's `codings.jsonl` header records.
    public init(loaded: [Taxonomy], headers: [TaxonomyRecord]) {
        for header in headers {
            guard let taxonomy = loaded.first(where: { $0.id == header.taxonomy }) else {
                unavailable[header.taxonomy] = "its taxonomy file was not loaded"
                continue
            }
            guard taxonomy.sha256 == header.sha256, taxonomy.cues.sha256 == header.cuesSHA256 else {
                unavailable[header.taxonomy] =
                    "\(taxonomy.file) or its cue list has changed since the run (SHA-256 differs)"
                continue
            }
            var automaton = PhraseAutomaton()
            var expander = PhraseVariants.Expander(policy: taxonomy.policy)
            let cues = taxonomy.cues
            let lists: [(Tagger.Kind, [String])] = [
                (.negationBefore, cues.negationBefore), (.negationAfter, cues.negationAfter),
                (.pseudoNegation, cues.pseudoNegation),
                (.hypotheticalBefore, cues.hypotheticalBefore), (.hypotheticalAfter, cues.hypotheticalAfter),
                (.breaker, cues.clauseBreakers),
            ]
            for (payload, list) in lists.enumerated() {
                for phrase in list.1 {
                    for sequence in expander.expand(phrase) { automaton.add(sequence, payload: payload) }
                }
            }
            automaton.finish()
            cueFrames[header.taxonomy] = CueFrame(
                automaton: automaton, kinds: lists.map(\.0), maxScope: cues.maxScope,
                hypotheticalHeadings: taxonomy.hypotheticalHeadings)
        }
    }

    /// A cue that governs a match: its words, its offsets in the passage, and its direction.
    public struct Cue: Sendable, Equatable {
        public var words: String
        public var start: Int
        public var end: Int
        /// "before" cues govern the words after them, "after" cues the words before.
        public var direction: String
    }

    /// The cues of kind negation (or hedging) whose scope reaches the match starting at scalar `start`.
    public func cues(in text: String, taxonomy: String, matchStart start: Int, hypothetical: Bool) -> [Cue]? {
        guard let frame = cueFrames[taxonomy] else { return nil }
        var tokens: [PhraseAutomaton.LabelledToken] = []
        var hits: [PhraseAutomaton.Hit] = []
        frame.automaton.tokenize(text, into: &tokens)
        frame.automaton.hits(tokens, into: &hits)
        let scalars = ScalarOffsets(text)
        guard let token = tokens.firstIndex(where: { scalars.scalar(at: Int($0.byteStart)) >= start }) else {
            return []
        }
        let cues = hits.map { (frame.kinds[$0.payload], $0) }
        let context = cues.filter { $0.0 == .breaker || $0.0 == .pseudoNegation }
        let wanted: [Tagger.Kind] =
            hypothetical ? [.hypotheticalBefore, .hypotheticalAfter] : [.negationBefore, .negationAfter]
        var found: [Cue] = []
        for cue in cues where wanted.contains(cue.0) {
            // The tagger's own scope rule, asked about this one cue.
            let scope = CueScope(tokens: tokens, cues: context + [cue], maxScope: frame.maxScope)
            guard hypothetical ? scope.hypothetical(token) : scope.negated(token) else { continue }
            let first = tokens[cue.1.first]
            let last = tokens[cue.1.last]
            found.append(
                Cue(
                    words: Tagger.slice(text, first.byteStart, last.byteEnd),
                    start: scalars.scalar(at: Int(first.byteStart)),
                    end: scalars.scalar(at: Int(last.byteEnd)),
                    direction: cue.0 == .negationBefore || cue.0 == .hypotheticalBefore ? "before" : "after"))
        }
        return found
    }

    /// The hypothetical-heading pattern the passage's nearest heading matches, if any.
    public func hypotheticalHeading(of passage: PassageRecord, taxonomy: String) -> (heading: String, pattern: String)?
    {
        guard let frame = cueFrames[taxonomy], let heading = passage.headingPath.last else { return nil }
        guard let pattern = frame.hypotheticalHeadings.first(where: { HeadingPatterns([$0]).matches(heading: heading) })
        else { return nil }
        return (heading, pattern)
    }

    /// The heading that made a passage boilerplate and the pattern it matched (from the run's header records).
    public static func boilerplateHeading(
        of passage: PassageRecord, headers: [TaxonomyRecord]
    ) -> (heading: String, pattern: String)? {
        let nearest = passage.kind == .heading ? passage.text : passage.headingPath.last
        guard let heading = nearest else { return nil }
        for header in headers {
            if let pattern = header.boilerplateHeadings.first(where: { HeadingPatterns([$0]).matches(heading: heading) }
            ) {
                return (heading, pattern)
            }
        }
        return nil
    }

    /// Why one flagged match of a coding is flagged, in words.
    func reason(match: MatchSpan, in coding: CodingRecord, passage: PassageRecord, hypothetical: Bool) -> String {
        let what = hypothetical ? "hedging" : "negation"
        if hypothetical, let (heading, pattern) = hypotheticalHeading(of: passage, taxonomy: coding.taxonomy) {
            return "under the heading ‘\(heading)’ (hypothetical_headings pattern ‘\(pattern)’)"
        }
        guard
            let cues = cues(
                in: passage.text, taxonomy: coding.taxonomy, matchStart: match.start, hypothetical: hypothetical)
        else {
            let why = unavailable[coding.taxonomy] ?? "the taxonomy is not loaded"
            return "flagged by a \(what) cue within scope (cue not shown: \(why))"
        }
        var found = cues
        var via = ""
        if found.isEmpty {
            // A proximity rule's second part takes its flag from the first part's first word.
            let earlier = coding.matches.filter { $0.rule == match.rule && $0.start < match.start && $0 != match }
            for other in earlier.reversed() where (hypothetical ? other.hypothetical : other.negated) {
                let again =
                    self.cues(
                        in: passage.text, taxonomy: coding.taxonomy, matchStart: other.start, hypothetical: hypothetical
                    ) ?? []
                if !again.isEmpty {
                    found = again
                    via = " (through the rule's first part ‘\(other.text)’)"
                    break
                }
            }
        }
        guard !found.isEmpty else {
            return "flagged by a \(what) cue within scope (not found again: the cue list may differ)"
        }
        return found.map { cue in
            let reach = cue.direction == "before" ? "governs the words after it" : "governs the words before it"
            return "\(what) cue ‘\(cue.words)’ at \(cue.start)–\(cue.end) (\(reach))"
        }.joined(separator: "; ") + via
    }
}

/// The text `sightline show` prints for one passage.
public struct PassageReport {
    public var passage: PassageRecord
    public var document: DocumentInfo?
    public var codings: [CodingRecord]
    public var headers: [TaxonomyRecord]

    public init(passage: PassageRecord, document: DocumentInfo?, codings: [CodingRecord], headers: [TaxonomyRecord]) {
        self.passage = passage
        self.document = document
        self.codings = codings
        self.headers = headers
    }

    /// The passage's text with every matched span wrapped in `open` and `close` (overlapping spans merged).
    public static func marked(_ text: String, spans: [(start: Int, end: Int)], open: String, close: String) -> String {
        let sorted = spans.filter { $0.start < $0.end }.sorted { ($0.start, $0.end) < ($1.start, $1.end) }
        var merged: [(start: Int, end: Int)] = []
        for span in sorted {
            if let last = merged.last, span.start <= last.end {
                merged[merged.count - 1].end = max(last.end, span.end)
            } else {
                merged.append(span)
            }
        }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var at = 0
        for span in merged where span.start >= at && span.end <= scalars.count {
            out.append(contentsOf: scalars[at..<span.start])
            out.append(contentsOf: open.unicodeScalars)
            out.append(contentsOf: scalars[span.start..<span.end])
            out.append(contentsOf: close.unicodeScalars)
            at = span.end
        }
        out.append(contentsOf: scalars[min(at, scalars.count)...])
        return String(out)
    }

    /// The whole report; `open`/`close` mark matched words (ANSI bold on a terminal, `[[`/`]]` otherwise).
    public func render(explainer: PassageExplainer, open: String = "[[", close: String = "]]") -> String {
        var out = "passage   \(passage.passageID)\n"
        if let document {
            out += "document  \(document.source)\(document.title.map { " — \($0)" } ?? "")\n"
        } else {
            out += "document  \(passage.docID) (not in documents.jsonl)\n"
        }
        var page = "page      \(passage.page)"
        if passage.pageEnd != passage.page { page += "–\(passage.pageEnd)" }
        page += passage.pageLabel.map { " (printed page \($0))" } ?? " (no printed page label)"
        out += page + "\n"
        out += "headings  \(passage.headingPath.isEmpty ? "(none)" : passage.headingPath.joined(separator: " › "))\n"
        // What a review decision pins itself to (the decisions file's text_sha256).
        out += "text sha256  \(SHA256.hex(of: Array(passage.text.utf8)))\n"
        out += "kind      \(passage.kind.rawValue), block \(passage.blockIndex) part \(passage.part), "
        out += "\(passage.wordCount) words\n"
        if passage.boilerplate {
            out += "boilerplate: " + Self.boilerplateReason(passage, headers: headers) + "\n"
        }
        let spans = codings.flatMap { $0.matches.map { (start: $0.start, end: $0.end) } }
        out += "\n" + Self.marked(passage.text, spans: spans, open: open, close: close) + "\n\n"
        if codings.isEmpty {
            out += "no codings: no rule of the coding frames matched this passage\n"
            return out
        }
        out += "codings (\(codings.count))\n"
        for coding in codings {
            var flags: [String] = []
            if coding.negated { flags.append("negated") }
            if coding.hypothetical { flags.append("hypothetical") }
            if coding.boilerplate { flags.append("boilerplate") }
            let status = coding.counts ? "counted" : "not counted: " + flags.joined(separator: ", ")
            out += "  \(coding.taxonomy)/\(coding.theme)\(coding.subtheme.map { "/\($0)" } ?? "")  [\(status)]\n"
            out += "    rules: \(coding.rules.joined(separator: ", "))\n"
            for match in coding.matches {
                var line = "    match \(match.rule): ‘\(match.text)’ at \(match.start)–\(match.end)"
                if match.negated { line += "  NEGATED" }
                if match.hypothetical { line += "  HYPOTHETICAL" }
                out += line + "\n"
                if match.negated {
                    let reason = explainer.reason(match: match, in: coding, passage: passage, hypothetical: false)
                    out += "      negated: \(reason)\n"
                }
                if match.hypothetical {
                    let reason = explainer.reason(match: match, in: coding, passage: passage, hypothetical: true)
                    out += "      hypothetical: \(reason)\n"
                }
            }
            if coding.boilerplate { out += "    boilerplate: \(Self.boilerplateReason(passage, headers: headers))\n" }
        }
        return out
    }

    static func boilerplateReason(_ passage: PassageRecord, headers: [TaxonomyRecord]) -> String {
        if let (heading, pattern) = PassageExplainer.boilerplateHeading(of: passage, headers: headers) {
            return "under the heading ‘\(heading)’ (boilerplate_headings pattern ‘\(pattern)’)"
        }
        return "marked boilerplate by the tag stage (no boilerplate_headings pattern of this run matches its heading)"
    }
}
