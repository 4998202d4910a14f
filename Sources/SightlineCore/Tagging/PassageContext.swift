/// A passage as the rules see it after the phrase scan: its words and the
/// phrases found in them, with what evaluating a rule may ask beyond that,
/// worked out on the first asking: the scalar offsets of its bytes (once
/// something is found, for the spans) and which sentence each word is in
/// (same-sentence and regular-expression rules).
struct PassageContext {
    let passage: PassageRecord
    let tokens: [PhraseAutomaton.LabelledToken]
    /// Every taxonomy's hits, in the order the scan found them (by first word, then last).
    let hits: [PhraseAutomaton.Hit]
    private var scalarOffsets: ScalarOffsets? = nil
    private var sentenceIndexes: [Int]? = nil

    init(passage: PassageRecord, tokens: [PhraseAutomaton.LabelledToken], hits: [PhraseAutomaton.Hit]) {
        self.passage = passage
        self.tokens = tokens
        self.hits = hits
    }

    var text: String { passage.text }

    /// The Unicode scalar offsets of the text's UTF-8 offsets.
    mutating func scalars() -> ScalarOffsets {
        if let scalarOffsets { return scalarOffsets }
        let offsets = ScalarOffsets(passage.text)
        scalarOffsets = offsets
        return offsets
    }

    /// By token: the index of its sentence (`SentenceSplitter.sentences`).
    mutating func sentenceOf() -> [Int] {
        if let sentenceIndexes { return sentenceIndexes }
        let ranges = SentenceSplitter.sentences(passage.text)
        let scalars = scalars()
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

    /// Whether a sentence ends just before token `t`: only where a stop
    /// stands, decided from the text there (or, rarely, by splitting the
    /// whole passage).
    mutating func sentenceEnds(before t: Int) -> Bool {
        guard t > 0, tokens[t].stopBefore else { return false }
        if let known = SentenceSplitter.endsSentence(
            in: passage.text, between: Int(tokens[t - 1].byteEnd), and: Int(tokens[t].byteStart))
        {
            return known
        }
        let sentenceOf = sentenceOf()
        return sentenceOf[t - 1] != sentenceOf[t]
    }

    /// The text of tokens `first...last`, as written.
    func words(_ first: Int, _ last: Int) -> String {
        Tagger.slice(passage.text, tokens[first].byteStart, tokens[last].byteEnd)
    }
}
