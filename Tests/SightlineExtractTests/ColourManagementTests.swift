import Foundation
import SightlineCore
import Testing

@testable import SightlineExtract

/// The colour-management bypass must not change a single character of text.
@Suite(.serialized) struct ColourManagementTests {
    func outcome(_ url: URL, bypass: Bool) -> ExtractionOutcome {
        var options = ExtractOptions()
        options.bypassColourManagement = bypass
        return Extractor(options: options).extract(path: url.path, source: url.lastPathComponent)
    }

    func pdfs() throws -> [URL] {
        var urls = try FileManager.default.contentsOfDirectory(atPath: TestPaths.corpus.path).filter {
            $0.hasSuffix(".pdf")
        }.sorted()
            .map { TestPaths.corpus.appendingPathComponent($0) }
        // Real council PDFs carry ICC colour spaces; the sample corpus may not.
        urls += TestPaths.sharedPDFs().prefix(40)
        return urls
    }

    @Test func textIsIdenticalWithAndWithoutTheBypass() throws {
        let files = try pdfs()
        try #require(!files.isEmpty)
        let before = ColourManagement.bypassedTransforms
        for url in files {
            #expect(outcome(url, bypass: true) == outcome(url, bypass: false), "\(url.lastPathComponent)")
        }
        if TestPaths.sharedCorpusAvailable {
            #expect(ColourManagement.isInterposed, "libpoppler's cmsCreateTransform calls should reach the bypass")
            #expect(ColourManagement.bypassedTransforms > before, "the bypass should have spared some transforms")
            print(
                "colour-management bypass: \(ColourManagement.bypassedTransforms - before) transforms skipped "
                    + "over \(files.count) PDFs, text identical"
            )
        } else {
            print("skipping the real-PDF half of this test: ../shared/corpus/ofsted is absent")
        }
    }
}
