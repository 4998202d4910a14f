import Foundation
import Testing

@testable import SightlineCore

/// The shipped panel-themes taxonomy against a hand-coded development set
/// (Fixtures/devset.jsonl: passages from the sample corpus and the Ofsted
/// reports, each with the themes a careful coder counts and the reason).
@Suite struct DevSetAccuracyTests {
    struct Labelled: Decodable {
        var id: String
        var origin: String
        var heading_path: [String]
        var text: String
        var themes: [String]
        var negated: [String]
        var hypothetical: [String]
        var boilerplate: Bool
        var reason: String
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let practiceAndSpotlight = [
        "child-daily-life", "reluctant-engagement", "critical-thinking", "changing-risk", "information-sharing",
        "leadership-culture", "extrafamilial-harm", "mental-health-child", "mental-health-parent", "adultification",
    ]

    struct Score {
        var tp = 0
        var fp = 0
        var fn = 0
        var precision: Double { tp + fp == 0 ? 1 : Double(tp) / Double(tp + fp) }
        var recall: Double { tp + fn == 0 ? 1 : Double(tp) / Double(tp + fn) }
    }

    /// Per-theme scores of the shipped taxonomy on the development set, with the misses for inspection.
    static func evaluate() throws -> (scores: [String: Score], errors: [String]) {
        let taxonomy = try TaxonomyLoader().load(path: repository.appendingPathComponent("taxonomies/panel-themes.yaml").path)
        var tagger = Tagger(taxonomies: [taxonomy])
        var splitter = PassageSplitter(boilerplateHeadings: taxonomy.boilerplateHeadings)
        let rows = try JSONLinesReader(path: repository.appendingPathComponent("Tests/SightlineTagTests/Fixtures/devset.jsonl").path).decodeAll(Labelled.self)
        var scores: [String: Score] = [:]
        var errors: [String] = []
        for (n, row) in rows.enumerated() {
            let block = BlockRecord(docID: SHA256.hex(of: Array(row.id.utf8)), page: 1, pageEnd: 1, pageLabel: nil, pageEndLabel: nil, index: n, kind: .paragraph, level: nil, headingPath: row.heading_path, text: row.text, bbox: nil)
            let codings = splitter.passages(of: block).flatMap { tagger.code($0) }
            let predicted = Set(codings.filter(\.counts).map(\.theme))
            let expected = Set(row.themes)
            for theme in practiceAndSpotlight {
                switch (predicted.contains(theme), expected.contains(theme)) {
                case (true, true): scores[theme, default: Score()].tp += 1
                case (true, false):
                    scores[theme, default: Score()].fp += 1
                    let rules = codings.filter { $0.theme == theme && $0.counts }.flatMap(\.matches).map { "\($0.rule):\($0.text)" }
                    errors.append("FP \(theme) \(row.id) \(rules)")
                case (false, true):
                    scores[theme, default: Score()].fn += 1
                    errors.append("FN \(theme) \(row.id)")
                case (false, false): break
                }
            }
        }
        return (scores, errors)
    }

    @Test func practiceAndSpotlightThemesReachPointSevenFive() throws {
        let (scores, errors) = try Self.evaluate()
        print("theme                       precision  recall   (tp fp fn) on the development set")
        for theme in Self.practiceAndSpotlight {
            let s = scores[theme] ?? Score()
            print("\(theme.padding(toLength: 27, withPad: " ", startingAt: 0)) \(String(format: "%9.2f %7.2f", s.precision, s.recall))   (\(s.tp) \(s.fp) \(s.fn))")
        }
        if ProcessInfo.processInfo.environment["SIGHTLINE_DEVSET_ERRORS"] != nil { errors.forEach { print($0) } }
        for theme in Self.practiceAndSpotlight {
            let s = scores[theme] ?? Score()
            #expect(s.tp + s.fn >= 10, "\(theme): too few labelled passages to measure")
            #expect(s.precision >= 0.75, "\(theme): precision \(s.precision)")
            #expect(s.recall >= 0.75, "\(theme): recall \(s.recall)")
        }
    }
}
