/// Codes passages against one or more taxonomies: build it from the
/// taxonomies, then `code` each passage into its coding records.
///
/// Coding a passage takes four steps, each in files of its own:
/// 1. the phrase scan (`PhraseAutomaton`): every taxonomy's phrases, cues
///    and exclusions found in one pass over the passage's words;
/// 2. per taxonomy (`CompiledFrame`), its hits gathered by rule
///    (`RuleHits.swift`) and each rule evaluated by its kind
///    (`RuleEvaluators.swift`, `RegexEvaluator.swift`);
/// 3. the veto (`Veto.swift`): matches an exclusion overlaps are dropped,
///    and the rest judged negated, hypothetical or boilerplate (`CueScope`);
/// 4. record building (`CodingBuilder.swift`): one coding per theme and sub-theme.
///
/// The tests hold it to a slow reference coder written from
/// `docs/taxonomy-format.md` (`Tests/SightlineTagTests/ReferenceCoder.swift`).
///
/// A value type whose coding mutates it (it keeps working memory from
/// passage to passage). Copies are independent: a copy that codes first
/// gets working memory of its own, so each thread can code with its own copy.
public struct Tagger {
    public let taxonomies: [Taxonomy]
    private let frames: [CompiledFrame]
    /// Every taxonomy's phrases in one trie, so a passage is scanned once. Its
    /// tables are immutable once built and shared by copies.
    private let automaton: PhraseAutomaton
    private(set) var workspace = Workspace()

    public init(taxonomies: [Taxonomy]) {
        self.taxonomies = taxonomies
        var automaton = PhraseAutomaton()
        var frames: [CompiledFrame] = []
        var base = 0
        for taxonomy in taxonomies {
            let frame = CompiledFrame(taxonomy, into: &automaton, payloadBase: base)
            base += frame.payloadCount
            frames.append(frame)
        }
        automaton.finish()
        self.automaton = automaton
        self.frames = frames
    }

    /// The codings of one passage, in taxonomy, theme and sub-theme order.
    public mutating func code(_ passage: PassageRecord) -> [CodingRecord] {
        // A copy of this tagger shares the scan's buffers (a class) until one of them codes.
        if !isKnownUniquelyReferenced(&workspace.scan) { workspace.scan = PhraseAutomaton.ScanBuffers() }
        automaton.tokenize(passage.text, into: &workspace.tokens, buffers: workspace.scan)
        automaton.hits(workspace.tokens, into: &workspace.hits, buffers: workspace.scan)
        guard !workspace.hits.isEmpty else { return [] }
        var context = PassageContext(passage: passage, tokens: workspace.tokens, hits: workspace.hits)
        var codings: [CodingRecord] = []
        for f in frames.indices {
            // Each frame appends its records to the one list: a record is never copied (copying one retains
            // all its strings).
            code(&context, frame: f, into: &codings)
        }
        return codings
    }

    /// Appends the codings of frame `f` in the passage to `records`.
    private mutating func code(_ passage: inout PassageContext, frame f: Int, into records: inout [CodingRecord]) {
        let frame = frames[f]
        guard workspace.gathered.gather(frame, passage.hits) else { return }
        let gathered = workspace.gathered
        // Taken out of the workspace while in use (so that appending does not copy it) and put back after.
        var found = workspace.found
        workspace.found = []
        found.removeAll(keepingCapacity: true)
        defer { workspace.found = found }
        for parts in RuleRuns(gathered.ruleHits) {
            let before = found.count
            frame.evaluators[parts.rule].evaluate(parts, in: &passage, into: &found)
            guard found.count > before else { continue }
            Veto.applyExclusions(
                parts, theme: frame.ruleTheme[parts.rule], themeExclusions: gathered.themeExclusions, in: passage,
                to: &found, from: before)
        }
        guard !found.isEmpty else { return }
        // Under a "recommendations" heading everything is hypothetical (judged once per heading).
        var underHypotheticalHeading = false
        if let heading = passage.passage.headingPath.last, !frame.hypotheticalHeadings.isEmpty {
            while workspace.headingVerdicts.count <= f { workspace.headingVerdicts.append(HeadingVerdicts()) }
            underHypotheticalHeading = workspace.headingVerdicts[f].verdict(heading, frame.hypotheticalHeadings)
        }
        let verdicts = Veto.Verdicts(
            passage: passage, cues: gathered.cues, maxScope: frame.taxonomy.cues.maxScope,
            underHypotheticalHeading: underHypotheticalHeading)
        workspace.builder.build(found, frame: frame, verdicts: verdicts, passage: &passage, into: &records)
    }

    /// Working memory kept from passage to passage, so that coding a passage allocates as little as it can.
    struct Workspace {
        /// The phrase scan's buffers: the passage's words and the hits in them.
        var scan = PhraseAutomaton.ScanBuffers()
        var tokens: [PhraseAutomaton.LabelledToken] = []
        var hits: [PhraseAutomaton.Hit] = []
        var gathered = Gathered()
        var found: [Found] = []
        /// By frame: headings already judged against its hypothetical headings.
        var headingVerdicts: [HeadingVerdicts] = []
        var builder = CodingBuilder()
    }
}
