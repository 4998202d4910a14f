import Testing

@testable import SightlineCore

@Suite struct TextNormalizerTests {
    @Test(arguments: [
        ("signi\u{FB01}cant con\u{FB02}ict o\u{FB03}cer", "significant conflict officer"),
        ("a\u{00A0}b\u{2009}c", "a b c"),
        ("zero\u{200B}width\u{FEFF}", "zerowidth"),
        ("assess\u{00AD}ment", "assessment"),
        ("  many   spaces\n\tand lines  ", "many spaces and lines"),
        ("“Child L’s” – voice", "“Child L’s” – voice"),
        ("cafe\u{0301}", "caf\u{00E9}"),
        ("tab\u{0007}bell", "tabbell"),
    ])
    func normalises(input: String, expected: String) {
        #expect(TextNormalizer.normalize(input) == expected)
    }

    @Test func countsWords() {
        #expect(TextNormalizer.wordCount("The child’s GP, aged 34 – multi-agency.") == 8)
        #expect(TextNormalizer.wordCount("") == 0)
    }

    /// The byte-wise count decodes non-ASCII scalars in place: it must agree
    /// with the scalar-wise count on every width of UTF-8 sequence.
    @Test(arguments: [
        "Ärzte und Schüler – naïve café", "子ども の 安全 保護", "Ελληνικά κείμενα",
        "emoji 🙂 between 🧒🏽 words",
        "– — … “”", "x\u{10FFFF}y", "Łódź 2023–24 ½ Ⅻ ٣", "ends in é",
    ])
    func countsWordsInAnyScript(text: String) {
        #expect(TextNormalizer.wordCount(text) == TextNormalizer.wordCount(scalars: text.unicodeScalars))
    }

    /// Words are counted eight ASCII bytes at a time: the count must agree
    /// with the scalar-wise count whatever falls at a word's edges (the
    /// characters either side of each letter and digit range, and non-ASCII
    /// text that sends the count back to one scalar at a time).
    @Test func countsWordsAcrossEveryEightByteEdge() {
        let pieces = [
            "a", "z", "A", "Z", "0", "9", "/", ":", "@", "[", "`", "{", " ", ".", "\u{7F}",
            "é", "–", "子", "🙂", "ab",
            "12",
        ]
        var state: UInt64 = 11
        for length in 0..<48 {
            for _ in 0..<25 {
                let text = (0..<length).map { _ in pieces[WireFastPathTests.pick(&state, below: pieces.count)] }
                    .joined()
                #expect(
                    TextNormalizer.wordCount(text) == TextNormalizer.wordCount(scalars: text.unicodeScalars),
                    "\(text.debugDescription)")
            }
        }
    }
}
