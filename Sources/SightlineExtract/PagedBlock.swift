import SightlineCore

/// A block as the word-processor readers (DOCX, ODT, RTF, antiword's DocBook) collect it, before the
/// blocks become records: its kind, heading level, text and the page it starts on.
struct PagedBlock {
    var kind: BlockKind
    var level: Int?
    var text: String
    var page: Int
}
