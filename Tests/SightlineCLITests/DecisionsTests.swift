import Foundation
import SightlineCore
import Testing

/// Review decisions on `aggregate` and `run`: applied before counting, stale ones reported and never applied.
@Suite struct DecisionsTests {
    static let header = ["passage_id", "theme", "decision", "reviewer", "note", "text_sha256"]

    func sha(_ text: String) -> String { SHA256.hex(of: Array(text.utf8)) }

    /// Coded passages of a theme row in themes.csv.
    func codedPassages(_ tables: URL, _ theme: String, _ subtheme: String = "") throws -> Int {
        let text = try String(contentsOf: tables.appendingPathComponent("themes.csv"), encoding: .utf8)
        let rows = try CSV.parse(text.replacingOccurrences(of: "\u{FEFF}", with: "")).map(\.fields)
        let header = rows[0]
        let row = try #require(rows.first { $0[0] == "panel-themes" && $0[1] == theme && $0[2] == subtheme })
        return Int(row[header.firstIndex(of: "coded_passages")!])!
    }

    @Test func decisionsChangeTheCountsAndStaleOnesAreReported() throws {
        let folder = try CommandRunner.temporaryFolder()
        let out = folder.appendingPathComponent("run")
        #expect(
            try CommandRunner.run(["run", "corpus", "--out", out.path, "--quiet"], in: CommandRunner.repository).status
                == 0)
        let texts = Dictionary(
            uniqueKeysWithValues: try jsonLines(out.appendingPathComponent("passages.jsonl")).map {
                ($0["passage_id"] as! String, $0["text"] as! String)
            })
        let codings = try jsonLines(out.appendingPathComponent("codings.jsonl")).filter {
            $0["type"] as? String == "coding" && $0["taxonomy"] as? String == "panel-themes"
        }
        func counted(_ c: [String: Any]) -> Bool {
            !(c["negated"] as! Bool) && !(c["hypothetical"] as! Bool) && !(c["boilerplate"] as! Bool)
        }
        // A passage counted for extrafamilial harm, and one coded for nothing in panel-themes.
        let rejected = try #require(codings.first { $0["theme"] as? String == "extrafamilial-harm" && counted($0) })
        let rejectedID = rejected["passage_id"] as! String
        let codedIDs = Set(codings.map { $0["passage_id"] as! String })
        let addedID = try #require(texts.keys.sorted().first { !codedIDs.contains($0) && texts[$0]!.count > 200 })
        let before = try codedPassages(out.appendingPathComponent("tables"), "extrafamilial-harm")
        let beforeAdded = try codedPassages(out.appendingPathComponent("tables"), "mental-health-child")

        let current = folder.appendingPathComponent("current.csv")
        try Data(
            CSV.document(
                header: Self.header,
                rows: [
                    [
                        rejectedID, "extrafamilial-harm", "reject", "AB", "not about this child",
                        sha(texts[rejectedID]!),
                    ],
                    [addedID, "mental-health-child", "add", "CD", "self-harm described", sha(texts[addedID]!)],
                ]
            ).utf8
        ).write(to: current)
        let applied = try CommandRunner.run(["aggregate", "--in", out.path, "--decisions", current.path, "--quiet"])
        #expect(applied.status == 0, "\(applied.stderr)")
        let tables = out.appendingPathComponent("tables")
        #expect(try codedPassages(tables, "extrafamilial-harm") == before - 1)
        #expect(try codedPassages(tables, "mental-health-child") == beforeAdded + 1)
        let report = try String(contentsOf: tables.appendingPathComponent("decisions.csv"), encoding: .utf8)
        #expect(report.components(separatedBy: ",applied,").count == 3, "\(report)")
        let appendix = try String(contentsOf: tables.appendingPathComponent("appendix.html"), encoding: .utf8)
        #expect(appendix.contains("2 of 2 review decisions applied (0 accept, 1 reject, 1 add) by AB, CD"))

        // eval sees the decided codes too.
        let harm = ThemeKey(taxonomy: "panel-themes", theme: "extrafamilial-harm")
        let mental = ThemeKey(taxonomy: "panel-themes", theme: "mental-health-child")
        let plain = try MachineCodes.load(folder: out.path, docIDs: nil).codes
        #expect(plain.counted[rejectedID]?.contains(harm) == true && plain.counted[addedID] == nil)
        let decided = try MachineCodes.load(folder: out.path, docIDs: nil, decisionsFile: current.path).codes
        #expect(decided.counted[rejectedID]?.contains(harm) != true)
        #expect(decided.counted[addedID] == [mental])

        // `run` with the same decisions gives the same tables.
        let again = folder.appendingPathComponent("again")
        let ran = try CommandRunner.run(
            ["run", "corpus", "--out", again.path, "--decisions", current.path, "--quiet"], in: CommandRunner.repository
        )
        #expect(ran.status == 0, "\(ran.stderr)")
        for name in ["themes.csv", "document-themes.csv", "decisions.csv"] {
            #expect(
                try Data(contentsOf: tables.appendingPathComponent(name))
                    == Data(contentsOf: again.appendingPathComponent("tables/" + name)), "\(name)")
        }

        // A changed text and a passage that is gone: reported by line, not applied, exit 1.
        let stale = folder.appendingPathComponent("stale.csv")
        try Data(
            CSV.document(
                header: Self.header,
                rows: [
                    [rejectedID, "extrafamilial-harm", "reject", "AB", "", sha("an older text of the passage")],
                    ["0000000000000000/1.0", "mental-health-child", "add", "CD", "", ""],
                ]
            ).utf8
        ).write(to: stale)
        let refused = try CommandRunner.run(["aggregate", "--in", out.path, "--decisions", stale.path, "--quiet"])
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains("\(stale.path):2: reject extrafamilial-harm on \(rejectedID): stale"),
            "\(refused.stderr)")
        #expect(refused.stderr.contains("\(stale.path):3:") && refused.stderr.contains("no such passage"))
        #expect(try codedPassages(tables, "extrafamilial-harm") == before)

        // An unknown theme or decision is an error naming the line; nothing is written.
        let bad = folder.appendingPathComponent("bad.csv")
        try Data(
            CSV.document(
                header: Self.header,
                rows: [
                    [rejectedID, "no-such-theme", "reject", "AB", "", ""],
                    [rejectedID, "extrafamilial-harm", "maybe", "AB", "", ""],
                ]
            ).utf8
        ).write(to: bad)
        let broken = try CommandRunner.run(["aggregate", "--in", out.path, "--decisions", bad.path, "--quiet"])
        #expect(broken.status != 0)
        #expect(
            broken.stderr.contains("line 2: no theme ‘no-such-theme’")
                && broken.stderr.contains("line 3: decision ‘maybe’"))
    }
}
