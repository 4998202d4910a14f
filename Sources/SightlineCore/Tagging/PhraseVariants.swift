import Foundation

/// Expands a phrase from a taxonomy into the token sequences it stands for:
/// its words as the tokenizer splits them, with a trailing `*` as a prefix
/// wildcard, British and American spellings, and plurals of the last word,
/// as the taxonomy's matching policy says.
public enum PhraseVariants {
    public typealias Sequence = [(text: String, exact: Bool, wildcard: Bool)]

    public static func expand(_ phrase: String, policy: MatchingPolicy, abbreviation: Bool = false) -> [Sequence] {
        var words: [[(String, Bool)]] = []  // per token: (text, wildcard)
        for raw in phrase.split(whereSeparator: { $0 == " " }) {
            let isWildcard = raw.last == policy.wildcard
            let body = isWildcard ? String(raw.dropLast()) : String(raw)
            let parts = Tokenizer.tokenize(body)
            for (index, part) in parts.enumerated() {
                let exact = abbreviation ? policy.abbreviationsCaseSensitive : policy.caseSensitive
                words.append([(exact ? part.original : part.lower, isWildcard && index == parts.count - 1)])
            }
        }
        guard !words.isEmpty else { return [] }
        let exact = abbreviation ? policy.abbreviationsCaseSensitive : policy.caseSensitive
        // Spelling variants of every word, plurals of the last.
        for i in words.indices where !words[i][0].1 {
            var forms = [words[i][0].0]
            if policy.spellingVariants && !abbreviation { forms += spellings(forms[0]) }
            if i == words.count - 1 && (policy.plurals || abbreviation) {
                forms += forms.flatMap { abbreviation ? abbreviationPlurals($0) : plurals($0) }
            }
            var seen = Set<String>()
            words[i] = forms.filter { seen.insert($0).inserted }.map { ($0, false) }
        }
        var sequences: [Sequence] = [[]]
        for options in words {
            var next: [Sequence] = []
            for sequence in sequences {
                for option in options { next.append(sequence + [(option.0, exact && !option.1, option.1)]) }
            }
            sequences = Array(next.prefix(256))
        }
        return sequences
    }

    /// Regular plurals: -s, -es after s/x/z/ch/sh, consonant + y → -ies.
    static func plurals(_ word: String) -> [String] {
        guard word.count >= 3, word.last?.isLetter == true else { return [] }
        if word.hasSuffix("s") && !word.hasSuffix("ss") { return [] }
        if word.hasSuffix("ss") || word.hasSuffix("x") || word.hasSuffix("z") || word.hasSuffix("ch") || word.hasSuffix("sh") {
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
        var out: [String] = []
        let pairs: [(String, String)] = [
            ("isation", "ization"), ("isations", "izations"), ("ise", "ize"), ("ised", "ized"), ("ises", "izes"),
            ("ising", "izing"), ("iser", "izer"), ("isers", "izers"), ("our", "or"), ("ours", "ors"), ("oured", "ored"),
            ("ouring", "oring"), ("ourable", "orable"), ("tre", "ter"), ("tres", "ters"), ("ogue", "og"), ("ogues", "ogs"),
            ("ence", "ense"), ("gramme", "gram"), ("grammes", "grams"), ("lled", "led"), ("lling", "ling"), ("llor", "lor"),
            ("llors", "lors"), ("ement", "ment"), ("eing", "ing"),
        ]
        // Counted once: every phrase word of a taxonomy comes through here when it is compiled.
        let length = word.count
        for (british, american) in pairs {
            if word.hasSuffix(british) && length > british.count + 2 { out.append(String(word.dropLast(british.count)) + american) }
            if word.hasSuffix(american) && length > american.count + 2 { out.append(String(word.dropLast(american.count)) + british) }
        }
        let starts: [(String, String)] = [("paed", "ped"), ("haem", "hem"), ("anaes", "anes"), ("oes", "es"), ("foet", "fet"), ("orthopaed", "orthoped")]
        for (british, american) in starts {
            if word.hasPrefix(british) { out.append(american + word.dropFirst(british.count)) }
        }
        if length > 5 && Self.containsOE(word) { out.append(word.replacingOccurrences(of: "oe", with: "e")) }
        return out.filter { $0 != word }
    }

    /// Whether `word` holds "oe": byte-wise for ASCII words, by Foundation's search otherwise.
    static func containsOE(_ word: String) -> Bool {
        let bytes = word.utf8
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return word.contains("oe") }
        return zip(bytes, bytes.dropFirst()).contains { $0 == UInt8(ascii: "o") && $1 == UInt8(ascii: "e") }
    }
}
