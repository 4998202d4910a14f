import Foundation
import Testing

@testable import SightlineCore

/// Text with expected match spans marked inline: `[[` and `]]` around each
/// span the coder should find. Returns the plain text and the spans.
func marked(_ text: String) -> (text: String, spans: [Range<Int>]) {
    var plain = String.UnicodeScalarView()
    var spans: [Range<Int>] = []
    var open: Int? = nil
    var scalars = Array(text.unicodeScalars)[...]
    while let scalar = scalars.first {
        if scalars.starts(with: "[[".unicodeScalars) {
            open = plain.count
            scalars = scalars.dropFirst(2)
        } else if scalars.starts(with: "]]".unicodeScalars), let start = open {
            spans.append(start..<plain.count)
            open = nil
            scalars = scalars.dropFirst(2)
        } else {
            plain.append(scalar)
            scalars = scalars.dropFirst()
        }
    }
    return (String(plain), spans)
}

@Suite struct TaggerTests {
    static let frame = """
        sightline_taxonomy: 1
        id: test-frame
        name: Test frame
        version: 1.0.0
        boilerplate_headings: [glossary, "terms of reference", "method*"]
        hypothetical_headings: ["recommendation*"]
        themes:
          - id: domestic-abuse
            name: Domestic abuse
            description: Abuse between adults in the household.
            rules:
              - id: da-phrases
                phrases: ["domestic abuse", "domestic violence", "coercive control"]
              - id: da-abbrev
                abbreviations: [DA, MARAC]
          - id: child-daily-life
            name: The child's daily life
            description: What the child experienced day to day.
            subthemes:
              - id: voice
                name: Voice of the child
                rules:
                  - id: voice-phrases
                    phrases: ["voice of the child", "lived experience", "behaviour as communication"]
          - id: reluctant-engagement
            name: Reluctant engagement
            description: Missed appointments and refused visits.
            exclude: ["health visitor"]
            rules:
              - id: re-missed
                near: {a: ["missed", "cancelled"], b: ["appointment", "visit*"], within: 3}
              - id: re-brought
                regex: {pattern: "was not brought to (?:\\\\w+ ){0,3}appointments?", anchors: ["not brought"]}
              - id: re-declined
                regex: {pattern: "declined (?:\\\\w+ ){0,2}(?:offers?|visits?)", anchors: ["declined"], words_after: 2}
              - id: re-refused
                regex:
                  pattern: "refused (?:\\\\w+ ){0,2}(?:help|support)"
                  anchors: ["refused"]
                  words_after: 3
                  requires: [help]
          - id: mental-health-parent
            name: Parental mental health
            description: A parent's mental ill-health.
            rules:
              - id: mhp-same
                same_sentence: {a: ["mother", "father"], b: ["depress*", "postnatal"]}
        """

    static let cues = """
        negation_before: ["no evidence of", "no", "not", "no concerns about", "never"]
        negation_after: ["was ruled out", "were not raised"]
        pseudo_negation: ["not only", "no doubt"]
        hypothetical_before: ["should consider", "should", "if"]
        hypothetical_after: []
        clause_breakers: ["but", "however", "although"]
        max_scope: 8
        """

    let taxonomy: Taxonomy

