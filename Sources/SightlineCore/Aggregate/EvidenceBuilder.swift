import Foundation

/// Builds the aggregate stage's evidence from records as they arrive, in
/// input order: each document's record, then its codings and passages.
///
/// `sightline aggregate` feeds it from the files an earlier run wrote;
/// `sightline run` feeds it each document's lines as the document is
/// extracted and coded, so the tables are ready the moment the last document
/// is, and nothing is read back. Either way it holds the counts (a few
/// numbers per document and theme), the five best quote candidates per theme
/// row, and the passages those candidates quote; the coded-segments rows
/// until they are drained; and, for the review page, the coded passages'
/// texts (7.8 of the Ofsted corpus's 10.7 MB of passage text).
public struct EvidenceBuilder {
    public private(set) var documents: [DocumentInfo] = []
    public private(set) var failures: [ErrorRecord] = []
    public private(set) var skipped: [SkippedRecord] = []
    public let taxonomies: [TaxonomyRecord]
    private var accumulator: Aggregator.Accumulator
    private var pickers: [ExemplarPicker.Best]
    private var documentOrder: [String: Int] = [:]
    /// Passages quoted by a current candidate, by passage id.
    private var passages: [String: PassageRecord] = [:]
    /// Passage ids some picker holds, updated as codings arrive.
    private var wanted: Set<String> = []
    private var wantedIsCurrent = true
    /// The research team's review decisions, applied before counting.
    public private(set) var decisions: DecisionSet?
    /// Codings as decided, of the passages a decision names.
    private var decided: [String: [CodingRecord]] = [:]
    /// The manifest, when there is one: documents get their metadata as they are added.
    public var manifest: Manifest?
    /// The coded-segments table, when wanted: every counted coding with its passage.
    public var segments: CodedSegments?
    /// The review page, when wanted: every document, and every passage with a coding or a decision, with its
    /// codings as the tagger wrote them, collected from the same records as the counts.
    public var review: ReviewPage?
    /// Passages with at least one counted coding (codings of a passage come together).
    public private(set) var codedPassages = 0
    private var lastCodedPassage: String?

    /// `override`: parts of the document-call rule set on the command line.
    public init(
        taxonomies: [TaxonomyRecord], override: DocumentCallRule.Override = .none,
        quoteLimit: Int = ExemplarPicker().limit
    ) {
        self.taxonomies = taxonomies
        accumulator = Aggregator.Accumulator(taxonomies: taxonomies, override: override)
        pickers = Array(repeating: ExemplarPicker.Best(limit: quoteLimit), count: accumulator.rowCount)
    }

    public mutating func add(document: DocumentInfo) {
        // The page lists every document record, as documents.jsonl has them.
        review?.add(document: document)
        guard documentOrder[document.docID] == nil else { return }
        var document = document
        if let row = manifest?.row(for: document.source) { document.metadata = row }
        segments?.add(document: document, title: document.displayTitle)
        documentOrder[document.docID] = documents.count
        documents.append(document)
        accumulator.addDocument(document)
    }

    public mutating func add(failure: ErrorRecord) { failures.append(failure) }

    /// A file in the inputs that was not read (a format Sightline does not read).
    public mutating func add(skipped record: SkippedRecord) { skipped.append(record) }

    /// Review decisions to apply; each decided passage must be shown with `see(passage:)` before its codings.
    public mutating func apply(decisions: DecisionSet) { self.decisions = decisions.isEmpty ? nil : decisions }

    /// Whether a decision names this passage.
    public func isDecided(_ passageID: String) -> Bool { decisions?.touches(passageID) == true }

    /// Tells the decisions a passage's current text (so that a stale decision is never applied).
    public mutating func see(passage: PassageRecord) { decisions?.see(passage) }

    public mutating func add(coding: CodingRecord) {
        review?.add(coding: coding)
        var coding = coding
        if var set = decisions, set.touches(coding.passageID) {
            let outcome = set.apply(to: coding)
            decisions = set
            guard let applied = outcome else { return }
            coding = applied
            decided[coding.passageID, default: []].append(coding)
        }
        var affirmed = 0
        for match in coding.matches where match.isAffirmed { affirmed += 1 }
        add(counting: coding, affirmed: affirmed, whole: { coding })
    }

    /// Counts a `codings.jsonl` line, read for counting and read whole only
    /// when it could become a quote or a segment, when a decision names its
    /// passage, or when the review page is collected. The coding as read
    /// (for counting: no rule list or match texts), or nil when the line is a
    /// taxonomy record (the caller knows where those may be); throws
    /// `Wire.Problem` for a line that is neither.
    public mutating func add(codingLine line: UnsafeRawBufferPointer, interner: StringInterner) throws
        -> CodingRecord?
    {
        if review == nil, let (coding, affirmed) = try CodingsLine.codingForCounting(line, interner: interner),
            !isDecided(coding.passageID)
        {
            // The whole read takes every line the counting read takes (`WireFastPathTests`).
            add(counting: coding, affirmed: affirmed) { Wire.FastReader.coding(line, interner: interner) }
            return coding
        }
        switch try CodingsLine(line: line, interner: interner) {
        case .coding(let coding):
            // A decision may change the record: it is read whole and decided first. The review page shows every
            // coding with its rules and matches: then each line is read whole, once.
            add(coding: coding)
            return coding
        case .taxonomy:
            return nil
        }
    }

