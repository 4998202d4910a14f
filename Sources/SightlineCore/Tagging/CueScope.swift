/// Which tokens a negation or hedging cue governs.
///
/// A `before` cue governs the words after it, an `after` cue the words before
/// it, up to `maxScope` words and never past a clause breaker (a breaker
/// word such as "but" or "however", or ; : ( ) and sentence ends). A cue
/// inside a pseudo-negation ("not only", "no doubt") governs nothing.
///
/// Worked out per asked token from the few cues a passage has (a coding asks
/// about the first word of each match), not as a mark on every token.
struct CueScope {
    private let tokens: [PhraseAutomaton.LabelledToken]
    /// The cues that govern (not inside a longer pseudo-negation).
    private var governing: [(kind: Tagger.Kind, first: Int, last: Int)] = []
    /// Tokens inside a breaker cue: a clause break stands before each.
    private var breakerTokens: [Int] = []
    private let maxScope: Int

    init(tokens: [PhraseAutomaton.LabelledToken], cues: [(Tagger.Kind, PhraseAutomaton.Hit)], maxScope: Int) {
        self.tokens = tokens
        self.maxScope = maxScope
        var pseudo: [PhraseAutomaton.Hit] = []
        for (kind, hit) in cues {
            if kind == .breaker { breakerTokens += hit.first...hit.last }
            if kind == .pseudoNegation { pseudo.append(hit) }
        }
        for (kind, hit) in cues {
            switch kind {
            case .negationBefore, .negationAfter, .hypotheticalBefore, .hypotheticalAfter:
                if pseudo.contains(where: {
                    $0.first <= hit.last && $0.last >= hit.first && ($0.last - $0.first) > (hit.last - hit.first)
                }) {
                    continue
                }
                governing.append((kind, hit.first, hit.last))
            default:
                break
            }
        }
    }

    private func breakBefore(_ t: Int) -> Bool { tokens[t].clauseBreakBefore || breakerTokens.contains(t) }

    /// Whether a cue that says `before` (after its words) or `after` (before them) governs `token`.
    private func governed(_ token: Int, before: Tagger.Kind, after: Tagger.Kind) -> Bool {
        for cue in governing {
            if cue.kind == before {
                // The cue's own words after its first fall in its scope ("neither [parent] had…").
                if token > cue.first && token <= cue.last { return true }
                // Then the words after it, up to `maxScope`, until a clause break.
                if token > cue.last && token - cue.last <= maxScope
                    && !((cue.last + 1)...token).contains(where: breakBefore)
                {
                    return true
                }
            } else if cue.kind == after {
                // The words before it, up to `maxScope`, back to the start of its clause: a word with a break
                // before it is the last reached, and a cue with a break before it reaches none.
                if token < cue.first && cue.first - token <= maxScope
                    && !((token + 1)...cue.first).contains(where: breakBefore)
                {
                    return true
                }
            }
        }
        return false
    }

    func negated(_ token: Int) -> Bool { governed(token, before: .negationBefore, after: .negationAfter) }
    func hypothetical(_ token: Int) -> Bool { governed(token, before: .hypotheticalBefore, after: .hypotheticalAfter) }
}