    init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tagger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.frame.write(to: folder.appendingPathComponent("frame.yaml"), atomically: true, encoding: .utf8)
        try Self.cues.write(to: folder.appendingPathComponent("cues.yaml"), atomically: true, encoding: .utf8)
        taxonomy = try TaxonomyLoader().load(path: folder.appendingPathComponent("frame.yaml").path)
    }

    func code(_ text: String, heading: [String] = ["4. Analysis"]) -> [CodingRecord] {
        let block = BlockRecord(
            docID: String(repeating: "a", count: 64), page: 3, pageEnd: 3, pageLabel: "1", pageEndLabel: "1", index: 7,
            kind: .paragraph, level: nil, headingPath: heading, text: text, bbox: nil)
        var splitter = PassageSplitter(boilerplateHeadings: taxonomy.boilerplateHeadings)
        var tagger = Tagger(taxonomies: [taxonomy])
        return splitter.passages(of: block).flatMap { tagger.code($0) }
    }

    func spans(_ codings: [CodingRecord], _ theme: String) -> [Range<Int>] {
        codings.filter { $0.theme == theme }.flatMap(\.matches).map { $0.start..<$0.end }
    }

    @Test func phrasesWithPluralsSpellingsAndAbbreviations() {
        let (text, expected) = marked(
            "Police attended a [[domestic violence]] incident and referred the case to [[MARAC]]; "
                + "the [[DA]] worker saw mother."
        )
        let codings = code(text)
        #expect(spans(codings, "domestic-abuse") == expected)
        #expect(codings.first { $0.theme == "domestic-abuse" }?.rules == ["da-phrases", "da-abbrev"])
        // Abbreviations are case-sensitive whole words: "da" in lower case and "DAY" are not DA.
        #expect(code("the da vinci code on a DAY out").isEmpty)
        let (american, americanSpans) = marked("They did not read her [[behavior as communication]].")
        #expect(spans(code(american), "child-daily-life") == americanSpans)
    }

    /// Spans are scalar offsets, while tokens carry bytes: text beyond ASCII
    /// before and around the matches (curly quotes, accents, a dash, an emoji
    /// of four bytes, a letter of two) must not shift them, for every kind of rule.
    @Test func spansCountScalarsWhateverTheBytes() {
        let (phrases, phraseSpans) = marked(
            "“Mother’s” café — police attended a [[domestic violence]] incident 😀 and referred the case to "
                + "[[MARAC]]; the Ǆ [[DA]] worker saw mother."
        )
        #expect(spans(code(phrases), "domestic-abuse") == phraseSpans)
        let (near, nearSpans) = marked("Élodie’s mother [[cancelled]] two 😀 home [[visits]] in March.")
        #expect(spans(code(near), "reluctant-engagement") == nearSpans)
        let (same, sameSpans) = marked(
            "Café ‘[[Mother]]’ had [[postnatal]] depression — très grave. Father worked nights.")
        #expect(spans(code(same), "mental-health-parent") == sameSpans)
        let (regex, regexSpans) = marked(
            "Ünïcode “Child D” 😀 [[was not brought to three dental appointments]] in 2014.")
        #expect(spans(code(regex), "reluctant-engagement") == regexSpans)
    }

    @Test func subthemeAndExplanations() {
        let (text, expected) = marked("The review heard little about the [[lived experiences]] of the children.")
        let codings = code(text)
        #expect(codings.count == 1)
        #expect(codings[0].theme == "child-daily-life")
        #expect(codings[0].subtheme == "voice")
        #expect(codings[0].rules == ["voice-phrases"])
        #expect(codings[0].matches.map { $0.start..<$0.end } == expected)
        #expect(codings[0].matches[0].text == "lived experiences")
        #expect(codings[0].counts)
    }

    @Test func nearAndSameSentenceAndRegex() {
        let (near, nearSpans) = marked("Mother [[cancelled]] two home [[visits]] in March.")
        #expect(spans(code(near), "reluctant-engagement") == nearSpans)
        #expect(
            code("Mother cancelled the arrangement for a later, unrelated home visit.").filter {
                $0.theme == "reluctant-engagement"
            }.isEmpty)
        let (same, sameSpans) = marked("[[Mother]] had [[postnatal]] depression. Father worked nights.")
        #expect(spans(code(same), "mental-health-parent") == sameSpans)
        #expect(
            code("Mother moved house. Her sister was depressed.").filter { $0.theme == "mental-health-parent" }.isEmpty)
        let (regex, regexSpans) = marked("Child D [[was not brought to three dental appointments]] in 2014.")
        #expect(spans(code(regex), "reluctant-engagement") == regexSpans)
    }

    @Test func regexWindowSearchesOnlyAroundAnchors() {
        // Inside the window (the anchor and two words after it): found.
        let (inside, insideSpans) = marked("Mother [[declined two visits]] in May.")
        #expect(spans(code(inside), "reluctant-engagement") == insideSpans)
        // The pattern would match "declined two further visits" in the whole
        // sentence, but "visits" is three words after the anchor: the
        // author's window is the rule, and the rest is not searched.
        #expect(
            code("Mother declined two further visits in May.").filter { $0.theme == "reluctant-engagement" }.isEmpty)
        // Two anchors whose windows overlap are searched as one stretch, so a
        // match may run from the first window into the second.
        let (joined, joinedSpans) = marked("She [[declined declined two visits]] twice.")
        #expect(spans(code(joined), "reluctant-engagement") == joinedSpans)
    }

    @Test func regexRequiresOneOfItsWordsInTheStretch() {
        let (help, helpSpans) = marked("The family [[refused all help]] offered.")
        #expect(spans(code(help), "reluctant-engagement") == helpSpans)
        // The pattern would match "refused support", but the rule promises
        // that every match holds "help": without it the text is not searched.
        #expect(code("The family refused support.").filter { $0.theme == "reluctant-engagement" }.isEmpty)
        // "help" elsewhere in the passage, outside the anchor's window, does not open it either.
        #expect(
            code("The family refused support. Help came later.").filter { $0.theme == "reluctant-engagement" }.isEmpty)
    }

    @Test func exclusionVetoesOverlappingMatches() {
        // "visit" inside "health visitor" is not a missed visit.
        #expect(
            code("The missed health visitor contact was rebooked.").filter { $0.theme == "reluctant-engagement" }
                .isEmpty)
    }

    @Test func negationScopeAndPseudoNegation() {
        let negated = code("There was no evidence of domestic abuse in the household.")
        #expect(negated.count == 1 && negated[0].negated && !negated[0].counts)
        let after = code("Domestic abuse was ruled out by the police.")
        #expect(after.first?.negated == true)
        // A clause breaker ends the cue's reach.
        let broken = code("There were no concerns about school attendance, but domestic abuse was known to the police.")
        #expect(broken.first?.negated == false)
        // "not only" is not a negation.
        let pseudo = code("The family faced not only domestic abuse but poverty.")
        #expect(pseudo.first?.negated == false)
        // Out of reach: more than max_scope words after the cue.
        let far = code(
            "No one at the meeting on that long and difficult Tuesday afternoon in March mentioned domestic abuse.")
        #expect(far.first?.negated == false)
    }

    @Test func hypotheticalAndBoilerplate() {
        let hedged = code("Agencies should consider domestic abuse when a new partner joins the household.")
        #expect(hedged.first?.hypothetical == true)
        #expect(hedged.first?.counts == false)
        let glossary = code("MARAC: multi-agency risk assessment conference for domestic abuse.", heading: ["Glossary"])
        #expect(glossary.allSatisfy { $0.boilerplate && !$0.counts })
        let method = code("The review considered domestic abuse.", heading: ["3. Methodology"])
        #expect(method.first?.boilerplate == true)
        let recommendation = code("Partners review their response to domestic abuse.", heading: ["9. Recommendations"])
        #expect(recommendation.first?.hypothetical == true && recommendation.first?.boilerplate == false)
        #expect(
            code("Partners review their response to domestic abuse.", heading: ["8. Findings"]).first?.hypothetical
                == false)
    }

    /// One tagger, passages under headings that come and go and come back:
    /// each passage gets its own heading's verdict, not the last one's.
    @Test func headingVerdictsFollowEachPassage() {
        var tagger = Tagger(taxonomies: [taxonomy])
        var splitter = PassageSplitter(boilerplateHeadings: taxonomy.boilerplateHeadings)
        let headings = [
            "9. Recommendations", "9. Recommendations", "8. Findings", "9. Recommendations", "8. Findings",
            "8. Findings",
        ]
        let verdicts = headings.enumerated().map { i, heading in
            let block = BlockRecord(
                docID: String(repeating: "a", count: 64), page: 1, pageEnd: 1, pageLabel: "1", pageEndLabel: "1",
                index: i, kind: .paragraph, level: nil,
                headingPath: ["Report", heading], text: "Partners review their response to domestic abuse.", bbox: nil)
            return splitter.passages(of: block).flatMap { tagger.code($0) }.first?.hypothetical
        }
        #expect(verdicts == headings.map { $0.hasSuffix("Recommendations") })
    }
}

