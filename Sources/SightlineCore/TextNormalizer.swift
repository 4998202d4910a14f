import Foundation

/// Normalises extracted text the same way for every input format.
///
/// - ligature characters (U+FB00–FB06) become their letters;
/// - no-break, thin and other Unicode spaces, tabs and line breaks become one space;
/// - zero-width characters, soft hyphens, byte-order marks and control characters go;
/// - runs of spaces collapse, the ends are trimmed, and the result is NFC.
///
/// Curly quotes, dashes and every other character are kept as they are.
public enum TextNormalizer {
    /// Normalises one block's text.
    public static func normalize(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        var needsNFC = false
        for scalar in text.unicodeScalars {
            switch classify(scalar) {
            case .drop:
                continue
            case .space:
                pendingSpace = !out.isEmpty
            case .expand(let replacement):
                if pendingSpace {
                    out.append(" ")
                    pendingSpace = false
                }
                out.append(contentsOf: replacement.unicodeScalars)
            case .keep:
                if pendingSpace {
                    out.append(" ")
                    pendingSpace = false
                }
                if scalar.value >= 0x300 && !Self.composesNothing(scalar.value) { needsNFC = true }
                out.append(scalar)
            }
        }
        let result = String(out)
        return needsNFC ? result.precomposedStringWithCanonicalMapping : result
    }

    /// Ranges whose characters never change under NFC and never combine with
    /// a neighbour (dashes, quotes, bullets, shapes), so text made only of
    /// these and ASCII can skip the normalisation pass.
    static func composesNothing(_ value: UInt32) -> Bool {
        (0x2010...0x205F).contains(value) || (0x25A0...0x25FF).contains(value) || (0x20A0...0x20BF).contains(value)
    }

    enum Treatment {
        case keep, drop, space
        case expand(String)
    }

    static func classify(_ scalar: Unicode.Scalar) -> Treatment {
        let v = scalar.value
        if v < 0x80 {
            if v == 0x20 || v == 0x09 || v == 0x0A || v == 0x0D || v == 0x0B || v == 0x0C { return .space }
            return v < 0x20 || v == 0x7F ? .drop : .keep
        }
        switch v {
        case 0x80...0x9F: return .drop // C1 controls
        case 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return .space
        case 0xAD, 0x200B...0x200D, 0x2060, 0xFEFF, 0x180E: return .drop
        case 0xFB00: return .expand("ff")
        case 0xFB01: return .expand("fi")
        case 0xFB02: return .expand("fl")
        case 0xFB03: return .expand("ffi")
        case 0xFB04: return .expand("ffl")
        case 0xFB05, 0xFB06: return .expand("st")
        case 0xFFFD: return .keep
        default: return .keep
        }
    }

    /// Number of words (runs of letters or digits) in `text`.
    public static func wordCount(_ text: String) -> Int {
        var utf8 = text
        return utf8.withUTF8 { bytes in
            // Eight ASCII bytes (most of the text) are classified at once;
            // any other scalar is decoded in place (the string is valid UTF-8).
            var count = 0
            var inWord = false
            var i = 0
            let highBits: UInt64 = 0x8080_8080_8080_8080
            while i < bytes.count {
                if i + 8 <= bytes.count {
                    let word = UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self)
                    if word & highBits == 0 {
                        // Byte k's high bit (bit 8k + 7, little-endian) says whether it is a letter or digit.
                        let inWords = wordBytes(word)
                        let before = inWords << 8 | (inWord ? 0x80 : 0)
                        count += (inWords & ~before).nonzeroBitCount
                        inWord = inWords >> 63 != 0
                        i += 8
                        continue
                    }
                }
                let byte = bytes[i]
                let isWordChar: Bool
                if byte < 0x80 {
                    isWordChar = (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
                    i += 1
                } else {
                    let (value, length) = multiByteScalar(in: bytes, at: i)
                    isWordChar = Unicode.Scalar(value).map(isWord) ?? false
                    i += length
                }
                if isWordChar && !inWord { count += 1 }
                inWord = isWordChar
            }
            return count
        }
    }

