import Foundation

/// Expands a phrase from a taxonomy into the token sequences it stands for:
/// its words as the tokenizer splits them, with a trailing `*` as a prefix
/// wildcard, British and American spellings, and plurals of the last word,
/// as the taxonomy's matching policy says.
public enum PhraseVariants {
    public typealias Sequence = [(text: String, exact: Bool, wildcard: Bool)]

    public static func expand(_ phrase: String, policy: MatchingPolicy, abbreviation: Bool = false) -> [Sequence] {
        var expander = Expander(policy: policy)
        return expander.expand(phrase, abbreviation: abbreviation)
    }

    /// Expands the phrases of one taxonomy, working out each word's forms
    /// once: a taxonomy's thousands of phrases share most of their words, and
    /// every process that codes compiles the taxonomy when it starts.
    public struct Expander {
        public let policy: MatchingPolicy
        private struct FormsKey: Hashable {
            var word: String
            var last: Bool
            var abbreviation: Bool
        }
        private var forms: [FormsKey: [String]] = [:]

        public init(policy: MatchingPolicy) { self.policy = policy }

        public mutating func expand(_ phrase: String, abbreviation: Bool = false) -> [Sequence] {
            let exact = abbreviation ? policy.abbreviationsCaseSensitive : policy.caseSensitive
            var words: [(text: String, wildcard: Bool)] = []
            for raw in Self.pieces(of: phrase) {
                let isWildcard = raw.last == policy.wildcard
                let body = isWildcard ? String(raw.dropLast()) : raw
                let parts = Tokenizer.tokenize(body)
                for (index, part) in parts.enumerated() {
                    words.append((exact ? part.original : part.lower, isWildcard && index == parts.count - 1))
                }
            }
            guard !words.isEmpty else { return [] }
            var sequences: [Sequence] = [[]]
            for (i, word) in words.enumerated() {
                // A wildcard stands as written; other words take their spelling variants, the last its plurals.
                let options =
                    word.wildcard
                    ? [word.text] : forms(of: word.text, last: i == words.count - 1, abbreviation: abbreviation)
                var next: [Sequence] = []
                next.reserveCapacity(min(256, sequences.count * options.count))
                for sequence in sequences {
                    for option in options { next.append(sequence + [(option, exact && !word.wildcard, word.wildcard)]) }
                }
                sequences = Array(next.prefix(256))
            }
            return sequences
        }

        /// A phrase's pieces between spaces: the split by character, worked
        /// out on the bytes where that gives the same (`TextNormalizer.spaceSeparatedRuns`).
        static func pieces(of phrase: String) -> [String] {
            var utf8 = phrase
            let runs = utf8.withUTF8 { bytes in
                TextNormalizer.spaceSeparatedRuns(bytes)?.map {
                    String(decoding: UnsafeBufferPointer(rebasing: bytes[$0.start..<$0.end]), as: UTF8.self)
                }
            }
            return runs ?? phrase.split(whereSeparator: { $0 == " " }).map(String.init)
        }

        /// A word, then its distinct spelling variants and (for the last word) plurals.
        private mutating func forms(of word: String, last: Bool, abbreviation: Bool) -> [String] {
            let key = FormsKey(word: word, last: last, abbreviation: abbreviation)
            if let known = forms[key] { return known }
            var list = [word]
            if policy.spellingVariants && !abbreviation { list += spellings(word) }
            if last && (policy.plurals || abbreviation) {
                list += list.flatMap { abbreviation ? abbreviationPlurals($0) : plurals($0) }
            }
            // A handful of forms: a linear search is cheaper than hashing them.
            var distinct: [String] = []
            distinct.reserveCapacity(list.count)
            for form in list where !distinct.contains(form) { distinct.append(form) }
            forms[key] = distinct
            return distinct
        }
    }

