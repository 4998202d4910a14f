import Foundation
import SightlineCore
import Testing

@testable import SightlineExtract

/// The sample corpus was rendered from known text (scripts/make-corpus), so
/// extraction can be scored word by word against it.
@Suite struct CorpusFidelityTests {
    struct Source {
        var id: String
        var file: String
        var shortTitle: String

        /// Reads the front matter of corpus/src/<id>.md.
        static func all() throws -> [Source] {
            let folder = TestPaths.corpus.appendingPathComponent("src")
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".md") }
                .sorted()
            return try names.map { name in
                let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
                var fields: [String: String] = [:]
                for line in text.split(separator: "\n").dropFirst().prefix { $0 != "---" } {
                    let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    if parts.count == 2 {
                        fields[parts[0]] = parts[1].split(separator: "#").first.map {
                            $0.trimmingCharacters(in: .whitespaces)
                        }
                    }
                }
                let id = fields["id"] ?? String(name.dropLast(3))
                return Source(
                    id: id, file: "\(id).\(fields["format"] ?? "pdf")", shortTitle: fields["short_title"] ?? "")
            }
        }
    }

    struct Score {
        var id: String
        var accuracy: Double
        var errors: Int
        var words: Int
    }

    func extract(_ source: Source) throws -> [BlockRecord] {
        let url = TestPaths.corpus.appendingPathComponent(source.file)
        switch Extractor().extract(path: url.path, source: source.file) {
        case .document(_, let blocks): return blocks
        case .failure(let error): throw error
        }
    }

    func score(_ source: Source, _ blocks: [BlockRecord]) throws -> Score {
        let truth = try TruthBlock.load(TestPaths.corpus.appendingPathComponent("truth/\(source.id).jsonl"))
        let body = WordAccuracy.accuracy(
            reference: truth.filter { $0.kind != "footnote" }.map(\.text).joined(separator: " "),
            extracted: blocks.filter { $0.kind != .footnote }.map(\.text).joined(separator: " "))
        let notes = WordAccuracy.accuracy(
            reference: truth.filter { $0.kind == "footnote" }.map(\.text).joined(separator: " "),
            extracted: blocks.filter { $0.kind == .footnote }.map(\.text).joined(separator: " "))
        let errors = body.errors + notes.errors
        let words = body.words + notes.words
        return Score(id: source.id, accuracy: 1 - Double(errors) / Double(max(words, 1)), errors: errors, words: words)
    }

    @Test func wordAccuracyOfEveryDocument() throws {
        let sources = try Source.all()
        try #require(sources.count >= 8, "the sample corpus should hold at least 8 reviews")
        var scores: [Score] = []
        for source in sources { scores.append(try score(source, extract(source))) }
        let errors = scores.reduce(0) { $0 + $1.errors }
        let words = scores.reduce(0) { $0 + $1.words }
        print("word accuracy against the known text of the sample corpus:")
        for s in scores {
            let id = s.id.padding(toLength: 34, withPad: " ", startingAt: 0)
            print("  \(id) \(String(format: "%.4f", s.accuracy))  (\(s.errors) errors in \(s.words) words)")
        }
        let overall = String(format: "%.4f", 1 - Double(errors) / Double(words))
        print("  overall \(overall) (\(errors) errors in \(words) words)")
        for s in scores { #expect(s.accuracy >= 0.995, "\(s.id): word accuracy \(s.accuracy)") }
    }

    /// Running headers, footers and page numbers must never end up in a block:
    /// the words of the header and "Page N of M" occur exactly as often as in the known text.
    @Test func noHeaderFooterOrPageNumberLeftInBlocks() throws {
        for source in try Source.all() where source.file.hasSuffix(".pdf") {
            let blocks = try extract(source)
            let truth = try TruthBlock.load(TestPaths.corpus.appendingPathComponent("truth/\(source.id).jsonl"))
            let extracted = blocks.map(\.text).joined(separator: "\n")
            let known = truth.map(\.text).joined(separator: "\n")
            for marker in [source.shortTitle, "OFFICIAL", "Page "] where !marker.isEmpty {
                let found = extracted.components(separatedBy: marker).count - 1
                let expected = known.components(separatedBy: marker).count - 1
                #expect(found == expected, "\(source.id): ‘\(marker)’ occurs \(found) times, expected \(expected)")
            }
            let pageNumberLines = blocks.filter {
                $0.kind != .tableCell
                    && $0.text.range(of: #"^(Page )?\d+( of \d+)?$"#, options: .regularExpression) != nil
            }
            #expect(pageNumberLines.isEmpty, "\(source.id): page-number blocks \(pageNumberLines.map(\.text))")
        }
    }

    @Test func pdfBlocksCarryPagesLabelsAndBoxes() throws {
        for source in try Source.all() where source.file.hasSuffix(".pdf") {
            let url = TestPaths.corpus.appendingPathComponent(source.file)
            guard case .document(let document, let blocks) = Extractor().extract(path: url.path, source: source.file)
            else {
                Issue.record("\(source.id) failed")
                continue
            }
            #expect(document.pageCount > 1)
            #expect(
                blocks.allSatisfy {
                    $0.bbox != nil && $0.page >= 1 && $0.pageEnd >= $0.page && $0.pageEnd <= document.pageCount
                })
            #expect(blocks.contains { $0.pageEnd > $0.page }, "\(source.id): no paragraph runs over a page break")
            #expect(
                blocks.contains { $0.pageLabel != nil && $0.pageLabel != String($0.page) },
                "\(source.id): printed page labels should differ from indexes")
            #expect(blocks.contains { $0.kind == .heading } && blocks.contains { $0.kind == .listItem })
            #expect(document.title != nil)
        }
    }
}
