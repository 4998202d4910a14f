import Foundation
import SightlineExtract
import Testing

@testable import SightlineCore
@testable import SightlinePipeline

/// The typed result that travels beside each document's lines: the same from a worker as from the
/// in-process lane, equal to what the lines themselves say, and right for every kind of input.
@Suite struct DocumentResultTests {
    static let frame = CommandRunner.repository.appendingPathComponent("taxonomies/panel-themes.yaml").path

    /// Every input's lines in order, read by a batch that codes with the shipped panel themes.
    func batch(
        _ inputs: [String], isolation: Isolation, jobs: Int = 2, cache: DocumentCache? = nil
    ) throws -> [ExtractedLines] {
        var options = BatchOptions()
        options.jobs = jobs
        options.isolation = isolation
        options.taxonomies = [try TaxonomyLoader().load(path: Self.frame)]
        let extractor = BatchExtractor(
            options: options, executable: CommandRunner.binaries.appendingPathComponent("sightline"))
        let jobs = JobPlanner.plan(InputWalker().expand(inputs), index: HashIndex(file: nil))
        var results: [ExtractedLines] = []
        try extractor.run(jobs, cache: cache) { _, lines in results.append(lines) }
        return results
    }

    /// The tallies counted again from the lines, as a reader of passages.jsonl and codings.jsonl would.
    func tallies(passages: Data, codings: Data) throws -> CodingTallies {
        var coded = Set<String>()
        var tallies = CodingTallies()
        try JSONLinesReader.forEachLine(in: codings) { line in
            let coding = try JSONDecoder().decode(CodingRecord.self, from: line)
            coded.insert(coding.passageID)
            tallies.codings += 1
            if !coding.negated && !coding.hypothetical && !coding.boilerplate { tallies.counted += 1 }
        }
        try JSONLinesReader.forEachLine(in: passages) { line in
            let passage = try JSONDecoder().decode(PassageRecord.self, from: line)
            if coded.contains(passage.passageID) { tallies.codedPassages.append(tallies.passages) }
            tallies.passages += 1
            if !passage.boilerplate { tallies.substantive += 1 }
        }
        return tallies
    }

    @Test func aWorkersResultIsTheOneTheInProcessLaneBuildsAndSaysWhatTheLinesSay() throws {
        let corpus = CommandRunner.repository.appendingPathComponent("corpus").path
        let workers = try batch([corpus], isolation: .process)
        let inProcess = try batch([corpus], isolation: .none, jobs: 1)
        #expect(workers.count == 10 && inProcess.count == 10)
        for (worker, local) in zip(workers, inProcess) {
            #expect(worker.typed == local.typed, "\(worker.source)")
            #expect(worker.document == local.document && worker.passages == local.passages, "\(worker.source)")
            #expect(worker.codings == local.codings, "\(worker.source)")
            let record = try JSONDecoder().decode(DocumentRecord.self, from: worker.document)
            #expect(worker.typed == DocumentResult(document: record, coding: worker.typed.coding), "\(worker.source)")
            let counted = try tallies(passages: worker.passages, codings: worker.codings)
            #expect(worker.typed.coding == counted, "\(worker.source)")
            #expect(counted.codings > 0 && counted.codedPassages.count < counted.passages, "\(worker.source)")
        }
    }

    @Test func failedDuplicateSkippedAndCachedInputsHaveTheirOwnResults() throws {
        let folder = try CommandRunner.temporaryFolder()
        let inputs = folder.appendingPathComponent("in")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        let text = CommandRunner.repository.appendingPathComponent("corpus/lcspr-fenwick-child-a.txt")
        try FileManager.default.copyItem(at: text, to: inputs.appendingPathComponent("a.txt"))
        try FileManager.default.copyItem(at: text, to: inputs.appendingPathComponent("b-copy.txt"))
        try Data("not a PDF at all".utf8).write(to: inputs.appendingPathComponent("c-broken.pdf"))
        try Data("a spreadsheet".utf8).write(to: inputs.appendingPathComponent("d-sheet.xlsx"))
        let cache = try DocumentCache(
            root: folder.appendingPathComponent("cache").path, extract: ExtractOptions(),
            taxonomies: [try TaxonomyLoader().load(path: Self.frame)])
        let first = try batch([inputs.path], isolation: .process, cache: cache)
        try #require(first.count == 4)
        let sources = first.map(\.source)
        #expect(first.map(\.fromCache) == [false, false, false, false])
        let document = try #require(first[0].typed.document)
        #expect(document.source == sources[0])
        #expect(first[0].typed.coding == (try tallies(passages: first[0].passages, codings: first[0].codings)))
        #expect(first[1].typed.duplicate?.sameAs == sources[0] && first[1].typed.coding == nil)
        #expect(first[1].duplicateOf == sources[0] && first[1].passages.isEmpty)
        #expect(first[2].typed.error?.code == .notAPDF && first[2].typed.error?.source == sources[2])
        #expect(first[2].typed.document == nil && first[2].typed.coding == nil)
        #expect(first[3].typed.skipped?.source == sources[3] && first[3].typed.document == nil)

        // Again, the copy first: the cached entry answers under the copy's name, with the same tallies.
        let again = try batch(
            ["b-copy.txt", "a.txt", "c-broken.pdf"].map { inputs.appendingPathComponent($0).path }, isolation: .process,
            cache: cache)
        try #require(again.count == 3)
        #expect(again[0].fromCache && again[2].fromCache)
        var renamed = document
        renamed.source = again[0].source
        #expect(again[0].typed == DocumentResult(document: renamed, coding: first[0].typed.coding))
        #expect(again[0].passages == first[0].passages && again[0].codings == first[0].codings)
        #expect(again[1].typed.duplicate?.sameAs == again[0].source)
        var error = try #require(first[2].typed.error)
        error.source = again[2].source
        #expect(again[2].typed == DocumentResult(error: error))
    }

