import Testing

@testable import SightlineCore

/// Words matched as written (abbreviations, and every word of a case-sensitive frame) whether or not
/// they have a capital: "ucas", "101" and a case-sensitive "anxiety" match exactly those bytes. Hits are
/// `PhraseAutomatonTests.hits` strings, "first-last:payload"; a phrase's flag marks an abbreviation.
@Suite struct ExactWordsTests {
    @Test func abbreviationsWithoutCapitalsMatchAsWritten() {
        let abbreviations = [("ucas", true), ("101", true), ("CiN", true)]
        #expect(
            PhraseAutomatonTests.hits(
                abbreviations, policy: MatchingPolicy(), in: "ucas UCAS Ucas 101 1010 CiN cin CIN")
                == ["0-0:0", "3-3:1", "5-5:2"])
    }

    @Test func caseSensitiveWordsWithoutCapitalsMatchAsWritten() {
        var policy = MatchingPolicy()
        policy.caseSensitive = true
        let phrases = [("mental health", false), ("Mother", false)]
        #expect(
            PhraseAutomatonTests.hits(
                phrases, policy: policy, in: "Mother had mental health needs; Mental Health and mother did not")
                == ["0-0:1", "2-3:0"])
    }

    /// A capital outside ASCII is a capital: "ÉCOLE" and "Ähm" match as written, and not in other cases.
    @Test func abbreviationsWhoseCapitalsAreNotASCIIMatchAsWritten() {
        let abbreviations = [("ÉCOLE", true), ("Ähm", true)]
        #expect(
            PhraseAutomatonTests.hits(abbreviations, policy: MatchingPolicy(), in: "ÉCOLE école École Ähm ähm ÄHM")
                == ["0-0:0", "3-3:1"])
    }
}
