import Foundation
import SightlineExtract
import Testing

@testable import SightlineCLI
@testable import SightlinePipeline

/// `--ocr` on the command line: the workers read scanned pages, progress
/// lines from them do not disturb the frames, and the cache re-extracts only
/// the documents whose result depends on the OCR settings.
@Suite(
    .serialized,
    .enabled(
        if: OCRLibrary.unavailability(language: "eng") == nil,
        "Tesseract is not available: install tesseract-ocr and tesseract-ocr-eng (scripts/setup does)"))
struct OCRCommandTests {
    static let fixtures = CommandRunner.repository.appendingPathComponent("Tests/SightlineExtractTests/Fixtures")

    /// A folder with one text-layer PDF and one scanned PDF.
    func inputs(in folder: URL) throws -> URL {
        let inputs = folder.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Self.fixtures.appendingPathComponent("good/small.pdf"), to: inputs.appendingPathComponent("a-text.pdf"))
        try FileManager.default.copyItem(
            at: Self.fixtures.appendingPathComponent("ocr/scanned.pdf"),
            to: inputs.appendingPathComponent("b-scanned.pdf"))
        return inputs
    }

    func records(_ out: URL) throws -> [[String: Any]] {
        let text = try String(contentsOf: out.appendingPathComponent("documents.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    @Test func workersReadScannedPagesAndTheCacheKnowsWhichDocumentsOCRTouched() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sightline-ocr-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputs = try inputs(in: folder)
        let out = folder.appendingPathComponent("out")
        let cache = folder.appendingPathComponent("cache").path

        let first = try CommandRunner.run(["extract", inputs.path, "--out", out.path, "--cache", cache, "--jobs", "2"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("4 read by OCR"), "\(first.stderr)")
        var documents = try records(out)
        #expect(documents.map { $0["type"] as? String } == ["document", "document"])
        #expect(documents[1]["ocr_pages"] as? [Int] == [1, 2, 3, 4])
        #expect(documents[1]["ocr_language"] as? String == "eng")
        #expect(documents[0]["ocr_pages"] == nil)
        let blocks = try String(contentsOf: out.appendingPathComponent("blocks.jsonl"), encoding: .utf8)
        #expect(blocks.contains("\"ocr_confidence\":"))

        // --ocr never: the text-layer PDF comes from the cache, the scanned one is read again (and fails as before).
        let never = try CommandRunner.run([
            "extract", inputs.path, "--out", out.path, "--cache", cache, "--ocr", "never",
        ])
        #expect(never.status == 1)
        #expect(never.stderr.contains("1 from the cache"), "\(never.stderr)")
        documents = try records(out)
        #expect(documents[1]["code"] as? String == "no_text_layer")

        // Back to auto: the scanned PDF's entry now holds the --ocr never result, so it alone is read again.
        let again = try CommandRunner.run(["extract", inputs.path, "--out", out.path, "--cache", cache])
        #expect(again.status == 0)
        #expect(again.stderr.contains("1 from the cache") && again.stderr.contains("4 read by OCR"), "\(again.stderr)")
        let same = try CommandRunner.run(["extract", inputs.path, "--out", out.path, "--cache", cache])
        #expect(same.stderr.contains("2 from the cache"), "\(same.stderr)")

        // --ocr always re-reads the text-layer PDF too.
        let always = try CommandRunner.run([
            "extract", inputs.path, "--out", out.path, "--cache", cache, "--ocr", "always",
        ])
        #expect(always.status == 0, "\(always.stderr)")
        #expect(!always.stderr.contains("from the cache"), "\(always.stderr)")
        documents = try records(out)
        #expect(documents[0]["ocr_pages"] as? [Int] == [1, 2])
    }

    @Test func theAppendixSaysWhatWasReadByOCR() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sightline-ocr-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputs = try inputs(in: folder)
        let out = folder.appendingPathComponent("out")
        let result = try CommandRunner.run(["run", inputs.path, "--out", out.path, "--no-cache"])
        #expect(result.status == 0, "\(result.stderr)")
        let appendix = try String(contentsOf: out.appendingPathComponent("tables/appendix.html"), encoding: .utf8)
        #expect(appendix.contains("OCR: 4 scanned pages of 1 document were read by OCR (Tesseract)."))
        let passages = try String(contentsOf: out.appendingPathComponent("passages.jsonl"), encoding: .utf8)
        #expect(passages.contains("perinatal mental health team"))
    }

    @Test func outputIsTheSameWhateverTheJobs() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sightline-ocr-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputs = try inputs(in: folder)
        var outputs: [Data] = []
        for jobs in ["1", "2"] {
            let out = folder.appendingPathComponent("out\(jobs)")
            let result = try CommandRunner.run([
                "extract", inputs.path, "--out", out.path, "--no-cache", "--jobs", jobs,
            ])
            #expect(result.status == 0, "\(result.stderr)")
            outputs.append(try Data(contentsOf: out.appendingPathComponent("blocks.jsonl")))
        }
        #expect(outputs[0] == outputs[1])
    }
}

/// What the progress bar says while pages are read by OCR, and the progress lines it comes from.
@Suite struct OCRProgressTests {
    @Test func progressLinesRoundTripAndAreNotFrames() {
        #expect(WorkerProtocol.parseProgress("SLP1 7 12")! == (7, 12))
        #expect(WorkerProtocol.parseProgress("SLW2 7 1 2 3 4 5") == nil)
        #expect(WorkerProtocol.parseHeader("SLW2 7 1 2 3 4 5")! == (7, [1, 2, 3, 4, 5]))
        #expect(WorkerProtocol.parseHeader("SLW2 7 1 2 3 4") == nil)
        #expect(WorkerProtocol.parseHeader("SLP1 7 12") == nil)
        #expect(WorkerProtocol.parseProgress("SLP1 x 12") == nil)
    }

    @Test func barShowsOCRPagesAndTimeLeft() {
        var summary = ExtractStage.Summary()
        summary.pages = 30
        let early = ExtractStage.progressDetail(summary, ocrPages: 12, done: 2, total: 10, elapsed: 60)
        #expect(early == "0.5 pages/s, 12 pages OCR'd, 4 min 0 s left")
        #expect(
            ExtractStage.progressDetail(summary, ocrPages: 0, done: 10, total: 10, elapsed: 1) == "30 pages/s, 0 s left"
        )
        #expect(ExtractStage.timeLeft(done: 0, total: 3, elapsed: 5) == "time left not known yet")
        #expect(ExtractStage.formatDuration(7_500) == "2 h 5 min")
    }
}
