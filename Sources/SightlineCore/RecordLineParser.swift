import Foundation

/// Reads `block` and `coding` lines without Foundation's JSONDecoder, which
/// dominates the tag and aggregate stages' time otherwise. Any JSON the parser
/// does not expect (escapes it does not handle, a field it does not know,
/// other shapes) returns nil, and the caller falls back to JSONDecoder, so
/// every valid line is still read, and newer fields are not lost silently.
public struct RecordLineParser {
    /// The line, read in place (callers keep it alive while the parser runs).
    private let bytes: UnsafeBufferPointer<UInt8>
    private var i = 0
    /// Where repeated ids are kept, when the caller reads many lines.
    private var interner: StringInterner?
    /// Reading a coding for counting: rule lists, match texts and page labels are stepped over, not kept.
    private var forCounting = false
    /// For counting: the coding's matches neither negated nor hypothetical.
    private var affirmed = 0

    public static func coding(_ line: Data) -> CodingRecord? {
        line.withUnsafeBytes { coding(bytes: $0) }
    }

    /// A coding line's record, read from bytes already in memory without copying them.
    public static func coding(bytes line: UnsafeRawBufferPointer) -> CodingRecord? {
        read(line) { $0.coding() }
    }

    /// As `coding(bytes:)`, taking the ids that repeat from line to line
    /// (document, taxonomy, theme, rule and passage ids) from `interner`.
    public static func coding(bytes line: UnsafeRawBufferPointer, interner: StringInterner) -> CodingRecord? {
        var parser = RecordLineParser(bytes: line.bindMemory(to: UInt8.self))
        parser.interner = interner
        return parser.coding()
    }

    /// What counting a coding needs, read without building its lists and
    /// strings: the record with its rule list and matches empty, its page
    /// label nil, and the number of its matches that are neither negated
    /// nor hypothetical (a quote candidate's first test). Nil as for
    /// `coding(bytes:interner:)`, for the same lines.
    public static func codingForCounting(bytes line: UnsafeRawBufferPointer, interner: StringInterner) -> (
        coding: CodingRecord, affirmed: Int
    )? {
        var parser = RecordLineParser(bytes: line.bindMemory(to: UInt8.self))
        parser.interner = interner
        parser.forCounting = true
        return parser.coding().map { ($0, parser.affirmed) }
    }

    public static func block(_ line: Data) -> BlockRecord? {
        line.withUnsafeBytes { read($0) { $0.block() } }
    }

    /// A passage line's record (nil: let JSONDecoder read the line).
    public static func passage(_ line: Data) -> PassageRecord? {
        line.withUnsafeBytes { passage(bytes: $0) }
    }

    /// A passage line's record, read from bytes already in memory without copying them.
    public static func passage(bytes line: UnsafeRawBufferPointer) -> PassageRecord? {
        read(line) { $0.passage() }
    }

    /// Runs one record's reader over a line's bytes, in place.
    private static func read<Record>(_ line: UnsafeRawBufferPointer, _ record: (inout RecordLineParser) -> Record?)
        -> Record?
    {
        var parser = RecordLineParser(bytes: line.bindMemory(to: UInt8.self))
        return record(&parser)
    }

