import Foundation

extension Wire {
    /// The fast readers of `block`, `passage` and `coding` lines on their
    /// own: nil for any line they do not read as JSONDecoder would (JSON
    /// whitespace, a `null`, a key twice, a key the record does not have, a
    /// required key missing, another record type), which the line enums
    /// (`BlocksLine`, `PassagesLine`, `CodingsLine`) then give to JSONDecoder.
    /// Public for differential tests and fuzzing; readers use the line enums.
    public enum FastReader {
        public static func block(_ line: UnsafeRawBufferPointer) -> BlockRecord? {
            var parser = FastParser(line)
            return parser.block()
        }

        public static func block(_ line: Data) -> BlockRecord? { line.withUnsafeBytes { block($0) } }

        public static func passage(_ line: UnsafeRawBufferPointer) -> PassageRecord? {
            var parser = FastParser(line)
            return parser.passage()
        }

        public static func passage(_ line: Data) -> PassageRecord? { line.withUnsafeBytes { passage($0) } }

        /// A coding; with an `interner`, the ids that repeat from line to line
        /// (document, taxonomy, theme, rule and passage ids) come from it.
        public static func coding(_ line: UnsafeRawBufferPointer, interner: StringInterner? = nil) -> CodingRecord? {
            var parser = FastParser(line)
            parser.interner = interner
            return parser.coding()
        }

        public static func coding(_ line: Data) -> CodingRecord? { line.withUnsafeBytes { coding($0) } }

        /// What counting a coding needs, read without building its lists and
        /// strings: the record with its rule list and matches empty, its page
        /// label nil, and the number of its matches neither negated nor
        /// hypothetical (a quote candidate's first test). Nil for the lines
        /// `coding(_:interner:)` gives nil for.
        public static func codingForCounting(_ line: UnsafeRawBufferPointer, interner: StringInterner) -> (
            coding: CodingRecord, affirmed: Int
        )? {
            var parser = FastParser(line)
            parser.interner = interner
            parser.forCounting = true
            return parser.coding().map { ($0, parser.affirmed) }
        }
    }
}

/// Reads one line's record in place. Each record is read by walking its
/// `FieldTable`: a key is looked up in the table and its value read by an
/// exhaustive `switch` over the record's `CodingKeys`.
extension FastParser {
    mutating func block() -> BlockRecord? {
        var record = BlockRecord(
            docID: "", page: 0, pageEnd: 0, pageLabel: nil, pageEndLabel: nil, index: 0, kind: .paragraph, level: nil,
            headingPath: [], text: "", bbox: nil)
        let read = object(BlockRecord.table) { parser, field in
            switch field {
            case .type: return parser.literal("block")
            case .schema: return parser.string().map { record.schema = $0 } != nil
            case .docID: return parser.string().map { record.docID = $0 } != nil
            case .page: return parser.integer().map { record.page = $0 } != nil
            case .pageEnd: return parser.integer().map { record.pageEnd = $0 } != nil
            case .pageLabel: return parser.string().map { record.pageLabel = $0 } != nil
            case .pageEndLabel: return parser.string().map { record.pageEndLabel = $0 } != nil
            case .index: return parser.integer().map { record.index = $0 } != nil
            case .level: return parser.integer().map { record.level = $0 } != nil
            case .kind: return parser.string().flatMap(BlockKind.init(rawValue:)).map { record.kind = $0 } != nil
            case .headingPath: return parser.list({ $0.string() }).map { record.headingPath = $0 } != nil
            case .text: return parser.string().map { record.text = $0 } != nil
            case .bbox: return parser.box().map { record.bbox = $0 } != nil
            case .ocrConfidence: return parser.number().map { record.ocrConfidence = $0 } != nil
            }
        }
        return read ? record : nil
    }

    private mutating func box() -> BoundingBox? {
        var box = BoundingBox(x0: 0, y0: 0, x1: 0, y1: 0)
        let read = object(BoundingBox.table) { parser, field in
            guard let value = parser.number() else { return false }
            switch field {
            case .x0: box.x0 = value
            case .y0: box.y0 = value
            case .x1: box.x1 = value
            case .y1: box.y1 = value
            }
            return true
        }
        return read ? box : nil
    }

