/// What stands against a match once a rule has found it: an exclusion that
/// overlaps it removes it; negation and hedging cues, a hypothetical heading
/// and a boilerplate phrase keep it but flag it (`Verdicts`).
enum Veto {
    /// Removes from `found[from...]` (rule `parts.rule`'s matches) every match that one of the rule's
    /// exclusions or one of its theme's (`theme`) overlaps.
    static func applyExclusions(
        _ parts: RuleParts, theme: Int, themeExclusions: [(theme: Int, hit: PhraseAutomaton.Hit)],
        in passage: PassageContext, to found: inout [Found], from start: Int
    ) {
        let themeVetoed = themeExclusions.contains { $0.theme == theme }
        guard !parts.exclusions.isEmpty || themeVetoed else { return }
        var vetoes: [Found.Span] = passage.hits(parts.exclusions).map { (first: $0.first, last: $0.last) }
        if themeVetoed {
            vetoes += themeExclusions.filter { $0.theme == theme }.map { (first: $0.hit.first, last: $0.hit.last) }
        }
        var kept = start
        for i in start..<found.count where !vetoes.contains(where: { found[i].overlaps($0) }) {
            found[kept] = found[i]
            kept += 1
        }
        if kept < found.count { found.removeSubrange(kept...) }
    }

    /// The flags of one frame's matches in one passage: negated and hypothetical (by the cues governing a
    /// match's cue word, or a hypothetical heading), and boilerplate (by the passage's heading, or one of
    /// the frame's boilerplate phrases anywhere in it).
    struct Verdicts {
        private let scope: CueScope
        private let underHypotheticalHeading: Bool
        let boilerplate: Bool

        init(
            passage: PassageContext, cues: [(Tagger.Kind, PhraseAutomaton.Hit)], maxScope: Int,
            underHypotheticalHeading: Bool
        ) {
            scope = CueScope(tokens: passage.tokens, cues: cues, maxScope: maxScope)
            self.underHypotheticalHeading = underHypotheticalHeading
            boilerplate = passage.passage.boilerplate || cues.contains { $0.0 == .boilerplatePhrase }
        }

        func negated(_ match: Found) -> Bool { scope.negated(match.cueToken) }

        func hypothetical(_ match: Found) -> Bool { underHypotheticalHeading || scope.hypothetical(match.cueToken) }
    }
}
