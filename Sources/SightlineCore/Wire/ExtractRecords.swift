import Foundation

/// Versioned schema names written into every record's `schema` field.
///
/// Schemas only gain fields; a reader refuses a newer *major* version.
public enum Schema {
    public static let document = "sightline.document.v1"
    public static let block = "sightline.block.v1"
    public static let error = "sightline.error.v1"
    public static let duplicate = "sightline.duplicate.v1"
    public static let skipped = "sightline.skipped.v1"
}

/// What kind of paragraph-like unit a block is.
public enum BlockKind: String, Codable, Sendable, CaseIterable {
    case heading
    case paragraph
    case listItem = "list_item"
    case tableCell = "table_cell"
    case footnote
}

/// Media types Sightline reads, decided from the file's bytes.
public enum MediaType: String, Codable, Sendable {
    case pdf = "application/pdf"
    case html = "text/html"
    case docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    case text = "text/plain"
    case odt = "application/vnd.oasis.opendocument.text"
    case rtf = "application/rtf"
    /// Word 97–2003 (`.doc`).
    case msword = "application/msword"
}

/// Stable error codes a researcher (or a script) can rely on.
public enum ErrorCode: String, Codable, Sendable, CaseIterable {
    /// The file could not be read (permissions, vanished, a directory loop).
    case unreadable
    /// The file has no bytes.
    case empty
    /// Named `.pdf` but holds something else (often an HTML error page saved by a failed download).
    case notAPDF = "not_a_pdf"
    /// Named `.docx` but not a zip, or a zip without a Word document in it.
    case notADOCX = "not_a_docx"
    /// The bytes are not a format Sightline reads (binary junk, images, archives).
    case unsupportedFormat = "unsupported_format"
    /// A PDF that needs a password to open.
    case encrypted
    /// The file claims a format but is truncated or corrupt.
    case damaged
    /// A PDF whose pages have no text layer at all (scanned): it needs OCR first.
    case noTextLayer = "no_text_layer"
    /// Text that is not valid UTF-8.
    case invalidEncoding = "invalid_encoding"
    /// Over a configured size limit (huge HTML, a zip bomb).
    case tooLarge = "too_large"
    /// Markup nested deeper than the parser allows.
    case tooDeep = "too_deep"
    /// Parsed, but no text came out.
    case noText = "no_text"
    /// The extraction worker ran past its time limit and was stopped.
    case timeout
    /// The extraction worker died while reading this document.
    case crashed
    /// The extraction worker ran out of its memory allowance.
    case outOfMemory = "out_of_memory"
    /// Reading the format needs a program that is not installed (antiword, for Word 97–2003 files).
    case toolMissing = "tool_missing"
}

/// A warning attached to a document that was extracted.
public struct ExtractionWarning: Codable, Sendable, Equatable {
    public var code: String
    public var message: String
    /// 1-based page indexes the warning is about, when it is about pages.
    public var pages: [Int]?

    public init(code: String, message: String, pages: [Int]? = nil) {
        self.code = code
        self.message = message
        self.pages = pages
    }
}

/// Which extractor produced a document, and with which library versions.
public struct ExtractorInfo: Codable, Sendable, Equatable {
    public var name: String
    public var version: String
    /// Library name → version, e.g. `["poppler": "22.12.0"]`.
    public var libraries: [String: String]

    public init(name: String, version: String, libraries: [String: String]) {
        self.name = name
        self.version = version
        self.libraries = libraries
    }
}

/// One record of `documents.jsonl` for an input that was extracted.
public struct DocumentRecord: Codable, Sendable, Equatable {
    public var type = "document"
    public var schema = Schema.document
    /// SHA-256 of the file's bytes, lower-case hex.
    public var docID: String
    /// The path as given on the command line, or relative to the folder walked.
    public var source: String
    public var mediaType: MediaType
    /// Pages in the document; DOCX, HTML and text have no fixed pages and report the pages they were split into.
    public var pageCount: Int
    public var title: String?
    public var extractor: ExtractorInfo
    public var blockCount: Int
    public var wordCount: Int
    /// 1-based page indexes with no text layer (scanned images).
    public var pagesWithoutText: [Int]
    public var warnings: [ExtractionWarning]
    /// 1-based page indexes whose text was read by OCR; absent when none was.
    public var ocrPages: [Int]?
    /// The OCR language data used (Tesseract's name, e.g. `eng`), when any page was read by OCR.
    public var ocrLanguage: String?

    enum CodingKeys: String, CodingKey {
        case type, schema, source, title, extractor, warnings
        case docID = "doc_id"
        case mediaType = "media_type"
        case pageCount = "page_count"
        case blockCount = "block_count"
        case wordCount = "word_count"
        case pagesWithoutText = "pages_without_text"
        case ocrPages = "ocr_pages"
        case ocrLanguage = "ocr_language"
    }

    public init(
        docID: String, source: String, mediaType: MediaType, pageCount: Int, title: String?,
        extractor: ExtractorInfo, blockCount: Int, wordCount: Int, pagesWithoutText: [Int],
        warnings: [ExtractionWarning]
    ) {
        self.docID = docID
        self.source = source
        self.mediaType = mediaType
        self.pageCount = pageCount
        self.title = title
        self.extractor = extractor
        self.blockCount = blockCount
        self.wordCount = wordCount
        self.pagesWithoutText = pagesWithoutText
        self.warnings = warnings
    }
}

