import Foundation

@testable import SightlineCore

/// A slow coder written from `docs/taxonomy-format.md`, to hold the fast one
/// (`Tagger`) to: plain loops over the passage's words and sentences, words
/// compared as strings, no automaton, no packed keys, no reuse of memory.
/// It shares with `Tagger` only what defines the input: the tokenizer (what
/// a word is), the sentence splitter (what a sentence is), the phrase
/// expansion of the matching policy (`PhraseVariants`: plurals, spellings,
/// wildcards), heading patterns and ICU regular expressions.
///
/// Where the document leaves a choice open (which `b` a proximity match
/// records, whose flags a span found twice keeps), the choice is written
/// here in words, beside the code that makes it.
struct ReferenceCoder {
    /// A run of words: `first` and `last` are token indexes, inclusive.
    struct Span: Hashable, Comparable {
        var first: Int
        var last: Int

        static func < (x: Span, y: Span) -> Bool { (x.first, x.last) < (y.first, y.last) }

        func overlaps(_ other: Span) -> Bool { other.first <= last && other.last >= first }

        /// Words strictly between two spans (0 when they touch or overlap).
        func gap(to other: Span) -> Int {
            if other.first > last { return other.first - last - 1 }
            if first > other.last { return first - other.last - 1 }
            return 0
        }
    }

    /// A rule's match: its spans in text order and the word whose cues decide its flags.
    struct Match {
        var spans: [Span]
        var cueWord: Int
    }

    /// Every phrase list of the coder's taxonomies, expanded into word sequences, and found in a passage
    /// by trying each sequence at each word that is its first word (sequences are filed by their first word,
    /// those opening with a wildcard apart).
    struct PhraseBook {
        typealias List = Int
        private var count = 0
        private var byFirstWord: [[UInt8]: [(list: List, sequence: PhraseVariants.Sequence)]] = [:]
        private var byFirstWordAsWritten: [[UInt8]: [(list: List, sequence: PhraseVariants.Sequence)]] = [:]
        private var openingWithWildcard: [(list: List, sequence: PhraseVariants.Sequence)] = []

        mutating func add(_ phrases: [String], policy: MatchingPolicy, abbreviations: Bool = false) -> List {
            let list = count
            count += 1
            for phrase in phrases {
                for sequence in PhraseVariants.expand(phrase, policy: policy, abbreviation: abbreviations) {
                    let first = sequence[0]
                    if first.wildcard {
                        openingWithWildcard.append((list, sequence))
                    } else if first.exact {
                        byFirstWordAsWritten[Array(first.text.utf8), default: []].append((list, sequence))
                    } else {
                        byFirstWord[Array(first.text.utf8), default: []].append((list, sequence))
                    }
                }
            }
            return list
        }

        /// By list: every place in `words` where one of its phrases stands, once each, in text order.
        func occurrences(in words: [Token]) -> [[Span]] {
            var found: [Set<Span>] = Array(repeating: [], count: count)
            for start in words.indices {
                let word = words[start]
                let candidates =
                    (byFirstWord[Array(word.lower.utf8)] ?? [])
                    + (byFirstWordAsWritten[Array(word.original.utf8)] ?? [])
                    + openingWithWildcard
                for (list, sequence) in candidates where start + sequence.count <= words.count {
                    let matched = sequence.indices.allSatisfy { k in
                        ReferenceCoder.wordMatches(words[start + k], sequence[k])
                    }
                    if matched { found[list].insert(Span(first: start, last: start + sequence.count - 1)) }
                }
            }
            return found.map { $0.sorted() }
        }
    }

    /// Whether a word of the text is a word of a phrase: a wildcard word is a
    /// prefix of the lower-cased word, an abbreviation (or a word of a
    /// case-sensitive frame) is the word as written, any other word is the
    /// lower-cased word. Compared byte for byte, as written.
    static func wordMatches(_ word: Token, _ pattern: (text: String, exact: Bool, wildcard: Bool)) -> Bool {
        if pattern.wildcard { return word.lower.utf8.starts(with: pattern.text.utf8) }
        if pattern.exact { return word.original.utf8.elementsEqual(pattern.text.utf8) }
        return word.lower.utf8.elementsEqual(pattern.text.utf8)
    }

    /// A rule and its phrase lists (`a` holds a phrase rule's phrases, a regular expression's anchors;
    /// `b` its `requires`).
    struct RuleEntry {
        var theme: Int
        var subtheme: Int?
        var rule: Rule
        var a: PhraseBook.List
        var b: PhraseBook.List
        var rivals: PhraseBook.List
        var exclude: PhraseBook.List
        var regex: NSRegularExpression?
    }

