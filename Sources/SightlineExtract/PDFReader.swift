import CPoppler
import CSightlineSupport
import Foundation
import SightlineCore

/// Reads PDFs with poppler-glib: page text in poppler's reading order, one
/// box per character, font size and weight per character, page labels.
/// Everything C stays in this file; the cleaning is `PDFLayoutCleaner`'s.
struct PDFReader {
    var options: ExtractOptions
    var ocr: OCRSession
    /// Hears of each page read by OCR (the count so far).
    var progress: ((Int) -> Void)? = nil

    static var popplerVersion: String { String(cString: poppler_get_version()) }

    func read(bytes: [UInt8], into assembler: inout BlockAssembler) throws -> ReadDocument {
        sightline_lcms_set_bypass(options.bypassColourManagement ? 1 : 0)
        let document = try PopplerDocument(bytes: bytes)
        let pageCount = document.pageCount
        var pages: [LayoutPage] = []
        pages.reserveCapacity(pageCount)
        var pagesWithoutText: [Int] = []
        var blankPages = 0
        var recogniser = PageRecogniser(options: options, session: ocr)
        for index in 0..<pageCount {
            guard let page = document.page(at: index) else {
                throw ExtractionError(.damaged, "page \(index + 1) of \(pageCount) cannot be read: the PDF is damaged")
            }
            var layout = page.layout(index: index + 1)
            var scanned = false
            if !layout.hasText {
                if page.hasImages {
                    pagesWithoutText.append(index + 1)
                    scanned = true
                } else {
                    blankPages += 1
                }
            }
            // Pages with a text layer cost nothing more unless every page is to be read again.
            if options.ocr == .always || (options.ocr == .auto && scanned) {
                recogniser.recognise(page, into: &layout)
                if layout.isOCR { progress?(recogniser.pages.count) }
            }
            pages.append(layout)
        }
        let notRead = pagesWithoutText.filter { !recogniser.pages.contains($0) }
        let allScanned = pagesWithoutText.count + blankPages == pageCount
        if pageCount > 0 && allScanned && !notRead.isEmpty && recogniser.pages.isEmpty {
            throw ExtractionError(
                .noTextLayer,
                "none of the \(pageCount) pages has a text layer (a scanned document)"
                    + "\(recogniser.whyNotRead(options)): run OCR on it first, for example with ocrmypdf")
        }
        if pageCount == 0 {
            throw ExtractionError(
                .damaged,
                "poppler finds no pages in the PDF (its page tree is empty, missing or claims an impossible "
                    + "page count): the file is damaged"
            )
        }
        PDFLayoutCleaner().assemble(pages: pages, into: &assembler)
        var warnings: [ExtractionWarning] = []
        let skipped = Set(recogniser.tooLarge + recogniser.failed)
        let needing = notRead.filter { !skipped.contains($0) }
        if !needing.isEmpty {
            let list = needing.map(String.init).joined(separator: ", ")
            warnings.append(
                ExtractionWarning(
                    code: "needs_ocr",
                    message:
                        "\(needing.count) of \(pageCount) pages have no text layer (scanned images) and were not read"
                        + "\(recogniser.whyNotRead(options)): page\(needing.count == 1 ? "" : "s") \(list); "
                        + "run OCR to include them",
                    pages: needing))
        }
        warnings += recogniser.warnings(pageCount: pageCount)
        var libraries = ["poppler": Self.popplerVersion]
        if !recogniser.pages.isEmpty, let version = OCRLibrary.version { libraries["tesseract"] = version }
        return ReadDocument(
            mediaType: .pdf, pageCount: pageCount, title: document.title, extractorName: "poppler-glib",
            libraries: libraries, pagesWithoutText: pagesWithoutText, warnings: warnings,
            ocrPages: recogniser.pages, ocrLanguage: recogniser.pages.isEmpty ? nil : options.ocrLanguage)
    }
}

/// Owns a `PopplerDocument*`.
final class PopplerDocument {
    private let pointer: OpaquePointer
    private let bytes: OpaquePointer // GBytes*, kept alive as long as the document