@Suite struct TokenizerAndSentenceTests {
    @Test func tokens() {
        let tokens = Tokenizer.tokenize("Mother’s multi-agency GP (CAMHS); café")
        #expect(tokens.map(\.lower) == ["mother", "s", "multi", "agency", "gp", "camhs", "café"])
        #expect(tokens.map(\.original) == ["Mother", "s", "multi", "agency", "GP", "CAMHS", "café"])
        #expect(tokens[5].start == 26 && tokens[5].end == 31)
        #expect(tokens[6].clauseBreakBefore)
    }

    /// The byte-level tokenizer agrees with a plain one written from the
    /// definition (runs of letters, digits and, inside a word, nonspacing
    /// marks; lower-cased scalar by scalar), on random texts.
    @Test func tokenizerAgreesWithItsDefinition() {
        func reference(_ text: String) -> [Token] {
            var out: [Token] = []
            var current: (start: Int, lower: String, original: String)? = nil
            var breakPending = false
            for (offset, scalar) in text.unicodeScalars.enumerated() {
                let p = scalar.properties
                let isWord =
                    scalar.isASCII
                    ? (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar))
                    : (p.isAlphabetic || p.numericType != nil
                        || (p.generalCategory == .nonspacingMark && current != nil))
                if isWord {
                    let lower = p.isUppercase ? p.lowercaseMapping : String(scalar)
                    if current == nil { current = (offset, "", "") }
                    current!.lower += lower
                    current!.original.unicodeScalars.append(scalar)
                } else {
                    if let word = current {
                        out.append(
                            Token(
                                start: word.start, end: offset, lower: word.lower, original: word.original,
                                clauseBreakBefore: breakPending))
                        breakPending = false
                        current = nil
                    }
                    if ".?!;:()…—".unicodeScalars.contains(scalar) { breakPending = true }
                }
            }
            if let word = current {
                out.append(
                    Token(
                        start: word.start, end: text.unicodeScalars.count, lower: word.lower, original: word.original,
                        clauseBreakBefore: breakPending))
            }
            return out
        }
        let pieces = [
            "Child", "CAMHS", "café", "CAFÉ", "Élodie", "ǅemal", "naïve", "e\u{301}", "\u{301}x", "1990s", "3rd",
            "٣", "Ⅻ", "İstanbul", "ẞ", "ﬁle", "日本", "😀",
            String(repeating: "Long", count: 20), String(repeating: "é", count: 40),
            "mother’s", "multi-agency", "—", "…", ";", "(", ")", ".", "?", "!", " ", "  ", "\u{00A0}", "\n",
            "-", "'",
            // General Punctuation (read without a property look-up) and its neighbours (superscript digits are digits).
            "“", "”", "\u{200B}", "\u{200D}", "\u{2060}", "\u{206F}", "‰", "\u{1FFE}", "⁰", "ⁿ",
            // The bytes either side of each ASCII letter and digit range.
            "/", "0", "9", ":", "@", "A", "Z", "[", "`", "a", "z", "{", "\u{7F}", "abcdefgh", "ABCDEFGHIJ",
        ]
        var generator = SplitMix64(seed: 1122)
        for _ in 0..<2000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...12, using: &generator) { text += pieces.randomElement(using: &generator)! }
            #expect(Tokenizer.tokenize(text) == reference(text), "\(text)")
        }
    }

    /// The eight-bytes-at-a-time test for ASCII letters and digits agrees
    /// with the byte-by-byte one for every byte value, in every lane, next to
    /// every kind of neighbour (a carry between lanes would show here).
    @Test func eightByteWordTestAgreesByteByByte() {
        func isWordByte(_ byte: UInt8) -> Bool {
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        }
        for neighbour: UInt8 in [0x00, 0x20, 0x39, 0x3A, 0x5A, 0x7A, 0x7F, 0x80, 0xC3, 0xFF] {
            for lane in 0..<8 {
                for value in 0...255 {
                    var bytes = [UInt8](repeating: neighbour, count: 8)
                    bytes[lane] = UInt8(value)
                    let chunk = bytes.enumerated().reduce(UInt64(0)) {
                        $0 | UInt64($1.element) << UInt64(8 * $1.offset)
                    }
                    let expected = bytes.enumerated().reduce(UInt64(0)) {
                        $0 | (isWordByte($1.element) ? UInt64(0x80) << UInt64(8 * $1.offset) : 0)
                    }
                    #expect(
                        Tokenizer.asciiWordBytes(chunk) == expected, "byte \(value) in lane \(lane) among \(neighbour)")
                }
            }
        }
    }

    /// A byte offset's scalar offset, on random texts, at every scalar boundary.
    @Test func scalarOffsetsCountScalarsBeforeEachByte() {
        let pieces = [
            "a", "Child ", "café", "“", "”", "—", "😀", "日本", "e\u{301}", "Ǆ", " ", "12345678",
            "abcdefghijklmnop",
        ]
        var generator = SplitMix64(seed: 2212)
        for _ in 0..<500 {
            var text = ""
            for _ in 0..<Int.random(in: 0...16, using: &generator) { text += pieces.randomElement(using: &generator)! }
            let offsets = ScalarOffsets(text)
            let bytes = Array(text.utf8)
            for boundary in 0...bytes.count where boundary == bytes.count || bytes[boundary] & 0xC0 != 0x80 {
                let expected = String(decoding: bytes[..<boundary], as: UTF8.self).unicodeScalars.count
                #expect(offsets.scalar(at: boundary) == expected, "\(text) at byte \(boundary)")
            }
        }
    }

    @Test func sentencesKnowAbbreviationsAndNumbers() {
        let text =
            "4.2 Dr Smith saw Child A, e.g. on 3 May. She was not seen again. See para. 12 for detail! "
            + "Was that right? Yes."
        let scalars = Array(text.unicodeScalars)
        let sentences = SentenceSplitter.sentences(scalars).map { String(String.UnicodeScalarView(scalars[$0])) }
        #expect(
            sentences == [
                "4.2 Dr Smith saw Child A, e.g. on 3 May.", "She was not seen again.", "See para. 12 for detail!",
                "Was that right?", "Yes.",
            ])
    }

    /// The decision made between two words alone agrees with splitting the
    /// whole text, on texts built from the pieces that make sentence ends hard.
    @Test func sentenceEndsDecidedLocallyAgreeWithTheSplitter() {
        let pieces = [
            "Dr", "Smith", "e.g.", "i.e.", "para.", "No.", "J.", "4.2", "12", "2014.", "1.", "(3.", "café", "Élodie",
            "mother’s",
            "child", "she", "The", "A", "“Yes", "‘no", "(see", "[1]", "•", "–", "-", "...", "?", "!", ".",
            "”", "’", ")", "\"",
        ]
        var generator = SplitMix64(seed: 2026)
        var decided = 0
        var unknown = 0
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<Int.random(in: 2...14, using: &generator) {
                let piece = pieces.randomElement(using: &generator)!
                let glue = [" ", " ", " ", "  ", "", ". ", "? ", "! ", ".” ", ".) "].randomElement(using: &generator)!
                text += piece + glue
            }
            text = text.trimmingCharacters(in: .whitespaces)
            let scalars = Array(text.unicodeScalars)
            let ranges = SentenceSplitter.sentences(scalars)
            func sentence(ofScalar offset: Int) -> Int { ranges.firstIndex { $0.contains(offset) } ?? ranges.count }
            // Byte offsets of each word, from its scalar offsets.
            var byteAt = [0]
            for scalar in scalars { byteAt.append(byteAt.last! + String(scalar).utf8.count) }
            let words = Tokenizer.tokenize(text)
            for t in words.indices.dropFirst() {
                let between = scalars[words[t - 1].end..<words[t].start]
                guard between.contains(where: { $0 == "." || $0 == "?" || $0 == "!" }) else { continue }
                let local = SentenceSplitter.endsSentence(
                    in: text, between: byteAt[words[t - 1].end], and: byteAt[words[t].start])
                let whole = sentence(ofScalar: words[t - 1].start) != sentence(ofScalar: words[t].start)
                if let local {
                    decided += 1
                    let pair = "‘\(words[t - 1].original)’ and ‘\(words[t].original)’"
                    #expect(local == whole, "\(text) | between \(pair)")
                } else {
                    unknown += 1
                }
            }
        }
        #expect(decided > 1000)
        // Undecided only for a number before a full stop, which needs the sentence's start.
        #expect(unknown < decided / 5)
    }

    @Test func longBlocksSplitAtSentences() {
        let sentence =
            "The school recorded the concern and passed it to the designated safeguarding lead that same afternoon. "
        let text = String(repeating: sentence, count: 12).trimmingCharacters(in: .whitespaces)
        let block = BlockRecord(
            docID: String(repeating: "b", count: 64), page: 1, pageEnd: 1, pageLabel: nil, pageEndLabel: nil, index: 0,
            kind: .paragraph, level: nil, headingPath: [], text: text, bbox: nil)
        var splitter = PassageSplitter(boilerplateHeadings: [])
        let passages = splitter.passages(of: block)
        #expect(passages.count == 2)
        #expect(passages.allSatisfy { $0.wordCount <= 120 })
        #expect(passages.map(\.text).joined(separator: " ") == text)
        #expect(passages.map(\.passageID) == ["bbbbbbbbbbbbbbbb/0.0", "bbbbbbbbbbbbbbbb/0.1"])
    }
}

