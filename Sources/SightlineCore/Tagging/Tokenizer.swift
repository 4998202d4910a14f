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

/// A word as the tokenizer's scan hands it over.
struct ScannedWord {
    /// Where it is, in Unicode scalars (`start`, `end`) and in UTF-8 bytes
    /// (`byteStart`, `byteEnd`: the word as written is those bytes of the text).
    var start: Int
    var end: Int
    var byteStart: Int
    var byteEnd: Int
    /// Its lower-cased UTF-8 bytes number `lowerCount` and are the bytes at
    /// `lower` OR-ed with `fold`: for a word of ASCII letters and digits, the
    /// text itself and 0x20; otherwise a buffer holding the first
    /// `Tokenizer.lowerBytes` and 0, `lowerCount` then at most
    /// `lowerBytes + 1` (a longer word is too long to look up, and its
    /// lower-cased form is worked out from its bytes: see
    /// `Tokenizer.lowered`). `readable` bytes can be read at `lower` (at
    /// least the word's, or `Tokenizer.lowerBytes + 8`).
    var lower: UnsafePointer<UInt8>
    var lowerCount: Int
    var readable: Int
    var fold: UInt8
    /// Whether it holds a capital letter.
    var hasUpper: Bool
    /// Whether punctuation that ends a clause (; : ( ) … — or a stop) stands before it.
    var breakBefore: Bool
    /// Whether a full stop, question or exclamation mark stands before it (only there can a sentence end).
    var stopBefore: Bool
}

/// Receives each word of the tokenizer's scan.
protocol TokenSink {
    mutating func word(_ word: ScannedWord)
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
            mutating func word(_ word: ScannedWord) {
                let written = UnsafeBufferPointer(rebasing: source[word.byteStart..<word.byteEnd])
                let lowerText =
                    word.lowerCount <= Tokenizer.lowerBytes
                    ? String(
                        decoding: UnsafeBufferPointer(start: word.lower, count: word.lowerCount).map { $0 | word.fold },
                        as: UTF8.self)
                    : String(decoding: Tokenizer.lowered(written), as: UTF8.self)
                let originalText = word.hasUpper ? String(decoding: written, as: UTF8.self) : lowerText
                tokens.append(
                    Token(
                        start: word.start, end: word.end, lower: lowerText, original: originalText,
                        clauseBreakBefore: word.breakBefore))
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

    /// By byte: 1 for an ASCII letter or digit, else 0 (`asciiWordBytes` of
    /// the byte alone: one definition for the byte-wise and eight-byte reads).
    private static let asciiWordByte: [UInt8] = (0...255).map { byte in asciiWordBytes(UInt64(byte)) != 0 ? 1 : 0 }

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

    /// 0x80 in each byte of `chunk` (eight bytes of text) that is an ASCII
    /// letter or digit, 0 in the others: each byte's low seven bits are
    /// compared with the ranges by adding a constant that carries into the
    /// byte's top bit exactly when the byte is at or past the range's bound
    /// (no sum leaves its byte), then bytes of 0x80 and over are cleared.
    @inline(__always)
    static func asciiWordBytes(_ chunk: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let top = ones &* 0x80
        let low = chunk & ~top
        // Letters: with 0x20 set, a–z are 0x61...0x7A.
        let folded = low | ones &* 0x20
        let letter = (folded &+ ones &* (0x80 - 0x61)) & ~(folded &+ ones &* (0x7F - 0x7A))
        let digit = (low &+ ones &* (0x80 - 0x30)) & ~(low &+ ones &* (0x7F - 0x39))
        return (letter | digit) & ~chunk & top
    }

    @inline(__always)
    static func scan<Sink: TokenSink>(_ bytes: UnsafeBufferPointer<UInt8>, into sink: inout Sink) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        // Eight bytes over: a word's last eight bytes are read as one word, and a longer one counts lowerBytes + 1.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: lowerBytes + 8) { lowerBuffer in
            asciiWordByte.withUnsafeBufferPointer { table in
                scan(base, bytes.count, bytes, table.baseAddress!, lowerBuffer.baseAddress!, into: &sink)
            }
        }
    }

    /// The scan: a word of ASCII letters and digits (the usual word) is read
    /// in one tight run and handed over as it stands in the text; a word
    /// with any other scalar is lower-cased into `buffer` scalar by scalar.
    @inline(__always)
    private static func scan<Sink: TokenSink>(
        _ p: UnsafePointer<UInt8>, _ n: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ isWordByte: UnsafePointer<UInt8>,
        _ buffer: UnsafeMutablePointer<UInt8>, into sink: inout Sink
    ) {
        let last = lowerBytes - 1
        /// Punctuation that ends a clause since the last word.
        var breakPending = false
        /// A full stop, question or exclamation mark since the last word: only there can a sentence end.
        var stopPending = false
        var scalar = 0
        var i = 0
        while i < n {
            let byte = p[i]
            let startsWord: Bool
            if byte < 0x80 {
                if isWordByte[Int(byte)] == 0 {
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
                startsWord = true
            } else {
                let (value, length) = TextNormalizer.multiByteScalar(in: bytes, at: i)
                // A letter or digit starts a word; a nonspacing mark continues one but never starts it.
                startsWord = TextNormalizer.isWord(Unicode.Scalar(value) ?? "\u{FFFD}")
                if !startsWord {
                    // … and — end a clause.
                    if value == 0x2026 || value == 0x2014 { breakPending = true }
                    i &+= length
                    scalar &+= 1
                    continue
                }
            }
            // A word starts at i. First the run of ASCII letters and digits.
            let byteStart = i
            let start = scalar
            var j = i
            // Eight bytes at a time while eight remain: most words end in the first eight.
            var notLower8: UInt64 = 0
            while j &+ 8 <= n {
                let chunk = UInt64(littleEndian: UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self))
                let outside = ~asciiWordBytes(chunk) & 0x8080_8080_8080_8080
                if outside == 0 {
                    notLower8 |= ~chunk
                    j &+= 8
                    continue
                }
                let inside = outside.trailingZeroBitCount >> 3
                notLower8 |= ~chunk & ((1 << UInt64(inside << 3)) &- 1)
                j &+= inside
                break
            }
            var notLower: UInt8 = 0
            if j &+ 8 > n {
                while j < n {
                    let next = p[j]
                    guard isWordByte[Int(next)] != 0 else { break }
                    notLower |= ~next
                    j &+= 1
                }
            }
            // Capitals are the letters without 0x20 (digits and small letters have it).
            var hasUpper = (notLower8 & 0x2020_2020_2020_2020) | UInt64(notLower & 0x20) != 0
            if j >= n || p[j] < 0x80 {
                // All ASCII: handed over as it stands, lowered by OR-ing 0x20.
                scalar &+= j &- i
                i = j
                sink.word(
                    ScannedWord(
                        start: start, end: scalar, byteStart: byteStart, byteEnd: i, lower: p + byteStart,
                        lowerCount: i &- byteStart, readable: n &- byteStart, fold: 0x20, hasUpper: hasUpper,
                        breakBefore: breakPending, stopBefore: stopPending))
                breakPending = false
                stopPending = false
                continue
            }
            // Otherwise the word goes into the buffer: its ASCII run so far, then scalar by scalar.
            var count = 0
            for k in i..<j {
                buffer[min(count, last)] = p[k] | 0x20
                count &+= 1
            }
            scalar &+= j &- i
            i = j
            while i < n {
                let byte = p[i]
                if byte < 0x80 {
                    guard isWordByte[Int(byte)] != 0 else { break }
                    buffer[min(count, last)] = byte | 0x20
                    if byte & 0x20 == 0 { hasUpper = true }
                    count &+= 1
                    i &+= 1
                    scalar &+= 1
                    continue
                }
                let (value, length) = TextNormalizer.multiByteScalar(in: bytes, at: i)
                guard !TextNormalizer.isGeneralPunctuation(value) else { break }
                let properties = (Unicode.Scalar(value) ?? "\u{FFFD}").properties
                guard TextNormalizer.isLetterOrDigit(properties) || properties.generalCategory == .nonspacingMark else {
                    break
                }
                if properties.isUppercase {
                    hasUpper = true
                    for b in properties.lowercaseMapping.utf8 {
                        buffer[min(count, last)] = b
                        count &+= 1
                    }
                } else {
                    for k in i..<min(n, i &+ length) {
                        buffer[min(count, last)] = p[k]
                        count &+= 1
                    }
                }
                i &+= length
                scalar &+= 1
            }
            sink.word(
                ScannedWord(
                    start: start, end: scalar, byteStart: byteStart, byteEnd: min(i, n), lower: buffer,
                    lowerCount: min(count, lowerBytes + 1), readable: lowerBytes + 8, fold: 0, hasUpper: hasUpper,
                    breakBefore: breakPending, stopBefore: stopPending))
            breakPending = false
            stopPending = false
        }
    }
}