    mutating func passage() -> PassageRecord? {
        var record = PassageRecord(
            passageID: "", docID: "", blockIndex: 0, part: 0, page: 0, pageEnd: 0, pageLabel: nil, kind: .paragraph,
            headingPath: [], text: "", wordCount: 0, boilerplate: false)
        let read = object(PassageRecord.table) { parser, field in
            switch field {
            case .type: return parser.literal("passage")
            case .schema: return parser.string().map { record.schema = $0 } != nil
            case .passageID: return parser.string().map { record.passageID = $0 } != nil
            case .docID: return parser.string().map { record.docID = $0 } != nil
            case .blockIndex: return parser.integer().map { record.blockIndex = $0 } != nil
            case .part: return parser.integer().map { record.part = $0 } != nil
            case .page: return parser.integer().map { record.page = $0 } != nil
            case .pageEnd: return parser.integer().map { record.pageEnd = $0 } != nil
            case .pageLabel: return parser.string().map { record.pageLabel = $0 } != nil
            case .kind: return parser.string().flatMap(BlockKind.init(rawValue:)).map { record.kind = $0 } != nil
            case .headingPath: return parser.list({ $0.string() }).map { record.headingPath = $0 } != nil
            case .text: return parser.string().map { record.text = $0 } != nil
            case .wordCount: return parser.integer().map { record.wordCount = $0 } != nil
            case .boilerplate: return parser.boolean().map { record.boilerplate = $0 } != nil
            }
        }
        return read ? record : nil
    }

    mutating func coding() -> CodingRecord? {
        var record = CodingRecord(
            passageID: "", docID: "", page: 0, pageLabel: nil, taxonomy: "", theme: "", subtheme: nil, rules: [],
            matches: [], negated: false, hypothetical: false, boilerplate: false)
        let counting = forCounting
        let read = object(CodingRecord.table) { parser, field in
            switch field {
            case .type: return parser.literal("coding")
            case .schema: return parser.string(.shared).map { record.schema = $0 } != nil
            case .passageID: return parser.string(.recent).map { record.passageID = $0 } != nil
            case .docID: return parser.string(.shared).map { record.docID = $0 } != nil
            case .page: return parser.integer().map { record.page = $0 } != nil
            case .pageLabel:
                if counting { return parser.string(.skip) != nil }
                return parser.string().map { record.pageLabel = $0 } != nil
            case .taxonomy: return parser.string(.shared).map { record.taxonomy = $0 } != nil
            case .theme: return parser.string(.shared).map { record.theme = $0 } != nil
            case .subtheme: return parser.string(.shared).map { record.subtheme = $0 } != nil
            case .negated: return parser.boolean().map { record.negated = $0 } != nil
            case .hypothetical: return parser.boolean().map { record.hypothetical = $0 } != nil
            case .boilerplate: return parser.boolean().map { record.boilerplate = $0 } != nil
            case .rules:
                if counting { return parser.each { $0.string(.skip) != nil } }
                return parser.list({ $0.string(.shared) }).map { record.rules = $0 } != nil
            case .matches:
                if counting {
                    return parser.each { parser in
                        guard let span = parser.match() else { return false }
                        if span.isAffirmed { parser.affirmed += 1 }
                        return true
                    }
                }
                return parser.list({ $0.match() }).map { record.matches = $0 } != nil
            }
        }
        return read ? record : nil
    }

    private mutating func match() -> MatchSpan? {
        var span = MatchSpan(rule: "", start: 0, end: 0, text: "", negated: false, hypothetical: false)
        let counting = forCounting
        let read = object(MatchSpan.table) { parser, field in
            switch field {
            case .rule: return parser.string(counting ? .skip : .shared).map { span.rule = $0 } != nil
            case .start: return parser.integer().map { span.start = $0 } != nil
            case .end: return parser.integer().map { span.end = $0 } != nil
            case .text: return parser.string(counting ? .skip : .none).map { span.text = $0 } != nil
            case .negated: return parser.boolean().map { span.negated = $0 } != nil
            case .hypothetical: return parser.boolean().map { span.hypothetical = $0 } != nil
            }
        }
        return read ? span : nil
    }
}