@Suite struct PhraseAutomatonTests {
    /// Every hit as "first-last:payload", in scan order; each phrase's flag says whether it is an abbreviation.
    static func hits(_ phrases: [(String, Bool)], policy: MatchingPolicy = MatchingPolicy(), in text: String)
        -> [String]
    {
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

    /// Passage after passage through the same buffers: each result is that passage's alone,
    /// whether the one before was longer, empty, or needed the buffers to grow.
    @Test func buffersReusedAcrossPassagesKeepNothingOver() {
        var automaton = PhraseAutomaton()
        for sequence in PhraseVariants.expand("child protection", policy: MatchingPolicy()) {
            automaton.add(sequence, payload: 0)
        }
        automaton.finish()
        let buffers = PhraseAutomaton.ScanBuffers()
        var tokens: [PhraseAutomaton.LabelledToken] = []
        var found: [PhraseAutomaton.Hit] = []
        let long = Array(repeating: "child protection", count: 400).joined(separator: " ")
        for (text, words, hitCount) in [
            ("child protection plan", 3, 1), ("", 0, 0), (long, 800, 400), ("a", 1, 0), ("", 0, 0),
            ("the child protection", 3, 1),
        ] {
            automaton.tokenize(text, into: &tokens, buffers: buffers)
            automaton.hits(tokens, into: &found, buffers: buffers)
            #expect(tokens.count == words, "\(text.prefix(30))")
            #expect(found.count == hitCount, "\(text.prefix(30))")
            var fresh: [PhraseAutomaton.LabelledToken] = []
            automaton.tokenize(text, into: &fresh)
            #expect(fresh.map(\.byteStart) == tokens.map(\.byteStart) && fresh.map(\.byteEnd) == tokens.map(\.byteEnd))
        }
    }

    @Test func nestedWildcardsAllFire() {
        // "safeguarding" satisfies both prefixes; "safe" only the shorter; "saf" neither.
        #expect(
            Self.hits([("safe*", false), ("safeguard*", false)], in: "safeguarding safe saf") == [
                "0-0:0", "0-0:1", "1-1:0",
            ])
    }