/// The Unicode scalar offsets of a text's UTF-8 byte offsets (the offsets a
/// coding's spans are written in), worked out only for a passage that asks:
/// the tokenizer counts bytes alone. A byte offset's scalar offset is the
/// offset less the continuation bytes (10xxxxxx) before it, so only where
/// those are is kept: nothing for plain ASCII text, a few entries for a
/// passage with curly quotes or accents.
public struct ScalarOffsets: Sendable {
    /// The byte offsets of the text's continuation bytes, in order.
    private let continuations: [Int32]

    public init(_ text: String) {
        var text = text
        continuations = text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return [] }
            var found: [Int32] = []
            var i = 0
            while i < bytes.count {
                // Eight ASCII bytes at a time are passed over.
                if i &+ 8 <= bytes.count,
                    UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
                {
                    i &+= 8
                    continue
                }
                let end = min(i &+ 8, bytes.count)
                while i < end {
                    if bytes[i] & 0xC0 == 0x80 { found.append(Int32(truncatingIfNeeded: i)) }
                    i &+= 1
                }
            }
            return found
        }
    }

    /// The scalar offset of UTF-8 byte offset `byte` (a scalar boundary, at most the text's length).
    public func scalar(at byte: Int) -> Int {
        guard !continuations.isEmpty else { return byte }
        // How many continuation bytes lie before `byte`.
        var low = 0
        var high = continuations.count
        while low < high {
            let middle = (low + high) / 2
            if Int(continuations[middle]) < byte { low = middle + 1 } else { high = middle }
        }
        return byte - low
    }
}
