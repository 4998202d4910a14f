import Foundation
import SightlineCore
import Testing

/// `review.html` from `run`, `aggregate` and `sightline review`: what the page carries, checked against the
/// run's own records. (The page in a real browser: scripts/check-review-page.)
@Suite struct ReviewPageTests {
    /// The JSON block the page's script reads.
    func pageData(_ url: URL) throws -> [String: Any] {
        let html = try String(contentsOf: url, encoding: .utf8)
        let open = "<script type=\"application/json\" id=\"review-data\">"
        let start = try #require(html.range(of: open)).upperBound
        let end = try #require(html.range(of: "</script>", range: start..<html.endIndex)).lowerBound
        let object = try JSONSerialization.jsonObject(with: Data(html[start..<end].utf8))
        return try #require(object as? [String: Any])
    }

    func sampleRun(decisions: URL? = nil) throws -> URL {
        let out = try CommandRunner.temporaryFolder().appendingPathComponent("run")
        var arguments = ["run", "corpus", "--out", out.path, "--quiet"]
        if let decisions { arguments += ["--decisions", decisions.path] }
        let result = try CommandRunner.run(arguments, in: CommandRunner.repository)
        #expect(result.status == 0, "\(result.stderr)")
        return out
    }

    @Test func thePageCarriesEveryCodedPassageWithItsMatchesAndTextHash() throws {
        let run = try sampleRun()
        let data = try pageData(run.appendingPathComponent("tables/review.html"))
        let themes = (data["t"] as! [[String]]).map { $0[0] }
        let rules = data["r"] as! [String]
        let headings = data["h"] as! [String]
        let rows = data["p"] as! [[Any]]
        let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0[0] as! String, $0) })
        let passages = try jsonLines(run.appendingPathComponent("passages.jsonl"))
        let texts = Dictionary(
            uniqueKeysWithValues: passages.map { ($0["passage_id"] as! String, $0["text"] as! String) })
        let codings = try jsonLines(run.appendingPathComponent("codings.jsonl")).filter {
            $0["type"] as? String == "coding"
        }
        #expect(Set(byID.keys) == Set(codings.map { $0["passage_id"] as! String }))
        // Passages in file order.
        let order = passages.map { $0["passage_id"] as! String }.filter { byID[$0] != nil }
        #expect(rows.map { $0[0] as! String } == order)
        var checkedSpans = 0
        for (id, row) in byID {
            let text = try #require(texts[id])
            #expect(row[5] as! String == text)
            let path = (passages.first { $0["passage_id"] as? String == id }?["heading_path"] as? [String]) ?? []
            #expect(headings[row[3] as! Int] == path.joined(separator: " › "))
            #expect(row[4] as! String == SHA256.hex(of: Array(text.utf8)))
            let own = codings.filter { $0["passage_id"] as! String == id }
            let coded = row[6] as! [[Int]]
            #expect(coded.count == own.count)
            for (coding, packed) in zip(own, coded) {
                let key = [coding["taxonomy"], coding["theme"], coding["subtheme"]].compactMap { $0 as? String }
                    .joined(separator: "/")
                #expect(themes[packed[0]] == key)
                let flag =
                    (coding["boilerplate"] as! Bool)
                    ? 3
                    : (coding["negated"] as! Bool)
                        ? 1
                        : (coding["hypothetical"] as! Bool) ? 2 : 0
                #expect(packed[1] == flag)
                let ruleCount = packed[2]
                #expect(packed[3..<(3 + ruleCount)].map { rules[$0] } == coding["rules"] as! [String])
                // Offsets in UTF-16 units, as the page's JavaScript slices strings: each span is the matched words.
                let spans = Array(packed[(3 + ruleCount)...])
                let matches = coding["matches"] as! [[String: Any]]
                #expect(spans.count == 2 * matches.count)
                let units = Array(text.utf16)
                for (i, match) in matches.enumerated() {
                    let words = String(decoding: units[spans[2 * i]..<spans[2 * i + 1]], as: UTF16.self)
                    #expect(words == match["text"] as! String)
                    checkedSpans += 1
                }
            }
        }
        #expect(checkedSpans > 1_000)
    }

    @Test func decisionsAreShownWithTheirStatusAndTheCommandMatchesRun() throws {
        let first = try sampleRun()
        let passages = try jsonLines(first.appendingPathComponent("passages.jsonl"))
        let codings = try jsonLines(first.appendingPathComponent("codings.jsonl")).filter {
            $0["type"] as? String == "coding" && $0["taxonomy"] as? String == "panel-themes"
        }
        let rejected = try #require(codings.first { $0["theme"] as? String == "critical-thinking" })
        let id = rejected["passage_id"] as! String
        let text = try #require(passages.first { $0["passage_id"] as? String == id }?["text"] as? String)
        let decisions = try CommandRunner.temporaryFolder().appendingPathComponent("decisions.csv")
        try Data(
            CSV.document(
                header: DecisionsTests.header,
                rows: [
                    [
                        id, "critical-thinking", "reject", "Ann </script> Lee", "not critical thinking",
                        SHA256.hex(of: Array(text.utf8)),
                    ],
                    ["0000000000000000/1.0", "panel-themes/adultification", "add", "Bob", "", ""],
                ]
            ).utf8
        ).write(to: decisions)
        let run = try CommandRunner.temporaryFolder().appendingPathComponent("run")
        let ran = try CommandRunner.run(
            ["run", "corpus", "--out", run.path, "--decisions", decisions.path, "--quiet"], in: CommandRunner.repository
        )
        #expect(ran.status == 1, "a stale decision makes the exit status 1")
        let page = run.appendingPathComponent("tables/review.html")
        let html = try String(contentsOf: page, encoding: .utf8)
        // A reviewer's name cannot end the data block early, and the page fetches nothing.
        #expect(html.components(separatedBy: "</script>").count == 3)
        for outside in ["http:", "https:", "src=", "@import", "url("] { #expect(!html.contains(outside), "\(outside)") }
        let given = try pageData(page)["x"] as! [[String]]
        #expect(
            given == [
                [
                    id, "panel-themes/critical-thinking", "reject", "Ann </script> Lee", "not critical thinking",
                    SHA256.hex(of: Array(text.utf8)), "applied",
                ],
                [
                    "0000000000000000/1.0", "panel-themes/adultification", "add", "Bob", "", "",
                    "stale_passage_not_found",
                ],
            ])
        // `sightline review` writes the same page as `run` did, byte for byte.
        let alone = run.appendingPathComponent("alone.html")
        let review = try CommandRunner.run(
            ["review", "--in", run.path, "--decisions", decisions.path, "--out", alone.path, "--quiet"])
        #expect(review.status == 1 && review.stderr.contains("stale, no such passage"), "\(review.stderr)")
        #expect(try Data(contentsOf: alone) == Data(contentsOf: page))
        // And the page of a run without decisions differs only by them.
        let plain = try pageData(first.appendingPathComponent("tables/review.html"))
        let decided = try pageData(page)
        #expect((plain["x"] as! [[String]]).isEmpty && (plain["p"] as! [Any]).count == (decided["p"] as! [Any]).count)
    }

    @Test func aBadDecisionsFileIsAnErrorNamingTheLine() throws {
        let run = try sampleRun()
        let decisions = run.appendingPathComponent("bad.csv")
        try Data(
            CSV.document(header: DecisionsTests.header, rows: [["x/1.0", "no-such-theme", "reject", "", "", ""]]).utf8
        )
        .write(to: decisions)
        let result = try CommandRunner.run(["review", "--in", run.path, "--decisions", decisions.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("line 2: no theme ‘no-such-theme’"), "\(result.stderr)")
        let project = run.appendingPathComponent("codes.qdpx")
        try Data("not read".utf8).write(to: project)
        let refused = try CommandRunner.run(["review", "--in", run.path, "--decisions", project.path])
        #expect(refused.status == 2 && refused.stderr.contains("reads the CSV the page downloads"), "\(refused.stderr)")
        let empty = try CommandRunner.temporaryFolder()
        let missing = try CommandRunner.run(["review", "--in", empty.path])
        #expect(missing.status != 0 && missing.stderr.contains("documents.jsonl not found"), "\(missing.stderr)")
    }
}