    @Test func aResultThatDoesNotReadBackIsACrashNamingTheFile() throws {
        let record = try #require(
            try batch(
                [CommandRunner.repository.appendingPathComponent("corpus/lcspr-fenwick-child-a.txt").path],
                isolation: .none
            ).first)
        let good = [record.document, record.blocks, record.passages, record.codings, Wire.encodedLine(record.typed)]
        #expect(Lane.received(good, source: "a.txt", coded: true).typed == record.typed)
        var uncoded = record.typed
        uncoded.coding = nil
        let duplicate = DocumentResult(duplicate: DuplicateRecord(source: "a.txt", docID: "00", sameAs: "b.txt"))
        for (fifth, reason) in [
            (Data("{\"document\":".utf8), "not a valid result"),
            (Data("[1,2]\n".utf8), "not a valid result"),
            (Wire.encodedLine(DocumentResult()), "not exactly one document or error record"),
            (Wire.encodedLine(duplicate), "not exactly one document or error record"),
            (Wire.encodedLine(uncoded), "a coded document without its tallies"),
        ] {
            let lines = Lane.received(Array(good.prefix(4)) + [fifth], source: "a.txt", coded: true)
            let error = try #require(lines.error, "\(reason)")
            #expect(error.code == .crashed && error.source == "a.txt")
            #expect(error.message.contains("result for this file does not read back") && error.message.contains(reason))
            #expect(lines.blocks.isEmpty && lines.passages.isEmpty && lines.codings.isEmpty)
            #expect(try JSONDecoder().decode(ErrorRecord.self, from: lines.document) == error)
        }
    }

    /// The evidence from a document's tallies and its coded passages only is the evidence from every passage.
    @Test func evidenceFromTheTalliesIsTheEvidenceFromEveryPassage() throws {
        let corpus = CommandRunner.repository.appendingPathComponent("corpus").path
        let documents = try batch([corpus], isolation: .none, jobs: 1)
        let records = [TaxonomyRecord(try TaxonomyLoader().load(path: Self.frame))]
        func evidence(everyPassage: Bool) throws -> (EvidenceBuilder, Data, Data) {
            var builder = EvidenceBuilder(taxonomies: records)
            builder.segments = CodedSegments()
            builder.review = ReviewPage(taxonomies: records)
            var segments = Data()
            for lines in documents {
                let record = try #require(lines.typed.document)
                builder.add(document: DocumentInfo(record))
                try JSONLinesReader.forEachLineInPlace(in: lines.codings) {
                    _ = try builder.add(codingLine: $0, interner: StringInterner())
                }
                if everyPassage {
                    try JSONLinesReader.forEachLineInPlace(in: lines.passages) { try builder.add(passageLine: $0) }
                } else {
                    let tallies = try #require(lines.typed.coding)
                    try builder.add(passageLines: lines.passages, tallies: tallies, docID: record.docID)
                }
                segments.append(builder.drainSegments())
            }
            var page = Data()
            try builder.review?.write { page.append($0) }
            return (builder, segments, page)
        }
        let (every, everySegments, everyPage) = try evidence(everyPassage: true)
        let (tallied, talliedSegments, talliedPage) = try evidence(everyPassage: false)
        let model = { (builder: EvidenceBuilder) in
            builder.model(manifestColumns: [], toolVersion: "test", date: "2026-01-01")
        }
        #expect(model(tallied).result.rows == model(every).result.rows)
        #expect(model(tallied).result.calls == model(every).result.calls)
        #expect(model(tallied).quotes == model(every).quotes && !model(every).quotes.joined().isEmpty)
        #expect(tallied.codedPassages == every.codedPassages)
        #expect(talliedSegments == everySegments && talliedPage == everyPage && !everyPage.isEmpty)

        // Tallies that name a passage line the document does not have are a problem, not a silent miss.
        var builder = EvidenceBuilder(taxonomies: records)
        var wrong = try #require(documents[0].typed.coding)
        wrong.codedPassages.append(wrong.passages + 5)
        #expect(throws: Wire.Problem.self) {
            try builder.add(passageLines: documents[0].passages, tallies: wrong, docID: "x")
        }
    }
}
