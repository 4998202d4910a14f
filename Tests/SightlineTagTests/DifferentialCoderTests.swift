import Foundation
import Testing

@testable import SightlineCore

/// The fast coder (`Tagger`) against the slow reference coder (`ReferenceCoder`): the same coding records
/// for random passages made of the shipped frames' vocabulary, for the labelled passages of the tuning
/// side, for the sample corpus's passages, and for passages of the real reports in `../shared/corpus`
/// when they are there.
@Suite struct DifferentialCoderTests {
    static let shipped = ["taxonomies/panel-themes.yaml", "taxonomies/case-characteristics.yaml"]

    static func shippedTaxonomies() throws -> [Taxonomy] {
        try shipped.map { try TaxonomyLoader().load(path: LabelledSets.repository.appendingPathComponent($0).path) }
    }

    /// Codes every passage both ways; a difference is recorded with the passage and the two codings.
    /// Returns how many passages were coded and how many codings they made.
    @discardableResult
    static func compare(_ passages: [PassageRecord], taxonomies: [Taxonomy], label: String) -> (Int, Int) {
        var fast = Tagger(taxonomies: taxonomies)
        let reference = ReferenceCoder(taxonomies: taxonomies)
        var differences = 0
        var codings = 0
        for passage in passages {
            let expected = reference.code(passage)
            let actual = fast.code(passage)
            codings += expected.count
            guard actual != expected else { continue }
            differences += 1
            if differences <= 5 {
                Issue.record(
                    """
                    \(label): the coders differ on \(passage.passageID) (heading \(passage.headingPath))
                    text: \(passage.text)
                    fast:      \(describe(actual))
                    reference: \(describe(expected))
                    """)
            }
        }
        #expect(differences == 0, "\(label): \(differences) of \(passages.count) passages coded differently")
        return (passages.count, codings)
    }

    /// The parts of codings that can differ, one line each.
    static func describe(_ codings: [CodingRecord]) -> String {
        codings.map { c in
            let flags = [c.negated ? "negated" : "", c.hypothetical ? "hypothetical" : "", c.boilerplate ? "bp" : ""]
            let matches = c.matches.map {
                "\($0.rule)@\($0.start)-\($0.end)'\($0.text)'\($0.negated ? "N" : "")\($0.hypothetical ? "H" : "")"
            }
            return "\n  \(c.theme)/\(c.subtheme ?? "-") \(c.rules) \(flags.filter { !$0.isEmpty }) \(matches)"
        }.joined()
    }

    @Test func randomPassagesOfTheShippedFramesVocabulary() throws {
        let taxonomies = try Self.shippedTaxonomies()
        let maker = RandomPassages(taxonomies: taxonomies)
        var rng = SplitMix64(seed: 17)
        let passages = (0..<3000).map { n in
            let text = maker.passage(&rng)
            return RandomPassages.record(text, n, &rng)
        }
        let (count, codings) = Self.compare(passages, taxonomies: taxonomies, label: "random")
        // The passages must exercise the coder, not only agree on nothing.
        #expect(codings > count, "random passages made only \(codings) codings")
    }

    /// The small frames of the other tests use what the shipped ones do not: a regular expression without
    /// a window, a same-sentence rule without rivals, a theme's exclusions, cues of their own.
    @Test func randomPassagesOfTheTestFrames() throws {
        let taxonomies = [try TaggerTests().taxonomy, try AttributionTests().taxonomy, try Self.edgeFrame()]
        let maker = RandomPassages(taxonomies: taxonomies)
        var rng = SplitMix64(seed: 4)
        let passages = (0..<2000).map { n in
            let text = maker.passage(&rng)
            return RandomPassages.record(text, n, &rng)
        }
        let (count, codings) = Self.compare(passages, taxonomies: taxonomies, label: "random, test frames")
        #expect(codings > count / 2, "random passages made only \(codings) codings")
    }

