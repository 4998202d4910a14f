/// A rule's match: one span of tokens, or two (the parts of a proximity or same-sentence rule, in text order).
struct Found {
    typealias Span = (first: Int, last: Int)
    var rule: Int
    var one: Span
    var two: Span?
    /// The token whose negation and hedging cues decide the match's: its first word, or for an
    /// attributed match (same sentence with rivals) the first word of the term attributed.
    var cueToken: Int

    init(rule: Int, _ a: Span, _ b: Span? = nil, cuesAtTerm: Bool = false) {
        self.rule = rule
        cueToken = cuesAtTerm ? a.first : min(a.first, b?.first ?? a.first)
        if let b, b.first < a.first {
            one = b
            two = a
        } else {
            one = a
            two = b
        }
    }

    init(rule: Int, _ a: PhraseAutomaton.Hit, _ b: PhraseAutomaton.Hit? = nil, cuesAtTerm: Bool = false) {
        self.init(rule: rule, (a.first, a.last), b.map { ($0.first, $0.last) }, cuesAtTerm: cuesAtTerm)
    }

    func overlaps(_ veto: Span) -> Bool {
        if veto.first <= one.last && veto.last >= one.first { return true }
        if let two, veto.first <= two.last && veto.last >= two.first { return true }
        return false
    }
}

/// How a rule's hits become matches, by the rule's kind (`docs/taxonomy-format.md`, "Rules").
enum RuleEvaluator: Sendable {
    /// `phrases` and `abbreviations`: every hit is a match.
    case phrase
    /// `near`: a `b` within `within` words of the `a`.
    case near(within: Int)
    /// `same_sentence`: a `b` in the `a`'s sentence; with rivals, only the nearest and nearer than every rival.
    case sameSentence(rivals: Bool)
    /// `regex`: the expression, tried around its anchors.
    case regex(RegexRule)

    /// Appends the matches of the rule whose hits are `parts` to `found`.
    func evaluate(_ parts: RuleParts, in passage: inout PassageContext, into found: inout [Found]) {
        guard !parts.own.isEmpty else { return }
        switch self {
        case .phrase:
            for a in passage.hits(parts.own) { found.append(Found(rule: parts.rule, a)) }
        case .near(let within):
            Self.near(parts, within: within, in: passage, into: &found)
        case .sameSentence(let rivals):
            guard !parts.second.isEmpty else { return }
            if rivals {
                Self.attributed(parts, in: &passage, into: &found)
            } else {
                Self.sameSentence(parts, in: &passage, into: &found)
            }
        case .regex(let rule):
            rule.evaluate(parts, in: &passage, into: &found)
        }
    }

    /// Each `a` with the `b` that does not overlap it, lies at most `within` words from it, and whose
    /// first word is nearest the a's (the first in scan order on a tie).
    private static func near(_ parts: RuleParts, within: Int, in passage: PassageContext, into found: inout [Found]) {
        let seconds = passage.hits(parts.second)
        for a in passage.hits(parts.own) {
            var best: PhraseAutomaton.Hit? = nil
            for b in seconds where b.last < a.first || b.first > a.last {
                guard Tagger.distance(a, b) <= within else { continue }
                if best == nil || abs(b.first - a.first) < abs(best!.first - a.first) { best = b }
            }
            if let b = best { found.append(Found(rule: parts.rule, a, b)) }
        }
    }

    /// Each `a` with the first `b` in its sentence that does not overlap it.
    private static func sameSentence(_ parts: RuleParts, in passage: inout PassageContext, into found: inout [Found]) {
        let sentenceOf = passage.sentenceOf()
        let seconds = passage.hits(parts.second)
        for a in passage.hits(parts.own) {
            let sentence = sentenceOf[a.first]
            if let b = seconds.first(where: {
                sentenceOf[$0.first] == sentence && ($0.last < a.first || $0.first > a.last)
            }) {
                found.append(Found(rule: parts.rule, a, b))
            }
        }
    }

    /// Attribution: each `a` whose nearest `b` in its sentence (the first in scan order on a tie) is nearer
    /// than every rival in the sentence; a tie is nobody's. Cues are judged at the term.
    private static func attributed(_ parts: RuleParts, in passage: inout PassageContext, into found: inout [Found]) {
        let sentenceOf = passage.sentenceOf()
        let seconds = passage.hits(parts.second)
        let rivals = passage.hits(parts.rivals)
        for a in passage.hits(parts.own) {
            let sentence = sentenceOf[a.first]
            var best: PhraseAutomaton.Hit? = nil
            for b in seconds where sentenceOf[b.first] == sentence && (b.last < a.first || b.first > a.last) {
                if best == nil || Tagger.distance(b, a) < Tagger.distance(best!, a) { best = b }
            }
            guard let b = best else { continue }
            let nearest = Tagger.distance(b, a)
            if rivals.contains(where: { sentenceOf[$0.first] == sentence && Tagger.distance($0, a) <= nearest }) {
                continue
            }
            found.append(Found(rule: parts.rule, a, b, cuesAtTerm: true))
        }
    }
}