    @Test func aPhraseWordAlsoFindsThePrefixesItStartsWith() {
        // "children" is a phrase word (its prefixes are found when the lexicon
        // is built); "child" and "childish" are not (theirs are looked up as read).
        #expect(
            Self.hits([("children", false), ("child*", false), ("chi*", false)], in: "children child childish chi")
                == ["0-0:0", "0-0:1", "0-0:2", "1-1:1", "1-1:2", "2-2:1", "2-2:2", "3-3:2"])
    }

    @Test func wordsThatEndAPhraseOrStartLongerOnesWhateverFollows() {
        // "the" and "in" only start phrases; "baby" ends one and starts another;
        // the next word can follow (baby blues), cannot ("the cat", "the" at the
        // end), or can only by a wildcard ("in caring").
        let phrases = [
            ("the baby", false), ("baby", false), ("baby blues", false), ("in care", false), ("car*", false),
            ("in car*", false),
        ]
        #expect(
            Self.hits(phrases, in: "the baby blues in the cat in care in caring the")
                == ["0-1:0", "1-1:1", "1-2:2", "6-7:3", "6-7:5", "7-7:4", "8-9:5", "9-9:4"])
    }

    @Test func abbreviationsMatchAsWrittenOnly() {
        #expect(
            Self.hits([("DA", true), ("domestic abuse", false)], in: "DA da Da Domestic Abuse") == ["0-0:0", "3-4:1"])
    }

    @Test func wordsBeyondASCIIAndVeryLongWordsAreSafe() {
        // A word longer than any the lexicon keeps must neither match nor disturb the next word.
        let long = "caf" + String(repeating: "é", count: 100)
        #expect(
            Self.hits([("café", false), ("cafés", false)], in: "CAFÉ \(long) café CAFÉS") == [
                "0-0:0", "2-2:0", "3-3:0", "3-3:1",
            ])
        // A word of hundreds of kilobytes (a paragraph in a script written
        // without spaces is one word): its key is read from the bytes the
        // scan kept of it, never from past them; wildcards and the words
        // around it are found as usual, and its display form is whole.
        let paragraph = String(repeating: "字", count: 200_000)
        #expect(
            Self.hits([("child", false), ("字*", false), ("seen", false)], in: "child \(paragraph) seen") == [
                "0-0:0", "1-1:1", "2-2:2",
            ])
        let tokens = Tokenizer.tokenize("A \(paragraph)É b")
        #expect(tokens.count == 3 && tokens[1].lower == paragraph + "é" && tokens[1].original == paragraph + "É")
    }

    @Test func lexiconWordsOfEveryLength() {
        // Words of 1 to 20 bytes, pairs that share their first eight bytes,
        // and words of exactly 64 and 65 bytes (the longest the lexicon keeps, and one more).
        // (No word is another's plural or spelling variant: those match by design.)
        let words =
            (1...20).map { String("abcdefghijklmnopqrtu".prefix($0)) }
            + [
                "safeguarding", "safeguarded", "professionalism", "professionally", String(repeating: "w", count: 64),
                String(repeating: "v", count: 65),
            ]
        let phrases = words.map { ($0, false) }
        for (index, word) in words.enumerated() {
            let expected = index == words.count - 1 ? [] : ["0-0:\(index)"]
            #expect(Self.hits(phrases, in: word.uppercased()) == expected, "\(word)")
            // One byte more or less is another word.
            #expect(Self.hits([(word, false)], in: word + "x").isEmpty)
            #expect(word.count == 1 || Self.hits([(word, false)], in: String(word.dropLast())).isEmpty)
        }
    }

    @Test func digitPrefixesMatchOnlyDigits() {
        // A one-byte prefix of a digit lets through every word starting with it, and no other.
        #expect(
            Self.hits([("3*", false), ("three", false)], in: "3 33rd three t 3") == [
                "0-0:0", "1-1:0", "2-2:1", "4-4:0",
            ])
        #expect(Self.hits([("4*", false)], in: "the to t 4x").map { $0 } == ["3-3:0"])
    }

    @Test func phrasesOverlapAndShareWords() {
        #expect(
            Self.hits(
                [("child protection", false), ("protection plan", false), ("child protection plan", false)],
                in: "a child protection plan")
                == ["1-2:0", "1-3:2", "2-3:1"])
    }
}
