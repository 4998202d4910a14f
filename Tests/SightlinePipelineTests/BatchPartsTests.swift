import Foundation
import SightlineCore
import Testing

@testable import SightlinePipeline

/// The batch's parts on their own: duplicates settled in one place, results handed on in input order.
@Suite struct BatchPartsTests {
    func document(_ source: String, key: String?) -> ExtractedLines {
        let record = DocumentRecord(
            docID: String(repeating: "a", count: 64), source: source, mediaType: .pdf, pageCount: 3, title: nil,
            extractor: ExtractorInfo(name: "test", version: "1", libraries: [:]), blockCount: 1, wordCount: 1,
            pagesWithoutText: [],
            warnings: [])
        var lines = ExtractedLines(
            document: Data("{\"source\":\"\(source)\"}\n".utf8), blocks: Data("block\n".utf8), source: source,
            typed: DocumentResult(document: record))
        lines.contentKey = key
        return lines
    }

    let key = String(repeating: "a", count: 64) + ".pdf"

    @Test func theLowestIndexHoldsAClaimWhateverTheOrderOfClaims() {
        let tracker = DuplicateTracker()
        #expect(tracker.claim(key, index: 5, source: "e.pdf") == (5, "e.pdf"))
        #expect(tracker.claim(key, index: 2, source: "b.pdf") == (2, "b.pdf"))
        #expect(tracker.claim(key, index: 7, source: "g.pdf") == (2, "b.pdf"))
        #expect(tracker.claim("other.pdf", index: 9, source: "i.pdf") == (9, "i.pdf"))
    }

    @Test func aSecondReadingOfTheSameBytesIsWrittenAsADuplicate() throws {
        let tracker = DuplicateTracker()
        let first = tracker.settle(document("a.pdf", key: key))
        #expect(first.duplicateOf == nil && first.blocks == Data("block\n".utf8))
        // Two lanes read both copies (neither had claimed the key when the other looked).
        let second = tracker.settle(document("copy/a.pdf", key: key))
        #expect(second.duplicateOf == "a.pdf")
        #expect(second.blocks.isEmpty && second.pageCount == 0)
        let record = try JSONDecoder().decode(DuplicateRecord.self, from: second.document)
        #expect(record.sameAs == "a.pdf" && record.docID == String(repeating: "a", count: 64))
        #expect(tracker.settle(document("b.pdf", key: "other.pdf")).duplicateOf == nil)
    }

    @Test func aCopyOfAFailedFileFailsWithTheFirstCopysReason() throws {
        let tracker = DuplicateTracker()
        var failed = document("a.pdf", key: key)
        failed.typed = DocumentResult(
            error: ErrorRecord(source: "a.pdf", docID: nil, code: .encrypted, message: "the PDF is encrypted"))
        _ = tracker.settle(failed)
        let copy = tracker.settle(.duplicate("z.pdf", of: "a.pdf", sha: String(repeating: "a", count: 64)))
        #expect(copy.duplicateOf == nil)
        #expect(copy.error?.code == .encrypted)
        #expect(copy.error?.message == "the PDF is encrypted (the same bytes as a.pdf)")
        let record = try JSONDecoder().decode(ErrorRecord.self, from: copy.document)
        #expect(record.source == "z.pdf" && record.code == .encrypted)
    }

    @Test(arguments: [1, 2, 5])
    func resultsComeOutInInputOrderWhateverOrderTheyFinish(lanes: Int) {
        let count = 40
        let scheduler = OrderedScheduler<Int>(count: count, window: lanes * 4)
        for _ in 0..<lanes {
            Thread {
                while let index = scheduler.take() {
                    // Documents take different times: later inputs often finish first.
                    usleep(UInt32(index * 7919 % 5) * 300)
                    scheduler.put(index, index * 10)
                }
                scheduler.laneFinished()
            }.start()
        }
        var seen: [Int] = []
        for index in 0..<count {
            guard let value = scheduler.wait(for: index) else { break }
            seen.append(value)
        }
        scheduler.waitForLanes(lanes)
        #expect(seen == (0..<count).map { $0 * 10 })
    }

    @Test func aCancelledSchedulerHandsOutNothingMore() {
        let scheduler = OrderedScheduler<Int>(count: 10, window: 4)
        #expect(scheduler.take() == 0)
        scheduler.cancel()
        #expect(scheduler.take() == nil)
        #expect(scheduler.wait(for: 0) == nil)
    }
}
