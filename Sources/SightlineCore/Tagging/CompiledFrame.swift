import Foundation

extension Tagger {
    /// What a phrase of a taxonomy is for: the payload its hits carry out of the phrase scan.
    enum Role {
        /// A word or phrase of a `phrases` or `abbreviations` rule.
        case match(Int)
        /// The first part (`a`) of a `near` rule.
        case nearA(Int)
        /// The second part of proximity and same-sentence rules: one payload
        /// per distinct phrase, listing every rule that uses it, so a common
        /// word ("child*") in many rules gives one hit, not one per rule.
        case second([Int])
        /// The first part (`a`) of a `same_sentence` rule.
        case sameA(Int)
        /// A phrase competing with a same-sentence rule's second part for its first (`rivals`).
        case rival(Int)
        /// An anchor of a `regex` rule.
        case anchor(Int)
        /// A phrase a regular expression's every match holds (`requires`).
        case required(Int)
        case ruleExclude(Int)
        case themeExclude(Int)
        case negationBefore, negationAfter, pseudoNegation, hypotheticalBefore, hypotheticalAfter, breaker
        /// A phrase that makes the whole passage boilerplate for its frame (`boilerplate_phrases`).
        case boilerplatePhrase

        var kind: Kind {
            switch self {
            case .match: .match
            case .nearA: .nearA
            case .second: .second
            case .sameA: .sameA
            case .rival: .rival
            case .anchor: .anchor
            case .required: .required
            case .ruleExclude: .ruleExclude
            case .themeExclude: .themeExclude
            case .negationBefore: .negationBefore
            case .negationAfter: .negationAfter
            case .pseudoNegation: .pseudoNegation
            case .hypotheticalBefore: .hypotheticalBefore
            case .hypotheticalAfter: .hypotheticalAfter
            case .breaker: .breaker
            case .boilerplatePhrase: .boilerplatePhrase
            }
        }
    }

    /// A role without its payload: what gathering reads for every hit, kept in
    /// plain arrays so that reading it costs no reference counting.
    enum Kind: UInt8 {
        case match, nearA, second, sameA, rival, anchor, required, ruleExclude, themeExclude
        case negationBefore, negationAfter, pseudoNegation, hypotheticalBefore, hypotheticalAfter, breaker,
            boilerplatePhrase

        /// Whether a hit can start a match (a rule's phrase, a proximity's first part, a regex anchor).
        var startsRule: Bool { self == .match || self == .nearA || self == .sameA || self == .anchor }
    }
}

/// A compiled taxonomy: its phrases' payloads in the shared automaton, and
/// each rule's evaluator. Immutable once built, shared by reference.
final class CompiledFrame: Sendable {
    let taxonomy: Taxonomy
    /// This taxonomy's payloads in the shared automaton start here.
    let payloadBase: Int
    /// By payload: the role's kind, and its rule or theme (for `.second`, where its rules start in `secondRules`).
    let kinds: [Tagger.Kind]
    let values: [Int]
    /// The rules of each `.second` payload: `secondRules[values[p]..<values[p] + secondCounts[p]]`.
    let secondRules: [Int]
    let secondCounts: [Int]
    /// By rule: its theme, its group (theme and sub-theme: codings are written group by group), its id, and how
    /// its hits become matches.
    let ruleTheme: [Int]
    let ruleGroup: [RuleGroup]
    let ruleIDs: [String]
    let evaluators: [RuleEvaluator]
    /// Headings under which every match is hypothetical.
    let hypotheticalHeadings: HeadingPatterns

    /// Where a rule's codings go: its theme and, for a sub-theme's rule, the sub-theme. Ordered as the
    /// taxonomy lists them, a theme's own rules before its sub-themes'.
    struct RuleGroup: Equatable, Comparable, Sendable {
        var theme: Int
        /// nil: the theme's own rules.
        var subtheme: Int?

        static func < (x: RuleGroup, y: RuleGroup) -> Bool {
            (x.theme, x.subtheme ?? -1) < (y.theme, y.subtheme ?? -1)
        }
    }

