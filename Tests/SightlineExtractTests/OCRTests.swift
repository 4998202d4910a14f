import Foundation
import SightlineCore
import Testing

@testable import SightlineExtract

/// Whether Tesseract and its English data are here; the OCR tests skip, saying so, when not.
enum Tesseract {
    static let missing = OCRLibrary.unavailability(language: "eng")
    static let available = missing == nil
    static var skipReason: Comment {
        let why = "Tesseract is not available (\(missing ?? "")): "
        return Comment(rawValue: why + "install tesseract-ocr and tesseract-ocr-eng (scripts/setup does)")
    }
}

/// Scanned pages read by OCR (fixtures from scripts/make-fixtures, see scripts/corpus/ocr_fixtures.py).
@Suite(.enabled(if: Tesseract.available, Tesseract.skipReason))
struct OCRTests {
    static let folder = TestPaths.fixtures.appendingPathComponent("ocr")

    func extract(
        _ name: String, ocr: OCRMode = .auto, memoryLimitMB: Int = 4096, language: String = "eng", folder: URL = folder
    )
        -> ExtractionOutcome
    {
        var options = ExtractOptions()
        options.ocr = ocr
        options.memoryLimitMB = memoryLimitMB
        options.ocrLanguage = language
        return Extractor(options: options).extract(path: folder.appendingPathComponent(name).path, source: name)
    }

    /// Of the words in `reference` (lower-cased runs of letters and digits), the fraction found in `text`, each
    /// counted at most as often as the reference has it.
    static func recovery(reference: String, text: String) -> Double {
        func bag(_ text: String) -> [String: Int] {
            var counts: [String: Int] = [:]
            for word in WordAccuracy.words(text.lowercased()) { counts[String(word), default: 0] += 1 }
            return counts
        }
        let want = bag(reference)
        let got = bag(text)
        let total = want.values.reduce(0, +)
        let found = want.reduce(0) { $0 + min($1.value, got[$1.key] ?? 0) }
        return total == 0 ? 1 : Double(found) / Double(total)
    }

    @Test func scannedPagesBecomeOrdinaryBlocks() throws {
        guard case .document(let document, let blocks) = extract("scanned.pdf") else {
            Issue.record("scanned.pdf was not read: \(extract("scanned.pdf"))")
            return
        }
        let truth = try String(contentsOf: Self.folder.appendingPathComponent("scanned.truth.txt"), encoding: .utf8)
        let recovered = Self.recovery(reference: truth, text: blocks.map(\.text).joined(separator: " "))
        #expect(recovered >= 0.95, "recovered \(recovered) of the scanned words")
        #expect(document.ocrPages == [1, 2, 3, 4])
        #expect(document.ocrLanguage == "eng")
        #expect(document.extractor.libraries["tesseract"] == OCRLibrary.version)
        #expect(document.pagesWithoutText == [1, 2, 3, 4])
        // The blank page and the logo give no text and no warning; the cleaning made a heading and paragraphs.
        #expect(Set(blocks.map(\.page)) == [1, 4])
        #expect(document.warnings.isEmpty, "\(document.warnings)")
        #expect(blocks.first?.kind == .heading && blocks.first?.text == "Serious Case Review: Child R")
        #expect(blocks.filter { $0.kind == .paragraph }.count == 4)
        for block in blocks {
            let confidence = try #require(block.ocrConfidence, "block \(block.index) does not say it came from OCR")
            #expect(confidence > 70 && confidence <= 100)
        }
        #expect(document.title == "Serious Case Review: Child R")
    }

    @Test func blankAndLogoPagesAloneAreNoTextNotACrash() {
        guard case .failure(let error) = extract("logo-only.pdf") else {
            Issue.record("a blank page and a logo gave text")
            return
        }
        #expect(error.code == .noText)
        #expect(error.message.contains("OCR found no words on its 2 scanned pages"))
    }

    @Test func pageTooLargeToRenderIsSkippedAndNamed() throws {
        for limit in [1024, 0] {
            guard case .document(let document, let blocks) = extract("huge-page.pdf", memoryLimitMB: limit) else {
                Issue.record("huge-page.pdf was not read (limit \(limit))")
                continue
            }
            let warning = try #require(document.warnings.first { $0.code == "ocr_page_too_large" })
            #expect(warning.pages == [2])
            #expect(warning.message.contains("page 2"))
            #expect(document.ocrPages == nil)
            #expect(Set(blocks.map(\.page)) == [1])
            #expect(blocks.allSatisfy { $0.ocrConfidence == nil })
        }
    }