    private mutating func passage() -> PassageRecord? {
        var record = PassageRecord(
            passageID: "", docID: "", blockIndex: 0, part: 0, page: 0, pageEnd: 0, pageLabel: nil, kind: .paragraph,
            headingPath: [],
            text: "", wordCount: 0, boilerplate: false)
        var keys = KeySet()
        guard consume(UInt8(ascii: "{")) else { return nil }
        repeat {
            guard let key = key(), consume(UInt8(ascii: ":")) else { return nil }
            switch key {
            case Key.type: guard keys.first(0), string() == "passage" else { return nil }
            case Key.schema:
                guard keys.first(1), let value = string() else { return nil }
                record.schema = value
            case Key.passageId:
                guard keys.first(2), let value = string() else { return nil }
                record.passageID = value
            case Key.docId:
                guard keys.first(3), let value = string() else { return nil }
                record.docID = value
            case Key.blockIndex:
                guard keys.first(4), let value = integer() else { return nil }
                record.blockIndex = value
            case Key.part:
                guard keys.first(5), let value = integer() else { return nil }
                record.part = value
            case Key.page:
                guard keys.first(6), let value = integer() else { return nil }
                record.page = value
            case Key.pageEnd:
                guard keys.first(7), let value = integer() else { return nil }
                record.pageEnd = value
            case Key.kind:
                guard keys.first(8), let value = string().flatMap(BlockKind.init(rawValue:)) else { return nil }
                record.kind = value
            case Key.headingPath:
                guard keys.first(9), let value = list({ $0.string() }) else { return nil }
                record.headingPath = value
            case Key.text:
                guard keys.first(10), let value = string() else { return nil }
                record.text = value
            case Key.wordCount:
                guard keys.first(11), let value = integer() else { return nil }
                record.wordCount = value
            case Key.boilerplate:
                guard keys.first(12), let value = boolean() else { return nil }
                record.boilerplate = value
            case Key.pageLabel:
                guard keys.first(13), let value = string() else { return nil }
                record.pageLabel = value
            default: return nil
            }
        } while consume(UInt8(ascii: ","))
        // Every field but the page label is required, as JSONDecoder requires it.
        guard consume(UInt8(ascii: "}")), keys.all(13) else { return nil }
        return record
    }

    private mutating func block() -> BlockRecord? {
        var record = BlockRecord(
            docID: "", page: 0, pageEnd: 0, pageLabel: nil, pageEndLabel: nil, index: -1, kind: .paragraph, level: nil,
            headingPath: [], text: "", bbox: nil)
        var seenType = false
        var seenText = false
        var keys = KeySet()
        guard consume(UInt8(ascii: "{")) else { return nil }
        repeat {
            guard let key = key(), consume(UInt8(ascii: ":")) else { return nil }
            switch key {
            case Key.type:
                guard keys.first(0), string() == "block" else { return nil }
                seenType = true
            case Key.schema:
                guard keys.first(1), let value = string() else { return nil }
                record.schema = value
            case Key.docId:
                guard keys.first(2), let value = string() else { return nil }
                record.docID = value
            case Key.page:
                guard keys.first(3), let value = integer() else { return nil }
                record.page = value
            case Key.pageEnd:
                guard keys.first(4), let value = integer() else { return nil }
                record.pageEnd = value
            case Key.pageLabel:
                guard keys.first(5), let value = string() else { return nil }
                record.pageLabel = value
            case Key.pageEndLabel:
                guard keys.first(6), let value = string() else { return nil }
                record.pageEndLabel = value
            case Key.index:
                guard keys.first(7), let value = integer() else { return nil }
                record.index = value
            case Key.level:
                guard keys.first(8), let value = integer() else { return nil }
                record.level = value
            case Key.kind:
                guard keys.first(9), let value = string().flatMap(BlockKind.init(rawValue:)) else { return nil }
                record.kind = value
            case Key.headingPath:
                guard keys.first(10), let value = list({ $0.string() }) else { return nil }
                record.headingPath = value
            case Key.text:
                guard keys.first(11), let value = string() else { return nil }
                record.text = value
                seenText = true
            case Key.bbox:
                guard keys.first(12), let value = box() else { return nil }
                record.bbox = value
            case Key.ocrConfidence:
                guard keys.first(13), let value = number() else { return nil }
                record.ocrConfidence = value
            default: return nil
            }
        } while consume(UInt8(ascii: ","))
        guard consume(UInt8(ascii: "}")), seenType, seenText, record.index >= 0 else { return nil }
        return record
    }

