/// The fast writer for the records written by the hundred thousand: `block`,
/// `passage` and `coding` lines, byte for byte what `Wire.line(_:)`
/// (JSONEncoder with sorted keys, slashes not escaped) writes, at a fraction
/// of the cost. Each record is written by walking its `FieldTable` (its own
/// `CodingKeys`, sorted) with an exhaustive `switch`, so the key names and
/// their order come from the Codable definition; `WireFastPathTests` compares
/// the bytes with JSONEncoder's on random records.
extension Wire {
    public static func append(_ block: BlockRecord, to out: LineBuffer) {
        let table = BlockRecord.table
        var object = FastWriter.Object(table, out)
        for (i, field) in table.fields.enumerated() {
            switch field {
            case .bbox:
                guard let bbox = block.bbox else { continue }
                object.key(i)
                FastWriter.box(bbox, out)
            case .docID: object.string(i, block.docID)
            case .headingPath: object.strings(i, block.headingPath)
            case .index: object.integer(i, block.index)
            case .kind: object.string(i, block.kind.rawValue)
            case .level: if let level = block.level { object.integer(i, level) }
            case .ocrConfidence: if let confidence = block.ocrConfidence { object.number(i, confidence) }
            case .page: object.integer(i, block.page)
            case .pageEnd: object.integer(i, block.pageEnd)
            case .pageEndLabel: if let label = block.pageEndLabel { object.string(i, label) }
            case .pageLabel: if let label = block.pageLabel { object.string(i, label) }
            case .schema: object.string(i, block.schema)
            case .text: object.string(i, block.text)
            case .type: object.string(i, block.type)
            }
        }
        object.endLine()
    }

    public static func append(_ passage: PassageRecord, to out: LineBuffer) {
        let table = PassageRecord.table
        var object = FastWriter.Object(table, out)
        for (i, field) in table.fields.enumerated() {
            switch field {
            case .blockIndex: object.integer(i, passage.blockIndex)
            case .boilerplate: object.boolean(i, passage.boilerplate)
            case .docID: object.string(i, passage.docID)
            case .headingPath: object.strings(i, passage.headingPath)
            case .kind: object.string(i, passage.kind.rawValue)
            case .page: object.integer(i, passage.page)
            case .pageEnd: object.integer(i, passage.pageEnd)
            case .pageLabel: if let label = passage.pageLabel { object.string(i, label) }
            case .part: object.integer(i, passage.part)
            case .passageID: object.string(i, passage.passageID)
            case .schema: object.string(i, passage.schema)
            case .text: object.string(i, passage.text)
            case .type: object.string(i, passage.type)
            case .wordCount: object.integer(i, passage.wordCount)
            }
        }
        object.endLine()
    }

    public static func append(_ coding: CodingRecord, to out: LineBuffer) {
        let table = CodingRecord.table
        var object = FastWriter.Object(table, out)
        for (i, field) in table.fields.enumerated() {
            switch field {
            case .boilerplate: object.boolean(i, coding.boilerplate)
            case .docID: object.string(i, coding.docID)
            case .hypothetical: object.boolean(i, coding.hypothetical)
            case .matches:
                object.key(i)
                out.append(UInt8(ascii: "["))
                for (k, match) in coding.matches.enumerated() {
                    if k > 0 { out.append(UInt8(ascii: ",")) }
                    FastWriter.match(match, out)
                }
                out.append(UInt8(ascii: "]"))
            case .negated: object.boolean(i, coding.negated)
            case .page: object.integer(i, coding.page)
            case .pageLabel: if let label = coding.pageLabel { object.string(i, label) }
            case .passageID: object.string(i, coding.passageID)
            case .rules: object.strings(i, coding.rules)
            case .schema: object.string(i, coding.schema)
            case .subtheme: if let subtheme = coding.subtheme { object.string(i, subtheme) }
            case .taxonomy: object.string(i, coding.taxonomy)
            case .theme: object.string(i, coding.theme)
            case .type: object.string(i, coding.type)
            }
        }
        object.endLine()
    }

