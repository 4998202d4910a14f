import Foundation

@testable import SightlineCore

/// Random passages made of a coding frame's own words: its phrases, cues and exclusions (wildcards
/// filled in, case changed), mixed with names, filler words, punctuation, clause and sentence breaks,
/// abbreviations that are not sentence ends, and a little non-ASCII text.
struct RandomPassages {
    /// Phrases of the frames' rules, exclusions and boilerplate phrases.
    private var terms: [String] = []
    /// Abbreviations as written.
    private var abbreviations: [String] = []
    /// Negation and hedging cues and clause breakers.
    private var cues: [String] = []

    static let filler = [
        "the", "a", "and", "of", "was", "to", "in", "her", "his", "their", "with", "for", "had", "on", "at", "by",
        "child", "mother", "father", "school", "worker", "visit", "plan", "risk", "family", "home", "day", "night",
        "not", "no", "should", "would", "but", "however", "only", "doubt", "concerns", "about", "support", "help",
        "two", "three", "several", "days", "weeks", "hours", "social", "workers", "health", "visitors", "anxiety",
    ]
    static let names = [
        "Child A", "Mother", "Father", "Mr Smith", "Dr. Jones", "J. Smith", "Anna", "Sibling 2", "Kai",
    ]
    static let punctuation = [",", ";", ":", "(", ")", " —", "…", "’s", "'s", "\"", "-", "/", " –"]
    /// Sentence ends, and full stops that end none.
    static let breaks = [
        ". ", "? ", "! ", ".” ", ".) ", ". ", ". ", " e.g. ", " etc. ", " No. 4 ", " 4.2. ", " p. 12 ", " (para. 3) ",
    ]
    static let unusual = [
        "café", "naïve", "Ærø", "😀", "ﬁle", "İstanbul", "ß", "Ω", "childʼs", "co‑operation",
    ]
    /// Stretches the shipped frames' regular expressions look for.
    static let regexBait = [
        "a picture of the child’s day", "an understanding of Anna’s routine", "what a typical day in her life",
        "focused on the mother", "centred around the parents", "three social workers", "12 different team managers",
        "missing for two nights", "missing several hours", "child Anna’s anxiety", "baby Kai's low mood",
        "took an overdose", "self-harmed", "suicidal", "was not brought to her appointments",
        "declined further visits", "refused all help",
    ]

    init(taxonomies: [Taxonomy]) {
        for taxonomy in taxonomies {
            terms += taxonomy.boilerplatePhrases
            for theme in taxonomy.themes {
                terms += theme.exclude
                for rule in theme.rules + theme.subthemes.flatMap(\.rules) {
                    terms += rule.exclude
                    switch rule.kind {
                    case .phrases(let p): terms += p
                    case .abbreviations(let p): abbreviations += p
                    case .near(let a, let b, _): terms += a + b
                    case .sameSentence(let a, let b, let rivals): terms += a + b + rivals
                    case .regex(_, let anchors, _, let requires): terms += anchors + requires
                    }
                }
            }
            let c = taxonomy.cues
            cues +=
                c.negationBefore + c.negationAfter + c.pseudoNegation + c.hypotheticalBefore + c.hypotheticalAfter
                + c.clauseBreakers
        }
        terms = Array(Set(terms)).sorted()
        abbreviations = Array(Set(abbreviations)).sorted()
        cues = Array(Set(cues)).sorted()
    }

    /// A phrase as a writer might put it: a wildcard filled in, a plural, changed case.
    private func realise(_ phrase: String, _ rng: inout SplitMix64) -> String {
        var words = phrase.split(separator: " ").map { word -> String in
            guard word.hasSuffix("*") else { return String(word) }
            return word.dropLast() + ["", "s", "ing", "ed", "’s", "hood", "ally"].randomElement(using: &rng)!
        }
        if !words.isEmpty && Int.random(in: 0..<6, using: &rng) == 0 {
            words[words.count - 1] += ["s", "es", "’s"].randomElement(using: &rng)!
        }
        let text = words.joined(separator: Int.random(in: 0..<10, using: &rng) == 0 ? "-" : " ")
        switch Int.random(in: 0..<10, using: &rng) {
        case 0: return text.uppercased()
        case 1: return text.prefix(1).uppercased() + text.dropFirst()
        default: return text
        }
    }

    /// A passage of `pieces` pieces.
    func passage(_ rng: inout SplitMix64, pieces: ClosedRange<Int> = 3...45) -> String {
        var out = ""
        var capitalise = Bool.random(using: &rng)
        for _ in 0..<Int.random(in: pieces, using: &rng) {
            var piece: String
            var separator = " "
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<30: piece = realise(terms.randomElement(using: &rng)!, &rng)
            case 30..<38:
                let abbreviation = abbreviations.randomElement(using: &rng) ?? "DA"
                piece = Int.random(in: 0..<4, using: &rng) == 0 ? abbreviation.lowercased() : abbreviation
            case 38..<52: piece = realise(cues.randomElement(using: &rng)!, &rng)
            case 52..<70: piece = Self.filler.randomElement(using: &rng)!
            case 70..<76: piece = Self.names.randomElement(using: &rng)!
            case 76..<86:
                piece = Self.punctuation.randomElement(using: &rng)!
                separator = Bool.random(using: &rng) ? "" : " "
            case 86..<94:
                piece = Self.breaks.randomElement(using: &rng)!
                separator = ""
            case 94..<97: piece = Self.regexBait.randomElement(using: &rng)!
            default: piece = Self.unusual.randomElement(using: &rng)!
            }
            if capitalise, let first = piece.first, first.isLetter {
                piece = first.uppercased() + piece.dropFirst()
            }
            capitalise = piece.hasSuffix(". ") || piece.hasSuffix("? ") || piece.hasSuffix("! ")
            if !out.isEmpty && !out.hasSuffix(" ") { out += separator }
            out += piece
        }
        return out.trimmingCharacters(in: .whitespaces)
    }

    static let headings = [
        "Findings", "Recommendations", "Recommendation 3", "Contents", "4. Analysis", "What needs to improve",
        "Learning", "Glossary",
    ]

    /// A passage record around `text`, under a random heading, now and then already boilerplate.
    static func record(_ text: String, _ n: Int, _ rng: inout SplitMix64) -> PassageRecord {
        PassageRecord(
            passageID: "random/\(n).0", docID: String(repeating: "c", count: 64), blockIndex: n, part: 0, page: 1,
            pageEnd: 1, pageLabel: nil, kind: .paragraph,
            headingPath: Int.random(in: 0..<5, using: &rng) == 0 ? [] : [headings.randomElement(using: &rng)!],
            text: text, wordCount: 0, boilerplate: Int.random(in: 0..<10, using: &rng) == 0)
    }
}
