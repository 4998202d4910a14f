import Foundation

/// Finds quotes copied by people in a document's passages.
///
/// A quote copied out of a PDF viewer or a QDA program rarely matches the
/// extracted text byte for byte: line breaks, double spaces, curly or straight
/// quotes, hyphens, en and em dashes, ligatures and the case of the first
/// word all differ. Both sides are therefore folded before comparing: NFC,
/// lower case, typographic quotes to straight ones, ligatures spelled out, an
/// ellipsis to three dots, and all white space, hyphens and dashes dropped
/// (so "assess- ment", "assessment" and "multi-agency" / "multi agency"
/// meet). The document's passages are folded one after another, in order,
/// each folded character remembering its passage, so a quote that runs over
/// a passage boundary marks every passage it overlaps.
public struct QuoteLocator: Sendable {
    /// The folded text of every passage, concatenated.
    private let folded: [Unicode.Scalar]
    /// For each folded scalar, the index of its passage.
    private let owner: [Int32]
    /// Folded range of each passage.
    private let starts: [Int]
    private let ends: [Int]

    public init(passages texts: [String]) {
        var folded: [Unicode.Scalar] = []
        var owner: [Int32] = []
        var starts: [Int] = []
        var ends: [Int] = []
        for (p, text) in texts.enumerated() {
            starts.append(folded.count)
            for scalar in text.unicodeScalars {
                for out in Self.fold(scalar) {
                    folded.append(out)
                    owner.append(Int32(p))
                }
            }
            ends.append(folded.count)
        }
        self.folded = folded
        self.owner = owner
        self.starts = starts
        self.ends = ends
    }

    /// One place a quote was found: the passages it overlaps, and whether it
    /// starts at a passage's start and ends at a passage's end.
    public struct Occurrence: Sendable, Equatable {
        public var passages: ClosedRange<Int>
        public var wholePassages: Bool
        /// Where it starts in the folded text (see `foldedCount`).
        public var foldedStart: Int = 0
    }

    /// Scalars in the folded text of all passages.
    public var foldedCount: Int { folded.count }

    /// Every non-overlapping place the quote occurs, in document order
    /// (empty when it occurs nowhere or folds to nothing).
    public func occurrences(of quote: String) -> [Occurrence] {
        let needle = Self.folded(quote)
        guard !needle.isEmpty, needle.count <= folded.count else { return [] }
        // Knuth–Morris–Pratt: linear in the document, however many near-misses.
        var failure = [Int](repeating: 0, count: needle.count)
        var k = 0
        for i in 1..<max(1, needle.count) {
            while k > 0 && needle[i] != needle[k] { k = failure[k - 1] }
            if needle[i] == needle[k] { k += 1 }
            failure[i] = k
        }
        var found: [Occurrence] = []
        k = 0
        for (i, scalar) in folded.enumerated() {
            while k > 0 && scalar != needle[k] { k = failure[k - 1] }
            if scalar == needle[k] { k += 1 }
            if k == needle.count {
                let start = i + 1 - needle.count
                let first = Int(owner[start])
                let last = Int(owner[i])
                found.append(
                    Occurrence(
                        passages: first...last, wholePassages: starts[first] == start && ends[last] == i + 1,
                        foldedStart: start))
                k = 0
            }
        }
        return found
    }

    /// Whether a quote folds to nothing (only spaces, dashes and the like).
    public static func isBlank(_ quote: String) -> Bool { folded(quote).isEmpty }

    /// A whole text folded.
    public static func folded(_ text: String) -> [Unicode.Scalar] {
        text.precomposedStringWithCanonicalMapping.unicodeScalars.flatMap { fold($0) }
    }

    /// One scalar folded: nothing for white space, hyphens and dashes, else
    /// its lower-case form with quotes straightened and ligatures spelled out.
    static func fold(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        switch scalar.value {
        case 0x2D, 0xAD, 0x2010...0x2015, 0x2212, 0x2043, 0xFE58, 0xFE63, 0xFF0D: return []
        case 0x200B...0x200D, 0x2060, 0xFEFF: return []
        case 0x2018, 0x2019, 0x201A, 0x201B, 0x2032, 0x60, 0xB4: return ["'"]
        case 0x201C, 0x201D, 0x201E, 0x201F, 0x2033, 0xAB, 0xBB: return ["\""]
        case 0x2026: return [".", ".", "."]
        case 0xFB00...0xFB06:
            return Array(String(scalar).decomposedStringWithCompatibilityMapping.lowercased().unicodeScalars)
        default:
            if scalar.properties.isWhitespace { return [] }
            if scalar.value < 0x80 {
                if scalar.value >= 0x41 && scalar.value <= 0x5A { return [Unicode.Scalar(scalar.value + 0x20)!] }
                return [scalar]
            }
            return Array(scalar.properties.lowercaseMapping.unicodeScalars)
        }
    }
}
