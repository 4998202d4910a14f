import Foundation
import SightlineCore

/// A failure while reading one document: a stable code and a message a researcher can act on.
public struct ExtractionError: Error, Sendable, Equatable {
    public var code: ErrorCode
    public var message: String

    public init(_ code: ErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// Limits and switches for extraction.
public struct ExtractOptions: Sendable {
    /// HTML files larger than this are refused with `too_large`.
    public var maxHTMLBytes = 64 * 1024 * 1024
    /// Markup nested deeper than this is refused with `too_deep`.
    public var maxDepth = 2_000
    /// The total uncompressed size a DOCX may expand to.
    public var maxDOCXUncompressedBytes: UInt64 = 256 * 1024 * 1024
    /// Skip building colour-management transforms in poppler (see CSightlineSupport).
    public var bypassColourManagement = true
    /// The antiword program that reads Word 97–2003 files (nil: found on the PATH).
    public var antiwordPath: String? = nil
    /// Seconds a helper program (antiword) may take on one file before it is stopped.
    public var externalToolSeconds: Double = 120
    /// Which PDF pages are read by OCR.
    public var ocr = OCRMode.auto
    /// Tesseract's language data for OCR.
    public var ocrLanguage = "eng"
    /// The worker's address-space limit in MiB (0: none): bounds the resolution pages are rendered at for OCR.
    public var memoryLimitMB = 0

    public init() {}
}

/// The result of reading one file in one of the supported formats, before it becomes records.
struct ReadDocument {
    var mediaType: MediaType
    var pageCount: Int
    var title: String?
    var extractorName: String
    var libraries: [String: String]
    var pagesWithoutText: [Int] = []
    var warnings: [ExtractionWarning] = []
    var ocrPages: [Int] = []
    var ocrLanguage: String? = nil
}

/// Reads one file of any supported format into a document record and its blocks.
///
/// The format is decided from the file's bytes. A file whose name promises a
/// PDF or DOCX but whose bytes are something else is refused, naming what it
/// holds: a failed download saved as `.pdf` is the usual cause.
public struct Extractor: Sendable {
    public var options: ExtractOptions
    /// Tesseract, opened the first time a page needs OCR and kept for the extractor's life.
    let ocr: OCRSession

    public init(options: ExtractOptions = ExtractOptions()) {
        self.options = options
        self.ocr = OCRSession(language: options.ocrLanguage)
    }

    /// Extracts the file at `path`, reporting it under the name `source`;
    /// `docID`, when given, is the SHA-256 of the file's bytes, already worked out.
    /// `ocrProgress`, when given, hears of each page read by OCR (the count so far).
    public func extract(
        path: String, source: String, docID knownID: String? = nil, ocrProgress: ((Int) -> Void)? = nil
    ) -> ExtractionOutcome {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? error.localizedDescription
            return .failure(
                ErrorRecord(source: source, docID: nil, code: .unreadable, message: "cannot read the file: \(reason)"))
        }
        if let refusal = refuseBySize(data, source: source) { return .failure(refusal) }
        return extract(bytes: [UInt8](data), source: source, docID: knownID, ocrProgress: ocrProgress)
    }

    /// Extracts a file's bytes, already read, reporting them under the name
    /// `source`, whose extension counts as the file's (as for `extract(path:source:)`).
    public func extract(
        bytes: [UInt8], source: String, docID knownID: String? = nil, ocrProgress: ((Int) -> Void)? = nil
    ) -> ExtractionOutcome {
        let docID = knownID ?? SHA256.hex(of: bytes)
        do {
            var assembler = BlockAssembler(docID: docID)
            let read = try read(bytes: bytes, source: source, into: &assembler, ocrProgress: ocrProgress)
            if assembler.blocks.isEmpty && !read.ocrPages.isEmpty {
                throw ExtractionError(
                    .noText,
                    "OCR found no words on its \(read.ocrPages.count) "
                        + "scanned page\(read.ocrPages.count == 1 ? "" : "s")"
                        + " (blank, only pictures, or images that cannot be decoded)")
            }
            if assembler.blocks.isEmpty && read.pagesWithoutText.isEmpty {
                throw ExtractionError(
                    .noText, "the \(read.mediaType == .pdf ? "PDF" : "file") was read but holds no text")
            }
            let title = read.title ?? assembler.blocks.first { $0.kind == .heading }?.text
            var record = DocumentRecord(
                docID: docID, source: source, mediaType: read.mediaType, pageCount: read.pageCount,
                title: title,
                extractor: ExtractorInfo(
                    name: read.extractorName, version: SightlineVersion.current, libraries: read.libraries),
                blockCount: assembler.blocks.count, wordCount: assembler.wordCount,
                pagesWithoutText: read.pagesWithoutText, warnings: read.warnings)
            if !read.ocrPages.isEmpty {
                record.ocrPages = read.ocrPages
                record.ocrLanguage = read.ocrLanguage
            }
            return .document(record, assembler.blocks)
        } catch let error as ExtractionError {
            return .failure(ErrorRecord(source: source, docID: docID, code: error.code, message: error.message))
        } catch {
            return .failure(ErrorRecord(source: source, docID: docID, code: .damaged, message: "\(error)"))
        }
    }

    /// An HTML file over the size limit is refused from its first bytes and
    /// its length, before it is copied or hashed (so it has no `doc_id`).
    func refuseBySize(_ data: Data, source: String) -> ErrorRecord? {
        refuseBySize(size: data.count, source: source) { data.prefix(Self.sniffLength) }
    }

    /// The same refusal worked out from the file's size and first bytes alone,
    /// so a batch can refuse an oversized page before hashing it.
    public func refuseBySize(fileAt path: String, source: String) -> ErrorRecord? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return refuseBySize(size: Int(info.st_size), source: source) {
            guard let handle = FileHandle(forReadingAtPath: path) else { return Data() }
            // Read-only sniffing: a file that cannot be read here is reported by the extraction that follows.
            defer { try? handle.close() }
            return (try? handle.read(upToCount: Self.sniffLength)) ?? Data()
        }
    }