    init(bytes data: [UInt8]) throws {
        let gbytes = data.withUnsafeBytes { g_bytes_new($0.baseAddress, gsize($0.count)) }
        guard let gbytes else { throw ExtractionError(.damaged, "cannot hand the PDF to poppler") }
        var error: UnsafeMutablePointer<GError>? = nil
        guard let document = poppler_document_new_from_bytes(gbytes, nil, &error) else {
            g_bytes_unref(gbytes)
            defer { if error != nil { g_error_free(error) } }
            throw Self.translate(error)
        }
        self.pointer = document
        self.bytes = gbytes
    }

    deinit {
        sightline_g_object_unref(UnsafeMutableRawPointer(pointer))
        g_bytes_unref(bytes)
    }

    /// Turns poppler's GError into one of our error codes, at the boundary.
    static func translate(_ error: UnsafeMutablePointer<GError>?) -> ExtractionError {
        guard let error else { return ExtractionError(.damaged, "poppler could not open the PDF") }
        let message = error.pointee.message.map { String(cString: $0) } ?? "unknown error"
        guard error.pointee.domain == poppler_error_quark() else {
            return ExtractionError(.damaged, "poppler could not open the PDF: \(message)")
        }
        switch UInt32(bitPattern: error.pointee.code) {
        case POPPLER_ERROR_ENCRYPTED.rawValue:
            return ExtractionError(
                .encrypted,
                "the PDF is encrypted and needs a password to open; ask the publisher for an unprotected copy")
        case POPPLER_ERROR_OPEN_FILE.rawValue:
            return ExtractionError(.unreadable, "poppler could not open the file: \(message)")
        default:
            return ExtractionError(.damaged, "the PDF is damaged or truncated (\(message)); download it again")
        }
    }

    var pageCount: Int { Int(poppler_document_get_n_pages(pointer)) }

    var title: String? {
        guard let raw = poppler_document_get_title(pointer) else { return nil }
        defer { sightline_g_free(raw) }
        let title = String(cString: raw).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        let lower = title.lowercased()
        if title.isEmpty || lower == "untitled" || lower.hasSuffix(".doc") || lower.hasSuffix(".docx")
            || lower.hasSuffix(".pdf")
            || lower.hasPrefix("microsoft word") || lower.hasPrefix("microsoft powerpoint")
        {
            return nil
        }
        return title
    }

    func page(at index: Int) -> PopplerPage? {
        guard let page = poppler_document_get_page(pointer, Int32(index)) else { return nil }
        return PopplerPage(page)
    }
}

/// Owns a `PopplerPage*`.
final class PopplerPage {
    private let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { sightline_g_object_unref(UnsafeMutableRawPointer(pointer)) }

    var size: (width: Double, height: Double) {
        var width = 0.0
        var height = 0.0
        poppler_page_get_size(pointer, &width, &height)
        return (width, height)
    }