    /// Counts a coding read for counting (`CodingsLine.codingForCounting`:
    /// no rule list or match texts, `affirmed` matches neither negated nor
    /// hypothetical), reading the whole record with `whole` only when it
    /// could become a quote. The outcome is `add(coding:)`'s with the whole record.
    public mutating func add(counting coding: CodingRecord, affirmed: Int, whole: () -> CodingRecord?) {
        let tallied = accumulator.add(coding)
        // A coding of a document the records do not list is not counted, but may still be quoted, as before.
        guard coding.counts, let rows = tallied ?? accumulator.rows(of: coding) else { return }
        let quotable =
            pickers[rows.theme].mayKeep(docID: coding.docID, affirmed: affirmed)
            || rows.subtheme.map({ pickers[$0].mayKeep(docID: coding.docID, affirmed: affirmed) }) == true
        if tallied != nil { noteCoded(coding.passageID) }
        // Only codings the counts took (a listed document, a known theme) are segments.
        let segment = segments != nil && tallied != nil
        guard quotable || segment, let record = whole() else { return }
        if segment { segments?.add(counted: record) }
        if quotable { offer(record, rows: rows) }
    }

    private mutating func noteCoded(_ passageID: String) {
        guard passageID != lastCodedPassage else { return }
        codedPassages += 1
        lastCodedPassage = passageID
    }

    /// Offers a counted coding to its theme's and sub-theme's quote pickers.
    private mutating func offer(_ coding: CodingRecord, rows: (theme: Int, subtheme: Int?)) {
        let position = documentOrder[coding.docID] ?? Int.max
        var kept = pickers[rows.theme].offer(coding, documentOrder: position)
        if let sub = rows.subtheme, pickers[sub].offer(coding, documentOrder: position) { kept = true }
        if kept { wantedIsCurrent = false }
    }

    /// A passage: counted towards its document's substantive passages (the
    /// share a document-level call weighs), and kept when a current quote
    /// candidate quotes it. Its document's codings should have been added
    /// first, so that the candidates are known.
    public mutating func add(passage: PassageRecord) {
        accumulator.addPassage(docID: passage.docID, boilerplate: passage.boilerplate)
        collect(passage)
    }

    /// A document's passages as the coder tallied them while writing its
    /// lines: the substantive ones counted from the tallies, and only the
    /// lines of passages with a coding read, since nothing but the count
    /// is wanted of the others (the segments, the review page and the quotes
    /// show coded passages only). Its codings should have been added first.
    /// With decisions, which may name a passage no coding touches, every line is read.
    public mutating func add(passageLines lines: Data, tallies: CodingTallies, docID: String) throws {
        guard decisions == nil else {
            try JSONLinesReader.forEachLineInPlace(in: lines) { try add(passageLine: $0) }
            return
        }
        accumulator.addPassages(docID: docID, substantive: tallies.substantive)
        var read = 0
        try JSONLinesReader.forEachLineInPlace(in: lines, at: tallies.codedPassages) { line in
            collect(try PassagesLine(line: line).passage)
            read += 1
        }
        guard read == tallies.codedPassages.count else {
            throw Wire.Problem(
                "\(tallies.codedPassages.count) coded passages tallied, \(read) found among the passages written")
        }
    }

    /// Everything a passage is wanted for besides its count: decisions, segments, the review page, quotes.
    private mutating func collect(_ passage: PassageRecord) {
        if var set = decisions, set.touches(passage.passageID) {
            var existing = decided[passage.passageID] ?? []
            let made = set.additions(for: passage, existing: existing)
            decisions = set
            for coding in made {
                // The passage may already count for the theme through another sub-theme.
                let themeCounted = existing.contains {
                    $0.counts && $0.taxonomy == coding.taxonomy && $0.theme == coding.theme
                }
                if let rows = accumulator.add(coding, themeRow: !themeCounted) {
                    if !existing.contains(where: \.counts) { noteCoded(passage.passageID) }
                    offer(coding, rows: rows)
                    segments?.add(counted: coding)
                }
                existing.append(coding)
            }
        }
        segments?.add(passage: passage)
        let decided = isDecided(passage.passageID)
        review?.add(passage: passage, decided: decided)
        refreshWanted()
        if wanted.contains(passage.passageID), passages[passage.passageID] == nil {
            passages[passage.passageID] = passage
        }
    }

    /// As `add(passage:)`, for a `passages.jsonl` line's bytes; throws `Wire.Problem` when it is not a passage.
    public mutating func add(passageLine line: UnsafeRawBufferPointer) throws {
        add(passage: try PassagesLine(line: line).passage)
    }

    /// Forgets passages no candidate quotes any more (call now and then, e.g. after each document).
    public mutating func dropUnwantedPassages() {
        // Now and then rather than after every document: a few hundred
        // passages more than the quotes need cost little memory, and
        // re-checking them all each time costs time.
        guard passages.count > Self.passagesKeptAtMost else { return }
        refreshWanted()
        if passages.count > wanted.count { passages = passages.filter { wanted.contains($0.key) } }
    }

    static let passagesKeptAtMost = 2_048

    private mutating func refreshWanted() {
        guard !wantedIsCurrent else { return }
        wanted = Set(pickers.flatMap(\.chosenPassageIDs))
        wantedIsCurrent = true
    }

    /// The counts and quotes, with manifest metadata attached to the documents.
    /// The coded-segments rows written since the last call (empty when the table is not wanted).
    public mutating func drainSegments() -> Data { segments?.drain() ?? Data() }

    public func model(metadata: [DocumentInfo]? = nil, manifestColumns: [String], toolVersion: String, date: String)
        -> EvidenceModel
    {
        let result = accumulator.result()
        let picker = ExemplarPicker()
        let quotes = pickers.map { picker.quotes(for: $0.chosen, passages: passages) }
        var model = EvidenceModel(
            documents: metadata ?? documents, failures: failures, taxonomies: taxonomies, result: result,
            quotes: quotes,
            manifestColumns: manifestColumns, toolVersion: toolVersion, date: date)
        model.decisions = decisions
        model.skipped = skipped
        return model
    }
}
