import Foundation
import SightlineCore
import Testing

@testable import SightlineExtract

/// Every kind of bad input gets an error record with a stable code and a
/// message naming the problem.
@Suite struct BadInputTests {
    static let cases: [(String, ErrorCode)] = [
        ("empty.pdf", .empty),
        ("truncated.pdf", .damaged),
        ("corrupt.pdf", .damaged),
        ("encrypted.pdf", .encrypted),
        ("image-only.pdf", .noTextLayer),
        ("html-error-page.pdf", .notAPDF),
        ("junk.pdf", .notAPDF),
        ("junk.docx", .notADOCX),
        ("junk.html", .unsupportedFormat),
        ("junk.txt", .unsupportedFormat),
        ("invalid-utf8.txt", .invalidEncoding),
        ("not-a-zip.docx", .notADOCX),
        ("malformed.docx", .damaged),
    ]

    @Test(arguments: cases)
    func fixtureIsReported(name: String, code: ErrorCode) throws {
        let url = TestPaths.fixtures.appendingPathComponent("bad/\(name)")
        try #require(
            FileManager.default.fileExists(atPath: url.path), "missing fixture \(name): run scripts/make-fixtures")
        // Without OCR, as before it existed: OCRTests reads scanned pages.
        var options = ExtractOptions()
        options.ocr = .never
        let outcome = Extractor(options: options).extract(path: url.path, source: "bad/\(name)")
        guard case .failure(let error) = outcome else {
            Issue.record("\(name) should fail with \(code.rawValue)")
            return
        }
        #expect(error.code == code, "\(name): \(error.message)")
        #expect(error.source == "bad/\(name)")
        #expect(!error.message.isEmpty)
    }

    @Test func htmlSavedAsPDFNamesWhatItHolds() throws {
        let url = TestPaths.fixtures.appendingPathComponent("bad/html-error-page.pdf")
        guard case .failure(let error) = Extractor().extract(path: url.path, source: "x.pdf") else {
            Issue.record("should fail")
            return
        }
        #expect(error.message.contains("HTML page"))
    }

    @Test func unreadablePath() {
        let outcome = Extractor().extract(path: "/nonexistent/review.pdf", source: "review.pdf")
        guard case .failure(let error) = outcome else {
            Issue.record("should fail")
            return
        }
        #expect(error.code == .unreadable)
        #expect(error.docID == nil)
    }

    @Test func deeplyNestedHTMLIsRefused() throws {
        let depth = 100_000
        var html = "<html><body>"
        html += String(repeating: "<div>", count: depth) + "deep text" + String(repeating: "</div>", count: depth)
        html += "</body></html>"
        let url = try temporaryFile("nested.html", Data(html.utf8))
        let outcome = Extractor().extract(path: url.path, source: "nested.html")
        guard case .failure(let error) = outcome else {
            Issue.record("a page nested 100,000 deep should be refused")
            return
        }
        #expect(error.code == .tooDeep)
    }

    @Test func hugeHTMLIsRefused() throws {
        var options = ExtractOptions()
        options.maxHTMLBytes = 1_000_000
        let paragraph = "<p>The child’s lived experience was not explored.</p>\n"
        let html = "<html><body>" + String(repeating: paragraph, count: 30_000) + "</body></html>"
        let url = try temporaryFile("huge.html", Data(html.utf8))
        guard case .failure(let error) = Extractor(options: options).extract(path: url.path, source: "huge.html") else {
            Issue.record("an HTML file over the limit should be refused")
            return
        }
        #expect(error.code == .tooLarge)
    }

    /// Fault corpus: a 200 MB page was copied and hashed before the size check refused it.
    @Test func oversizedHTMLIsRefusedBeforeItIsRead() throws {
        var options = ExtractOptions()
        options.maxHTMLBytes = 100_000
        let html =
            "<!DOCTYPE html><html><body>" + String(repeating: "<p>Text of the review.</p>\n", count: 10_000)
            + "</body></html>"
        let url = try temporaryFile("big.html", Data(html.utf8))
        guard case .failure(let error) = Extractor(options: options).extract(path: url.path, source: "big.html") else {
            Issue.record("an HTML file over the limit should be refused")
            return
        }
        #expect(error.code == .tooLarge)
        #expect(error.docID == nil, "refused from its size, never hashed")
        #expect(error.message.contains("limit"))
        // The same bytes named .pdf are still a page saved under the wrong name.
        let misnamed = try temporaryFile("big.pdf", Data(html.utf8))
        guard case .failure(let other) = Extractor(options: options).extract(path: misnamed.path, source: "big.pdf")
        else {
            Issue.record("should fail")
            return
        }
        #expect(other.code == .notAPDF)
    }

    /// Fault corpus: UTF-16 text without a byte-order mark was "binary data", with no hint of what to do.
    @Test func utf16WithoutByteOrderMarkNamesTheEncoding() throws {
        let text = "Child L review\n\nThe school did not know that Child L had been reported missing.\n"
        let url = try temporaryFile("no-bom.txt", Data(text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }))
        guard case .failure(let error) = Extractor().extract(path: url.path, source: "no-bom.txt") else {
            Issue.record("should fail")
            return
        }
        #expect(error.code == .invalidEncoding)
        #expect(error.message.contains("UTF-16") && error.message.contains("byte-order mark"))
    }

    /// Fault corpus: a text matrix scaled by 10^39 put glyphs at infinity, and the block's box was written as `inf`.
    @Test func infiniteGlyphPositionsGiveValidLines() throws {
        let content =
            "BT /F1 11 Tf 1000000000000000000000000000000000000000 0 0 "
            + "1000000000000000000000000000000000000000 72 700 Tm (Scaled) Tj ET "
            + "BT /F1 11 Tf 72 600 Td (Ordinary text on the page.) Tj ET"
        let url = try temporaryFile("infinite.pdf", Data(minimalPDF(content: content).utf8))
        guard case .document(_, let blocks) = Extractor().extract(path: url.path, source: "infinite.pdf") else {
            Issue.record("the page's ordinary text should be read")
            return
        }
        #expect(blocks.contains { $0.text.contains("Ordinary text on the page.") })
        #expect(blocks.allSatisfy { $0.bbox?.isFinite ?? true })
        var line: [UInt8] = []
        for block in blocks { Wire.append(block, to: &line) }
        for piece in line.split(separator: 0x0A) {
            #expect(throws: Never.self) { try JSONDecoder().decode(BlockRecord.self, from: Data(piece)) }
        }
    }

    /// Found by fuzzing: a zip whose end-of-central-directory record is missing or cut short made
    /// ZIPFoundation scan the whole file a byte at a time and leak its copy of the bytes.
    @Test func truncatedDOCXIsDamaged() throws {
        let whole = try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("good/small.docx"))
        for cut in [whole.count / 2, whole.count - 10] {
            let url = try temporaryFile("cut.docx", whole.prefix(cut))
            guard case .failure(let error) = Extractor().extract(path: url.path, source: "cut.docx") else {
                Issue.record("a DOCX cut to \(cut) bytes should fail")
                continue
            }
            #expect(error.code == .damaged)
            #expect(error.message.contains("truncated"))
        }
        // A record whose comment runs past the end of the file.
        var comment = [UInt8](whole)
        comment[comment.count - 2] = 0xFF
        let url = try temporaryFile("comment.docx", Data(comment))
        guard case .failure(let error) = Extractor().extract(path: url.path, source: "comment.docx") else {
            Issue.record("should fail")
            return
        }
        #expect(error.code == .damaged)
        #expect(ZipArchive.endOfCentralDirectory(in: [UInt8](whole)) == whole.count - 22)
    }

    /// Found by fuzzing: a central-directory entry pointing past the end of the file trapped inside
    /// ZIPFoundation's in-memory archive (a reversed Range), killing the worker.
    @Test func zipOffsetPastTheEndIsAnError() throws {
        var bytes = [UInt8](try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("good/small.docx")))
        var patched = 0
        var i = 0
        while i + 46 <= bytes.count {
            if bytes[i] == 0x50 && bytes[i + 1] == 0x4B && bytes[i + 2] == 0x01 && bytes[i + 3] == 0x02 {
                bytes.replaceSubrange((i + 42)..<(i + 46), with: [0xF0, 0xFF, 0xFF, 0x0F]) // local header at 256 MiB
                patched += 1
            }
            i += 1
        }
        try #require(patched > 0)
        let url = try temporaryFile("offsets.docx", Data(bytes))
        guard case .failure(let error) = Extractor().extract(path: url.path, source: "offsets.docx") else {
            Issue.record("should fail")
            return
        }
        #expect([ErrorCode.notADOCX, .damaged].contains(error.code), "\(error)")
    }

    /// Found by fuzzing: a deflate stream that runs to the end of its data without finishing
    /// (here a stored block promising 65,535 bytes and holding 10) made ZIPFoundation loop forever.
    @Test func deflateStreamThatNeverEndsIsDamaged() throws {
        let unfinished: [UInt8] = [0x00, 0xFF, 0xFF, 0x00, 0x00] + Array("<w:document".utf8.prefix(10))
        let zip = zipArchive([("word/document.xml", 8, unfinished)])
        let url = try temporaryFile("unfinished.docx", Data(zip))
        guard case .failure(let error) = Extractor().extract(path: url.path, source: "unfinished.docx") else {
            Issue.record("should fail")
            return
        }
        #expect(error.code == .damaged)
        #expect(error.message.contains("word/document.xml"))
    }

    /// A damaged part that is never read (an image) does not stop the document being read.
    @Test func damagedUnusedZipEntryIsIgnored() throws {
        let body = Array(
            (#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#
                + "<w:p><w:r><w:t>Read despite the image.</w:t></w:r></w:p></w:body></w:document>").utf8)
        var zip = zipArchive([("word/document.xml", 0, body), ("word/media/image1.png", 0, [1, 2, 3])])
        zip[30 + "word/document.xml".utf8.count + body.count] = 0x00 // the image's local header signature
        let url = try temporaryFile("image.docx", Data(zip))
        let outcome = Extractor().extract(path: url.path, source: "image.docx")
        guard case .document(_, let blocks) = outcome else {
            Issue.record("the document should be read: \(outcome)")
            return
        }
        #expect(blocks.map(\.text) == ["Read despite the image."])
    }

    @Test func zipWithoutWordDocumentIsNotADOCX() throws {
        // A zip holding only a text file.
        let zip: [UInt8] = [
            0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x86, 0xA6, 0x10, 0x36, 1, 0, 0, 0, 1, 0, 0, 0, 5,
            0, 0, 0,
            0x61, 0x2E, 0x74, 0x78, 0x74, 0x78,
            0x50, 0x4B, 0x01, 0x02, 0x14, 0, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x86, 0xA6, 0x10, 0x36, 1, 0, 0, 0, 1, 0,
            0, 0, 5, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x61, 0x2E, 0x74, 0x78, 0x74,
            0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0, 1, 0, 1, 0, 0x33, 0, 0, 0, 0x24, 0, 0, 0, 0, 0,
        ]
        let url = try temporaryFile("notword.docx", Data(zip))
        guard case .failure(let error) = Extractor().extract(path: url.path, source: "notword.docx") else {
            Issue.record("should fail")
            return
        }
        #expect(error.code == .notADOCX)
    }
}