    struct Frame {
        var taxonomy: Taxonomy
        var themeExcludes: [PhraseBook.List]
        /// In taxonomy order: each theme's own rules, then each sub-theme's.
        var rules: [RuleEntry]
        var negationBefore, negationAfter, pseudoNegation, hypotheticalBefore, hypotheticalAfter: PhraseBook.List
        var breakers, boilerplatePhrases: PhraseBook.List
    }

    let frames: [Frame]
    let book: PhraseBook

    init(taxonomies: [Taxonomy]) {
        var book = PhraseBook()
        frames = taxonomies.map { taxonomy in
            let policy = taxonomy.policy
            func list(_ phrases: [String], abbreviations: Bool = false) -> PhraseBook.List {
                book.add(phrases, policy: policy, abbreviations: abbreviations)
            }
            var rules: [RuleEntry] = []
            for (t, theme) in taxonomy.themes.enumerated() {
                let groups = [(nil, theme.rules)] + theme.subthemes.enumerated().map { ($0.offset, $0.element.rules) }
                for (subtheme, group) in groups {
                    for rule in group {
                        var entry = RuleEntry(
                            theme: t, subtheme: subtheme, rule: rule, a: list([]), b: list([]), rivals: list([]),
                            exclude: list(rule.exclude), regex: nil)
                        switch rule.kind {
                        case .phrases(let phrases): entry.a = list(phrases)
                        case .abbreviations(let abbreviations): entry.a = list(abbreviations, abbreviations: true)
                        case .near(let a, let b, _):
                            entry.a = list(a)
                            entry.b = list(b)
                        case .sameSentence(let a, let b, let rivals):
                            entry.a = list(a)
                            entry.b = list(b)
                            entry.rivals = list(rivals)
                        case .regex(let pattern, let anchors, _, let requires):
                            entry.a = list(anchors)
                            entry.b = list(requires)
                            entry.regex = try! NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
                        }
                        rules.append(entry)
                    }
                }
            }
            let cues = taxonomy.cues
            return Frame(
                taxonomy: taxonomy, themeExcludes: taxonomy.themes.map { list($0.exclude) }, rules: rules,
                negationBefore: list(cues.negationBefore), negationAfter: list(cues.negationAfter),
                pseudoNegation: list(cues.pseudoNegation), hypotheticalBefore: list(cues.hypotheticalBefore),
                hypotheticalAfter: list(cues.hypotheticalAfter), breakers: list(cues.clauseBreakers),
                boilerplatePhrases: list(taxonomy.boilerplatePhrases))
        }
        self.book = book
    }

    /// The passage as the rules see it: its words, the sentence each word is in, and where every phrase
    /// list's phrases stand.
    struct Text {
        var scalars: [Unicode.Scalar]
        var words: [Token]
        var sentenceOf: [Int]
        var found: [[Span]]

        init(_ string: String, book: PhraseBook) {
            scalars = Array(string.unicodeScalars)
            words = Tokenizer.tokenize(string)
            let sentences = SentenceSplitter.sentences(string)
            // A word is in the last sentence that starts at or before it.
            sentenceOf = words.map { word in sentences.lastIndex { $0.lowerBound <= word.start } ?? 0 }
            found = book.occurrences(in: words)
        }

        func sentence(of span: Span) -> Int { sentenceOf[span.first] }