    private mutating func box() -> BoundingBox? {
        var box = BoundingBox(x0: 0, y0: 0, x1: 0, y1: 0)
        var keys = KeySet()
        guard consume(UInt8(ascii: "{")) else { return nil }
        repeat {
            guard let key = key(), consume(UInt8(ascii: ":")), let value = number() else { return nil }
            switch key {
            case Key.x0 where keys.first(0): box.x0 = value
            case Key.y0 where keys.first(1): box.y0 = value
            case Key.x1 where keys.first(2): box.x1 = value
            case Key.y1 where keys.first(3): box.y1 = value
            default: return nil
            }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}")) ? box : nil
    }

    private mutating func number() -> Double? {
        let start = i
        while i < bytes.count, let c = Optional(bytes[i]),
            (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: "e")
                || c == UInt8(ascii: "E") || c == UInt8(ascii: "+")
        {
            i += 1
        }
        // Past Double's range ("1e400") would read as infinity, which no JSON writer can write back.
        guard i > start, let value = Double(String(decoding: bytes[start..<i], as: UTF8.self)), value.isFinite else {
            return nil
        }
        return value
    }

    private mutating func coding() -> CodingRecord? {
        var record = CodingRecord(
            passageID: "", docID: "", page: 0, pageLabel: nil, taxonomy: "", theme: "", subtheme: nil, rules: [],
            matches: [],
            negated: false, hypothetical: false, boilerplate: false)
        var seenType = false
        var keys = KeySet()
        guard consume(UInt8(ascii: "{")) else { return nil }
        repeat {
            guard let key = key(), consume(UInt8(ascii: ":")) else { return nil }
            switch key {
            case Key.type:
                guard keys.first(0), string() == "coding" else { return nil }
                seenType = true
            case Key.schema:
                guard keys.first(1), let schema = string(.shared) else { return nil }
                record.schema = schema
            case Key.passageId:
                guard keys.first(2), let value = string(.recent) else { return nil }
                record.passageID = value
            case Key.docId:
                guard keys.first(3), let value = string(.shared) else { return nil }
                record.docID = value
            case Key.page:
                guard keys.first(4), let value = integer() else { return nil }
                record.page = value
            case Key.pageLabel:
                guard keys.first(5), let value = string(forCounting ? .skip : .none) else { return nil }
                record.pageLabel = forCounting ? nil : value
            case Key.taxonomy:
                guard keys.first(6), let value = string(.shared) else { return nil }
                record.taxonomy = value
            case Key.theme:
                guard keys.first(7), let value = string(.shared) else { return nil }
                record.theme = value
            case Key.subtheme:
                guard keys.first(8), let value = string(.shared) else { return nil }
                record.subtheme = value
            case Key.negated:
                guard keys.first(9), let value = boolean() else { return nil }
                record.negated = value
            case Key.hypothetical:
                guard keys.first(10), let value = boolean() else { return nil }
                record.hypothetical = value
            case Key.boilerplate:
                guard keys.first(11), let value = boolean() else { return nil }
                record.boilerplate = value
            case Key.rules:
                guard keys.first(12) else { return nil }
                if forCounting {
                    guard each({ $0.string(.skip) != nil }) else { return nil }
                } else {
                    guard let rules = list({ $0.string(.shared) }) else { return nil }
                    record.rules = rules
                }
            case Key.matches:
                guard keys.first(13) else { return nil }
                if forCounting {
                    let counted = each { parser in
                        guard let span = parser.match() else { return false }
                        if span.isAffirmed { parser.affirmed += 1 }
                        return true
                    }
                    guard counted else { return nil }
                } else {
                    guard let matches = list({ $0.match() }) else { return nil }
                    record.matches = matches
                }
            default:
                return nil // a newer field: let JSONDecoder handle the line
            }
        } while consume(UInt8(ascii: ","))
        guard consume(UInt8(ascii: "}")), seenType, !record.passageID.isEmpty else { return nil }
        return record
    }

