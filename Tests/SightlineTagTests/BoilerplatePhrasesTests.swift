import Foundation
import Testing

@testable import SightlineCore

/// `boilerplate_phrases`: a passage about the review or inspection process, or a person's career, is not
/// practice evidence wherever it stands.
@Suite struct BoilerplatePhrasesTests {
    static func frame(_ phrases: String) -> String {
        """
        sightline_taxonomy: 1
        id: boilerplate-frame
        name: Boilerplate frame
        version: 1.0.0
        cues: none
        \(phrases)
        themes:
          - id: information-sharing
            name: Information sharing
            description: Information passed between agencies.
            rules:
              - id: is-phrases
                phrases: ["information sharing", "strategy meeting"]
        """
    }

    func load(_ text: String) throws -> Taxonomy {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("boilerplate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("frame.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try TaxonomyLoader().load(path: path)
    }

    func codings(_ taxonomy: Taxonomy, _ text: String, heading: String = "Findings") -> [CodingRecord] {
        let block = BlockRecord(
            docID: String(repeating: "c", count: 64), page: 1, pageEnd: 1, pageLabel: nil, pageEndLabel: nil, index: 0,
            kind: .paragraph, level: nil, headingPath: [heading], text: text, bbox: nil)
        var splitter = PassageSplitter(boilerplateHeadings: taxonomy.boilerplateHeadings)
        var tagger = Tagger(taxonomies: [taxonomy])
        return splitter.passages(of: block).flatMap { tagger.code($0) }
    }

    @Test func aProcessPhraseMakesThePassageBoilerplateWhateverItsHeading() throws {
        let taxonomy = try load(
            Self.frame(#"boilerplate_phrases: ["inspectors looked at", "qualified as a social worker"]"#))
        let process = codings(
            taxonomy, "Inspectors looked at information sharing and the quality of strategy meetings.")
        #expect(process.count == 1 && process[0].boilerplate && !process[0].counts)
        let career = codings(
            taxonomy, "The reviewer qualified as a social worker in 1998 and led information sharing work.")
        #expect(career.count == 1 && career[0].boilerplate)
        // Practice in the same words, without the phrase, still counts.
        let practice = codings(taxonomy, "Information sharing between police and schools is timely.")
        #expect(practice.count == 1 && practice[0].counts)
        // A frame without the list codes the process passage as evidence.
        let plain = try load(Self.frame(""))
        #expect(codings(plain, "Inspectors looked at information sharing.").first?.counts == true)
    }

    @Test func anEmptyPhraseIsRefusedNamingTheFile() throws {
        #expect(throws: TaxonomyError.self) { try load(Self.frame(#"boilerplate_phrases: ["  "]"#)) }
        #expect(throws: TaxonomyError.self) { try load(Self.frame(#"boilerplate_phrases: "inspectors looked at""#)) }
    }
}
