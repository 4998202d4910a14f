/// A coding frame: themes, their definitions, and the rules that find them.
/// Loaded and validated from YAML by `TaxonomyLoader`.
public struct Taxonomy: Sendable {
    public var id: String
    public var name: String
    public var version: String
    public var description: String
    /// SHA-256 of the file's bytes.
    public var sha256: String
    /// The file it was loaded from, as given.
    public var file: String
    public var policy: MatchingPolicy
    /// Heading patterns (lower-case, `*` wildcards) whose passages are boilerplate.
    public var boilerplateHeadings: [String]
    /// Heading patterns whose passages are recommendations: every match in them is hypothetical.
    public var hypotheticalHeadings: [String]
    public var themes: [Theme]
    public var cues: CueSet
    /// When a document features a theme (`document_call:`); nil: the standard rule.
    public var documentCall: DocumentCallRule? = nil
    /// Phrases that mark a passage as not practice evidence wherever it stands (the review or inspection
    /// process, a person's career): its codings in this frame are boilerplate.
    public var boilerplatePhrases: [String] = []
    /// What the frame codes: practice themes, or characteristics of the case (`kind:`), which reports
    /// give their own section and do not chart.
    public var kind: TaxonomyKind = .themes
}

/// What a coding frame codes (`kind:` in the taxonomy file).
public enum TaxonomyKind: String, Codable, Sendable, CaseIterable {
    /// Themes of practice (the default): charted, with quotes.
    case themes
    /// Facts about the case (family, child, incident): tabulated on their own.
    case characteristics
}

/// How phrases match, as the taxonomy states it.
public struct MatchingPolicy: Sendable, Equatable {
    public var caseSensitive = false
    public var plurals = true
    public var spellingVariants = true
    public var wildcard: Character = "*"
    public var abbreviationsCaseSensitive = true
    public var defaultWindow = 10

    public init() {}
}

public struct Theme: Sendable {
    public var id: String
    public var name: String
    public var description: String
    public var exclude: [String]
    /// Rules that find the theme without a sub-theme.
    public var rules: [Rule]
    public var subthemes: [Subtheme]
    /// 1-based line of the theme in its file.
    public var line: Int
    /// The theme's own document-call rule (`document_call:` on the theme, the parts it leaves out taken from
    /// the frame's rule); nil: the frame's rule. Its sub-themes are called by it too.
    public var documentCall: DocumentCallRule? = nil
}

public struct Subtheme: Sendable {
    public var id: String
    public var name: String
    public var description: String?
    public var rules: [Rule]
    public var line: Int
}

/// One rule: how it matches, plus phrases that veto its matches.
public struct Rule: Sendable {
    public enum Kind: Sendable {
        case phrases([String])
        case abbreviations([String])
        case near(a: [String], b: [String], within: Int)
        /// `rivals`: phrases that compete with `b` for each `a` (empty: none). With rivals, an `a`
        /// matches only when the `b` nearest to it in the sentence is nearer than every rival there:
        /// who or what the sentence puts next to the term decides (attribution).
        case sameSentence(a: [String], b: [String], rivals: [String])
        /// `requires`: phrases of which every match holds one (empty: no such promise); a
        /// stretch of text without any is not searched.
        case regex(pattern: String, anchors: [String], window: RegexWindow?, requires: [String])
    }

    /// Where a regular expression is tried: from `before` words before each
    /// anchor to `after` words after it, within the anchor's sentence (nil:
    /// the whole sentence). The taxonomy's author promises that every match
    /// lies there; Sightline then spares the engine the rest of the sentence.
    public struct RegexWindow: Sendable, Equatable {
        public var before: Int
        public var after: Int
    }

    public var id: String
    public var kind: Kind
    public var exclude: [String]
    public var line: Int

    /// How many phrases or patterns the rule holds (for `taxonomy check`).
    public var termCount: Int {
        switch kind {
        case .phrases(let p), .abbreviations(let p): return p.count
        case .near(let a, let b, _): return a.count + b.count
        case .sameSentence(let a, let b, let rivals): return a.count + b.count + rivals.count
        case .regex(_, let anchors, _, let requires): return 1 + anchors.count + requires.count
        }
    }
}

/// Negation and hedging cues, in the spirit of NegEx and ConText.
public struct CueSet: Sendable, Equatable {
    public var negationBefore: [String] = []
    public var negationAfter: [String] = []
    public var pseudoNegation: [String] = []
    public var hypotheticalBefore: [String] = []
    public var hypotheticalAfter: [String] = []
    public var clauseBreakers: [String] = []
    /// How many words a cue reaches at most.
    public var maxScope = 8
    /// SHA-256 of the cue file.
    public var sha256 = ""
    public var file = ""

    public init() {}
}
