import Testing

@testable import SightlineCore

@Suite struct PhraseVariantsTests {
    func texts(_ phrase: String, abbreviation: Bool = false, policy: MatchingPolicy = MatchingPolicy()) -> [String] {
        PhraseVariants.expand(phrase, policy: policy, abbreviation: abbreviation).map {
            $0.map(\.text).joined(separator: " ")
        }
    }

    @Test func britishAndAmericanSpellingsBothWays() {
        // Each rule runs both ways; forms that are not words ("judgeement") are made too and simply never match.
        let cases: [(String, String)] = [
            ("organisation", "organization"), ("organization", "organisation"), ("behaviour", "behavior"),
            ("behavior", "behaviour"),
            ("counselling", "counseling"), ("programme", "program"), ("centre", "center"), ("judgement", "judgment"),
            ("catalogue", "catalog"), ("defence", "defense"), ("paediatric", "pediatric"), ("haematoma", "hematoma"),
            ("anaesthetic", "anesthetic"), ("oestrogen", "estrogen"), ("foetal", "fetal"), ("manoeuvre", "maneuvre"),
        ]
        for (word, other) in cases {
            #expect(PhraseVariants.spellings(word).contains(other), "\(word)")
            #expect(!PhraseVariants.spellings(word).contains(word), "\(word)")
        }
        // Endings need three letters before them ("rise" is not "rize"); a short word keeps its "oe".
        #expect(PhraseVariants.spellings("rise").isEmpty)
        #expect(PhraseVariants.spellings("shoes").isEmpty)
        #expect(PhraseVariants.spellings("child").isEmpty)
    }

    @Test func spellingsCountCharactersAndRespectTheirBoundaries() {
        // Letters before an ending are counted as characters, not bytes: "ééise" has two (five bytes).
        #expect(PhraseVariants.spellings("ééise").isEmpty)
        #expect(PhraseVariants.spellings("éééise") == ["éééize"])
        // A beginning followed by a combining mark is not that beginning ("paed" + U+0301 ends in "d́").
        #expect(PhraseVariants.spellings("paed\u{301}iatric").isEmpty)
        #expect(PhraseVariants.spellings("paedé") == ["pedé"])
    }

    @Test func anExpanderGivesEachWordTheFormsOfItsPlace() {
        var expander = PhraseVariants.Expander(policy: MatchingPolicy())
        // The same word last (plurals) and not last (none), in either order, from the expander's memory.
        let first = expander.expand("service user").map { $0.map(\.text).joined(separator: " ") }
        let second = expander.expand("mental health service").map { $0.map(\.text).joined(separator: " ") }
        let third = expander.expand("service user").map { $0.map(\.text).joined(separator: " ") }
        #expect(first == ["service user", "service users"])
        #expect(second == ["mental health service", "mental health services"])
        #expect(third == first)
        #expect(
            texts("behaviour change") == [
                "behaviour change", "behaviour changes", "behavior change", "behavior changes",
            ])
        // Abbreviations keep their case and take an s; a wildcard stands as written.
        #expect(texts("CAMHS", abbreviation: true) == ["CAMHS"])
        #expect(texts("NRM", abbreviation: true) == ["NRM", "NRMs"])
        #expect(PhraseVariants.expand("safeguard*", policy: MatchingPolicy()).map { $0.map(\.wildcard) } == [[true]])
    }

    /// A phrase is split on space bytes when no scalar can join a space to a
    /// neighbour, by character otherwise: both must give what splitting by
    /// character gives (a combining mark after a space joins it, and CR LF is
    /// one character).
    @Test(arguments: [
        "child protection", "  multi  agency  ", "safeguard*", "a", "", " ", "café culture", "cafe\u{301} culture",
        "a \u{301}b", "line\r\nbreak here", "tab\there", "CAMHS", "“looked after” child", "a\u{200D} b",
        "\u{600} x",
    ])
    func piecesAreTheCharacterSplit(phrase: String) {
        #expect(
            PhraseVariants.Expander.pieces(of: phrase) == phrase.split(whereSeparator: { $0 == " " }).map(String.init))
    }
}
