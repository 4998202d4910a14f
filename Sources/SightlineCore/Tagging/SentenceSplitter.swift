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
    public static func sentences<Scalars: RandomAccessCollection<Unicode.Scalar>>(_ scalars: Scalars) -> [Range<Int>] where Scalars.Index == Int {
        var ranges: [Range<Int>] = []
        var start = 0
        var i = 0
        let n = scalars.count
        while i < n {
            let c = scalars[i]
            guard c == "." || c == "?" || c == "!" else {
                i += 1
                continue
            }
            var end = i + 1
            while end < n, "\"”’')]".unicodeScalars.contains(scalars[end]) || scalars[end] == "." { end += 1 }
            guard end < n, scalars[end] == " " else {
                i = end
                continue
            }
            var next = end
            while next < n, scalars[next] == " " { next += 1 }
            guard next < n else { break }
            let following = scalars[next]
            let startsSentence = following.properties.isUppercase || ("0"..."9").contains(following)
                || "\"“‘'([•–-".unicodeScalars.contains(following)
            if startsSentence && (c != "." || !isAbbreviationOrNumber(scalars, dotAt: i, sentenceStart: start)) {
                ranges.append(start..<end)
                start = next
            }
            i = next
        }
        if start < n { ranges.append(start..<n) }
        if ranges.isEmpty { ranges.append(0..<n) }
        return ranges
    }

    /// Whether the word before the full stop at `dotAt` is an abbreviation, an initial or a section number.
    static func isAbbreviationOrNumber<Scalars: RandomAccessCollection<Unicode.Scalar>>(_ scalars: Scalars, dotAt: Int, sentenceStart: Int) -> Bool where Scalars.Index == Int {
        var wordStart = dotAt
        while wordStart > sentenceStart, scalars[wordStart - 1] != " " { wordStart -= 1 }
        while wordStart < dotAt, scalars[wordStart] == "(" || scalars[wordStart] == "\"" || scalars[wordStart] == "“" { wordStart += 1 }
        let length = dotAt - wordStart
        if length == 1, scalars[wordStart].properties.isAlphabetic { return true }  // an initial
        // "1." or "4.2." opening a passage or after a heading-like run.
        if length > 0, wordStart == sentenceStart, scalars[wordStart..<dotAt].allSatisfy({ ("0"..."9").contains($0) || $0 == "." }) {
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
