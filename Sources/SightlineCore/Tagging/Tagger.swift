import Foundation

/// Codes passages against one or more taxonomies: finds every rule's
/// matches with one automaton scan for all taxonomies, applies exclusions, and
/// marks matches inside the scope of a negation or hedging cue.
///
/// A value type with mutating coding (it keeps a cache of wildcard lookups):
/// give each thread its own copy.
public struct Tagger {
    enum Role {
        case match(Int)
        case nearA(Int)
        /// The second part of proximity and same-sentence rules: one payload
        /// per distinct phrase, listing every rule that uses it, so a common
        /// word ("child*") in many rules gives one hit, not one per rule.
        case second([Int])
        case sameA(Int)
        /// A phrase competing with a same-sentence rule's second part for its first (`rivals`).
        case rival(Int)
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

    /// A role without its payload: what the scan reads for every hit, kept in
    /// plain arrays so that reading it costs no reference counting.
    enum Kind: UInt8 {
        case match, nearA, second, sameA, rival, anchor, required, ruleExclude, themeExclude
        case negationBefore, negationAfter, pseudoNegation, hypotheticalBefore, hypotheticalAfter, breaker,
            boilerplatePhrase

        /// Whether a hit can start a match (a rule's phrase, a proximity's first part, a regex anchor).
        var startsRule: Bool { self == .match || self == .nearA || self == .sameA || self == .anchor }
    }

    /// How a rule's hits become matches.
    enum Eval {
        case phrase
        case near(within: Int)
        case sameSentence(rivals: Bool)
        case regex(window: Rule.RegexWindow?, requires: Bool)
    }

    struct FlatRule {
        var theme: Int
        var subtheme: Int?
        var rule: Rule
        var regex: NSRegularExpression?
    }

    /// A compiled taxonomy: immutable once built, shared by reference.
    final class Compiled: Sendable {
        let taxonomy: Taxonomy
        /// This taxonomy's payloads in the shared automaton start here.
        let payloadBase: Int
        /// By payload: the role's kind, and its rule or theme (for `.second`, where its rules start in `secondRules`).
        let kinds: [Kind]
        let values: [Int]
        /// The rules of each `.second` payload: `secondRules[values[p]..<values[p] + secondCounts[p]]`.
        let secondRules: [Int]
        let secondCounts: [Int]
        /// By rule: what evaluating it needs, in plain values (no copy of the rule).
        let ruleTheme: [Int]
        /// Theme × 4096 + sub-theme + 1 (0 for a theme-level rule): the order codings are written in.
        let ruleGroup: [Int]
        let ruleIDs: [String]
        let ruleEval: [Eval]
        let regexes: [NSRegularExpression?]
        /// Headings under which every match is hypothetical.
        let hypotheticalHeadings: HeadingPatterns