    /// The same lines appended to an array (for callers that hold one).
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
}

/// The pieces the fast writer is made of: JSON values written straight into a `LineBuffer`.
enum FastWriter {
    static func box(_ bbox: BoundingBox, _ out: LineBuffer) {
        let table = BoundingBox.table
        var object = Object(table, out)
        for (i, field) in table.fields.enumerated() {
            switch field {
            case .x0: object.number(i, bbox.x0)
            case .x1: object.number(i, bbox.x1)
            case .y0: object.number(i, bbox.y0)
            case .y1: object.number(i, bbox.y1)
            }
        }
        object.end()
    }

    static func match(_ match: MatchSpan, _ out: LineBuffer) {
        let table = MatchSpan.table
        var object = Object(table, out)
        for (i, field) in table.fields.enumerated() {
            switch field {
            case .end: object.integer(i, match.end)
            case .hypothetical: object.boolean(i, match.hypothetical)
            case .negated: object.boolean(i, match.negated)
            case .rule: object.string(i, match.rule)
            case .start: object.integer(i, match.start)
            case .text: object.string(i, match.text)
            }
        }
        object.end()
    }

    /// One JSON object being written: each field's key (the `i`th of its
    /// table, so in the table's order), after a comma unless it is the first.
    struct Object<Key: CodingKey & CaseIterable & Sendable> {
        private let table: FieldTable<Key>
        private let out: LineBuffer
        private var first = true

        /// Opens the object.
        init(_ table: FieldTable<Key>, _ out: LineBuffer) {
            self.table = table
            self.out = out
            out.append(UInt8(ascii: "{"))
        }

        /// `"name":` of the table's `i`th field.
        @inline(__always)
        mutating func key(_ i: Int) {
            let start = table.keyStarts[i]
            let length = table.keyStarts[i + 1] - start
            let at = out.room(length + 1)
            var written = 0
            if !first {
                at[0] = UInt8(ascii: ",")
                written = 1
            }
            first = false
            table.keyText.withUnsafeBufferPointer { text in
                (at + written).update(from: text.baseAddress! + start, count: length)
            }
            out.wrote(written + length)
        }

        mutating func string(_ i: Int, _ value: String) {
            key(i)
            FastWriter.string(value, out)
        }

        mutating func strings(_ i: Int, _ values: [String]) {
            key(i)
            out.append(UInt8(ascii: "["))
            for (k, value) in values.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                FastWriter.string(value, out)
            }
            out.append(UInt8(ascii: "]"))
        }

        mutating func integer(_ i: Int, _ value: Int) {
            key(i)
            FastWriter.integer(value, out)
        }

        mutating func boolean(_ i: Int, _ value: Bool) {
            key(i)
            let at = out.room(5)
            if value {
                (at[0], at[1], at[2], at[3]) = (0x74, 0x72, 0x75, 0x65)
                out.wrote(4)
            } else {
                (at[0], at[1], at[2], at[3], at[4]) = (0x66, 0x61, 0x6C, 0x73, 0x65)
                out.wrote(5)
            }
        }

        mutating func number(_ i: Int, _ value: Double) {
            key(i)
            FastWriter.number(value, out)
        }

        /// Closes the object.
        func end() { out.append(UInt8(ascii: "}")) }

        /// Closes the object and the line.
        func endLine() {
            out.append(UInt8(ascii: "}"))
            out.append(0x0A)
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

    /// Doubles as JSONEncoder writes them: Swift's shortest description
    /// without a trailing `.0` (so `-0.0` is `-0` and `1e15` is `1000000000000000`).
    static func number(_ value: Double, _ out: LineBuffer) {
        // Integral values (most coordinates) are written as integers, without making a string.
        if value == value.rounded(), abs(value) < 1e15, value != 0 || value.sign == .plus {
            integer(Int(Int64(value)), out)
        } else {
            var text = value.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            text.withUTF8 { out.append(UnsafeRawBufferPointer($0)) }
        }
    }
}
