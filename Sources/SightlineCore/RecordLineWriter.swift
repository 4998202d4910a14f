/// Writes `block`, `passage` and `coding` records as JSON Lines by hand: the same keys, order and
/// escaping as `JSONLinesEncoder` (sorted keys, no escaped slashes), at a
/// fraction of the cost, since a corpus has tens of thousands of blocks.
/// A test checks that both give the same bytes.
public enum RecordLineWriter {
    public static func append(_ block: BlockRecord, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        if let bbox = block.bbox {
            key("bbox", &out)
            out += Array("{\"x0\":".utf8)
            number(bbox.x0, &out)
            out += Array(",\"x1\":".utf8)
            number(bbox.x1, &out)
            out += Array(",\"y0\":".utf8)
            number(bbox.y0, &out)
            out += Array(",\"y1\":".utf8)
            number(bbox.y1, &out)
            out += Array("},".utf8)
        }
        key("doc_id", &out)
        string(block.docID, &out)
        out += Array(",\"heading_path\":[".utf8)
        for (i, heading) in block.headingPath.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            string(heading, &out)
        }
        out += Array("],\"index\":".utf8)
        out += Array(String(block.index).utf8)
        out += Array(",\"kind\":".utf8)
        string(block.kind.rawValue, &out)
        if let level = block.level {
            out += Array(",\"level\":".utf8)
            out += Array(String(level).utf8)
        }
        out += Array(",\"page\":".utf8)
        out += Array(String(block.page).utf8)
        out += Array(",\"page_end\":".utf8)
        out += Array(String(block.pageEnd).utf8)
        if let label = block.pageEndLabel {
            out += Array(",\"page_end_label\":".utf8)
            string(label, &out)
        }
        if let label = block.pageLabel {
            out += Array(",\"page_label\":".utf8)
            string(label, &out)
        }
        out += Array(",\"schema\":".utf8)
        string(block.schema, &out)
        out += Array(",\"text\":".utf8)
        string(block.text, &out)
        out += Array(",\"type\":".utf8)
        string(block.type, &out)
        out += Array("}\n".utf8)
    }

    public static func append(_ passage: PassageRecord, to out: inout [UInt8]) {
        out += Array("{\"block_index\":".utf8)
        out += Array(String(passage.blockIndex).utf8)
        out += Array(",\"boilerplate\":".utf8)
        out += Array((passage.boilerplate ? "true" : "false").utf8)
        out += Array(",\"doc_id\":".utf8)
        string(passage.docID, &out)
        out += Array(",\"heading_path\":".utf8)
        stringList(passage.headingPath, &out)
        out += Array(",\"kind\":".utf8)
        string(passage.kind.rawValue, &out)
        out += Array(",\"page\":".utf8)
        out += Array(String(passage.page).utf8)
        out += Array(",\"page_end\":".utf8)
        out += Array(String(passage.pageEnd).utf8)
        if let label = passage.pageLabel {
            out += Array(",\"page_label\":".utf8)
            string(label, &out)
        }
        out += Array(",\"part\":".utf8)
        out += Array(String(passage.part).utf8)
        out += Array(",\"passage_id\":".utf8)
        string(passage.passageID, &out)
        out += Array(",\"schema\":".utf8)
        string(passage.schema, &out)
        out += Array(",\"text\":".utf8)
        string(passage.text, &out)
        out += Array(",\"type\":".utf8)
        string(passage.type, &out)
        out += Array(",\"word_count\":".utf8)
        out += Array(String(passage.wordCount).utf8)
        out += Array("}\n".utf8)
    }

    public static func append(_ coding: CodingRecord, to out: inout [UInt8]) {
        out += Array("{\"boilerplate\":".utf8)
        out += Array((coding.boilerplate ? "true" : "false").utf8)
        out += Array(",\"doc_id\":".utf8)
        string(coding.docID, &out)
        out += Array(",\"hypothetical\":".utf8)
        out += Array((coding.hypothetical ? "true" : "false").utf8)
        out += Array(",\"matches\":[".utf8)
        for (i, match) in coding.matches.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out += Array("{\"end\":".utf8)
            out += Array(String(match.end).utf8)
            out += Array(",\"hypothetical\":".utf8)
            out += Array((match.hypothetical ? "true" : "false").utf8)
            out += Array(",\"negated\":".utf8)
            out += Array((match.negated ? "true" : "false").utf8)
            out += Array(",\"rule\":".utf8)
            string(match.rule, &out)
            out += Array(",\"start\":".utf8)
            out += Array(String(match.start).utf8)
            out += Array(",\"text\":".utf8)
            string(match.text, &out)
            out.append(UInt8(ascii: "}"))
        }
        out += Array("],\"negated\":".utf8)
        out += Array((coding.negated ? "true" : "false").utf8)
        out += Array(",\"page\":".utf8)
        out += Array(String(coding.page).utf8)
        if let label = coding.pageLabel {
            out += Array(",\"page_label\":".utf8)
            string(label, &out)
        }
        out += Array(",\"passage_id\":".utf8)
        string(coding.passageID, &out)
        out += Array(",\"rules\":".utf8)
        stringList(coding.rules, &out)
        out += Array(",\"schema\":".utf8)
        string(coding.schema, &out)
        if let subtheme = coding.subtheme {
            out += Array(",\"subtheme\":".utf8)
            string(subtheme, &out)
        }
        out += Array(",\"taxonomy\":".utf8)
        string(coding.taxonomy, &out)
        out += Array(",\"theme\":".utf8)
        string(coding.theme, &out)
        out += Array(",\"type\":".utf8)
        string(coding.type, &out)
        out += Array("}\n".utf8)
    }

    static func stringList(_ list: [String], _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (i, item) in list.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            string(item, &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    static func key(_ name: String, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        out += Array(name.utf8)
        out += Array("\":".utf8)
    }

    static func string(_ text: String, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        let hex = Array("0123456789abcdef".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [0x5C, 0x22]
            case UInt8(ascii: "\\"): out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0x08: out += [0x5C, UInt8(ascii: "b")]
            case 0x0C: out += [0x5C, UInt8(ascii: "f")]
            case 0..<0x20: out += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Doubles as JSONEncoder writes them: integral values without a fraction.
    static func number(_ value: Double, _ out: inout [UInt8]) {
        if value == value.rounded(), abs(value) < 1e15 {
            out += Array(String(Int64(value)).utf8)
        } else {
            out += Array(value.description.utf8)
        }
    }
}