    /// Abbreviations without capitals (matched in the case written, like any other), a case-sensitive
    /// frame's words without capitals and its wildcard, and a `near` rule at its smallest window.
    static func edgeFrame() throws -> Taxonomy {
        let yaml = """
            sightline_taxonomy: 1
            id: edge-frame
            name: Edge frame
            version: 1.0.0
            cues: none
            matching: {case_sensitive: true}
            themes:
              - id: written-case
                name: Written case
                description: Abbreviations and phrases in the case written.
                rules:
                  - id: uncapitalised
                    abbreviations: [ucas, "101", CiN]
                  - id: touching
                    near: {a: [Mother], b: [anxiety, "child*"], within: 1}
                  - id: wildcard
                    phrases: ["self-harm*", "Missing"]
            """
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("edge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try yaml.write(to: folder.appendingPathComponent("edge.yaml"), atomically: true, encoding: .utf8)
        return try TaxonomyLoader().load(path: folder.appendingPathComponent("edge.yaml").path)
    }

    /// Passages written for the corners of the rules that random text seldom reaches.
    @Test func handPickedCorners() throws {
        let texts = [
            // A rival overlapping the nearest `b` but ending before it ("care" of "children’s social care").
            "Support for children’s social care leavers’ mental health was patchy.",
            "The care leavers’ mental health, said children’s social care, was poor.",
            // A tie between a `b` and a rival is nobody's.
            "Mental health of children and parents was discussed.",
            // An after cue opening its own clause, and one inside it.
            "There was domestic abuse; was ruled out later. Domestic abuse was ruled out.",
            // A regular expression's window at a sentence end, and a required word outside it.
            "She went missing for two. Days later she returned. Missing for several nights.",
            "The child Anna’s anxiety grew. The baby Kai. Low mood followed.",
            // Phrases across a full stop that ends no sentence, and one that does.
            "Contact with e.g. domestic abuse services. Domestic. Abuse was not considered.",
        ]
        var rng = SplitMix64(seed: 1)
        let passages = texts.enumerated().map { RandomPassages.record($1, $0, &rng) }
        Self.compare(passages, taxonomies: try Self.shippedTaxonomies(), label: "hand-picked")
    }

    @Test func labelledPassagesOfTheTuningSide() throws {
        let taxonomies = try Self.shippedTaxonomies()
        let rows = try LabelledSets.load(LabelledSets.tuningFiles)
        var splitter = PassageSplitter(boilerplateHeadings: taxonomies[0].boilerplateHeadings)
        let passages = rows.enumerated().flatMap { n, row in
            splitter.passages(
                of: BlockRecord(
                    docID: SHA256.hex(of: Array(row.id.utf8)), page: 1, pageEnd: 1, pageLabel: nil, pageEndLabel: nil,
                    index: n, kind: .paragraph, level: nil, headingPath: row.headingPath, text: row.text, bbox: nil))
        }
        #expect(passages.count >= rows.count)
        Self.compare(passages, taxonomies: taxonomies, label: "labelled")
    }

    @Test func passagesOfTheSampleCorpus() throws {
        let taxonomies = try Self.shippedTaxonomies()
        let file = LabelledSets.repository.appendingPathComponent(
            "Tests/SightlineCLITests/Golden/sample-run/passages.jsonl")
        let passages = try JSONLinesReader(path: file.path).decodeAll(PassageRecord.self)
        #expect(passages.count > 500)
        Self.compare(passages, taxonomies: taxonomies, label: "sample corpus")
    }

    /// A sample of the real Ofsted reports beside the repository (every 20th, about 25), extracted by
    /// the `sightline` executable built with the tests and split as `tag` splits them.
    @Test func passagesOfRealReports() throws {
        let shared = LabelledSets.repository.deletingLastPathComponent().appendingPathComponent("shared/corpus/ofsted")
        guard FileManager.default.fileExists(atPath: shared.path) else {
            print("skipping: ../shared/corpus/ofsted is absent")
            return
        }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        let candidates = [
            beside, beside.deletingLastPathComponent(), LabelledSets.repository.appendingPathComponent(".build/debug"),
        ]
        guard
            let binary = candidates.map({ $0.appendingPathComponent("sightline") })
                .first(where: { FileManager.default.isExecutableFile(atPath: $0.path) })
        else {
            print("skipping: no sightline executable built beside the tests")
            return
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: shared.path).filter { $0.hasSuffix(".pdf") }
            .sorted()
        let sample = stride(from: 0, to: names.count, by: 20).map { shared.appendingPathComponent(names[$0]).path }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("differential-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) } // a temporary folder: nothing to report if it lingers
        let process = Process()
        process.executableURL = binary
        process.arguments = ["extract"] + sample + ["--out", out.path, "--quiet", "--no-cache"]
        try process.run()
        process.waitUntilExit()
        // Exit status 1 is a document that failed (a few of the files are not PDFs); the rest are extracted.
        #expect(process.terminationStatus <= 1, "sightline extract exited with \(process.terminationStatus)")
        let blocks = try JSONLinesReader(path: out.appendingPathComponent("blocks.jsonl").path)
            .decodeAll(BlockRecord.self)
        let taxonomies = try Self.shippedTaxonomies()
        var splitter = PassageSplitter(boilerplateHeadings: taxonomies.flatMap(\.boilerplateHeadings))
        let passages = blocks.flatMap { splitter.passages(of: $0) }
        #expect(passages.count > 500, "only \(passages.count) passages from \(sample.count) reports")
        let (_, codings) = Self.compare(passages, taxonomies: taxonomies, label: "real reports")
        print("real reports: \(sample.count) reports, \(passages.count) passages, \(codings) codings, coded alike")
    }
}