        /// The text of a run of words, as written (punctuation between them included).
        func slice(_ span: Span) -> String {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[words[span.first].start..<words[span.last].end])
            return String(view)
        }
    }

    func code(_ passage: PassageRecord) -> [CodingRecord] {
        let text = Text(passage.text, book: book)
        return frames.flatMap { code(passage, text, $0) }
    }

    private func code(_ passage: PassageRecord, _ text: Text, _ frame: Frame) -> [CodingRecord] {
        let words = text.words
        // Each rule's matches, less those an exclusion of the rule or of its theme overlaps.
        var kept: [[Match]] = []
        for entry in frame.rules {
            let vetoes = text.found[entry.exclude] + text.found[frame.themeExcludes[entry.theme]]
            kept.append(
                Self.matches(of: entry, in: text).filter { match in
                    !match.spans.contains { span in vetoes.contains(where: span.overlaps) }
                })
        }
        guard kept.contains(where: { !$0.isEmpty }) else { return [] }

        let cues = CueJudge(frame: frame, text: text)
        let underHypotheticalHeading =
            passage.headingPath.last.map { HeadingPatterns(frame.taxonomy.hypotheticalHeadings).matches(heading: $0) }
            ?? false
        let boilerplate = passage.boilerplate || !text.found[frame.boilerplatePhrases].isEmpty

        // One coding per theme and sub-theme that has a match, in taxonomy order.
        var records: [CodingRecord] = []
        let taxonomy = frame.taxonomy
        for (t, theme) in taxonomy.themes.enumerated() {
            for subtheme in [nil] + theme.subthemes.indices.map(Optional.some) {
                var spans: [MatchSpan] = []
                var written: Set<[Int]> = []
                var ruleIDs: [String] = []
                for (r, entry) in frame.rules.enumerated() where entry.theme == t && entry.subtheme == subtheme {
                    for match in kept[r] {
                        let negated = cues.negated(match.cueWord)
                        let hypothetical = underHypotheticalHeading || cues.hypothetical(match.cueWord)
                        for span in match.spans {
                            let start = words[span.first].start
                            let end = words[span.last].end
                            // A span a rule finds twice is written once, with the flags of its first finding
                            // (matches in the order of their first parts in the text).
                            guard written.insert([r, start, end]).inserted else { continue }
                            if !ruleIDs.contains(entry.rule.id) { ruleIDs.append(entry.rule.id) }
                            spans.append(
                                MatchSpan(
                                    rule: entry.rule.id, start: start, end: end, text: text.slice(span),
                                    negated: negated, hypothetical: hypothetical))
                        }
                    }
                }
                guard !spans.isEmpty else { continue }
                spans.sort { ($0.start, $0.end, $0.rule) < ($1.start, $1.end, $1.rule) }
                let negated = spans.allSatisfy(\.negated)
                records.append(
                    CodingRecord(
                        passageID: passage.passageID, docID: passage.docID, page: passage.page,
                        pageLabel: passage.pageLabel, taxonomy: taxonomy.id, theme: theme.id,
                        subtheme: subtheme.map { theme.subthemes[$0].id }, rules: ruleIDs, matches: spans,
                        negated: negated,
                        hypothetical: !negated && spans.allSatisfy { $0.negated || $0.hypothetical },
                        boilerplate: boilerplate))
            }
        }
        return records
    }

    /// A rule's matches in a passage, by its kind.
    static func matches(of entry: RuleEntry, in text: Text) -> [Match] {
        let a = text.found[entry.a]
        let b = text.found[entry.b]
        switch entry.rule.kind {
        case .phrases, .abbreviations:
            return a.map { Match(spans: [$0], cueWord: $0.first) }
        case .near(_, _, let within):
            return a.compactMap { first in
                // A `b` that does not overlap the `a`, at most `within` words from it; of those, the one whose
                // first word is nearest the a's first word (the earlier, then the shorter, on a tie).
                let candidates = b.filter { !$0.overlaps(first) && $0.gap(to: first) <= within }
                guard let second = nearest(candidates, by: { abs($0.first - first.first) }) else { return nil }
                return Match(spans: [first, second].sorted(), cueWord: min(first.first, second.first))
            }
        case .sameSentence(_, _, let rivals):
            return a.compactMap { term in
                let sentence = text.sentence(of: term)
                let inSentence = b.filter { text.sentence(of: $0) == sentence && !$0.overlaps(term) }
                if rivals.isEmpty {
                    // Any `b` in the sentence will do: the first.
                    guard let second = inSentence.first else { return nil }
                    return Match(spans: [term, second].sorted(), cueWord: min(term.first, second.first))
                }
                // Attribution: the nearest `b` must be nearer than every rival in the sentence; a tie is
                // nobody's. Distance alone decides: a rival overlapping the term (gap 0) always wins, one
                // overlapping that `b` only when it comes as near the term.
                guard let second = nearest(inSentence, by: { $0.gap(to: term) }) else { return nil }
                let distance = second.gap(to: term)
                for rival in text.found[entry.rivals] where text.sentence(of: rival) == sentence {
                    if rival.gap(to: term) <= distance { return nil }
                }
                return Match(spans: [term, second].sorted(), cueWord: term.first)
            }
        case .regex(_, _, let window, let requires):
            return regexMatches(
                entry.regex!, anchors: a, window: window, required: requires.isEmpty ? nil : b, in: text)
        }
    }

    /// The candidate with the smallest measure; the first in text order on a tie.
    static func nearest(_ candidates: [Span], by measure: (Span) -> Int) -> Span? {
        var best: Span? = nil
        for candidate in candidates where best == nil || measure(candidate) < measure(best!) { best = candidate }
        return best
    }

    /// A regular expression, tried on the stretches of text its anchors open: each anchor's sentence, or with
    /// a window the words from `before` words before the anchor's first word to `after` words after its last,
    /// within the anchor's sentence; windows of one sentence that overlap or touch make one stretch. With
    /// `required` phrases, a stretch that holds none of them wholly is not searched.
    static func regexMatches(
        _ regex: NSRegularExpression, anchors: [Span], window: Rule.RegexWindow?, required: [Span]?, in text: Text
    ) -> [Match] {
        let words = text.words
        var searched: [Set<Int>] = Array(repeating: [], count: (text.sentenceOf.last ?? 0) + 1)
        for anchor in anchors {
            let sentence = text.sentence(of: anchor)
            // The window, or the whole sentence.
            let lower = window.map { anchor.first - $0.before } ?? 0
            let upper = window.map { max(anchor.first, anchor.last + $0.after) } ?? words.count - 1
            for w in max(0, lower)...min(words.count - 1, upper) where text.sentenceOf[w] == sentence {
                searched[sentence].insert(w)
            }
        }
        var matches: [Match] = []
        for sentenceWords in searched where !sentenceWords.isEmpty {
            // Runs of consecutive words.
            var runs: [Span] = []
            for w in sentenceWords.sorted() {
                if let last = runs.last, last.last + 1 == w {
                    runs[runs.count - 1].last = w
                } else {
                    runs.append(Span(first: w, last: w))
                }
            }
            for run in runs {
                if let required, !required.contains(where: { $0.first >= run.first && $0.last <= run.last }) {
                    continue
                }
                let stretch = text.slice(run)
                let offset = words[run.first].start
                // UTF-16 offsets of the stretch → scalar offsets of the passage.
                var scalarAt: [Int] = []
                for (k, scalar) in stretch.unicodeScalars.enumerated() {
                    scalarAt += Array(repeating: offset + k, count: UTF16.width(scalar))
                }
                scalarAt.append(offset + stretch.unicodeScalars.count)
                let range = NSRange(location: 0, length: stretch.utf16.count)
                for result in regex.matches(in: stretch, range: range) where result.range.length > 0 {
                    let start = scalarAt[result.range.location]
                    let end = scalarAt[result.range.location + result.range.length]
                    // The words the match touches.
                    let touched = words.indices.filter { words[$0].end > start && words[$0].start < end }
                    guard let first = touched.first, let last = touched.last else { continue }
                    let span = Span(first: first, last: last)
                    matches.append(Match(spans: [span], cueWord: first))
                }
            }
        }
        return matches
    }

    /// Negation and hedging, as `Cues` in the document says: a `before` cue governs the words after it, an
    /// `after` cue those before it, up to `max_scope` words and within the clause; a cue inside a longer
    /// pseudo-negation governs nothing.
    struct CueJudge {
        var words: [Token]
        var maxScope: Int
        var governing: [(before: Bool, negation: Bool, span: Span)] = []
        /// A clause starts at a word after ; : ( ) … — or a sentence end, and at each word of a breaker.
        var clauseStarts: Set<Int> = []

        init(frame: Frame, text: Text) {
            words = text.words
            maxScope = frame.taxonomy.cues.maxScope
            for (w, word) in words.enumerated() where word.clauseBreakBefore { clauseStarts.insert(w) }
            for breaker in text.found[frame.breakers] { clauseStarts.formUnion(breaker.first...breaker.last) }
            let pseudo = text.found[frame.pseudoNegation]
            let lists = [
                (true, true, frame.negationBefore), (false, true, frame.negationAfter),
                (true, false, frame.hypotheticalBefore), (false, false, frame.hypotheticalAfter),
            ]
            for (before, negation, list) in lists {
                for cue in text.found[list] {
                    let insidePseudo = pseudo.contains {
                        $0.overlaps(cue) && $0.last - $0.first > cue.last - cue.first
                    }
                    if !insidePseudo { governing.append((before, negation, cue)) }
                }
            }
        }

        func negated(_ word: Int) -> Bool { governed(word, negation: true) }
        func hypothetical(_ word: Int) -> Bool { governed(word, negation: false) }

        private func governed(_ word: Int, negation: Bool) -> Bool {
            for cue in governing where cue.negation == negation {
                let span = cue.span
                if cue.before {
                    // The cue's own words after its first ("neither [parent] had …"), then the words after it.
                    if word > span.first && word <= span.last { return true }
                    if word > span.last && word - span.last <= maxScope
                        && !(span.last + 1...word).contains(where: clauseStarts.contains)
                    {
                        return true
                    }
                } else if word < span.first && span.first - word <= maxScope
                    && !(word + 1...span.first).contains(where: clauseStarts.contains)
                {
                    return true
                }
            }
            return false
        }
    }
}