    /// Regular plurals: -s, -es after s/x/z/ch/sh, consonant + y → -ies.
    static func plurals(_ word: String) -> [String] {
        guard word.count >= 3, word.last?.isLetter == true else { return [] }
        if word.hasSuffix("s") && !word.hasSuffix("ss") { return [] }
        if word.hasSuffix("ss") || word.hasSuffix("x") || word.hasSuffix("z") || word.hasSuffix("ch")
            || word.hasSuffix("sh")
        {
            return [word + "es"]
        }
        if word.hasSuffix("y"), let before = word.dropLast().last, !"aeiou".contains(before) {
            return [String(word.dropLast()) + "ies"]
        }
        return [word + "s"]
    }

    static func abbreviationPlurals(_ word: String) -> [String] {
        guard let last = word.last, last != "s", last != "S" else { return [] }
        return [word + "s"]
    }

    /// British ↔ American spellings of one word (both directions; forms that are not words never match).
    static func spellings(_ word: String) -> [String] {
        // Byte-wise: every ending and beginning below is ASCII. Every phrase
        // word of a taxonomy comes through here each time a process compiles
        // the taxonomy, so this is part of every run's start-up.
        let bytes = Array(word.utf8)
        let isASCII = bytes.allSatisfy { $0 < 0x80 }
        let length = isASCII ? bytes.count : word.count
        var out: [String] = []
        for (british, american) in endingPairs {
            if length > british.count + 2 && bytes.ends(with: british) {
                out.append(String(decoding: bytes.dropLast(british.count) + american, as: UTF8.self))
            }
            if length > american.count + 2 && bytes.ends(with: american) {
                out.append(String(decoding: bytes.dropLast(american.count) + british, as: UTF8.self))
            }
        }
        for (british, american) in beginningPairs where bytes.starts(with: british) && startsWhole(bytes, british.count)
        {
            out.append(String(decoding: american + bytes.dropFirst(british.count), as: UTF8.self))
        }
        // "oe" byte-wise for an ASCII word (already known to be one), by Foundation's search otherwise.
        if length > 5
            && (isASCII
                ? zip(bytes, bytes.dropFirst()).contains { $0 == UInt8(ascii: "o") && $1 == UInt8(ascii: "e") }
                : word.contains("oe"))
        {
            out.append(word.replacingOccurrences(of: "oe", with: "e"))
        }
        return out.filter { $0 != word }
    }

    private static let endingPairs: [([UInt8], [UInt8])] = [
        ("isation", "ization"), ("isations", "izations"), ("ise", "ize"), ("ised", "ized"), ("ises", "izes"),
        ("ising", "izing"), ("iser", "izer"), ("isers", "izers"), ("our", "or"), ("ours", "ors"), ("oured", "ored"),
        ("ouring", "oring"), ("ourable", "orable"), ("tre", "ter"), ("tres", "ters"), ("ogue", "og"), ("ogues", "ogs"),
        ("ence", "ense"), ("gramme", "gram"), ("grammes", "grams"), ("lled", "led"), ("lling", "ling"), ("llor", "lor"),
        ("llors", "lors"), ("ement", "ment"), ("eing", "ing"),
    ].map { (Array($0.utf8), Array($1.utf8)) }

    private static let beginningPairs: [([UInt8], [UInt8])] = [
        ("paed", "ped"), ("haem", "hem"), ("anaes", "anes"), ("oes", "es"), ("foet", "fet"), ("orthopaed", "orthoped"),
    ].map { (Array($0.utf8), Array($1.utf8)) }

    /// Whether a beginning of `count` bytes ends at a character boundary, as
    /// `String.hasPrefix` requires (a combining mark after it would extend its last letter).
    private static func startsWhole(_ bytes: [UInt8], _ count: Int) -> Bool {
        guard count < bytes.count, bytes[count] >= 0x80 else { return true }
        let rest = String(decoding: bytes[(count - 1)...], as: UTF8.self)
        return rest.first.map { $0.unicodeScalars.count == 1 } ?? true
    }

}

extension Array where Element == UInt8 {
    /// Compared from the last byte back: most words differ from most endings there.
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        guard count >= suffix.count else { return false }
        var i = count - 1
        var k = suffix.count - 1
        while k >= 0 {
            if self[i] != suffix[k] { return false }
            i -= 1
            k -= 1
        }
        return true
    }
}