    /// For eight ASCII bytes, the high bit of each byte that is an ASCII
    /// letter or digit. Each byte is below 0x80, so adding at most 0x80 to it
    /// never carries into the next: `b + (0x80 - low)` has its high bit set
    /// exactly when `b >= low`, and `b + (0x7F - high)` exactly when `b > high`.
    @inline(__always)
    static func wordBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let lower = word | (ones &* 0x20)
        let letters = (lower &+ ones &* (0x80 - 0x61)) & ~(lower &+ ones &* (0x7F - 0x7A))
        let digits = (word &+ ones &* (0x80 - 0x30)) & ~(word &+ ones &* (0x7F - 0x39))
        return (letters | digits) & (ones &* 0x80)
    }

    /// The number of words in a run of scalars (the same rule as `wordCount(_:)`).
    public static func wordCount<Scalars: Sequence<Unicode.Scalar>>(scalars: Scalars) -> Int {
        var count = 0
        var inWord = false
        for scalar in scalars {
            let isWordScalar = isWord(scalar)
            if isWordScalar && !inWord { count += 1 }
            inWord = isWordScalar
        }
        return count
    }

    /// The value of the UTF-8 sequence whose lead byte (0x80 or above) is
    /// at `i`, and its length in bytes; a sequence cut short by the end of
    /// the buffer keeps the bits it has.
    @inline(__always)
    static func multiByteScalar(in bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (value: UInt32, length: Int) {
        let byte = bytes[i]
        let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
        var value = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        var k = 1
        while k < length && i + k < bytes.count {
            value = value << 6 | UInt32(bytes[i + k] & 0x3F)
            k += 1
        }
        return (value, length)
    }

    @inline(__always)
    static func isWord(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 {
            return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
        }
        return !isGeneralPunctuation(v) && isLetterOrDigit(scalar.properties)
    }

    /// Whether a scalar is a letter or a digit of any script, by its Unicode properties.
    @inline(__always)
    static func isLetterOrDigit(_ properties: Unicode.Scalar.Properties) -> Bool {
        properties.isAlphabetic || properties.numericType != nil
    }

    /// General Punctuation (U+2000–U+206F: curly quotes, dashes, …) holds no
    /// letter, digit or mark: the commonest non-ASCII scalars in reports need
    /// no look-up of their properties (hundreds of instructions each).
    @inline(__always)
    static func isGeneralPunctuation(_ value: UInt32) -> Bool { value &- 0x2000 < 0x70 }

    /// Whether each of these bytes is a character of its own: ASCII without
    /// a CR (in ASCII only CR LF makes one character of two bytes, and a
    /// combining mark is never ASCII).
    static func eachByteIsACharacter<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> Bool {
        bytes.allSatisfy { $0 < 0x80 && $0 != 0x0D }
    }

    /// The runs between space bytes (byte ranges and scalar counts), which
    /// are the split by character on spaces, found without walking
    /// characters; nil when a scalar other than Latin letters and signs
    /// (below U+0300) or General Punctuation's quotes, dashes and bullets
    /// (U+2010–U+2027, U+2030–U+205E) is in the text, since some others join
    /// a space into one character with its neighbour (a combining mark after
    /// it, a joiner, a prepended sign before it). CR LF, one character, holds
    /// no space, so it changes nothing here.
    static func spaceSeparatedRuns(_ bytes: UnsafeBufferPointer<UInt8>) -> [(start: Int, end: Int, scalars: Int)]? {
        var words: [(start: Int, end: Int, scalars: Int)] = []
        var start = -1
        var scalars = 0
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == 0x20 {
                if start >= 0 { words.append((start, i, scalars)) }
                start = -1
                i += 1
                continue
            }
            if start < 0 {
                start = i
                scalars = 0
            }
            if byte >= 0x80 {
                let (value, length) = multiByteScalar(in: bytes, at: i)
                guard value < 0x300 || (0x2010...0x2027).contains(value) || (0x2030...0x205E).contains(value) else {
                    return nil
                }
                i = min(i + length, bytes.count)
            } else {
                i += 1
            }
            scalars += 1
        }
        if start >= 0 { words.append((start, bytes.count, scalars)) }
        return words
    }
}
