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

/// Receives a word from the tokenizer's scan a byte at a time, then its end.
///
/// `lower` gets the word's lower-cased UTF-8 bytes, `original` the bytes as
/// written; for most words the two runs are the same length, but a capital
/// whose lower case is longer (or shorter) makes them differ.
protocol TokenSink {
    mutating func lower(_ byte: UInt8)
    /// The word is complete: `start`/`end` in Unicode scalars, `byteStart`/`byteEnd`
    /// in UTF-8 bytes (the word as written is those bytes of the text).
    mutating func endWord(start: Int, end: Int, byteStart: Int, byteEnd: Int, hasUpper: Bool, breakBefore: Bool, stopBefore: Bool)
}

/// Splits text into word tokens: runs of letters and digits. Hyphens,
/// apostrophes and all other punctuation separate tokens ("multi-agency"
/// → multi, agency; "mother’s" → mother, s), so phrases written either way
/// match alike.
///
/// Works on the UTF-8 bytes with a fast path for ASCII, since it runs over
/// every word of a corpus; offsets are counted in Unicode scalars (and, for
/// slicing, in bytes).
public enum Tokenizer {
    /// Tokens with their words as strings (for compiling phrases and for display).
    public static func tokenize(_ text: String) -> [Token] {
        struct Strings: TokenSink {
            let source: UnsafeBufferPointer<UInt8>
            var tokens: [Token] = []
            var lowerBytes: [UInt8] = []
            mutating func lower(_ byte: UInt8) { lowerBytes.append(byte) }
            mutating func endWord(start: Int, end: Int, byteStart: Int, byteEnd: Int, hasUpper: Bool, breakBefore: Bool, stopBefore: Bool) {
                let lowerText = String(decoding: lowerBytes, as: UTF8.self)
                let originalText = hasUpper ? String(decoding: UnsafeBufferPointer(rebasing: source[byteStart..<byteEnd]), as: UTF8.self) : lowerText
                tokens.append(Token(start: start, end: end, lower: lowerText, original: originalText, clauseBreakBefore: breakBefore))
                lowerBytes.removeAll(keepingCapacity: true)
            }
        }
        var text = text
        return text.withUTF8 { bytes in
            var sink = Strings(source: bytes)
            scan(bytes, into: &sink)
            return sink.tokens
        }
    }

    @inline(__always)
    static func scan<Sink: TokenSink>(_ bytes: UnsafeBufferPointer<UInt8>, into sink: inout Sink) {
        var start = -1
        var byteStart = 0
        var hasUpper = false
        var breakPending = false
        /// A full stop, question or exclamation mark since the last word: only there can a sentence end.
        var stopPending = false
        var scalarOffset = 0
        var i = 0
        let n = bytes.count
        while i < n {
            let byte = bytes[i]
            var length = 1
            var isWordByte = false
            var value = UInt32(byte)
            if byte < 0x80 {
                if (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) {
                    if start < 0 { start = scalarOffset; byteStart = i }
                    sink.lower(byte)
                    isWordByte = true
                } else if byte >= 0x41 && byte <= 0x5A {
                    if start < 0 { start = scalarOffset; byteStart = i }
                    sink.lower(byte | 0x20)
                    hasUpper = true
                    isWordByte = true
                }
            } else {
                // A multi-byte scalar: decode it.
                (value, length) = TextNormalizer.multiByteScalar(in: bytes, at: i)
                let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
                let properties = scalar.properties
                if properties.isAlphabetic || properties.numericType != nil || (properties.generalCategory == .nonspacingMark && start >= 0) {
                    if start < 0 { start = scalarOffset; byteStart = i }
                    let end = min(n, i + length)
                    if properties.isUppercase {
                        hasUpper = true
                        for b in properties.lowercaseMapping.utf8 { sink.lower(b) }
                    } else {
                        for b in bytes[i..<end] { sink.lower(b) }
                    }
                    isWordByte = true
                }
            }
            if !isWordByte {
                if start >= 0 {
                    sink.endWord(start: start, end: scalarOffset, byteStart: byteStart, byteEnd: i, hasUpper: hasUpper, breakBefore: breakPending, stopBefore: stopPending)
                    breakPending = false
                    stopPending = false
                    start = -1
                    hasUpper = false
                }
                // ; : ( ) . ? ! … — end a clause
                switch value {
                case 0x2E, 0x3F, 0x21:
                    breakPending = true
                    stopPending = true
                case 0x3B, 0x3A, 0x28, 0x29, 0x2026, 0x2014: breakPending = true
                default: break
                }
            }
            i += length
            scalarOffset += 1
        }
        if start >= 0 {
            sink.endWord(start: start, end: scalarOffset, byteStart: byteStart, byteEnd: min(i, n), hasUpper: hasUpper, breakBefore: breakPending, stopBefore: stopPending)
        }
    }
}