    /// Compiles `taxonomy`, adding its phrases to `automaton` with payloads from `payloadBase` on.
    init(_ taxonomy: Taxonomy, into automaton: inout PhraseAutomaton, payloadBase: Int) {
        var roles: [Tagger.Role] = []
        var groups: [RuleGroup] = []
        var ids: [String] = []
        var evaluators: [RuleEvaluator] = []
        var secondPayloads: [String: Int] = [:]
        var expander = PhraseVariants.Expander(policy: taxonomy.policy)
        func add(_ phrases: [String], _ role: Tagger.Role, abbreviation: Bool = false) {
            roles.append(role)
            let payload = roles.count - 1
            for phrase in phrases {
                for sequence in expander.expand(phrase, abbreviation: abbreviation) {
                    automaton.add(sequence, payload: payloadBase + payload)
                }
            }
        }
        /// A second part: each phrase joins the payload it already has.
        func addSecond(_ phrases: [String], rule: Int) {
            for phrase in phrases {
                if let payload = secondPayloads[phrase], case .second(let rules) = roles[payload] {
                    if !rules.contains(rule) { roles[payload] = .second(rules + [rule]) }
                    continue
                }
                add([phrase], .second([rule]))
                secondPayloads[phrase] = roles.count - 1
            }
        }
        for (t, theme) in taxonomy.themes.enumerated() {
            if !theme.exclude.isEmpty { add(theme.exclude, .themeExclude(t)) }
            let rulesByGroup: [(Int?, [Rule])] =
                [(nil, theme.rules)] + theme.subthemes.enumerated().map { ($0.offset, $0.element.rules) }
            for (subtheme, rules) in rulesByGroup {
                for rule in rules {
                    let index = ids.count
                    switch rule.kind {
                    case .phrases(let phrases):
                        add(phrases, .match(index))
                        evaluators.append(.phrase)
                    case .abbreviations(let list):
                        add(list, .match(index), abbreviation: true)
                        evaluators.append(.phrase)
                    case .near(let a, let b, let within):
                        add(a, .nearA(index))
                        addSecond(b, rule: index)
                        evaluators.append(.near(within: within))
                    case .sameSentence(let a, let b, let rivals):
                        add(a, .sameA(index))
                        addSecond(b, rule: index)
                        if !rivals.isEmpty { add(rivals, .rival(index)) }
                        evaluators.append(.sameSentence(rivals: !rivals.isEmpty))
                    case .regex(let pattern, let anchors, let window, let requires):
                        add(anchors, .anchor(index))
                        if !requires.isEmpty { add(requires, .required(index)) }
                        // The loader compiled the pattern already: a taxonomy with a bad one never gets here.
                        // The loader compiled this pattern already and refuses a taxonomy whose pattern fails.
                        let expression = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
                        evaluators.append(
                            .regex(RegexRule(expression: expression, window: window, requires: !requires.isEmpty)))
                    }
                    if !rule.exclude.isEmpty { add(rule.exclude, .ruleExclude(index)) }
                    groups.append(RuleGroup(theme: t, subtheme: subtheme))
                    ids.append(rule.id)
                }
            }
        }
        let cues = taxonomy.cues
        add(cues.negationBefore, .negationBefore)
        add(cues.negationAfter, .negationAfter)
        add(cues.pseudoNegation, .pseudoNegation)
        add(cues.hypotheticalBefore, .hypotheticalBefore)
        add(cues.hypotheticalAfter, .hypotheticalAfter)
        add(cues.clauseBreakers, .breaker)
        if !taxonomy.boilerplatePhrases.isEmpty { add(taxonomy.boilerplatePhrases, .boilerplatePhrase) }

        self.taxonomy = taxonomy
        self.payloadBase = payloadBase
        hypotheticalHeadings = HeadingPatterns(taxonomy.hypotheticalHeadings)
        // Rules are numbered theme by theme, a theme's own rules first: record building relies on it.
        precondition(zip(groups, groups.dropFirst()).allSatisfy { $0 <= $1 }, "rules out of taxonomy order")
        ruleGroup = groups
        ruleTheme = groups.map(\.theme)
        ruleIDs = ids
        self.evaluators = evaluators
        kinds = roles.map(\.kind)
        var values: [Int] = []
        var secondRules: [Int] = []
        var secondCounts: [Int] = []
        for role in roles {
            switch role {
            case .match(let r), .nearA(let r), .sameA(let r), .rival(let r), .anchor(let r), .required(let r),
                .ruleExclude(let r), .themeExclude(let r):
                values.append(r)
                secondCounts.append(0)
            case .second(let rules):
                values.append(secondRules.count)
                secondRules += rules
                secondCounts.append(rules.count)
            default:
                values.append(-1)
                secondCounts.append(0)
            }
        }
        self.values = values
        self.secondRules = secondRules
        self.secondCounts = secondCounts
    }

    /// How many payloads the frame uses in the shared automaton.
    var payloadCount: Int { kinds.count }
}
