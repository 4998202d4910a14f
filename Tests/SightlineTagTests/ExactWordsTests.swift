import Testing

@testable import SightlineCore

/// Words matched as written (abbreviations, and every word of a case-sensitive frame) whether or not
/// they have a capital: "ucas", "101" and a case-sensitive "anxiety" match exactly those bytes.
@Suite struct ExactWordsTests {
    /// Every hit as "first-last:payload", in scan order; `abbreviation` marks a phrase as one.
    func hits(_ phrases: [(String, abbreviation: Bool)], policy: MatchingPolicy, in text: String) -> [String] {
        var automaton = PhraseAutomaton()
        for (payload, (phrase, abbreviation)) in phrases.enumerated() {
            for sequence in PhraseVariants.expand(phrase, policy: policy, abbreviation: abbreviation) {
                automaton.add(sequence, payload: payload)
            }
        }
        automaton.finish()
        var tokens: [PhraseAutomaton.LabelledToken] = []
        var found: [PhraseAutomaton.Hit] = []
        automaton.tokenize(text, into: &tokens)
        automaton.hits(tokens, into: &found)
        return found.map { "\($0.first)-\($0.last):\($0.payload)" }
    }

    @Test func abbreviationsWithoutCapitalsMatchAsWritten() {
        let abbreviations = [("ucas", abbreviation: true), ("101", abbreviation: true), ("CiN", abbreviation: true)]
        #expect(
            hits(abbreviations, policy: MatchingPolicy(), in: "ucas UCAS Ucas 101 1010 CiN cin CIN")
                == ["0-0:0", "3-3:1", "5-5:2"])
    }

    @Test func caseSensitiveWordsWithoutCapitalsMatchAsWritten() {
        var policy = MatchingPolicy()
        policy.caseSensitive = true
        let phrases = [("mental health", abbreviation: false), ("Mother", abbreviation: false)]
        #expect(
            hits(phrases, policy: policy, in: "Mother had mental health needs; Mental Health and mother did not")
                == ["0-0:1", "2-3:0"])
    }

    /// A capital outside ASCII is a capital: "ÉCOLE" and "Ähm" match as written, and not in other cases.
    @Test func abbreviationsWhoseCapitalsAreNotASCIIMatchAsWritten() {
        let abbreviations = [("ÉCOLE", abbreviation: true), ("Ähm", abbreviation: true)]
        #expect(
            hits(abbreviations, policy: MatchingPolicy(), in: "ÉCOLE école École Ähm ähm ÄHM")
                == ["0-0:0", "3-3:1"])
    }
}
