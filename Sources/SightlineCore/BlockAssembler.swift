/// Turns a format reader's stream of raw blocks into numbered `BlockRecord`s
/// with normalised text and the heading path each block sits under.
///
/// Every reader (PDF, HTML, DOCX, text) goes through this one type, so the
/// numbering, normalisation and heading rules are the same for all of them.
public struct BlockAssembler {
    public let docID: String
    public private(set) var blocks: [BlockRecord] = []
    private var headings: [(level: Int, text: String)] = []

    public init(docID: String) { self.docID = docID }

    /// Adds one block. Empty text (after normalisation) is skipped; a box
    /// that is not finite is left out (it could not be written as JSON).
    public mutating func add(
        kind: BlockKind, text rawText: String, level: Int? = nil,
        page: Int, pageLabel: String? = nil, pageEnd: Int? = nil, pageEndLabel: String? = nil,
        bbox: BoundingBox? = nil, ocrConfidence: Double? = nil
    ) {
        let text = TextNormalizer.normalize(rawText)
        guard !text.isEmpty else { return }
        var headingLevel: Int? = nil
        if kind == .heading {
            let lvl = max(1, level ?? 1)
            headingLevel = lvl
            while let last = headings.last, last.level >= lvl { headings.removeLast() }
        }
        var record = BlockRecord(
            docID: docID, page: page, pageEnd: pageEnd ?? page, pageLabel: pageLabel,
            pageEndLabel: pageEnd == nil ? pageLabel : pageEndLabel, index: blocks.count,
            kind: kind, level: headingLevel, headingPath: headings.map(\.text), text: text,
            bbox: bbox.flatMap { $0.isFinite ? $0.rounded : nil })
        record.ocrConfidence = ocrConfidence.map { ($0 * 10).rounded() / 10 }
        blocks.append(record)
        if let lvl = headingLevel { headings.append((lvl, text)) }
    }

    /// Words in all blocks.
    public var wordCount: Int { blocks.reduce(0) { $0 + TextNormalizer.wordCount($1.text) } }
}
