import Foundation

/// A `regex` rule: the expression, tried only on the sentences its anchors
/// stand in, or with a window only on the words around each anchor, and with
/// `requires` only on stretches that hold a required phrase.
struct RegexRule: Sendable {
    /// nil only if the pattern did not compile (the loader refuses such a taxonomy first).
    let expression: NSRegularExpression?
    let window: Rule.RegexWindow?
    /// Whether the rule lists `requires` (its required phrases' hits are the rule's second parts).
    let requires: Bool

    /// Appends the rule's matches (`parts` are its hits) to `found`.
    func evaluate(_ parts: RuleParts, in passage: inout PassageContext, into found: inout [Found]) {
        // A rule whose every match holds a required phrase needs one in the passage.
        if requires && parts.second.isEmpty { return }
        guard let expression else { return }
        let tokens = passage.tokens
        for range in stretches(around: passage.hits(parts.own), in: &passage) {
            // … and in the stretch searched.
            if requires
                && !passage.hits(parts.second).contains(where: {
                    $0.first >= range.lowerBound && $0.last <= range.upperBound
                })
            {
                continue
            }
            let text = Tagger.slice(passage.text, tokens[range.lowerBound].byteStart, tokens[range.upperBound].byteEnd)
            for span in Tagger.regexMatches(
                expression, text: text, tokens: tokens, byteOffset: Int(tokens[range.lowerBound].byteStart))
            {
                found.append(Found(rule: parts.rule, span))
            }
        }
    }

    /// The stretches of tokens to search, in text order: each anchor's sentence, or its window (from
    /// `before` words before its first word to `after` words after its last, never past its sentence);
    /// stretches in one sentence that overlap or touch are one. A match never crosses a sentence end.
    private func stretches(
        around anchors: LazyMapCollection<ArraySlice<RuleHit>, PhraseAutomaton.Hit>, in passage: inout PassageContext
    ) -> [ClosedRange<Int>] {
        let count = passage.tokens.count
        var ranges: [ClosedRange<Int>] = []
        for a in anchors {
            if let window {
                var lower = a.first
                while lower > max(0, a.first - window.before) && !passage.sentenceEnds(before: lower) { lower -= 1 }
                var upper = a.first
                while upper < min(count - 1, max(a.first, a.last + window.after))
                    && !passage.sentenceEnds(before: upper + 1)
                {
                    upper += 1
                }
                ranges.append(lower...upper)
            } else {
                let sentenceOf = passage.sentenceOf()
                let sentence = sentenceOf[a.first]
                var first = a.first
                while first > 0 && sentenceOf[first - 1] == sentence { first -= 1 }
                var last = a.first
                while last + 1 < count && sentenceOf[last + 1] == sentence { last += 1 }
                ranges.append(first...last)
            }
        }
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<Int>] = []
        for range in ranges {
            if let previous = merged.last, range.lowerBound <= previous.upperBound + 1,
                range.lowerBound <= previous.upperBound || !passage.sentenceEnds(before: range.lowerBound)
            {
                merged[merged.count - 1] = previous.lowerBound...max(previous.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }
}
