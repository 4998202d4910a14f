import Foundation
import Testing

@testable import SightlineCore

/// `same_sentence` with `rivals`: a term is attributed to the person the sentence puts nearest to it.
@Suite struct AttributionTests {
    static let frame = """
        sightline_taxonomy: 1
        id: attribution-frame
        name: Attribution frame
        version: 1.0.0
        cues: standard
        themes:
          - id: mental-health-child
            name: Children's mental health
            description: The child's own mental health.
            rules:
              - id: mhc-attributed
                same_sentence:
                  a: ["mental health", "anxiety", "self-harm*"]
                  b: ["child*", "young people"]
                  rivals: ["mother*", "parent*"]
                exclude: ["mental health nurse"]
          - id: mental-health-parent
            name: Parents' mental health
            description: A parent's mental health.
            rules:
              - id: mhp-attributed
                same_sentence:
                  a: ["mental health", "anxiety", "self-harm*"]
                  b: ["mother*", "parent*"]
                  rivals: ["child*", "young people"]
          - id: plain
            name: Without rivals
            description: The same terms, any person in the sentence.
            rules:
              - id: plain-same
                same_sentence: {a: ["mental health", "anxiety"], b: ["child*", "mother*"]}
        """

    let taxonomy: Taxonomy

    init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("attribution-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.frame.write(to: folder.appendingPathComponent("frame.yaml"), atomically: true, encoding: .utf8)
        taxonomy = try TaxonomyLoader().load(path: folder.appendingPathComponent("frame.yaml").path)
    }

    func codings(_ text: String) -> [CodingRecord] {
        let block = BlockRecord(
            docID: String(repeating: "b", count: 64), page: 1, pageEnd: 1, pageLabel: nil, pageEndLabel: nil, index: 0,
            kind: .paragraph, level: nil, headingPath: ["Findings"], text: text, bbox: nil)
        var splitter = PassageSplitter(boilerplateHeadings: [])
        var tagger = Tagger(taxonomies: [taxonomy])
        return splitter.passages(of: block).flatMap { tagger.code($0) }
    }

    func themes(_ text: String) -> [String] { codings(text).filter(\.counts).map(\.theme) }

    @Test func theNearestPersonInTheSentenceDecides() {
        // The child is nearer the term than the mother, anywhere in the sentence.
        #expect(
            themes("Her mother raised concerns with the school about the child’s anxiety.") == [
                "mental-health-child", "plain",
            ])
        #expect(themes("The anxiety the children showed worried their mother.") == ["mental-health-child", "plain"])
        // The mother is nearer: the child named in the sentence does not take it.
        #expect(themes("The child’s mother had longstanding anxiety.") == ["mental-health-parent", "plain"])
        #expect(
            themes("Children living with parents whose mental health is poor are seen regularly.") == [
                "mental-health-parent", "plain",
            ])
        // A tie is nobody's.
        #expect(themes("Mental health of children and parents.").contains("mental-health-parent") == false)
    }

    @Test func rivalsCountOnlyInTheTermsSentence() {
        // The mother is in another sentence: the child is the only candidate in the term's own.
        // (The parent rule finds no mother in it either; the rule without rivals has no "young people".)
        #expect(
            themes("Her mother moved house in May. The young people were given help with anxiety.") == [
                "mental-health-child"
            ])
        // No person at all in the sentence: nothing, with or without rivals.
        #expect(themes("The child moved house in May. Anxiety was a theme of the year.").isEmpty)
    }

    @Test func exclusionsStillVetoAndRulesWithoutRivalsAreUnchanged() {
        #expect(themes("The child saw a mental health nurse.") == ["plain"])
        #expect(themes("The school nurse saw the child about self-harm.") == ["mental-health-child"])
    }

    /// An attributed match is negated or hedged as its term is: the person may stand outside the cue's scope.
    @Test func cuesAreJudgedAtTheTermAttributed() {
        let parent = codings("Mother was not known to mental health services.").filter {
            $0.theme == "mental-health-parent"
        }
        #expect(parent.count == 1 && parent[0].negated)
        // The rule without rivals keeps judging cues at its first word, as before.
        #expect(
            codings("Mother was not known to mental health services.").first { $0.theme == "plain" }?.negated == false)
        let child = codings("The child’s school said there was no evidence of anxiety.").filter {
            $0.theme == "mental-health-child"
        }
        #expect(child.count == 1 && child[0].negated)
    }

    @Test func rivalsOnlyInSameSentenceRulesAndNeverEmpty() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "attribution-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let base = Self.frame.components(separatedBy: "  - id: plain")[0]
        for (name, rule, problem) in [
            ("empty", "same_sentence: {a: [x], b: [y], rivals: []}", "empty ‘rivals’ list"),
            ("near", "near: {a: [x], b: [y], rivals: [z]}", "unknown field ‘rivals’"),
        ] {
            let text =
                base
                + [
                    "  - id: bad", "    name: Bad", "    description: A rule with a misplaced rivals list.",
                    "    rules:",
                    "      - id: bad-rule", "        \(rule)", "",
                ].joined(separator: "\n")
            let path = folder.appendingPathComponent("\(name).yaml").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: TaxonomyError.self) { try TaxonomyLoader().load(path: path) }
            do {
                _ = try TaxonomyLoader().load(path: path)
            } catch let error as TaxonomyError {
                #expect(error.problem.contains(problem), "\(name): \(error.problem)")
                #expect(error.file == path)
            }
        }
    }
}
