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

    public static func coding(_ line: Data) -> CodingRecord? {
        line.withUnsafeBytes { coding(bytes: $0) }
    }

    /// A coding line's record, read from bytes already in memory without copying them.
    public static func coding(bytes line: UnsafeRawBufferPointer) -> CodingRecord? {
        read(line) { $0.coding() }
    }

    public static func block(_ line: Data) -> BlockRecord? {
        line.withUnsafeBytes { read($0) { $0.block() } }
    }

    /// A passage line's record (nil: let JSONDecoder read the line).
    public static func passage(_ line: Data) -> PassageRecord? {
        line.withUnsafeBytes { read($0) { $0.passage() } }
    }

    /// Runs one record's reader over a line's bytes, in place.
    private static func read<Record>(_ line: UnsafeRawBufferPointer, _ record: (inout RecordLineParser) -> Record?) -> Record? {
        var parser = RecordLineParser(bytes: line.bindMemory(to: UInt8.self))
        return record(&parser)
    }

    private mutating func passage() -> PassageRecord? {
        var record = PassageRecord(
            passageID: "", docID: "", blockIndex: 0, part: 0, page: 0, pageEnd: 0, pageLabel: nil, kind: .paragraph, headingPath: [],
            text: "", wordCount: 0, boilerplate: false)
        var keys = KeySet()
        guard consume(UInt8(ascii: "{")) else { return nil }
        repeat {
            guard let key = string(), consume(UInt8(ascii: ":")) else { return nil }
            switch key {
            case "type": guard keys.first(0), string() == "passage" else { return nil }
            case "schema": guard keys.first(1), let value = string() else { return nil }; record.schema = value
            case "passage_id": guard keys.first(2), let value = string() else { return nil }; record.passageID = value
            case "doc_id": guard keys.first(3), let value = string() else { return nil }; record.docID = value
            case "block_index": guard keys.first(4), let value = integer() else { return nil }; record.blockIndex = value
            case "part": guard keys.first(5), let value = integer() else { return nil }; record.part = value
            case "page": guard keys.first(6), let value = integer() else { return nil }; record.page = value
            case "page_end": guard keys.first(7), let value = integer() else { return nil }; record.pageEnd = value
            case "kind": guard keys.first(8), let value = string().flatMap(BlockKind.init(rawValue:)) else { return nil }; record.kind = value
            case "heading_path": guard keys.first(9), let value = list({ $0.string() }) else { return nil }; record.headingPath = value
            case "text": guard keys.first(10), let value = string() else { return nil }; record.text = value
            case "word_count": guard keys.first(11), let value = integer() else { return nil }; record.wordCount = value
            case "boilerplate": guard keys.first(12), let value = boolean() else { return nil }; record.boilerplate = value
            case "page_label": guard keys.first(13), let value = string() else { return nil }; record.pageLabel = value
            default: return nil
            }
        } while consume(UInt8(ascii: ","))
        // Every field but the page label is required, as JSONDecoder requires it.
        guard consume(UInt8(ascii: "}")), keys.all(13) else { return nil }
        return record
    }

    private mutating func block() -> BlockRecord? {
        var record = BlockRecord(docID: "", page: 0, pageEnd: 0, pageLabel: nil, pageEndLabel: nil, index: -1, kind: .paragraph, level: nil, headingPath: [], text: "", bbox: nil)
        var seenType = false
        var seenText = false
        var keys = KeySet()
        guard consume(UInt8(ascii: "{")) else { return nil }
        repeat {
            guard let key = string(), consume(UInt8(ascii: ":")) else { return nil }
            switch key {
            case "type": guard keys.first(0), string() == "block" else { return nil }; seenType = true
            case "schema": guard keys.first(1), let value = string() else { return nil }; record.schema = value
            case "doc_id": guard keys.first(2), let value = string() else { return nil }; record.docID = value
            case "page": guard keys.first(3), let value = integer() else { return nil }; record.page = value
            case "page_end": guard keys.first(4), let value = integer() else { return nil }; record.pageEnd = value
            case "page_label": guard keys.first(5), let value = string() else { return nil }; record.pageLabel = value
            case "page_end_label": guard keys.first(6), let value = string() else { return nil }; record.pageEndLabel = value
            case "index": guard keys.first(7), let value = integer() else { return nil }; record.index = value
            case "level": guard keys.first(8), let value = integer() else { return nil }; record.level = value
            case "kind": guard keys.first(9), let value = string().flatMap(BlockKind.init(rawValue:)) else { return nil }; record.kind = value
            case "heading_path": guard keys.first(10), let value = list({ $0.string() }) else { return nil }; record.headingPath = value
            case "text": guard keys.first(11), let value = string() else { return nil }; record.text = value; seenText = true
            case "bbox": guard keys.first(12), let value = box() else { return nil }; record.bbox = value
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
            guard let key = string(), consume(UInt8(ascii: ":")), let value = number() else { return nil }
            switch key {
            case "x0" where keys.first(0): box.x0 = value
            case "y0" where keys.first(1): box.y0 = value
            case "x1" where keys.first(2): box.x1 = value
            case "y1" where keys.first(3): box.y1 = value
            default: return nil
            }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}")) ? box : nil
    }

    private mutating func number() -> Double? {
        let start = i
        while i < bytes.count, let c = Optional(bytes[i]), (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || c == UInt8(ascii: "+") {
            i += 1
        }
        // Past Double's range ("1e400") would read as infinity, which no JSON writer can write back.
        guard i > start, let value = Double(String(decoding: bytes[start..<i], as: UTF8.self)), value.isFinite else { return nil }
        return value
    }

    private mutating func coding() -> CodingRecord? {
        var record = CodingRecord(
            passageID: "", docID: "", page: 0, pageLabel: nil, taxonomy: "", theme: "", subtheme: nil, rules: [], matches: [],
            negated: false, hypothetical: false, boilerplate: false)
        var seenType = false
        var keys = KeySet()
        guard consume(UInt8(ascii: "{")) else { return nil }
        repeat {
            guard let key = string(), consume(UInt8(ascii: ":")) else { return nil }
            switch key {
            case "type": guard keys.first(0), string() == "coding" else { return nil }; seenType = true
            case "schema": guard keys.first(1), let schema = string() else { return nil }; record.schema = schema
            case "passage_id": guard keys.first(2), let value = string() else { return nil }; record.passageID = value
            case "doc_id": guard keys.first(3), let value = string() else { return nil }; record.docID = value
            case "page": guard keys.first(4), let value = integer() else { return nil }; record.page = value
            case "page_label": guard keys.first(5), let value = string() else { return nil }; record.pageLabel = value
            case "taxonomy": guard keys.first(6), let value = string() else { return nil }; record.taxonomy = value
            case "theme": guard keys.first(7), let value = string() else { return nil }; record.theme = value
            case "subtheme": guard keys.first(8), let value = string() else { return nil }; record.subtheme = value
            case "negated": guard keys.first(9), let value = boolean() else { return nil }; record.negated = value
            case "hypothetical": guard keys.first(10), let value = boolean() else { return nil }; record.hypothetical = value
            case "boilerplate": guard keys.first(11), let value = boolean() else { return nil }; record.boilerplate = value
            case "rules": guard keys.first(12), let rules = list({ $0.string() }) else { return nil }; record.rules = rules
            case "matches": guard keys.first(13), let matches = list({ $0.match() }) else { return nil }; record.matches = matches
            default:
                return nil  // a newer field: let JSONDecoder handle the line
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
            guard let key = string(), consume(UInt8(ascii: ":")) else { return nil }
            switch key {
            case "rule": guard keys.first(0), let value = string() else { return nil }; span.rule = value
            case "start": guard keys.first(1), let value = integer() else { return nil }; span.start = value
            case "end": guard keys.first(2), let value = integer() else { return nil }; span.end = value
            case "text": guard keys.first(3), let value = string() else { return nil }; span.text = value
            case "negated": guard keys.first(4), let value = boolean() else { return nil }; span.negated = value
            case "hypothetical": guard keys.first(5), let value = boolean() else { return nil }; span.hypothetical = value
            default: return nil
            }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}")) ? span : nil
    }

    /// A JSON array whose elements `element` reads.
    private mutating func list<T>(_ element: (inout RecordLineParser) -> T?) -> [T]? {
        guard consume(UInt8(ascii: "[")) else { return nil }
        var items: [T] = []
        if consume(UInt8(ascii: "]")) { return items }
        repeat {
            guard let item = element(&self) else { return nil }
            items.append(item)
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "]")) ? items : nil
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

    /// A string without escapes other than \" and \\ (anything else: nil).
    private mutating func string() -> String? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = i
        var plain = true
        while i < bytes.count && bytes[i] != UInt8(ascii: "\"") {
            if bytes[i] == UInt8(ascii: "\\") {
                plain = false
                guard i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") || bytes[i + 1] == UInt8(ascii: "\\") else { return nil }
                i += 2
            } else {
                i += 1
            }
        }
        guard i < bytes.count else { return nil }
        let raw = bytes[start..<i]
        i += 1
        if plain { return String(decoding: raw, as: UTF8.self) }
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
            let (next, overflowB) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            if overflowA || overflowB { return nil }
            value = next
        }
        return negative && i == start + 1 ? nil : value
    }

    private mutating func boolean() -> Bool? {
        if bytes[i...].starts(with: "true".utf8) { i += 4; return true }
        if bytes[i...].starts(with: "false".utf8) { i += 5; return false }
        return nil
    }
}
