/// One hit of the phrase scan as part of one rule: the rule, the part the
/// hit plays in it, and the hit (its index in the passage's hits). Sorted,
/// a frame's rule hits lie rule by rule, each rule's parts in the order of
/// `Part`, each part's hits in the order the scan found them.
struct RuleHit: Comparable {
    enum Part: UInt8 {
        /// The rule's own phrase: a phrase rule's, a proximity's `a`, a regular expression's anchor.
        case own
        /// A proximity's `b`, or a phrase a regular expression requires.
        case second
        /// A phrase of the rule's `exclude`.
        case exclusion
        /// A same-sentence rule's rival.
        case rival
    }

    // 32 bits each (12 bytes in all): a passage's rule hits are sorted, and small elements sort fast.
    private let ruleIndex: Int32
    let part: Part
    private let hitIndex: Int32

    init(rule: Int, part: Part, hit: Int) {
        ruleIndex = Int32(truncatingIfNeeded: rule)
        self.part = part
        hitIndex = Int32(truncatingIfNeeded: hit)
    }

    var rule: Int { Int(ruleIndex) }
    var hit: Int { Int(hitIndex) }

    static func < (x: RuleHit, y: RuleHit) -> Bool {
        if x.ruleIndex != y.ruleIndex { return x.ruleIndex < y.ruleIndex }
        if x.part != y.part { return x.part.rawValue < y.part.rawValue }
        return x.hitIndex < y.hitIndex
    }
}

/// The hits of one rule in a passage, by the part they play (each slice in scan order).
struct RuleParts {
    let rule: Int
    let own: ArraySlice<RuleHit>
    let second: ArraySlice<RuleHit>
    let exclusions: ArraySlice<RuleHit>
    let rivals: ArraySlice<RuleHit>
}

/// The rules of sorted rule hits, one `RuleParts` each.
struct RuleRuns: Sequence, IteratorProtocol {
    private let ruleHits: [RuleHit]
    private var start = 0

    init(_ sorted: [RuleHit]) { ruleHits = sorted }

    mutating func next() -> RuleParts? {
        guard start < ruleHits.count else { return nil }
        let rule = ruleHits[start].rule
        /// Where the run of `part` that starts at `from` ends.
        func end(of part: RuleHit.Part, from: Int) -> Int {
            var i = from
            while i < ruleHits.count && ruleHits[i].rule == rule && ruleHits[i].part == part { i += 1 }
            return i
        }
        let ownEnd = end(of: .own, from: start)
        let secondEnd = end(of: .second, from: ownEnd)
        let exclusionEnd = end(of: .exclusion, from: secondEnd)
        let rivalEnd = end(of: .rival, from: exclusionEnd)
        defer { start = rivalEnd }
        return RuleParts(
            rule: rule, own: ruleHits[start..<ownEnd], second: ruleHits[ownEnd..<secondEnd],
            exclusions: ruleHits[secondEnd..<exclusionEnd], rivals: ruleHits[exclusionEnd..<rivalEnd])
    }
}

extension PassageContext {
    /// The hits of some rule hits, in their order.
    func hits(_ parts: ArraySlice<RuleHit>) -> LazyMapCollection<ArraySlice<RuleHit>, PhraseAutomaton.Hit> {
        parts.lazy.map { [hits] in hits[$0.hit] }
    }
}

extension Tagger {
    /// One frame's share of a passage's hits, gathered for evaluation: the hits
    /// of the rules that can match (sorted, `RuleRuns` walks them rule by rule),
    /// the theme exclusions of their themes, and the cues. Its arrays are kept
    /// from passage to passage so that gathering allocates as little as it can.
    struct Gathered {
        /// `ruleMark[r] == epoch`: rule r is a candidate in this gathering (likewise themes).
        private var ruleMark: [UInt32] = []
        private var themeMark: [UInt32] = []
        private var epoch: UInt32 = 0
        private(set) var candidates: [Int] = []
        private(set) var ruleHits: [RuleHit] = []
        /// Negation and hedging cues, clause breakers and boilerplate phrases.
        private(set) var cues: [(Kind, PhraseAutomaton.Hit)] = []
        private(set) var themeExclusions: [(theme: Int, hit: PhraseAutomaton.Hit)] = []

        /// Gathers `frame`'s hits among `hits`; false when none of its rules can match.
        mutating func gather(_ frame: CompiledFrame, _ hits: [PhraseAutomaton.Hit]) -> Bool {
            begin(rules: frame.ruleIDs.count, themes: frame.taxonomy.themes.count)
            // `hits` holds every taxonomy's hits: this frame's payloads start at its base.
            let base = frame.payloadBase
            let end = base + frame.payloadCount
            let kinds = frame.kinds
            let values = frame.values
            // First the rules a word of theirs starts (the candidates); a second
            // part, an exclusion or a cue only matters next to one of them, and
            // the second parts of proximity rules ("child*") are most of all hits.
            for hit in hits where hit.payload >= base && hit.payload < end {
                let p = hit.payload - base
                guard kinds[p].startsRule else { continue }
                let r = values[p]
                if ruleMark[r] != epoch {
                    ruleMark[r] = epoch
                    candidates.append(r)
                    themeMark[frame.ruleTheme[r]] = epoch
                }
            }
            guard !candidates.isEmpty else { return false }
            let secondRules = frame.secondRules
            let secondCounts = frame.secondCounts
            for (position, hit) in hits.enumerated() where hit.payload >= base && hit.payload < end {
                let p = hit.payload - base
                let kind = kinds[p]
                let value = values[p]
                switch kind {
                case .match, .nearA, .sameA, .anchor:
                    ruleHits.append(RuleHit(rule: value, part: .own, hit: position))
                case .second:
                    for k in value..<(value + secondCounts[p]) where ruleMark[secondRules[k]] == epoch {
                        ruleHits.append(RuleHit(rule: secondRules[k], part: .second, hit: position))
                    }
                case .required:
                    if ruleMark[value] == epoch { ruleHits.append(RuleHit(rule: value, part: .second, hit: position)) }
                case .ruleExclude:
                    if ruleMark[value] == epoch {
                        ruleHits.append(RuleHit(rule: value, part: .exclusion, hit: position))
                    }
                case .rival:
                    if ruleMark[value] == epoch { ruleHits.append(RuleHit(rule: value, part: .rival, hit: position)) }
                case .themeExclude:
                    if themeMark[value] == epoch { themeExclusions.append((value, hit)) }
                default:
                    cues.append((kind, hit))
                }
            }
            ruleHits.sort()
            return true
        }

        /// Starts a gathering over `rules` rules and `themes` themes.
        private mutating func begin(rules: Int, themes: Int) {
            if ruleMark.count < rules { ruleMark += Array(repeating: 0, count: rules - ruleMark.count) }
            if themeMark.count < themes { themeMark += Array(repeating: 0, count: themes - themeMark.count) }
            if epoch == UInt32.max {
                for i in ruleMark.indices { ruleMark[i] = 0 }
                for i in themeMark.indices { themeMark[i] = 0 }
                epoch = 0
            }
            epoch += 1
            // Emptied only when not empty: `removeAll(keepingCapacity:)` is a call, not inlined, and most lists
            // are empty.
            if !candidates.isEmpty { candidates.removeAll(keepingCapacity: true) }
            if !ruleHits.isEmpty { ruleHits.removeAll(keepingCapacity: true) }
            if !cues.isEmpty { cues.removeAll(keepingCapacity: true) }
            if !themeExclusions.isEmpty { themeExclusions.removeAll(keepingCapacity: true) }
        }
    }
}
