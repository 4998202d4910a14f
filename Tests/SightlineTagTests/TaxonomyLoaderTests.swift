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

    /// Without cues nothing is negated or hedged, so a frame must have them or say it means to do without.
    @Test func aMissingCueFileIsAnErrorUnlessTheFrameSaysNone() throws {
        let withoutCues = Self.valid.replacingOccurrences(of: "\ncues: none", with: "")
        #expect(withoutCues != Self.valid)
        let path = try write(withoutCues)
        #expect {
            try TaxonomyLoader().load(path: path)
        } throws: { error in
            "\(error)".contains("no cue file") && "\(error)".contains("cues: none") && "\(error)".contains(path)
        }
        // Cues beside the frame are found; a named file that is missing is an error naming it.
        let folder = (path as NSString).deletingLastPathComponent
        try "sightline_cues: 1\nnegation_before: [no]\n".write(toFile: folder + "/cues.yaml", atomically: true, encoding: .utf8)
        #expect(try TaxonomyLoader().load(path: path).cues.negationBefore == ["no"])
        let named = try write(Self.valid.replacingOccurrences(of: "cues: none", with: "cues: missing.yaml"))
        #expect {
            try TaxonomyLoader().load(path: named)
        } throws: { error in
            "\(error)".contains("missing.yaml") && "\(error)".contains("does not exist")
        }
        #expect(try TaxonomyLoader().load(path: write(Self.valid)).cues == CueSet())
    }

    @Test func aFrameStatesItsDocumentCallRule() throws {
        let stated = Self.valid.replacingOccurrences(
            of: "cues: none", with: "cues: none\ndocument_call:\n  min_share: 8%\n  min_pages: 2")
        let rule = try #require(try TaxonomyLoader().load(path: write(stated)).documentCall)
        #expect(rule == DocumentCallRule(minPassages: DocumentCallRule.standard.minPassages, minShare: 0.08, minPages: 2))
        #expect(try TaxonomyLoader().load(path: write(Self.valid)).documentCall == nil)
        let bad = Self.valid.replacingOccurrences(of: "cues: none", with: "cues: none\ndocument_call:\n  min_share: lots")
        #expect {
            try TaxonomyLoader().load(path: write(bad))
        } throws: { error in
            let lines = bad.split(separator: "\n", omittingEmptySubsequences: false)
            let expected = lines.firstIndex { $0.contains("min_share") }.map { $0 + 1 }
            return (error as? TaxonomyError)?.line == expected && "\(error)".contains("min_share")
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
        (valid.replacingOccurrences(of: "id: mental-health-parent", with: "id: information-sharing"), 12, "duplicate theme id"),
        (valid.replacingOccurrences(of: "phrases: [\"postnatal depression\", \"perinatal mental health\"]", with: "phrases: []"), 20, "empty"),
        (valid.replacingOccurrences(of: "phrases: [\"information sharing\", \"shared information\"]", with: "regex: {pattern: \"(unclosed\", anchors: [\"information\"]}"), 11, "invalid regular expression"),
        (valid.replacingOccurrences(of: "phrases: [\"information sharing\", \"shared information\"]", with: "regex: {pattern: \"shar\\\\w+\", anchors: [\"shared\"], requires: []}"), 11, "empty ‘requires’ list"),
        (valid.replacingOccurrences(of: "    name: Information sharing", with: "    name: Information sharing\n    colour: blue"), 8, "unknown field ‘colour’"),
        (valid.replacingOccurrences(of: "id: is-phrases", with: "id: mhp-perinatal"), 19, "duplicate rule id"),
        (valid.replacingOccurrences(of: "phrases: [\"information sharing\", \"shared information\"]", with: "regex: {pattern: \"shar\\\\w+\", anchors: [\"shared\"], words_after: -1}"), 11, "`words_after` must be a number of words from 0 to 1000"),
        (valid.replacingOccurrences(of: "phrases: [\"information sharing\", \"shared information\"]", with: "regex: {pattern: \"shar\\\\w+\", anchors: [\"shared\"], words_before: 9223372036854775807}"), 11, "`words_before` must be a number of words from 0 to 1000"),
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
