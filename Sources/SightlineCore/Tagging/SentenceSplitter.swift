/// Finds sentence boundaries in a passage.
///
/// A sentence ends at `.`, `?` or `!` (with any closing quotes or brackets)
/// followed by a space and a capital, digit, quote or bracket, except after
/// a known abbreviation ("e.g.", "Dr", "para.", "No."), an initial ("J."),
/// or a section number at the start of a heading-like run ("1.", "4.2.").
public enum SentenceSplitter {
    static let abbreviations: Set<String> = [
        "e.g", "i.e", "eg", "ie", "etc", "dr", "mr", "mrs", "ms", "prof", "para", "paras", "no", "nos", "vs", "v", "st",
        "approx", "cf", "al", "fig", "figs", "vol", "pp", "p", "ch", "sec", "ref", "jan", "feb", "mar", "apr", "jun",
        "jul", "aug", "sep", "sept", "oct", "nov", "dec", "dept", "govt", "inc", "ltd", "co", "mon", "tue", "wed",
        "thu", "fri", "sat", "sun", "ft", "cllr", "supt", "insp", "sgt", "pc", "dc", "ds", "op", "rev", "est",
    ]

    /// Sentence ranges as Unicode scalar offsets, covering the whole text.
    public static func sentences(_ text: String) -> [Range<Int>] {
        var utf8 = text
        return utf8.withUTF8 { bytes in
            // ASCII text: its bytes are its scalars, so no array of scalars is built.
            if !bytes.contains(where: { $0 >= 0x80 }) { return sentences(bytes.lazy.map { Unicode.Scalar($0) }) }
            return sentences(Array(text.unicodeScalars))
        }
    }

    /// Sentence ranges as offsets into `scalars`, covering the whole text.
    public static func sentences<Scalars: RandomAccessCollection<Unicode.Scalar>>(_ scalars: Scalars) -> [Range<Int>]
    where Scalars.Index == Int {
        var ranges: [Range<Int>] = []
        var start = 0
        while let (end, next) = firstEnd(in: scalars, from: start, to: scalars.count, sentenceStart: start) {
            ranges.append(start..<end)
            start = next
        }
        if start < scalars.count { ranges.append(start..<scalars.count) }
        if ranges.isEmpty { ranges.append(0..<scalars.count) }
        return ranges
    }

