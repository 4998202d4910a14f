import Foundation

@testable import SightlineCore

/// The hand-labelled passages and how the shipped taxonomies score on them.
///
/// Two sides, split by document before any rule was tuned on the new passages:
/// - tuning (dev): `Fixtures/devset.jsonl` and `Fixtures/ofsted-dev.jsonl`, looked at while rules are written;
/// - frozen (test): `Fixtures/frozen/`, never looked at passage by passage while tuning; only its summary
///   figures are printed, and `FrozenSplitTests` fails if it is edited or leaks into the tuning side.
struct LabelledPassage: Decodable {
    var id: String
    var origin: String
    var headingPath: [String]
    var text: String
    var themes: [String]?
    var characteristics: [String]?

    enum CodingKeys: String, CodingKey {
        case id, origin, text, themes, characteristics
        case headingPath = "heading_path"
    }
}

enum LabelledSets {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = repository.appendingPathComponent("Tests/SightlineTagTests/Fixtures")
    static let tuningFiles = ["devset.jsonl", "ofsted-dev.jsonl"]
    static let frozenFiles = ["frozen/ofsted-test.jsonl", "frozen/characteristics-test.jsonl"]

    static let panelThemes = [
        "child-daily-life", "reluctant-engagement", "critical-thinking", "changing-risk", "information-sharing",
        "leadership-culture", "extrafamilial-harm", "mental-health-child", "mental-health-parent", "adultification",
    ]
    static let characteristics = [
        "parental-alcohol-misuse", "parental-drug-misuse", "parental-adverse-childhood-experiences",
        "parent-care-leaver",
        "parental-criminal-record", "parental-mental-ill-health", "parental-learning-difficulty", "parental-separation",
        "domestic-abuse", "elective-home-education", "child-disability", "child-mental-ill-health",
    ]

    static func load(_ files: [String]) throws -> [LabelledPassage] {
        try files.flatMap {
            try JSONLinesReader(path: fixtures.appendingPathComponent($0).path).decodeAll(LabelledPassage.self)
        }
    }

    struct Score {
        var tp = 0
        var fp = 0
        var fn = 0
        var precision: Double { tp + fp == 0 ? 1 : Double(tp) / Double(tp + fp) }
        var recall: Double { tp + fn == 0 ? 1 : Double(tp) / Double(tp + fn) }
        var positives: Int { tp + fn }
        static func + (a: Score, b: Score) -> Score { Score(tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn) }
    }

    /// Scores a shipped taxonomy on labelled passages: a theme is predicted when a counted coding of it is
    /// made. `labels` picks the expected ids of a row (nil: the row is not labelled for this frame).
    /// `misses` lists false positives and negatives with the rules that fired, for the tuning side only.
    static func score(
        taxonomy file: String, ids: [String], rows: [LabelledPassage], labels: (LabelledPassage) -> [String]?
    ) throws -> (scores: [String: Score], misses: [String]) {
        let taxonomy = try TaxonomyLoader().load(path: repository.appendingPathComponent(file).path)
        var tagger = Tagger(taxonomies: [taxonomy])
        var splitter = PassageSplitter(boilerplateHeadings: taxonomy.boilerplateHeadings)
        var scores: [String: Score] = [:]
        var misses: [String] = []
        for (n, row) in rows.enumerated() {
            guard let expected = labels(row).map(Set.init) else { continue }
            let block = BlockRecord(
                docID: SHA256.hex(of: Array(row.id.utf8)), page: 1, pageEnd: 1, pageLabel: nil, pageEndLabel: nil,
                index: n, kind: .paragraph, level: nil, headingPath: row.headingPath, text: row.text, bbox: nil)
            let codings = splitter.passages(of: block).flatMap { tagger.code($0) }.filter(\.counts)
            let predicted = Set(codings.map(\.theme))
            for id in ids {
                switch (predicted.contains(id), expected.contains(id)) {
                case (true, true): scores[id, default: Score()].tp += 1
                case (true, false):
                    scores[id, default: Score()].fp += 1
                    let rules = codings.filter { $0.theme == id }.flatMap(\.matches).map { "\($0.rule):\($0.text)" }
                    misses.append("FP \(id) \(row.id) \(rules)")
                case (false, true):
                    scores[id, default: Score()].fn += 1
                    misses.append("FN \(id) \(row.id)")
                case (false, false): break
                }
            }
        }
        return (scores, misses)
    }

    /// A table of precision and recall per id, tuning and frozen side by side.
    static func table(ids: [String], tuning: [String: Score], frozen: [String: Score]) -> String {
        func cell(_ s: Score?) -> String {
            guard let s, s.positives + s.fp > 0 else { return "      –      –    0" }
            return String(format: "%6.2f %6.2f %4d", s.precision, s.recall, s.positives)
        }
        var lines = ["id                                       tuning: P      R    n | frozen: P      R    n"]
        var total = (Score(), Score())
        for id in ids {
            total = (total.0 + (tuning[id] ?? Score()), total.1 + (frozen[id] ?? Score()))
            lines.append(
                "\(id.padding(toLength: 40, withPad: " ", startingAt: 0)) \(cell(tuning[id]))   | \(cell(frozen[id]))")
        }
        let label = "all (micro-averaged)".padding(toLength: 40, withPad: " ", startingAt: 0)
        lines.append("\(label) \(cell(total.0))   | \(cell(total.1))")
        return lines.joined(separator: "\n")
    }
}
