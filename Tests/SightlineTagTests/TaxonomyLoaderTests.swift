import Foundation
import Testing

@testable import SightlineCore

/// Bad taxonomies are refused with the file, the line and the problem.
@Suite struct TaxonomyLoaderTests {
    func write(_ yaml: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tax-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("frame.yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let valid = """
        sightline_taxonomy: 1
        id: demo
        name: Demo frame
        version: 0.1.0
        themes:
          - id: information-sharing
            name: Information sharing
            description: Information not shared between agencies.
            rules:
              - id: is-phrases
                phrases: ["information sharing", "shared information"]
          - id: mental-health-parent
            name: Parental mental health
            description: A parent's mental ill-health and its effect on care.
            subthemes:
              - id: perinatal
                name: Perinatal mental health
                rules:
                  - id: mhp-perinatal
                    phrases: ["postnatal depression", "perinatal mental health"]
        cues: none
        """

    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Without cues nothing is negated or hedged, so a frame with no cue file of its own gets the shipped
    /// cues, and doing without takes an explicit `cues: none`.
    @Test func aFrameWithoutACueFileGetsTheShippedCues() throws {
        let withoutCues = Self.valid.replacingOccurrences(of: "\ncues: none", with: "")
        #expect(withoutCues != Self.valid)
        let path = try write(withoutCues)
        let shipped = try TaxonomyLoader().load(path: path).cues
        let file = try TaxonomyLoader().loadCues(
            path: Self.repository.appendingPathComponent("taxonomies/cues.yaml").path)
        #expect(shipped.negationBefore == file.negationBefore && shipped.pseudoNegation == file.pseudoNegation)
        #expect(shipped.hypotheticalBefore == file.hypotheticalBefore && shipped.clauseBreakers == file.clauseBreakers)
        #expect(shipped.sha256 == file.sha256, "the built-in cues are the bytes of taxonomies/cues.yaml")
        #expect(shipped.file == CueSet.standardName && !shipped.negationBefore.isEmpty)
        #expect(
            try TaxonomyLoader().load(
                path: write(Self.valid.replacingOccurrences(of: "cues: none", with: "cues: standard"))
            ).cues == shipped)

        // The negation the issue found missing: with the shipped cues, "no concerns about" negates.
        let taxonomy = try TaxonomyLoader().load(path: path)
        var tagger = Tagger(taxonomies: [taxonomy])
        var splitter = PassageSplitter(boilerplateHeadings: taxonomy.boilerplateHeadings)
        let block = BlockRecord(
            docID: String(repeating: "a", count: 64), page: 1, pageEnd: 1, pageLabel: nil, pageEndLabel: nil, index: 0,
            kind: .paragraph, level: nil, headingPath: ["Findings"],
            text: "There were no concerns about information sharing between the school and the health visitor.",
            bbox: nil)
        let codings = splitter.passages(of: block).flatMap { tagger.code($0) }
        #expect(codings.contains { $0.theme == "information-sharing" && $0.negated && !$0.counts })

        // Cues beside the frame are found; a named file that is missing is an error naming it.
        let folder = (path as NSString).deletingLastPathComponent
        try "sightline_cues: 1\nnegation_before: [no]\n".write(
            toFile: folder + "/cues.yaml", atomically: true, encoding: .utf8)
        #expect(try TaxonomyLoader().load(path: path).cues.negationBefore == ["no"])
        let named = try write(Self.valid.replacingOccurrences(of: "cues: none", with: "cues: missing.yaml"))
        #expect {
            try TaxonomyLoader().load(path: named)
        } throws: { error in
            "\(error)".contains("missing.yaml") && "\(error)".contains("does not exist")
        }
        #expect(try TaxonomyLoader().load(path: write(Self.valid)).cues == CueSet())
    }

    /// A frame that names no headings gets the shipped boilerplate and recommendation headings; `[]` opts out.
    @Test func aFrameWithoutHeadingsGetsTheShippedHeadings() throws {
        let plain = try TaxonomyLoader().load(path: write(Self.valid))
        #expect(plain.boilerplateHeadings == StandardHeadings.boilerplate)
        #expect(plain.hypotheticalHeadings == StandardHeadings.hypothetical)
        let optedOut = try TaxonomyLoader().load(
            path: write(
                Self.valid.replacingOccurrences(
                    of: "cues: none", with: "cues: none\nboilerplate_headings: []\nhypothetical_headings: []")))
        #expect(optedOut.boilerplateHeadings.isEmpty && optedOut.hypotheticalHeadings.isEmpty)
        // The shipped lists are those of the shipped panel-themes taxonomy.
        let panel = try TaxonomyLoader().load(
            path: Self.repository.appendingPathComponent("taxonomies/panel-themes.yaml").path)
        #expect(panel.boilerplateHeadings == StandardHeadings.boilerplate)
        #expect(panel.hypotheticalHeadings == StandardHeadings.hypothetical)
    }

    @Test func aFrameStatesItsDocumentCallRule() throws {
        let stated = Self.valid.replacingOccurrences(
            of: "cues: none", with: "cues: none\ndocument_call:\n  min_share: 8%\n  min_pages: 2")
        let rule = try #require(try TaxonomyLoader().load(path: write(stated)).documentCall)
        #expect(
            rule == DocumentCallRule(minPassages: DocumentCallRule.standard.minPassages, minShare: 0.08, minPages: 2))
        #expect(try TaxonomyLoader().load(path: write(Self.valid)).documentCall == nil)
        let bad = Self.valid.replacingOccurrences(
            of: "cues: none", with: "cues: none\ndocument_call:\n  min_share: lots")
        #expect {
            try TaxonomyLoader().load(path: write(bad))
        } throws: { error in
            let lines = bad.split(separator: "\n", omittingEmptySubsequences: false)
            let expected = lines.firstIndex { $0.contains("min_share") }.map { $0 + 1 }
            return (error as? TaxonomyError)?.line == expected && "\(error)".contains("min_share")
        }
    }

    /// A theme's own `document_call` takes the parts it leaves out from the frame's rule, and only the themes
    /// that state one have one.
    @Test func aThemeStatesItsOwnDocumentCallRule() throws {
        let stated = Self.valid.replacingOccurrences(
            of: "cues: none", with: "cues: none\ndocument_call:\n  min_pages: 2"
        ).replacingOccurrences(
            of: "    description: Information not shared between agencies.\n",
            with: "    description: Information not shared between agencies.\n    document_call: {min_share: 4%}\n")
        let taxonomy = try TaxonomyLoader().load(path: write(stated))
        #expect(
            taxonomy.themes[0].documentCall
                == DocumentCallRule(minPassages: DocumentCallRule.standard.minPassages, minShare: 0.04, minPages: 2))
        #expect(taxonomy.themes[1].documentCall == nil)
        // Recorded with the frame in codings.jsonl's header, complete, for `aggregate` to read back.
        let record = TaxonomyRecord(taxonomy)
        let decoded = try JSONDecoder().decode(TaxonomyRecord.self, from: JSONEncoder().encode(record))
        #expect(decoded.themes.map(\.documentCall) == [taxonomy.themes[0].documentCall, nil])
    }

    /// A malformed theme rule is refused with the line, the field and the theme it belongs to.
    @Test func aMalformedThemeDocumentCallIsRefused() throws {
        for (rule, field) in [
            ("{min_share: lots}", "min_share"), ("{min_passages: 0}", "min_passages"), ("{min_pages: -1}", "min_pages"),
            ("{min_share: 120%}", "min_share"), ("{min_sections: 2}", "min_sections"), ("{}", "empty"),
            ("4%", "mapping"),
        ] {
            let description = "    description: A parent's mental ill-health and its effect on care.\n"
            let bad = Self.valid.replacingOccurrences(
                of: description, with: description + "    document_call: \(rule)\n")
            let lines = bad.split(separator: "\n", omittingEmptySubsequences: false)
            let expected = try #require(lines.firstIndex { $0.contains("document_call") }) + 1
            do {
                _ = try TaxonomyLoader().load(path: write(bad))
                Issue.record("document_call: \(rule) was accepted")
            } catch let error as TaxonomyError {
                #expect(error.line == expected, "\(rule)")
                #expect(error.problem.contains(field) && error.problem.contains("mental-health-parent"), "\(error)")
            }
        }
    }

    @Test func loadsAValidFrame() throws {
        let taxonomy = try TaxonomyLoader().load(path: write(Self.valid))
        #expect(taxonomy.id == "demo")
        #expect(taxonomy.themes.map(\.id) == ["information-sharing", "mental-health-parent"])
        #expect(taxonomy.themes[1].subthemes[0].rules[0].id == "mhp-perinatal")
        #expect(taxonomy.sha256.count == 64)
    }

    @Test(arguments: [
        ("themes:\n  - id: [unclosed", 3, "YAML syntax error"),
        (
            valid.replacingOccurrences(of: "id: mental-health-parent", with: "id: information-sharing"), 12,
            "duplicate theme id"
        ),
        (
            valid.replacingOccurrences(
                of: "phrases: [\"postnatal depression\", \"perinatal mental health\"]", with: "phrases: []"), 20,
            "empty"
        ),
        (
            valid.replacingOccurrences(
                of: "phrases: [\"information sharing\", \"shared information\"]",
                with: "regex: {pattern: \"(unclosed\", anchors: [\"information\"]}"), 11, "invalid regular expression"
        ),
        (
            valid.replacingOccurrences(
                of: "phrases: [\"information sharing\", \"shared information\"]",
                with: "regex: {pattern: \"shar\\\\w+\", anchors: [\"shared\"], requires: []}"), 11,
            "empty ‘requires’ list"
        ),
        (
            valid.replacingOccurrences(
                of: "    name: Information sharing", with: "    name: Information sharing\n    colour: blue"), 8,
            "unknown field ‘colour’"
        ),
        (valid.replacingOccurrences(of: "id: is-phrases", with: "id: mhp-perinatal"), 19, "duplicate rule id"),
        (
            valid.replacingOccurrences(
                of: "phrases: [\"information sharing\", \"shared information\"]",
                with: "regex: {pattern: \"shar\\\\w+\", anchors: [\"shared\"], words_after: -1}"), 11,
            "`words_after` must be a number of words from 0 to 1000"
        ),
        (
            valid.replacingOccurrences(
                of: "phrases: [\"information sharing\", \"shared information\"]",
                with: "regex: {pattern: \"shar\\\\w+\", anchors: [\"shared\"], words_before: 9223372036854775807}"), 11,
            "`words_before` must be a number of words from 0 to 1000"
        ),
    ])
    func refusesWithFileAndLine(yaml: String, line: Int, problem: String) throws {
        let path = try write(yaml)
        do {
            _ = try TaxonomyLoader().load(path: path)
            Issue.record("should have been refused: \(problem)")
        } catch let error as TaxonomyError {
            #expect(error.file == path)
            #expect(error.line == line, "\(error)")
            #expect(error.problem.contains(problem), "\(error)")
        }
    }
}
