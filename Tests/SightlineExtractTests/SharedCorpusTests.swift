import Foundation
import SightlineCore
import Testing

@testable import SightlineExtract

/// The real Ofsted reports in ../shared/corpus (skipped when absent).
@Suite struct SharedCorpusTests {
    @Test func everyRealPDFIsExtractedOrReportedClearly() async throws {
        guard TestPaths.sharedCorpusAvailable else {
            print("skipping: ../shared/corpus/ofsted is absent")
            return
        }
        let files = TestPaths.sharedPDFs()
        let outcomes = await withTaskGroup(of: (Int, ExtractionOutcome).self) { group in
            var results = [ExtractionOutcome?](repeating: nil, count: files.count)
            var next = 0
            func add(_ group: inout TaskGroup<(Int, ExtractionOutcome)>) {
                let index = next
                let url = files[index]
                group.addTask { (index, Extractor().extract(path: url.path, source: url.lastPathComponent)) }
                next += 1
            }
            for _ in 0..<min(4, files.count) { add(&group) }
            while let (index, outcome) = await group.next() {
                results[index] = outcome
                if next < files.count { add(&group) }
            }
            return results.compactMap { $0 }
        }
        var failures: [ErrorRecord] = []
        var pages = 0
        var blocks = 0
        for outcome in outcomes {
            switch outcome {
            case .document(let document, let documentBlocks):
                pages += document.pageCount
                blocks += documentBlocks.count
                #expect(document.wordCount > 200, "\(document.source) has only \(document.wordCount) words")
            case .failure(let error):
                failures.append(error)
            }
        }
        let failed = failures.map { "\($0.source) \($0.code.rawValue)" }
        print(
            "shared corpus: \(outcomes.count) files, \(outcomes.count - failures.count) extracted "
                + "(\(pages) pages, \(blocks) blocks), \(failures.count) failed: \(failed)"
        )
        // The four HTML error pages saved as .pdf, and nothing else.
        #expect(failures.count == 4)
        #expect(failures.allSatisfy { $0.code == .notAPDF && $0.message.contains("HTML page") })
        #expect(pages > 4000)
    }
}
