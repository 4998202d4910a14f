/// Writes `block`, `passage` and `coding` records as JSON Lines by hand: the
/// same keys, order and escaping as `JSONLinesEncoder` (sorted keys, no escaped
/// slashes), at a fraction of the cost, since a corpus has tens of thousands
/// of each. Tests check that both give the same bytes.
public enum RecordLineWriter {
    public static func append(_ block: BlockRecord, to out: inout [UInt8]) {
        var object = Fields(&out)
        if let bbox = block.bbox {
            object.key("bbox", &out)
            var box = Fields(&out)
            box.number("x0", bbox.x0, &out)
            box.number("x1", bbox.x1, &out)
            box.number("y0", bbox.y0, &out)
            box.number("y1", bbox.y1, &out)
            out.append(UInt8(ascii: "}"))
        }
        object.string("doc_id", block.docID, &out)
        object.strings("heading_path", block.headingPath, &out)
        object.integer("index", block.index, &out)
        object.string("kind", block.kind.rawValue, &out)
        if let level = block.level { object.integer("level", level, &out) }
        object.integer("page", block.page, &out)
        object.integer("page_end", block.pageEnd, &out)
        if let label = block.pageEndLabel { object.string("page_end_label", label, &out) }
        if let label = block.pageLabel { object.string("page_label", label, &out) }
        object.string("schema", block.schema, &out)
        object.string("text", block.text, &out)
        object.string("type", block.type, &out)
        out.append(UInt8(ascii: "}"))
        out.append(0x0A)
    }

    public static func append(_ passage: PassageRecord, to out: inout [UInt8]) {
        var object = Fields(&out)
        object.integer("block_index", passage.blockIndex, &out)
        object.boolean("boilerplate", passage.boilerplate, &out)
        object.string("doc_id", passage.docID, &out)
        object.strings("heading_path", passage.headingPath, &out)
        object.string("kind", passage.kind.rawValue, &out)
        object.integer("page", passage.page, &out)
        object.integer("page_end", passage.pageEnd, &out)
        if let label = passage.pageLabel { object.string("page_label", label, &out) }
        object.integer("part", passage.part, &out)
        object.string("passage_id", passage.passageID, &out)
        object.string("schema", passage.schema, &out)
        object.string("text", passage.text, &out)
        object.string("type", passage.type, &out)
        object.integer("word_count", passage.wordCount, &out)
        out.append(UInt8(ascii: "}"))
        out.append(0x0A)
    }

    public static func append(_ coding: CodingRecord, to out: inout [UInt8]) {
        var object = Fields(&out)
        object.boolean("boilerplate", coding.boilerplate, &out)
        object.string("doc_id", coding.docID, &out)
        object.boolean("hypothetical", coding.hypothetical, &out)
        object.key("matches", &out)
        out.append(UInt8(ascii: "["))
        for (i, match) in coding.matches.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            var span = Fields(&out)
            span.integer("end", match.end, &out)
            span.boolean("hypothetical", match.hypothetical, &out)
            span.boolean("negated", match.negated, &out)
            span.string("rule", match.rule, &out)
            span.integer("start", match.start, &out)
            span.string("text", match.text, &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        object.boolean("negated", coding.negated, &out)
        object.integer("page", coding.page, &out)
        if let label = coding.pageLabel { object.string("page_label", label, &out) }
        object.string("passage_id", coding.passageID, &out)
        object.strings("rules", coding.rules, &out)
        object.string("schema", coding.schema, &out)
        if let subtheme = coding.subtheme { object.string("subtheme", subtheme, &out) }
        object.string("taxonomy", coding.taxonomy, &out)
        object.string("theme", coding.theme, &out)
        object.string("type", coding.type, &out)
        out.append(UInt8(ascii: "}"))
        out.append(0x0A)
    }

    /// Writes one JSON object's fields into a buffer: keys in the order given
    /// (callers give them sorted), commas between them.
    struct Fields {
        private var first = true

        /// Opens the object.
        init(_ out: inout [UInt8]) { out.append(UInt8(ascii: "{")) }

        mutating func key(_ name: StaticString, _ out: inout [UInt8]) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            out.append(UInt8(ascii: "\""))
            out.append(UInt8(ascii: ":"))
        }

        mutating func string(_ name: StaticString, _ value: String, _ out: inout [UInt8]) {
            key(name, &out)
            RecordLineWriter.string(value, &out)
        }

        mutating func strings(_ name: StaticString, _ values: [String], _ out: inout [UInt8]) {
            key(name, &out)
            out.append(UInt8(ascii: "["))
            for (i, value) in values.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                RecordLineWriter.string(value, &out)
            }
            out.append(UInt8(ascii: "]"))
        }

        mutating func integer(_ name: StaticString, _ value: Int, _ out: inout [UInt8]) {
            key(name, &out)
            RecordLineWriter.integer(value, &out)
        }

        mutating func boolean(_ name: StaticString, _ value: Bool, _ out: inout [UInt8]) {
            key(name, &out)
            out.append(contentsOf: value ? "true".utf8 : "false".utf8)
        }

        mutating func number(_ name: StaticString, _ value: Double, _ out: inout [UInt8]) {
            key(name, &out)
            RecordLineWriter.number(value, &out)
        }
    }

    static func string(_ text: String, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            // Runs of bytes that need no escaping are copied whole.
            var run = 0
            for (i, byte) in bytes.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i]))
                run = i + 1
                switch byte {
                case UInt8(ascii: "\""): out += [0x5C, 0x22]
                case UInt8(ascii: "\\"): out += [0x5C, 0x5C]
                case 0x0A: out += [0x5C, UInt8(ascii: "n")]
                case 0x0D: out += [0x5C, UInt8(ascii: "r")]
                case 0x09: out += [0x5C, UInt8(ascii: "t")]
                case 0x08: out += [0x5C, UInt8(ascii: "b")]
                case 0x0C: out += [0x5C, UInt8(ascii: "f")]
                default: out += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, Self.hexDigit(byte >> 4), Self.hexDigit(byte & 0xF)]
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<bytes.count]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// An integer in decimal, written digit by digit (no intermediate string).
    static func integer(_ value: Int, _ out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = 0x30 + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            out.append(contentsOf: buffer[(20 - count)...])
        }
    }

    @inline(__always)
    static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 + value : 0x57 + value }

    /// Doubles as JSONEncoder writes them: integral values without a fraction.
    static func number(_ value: Double, _ out: inout [UInt8]) {
        if value == value.rounded(), abs(value) < 1e15 {
            integer(Int(Int64(value)), &out)
        } else {
            out += Array(value.description.utf8)
        }
    }
}