/// One record of `documents.jsonl` for an input that could not be extracted.
public struct ErrorRecord: Codable, Sendable, Equatable, Error {
    public var type = "error"
    public var schema = Schema.error
    public var source: String
    /// SHA-256 of the bytes when the file could be read at all.
    public var docID: String?
    public var code: ErrorCode
    /// What went wrong and what the researcher can do about it.
    public var message: String

    enum CodingKeys: String, CodingKey {
        case type, schema, source, code, message
        case docID = "doc_id"
    }

    public init(source: String, docID: String?, code: ErrorCode, message: String) {
        self.source = source
        self.docID = docID
        self.code = code
        self.message = message
    }
}

/// One record of `documents.jsonl` for an input whose bytes are the same as
/// an earlier input's: it is read once, under the first name, and this
/// record keeps the second name so that nothing given goes unaccounted for.
public struct DuplicateRecord: Codable, Sendable, Equatable {
    public var type = "duplicate"
    public var schema = Schema.duplicate
    public var source: String
    /// SHA-256 of the bytes: the `doc_id` of the first copy's record.
    public var docID: String
    /// The `source` of the copy that was read.
    public var sameAs: String

    enum CodingKeys: String, CodingKey {
        case type, schema, source
        case docID = "doc_id"
        case sameAs = "same_as"
    }

    public init(source: String, docID: String, sameAs: String) {
        self.source = source
        self.docID = docID
        self.sameAs = sameAs
    }
}

/// One record of `documents.jsonl` for a file found in a folder that
/// Sightline does not read (a spreadsheet, an image, a file of unknown
/// type): it is not opened, and this record says why.
public struct SkippedRecord: Codable, Sendable, Equatable {
    public var type = "skipped"
    public var schema = Schema.skipped
    public var source: String
    /// Why the file was not read, e.g. `unsupported format: .xlsx`.
    public var reason: String

    enum CodingKeys: String, CodingKey {
        case type, schema, source, reason
    }

    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }
}

/// A bounding box in PDF points, origin at the top left of the page.
public struct BoundingBox: Codable, Sendable, Equatable {
    public var x0: Double
    public var y0: Double
    public var x1: Double
    public var y1: Double

    enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
        case x0, y0, x1, y1
    }

    public init(x0: Double, y0: Double, x1: Double, y1: Double) {
        self.x0 = x0
        self.y0 = y0
        self.x1 = x1
        self.y1 = y1
    }

    public func union(_ other: BoundingBox) -> BoundingBox {
        BoundingBox(
            x0: min(x0, other.x0), y0: min(y0, other.y0),
            x1: max(x1, other.x1), y1: max(y1, other.y1))
    }

    /// All four coordinates are finite numbers (JSON has no infinity or NaN).
    public var isFinite: Bool { x0.isFinite && y0.isFinite && x1.isFinite && y1.isFinite }

    /// The box with coordinates rounded to hundredths of a point, so output is stable. A coordinate that
    /// rounds to zero from below is 0, not -0 (adding +0 does that): blocks.jsonl has always said 0 there.
    public var rounded: BoundingBox {
        func r(_ value: Double) -> Double { (value * 100).rounded() / 100 + 0 }
        return BoundingBox(x0: r(x0), y0: r(y0), x1: r(x1), y1: r(y1))
    }
}

/// One record of `blocks.jsonl`: a paragraph-like unit of text with its provenance.
public struct BlockRecord: Codable, Sendable, Equatable {
    public var type = "block"
    public var schema = Schema.block
    public var docID: String
    /// 1-based page index where the block starts.
    public var page: Int
    /// 1-based page index where the block ends (equal to `page` unless it runs over a page break).
    public var pageEnd: Int
    /// The printed page label where the block starts (e.g. "iv", "12"), when the document has one.
    public var pageLabel: String?
    public var pageEndLabel: String?
    /// 0-based position of the block in the document.
    public var index: Int
    public var kind: BlockKind
    /// Heading level (1 = top) for headings.
    public var level: Int?
    /// The headings this block sits under, outermost first.
    public var headingPath: [String]
    /// NFC text with single spaces.
    public var text: String
    /// For PDFs: the block's box on its first page.
    public var bbox: BoundingBox?
    /// For text read by OCR: Tesseract's mean confidence (0-100) over the block's words, to one decimal.
    /// Absent for text from a text layer or markup.
    public var ocrConfidence: Double?

    enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
        case type, schema, page, index, kind, level, text, bbox
        case ocrConfidence = "ocr_confidence"
        case docID = "doc_id"
        case pageEnd = "page_end"
        case pageLabel = "page_label"
        case pageEndLabel = "page_end_label"
        case headingPath = "heading_path"
    }

    public init(
        docID: String, page: Int, pageEnd: Int, pageLabel: String?, pageEndLabel: String?,
        index: Int, kind: BlockKind, level: Int?, headingPath: [String], text: String,
        bbox: BoundingBox?
    ) {
        self.docID = docID
        self.page = page
        self.pageEnd = pageEnd
        self.pageLabel = pageLabel
        self.pageEndLabel = pageEndLabel
        self.index = index
        self.kind = kind
        self.level = level
        self.headingPath = headingPath
        self.text = text
        self.bbox = bbox
    }
}

/// The result of extracting one input: either a document with its blocks, or an error.
public enum ExtractionOutcome: Sendable, Equatable {
    case document(DocumentRecord, [BlockRecord])
    case failure(ErrorRecord)
}
