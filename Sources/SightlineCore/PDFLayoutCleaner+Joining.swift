import Foundation

// Joining a PDF's lines into paragraph text: paragraphs that run across a page
// break, and hyphens at line ends kept or dropped by the document's own words.
extension PDFLayoutCleaner {
    /// Whether a paragraph ending one page continues as the first piece of the next:
    /// it does when it stops without closing its sentence.
    static func continues(_ tail: [LayoutLine], into head: [LayoutLine]) -> Bool {
        guard let last = tail.last?.text.trimmingTrailingSpaces, let end = last.last, !head.isEmpty else {
            return false
        }
        if ".?!:".contains(end) { return false }
        if "\"”’)".contains(end), let before = last.dropLast().last, ".?!".contains(before) { return false }
        return true
    }

    /// Words seen whole anywhere in the document, to decide line-end hyphens.
    /// Kept as 64-bit hashes of their lower-cased letters (and hyphens), so
    /// building it allocates nothing per word.
    struct Vocabulary {
        var hashes = Set<UInt64>()

        static func hash<S: Sequence>(_ scalars: S) -> UInt64 where S.Element == Unicode.Scalar {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for scalar in scalars {
                h = (h ^ UInt64(lowered(scalar).value)) &* 0x0000_0100_0000_01b3
            }
            return h
        }

        @inline(__always)
        static func lowered(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
            let v = scalar.value
            if v >= 0x41 && v <= 0x5A { return Unicode.Scalar(v + 32)! }
            if v < 0x80 { return scalar }
            return scalar.properties.lowercaseMapping.unicodeScalars.first ?? scalar
        }

        func contains(_ word: String) -> Bool { hashes.contains(Self.hash(word.unicodeScalars)) }
    }

    static func vocabulary(_ pages: [LayoutPage]) -> Vocabulary {
        var vocabulary = Vocabulary()
        for page in pages {
            for line in page.lines {
                var h: UInt64 = 0xcbf2_9ce4_8422_2325
                var length = 0
                var first: Unicode.Scalar = " "
                var last: Unicode.Scalar = " "
                func finish() {
                    if length > 2 && first != "-" && last != "-" { vocabulary.hashes.insert(h) }
                    h = 0xcbf2_9ce4_8422_2325
                    length = 0
                }
                for scalar in line.text.unicodeScalars {
                    let v = scalar.value
                    let isWordScalar =
                        (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || scalar == "-"
                        || (v >= 0x80 && scalar.properties.isAlphabetic)
                    if isWordScalar {
                        if length == 0 { first = scalar }
                        last = scalar
                        length += 1
                        h = (h ^ UInt64(Vocabulary.lowered(scalar).value)) &* 0x0000_0100_0000_01b3
                    } else {
                        finish()
                    }
                }
                finish()
            }
        }
        return vocabulary
    }

    /// Prefixes that form compounds with a real hyphen.
    static let compoundPrefixes: Set<String> = [
        "multi", "non", "pre", "post", "co", "cross", "inter", "self", "step", "well", "long", "short", "follow",
        "face", "half", "ex", "anti", "semi", "full", "part", "mid", "high", "low", "first", "second", "third",
        "decision", "socio", "quasi", "pan", "one", "two", "three", "four", "five", "six", "ten", "twelve",
        "young", "older", "sexually", "mentally", "extra", "intra", "age", "agency", "alcohol", "drug",
    ]

    /// Joins a block's lines into text, mending line-end hyphenation.
    static func join(_ lines: [LayoutLine], vocabulary: Vocabulary, report: inout Report) -> String {
        var text = ""
        for line in lines {
            var piece = stripLeaders(line.text)
            while piece.hasPrefix(" ") { piece.removeFirst() }
            if text.isEmpty {
                text = piece
                continue
            }
            while text.hasSuffix(" ") { text.removeLast() }
            if text.hasSuffix("\u{AD}") {
                text.removeLast()
                text += piece
                report.hyphenationsJoined += 1
            } else if text.hasSuffix("-"), let nextFirst = piece.first, nextFirst.isLetter,
                let before = text.dropLast().last, before.isLetter
            {
                let head = String(text.dropLast().reversed().prefix { $0.isLetter || $0 == "-" }.reversed())
                let tail = String(piece.prefix { $0.isLetter || $0 == "-" })
                if keepsHyphen(head: head, tail: tail, vocabulary: vocabulary) {
                    text += piece
                    report.hyphensKept += 1
                } else {
                    text.removeLast()
                    text += piece
                    report.hyphenationsJoined += 1
                }
            } else {
                text += " " + piece
            }
        }
        return text
    }

    /// Words that commonly end a hyphenated compound ("follow-up", "alcohol-related").
    static let compoundTails: Set<String> = [
        "up", "down", "out", "outs", "in", "on", "off", "over", "by", "line", "lines", "related", "based", "led",
        "term", "making", "level", "agency", "focused", "informed", "specific", "centred", "centered", "wide",
        "free", "like", "aged", "old", "year", "years", "month", "months", "week", "weeks", "day", "time", "known",
        "being", "esteem", "harm", "care", "risk", "school", "birth", "natal", "partner", "parent", "family",
        "to", "face", "hand", "house", "home", "service", "services", "worker", "workers", "practice", "check",
    ]

    /// Whether "head-" at a line end followed by "tail" is a real hyphenated compound.
    ///
    /// Evidence, strongest first: how the document writes the word elsewhere;
    /// a head that is already a compound or a tail with a capital; a known
    /// compound prefix or ending. Otherwise the hyphen was put in to break
    /// the word.
    static func keepsHyphen(head: String, tail: String, vocabulary: Vocabulary) -> Bool {
        let h = head.lowercased()
        let t = tail.lowercased()
        let joined = h + t
        let hyphenated = h + "-" + t
        if vocabulary.contains(hyphenated) && !vocabulary.contains(joined) { return true }
        if vocabulary.contains(joined) && !vocabulary.contains(hyphenated) { return false }
        if head.contains("-") { return true } // already a compound: "long-term-" stays
        if let first = tail.first, first.isUppercase { return true } // "anti-Semitic", "pre-Covid"
        if compoundPrefixes.contains(h) && t.count >= 2 { return true }
        if compoundTails.contains(t) && h.count >= 3 { return true }
        return false
    }

    /// Removes dot leaders ("Introduction ........ 4") and the page number they lead to.
    static func stripLeaders(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        func isDot(_ scalar: Unicode.Scalar) -> Bool { scalar == "." || scalar == "…" || scalar == "·" }
        var i = 0
        while i < scalars.count {
            guard isDot(scalars[i]) else {
                i += 1
                continue
            }
            var j = i
            var dots = 0
            while j < scalars.count, isDot(scalars[j]) || scalars[j] == " " {
                if scalars[j] != " " { dots += scalars[j] == "…" ? 3 : 1 }
                j += 1
            }
            if dots >= 4 {
                let rest = String(String.UnicodeScalarView(scalars[j...])).trimmingCharacters(in: .whitespaces)
                let isPageNumber =
                    !rest.isEmpty
                    && (rest.allSatisfy(\.isNumber) || rest.lowercased().allSatisfy { "ivxlc".contains($0) })
                let before = String(String.UnicodeScalarView(scalars[..<i]))
                if rest.isEmpty || isPageNumber { return before }
                return before + " " + rest
            }
            i = j
        }
        return text
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: Substring {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return s
    }
}
