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

/// Receives each word of the tokenizer's scan.
protocol TokenSink {
    /// A word: `start`/`end` in Unicode scalars, `byteStart`/`byteEnd` in
    /// UTF-8 bytes (the word as written is those bytes of the text). Its
    /// lower-cased UTF-8 bytes number `lowerCount`; `lower` holds the first
    /// `Tokenizer.lowerBytes` of them (a longer word's are cut short: see
    /// `Tokenizer.lowered`).
    mutating func word(start: Int, end: Int, byteStart: Int, byteEnd: Int, lower: UnsafePointer<UInt8>, lowerCount: Int, hasUpper: Bool, breakBefore: Bool, stopBefore: Bool)
}

/// Splits text into word tokens: runs of letters and digits. Hyphens,
/// apostrophes and all other punctuation separate tokens ("multi-agency"
/// → multi, agency; "mother’s" → mother, s), so phrases written either way
/// match alike.
///
/// Works on the UTF-8 bytes, a run of ASCII letters and digits at a time
/// (a table says what each ASCII byte is), since it runs over every word of
/// a corpus; offsets are counted in Unicode scalars (and, for slicing, in
/// bytes). Other scalars are decoded and judged by their Unicode properties.
public enum Tokenizer {
    /// Tokens with their words as strings (for compiling phrases and for display).
    public static func tokenize(_ text: String) -> [Token] {
        struct Strings: TokenSink {
            let source: UnsafeBufferPointer<UInt8>
            var tokens: [Token] = []
            mutating func word(start: Int, end: Int, byteStart: Int, byteEnd: Int, lower: UnsafePointer<UInt8>, lowerCount: Int, hasUpper: Bool, breakBefore: Bool, stopBefore: Bool) {
                let written = UnsafeBufferPointer(rebasing: source[byteStart..<byteEnd])
                let lowerText = lowerCount <= Tokenizer.lowerBytes
                    ? String(decoding: UnsafeBufferPointer(start: lower, count: lowerCount), as: UTF8.self)
                    : String(decoding: Tokenizer.lowered(written), as: UTF8.self)
                let originalText = hasUpper ? String(decoding: written, as: UTF8.self) : lowerText
                tokens.append(Token(start: start, end: end, lower: lowerText, original: originalText, clauseBreakBefore: breakBefore))
            }
        }
        var text = text
        return text.withUTF8 { bytes in
            var sink = Strings(source: bytes)
            scan(bytes, into: &sink)
            return sink.tokens
        }
    }

    /// How many of a word's lower-cased bytes the scan hands over (`TokenSink`).
    static let lowerBytes = 64

    /// By ASCII byte: its lower-cased form if it is a letter or digit, else 0.
    private static let asciiWordByte: [UInt8] = (0..<128).map { byte in
        switch byte {
        case 0x30...0x39, 0x61...0x7A: UInt8(byte)
        case 0x41...0x5A: UInt8(byte | 0x20)
        default: 0
        }
    }

    /// The lower-cased UTF-8 bytes of a word as written, as the scan forms
    /// them: ASCII capitals and Unicode upper-case letters lowered, every
    /// other scalar kept.
    static func lowered(_ word: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < word.count {
            let byte = word[i]
            if byte < 0x80 {
                out.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
                i += 1
                continue
            }
            let (value, length) = TextNormalizer.multiByteScalar(in: word, at: i)
            let end = min(word.count, i + length)
            if let scalar = Unicode.Scalar(value), scalar.properties.isUppercase {
                out += scalar.properties.lowercaseMapping.utf8
            } else {
                out += word[i..<end]
            }
            i = end
        }
        return out
    }

    @inline(__always)
    static func scan<Sink: TokenSink>(_ bytes: UnsafeBufferPointer<UInt8>, into sink: inout Sink) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: lowerBytes) { lowerBuffer in
            asciiWordByte.withUnsafeBufferPointer { table in
                scan(base, bytes.count, bytes, table.baseAddress!, lowerBuffer.baseAddress!, into: &sink)
            }
        }
    }

    @inline(__always)
    private static func scan<Sink: TokenSink>(
        _ p: UnsafePointer<UInt8>, _ n: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ table: UnsafePointer<UInt8>,
        _ lower: UnsafeMutablePointer<UInt8>, into sink: inout Sink
    ) {
        let last = lowerBytes - 1
        // The word being read: where it started (-1: none) and its lower-cased bytes so far.
        var start = -1
        var byteStart = 0
        var count = 0
        var hasUpper = false
        /// Punctuation that ends a clause since the last word.
        var breakPending = false
        /// A full stop, question or exclamation mark since the last word: only there can a sentence end.
        var stopPending = false
        var scalar = 0
        var i = 0
        while i < n {
            let byte = p[i]
            if byte < 0x80 {
                let lowered = table[Int(byte)]
                if lowered != 0 {
                    if start < 0 {
                        start = scalar
                        byteStart = i
                        count = 0
                        hasUpper = false
                    }
                    // The run of ASCII letters and digits from here.
                    var j = i
                    var l = lowered
                    while true {
                        lower[min(count, last)] = l
                        count &+= 1
                        hasUpper = hasUpper || p[j] != l
                        j &+= 1
                        guard j < n else { break }
                        let next = p[j]
                        guard next < 0x80 else { break }
                        l = table[Int(next)]
                        guard l != 0 else { break }
                    }
                    scalar &+= j &- i
                    i = j
                    continue
                }
                if start >= 0 {
                    sink.word(start: start, end: scalar, byteStart: byteStart, byteEnd: i, lower: lower, lowerCount: count,
                              hasUpper: hasUpper, breakBefore: breakPending, stopBefore: stopPending)
                    breakPending = false
                    stopPending = false
                    start = -1
                }
                // ; : ( ) . ? ! end a clause; . ? ! may end a sentence.
                switch byte {
                case 0x2E, 0x3F, 0x21:
                    breakPending = true
                    stopPending = true
                case 0x3B, 0x3A, 0x28, 0x29: breakPending = true
                default: break
                }
                i &+= 1
                scalar &+= 1
                continue
            }
            // A multi-byte scalar: decode it.
            let (value, length) = TextNormalizer.multiByteScalar(in: bytes, at: i)
            let properties = (Unicode.Scalar(value) ?? "\u{FFFD}").properties
            if properties.isAlphabetic || properties.numericType != nil || (properties.generalCategory == .nonspacingMark && start >= 0) {
                if start < 0 {
                    start = scalar
                    byteStart = i
                    count = 0
                    hasUpper = false
                }
                let end = min(n, i + length)
                if properties.isUppercase {
                    hasUpper = true
                    for b in properties.lowercaseMapping.utf8 {
                        lower[min(count, last)] = b
                        count &+= 1
                    }
                } else {
                    for k in i..<end {
                        lower[min(count, last)] = p[k]
                        count &+= 1
                    }
                }
            } else {
                if start >= 0 {
                    sink.word(start: start, end: scalar, byteStart: byteStart, byteEnd: i, lower: lower, lowerCount: count,
                              hasUpper: hasUpper, breakBefore: breakPending, stopBefore: stopPending)
                    breakPending = false
                    stopPending = false
                    start = -1
                }
                // … and — end a clause.
                if value == 0x2026 || value == 0x2014 { breakPending = true }
            }
            i &+= length
            scalar &+= 1
        }
        if start >= 0 {
            sink.word(start: start, end: scalar, byteStart: byteStart, byteEnd: min(i, n), lower: lower, lowerCount: count,
                      hasUpper: hasUpper, breakBefore: breakPending, stopBefore: stopPending)
        }
    }
}