    /// Renders the page on white at `ppi` pixels an inch into a cairo RGB24
    /// image and hands its pixels, width, height and row stride to `body`; nil
    /// when cairo cannot make an image that size (out of memory).
    func render<T>(ppi: Double, _ body: (UnsafePointer<UInt8>, Int, Int, Int) -> T) -> T? {
        let (width, height) = size
        let columns = Int32(max(1, (width * ppi / 72).rounded(.up)))
        let rows = Int32(max(1, (height * ppi / 72).rounded(.up)))
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, columns, rows) else { return nil }
        defer { cairo_surface_destroy(surface) }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, let context = cairo_create(surface) else {
            return nil
        }
        defer { cairo_destroy(context) }
        cairo_set_source_rgb(context, 1, 1, 1)
        cairo_paint(context)
        cairo_scale(context, ppi / 72, ppi / 72)
        poppler_page_render(pointer, context)
        cairo_surface_flush(surface)
        guard cairo_status(context) == CAIRO_STATUS_SUCCESS, let data = cairo_image_surface_get_data(surface) else {
            return nil
        }
        return body(data, Int(columns), Int(rows), Int(cairo_image_surface_get_stride(surface)))
    }

    /// The pixel density (pixels an inch) at which the page's largest image is
    /// stored, or nil when the page has none. Decodes that image once.
    var largestImageDensity: Double? {
        guard let list = poppler_page_get_image_mapping(pointer) else { return nil }
        defer { poppler_page_free_image_mapping(list) }
        var largest: (area: Double, squareInches: Double, id: Int32)? = nil
        var node: UnsafeMutablePointer<GList>? = list
        while let current = node {
            if let mapping = current.pointee.data?.assumingMemoryBound(to: PopplerImageMapping.self) {
                let box = mapping.pointee.area
                let area = abs(box.x2 - box.x1) * abs(box.y2 - box.y1)
                if area > (largest?.area ?? 0) { largest = (area, area / (72 * 72), mapping.pointee.image_id) }
            }
            node = current.pointee.next
        }
        guard let largest, largest.squareInches > 0, let image = poppler_page_get_image(pointer, largest.id) else {
            return nil
        }
        defer { cairo_surface_destroy(image) }
        let pixels = Double(cairo_image_surface_get_width(image)) * Double(cairo_image_surface_get_height(image))
        // From areas, so that an image turned a quarter on the page gives the same density.
        return pixels > 0 ? (pixels / largest.squareInches).squareRoot() : nil
    }

    var hasImages: Bool {
        guard let list = poppler_page_get_image_mapping(pointer) else { return false }
        poppler_page_free_image_mapping(list)
        return true
    }

    /// The page's text as lines of glyphs in poppler's reading order.
    func layout(index: Int) -> LayoutPage {
        var width = 0.0
        var height = 0.0
        poppler_page_get_size(pointer, &width, &height)
        var label: String? = nil
        if let raw = poppler_page_get_label(pointer) {
            label = String(cString: raw)
            sightline_g_free(raw)
            if label?.isEmpty == true { label = nil }
        }
        guard let rawText = poppler_page_get_text(pointer) else {
            return LayoutPage(index: index, label: label, width: Float(width), height: Float(height), lines: [])
        }
        let text = String(cString: rawText)
        sightline_g_free(rawText)

        var rects: UnsafeMutablePointer<PopplerRectangle>? = nil
        var rectCount: guint = 0
        _ = poppler_page_get_text_layout(pointer, &rects, &rectCount)
        defer { if let rects { sightline_g_free(rects) } }

        let scalars = Array(text.unicodeScalars)
        var sizes = [Float](repeating: 0, count: scalars.count)
        var bold = [Bool](repeating: false, count: scalars.count)
        if let attributes = poppler_page_get_text_attributes(pointer) {
            var node: UnsafeMutablePointer<GList>? = attributes
            while let current = node {
                if let attr = current.pointee.data?.assumingMemoryBound(to: PopplerTextAttributes.self) {
                    let start = max(0, Int(attr.pointee.start_index))
                    let end = min(scalars.count - 1, Int(attr.pointee.end_index))
                    let isBold = attr.pointee.font_name.map { Self.isBoldFont(String(cString: $0)) } ?? false
                    if start <= end {
                        for i in start...end {
                            sizes[i] = Float(attr.pointee.font_size)
                            bold[i] = isBold
                        }
                    }
                }
                node = current.pointee.next
            }
            poppler_page_free_text_attributes(attributes)
        }

        var lines: [LayoutLine] = []
        var glyphs: [LayoutGlyph] = []
        let count = min(scalars.count, Int(rectCount))
        for i in 0..<scalars.count {
            let scalar = scalars[i]
            if scalar == "\n" {
                if !glyphs.isEmpty { lines.append(LayoutLine(glyphs: glyphs)) }
                glyphs.removeAll(keepingCapacity: true)
                continue
            }
            guard i < count, let rects else { continue }
            let r = rects[i]
            let glyph = LayoutGlyph(
                scalar: scalar, x0: Float(r.x1), y0: Float(r.y1), x1: Float(r.x2), y1: Float(r.y2),
                size: sizes[i].isFinite ? sizes[i] : 0, bold: bold[i])
            // A broken text matrix can put a glyph at an infinite or undefined
            // position (or past Float's range): it is not on the page.
            guard glyph.x0.isFinite && glyph.y0.isFinite && glyph.x1.isFinite && glyph.y1.isFinite else { continue }
            glyphs.append(glyph)
        }
        if !glyphs.isEmpty { lines.append(LayoutLine(glyphs: glyphs)) }
        return LayoutPage(index: index, label: label, width: Float(width), height: Float(height), lines: lines)
    }

    static func isBoldFont(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.contains("bold") || lower.contains("black") || lower.contains("heavy")
            || lower.contains("semibold")
            || lower.contains("demi")
    }
}
