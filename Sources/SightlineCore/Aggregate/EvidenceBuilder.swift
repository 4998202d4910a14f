import Foundation

/// Builds the aggregate stage's evidence from records as they arrive, in
/// input order: each document's record, then its codings and passages.
///
/// `sightline aggregate` feeds it from the files an earlier run wrote;
/// `sightline run` feeds it each document's lines as the document is
/// extracted and coded, so the tables are ready the moment the last document
/// is, and nothing is read back. Either way it holds the counts (a few
/// numbers per document and theme), the five best quote candidates per theme
/// row, and the passages those candidates quote: never the corpus.
public struct EvidenceBuilder {
    public private(set) var documents: [DocumentInfo] = []
    public private(set) var failures: [ErrorRecord] = []
    public let taxonomies: [TaxonomyRecord]
    public let minPassages: Int
    private var accumulator: Aggregator.Accumulator
    private var pickers: [ExemplarPicker.Best]
    private var documentOrder: [String: Int] = [:]
    /// Passages quoted by a current candidate, by passage id.
    private var passages: [String: PassageRecord] = [:]
    /// Passage ids some picker holds, updated as codings arrive.
    private var wanted: Set<String> = []
    private var wantedIsCurrent = true
    /// Documents with a coding that became a quote candidate since their passages were last offered.
    private var documentsWithNewQuotes: Set<String> = []
    private let decoder = JSONDecoder()

    public init(taxonomies: [TaxonomyRecord], minPassages: Int, quoteLimit: Int = ExemplarPicker().limit) {
        self.taxonomies = taxonomies
        self.minPassages = minPassages
        accumulator = Aggregator.Accumulator(taxonomies: taxonomies, minPassages: minPassages)
        pickers = Array(repeating: ExemplarPicker.Best(limit: quoteLimit), count: accumulator.rowCount)
    }

    public mutating func add(document: DocumentInfo) {
        guard documentOrder[document.docID] == nil else { return }
        documentOrder[document.docID] = documents.count
        documents.append(document)
        accumulator.addDocument(document.docID)
    }

    public mutating func add(failure: ErrorRecord) { failures.append(failure) }

    public mutating func add(coding: CodingRecord) {
        var affirmed = 0
        for match in coding.matches where match.isAffirmed { affirmed += 1 }
        add(counting: coding, affirmed: affirmed, whole: { coding })
    }

    /// Counts a `codings.jsonl` line, read for counting and read whole only
    /// when it could become a quote (by JSONDecoder when the quick reader
    /// leaves the line to it). The record as read (for counting: no rule list
    /// or match texts), or nil when the line is not a coding record.
    public mutating func add(codingLine line: UnsafeRawBufferPointer, interner: StringInterner) -> CodingRecord? {
        let decoder = self.decoder
        func whole() -> CodingRecord? {
            RecordLineParser.coding(bytes: line, interner: interner) ?? (try? decoder.decode(CodingRecord.self, from: Data(line)))
        }
        if let (coding, affirmed) = RecordLineParser.codingForCounting(bytes: line, interner: interner) {
            add(counting: coding, affirmed: affirmed, whole: whole)
            return coding
        }
        guard let coding = whole() else { return nil }
        add(coding: coding)
        return coding
    }

    /// Counts a coding read for counting (`RecordLineParser.codingForCounting`:
    /// no rule list or match texts, `affirmed` matches neither negated nor
    /// hypothetical), reading the whole record with `whole` only when it
    /// could become a quote. The outcome is `add(coding:)`'s with the whole record.
    public mutating func add(counting coding: CodingRecord, affirmed: Int, whole: () -> CodingRecord?) {
        let tallied = accumulator.add(coding)
        // A coding of a document the records do not list is not counted, but may still be quoted, as before.
        guard coding.counts, let rows = tallied ?? accumulator.rows(of: coding) else { return }
        guard pickers[rows.theme].mayKeep(docID: coding.docID, affirmed: affirmed)
            || rows.subtheme.map({ pickers[$0].mayKeep(docID: coding.docID, affirmed: affirmed) }) == true
        else { return }
        guard let record = whole() else { return }
        offer(record, rows: rows)
    }

    /// Offers a counted coding to its theme's and sub-theme's quote pickers.
    private mutating func offer(_ coding: CodingRecord, rows: (theme: Int, subtheme: Int?)) {
        let position = documentOrder[coding.docID] ?? Int.max
        var kept = pickers[rows.theme].offer(coding, documentOrder: position)
        if let sub = rows.subtheme, pickers[sub].offer(coding, documentOrder: position) { kept = true }
        if kept {
            wantedIsCurrent = false
            documentsWithNewQuotes.insert(coding.docID)
        }
    }

    /// Keeps the passage of a `passages.jsonl` line when a current quote
    /// candidate needs it (decoding only those lines); false when the line is
    /// needed but cannot be read.
    public mutating func offer(passageLine line: Data) -> Bool {
        line.withUnsafeBytes { offer(passageBytes: $0) }
    }

    /// As `offer(passageLine:)`, for a line's bytes lent in place.
    public mutating func offer(passageBytes line: UnsafeRawBufferPointer) -> Bool {
        refreshWanted()
        guard let id = Self.passageID(in: line) ?? (try? decoder.decode(PassageRecord.self, from: Data(line)))?.passageID else { return false }
        guard wanted.contains(id), passages[id] == nil else { return true }
        guard let passage = RecordLineParser.passage(bytes: line) ?? (try? decoder.decode(PassageRecord.self, from: Data(line))) else { return false }
        passages[id] = passage
        return true
    }

    /// Whether a quote candidate from document `docID` arrived since this was
    /// last asked: when not, none of its passages can be wanted, and its
    /// passage lines need not be offered at all.
    public mutating func takeNeedForPassages(of docID: String) -> Bool {
        documentsWithNewQuotes.remove(docID) != nil
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
    public func model(metadata: [DocumentInfo]? = nil, manifestColumns: [String], toolVersion: String, date: String) -> EvidenceModel {
        let result = accumulator.result()
        let picker = ExemplarPicker()
        let quotes = pickers.map { picker.quotes(for: $0.chosen, passages: passages) }
        return EvidenceModel(
            documents: metadata ?? documents, failures: failures, taxonomies: taxonomies, result: result, quotes: quotes,
            manifestColumns: manifestColumns, minPassages: minPassages, toolVersion: toolVersion, date: date)
    }

    /// The `passage_id` of a passage line, found without decoding it (nil: decode to find out).
    public static func passageID(in raw: UnsafeRawBufferPointer) -> String? {
        let bytes = raw.bindMemory(to: UInt8.self)
        let key = passageIDKey
        // The key comes after the document id and the heading path: quote to quote by memchr, not byte by byte.
        var i = 0
        while i + key.count <= bytes.count {
            guard let quote = memchr(bytes.baseAddress! + i, 0x22, bytes.count - i) else { return nil }
            i = UnsafeRawPointer(quote) - UnsafeRawPointer(bytes.baseAddress!)
            guard i + key.count <= bytes.count else { return nil }
            if memcmp(bytes.baseAddress! + i, key, key.count) == 0 {
                let start = i + key.count
                guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
                let id = bytes[start..<end]
                return id.contains(UInt8(ascii: "\\")) ? nil : String(decoding: id, as: UTF8.self)
            }
            i += 1
        }
        return nil
    }

    private static let passageIDKey = Array("\"passage_id\":\"".utf8)
}