/// A zip of (name, method, data) entries; the data is written as given (already deflated for
/// method 8), each entry's CRC-32 being that of its data.
func zipArchive(_ entries: [(String, UInt16, [UInt8])]) -> [UInt8] {
    func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
    func le32(_ value: UInt32) -> [UInt8] { le16(Int(value & 0xFFFF)) + le16(Int(value >> 16)) }
    func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
    var out: [UInt8] = []
    var directory: [UInt8] = []
    for (name, method, data) in entries {
        let offset = UInt32(out.count)
        let common =
            le16(20) + le16(0) + le16(Int(method)) + le16(0) + le16(0x21) + le32(crc32(data)) + le32(UInt32(data.count))
            + le32(UInt32(data.count))
            + le16(name.utf8.count) + le16(0)
        out += [0x50, 0x4B, 0x03, 0x04] + common + Array(name.utf8) + data
        directory +=
            [0x50, 0x4B, 0x01, 0x02] + le16(20) + common + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset)
            + Array(name.utf8)
    }
    let start = UInt32(out.count)
    out += directory
    out +=
        [0x50, 0x4B, 0x05, 0x06] + le16(0) + le16(0) + le16(entries.count) + le16(entries.count)
        + le32(UInt32(directory.count)) + le32(start) + le16(0)
    return out
}

/// A one-page PDF with Helvetica as /F1 and `content` as its page's content stream, with a correct
/// cross-reference table.
func minimalPDF(content: String) -> String {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            + "/Contents 5 0 R >>",
        "<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream",
    ]
    var pdf = "%PDF-1.7\n"
    var offsets: [Int] = []
    for (number, body) in objects.enumerated() {
        offsets.append(pdf.utf8.count)
        pdf += "\(number + 1) 0 obj\n\(body)\nendobj\n"
    }
    let xref = pdf.utf8.count
    pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
    for offset in offsets { pdf += String(repeating: "0", count: 10 - String(offset).count) + "\(offset) 00000 n \n" }
    pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
    return pdf
}

func temporaryFile(_ name: String, _ data: Data) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sightline-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent(name)
    try data.write(to: url)
    return url
}