    @Test func resolutionFitsTheMemoryLimit() {
        // A4: 300 ppi whenever memory allows; less under a tight limit; never below 70 ppi.
        #expect(PageRecogniser.resolution(width: 595, height: 842, memoryLimitMB: 4096) == 300)
        #expect(PageRecogniser.resolution(width: 595, height: 842, memoryLimitMB: 0) == 300)
        let tight = PageRecogniser.resolution(width: 595, height: 842, memoryLimitMB: 256)
        #expect(tight != nil && tight! < 300 && tight! >= 70)
        #expect(PageRecogniser.resolution(width: 14400, height: 14400, memoryLimitMB: 0) == nil)
        // A scan is read at the density it was scanned at, between 150 and 300.
        #expect(PageRecogniser.resolution(width: 595, height: 842, memoryLimitMB: 4096, scannedAt: 200.2) == 200)
        #expect(PageRecogniser.resolution(width: 595, height: 842, memoryLimitMB: 4096, scannedAt: 72) == 150)
        #expect(PageRecogniser.resolution(width: 595, height: 842, memoryLimitMB: 4096, scannedAt: 600) == 300)
        // A0 poster: fewer pixels than 300 ppi would need.
        let poster = PageRecogniser.resolution(width: 2384, height: 3370, memoryLimitMB: 4096)
        #expect(poster != nil && poster! < 300)
    }

    @Test func aScanIsMeasuredAtTheDensityItWasScannedAt() throws {
        let bytes = try [UInt8](Data(contentsOf: Self.folder.appendingPathComponent("scanned.pdf")))
        let document = try PopplerDocument(bytes: bytes)
        // The fixture's pages are 200 dpi scans of A5; a page of text with no image has no density.
        let density = try #require(document.page(at: 0)?.largestImageDensity)
        #expect(abs(density - 200) < 2, "\(density)")
        let corrupt = try PopplerDocument(
            bytes: [UInt8](Data(contentsOf: Self.folder.appendingPathComponent("corrupt-image.pdf"))))
        #expect(corrupt.page(at: 0)?.largestImageDensity == nil)
    }

    @Test func corruptImageStreamGivesNoTextAndNoCrash() {
        guard case .document(let document, let blocks) = extract("corrupt-image.pdf") else {
            Issue.record("corrupt-image.pdf was not read: \(extract("corrupt-image.pdf"))")
            return
        }
        #expect(document.pagesWithoutText == [2])
        #expect(Set(blocks.map(\.page)) == [1])
        #expect(blocks.count == 3)
    }

    @Test func ocrNeverKeepsTheOldErrorAndWarning() {
        guard case .failure(let error) = extract("scanned.pdf", ocr: .never) else {
            Issue.record("--ocr never read a scanned PDF")
            return
        }
        #expect(error.code == .noTextLayer)
        #expect(error.message.contains("OCR is off"))
    }

    @Test func missingLanguageDataKeepsNoTextLayer() {
        guard case .failure(let error) = extract("scanned.pdf", language: "zz-no-such-language") else {
            Issue.record("read with language data that does not exist")
            return
        }
        #expect(error.code == .noTextLayer)
        #expect(error.message.contains("no language data for 'zz-no-such-language'"), "\(error.message)")
    }

    @Test func alwaysReadsTextLayerPagesAgain() throws {
        let good = TestPaths.fixtures.appendingPathComponent("good")
        guard case .document(let document, let blocks) = extract("small.pdf", ocr: .always, folder: good),
            case .document(_, let textLayer) = extract("small.pdf", ocr: .auto, folder: good)
        else {
            Issue.record("small.pdf was not read")
            return
        }
        #expect(document.ocrPages == [1, 2])
        #expect(blocks.allSatisfy { $0.ocrConfidence != nil })
        #expect(textLayer.allSatisfy { $0.ocrConfidence == nil })
        let truth = try TruthBlock.load(good.appendingPathComponent("small.truth.jsonl")).map(\.text).joined(
            separator: " ")
        let recovered = Self.recovery(reference: truth, text: blocks.map(\.text).joined(separator: " "))
        #expect(recovered >= 0.95, "recovered \(recovered)")
    }

    @Test func bulletGuessesBecomeBullets() {
        #expect(OCRSession.isBulletGuess(["m"], confidence: 30))
        #expect(OCRSession.isBulletGuess(["m", "™"], confidence: 40))
        #expect(!OCRSession.isBulletGuess(["m"], confidence: 96))
        #expect(!OCRSession.isBulletGuess(["1", "."], confidence: 30))
        #expect(!OCRSession.isBulletGuess(["T", "h", "e"], confidence: 30))
    }
}