    private mutating func match() -> MatchSpan? {
        var span = MatchSpan(rule: "", start: 0, end: 0, text: "", negated: false, hypothetical: false)
        var keys = KeySet()
        guard consume(UInt8(ascii: "{")) else { return nil }
        repeat {
            guard let key = key(), consume(UInt8(ascii: ":")) else { return nil }
            switch key {
            case Key.rule:
                guard keys.first(0), let value = string(forCounting ? .skip : .shared) else { return nil }
                span.rule = value
            case Key.start:
                guard keys.first(1), let value = integer() else { return nil }
                span.start = value
            case Key.end:
                guard keys.first(2), let value = integer() else { return nil }
                span.end = value
            case Key.text:
                guard keys.first(3), let value = string(forCounting ? .skip : .none) else { return nil }
                span.text = value
            case Key.negated:
                guard keys.first(4), let value = boolean() else { return nil }
                span.negated = value
            case Key.hypothetical:
                guard keys.first(5), let value = boolean() else { return nil }
                span.hypothetical = value
            default: return nil
            }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}")) ? span : nil
    }

    /// A JSON array whose elements `element` reads.
    private mutating func list<T>(_ element: (inout RecordLineParser) -> T?) -> [T]? {
        var items: [T] = []
        let read = each { parser in
            guard let item = element(&parser) else { return false }
            items.append(item)
            return true
        }
        return read ? items : nil
    }

