import Foundation
import SightlineCore

/// Reads the pages of one PDF that need OCR: renders each with poppler at a
/// resolution that suits Tesseract and the memory limit, recognises it, and
/// keeps what the document record and its warnings report.
struct PageRecogniser {
    let options: ExtractOptions
    let session: OCRSession
    /// 1-based indexes of the pages whose text came from OCR, in page order.
    private(set) var pages: [Int] = []
    /// Each recognised page's mean word confidence (pages with words only).
    private(set) var confidences: [(page: Int, confidence: Double)] = []
    /// Pages too large to render within the memory limit at a resolution OCR can use.
    private(set) var tooLarge: [Int] = []
    /// Pages Tesseract or cairo failed on (for want of memory, mostly).
    private(set) var failed: [Int] = []
    /// Why OCR is not available here, once asked.
    private(set) var unavailable: String?

    /// Tesseract reads body text best with capitals 20 or more pixels high:
    /// 300 pixels an inch for 10-12 point type. A scanned page is rendered at
    /// the density its image was scanned at, when that is lower (150 at the
    /// least): more pixels than the scan has add no detail, and Tesseract's
    /// time grows with them (a 200 dpi scan read at 300 took a quarter longer).
    static let preferredPPI = 300.0
    static let lowestScanPPI = 150.0
    /// Below this, small type is lost; a page that cannot be rendered this finely is not read.
    static let minimumPPI = 70.0
    /// Never more pixels than this on one page (an A4 page at 300 ppi has 8.7 million).
    static let maximumPixels = 64_000_000.0
    /// Bytes a rendered pixel costs at the peak: cairo's image (4), the grey copy (1),
    /// and Tesseract's own images and working memory.
    static let bytesPerPixel = 10.0
    /// Memory the worker needs besides the page's pixels (poppler, Tesseract's models).
    static let reservedMB = 768
    /// Pages whose mean word confidence is under this are warned about.
    public static let lowConfidence = 70.0

    init(options: ExtractOptions, session: OCRSession) {
        self.options = options
        self.session = session
    }

    /// The resolution to render a page of `width` by `height` points at, or nil when even
    /// `minimumPPI` would not fit the pixel budget.
    static func resolution(width: Double, height: Double, memoryLimitMB: Int, scannedAt: Double? = nil) -> Double? {
        var budget = maximumPixels
        if memoryLimitMB > 0 {
            let spare = max(memoryLimitMB / 4, memoryLimitMB - reservedMB)
            budget = min(budget, Double(spare) * 1_048_576 / bytesPerPixel)
        }
        let squareInches = max(width, 1) / 72 * max(height, 1) / 72
        // cairo images are at most 32,767 pixels a side.
        let sideLimit = 32_000 / (max(width, height, 1) / 72)
        let wanted = scannedAt.map { min(preferredPPI, max(lowestScanPPI, $0.rounded())) } ?? preferredPPI
        let ppi = min(wanted, (budget / squareInches).squareRoot(), sideLimit)
        return ppi >= minimumPPI ? ppi : nil
    }

    /// Replaces `layout`'s lines with the words OCR finds on `page`; leaves them
    /// as they are when OCR is unavailable or the page cannot be rendered.
    mutating func recognise(_ page: PopplerPage, into layout: inout LayoutPage) {
        if unavailable != nil { return }
        if let reason = session.unavailability {
            unavailable = reason
            return
        }
        let (width, height) = page.size
        // A page with a text layer (read again under --ocr always) is not a scan: its type is drawn at any size.
        let scannedAt = layout.hasText ? nil : page.largestImageDensity
        guard
            let ppi = Self.resolution(
                width: width, height: height, memoryLimitMB: options.memoryLimitMB, scannedAt: scannedAt)
        else {
            tooLarge.append(layout.index)
            return
        }
        let text = page.render(ppi: ppi) { pixels, columns, rows, stride in
            session.recognise(pixels: pixels, width: columns, height: rows, stride: stride, ppi: ppi)
        }
        guard let text = text ?? nil else {
            failed.append(layout.index)
            return
        }
        layout.lines = text.lines
        layout.isOCR = true
        pages.append(layout.index)
        if let confidence = text.meanConfidence { confidences.append((layout.index, confidence)) }
    }

    /// Why scanned pages were not read, as a clause for a message ("" when they were).
    func whyNotRead(_ options: ExtractOptions) -> String {
        if options.ocr == .never { return " and OCR is off (--ocr never)" }
        if let unavailable { return " and OCR is unavailable here: \(unavailable)" }
        if !tooLarge.isEmpty {
            return " and \(Self.pageList(tooLarge)) too large to render for OCR within the memory limit"
        }
        if !failed.isEmpty { return " and OCR failed on \(Self.pageList(failed))" }
        return ""
    }

    static func pageList(_ pages: [Int]) -> String {
        (pages.count == 1 ? "page " : "pages ") + pages.map(String.init).joined(separator: ", ")
    }

    /// The warnings OCR leaves on the document record.
    func warnings(pageCount: Int) -> [ExtractionWarning] {
        var warnings: [ExtractionWarning] = []
        let low = confidences.filter { $0.confidence < Self.lowConfidence }
        if !low.isEmpty {
            let list = low.map { "\($0.page) (\(Int($0.confidence.rounded())))" }.joined(separator: ", ")
            warnings.append(
                ExtractionWarning(
                    code: "ocr_low_confidence",
                    message:
                        "\(low.count) of \(pages.count) pages read by OCR have a mean word confidence under "
                        + "\(Int(Self.lowConfidence)), so their text may be wrong: page (confidence) \(list)",
                    pages: low.map(\.page)))
        }
        if !tooLarge.isEmpty {
            warnings.append(
                ExtractionWarning(
                    code: "ocr_page_too_large",
                    message:
                        "\(Self.pageList(tooLarge)) too large to render for OCR within the memory limit of "
                        + "\(options.memoryLimitMB) MiB (raise --memory-limit-mb): not read",
                    pages: tooLarge))
        }
        if !failed.isEmpty {
            warnings.append(
                ExtractionWarning(
                    code: "ocr_failed",
                    message:
                        "OCR failed on \(Self.pageList(failed)) (the page could not be rendered or recognised, "
                        + "usually for want of memory): not read",
                    pages: failed))
        }
        return warnings
    }
}
