/// Writes `block`, `passage` and `coding` records as JSON Lines by hand: the
/// same keys, order and escaping as `JSONLinesEncoder` (sorted keys, no escaped
/// slashes), at a fraction of the cost, since a corpus has tens of thousands
/// of each. Tests check that both give the same bytes.
public enum RecordLineWriter {
    public static func append(_ block: BlockRecord, to out: LineBuffer) {
        var object = Fields(out)
        if let bbox = block.bbox {
            object.key("bbox", out)
            var box = Fields(out)
            box.number("x0", bbox.x0, out)
            box.number("x1", bbox.x1, out)
            box.number("y0", bbox.y0, out)
            box.number("y1", bbox.y1, out)
            out.append(UInt8(ascii: "}"))
        }
        object.string("doc_id", block.docID, out)
        object.strings("heading_path", block.headingPath, out)
        object.integer("index", block.index, out)
        object.string("kind", block.kind.rawValue, out)
        if let level = block.level { object.integer("level", level, out) }
        if let confidence = block.ocrConfidence { object.number("ocr_confidence", confidence, out) }
        object.integer("page", block.page, out)
        object.integer("page_end", block.pageEnd, out)
        if let label = block.pageEndLabel { object.string("page_end_label", label, out) }
        if let label = block.pageLabel { object.string("page_label", label, out) }
        object.string("schema", block.schema, out)
        object.string("text", block.text, out)
        object.string("type", block.type, out)
        out.append(UInt8(ascii: "}"))
        out.append(0x0A)
    }

    public static func append(_ passage: PassageRecord, to out: LineBuffer) {
        var object = Fields(out)
        object.integer("block_index", passage.blockIndex, out)
        object.boolean("boilerplate", passage.boilerplate, out)
        object.string("doc_id", passage.docID, out)
        object.strings("heading_path", passage.headingPath, out)
        object.string("kind", passage.kind.rawValue, out)
        object.integer("page", passage.page, out)
        object.integer("page_end", passage.pageEnd, out)
        if let label = passage.pageLabel { object.string("page_label", label, out) }
        object.integer("part", passage.part, out)
        object.string("passage_id", passage.passageID, out)
        object.string("schema", passage.schema, out)
        object.string("text", passage.text, out)
        object.string("type", passage.type, out)
        object.integer("word_count", passage.wordCount, out)
        out.append(UInt8(ascii: "}"))
        out.append(0x0A)
    }

    public static func append(_ coding: CodingRecord, to out: LineBuffer) {
        var object = Fields(out)
        object.boolean("boilerplate", coding.boilerplate, out)
        object.string("doc_id", coding.docID, out)
        object.boolean("hypothetical", coding.hypothetical, out)
        object.key("matches", out)
        out.append(UInt8(ascii: "["))
        for (i, match) in coding.matches.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            var span = Fields(out)
            span.integer("end", match.end, out)
            span.boolean("hypothetical", match.hypothetical, out)
            span.boolean("negated", match.negated, out)
            span.string("rule", match.rule, out)
            span.integer("start", match.start, out)
            span.string("text", match.text, out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        object.boolean("negated", coding.negated, out)
        object.integer("page", coding.page, out)
        if let label = coding.pageLabel { object.string("page_label", label, out) }
        object.string("passage_id", coding.passageID, out)
        object.strings("rules", coding.rules, out)
        object.string("schema", coding.schema, out)
        if let subtheme = coding.subtheme { object.string("subtheme", subtheme, out) }
        object.string("taxonomy", coding.taxonomy, out)
        object.string("theme", coding.theme, out)
        object.string("type", coding.type, out)
        out.append(UInt8(ascii: "}"))
        out.append(0x0A)
    }

    /// The same lines written into an array (for callers that hold one).
    public static func append(_ block: BlockRecord, to out: inout [UInt8]) {
        appending(to: &out) { append(block, to: $0) }
    }
    public static func append(_ passage: PassageRecord, to out: inout [UInt8]) {
        appending(to: &out) { append(passage, to: $0) }
    }
    public static func append(_ coding: CodingRecord, to out: inout [UInt8]) {
        appending(to: &out) { append(coding, to: $0) }
    }

    private static func appending(to out: inout [UInt8], _ write: (LineBuffer) -> Void) {
        let buffer = LineBuffer(capacity: 1024)
        write(buffer)
        buffer.withUnsafeBytes { out.append(contentsOf: $0) }
    }

    /// Writes one JSON object's fields into a buffer: keys in the order given
    /// (callers give them sorted), commas between them.
    struct Fields {
        private var first = true

        /// Opens the object.
        init(_ out: LineBuffer) { out.append(UInt8(ascii: "{")) }

        /// `"name":`, after a comma unless it is the object's first key.
        @inline(__always)
        mutating func key(_ name: StaticString, _ out: LineBuffer) {
            let length = name.utf8CodeUnitCount
            let at = out.room(length + 4)
            var written = 0
            if !first {
                at[0] = UInt8(ascii: ",")
                written = 1
            }
            first = false
            at[written] = UInt8(ascii: "\"")
            (at + written + 1).update(from: name.utf8Start, count: length)
            at[written + 1 + length] = UInt8(ascii: "\"")
            at[written + 2 + length] = UInt8(ascii: ":")
            out.wrote(written + 3 + length)
        }

        mutating func string(_ name: StaticString, _ value: String, _ out: LineBuffer) {
            key(name, out)
            RecordLineWriter.string(value, out)
        }

        mutating func strings(_ name: StaticString, _ values: [String], _ out: LineBuffer) {
            key(name, out)
            out.append(UInt8(ascii: "["))
            for (i, value) in values.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                RecordLineWriter.string(value, out)
            }
            out.append(UInt8(ascii: "]"))
        }

        mutating func integer(_ name: StaticString, _ value: Int, _ out: LineBuffer) {
            key(name, out)
            RecordLineWriter.integer(value, out)
        }

        mutating func boolean(_ name: StaticString, _ value: Bool, _ out: LineBuffer) {
            key(name, out)
            let at = out.room(5)
            if value {
                (at[0], at[1], at[2], at[3]) = (0x74, 0x72, 0x75, 0x65)
                out.wrote(4)
            } else {
                (at[0], at[1], at[2], at[3], at[4]) = (0x66, 0x61, 0x6C, 0x73, 0x65)
                out.wrote(5)
            }
        }

        mutating func number(_ name: StaticString, _ value: Double, _ out: LineBuffer) {
            key(name, out)
            RecordLineWriter.number(value, out)
        }
    }