    /// Whether a sentence ends in the text between two words, the UTF-8 bytes
    /// `text[lowerByte..<upperByte]`: the decision `sentences` makes there,
    /// by the same rule (`firstEnd`), worked out from that stretch and the
    /// word before it. Nil when it depends on where the sentence began: a
    /// number before a full stop ("4." opening a heading-like run) is no
    /// sentence end only at a sentence's start; ask `sentences` then.
    ///
    /// `sentences` reaches such a stretch afresh (a word has no stop in it),
    /// and the word before a stop runs back to a space, where a sentence can
    /// start, so nothing before that space matters but whether a sentence
    /// starts there.
    public static func endsSentence(in text: String, between lowerByte: Int, and upperByte: Int) -> Bool? {
        var copy = text
        return copy.withUTF8 { bytes -> Bool? in
            guard lowerByte > 0, lowerByte < upperByte, upperByte <= bytes.count else { return false }
            var runStart = lowerByte
            while runStart > 0 && bytes[runStart - 1] != 0x20 { runStart -= 1 }
            // The stretch, the word before it, and the first character after it, as scalars.
            var limit = min(bytes.count, upperByte + 1)
            while limit < bytes.count && bytes[limit] & 0xC0 == 0x80 { limit += 1 }
            let scalars = Array(
                String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart..<limit]), as: UTF8.self).unicodeScalars)
            // Scalar positions in `scalars` of the stretch's ends.
            func scalarIndex(_ byte: Int) -> Int {
                var k = 0
                for j in runStart..<byte where bytes[j] & 0xC0 != 0x80 { k += 1 }
                return k
            }
            let lower = scalarIndex(lowerByte)
            let upper = scalarIndex(upperByte)
            // A sentence starts at the word before the stretch (always at the text's start),
            // or it began before that word.
            let ends = firstEnd(in: scalars, from: lower, to: upper, sentenceStart: 0) != nil
            if runStart == 0 { return ends }
            let endsIfBegunBefore = firstEnd(in: scalars, from: lower, to: upper, sentenceStart: -1) != nil
            return ends == endsIfBegunBefore ? ends : nil
        }
    }

    /// The rule: the first sentence end at a stop in `scalars[from..<to]`,
    /// in a sentence that began at `sentenceStart` (-1: before `scalars`):
    /// where that sentence ends (after the stop and its closing marks) and
    /// where the next begins (after the spaces). Nil when none ends there.
    @inline(__always)
    static func firstEnd<Scalars: RandomAccessCollection<Unicode.Scalar>>(
        in scalars: Scalars, from: Int, to: Int, sentenceStart: Int
    ) -> (end: Int, next: Int)? where Scalars.Index == Int {
        let n = scalars.count
        var i = from
        while i < to {
            let c = scalars[i]
            guard c == "." || c == "?" || c == "!" else {
                i += 1
                continue
            }
            let (end, after) = afterStop(scalars, at: i)
            guard let next = after else {
                i = end
                continue
            }
            guard next < n else { return nil }
            if isSentenceStart(scalars[next])
                && (c != "." || !isAbbreviationOrNumber(scalars, dotAt: i, sentenceStart: sentenceStart))
            {
                return (end, next)
            }
            i = next
        }
        return nil
    }

    /// After the stop (`.`, `?` or `!`) at `i`: where the closing quotes,
    /// brackets and further full stops after it end, and where the next word
    /// starts when a space follows them (nil: no space, so no sentence end
    /// here; the text's length: only spaces follow).
    @inline(__always)
    static func afterStop<Scalars: RandomAccessCollection<Unicode.Scalar>>(_ scalars: Scalars, at i: Int) -> (
        end: Int, next: Int?
    ) where Scalars.Index == Int {
        let n = scalars.count
        var end = i + 1
        while end < n, isClosing(scalars[end]) || scalars[end] == "." { end += 1 }
        guard end < n, scalars[end] == " " else { return (end, nil) }
        var next = end
        while next < n, scalars[next] == " " { next += 1 }
        return (end, next)
    }

    @inline(__always)
    static func isClosing(_ c: Unicode.Scalar) -> Bool { "\"”’')]".unicodeScalars.contains(c) }

    @inline(__always)
    static func isSentenceStart(_ c: Unicode.Scalar) -> Bool {
        c.properties.isUppercase || ("0"..."9").contains(c) || "\"“‘'([•–-".unicodeScalars.contains(c)
    }

    /// Whether the word before the full stop at `dotAt` is an abbreviation, an initial or a section number.
    static func isAbbreviationOrNumber<Scalars: RandomAccessCollection<Unicode.Scalar>>(
        _ scalars: Scalars, dotAt: Int, sentenceStart: Int
    ) -> Bool where Scalars.Index == Int {
        // A sentence starts after a space, so the word runs back to one (or to the start).
        var wordStart = dotAt
        while wordStart > 0, scalars[wordStart - 1] != " " { wordStart -= 1 }
        while wordStart < dotAt, "(\"“".unicodeScalars.contains(scalars[wordStart]) { wordStart += 1 }
        let length = dotAt - wordStart
        if length == 1, scalars[wordStart].properties.isAlphabetic { return true } // an initial
        // "1." or "4.2." opening a passage or after a heading-like run.
        if length > 0, wordStart == sentenceStart,
            scalars[wordStart..<dotAt].allSatisfy({ ("0"..."9").contains($0) || $0 == "." })
        {
            return true
        }
        // Abbreviations are short: only then build the word.
        guard length > 0 && length <= 7 else { return false }
        var word = String.UnicodeScalarView()
        for scalar in scalars[wordStart..<dotAt] {
            let v = scalar.value
            word.append(v >= 0x41 && v <= 0x5A ? Unicode.Scalar(v + 32)! : scalar)
        }
        return abbreviations.contains(String(word))
    }
}