    private static let sniffLength = 8192

    private func refuseBySize(size: Int, source: String, head: () -> Data) -> ErrorRecord? {
        guard size > options.maxHTMLBytes else { return nil }
        let ext = (source as NSString).pathExtension.lowercased()
        guard ext != "pdf" && ext != "docx", FormatSniffer.sniff(head()) == .html else { return nil }
        return ErrorRecord(
            source: source, docID: nil, code: .tooLarge,
            message: HTMLReader.tooLargeMessage(size: size, limit: options.maxHTMLBytes))
    }

    func read(
        bytes: [UInt8], source: String, into assembler: inout BlockAssembler, ocrProgress: ((Int) -> Void)? = nil
    ) throws -> ReadDocument {
        let ext = (source as NSString).pathExtension.lowercased()
        let sniffed = FormatSniffer.sniff(bytes)
        if sniffed == .empty { throw ExtractionError(.empty, "the file is empty (0 bytes): re-download or remove it") }
        if ext == "pdf" && sniffed != .pdf {
            throw ExtractionError(
                .notAPDF,
                "named .pdf but \(describe(sniffed, bytes)), not a PDF: "
                    + "probably a failed download; fetch the document again"
            )
        }
        if ext == "docx" && sniffed != .zip {
            throw ExtractionError(.notADOCX, "named .docx but \(describe(sniffed, bytes)), not a Word document")
        }
        var read = try readSniffed(sniffed, bytes: bytes, into: &assembler, ocrProgress: ocrProgress)
        if let expected = Self.expectedFormats[ext], !expected.contains(read.mediaType) {
            // A Word "web page" or RTF saved as .doc is common: it is read as what it holds, and said so.
            read.warnings.append(
                ExtractionWarning(
                    code: "format_differs_from_name",
                    message: "named .\(ext) but \(describe(sniffed, bytes)): read as \(read.mediaType.formatName)"))
        }
        return read
    }