    /// A JSON string: quoted, with quotes, backslashes and control characters escaped.
    static func string(_ text: String, _ out: LineBuffer) {
        // A native string's bytes are read where they are (no copy of the string to make it mutable).
        if text.utf8.withContiguousStorageIfAvailable({ string($0, out) }) == nil {
            var copy = text
            copy.withUTF8 { string($0, out) }
        }
    }

    static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ out: LineBuffer) {
        let count = bytes.count
        // No byte becomes more than six.
        let at = out.room(count * 6 + 2)
        at[0] = UInt8(ascii: "\"")
        var written = 1
        if let from = bytes.baseAddress {
            var i = 0
            // Eight bytes at a time: a word with nothing to escape (nearly all of them) is copied as it is.
            while i + 8 <= count {
                let word = UnsafeRawPointer(from + i).loadUnaligned(as: UInt64.self)
                if needsEscaping(word) {
                    for k in i..<(i + 8) { written = put(from[k], at, written) }
                } else {
                    UnsafeMutableRawPointer(at + written).storeBytes(of: word, as: UInt64.self)
                    written += 8
                }
                i += 8
            }
            // The last few bytes: when the string's last eight bytes need no
            // escaping, they are copied as one word that overlaps bytes already
            // written (those came out as they were, byte for byte).
            if i < count && count >= 8 {
                let last = UnsafeRawPointer(from + count - 8).loadUnaligned(as: UInt64.self)
                if !needsEscaping(last) {
                    UnsafeMutableRawPointer(at + written - (i - (count - 8))).storeBytes(of: last, as: UInt64.self)
                    written += count - i
                    i = count
                }
            }
            while i < count {
                written = put(from[i], at, written)
                i += 1
            }
        }
        at[written] = UInt8(ascii: "\"")
        out.wrote(written + 1)
    }

    /// Whether any of a word's eight bytes is a control character (below
    /// 0x20), a quote or a backslash: the exact yes-or-no of the "has a byte
    /// less than n" and "has a zero byte" word tests.
    @inline(__always)
    static func needsEscaping(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- ones &* 0x20) & ~word
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        return (control | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)) & highBits != 0
    }

    /// Writes one byte at `at + written`, escaped if it must be; returns the new count.
    @inline(__always)
    static func put(_ byte: UInt8, _ at: UnsafeMutablePointer<UInt8>, _ written: Int) -> Int {
        let escaped: UInt8
        switch byte {
        case UInt8(ascii: "\""): escaped = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): escaped = UInt8(ascii: "\\")
        case 0x0A: escaped = UInt8(ascii: "n")
        case 0x0D: escaped = UInt8(ascii: "r")
        case 0x09: escaped = UInt8(ascii: "t")
        case 0x08: escaped = UInt8(ascii: "b")
        case 0x0C: escaped = UInt8(ascii: "f")
        case 0..<0x20:
            (at[written], at[written + 1], at[written + 2], at[written + 3]) = (0x5C, UInt8(ascii: "u"), 0x30, 0x30)
            (at[written + 4], at[written + 5]) = (hexDigit(byte >> 4), hexDigit(byte & 0xF))
            return written + 6
        default:
            at[written] = byte
            return written + 1
        }
        at[written] = 0x5C
        at[written + 1] = escaped
        return written + 2
    }

    /// An integer in decimal, written digit by digit (no intermediate string).
    static func integer(_ value: Int, _ out: LineBuffer) {
        out.wrote(decimal(value, at: out.room(20)))
    }

    /// Writes an integer in decimal at `at` (at most 20 bytes) and returns how many bytes it took.
    @inline(__always)
    static func decimal(_ value: Int, at: UnsafeMutablePointer<UInt8>) -> Int {
        var written = 0
        if value < 0 {
            at[0] = UInt8(ascii: "-")
            written = 1
        }
        var magnitude = value.magnitude
        var digits = 1
        var rest = magnitude
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        written += digits
        var k = written
        repeat {
            k -= 1
            at[k] = 0x30 + UInt8(magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        return written
    }

    @inline(__always)
    static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 + value : 0x57 + value }

    /// Doubles as JSONEncoder writes them: integral values without a fraction.
    static func number(_ value: Double, _ out: LineBuffer) {
        if value == value.rounded(), abs(value) < 1e15 {
            integer(Int(Int64(value)), out)
        } else {
            var text = value.description
            text.withUTF8 { out.append(UnsafeRawBufferPointer($0)) }
        }
    }
}
