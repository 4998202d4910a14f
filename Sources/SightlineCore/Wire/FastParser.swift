/// Scans JSON values in one line's bytes, in place, for the fast readers
/// (`FastReader.swift`). Each method reads one value at the current place
/// and returns nil (or false) for anything it does not read exactly as
/// JSONDecoder would; the caller then leaves the whole line to JSONDecoder.
struct FastParser {
    /// The line, read in place (callers keep it alive while the parser runs).
    private let bytes: UnsafeBufferPointer<UInt8>
    private var i = 0
    /// Where repeated ids are kept, when the caller reads many lines.
    var interner: StringInterner?
    /// Reading a coding for counting: rule lists, match texts and page labels are stepped over, not kept.
    var forCounting = false
    /// For counting: the coding's matches neither negated nor hypothetical.
    var affirmed = 0

    init(_ line: UnsafeRawBufferPointer) { bytes = line.bindMemory(to: UInt8.self) }

    /// Reads one JSON object of a table's record: `field` reads the value of
    /// each key (false: not a value this field takes). False when a key is
    /// not in the table or comes twice (what JSON means then is not defined;
    /// fuzzing found the two readers taking different copies), or a
    /// required key is missing.
    @inline(__always)
    mutating func object<Key>(_ table: FieldTable<Key>, _ field: (inout FastParser, Key) -> Bool) -> Bool {
        var seen: UInt32 = 0
        guard consume(UInt8(ascii: "{")) else { return false }
        repeat {
            guard let key = key(), consume(UInt8(ascii: ":")), let at = table.position(of: key) else { return false }
            let bit = UInt32(1) << UInt32(at)
            guard seen & bit == 0 else { return false }
            seen |= bit
            guard field(&self, table.fields[at]) else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}")) && seen & table.requiredMask == table.requiredMask
    }

    /// A field name without escapes (anything else: nil).
    private mutating func key() -> PackedKey? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = i
        while i < bytes.count && bytes[i] != UInt8(ascii: "\"") {
            if bytes[i] == UInt8(ascii: "\\") { return nil }
            i += 1
        }
        guard i < bytes.count else { return nil }
        defer { i += 1 }
        return PackedKey(bytes: UnsafeBufferPointer(rebasing: bytes[start..<i]))
    }

    /// Whether a value may be shared with other lines' (through `interner`).
    enum Reuse {
        case none
        /// One of a few ids met again and again.
        case shared
        /// The same as the previous line's, often.
        case recent
        /// Not needed: checked and stepped over, and "" returned.
        case skip
    }

    /// A string with exactly these bytes and no escapes (a record's `type`).
    mutating func literal(_ expected: StaticString) -> Bool {
        let count = expected.utf8CodeUnitCount
        guard i + count + 2 <= bytes.count, bytes[i] == UInt8(ascii: "\""), bytes[i + count + 1] == UInt8(ascii: "\"")
        else { return false }
        for k in 0..<count where bytes[i + 1 + k] != expected.utf8Start[k] { return false }
        i += count + 2
        return true
    }

    /// A JSON string. Raw control characters are refused (JSON does not allow them).
    mutating func string(_ reuse: Reuse = .none) -> String? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = i
        var plain = true
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 { return nil }
            if byte == UInt8(ascii: "\\") {
                plain = false
                i += 2
            } else {
                i += 1
            }
        }
        guard i < bytes.count else { return nil }
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<i])
        i += 1
        if reuse == .skip { return plain || Self.unescaped(raw) != nil ? "" : nil }
        guard plain else { return Self.unescaped(raw) }
        switch (reuse, interner) {
        case (.shared, let interner?): return interner.string(raw)
        case (.recent, let interner?): return interner.recent(raw)
        default: return String(decoding: raw, as: UTF8.self)
        }
    }

    /// A string's text with its escapes undone; nil for an escape JSON does not have or a lone surrogate.
    private static func unescaped(_ raw: UnsafeBufferPointer<UInt8>) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var k = 0
        while k < raw.count {
            let byte = raw[k]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                k += 1
                continue
            }
            guard k + 1 < raw.count else { return nil }
            let escape = raw[k + 1]
            k += 2
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard let unit = hex4(raw, k) else { return nil }
                k += 4
                var value = UInt32(unit)
                if (0xD800...0xDBFF).contains(unit) {
                    // A high surrogate must be followed by an escaped low one.
                    guard k + 6 <= raw.count, raw[k] == UInt8(ascii: "\\"), raw[k + 1] == UInt8(ascii: "u"),
                        let low = hex4(raw, k + 2), (0xDC00...0xDFFF).contains(low)
                    else { return nil }
                    k += 6
                    value = 0x10000 + ((value - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(value) else { return nil }
                UTF8.encode(scalar) { out.append($0) }
            default: return nil
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Four hexadecimal digits at `k`, as a UTF-16 code unit.
    private static func hex4(_ raw: UnsafeBufferPointer<UInt8>, _ k: Int) -> UInt16? {
        guard k + 4 <= raw.count else { return nil }
        var value: UInt16 = 0
        for byte in raw[k..<(k + 4)] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    mutating func number() -> Double? {
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

    /// A JSON array whose elements `element` reads.
    mutating func list<T>(_ element: (inout FastParser) -> T?) -> [T]? {
        var items: [T] = []
        let read = each { parser in
            guard let item = element(&parser) else { return false }
            items.append(item)
            return true
        }
        return read ? items : nil
    }

    /// Steps through a JSON array, `element` reading each element (false: not a valid element).
    mutating func each(_ element: (inout FastParser) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "[")) else { return false }
        if consume(UInt8(ascii: "]")) { return true }
        repeat {
            guard element(&self) else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "]"))
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard i < bytes.count, bytes[i] == byte else { return false }
        i += 1
        return true
    }

    mutating func integer() -> Int? {
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

    mutating func boolean() -> Bool? {
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