    /// Word 2003's single-file XML (often named .doc or .xml): its root is `w:wordDocument`.
    static func isWord2003XML(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self)
        return head.hasPrefix("<?xml")
            && (head.contains("<w:wordDocument") || head.contains("progid=\"Word.Document\""))
    }

    /// The formats a file's extension promises, for the files whose bytes may hold another.
    static let expectedFormats: [String: Set<MediaType>] = [
        "doc": [.msword], "docx": [.docx], "rtf": [.rtf], "odt": [.odt], "html": [.html], "htm": [.html],
        "xhtml": [.html],
    ]

    private func readSniffed(
        _ sniffed: SniffedFormat, bytes: [UInt8], into assembler: inout BlockAssembler, ocrProgress: ((Int) -> Void)?
    ) throws -> ReadDocument {
        switch sniffed {
        case .pdf:
            return try PDFReader(options: options, ocr: ocr, progress: ocrProgress).read(bytes: bytes, into: &assembler)
        case .zip:
            let archive = try ZipArchive(bytes)
            if archive["word/document.xml"] == nil && ODTReader.isODT(archive) {
                return try ODTReader(options: options).read(archive: archive, into: &assembler)
            }
            return try DOCXReader(options: options).read(archive: archive, into: &assembler)
        case .rtf:
            return try RTFReader(options: options).read(bytes: bytes, into: &assembler)
        case .ole:
            return try DOCReader(options: options).read(bytes: bytes, into: &assembler)
        case .html:
            return try HTMLReader(options: options).read(bytes: bytes, into: &assembler)
        case .text, .utf16Text:
            if sniffed == .text, Self.isWord2003XML(bytes) {
                throw ExtractionError(
                    .unsupportedFormat,
                    "a Word 2003 XML document (WordprocessingML in one file), which Sightline does not read: "
                        + "open it in Word or LibreOffice and save it as .docx")
            }
            return try TextReader().read(bytes: bytes, utf16: sniffed == .utf16Text, into: &assembler)
        case .utf16TextWithoutBOM:
            throw ExtractionError(
                .invalidEncoding,
                "UTF-16 text without a byte-order mark, so its byte order is a guess: "
                    + "save it as UTF-8 (or as UTF-16 with a byte-order mark) and try again"
            )
        case .binary(let kind):
            throw ExtractionError(
                .unsupportedFormat, "the file holds \(kind), not a PDF, HTML, Word, OpenDocument, RTF or text document")
        case .empty:
            throw ExtractionError(.empty, "the file is empty (0 bytes)")
        }
    }

    func describe(_ sniffed: SniffedFormat, _ bytes: [UInt8]) -> String {
        switch sniffed {
        case .html:
            if let title = FormatSniffer.htmlTitle(bytes) { return "it holds an HTML page titled ‘\(title)’" }
            return "it holds an HTML page"
        case .zip: return "it holds a zip archive"
        case .text, .utf16Text: return "it holds plain text"
        case .utf16TextWithoutBOM: return "it holds UTF-16 text"
        case .binary(let kind): return "it holds \(kind)"
        case .pdf: return "it holds a PDF"
        case .rtf: return "it holds an RTF document"
        case .ole: return "it holds an old Office (OLE) file"
        case .empty: return "it is empty"
        }
    }
}

extension MediaType {
    /// The format's name in messages.
    var formatName: String {
        switch self {
        case .pdf: return "a PDF"
        case .html: return "HTML"
        case .docx: return "a Word (.docx) document"
        case .text: return "plain text"
        case .odt: return "an OpenDocument text"
        case .rtf: return "RTF"
        case .msword: return "a Word 97–2003 document"
        }
    }
}
