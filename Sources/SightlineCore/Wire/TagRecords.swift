/// Schema names of the tag stage's records.
extension Schema {
    public static let passage = "sightline.passage.v1"
    public static let coding = "sightline.coding.v1"
    public static let taxonomy = "sightline.taxonomy.v1"
}

/// One record of `passages.jsonl`: a unit of text that codings point at.
public struct PassageRecord: Codable, Sendable, Equatable {
    public var type = "passage"
    public var schema = Schema.passage
    /// `<first 16 hex of doc_id>/<block index>.<part>`: stable for the same document and extractor.
    public var passageID: String
    public var docID: String
    public var blockIndex: Int
    public var part: Int
    public var page: Int
    public var pageEnd: Int
    public var pageLabel: String?
    public var kind: BlockKind
    public var headingPath: [String]
    public var text: String
    public var wordCount: Int
    /// Under a contents, glossary, terms-of-reference, methodology or references heading.
    public var boilerplate: Bool

    enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
        case type, schema, part, page, kind, text, boilerplate
        case passageID = "passage_id"
        case docID = "doc_id"
        case blockIndex = "block_index"
        case pageEnd = "page_end"
        case pageLabel = "page_label"
        case headingPath = "heading_path"
        case wordCount = "word_count"
    }
}

/// One matched span inside a passage.
public struct MatchSpan: Codable, Sendable, Equatable {
    /// The rule that matched.
    public var rule: String
    /// Start and end offsets, in Unicode scalars of the passage text.
    public var start: Int
    public var end: Int
    /// The words matched, as written.
    public var text: String
    public var negated: Bool
    public var hypothetical: Bool

    enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
        case rule, start, end, text, negated, hypothetical
    }

    /// Whether the match is evidence as it stands (neither negated nor hypothetical).
    public var isAffirmed: Bool { !negated && !hypothetical }
}

/// One record of `codings.jsonl`: a passage coded for a theme (and sub-theme).
public struct CodingRecord: Codable, Sendable, Equatable {
    public var type = "coding"
    public var schema = Schema.coding
    public var passageID: String
    public var docID: String
    public var page: Int
    public var pageLabel: String?
    public var taxonomy: String
    public var theme: String
    public var subtheme: String?
    /// The rule ids that fired, in the taxonomy's order.
    public var rules: [String]
    public var matches: [MatchSpan]
    /// Every match negated ("there was no evidence of …").
    public var negated: Bool
    /// Every match that is not negated is hypothetical ("should consider …").
    public var hypothetical: Bool
    public var boilerplate: Bool

    enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
        case type, schema, page, taxonomy, theme, subtheme, rules, matches, negated, hypothetical, boilerplate
        case passageID = "passage_id"
        case docID = "doc_id"
        case pageLabel = "page_label"
    }

    /// Counted as evidence by default: neither negated, hypothetical nor boilerplate.
    public var counts: Bool { !negated && !hypothetical && !boilerplate }
}

/// The header of `codings.jsonl`: which coding frame produced the codings.
public struct TaxonomyRecord: Codable, Sendable, Equatable {
    public struct ThemeInfo: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var description: String
        public var subthemes: [SubthemeInfo]
        /// The theme's own `document_call` rule, when it states one (complete: the frame's parts filled in).
        public var documentCall: DocumentCallRule? = nil

        enum CodingKeys: String, CodingKey {
            case id, name, description, subthemes
            case documentCall = "document_call"
        }
    }

    public struct SubthemeInfo: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
    }

    public var type = "taxonomy"
    public var schema = Schema.taxonomy
    public var taxonomy: String
    public var name: String
    public var version: String
    public var sha256: String
    public var cuesSHA256: String
    public var boilerplateHeadings: [String]
    public var themes: [ThemeInfo]
    /// The taxonomy's own `document_call` rule, when it states one.
    public var documentCall: DocumentCallRule?
    /// `characteristics` for a frame of case characteristics; absent for practice themes.
    public var kind: TaxonomyKind?

    /// What the frame codes (absent: themes).
    public var reportedKind: TaxonomyKind { kind ?? .themes }

    enum CodingKeys: String, CodingKey {
        case type, schema, taxonomy, name, version, sha256, themes, kind
        case cuesSHA256 = "cues_sha256"
        case boilerplateHeadings = "boilerplate_headings"
        case documentCall = "document_call"
    }

    public init(_ taxonomy: Taxonomy) {
        self.taxonomy = taxonomy.id
        name = taxonomy.name
        version = taxonomy.version
        sha256 = taxonomy.sha256
        cuesSHA256 = taxonomy.cues.sha256
        boilerplateHeadings = taxonomy.boilerplateHeadings
        documentCall = taxonomy.documentCall
        kind = taxonomy.kind == .themes ? nil : taxonomy.kind
        themes = taxonomy.themes.map { theme in
            ThemeInfo(
                id: theme.id, name: theme.name, description: theme.description,
                subthemes: theme.subthemes.map { SubthemeInfo(id: $0.id, name: $0.name) },
                documentCall: theme.documentCall)
        }
    }
}