    /// Steps through a JSON array, `element` reading each element (false: not a valid element).
    private mutating func each(_ element: (inout RecordLineParser) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "[")) else { return false }
        if consume(UInt8(ascii: "]")) { return true }
        repeat {
            guard element(&self) else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "]"))
    }

    /// The keys of one object seen so far, by their place in the parser's list.
    /// A key given twice is refused: what JSON means then is not defined, and
    /// JSONDecoder, which then reads the line, must be the one that decides
    /// (found by fuzzing: the two readers took different copies).
    private struct KeySet {
        private var bits: UInt32 = 0

        /// Whether the keys numbered 0..<count have all been seen.
        func all(_ count: Int) -> Bool { bits & ((UInt32(1) << count) - 1) == (UInt32(1) << count) - 1 }

        mutating func first(_ key: Int) -> Bool {
            let bit = UInt32(1) << key
            defer { bits |= bit }
            return bits & bit == 0
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard i < bytes.count, bytes[i] == byte else { return false }
        i += 1
        return true
    }

    /// A field name, its bytes packed into two words (names of up to 15
    /// bytes; longer ones match no field), so that a field is recognised by
    /// comparing integers rather than by building and comparing strings.
    struct Key: Equatable {
        let low: UInt64
        let high: UInt64

        init(bytes: UnsafeBufferPointer<UInt8>) {
            guard bytes.count <= 15 else {
                (low, high) = (0, .max)
                return
            }
            var low: UInt64 = 0
            var high = UInt64(bytes.count) << 56
            for (k, byte) in bytes.enumerated() {
                if k < 8 { low |= UInt64(byte) << (8 * UInt64(k)) } else { high |= UInt64(byte) << (8 * UInt64(k - 8)) }
            }
            (self.low, self.high) = (low, high)
        }

        init(_ name: StaticString) {
            self.init(bytes: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        }

        static let bbox = Key("bbox")
        static let ocrConfidence = Key("ocr_confidence")
        static let blockIndex = Key("block_index")
        static let boilerplate = Key("boilerplate")
        static let docId = Key("doc_id")
        static let end = Key("end")
        static let headingPath = Key("heading_path")
        static let hypothetical = Key("hypothetical")
        static let index = Key("index")
        static let kind = Key("kind")
        static let level = Key("level")
        static let matches = Key("matches")
        static let negated = Key("negated")
        static let page = Key("page")
        static let pageEnd = Key("page_end")
        static let pageEndLabel = Key("page_end_label")
        static let pageLabel = Key("page_label")
        static let part = Key("part")
        static let passageId = Key("passage_id")
        static let rule = Key("rule")
        static let rules = Key("rules")
        static let schema = Key("schema")
        static let start = Key("start")
        static let subtheme = Key("subtheme")
        static let taxonomy = Key("taxonomy")
        static let text = Key("text")
        static let theme = Key("theme")
        static let type = Key("type")
        static let wordCount = Key("word_count")
        static let x0 = Key("x0")
        static let x1 = Key("x1")
        static let y0 = Key("y0")
        static let y1 = Key("y1")
    }

    /// A field name without escapes (anything else: nil).
    private mutating func key() -> Key? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = i
        while i < bytes.count && bytes[i] != UInt8(ascii: "\"") {
            if bytes[i] == UInt8(ascii: "\\") { return nil }
            i += 1
        }
        guard i < bytes.count else { return nil }
        defer { i += 1 }
        return Key(bytes: UnsafeBufferPointer(rebasing: bytes[start..<i]))
    }

    /// Whether a value may be shared with other lines' (through `interner`).
    private enum Reuse {
        case none
        /// One of a few ids met again and again.
        case shared
        /// The same as the previous line's, often.
        case recent
        /// Not needed: checked and stepped over, and "" returned.
        case skip
    }

    /// A string without escapes other than \" and \\ (anything else: nil).
    private mutating func string(_ reuse: Reuse = .none) -> String? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = i
        var plain = true
        while i < bytes.count && bytes[i] != UInt8(ascii: "\"") {
            if bytes[i] == UInt8(ascii: "\\") {
                plain = false
                guard i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") || bytes[i + 1] == UInt8(ascii: "\\")
                else { return nil }
                i += 2
            } else {
                i += 1
            }
        }
        guard i < bytes.count else { return nil }
        let raw = bytes[start..<i]
        i += 1
        if reuse == .skip { return "" }
        if plain {
            switch (reuse, interner) {
            case (.shared, let interner?): return interner.string(UnsafeBufferPointer(rebasing: raw))
            case (.recent, let interner?): return interner.recent(UnsafeBufferPointer(rebasing: raw))
            default: return String(decoding: raw, as: UTF8.self)
            }
        }
        var unescaped: [UInt8] = []
        var k = raw.startIndex
        while k < raw.endIndex {
            if raw[k] == UInt8(ascii: "\\") { k += 1 }
            unescaped.append(raw[k])
            k += 1
        }
        return String(decoding: unescaped, as: UTF8.self)
    }

    private mutating func integer() -> Int? {
        let start = i
        if i < bytes.count && bytes[i] == UInt8(ascii: "-") { i += 1 }
        while i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1 }
        guard i > start else { return nil }
        if i < bytes.count && (bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: "e")) { return nil }
        // Digit by digit; a value past Int's range is nil, as Int("…") would give.
        let negative = bytes[start] == UInt8(ascii: "-")
        var value = 0
        for k in (negative ? start + 1 : start)..<i {
            let digit = Int(bytes[k] &- 0x30)
            let (times, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) =
                negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            if overflowA || overflowB { return nil }
            value = next
        }
        return negative && i == start + 1 ? nil : value
    }

    private mutating func boolean() -> Bool? {
        // Byte by byte: a generic `starts(with:)` here was a tenth of reading a coding line.
        if i + 4 <= bytes.count && bytes[i] == UInt8(ascii: "t") && bytes[i + 1] == UInt8(ascii: "r")
            && bytes[i + 2] == UInt8(ascii: "u") && bytes[i + 3] == UInt8(ascii: "e")
        {
            i += 4
            return true
        }
        if i + 5 <= bytes.count && bytes[i] == UInt8(ascii: "f") && bytes[i + 1] == UInt8(ascii: "a")
            && bytes[i + 2] == UInt8(ascii: "l") && bytes[i + 3] == UInt8(ascii: "s")
            && bytes[i + 4] == UInt8(ascii: "e")
        {
            i += 5
            return false
        }
        return nil
    }
}