        init(taxonomy: Taxonomy, payloadBase: Int, roles: [Role], rules: [FlatRule]) {
            self.taxonomy = taxonomy
            self.payloadBase = payloadBase
            hypotheticalHeadings = HeadingPatterns(taxonomy.hypotheticalHeadings)
            ruleTheme = rules.map(\.theme)
            ruleGroup = rules.map { $0.theme * 4096 + ($0.subtheme.map { $0 + 1 } ?? 0) }
            // `compile` numbers rules theme by theme, theme-level rules first: coding relies on it.
            precondition(zip(ruleGroup, ruleGroup.dropFirst()).allSatisfy { $0 <= $1 }, "rules out of taxonomy order")
            ruleIDs = rules.map(\.rule.id)
            ruleEval = rules.map { flat in
                switch flat.rule.kind {
                case .phrases, .abbreviations: return .phrase
                case .near(_, _, let within): return .near(within: within)
                case .sameSentence(_, _, let rivals): return .sameSentence(rivals: !rivals.isEmpty)
                case .regex(_, _, let window, let requires): return .regex(window: window, requires: !requires.isEmpty)
                }
            }
            regexes = rules.map(\.regex)
            kinds = roles.map(\.kind)
            var values: [Int] = []
            var secondRules: [Int] = []
            var secondCounts: [Int] = []
            for role in roles {
                switch role {
                case .match(let r), .nearA(let r), .sameA(let r), .rival(let r), .anchor(let r), .required(let r),
                    .ruleExclude(let r),
                    .themeExclude(let r):
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
    }

    private var frames: [Compiled] = []
    /// Every taxonomy's phrases in one trie, so a passage is scanned once.
    private var automaton = PhraseAutomaton()
    /// Buffers reused from passage to passage.
    private var tokens: [PhraseAutomaton.LabelledToken] = []
    private var allHits: [PhraseAutomaton.Hit] = []
    private var scratch = Scratch()
    public let taxonomies: [Taxonomy]

    /// Working memory for one frame's evaluation, kept from passage to
    /// passage so that coding a passage allocates as little as it can.
    struct Scratch {
        /// `ruleMark[r] == epoch`: rule r is a candidate in this evaluation (likewise themes).
        var ruleMark: [UInt32] = []
        var themeMark: [UInt32] = []
        var epoch: UInt32 = 0
        var candidates: [Int] = []
        var parts: [Part] = []
        var cues: [(Kind, PhraseAutomaton.Hit)] = []
        var themeVetoes: [(theme: Int, first: Int, last: Int)] = []
        /// By frame: headings already judged against its hypothetical headings.
        var headingVerdicts: [HeadingVerdicts] = []
        /// The automaton scan's own buffers.
        let scan = PhraseAutomaton.ScanBuffers()
        var found: [Found] = []
        /// Per coding: the (rule, start, end) spans kept, and the rules that fired.
        var seen: [(rule: Int, start: Int, end: Int)] = []
        var ruleIndexes: [Int] = []

        /// Starts an evaluation over `rules` rules and `themes` themes.
        mutating func begin(rules: Int, themes: Int) {
            if ruleMark.count < rules { ruleMark += Array(repeating: 0, count: rules - ruleMark.count) }
            if themeMark.count < themes { themeMark += Array(repeating: 0, count: themes - themeMark.count) }
            if epoch == UInt32.max {
                for i in ruleMark.indices { ruleMark[i] = 0 }
                for i in themeMark.indices { themeMark[i] = 0 }
                epoch = 0
            }
            epoch += 1
            // Emptied only when not empty: `removeAll(keepingCapacity:)` is a call, not inlined, and most lists are empty.
            if !candidates.isEmpty { candidates.removeAll(keepingCapacity: true) }
            if !parts.isEmpty { parts.removeAll(keepingCapacity: true) }
            if !cues.isEmpty { cues.removeAll(keepingCapacity: true) }
            if !themeVetoes.isEmpty { themeVetoes.removeAll(keepingCapacity: true) }
        }
    }

    public init(taxonomies: [Taxonomy]) {
        self.taxonomies = taxonomies
        var base = 0
        for taxonomy in taxonomies {
            let frame = Self.compile(taxonomy, into: &automaton, payloadBase: base)
            base += frame.kinds.count
            frames.append(frame)
        }
        automaton.finish()
    }

    static func compile(_ taxonomy: Taxonomy, into automaton: inout PhraseAutomaton, payloadBase: Int) -> Compiled {
        var roles: [Role] = []
        var flatRules: [FlatRule] = []
        let policy = taxonomy.policy
        var secondPayloads: [String: Int] = [:]
        var expander = PhraseVariants.Expander(policy: policy)
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
        func add(_ phrases: [String], _ role: Role, abbreviation: Bool = false) {
            roles.append(role)
            let payload = roles.count - 1
            for phrase in phrases {
                for sequence in expander.expand(phrase, abbreviation: abbreviation) {
                    automaton.add(sequence, payload: payloadBase + payload)
                }
            }
        }
        for (t, theme) in taxonomy.themes.enumerated() {
            if !theme.exclude.isEmpty { add(theme.exclude, .themeExclude(t)) }
            let groups: [(Int?, [Rule])] =
                [(nil, theme.rules)] + theme.subthemes.enumerated().map { ($0.offset, $0.element.rules) }
            for (subtheme, rules) in groups {
                for rule in rules {
                    let index = flatRules.count
                    var regex: NSRegularExpression? = nil
                    switch rule.kind {
                    case .phrases(let phrases): add(phrases, .match(index))
                    case .abbreviations(let list): add(list, .match(index), abbreviation: true)
                    case .near(let a, let b, _):
                        add(a, .nearA(index))
                        addSecond(b, rule: index)
                    case .sameSentence(let a, let b, let rivals):
                        add(a, .sameA(index))
                        addSecond(b, rule: index)
                        if !rivals.isEmpty { add(rivals, .rival(index)) }
                    case .regex(let pattern, let anchors, _, let requires):
                        add(anchors, .anchor(index))
                        if !requires.isEmpty { add(requires, .required(index)) }
                        regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
                    }
                    if !rule.exclude.isEmpty { add(rule.exclude, .ruleExclude(index)) }
                    flatRules.append(FlatRule(theme: t, subtheme: subtheme, rule: rule, regex: regex))
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
        return Compiled(taxonomy: taxonomy, payloadBase: payloadBase, roles: roles, rules: flatRules)
    }

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

        func overlaps(_ veto: Span) -> Bool {
            if veto.first <= one.last && veto.last >= one.first { return true }
            if let two, veto.first <= two.last && veto.last >= two.first { return true }
            return false
        }
    }

    /// A hit as part of one rule: its own word (0), a second part or required phrase (1), an exclusion (2) or a rival (3).
    /// Packed in one integer whose order is (rule, kind, position), so sorting compares integers.
    struct Part: Comparable {
        private let key: UInt64

        init(rule: Int, kind: UInt8, position: Int) {
            key =
                UInt64(truncatingIfNeeded: rule) << 34 | UInt64(kind) << 32 | UInt64(truncatingIfNeeded: position)
                & 0xFFFF_FFFF
        }

        var rule: Int { Int(truncatingIfNeeded: key >> 34) }
        var kind: UInt8 { UInt8(truncatingIfNeeded: key >> 32) & 3 }
        var position: Int { Int(truncatingIfNeeded: key & 0xFFFF_FFFF) }

        static func < (a: Part, b: Part) -> Bool { a.key < b.key }
    }

    /// The codings of one passage, in taxonomy, theme and sub-theme order.
    public mutating func code(_ passage: PassageRecord) -> [CodingRecord] {
        automaton.tokenize(passage.text, into: &tokens, buffers: scratch.scan)
        automaton.hits(tokens, into: &allHits, buffers: scratch.scan)
        guard !allHits.isEmpty else { return [] }
        var codings: [CodingRecord] = []
        var indexes = PassageIndexes()
        for f in frames.indices {
            // Each frame appends its records to the one list: a record is never copied (copying one retains all its strings).
            Self.code(
                passage, tokens: tokens, indexes: &indexes, hits: allHits, frame: frames[f], frameIndex: f,
                scratch: &scratch, into: &codings)
        }
        return codings
    }

    /// What coding a passage may ask beyond its tokens, worked out on the
    /// first asking: the scalar offsets of its bytes (once something is
    /// found, for the spans) and which sentence each token is in
    /// (same-sentence and regular-expression rules).
    struct PassageIndexes {
        private var scalarOffsets: ScalarOffsets? = nil
        private var sentenceIndexes: [Int]? = nil

        mutating func scalars(_ text: String) -> ScalarOffsets {
            if let scalarOffsets { return scalarOffsets }
            let offsets = ScalarOffsets(text)
            scalarOffsets = offsets
            return offsets
        }

        mutating func sentenceOf(_ text: String, _ tokens: [PhraseAutomaton.LabelledToken]) -> [Int] {
            if let sentenceIndexes { return sentenceIndexes }
            let ranges = SentenceSplitter.sentences(text)
            let scalars = scalars(text)
            var out: [Int] = []
            out.reserveCapacity(tokens.count)
            var s = 0
            for token in tokens {
                while s < ranges.count - 1 && scalars.scalar(at: Int(token.byteStart)) >= ranges[s].upperBound {
                    s += 1
                }
                out.append(s)
            }
            sentenceIndexes = out
            return out
        }
    }

    private static func code(
        _ passage: PassageRecord, tokens: [PhraseAutomaton.LabelledToken], indexes: inout PassageIndexes,
        hits: [PhraseAutomaton.Hit],
        frame: Compiled, frameIndex: Int, scratch: inout Scratch, into records: inout [CodingRecord]
    ) {

        // `hits` holds every taxonomy's hits: this frame's payloads start at its base.
        let base = frame.payloadBase
        let end = base + frame.kinds.count
        // First the rules a word of theirs starts (the candidates); a second
        // part, an exclusion or a cue only matters next to one of them, and
        // the second parts of proximity rules ("child*") are most of all hits.
        scratch.begin(rules: frame.ruleIDs.count, themes: frame.taxonomy.themes.count)
        let epoch = scratch.epoch
        let kinds = frame.kinds
        let values = frame.values
        for hit in hits where hit.payload >= base && hit.payload < end {
            let p = hit.payload - base
            guard kinds[p].startsRule else { continue }
            let r = values[p]
            if scratch.ruleMark[r] != epoch {
                scratch.ruleMark[r] = epoch
                scratch.candidates.append(r)
                scratch.themeMark[frame.ruleTheme[r]] = epoch
            }
        }
        guard !scratch.candidates.isEmpty else { return }
        // Each hit that matters, as (rule, part, position): sorted, every
        // rule's own words, second parts and exclusions lie together, in the
        // order the automaton found them.
        let secondRules = frame.secondRules
        let secondCounts = frame.secondCounts
        for (position, hit) in hits.enumerated() where hit.payload >= base && hit.payload < end {
            let p = hit.payload - base
            let kind = kinds[p]
            switch kind {
            case .match, .nearA, .sameA, .anchor:
                scratch.parts.append(Part(rule: values[p], kind: 0, position: position))
            case .second:
                for k in values[p]..<(values[p] + secondCounts[p]) where scratch.ruleMark[secondRules[k]] == epoch {
                    scratch.parts.append(Part(rule: secondRules[k], kind: 1, position: position))
                }
            case .required:
                // A regular expression's required phrases sort with second parts (its rule has none).
                if scratch.ruleMark[values[p]] == epoch {
                    scratch.parts.append(Part(rule: values[p], kind: 1, position: position))
                }
            case .ruleExclude:
                if scratch.ruleMark[values[p]] == epoch {
                    scratch.parts.append(Part(rule: values[p], kind: 2, position: position))
                }
            case .rival:
                if scratch.ruleMark[values[p]] == epoch {
                    scratch.parts.append(Part(rule: values[p], kind: 3, position: position))
                }
            case .themeExclude:
                if scratch.themeMark[values[p]] == epoch {
                    scratch.themeVetoes.append((values[p], hit.first, hit.last))
                }
            default:
                scratch.cues.append((kind, hit))
            }
        }
        scratch.parts.sort()
        let parts = scratch.parts
        let themeVetoes = scratch.themeVetoes

        var found = scratch.found
        scratch.found = []
        found.removeAll(keepingCapacity: true)
        defer { scratch.found = found }
        var runStart = 0
        while runStart < parts.count {
            let r = parts[runStart].rule
            var runEnd = runStart
            while runEnd < parts.count && parts[runEnd].rule == r { runEnd += 1 }
            defer { runStart = runEnd }
            // The run is sorted by kind: the rule's own words, then second parts, exclusions and rivals.
            var ownEnd = runStart
            while ownEnd < runEnd && parts[ownEnd].kind == 0 { ownEnd += 1 }
            var secondEnd = ownEnd
            while secondEnd < runEnd && parts[secondEnd].kind == 1 { secondEnd += 1 }
            var excludeEnd = secondEnd
            while excludeEnd < runEnd && parts[excludeEnd].kind == 2 { excludeEnd += 1 }
            guard ownEnd > runStart else { continue }
            let own = parts[runStart..<ownEnd].lazy.map { hits[$0.position] }
            let second = parts[ownEnd..<secondEnd].lazy.map { hits[$0.position] }
            let theme = frame.ruleTheme[r]
            let before = found.count
            switch frame.ruleEval[r] {
            case .phrase:
                for a in own { found.append(Found(rule: r, (a.first, a.last))) }
            case .near(let within):
                for a in own {
                    var best: PhraseAutomaton.Hit? = nil
                    for b in second where b.last < a.first || b.first > a.last {
                        let gap = b.first > a.last ? b.first - a.last - 1 : a.first - b.last - 1
                        guard gap <= within else { continue }
                        if best == nil || abs(b.first - a.first) < abs(best!.first - a.first) { best = b }
                    }
                    if let b = best { found.append(Found(rule: r, (a.first, a.last), (b.first, b.last))) }
                }
            case .sameSentence(let hasRivals):
                guard ownEnd < secondEnd else { break }
                let sentenceOf = indexes.sentenceOf(passage.text, tokens)
                guard hasRivals else {
                    for a in own {
                        if let b = second.first(where: {
                            sentenceOf[$0.first] == sentenceOf[a.first] && ($0.last < a.first || $0.first > a.last)
                        }) {
                            found.append(Found(rule: r, (a.first, a.last), (b.first, b.last)))
                        }
                    }
                    break
                }
                // Attribution: the second part nearest the term must be nearer than every rival in the sentence.
                let rivals = parts[excludeEnd..<runEnd].lazy.map { hits[$0.position] }
                for a in own {
                    let sentence = sentenceOf[a.first]
                    var best: PhraseAutomaton.Hit? = nil
                    for b in second where sentenceOf[b.first] == sentence && (b.last < a.first || b.first > a.last) {
                        if best == nil || Self.distance(b, a) < Self.distance(best!, a) { best = b }
                    }
                    guard let b = best else { continue }
                    let nearest = Self.distance(b, a)
                    if rivals.contains(where: { sentenceOf[$0.first] == sentence && Self.distance($0, a) <= nearest }) {
                        continue
                    }
                    found.append(Found(rule: r, (a.first, a.last), (b.first, b.last), cuesAtTerm: true))
                }
            case .regex(let window, let requires):
                // A rule whose every match holds a required phrase needs one in the passage.
                if requires && ownEnd == secondEnd { break }
                guard let regex = frame.regexes[r] else { break }
                // Tried on each sentence that holds an anchor, not the whole
                // passage; with a window, only on the words around each anchor.
                // Ranges in one sentence that overlap or touch are tried as one;
                // a match never crosses a sentence end.
                /// Whether a sentence ends just before token t: only where a stop
                /// stands, decided from the text there (or, rarely, by splitting
                /// the whole passage).
                func endsBefore(_ t: Int) -> Bool {
                    guard t > 0, tokens[t].stopBefore else { return false }
                    if let known = SentenceSplitter.endsSentence(
                        in: passage.text, between: Int(tokens[t - 1].byteEnd), and: Int(tokens[t].byteStart))
                    {
                        return known
                    }
                    let sentenceOf = indexes.sentenceOf(passage.text, tokens)
                    return sentenceOf[t - 1] != sentenceOf[t]
                }
                var ranges: [ClosedRange<Int>] = []
                for a in own {
                    if let window {
                        var lower = a.first
                        while lower > max(0, a.first - window.before) && !endsBefore(lower) { lower -= 1 }
                        var upper = a.first
                        while upper < min(tokens.count - 1, max(a.first, a.last + window.after))
                            && !endsBefore(upper + 1)
                        { upper += 1 }
                        ranges.append(lower...upper)
                    } else {
                        let sentenceOf = indexes.sentenceOf(passage.text, tokens)
                        let sentence = sentenceOf[a.first]
                        var first = a.first
                        while first > 0 && sentenceOf[first - 1] == sentence { first -= 1 }
                        var last = a.first
                        while last + 1 < tokens.count && sentenceOf[last + 1] == sentence { last += 1 }
                        ranges.append(first...last)
                    }
                }
                ranges.sort { $0.lowerBound < $1.lowerBound }
                var merged: [ClosedRange<Int>] = []
                for range in ranges {
                    if let previous = merged.last, range.lowerBound <= previous.upperBound + 1,
                        range.lowerBound <= previous.upperBound || !endsBefore(range.lowerBound)
                    {
                        merged[merged.count - 1] = previous.lowerBound...max(previous.upperBound, range.upperBound)
                    } else {
                        merged.append(range)
                    }
                }
                for range in merged {
                    // … and in the stretch searched.
                    if requires
                        && !second.contains(where: { $0.first >= range.lowerBound && $0.last <= range.upperBound })
                    {
                        continue
                    }
                    let text = Self.slice(
                        passage.text, tokens[range.lowerBound].byteStart, tokens[range.upperBound].byteEnd)
                    for span in Self.regexMatches(
                        regex, text: text, tokens: tokens, byteOffset: Int(tokens[range.lowerBound].byteStart))
                    {
                        found.append(Found(rule: r, span))
                    }
                }
            }
            guard found.count > before else { continue }
            let hasThemeVeto = themeVetoes.contains { $0.theme == theme }
            guard secondEnd < excludeEnd || hasThemeVeto else { continue }
            var vetoes = parts[secondEnd..<excludeEnd].map {
                (first: hits[$0.position].first, last: hits[$0.position].last)
            }
            if hasThemeVeto {
                vetoes += themeVetoes.filter { $0.theme == theme }.map { (first: $0.first, last: $0.last) }
            }
            var kept = before
            for i in before..<found.count where !vetoes.contains(where: { found[i].overlaps($0) }) {
                found[kept] = found[i]
                kept += 1
            }
            if kept < found.count { found.removeSubrange(kept...) }
        }
        guard !found.isEmpty else { return }
        // Under a "recommendations" heading everything is hypothetical (judged once per heading).
        var allHypothetical = false
        if let heading = passage.headingPath.last, !frame.hypotheticalHeadings.isEmpty {
            while scratch.headingVerdicts.count <= frameIndex { scratch.headingVerdicts.append(HeadingVerdicts()) }
            allHypothetical = scratch.headingVerdicts[frameIndex].verdict(heading, frame.hypotheticalHeadings)
        }
        // A passage holding one of the frame's boilerplate phrases is not practice evidence, whatever its heading.
        let boilerplate = passage.boilerplate || scratch.cues.contains { $0.0 == .boilerplatePhrase }
        // Negation and hedging scopes matter only once something is found.
        let scope = CueScope(tokens: tokens, cues: scratch.cues, maxScope: frame.taxonomy.cues.maxScope)
        // Spans are written in scalar offsets; tokens know their bytes.
        let scalars = indexes.scalars(passage.text)

        // Group by theme and sub-theme, in taxonomy order (theme-level rules
        // first). Rules are numbered in that order and `found` is in rule
        // order, so each group is already a run of `found`.
        func groupKey(_ match: Found) -> Int {
            frame.ruleGroup[match.rule]
        }
        let taxonomy = frame.taxonomy
        // Taken out of the scratch space while in use (so that appending does not copy them) and put back after.
        var seen = scratch.seen
        var ruleIndexes = scratch.ruleIndexes
        scratch.seen = []
        scratch.ruleIndexes = []
        defer { (scratch.seen, scratch.ruleIndexes) = (seen, ruleIndexes) }
        var groupStart = 0
        while groupStart < found.count {
            let key = groupKey(found[groupStart])
            var groupEnd = groupStart + 1
            while groupEnd < found.count && groupKey(found[groupEnd]) == key { groupEnd += 1 }
            defer { groupStart = groupEnd }
            let theme = taxonomy.themes[key / 4096]
            let sub = key % 4096 == 0 ? nil : key % 4096 - 1
            var spans: [MatchSpan] = []
            spans.reserveCapacity(groupEnd - groupStart)
            // (rule, start, end) of each span kept, so a span found twice by one rule is written once.
            if !seen.isEmpty { seen.removeAll(keepingCapacity: true) }
            if !ruleIndexes.isEmpty { ruleIndexes.removeAll(keepingCapacity: true) }
            for match in found[groupStart..<groupEnd] {
                let ruleID = frame.ruleIDs[match.rule]
                let negated = scope.negated(match.cueToken)
                let hypothetical = allHypothetical || scope.hypothetical(match.cueToken)
                func add(_ span: Found.Span) {
                    let start = scalars.scalar(at: Int(tokens[span.first].byteStart))
                    let end = scalars.scalar(at: Int(tokens[span.last].byteEnd))
                    guard !seen.contains(where: { $0.rule == match.rule && $0.start == start && $0.end == end }) else {
                        return
                    }
                    seen.append((match.rule, start, end))
                    if !ruleIndexes.contains(match.rule) { ruleIndexes.append(match.rule) }
                    spans.append(
                        MatchSpan(
                            rule: ruleID, start: start, end: end,
                            text: Self.slice(passage.text, tokens[span.first].byteStart, tokens[span.last].byteEnd),
                            negated: negated, hypothetical: hypothetical))
                }
                add(match.one)
                if let two = match.two { add(two) }
            }
            spans.sort { ($0.start, $0.end, $0.rule) < ($1.start, $1.end, $1.rule) }
            // Rule ids are unique in a taxonomy, so a rule's index is its place in the taxonomy's order.
            ruleIndexes.sort()
            let ruleIDs = ruleIndexes.map { frame.ruleIDs[$0] }
            let negated = spans.allSatisfy(\.negated)
            let hypothetical = !negated && spans.allSatisfy { $0.negated || $0.hypothetical }
            records.append(
                CodingRecord(
                    passageID: passage.passageID, docID: passage.docID, page: passage.page,
                    pageLabel: passage.pageLabel,
                    taxonomy: taxonomy.id, theme: theme.id, subtheme: sub.map { theme.subthemes[$0].id },
                    rules: ruleIDs,
                    matches: spans, negated: negated, hypothetical: hypothetical, boilerplate: boilerplate))
        }
    }
}
