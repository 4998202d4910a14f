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
public enum Tokenizer {
    public static func tokenize(_ scalars: [Unicode.Scalar]) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(scalars.count / 5)
        var start = -1
        var lower = String.UnicodeScalarView()
        var original = String.UnicodeScalarView()
        var breakPending = false
        var hasUpper = false
        func finish(_ end: Int) {
            if start >= 0 {
                let lowerText = String(lower)
                tokens.append(Token(start: start, end: end, lower: lowerText, original: hasUpper ? String(original) : lowerText, clauseBreakBefore: breakPending))
                breakPending = false
            }
            start = -1
            lower.removeAll(keepingCapacity: true)
            original.removeAll(keepingCapacity: true)
            hasUpper = false
        }
        for (offset, scalar) in scalars.enumerated() {
            let v = scalar.value
            if v < 0x80 {
                if (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) {
                    if start < 0 { start = offset }
                    lower.append(scalar)
                    original.append(scalar)
                    continue
                }
                if v >= 0x41 && v <= 0x5A {
                    if start < 0 { start = offset }
                    lower.append(Unicode.Scalar(v + 32)!)
                    original.append(scalar)
                    hasUpper = true
                    continue
                }
                finish(offset)
                if v == 0x3B || v == 0x3A || v == 0x28 || v == 0x29 || v == 0x2E || v == 0x3F || v == 0x21 { breakPending = true }
                continue
            }
            let properties = scalar.properties
            if properties.isAlphabetic || properties.numericType != nil {
                if properties.generalCategory == .nonspacingMark && start < 0 { continue }
                if start < 0 { start = offset }
                let lowered = properties.lowercaseMapping
                lower.append(contentsOf: lowered.unicodeScalars)
                original.append(scalar)
                if properties.isUppercase { hasUpper = true }
                continue
            }
            if properties.generalCategory == .nonspacingMark && start >= 0 {
                lower.append(scalar)
                original.append(scalar)
                continue
            }
            finish(offset)
            if v == 0x2026 || v == 0x2014 { breakPending = true }  // … —
        }
        finish(scalars.count)
        return tokens
    }
}
