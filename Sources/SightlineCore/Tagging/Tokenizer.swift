/// A word of a passage: where it is (Unicode scalar offsets into the text),
/// its lower-cased form for matching, and its form as written for
/// case-sensitive abbreviations.
public struct Token: Sendable, Equatable {
    public var start: Int
    public var end: Int
    public var lower: String
    public var original: String
    /// True when punctuation that ends a clause (; : ( ) or a sentence end) stands before this token.
    public var clauseBreakBefore: Bool
}

/// Splits text into word tokens: runs of letters and digits. Hyphens,
/// apostrophes and all other punctuation separate tokens ("multi-agency"
/// → multi, agency; "mother’s" → mother, s), so phrases written either way
/// match alike.
///
/// Works on the UTF-8 bytes with a fast path for ASCII, since it runs over
/// every word of a corpus; offsets are still counted in Unicode scalars.
public enum Tokenizer {
    public static func tokenize(_ scalars: [Unicode.Scalar]) -> [Token] {
        tokenize(String(String.UnicodeScalarView(scalars)))
    }

    public static func tokenize(_ text: String) -> [Token] {
        var text = text
        return text.withUTF8 { tokenize(utf8: $0) }
    }

    /// The token being read, kept in a struct rather than captured by a
    /// closure so the hot loop needs no dynamic exclusivity checks.
    struct State {
        var tokens: [Token] = []
        var lower: [UInt8] = []
        var original: [UInt8] = []
        var start = -1
        var hasUpper = false
        var breakPending = false

        @inline(__always)
        mutating func finish(_ end: Int) {
            guard start >= 0 else { return }
            let lowerText = String(decoding: lower, as: UTF8.self)
            tokens.append(Token(start: start, end: end, lower: lowerText, original: hasUpper ? String(decoding: original, as: UTF8.self) : lowerText, clauseBreakBefore: breakPending))
            breakPending = false
            start = -1
            hasUpper = false
            lower.removeAll(keepingCapacity: true)
            original.removeAll(keepingCapacity: true)
        }
    }

    static func tokenize(utf8 bytes: UnsafeBufferPointer<UInt8>) -> [Token] {
        var state = State()
        state.tokens.reserveCapacity(bytes.count / 6)
        state.lower.reserveCapacity(32)
        state.original.reserveCapacity(32)
        var scalarOffset = 0
        var i = 0
        let n = bytes.count
        while i < n {
            let byte = bytes[i]
            if byte < 0x80 {
                if (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) {
                    if state.start < 0 { state.start = scalarOffset }
                    state.lower.append(byte)
                    state.original.append(byte)
                } else if byte >= 0x41 && byte <= 0x5A {
                    if state.start < 0 { state.start = scalarOffset }
                    state.lower.append(byte + 32)
                    state.original.append(byte)
                    state.hasUpper = true
                } else {
                    state.finish(scalarOffset)
                    // ; : ( ) . ? ! end a clause
                    if byte == 0x3B || byte == 0x3A || byte == 0x28 || byte == 0x29 || byte == 0x2E || byte == 0x3F || byte == 0x21 {
                        state.breakPending = true
                    }
                }
                i += 1
                scalarOffset += 1
                continue
            }
            // A multi-byte scalar: decode it.
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
            var value = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
            var k = 1
            while k < length && i + k < n {
                value = value << 6 | UInt32(bytes[i + k] & 0x3F)
                k += 1
            }
            let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
            let properties = scalar.properties
            if properties.isAlphabetic || properties.numericType != nil || (properties.generalCategory == .nonspacingMark && state.start >= 0) {
                if state.start < 0 { state.start = scalarOffset }
                let encoded = UnsafeBufferPointer(rebasing: bytes[i..<min(n, i + length)])
                if properties.isUppercase {
                    state.hasUpper = true
                    state.lower.append(contentsOf: properties.lowercaseMapping.utf8)
                } else {
                    state.lower.append(contentsOf: encoded)
                }
                state.original.append(contentsOf: encoded)
            } else {
                state.finish(scalarOffset)
                if value == 0x2026 || value == 0x2014 { state.breakPending = true }  // … —
            }
            i += length
            scalarOffset += 1
        }
        state.finish(scalarOffset)
        return state.tokens
    }
}
