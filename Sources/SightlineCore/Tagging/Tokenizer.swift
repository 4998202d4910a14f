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

/// A word of a passage as ids in a `WordTable`: the fast form the tagger uses.
public struct WordToken: Sendable, Equatable {
    public var start: Int
    public var end: Int
    /// Id of the lower-cased word.
    public var lower: Int32
    /// Id of the word as written when it has capitals, else -1.
    public var exact: Int32
    public var clauseBreakBefore: Bool
}

/// Receives tokens from the tokenizer's scan.
protocol TokenSink {
    mutating func emit(start: Int, end: Int, lower: UnsafeBufferPointer<UInt8>, original: UnsafeBufferPointer<UInt8>?, breakBefore: Bool)
}

/// Splits text into word tokens: runs of letters and digits. Hyphens,
/// apostrophes and all other punctuation separate tokens ("multi-agency"
/// → multi, agency; "mother’s" → mother, s), so phrases written either way
/// match alike.
///
/// Works on the UTF-8 bytes with a fast path for ASCII, since it runs over
/// every word of a corpus; offsets are still counted in Unicode scalars.
public enum Tokenizer {
    /// Tokens with their words as strings (for compiling phrases and for display).
    public static func tokenize(_ text: String) -> [Token] {
        struct Strings: TokenSink {
            var tokens: [Token] = []
            mutating func emit(start: Int, end: Int, lower: UnsafeBufferPointer<UInt8>, original: UnsafeBufferPointer<UInt8>?, breakBefore: Bool) {
                let lowerText = String(decoding: lower, as: UTF8.self)
                tokens.append(Token(start: start, end: end, lower: lowerText, original: original.map { String(decoding: $0, as: UTF8.self) } ?? lowerText, clauseBreakBefore: breakBefore))
            }
        }
        var sink = Strings()
        var text = text
        text.withUTF8 { scan($0, into: &sink) }
        return sink.tokens
    }

    /// Tokens with their words interned in `table` (for coding).
    public static func tokenize(_ text: String, table: inout WordTable) -> [WordToken] {
        struct IDs: TokenSink {
            var tokens: [WordToken] = []
            var table: WordTable
            mutating func emit(start: Int, end: Int, lower: UnsafeBufferPointer<UInt8>, original: UnsafeBufferPointer<UInt8>?, breakBefore: Bool) {
                let lowerID = table.id(lower)
                let exactID = original.map { table.id($0) } ?? -1
                tokens.append(WordToken(start: start, end: end, lower: lowerID, exact: exactID, clauseBreakBefore: breakBefore))
            }
        }
        var sink = IDs(table: WordTable())
        swap(&sink.table, &table)
        var text = text
        text.withUTF8 { scan($0, into: &sink) }
        swap(&sink.table, &table)
        return sink.tokens
    }

    static func scan<Sink: TokenSink>(_ bytes: UnsafeBufferPointer<UInt8>, into sink: inout Sink) {
        var lower: [UInt8] = []
        var original: [UInt8] = []
        lower.reserveCapacity(32)
        original.reserveCapacity(32)
        var start = -1
        var hasUpper = false
        var breakPending = false
        var scalarOffset = 0
        var i = 0
        let n = bytes.count
        while i < n {
            let byte = bytes[i]
            let isWordByte: Bool
            var length = 1
            var value = UInt32(byte)
            if byte < 0x80 {
                if (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) {
                    if start < 0 { start = scalarOffset }
                    lower.append(byte)
                    original.append(byte)
                    isWordByte = true
                } else if byte >= 0x41 && byte <= 0x5A {
                    if start < 0 { start = scalarOffset }
                    lower.append(byte + 32)
                    original.append(byte)
                    hasUpper = true
                    isWordByte = true
                } else {
                    isWordByte = false
                }
            } else {
                // A multi-byte scalar: decode it.
                length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                value = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                var k = 1
                while k < length && i + k < n {
                    value = value << 6 | UInt32(bytes[i + k] & 0x3F)
                    k += 1
                }
                let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
                let properties = scalar.properties
                if properties.isAlphabetic || properties.numericType != nil || (properties.generalCategory == .nonspacingMark && start >= 0) {
                    if start < 0 { start = scalarOffset }
                    let encoded = UnsafeBufferPointer(rebasing: bytes[i..<min(n, i + length)])
                    if properties.isUppercase {
                        hasUpper = true
                        lower.append(contentsOf: properties.lowercaseMapping.utf8)
                    } else {
                        lower.append(contentsOf: encoded)
                    }
                    original.append(contentsOf: encoded)
                    isWordByte = true
                } else {
                    isWordByte = false
                }
            }
            if !isWordByte {
                if start >= 0 {
                    emit(&sink, start: start, end: scalarOffset, lower: lower, original: original, hasUpper: hasUpper, breakBefore: breakPending)
                    breakPending = false
                    start = -1
                    hasUpper = false
                    lower.removeAll(keepingCapacity: true)
                    original.removeAll(keepingCapacity: true)
                }
                // ; : ( ) . ? ! … — end a clause
                switch value {
                case 0x3B, 0x3A, 0x28, 0x29, 0x2E, 0x3F, 0x21, 0x2026, 0x2014: breakPending = true
                default: break
                }
            }
            i += length
            scalarOffset += 1
        }
        if start >= 0 {
            emit(&sink, start: start, end: scalarOffset, lower: lower, original: original, hasUpper: hasUpper, breakBefore: breakPending)
        }
    }

    @inline(__always)
    static func emit<Sink: TokenSink>(_ sink: inout Sink, start: Int, end: Int, lower: [UInt8], original: [UInt8], hasUpper: Bool, breakBefore: Bool) {
        lower.withUnsafeBufferPointer { lowerBytes in
            if hasUpper {
                original.withUnsafeBufferPointer { sink.emit(start: start, end: end, lower: lowerBytes, original: $0, breakBefore: breakBefore) }
            } else {
                sink.emit(start: start, end: end, lower: lowerBytes, original: nil, breakBefore: breakBefore)
            }
        }
    }
}
