import Foundation
import SightlineCore
import Testing

/// `sightline eval` and `sightline show` on a run of the sample corpus.
@Suite struct EvalCommandTests {
    /// One run of the sample corpus, shared; each test copies its records into a folder of its own.
    static let sampleRun: URL = {
        let folder = try! CommandRunner.temporaryFolder().appendingPathComponent("run")
        let result = try! CommandRunner.run(
            ["run", "corpus", "--out", folder.path, "--manifest", "corpus/manifest.csv", "--quiet"],
            in: CommandRunner.repository)
        precondition(result.status == 0, "sample run failed: \(result.stderr)")
        return folder
    }()

    func freshRun() throws -> URL {
        let folder = try CommandRunner.temporaryFolder()
        for name in ["documents.jsonl", "passages.jsonl", "codings.jsonl"] {
            try FileManager.default.copyItem(
                at: Self.sampleRun.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        return folder
    }

    /// A codes file made from the machine's own counted panel-themes codings: quote = the passage text,
    /// plus a "nothing coded" row for each document without any. Rows are (line content, passage id).
    func selfCodes(_ run: URL) throws -> [(fields: [String], passage: String?)] {
        let documents = try jsonLines(run.appendingPathComponent("documents.jsonl")).filter {
            $0["type"] as? String == "document"
        }
        let sources = Dictionary(
            uniqueKeysWithValues: documents.map { ($0["doc_id"] as! String, $0["source"] as! String) })
        let passages = try jsonLines(run.appendingPathComponent("passages.jsonl"))
        let texts = Dictionary(
            uniqueKeysWithValues: passages.map { ($0["passage_id"] as! String, $0["text"] as! String) })
        var rows: [(fields: [String], passage: String?)] = []
        var coded = Set<String>()
        for coding in try jsonLines(run.appendingPathComponent("codings.jsonl"))
        where coding["type"] as? String == "coding" {
            guard coding["taxonomy"] as? String == "panel-themes" else { continue }
            if coding["negated"] as! Bool || coding["hypothetical"] as! Bool || coding["boilerplate"] as! Bool {
                continue
            }
            let id = coding["passage_id"] as! String
            let doc = coding["doc_id"] as! String
            let theme = (coding["theme"] as! String) + ((coding["subtheme"] as? String).map { "/\($0)" } ?? "")
            rows.append(([sources[doc]!, texts[id]!, theme], id))
            coded.insert(doc)
        }
        for document in documents where !coded.contains(document["doc_id"] as! String) {
            rows.append(([document["source"] as! String, "", ""], nil))
        }
        return rows
    }

    func write(_ rows: [[String]], to url: URL, header: [String] = ["source", "quote", "theme"]) throws {
        try Data(CSV.document(header: header, rows: rows).utf8).write(to: url)
    }

    func csvRows(_ url: URL) throws -> [[String]] {
        try CSV.parse(String(contentsOf: url, encoding: .utf8)).map(\.fields)
    }

    @Test func codesFromTheMachinesOwnCodingsAgreePerfectly() throws {
        let run = try freshRun()
        let codes = run.appendingPathComponent("codes.csv")
        let rows = try selfCodes(run)
        #expect(rows.count > 100)
        try write(rows.map(\.fields), to: codes)
        let result = try CommandRunner.run(["eval", "--in", run.path, "--codes", codes.path])
        #expect(result.status == 0, "\(result.stderr)")
        let agreement = try csvRows(run.appendingPathComponent("eval/agreement.csv"))
        #expect(
            agreement[0] == [
                "taxonomy", "theme", "subtheme", "passages", "human", "auto", "both", "precision", "recall", "f1",
                "kappa", "alpha",
                "kappa_ci95_low", "kappa_ci95_high", "f1_ci95_low", "f1_ci95_high",
            ])
        let all = try #require(agreement.last)
        #expect(all[0] == "all" && all[4] == all[5] && all[5] == all[6])
        #expect(Array(all[7...15]) == Array(repeating: "1.000", count: 9), "\(all)")
        // Only panel-themes is compared: the file names no other frame.
        #expect(agreement.dropFirst().dropLast().allSatisfy { $0[0] == "panel-themes" })
        #expect(try csvRows(run.appendingPathComponent("eval/disagreements.csv")).count == 1)
        #expect(!FileManager.default.fileExists(atPath: run.appendingPathComponent("eval/coders.csv").path))
        let summary = String(decoding: result.stdout, as: UTF8.self)
        #expect(summary.contains("theme") && summary.contains("kappa") && summary.contains("\nall "))
        // Byte-identical on a second run (seeded bootstrap), with a byte-order mark and CRLF.
        let first = try Data(contentsOf: run.appendingPathComponent("eval/agreement.csv"))
        #expect(try CommandRunner.run(["eval", "--in", run.path, "--codes", codes.path, "--quiet"]).status == 0)
        #expect(try Data(contentsOf: run.appendingPathComponent("eval/agreement.csv")) == first)
        #expect(first.starts(with: [0xEF, 0xBB, 0xBF]) && String(decoding: first, as: UTF8.self).contains("\r\n"))
    }

    @Test func aRemovedCodeIsListedAsADisagreement() throws {
        let run = try freshRun()
        var rows = try selfCodes(run)
        // A sub-theme coding of a passage with no other code in that theme.
        let index = try #require(
            rows.indices.first { i in
                guard let passage = rows[i].passage, rows[i].fields[2].contains("/") else { return false }
                let theme = rows[i].fields[2].split(separator: "/")[0]
                return rows.filter { $0.passage == passage && $0.fields[2].split(separator: "/")[0] == theme }.count
                    == 1
            })
        let removed = rows.remove(at: index)
        let codes = run.appendingPathComponent("codes.csv")
        try write(rows.map(\.fields), to: codes)
        let result = try CommandRunner.run(["eval", "--in", run.path, "--codes", codes.path, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let disagreements = try csvRows(run.appendingPathComponent("eval/disagreements.csv"))
        #expect(disagreements[0] == ["passage_id", "source", "page", "theme", "human", "auto", "rules", "text"])
        let label = removed.fields[2]
        let theme = String(label.split(separator: "/")[0])
        let listed: [String] = disagreements.dropFirst().map { row in
            [row[0], row[3], row[4], row[5]].joined(separator: " ")
        }
        let expected: [String] = [theme, label].map { "\(removed.passage!) \($0) 0 1" }
        #expect(listed.sorted() == expected.sorted())
        #expect(
            disagreements[1][1] == removed.fields[0] && !disagreements[1][6].isEmpty
                && disagreements[1][7] == removed.fields[1])
        let all = try #require(try csvRows(run.appendingPathComponent("eval/agreement.csv")).last)
        #expect(all[8] == "1.000" && all[7] != "1.000", "precision stays 1, recall drops: \(all)")
    }

    @Test func unusableRowsAreReportedWithTheirLinesAndExitOne() throws {
        let run = try freshRun()
        let rows = try selfCodes(run).prefix(3).map(\.fields)
        let source = rows[0][0]
        let codes = run.appendingPathComponent("codes.csv")
        var lines = rows
        lines.append([source, "Words that appear in no review at all", "critical-thinking"]) // line 5
        lines.append([source, rows[0][1], "no-such-theme"]) // line 6
        lines.append(["corpus/missing.pdf", "anything", "critical-thinking"]) // line 7
        var text = CSV.document(header: ["source", "quote", "theme"], rows: lines)
        text += "\(source),too,many,fields\r\n" // line 8
        try Data(text.utf8).write(to: codes)
        let result = try CommandRunner.run(["eval", "--in", run.path, "--codes", codes.path, "--quiet"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(codes.path):5: quote not found in \(source)"), "\(result.stderr)")
        #expect(result.stderr.contains("\(codes.path):6: unknown theme ‘no-such-theme’"))
        #expect(result.stderr.contains("\(codes.path):7: unknown source ‘corpus/missing.pdf’"))
        #expect(result.stderr.contains("\(codes.path):8: 4 fields where the header has 3"))
        // The usable rows were still evaluated.
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("eval/agreement.csv").path))
    }

    @Test func twoCodersGetACodersTableAndJSONLinesIsRead() throws {
        let run = try freshRun()
        let rows = try selfCodes(run).map(\.fields)
        let codes = run.appendingPathComponent("codes.jsonl")
        var lines = ""
        for (i, row) in rows.enumerated() {
            for coder in ["ann", "bob"] where coder == "ann" || i % 3 != 0 {
                let object: [String: String] = ["source": row[0], "quote": row[1], "theme": row[2], "coder": coder]
                lines +=
                    String(
                        decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
                        as: UTF8.self) + "\n"
            }
        }
        try Data(lines.utf8).write(to: codes)
        let result = try CommandRunner.run([
            "eval", "--in", run.path, "--codes", codes.path, "--quiet", "--replicates", "50",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let coders = try csvRows(run.appendingPathComponent("eval/coders.csv"))
        #expect(
            coders[0] == [
                "taxonomy", "theme", "subtheme", "coder_a", "coder_b", "passages", "a", "b", "both", "kappa", "alpha",
            ])
        let pooled = try #require(coders.first { $0[0] == "all" && $0[3] == "ann" && $0[4] == "bob" })
        // Bob left out every third row: he finds fewer, agrees on all he gives.
        #expect(Int(pooled[6])! > Int(pooled[7])! && pooled[7] == pooled[8])
        #expect(coders.contains { $0[0] == "all" && $0[3] == "all" && !$0[10].isEmpty })
    }

    @Test func missingRunFilesSayWhichCommandToRun() throws {
        let empty = try CommandRunner.temporaryFolder()
        let codes = empty.appendingPathComponent("codes.csv")
        try write([], to: codes)
        let result = try CommandRunner.run(["eval", "--in", empty.path, "--codes", codes.path])
        #expect(result.status != 0)
        #expect(
            result.stderr.contains("documents.jsonl not found") && result.stderr.contains("sightline run"),
            "\(result.stderr)")
        let show = try CommandRunner.run(["show", "abc/1.0", "--in", empty.path])
        #expect(show.status != 0 && show.stderr.contains("documents.jsonl not found"))
    }

    @Test func showExplainsFlagsAndSuggestsNearestIds() throws {
        let run = Self.sampleRun
        let codings = try jsonLines(run.appendingPathComponent("codings.jsonl")).filter {
            $0["type"] as? String == "coding" && $0["taxonomy"] as? String == "panel-themes"
        }
        let negated = try #require(codings.first { $0["negated"] as? Bool == true })
        let id = negated["passage_id"] as! String
        let result = try CommandRunner.run(["show", id, "--in", run.path], in: CommandRunner.repository)
        #expect(result.status == 0, "\(result.stderr)")
        let text = String(decoding: result.stdout, as: UTF8.self)
        #expect(text.contains("passage   \(id)") && text.contains("document  corpus/") && text.contains("headings  "))
        #expect(text.contains("[[") && text.contains("]]"), "matched words are marked when not on a terminal")
        #expect(text.contains("[not counted: negated]") && text.contains("negated: negation cue ‘"), "\(text)")
        let boilerplate = try #require(codings.first { $0["boilerplate"] as? Bool == true })
        let shown = try CommandRunner.run(
            ["show", boilerplate["passage_id"] as! String, "--in", run.path], in: CommandRunner.repository)
        #expect(String(decoding: shown.stdout, as: UTF8.self).contains("boilerplate_headings pattern ‘"))
        // An id that is not there: exit 1, the nearest ids of the same document.
        let prefix = id.split(separator: "/")[0]
        let missing = try CommandRunner.run(["show", "\(prefix)/9999.0", "--in", run.path])
        #expect(missing.status == 1)
        #expect(
            missing.stderr.contains("no passage ‘\(prefix)/9999.0’")
                && missing.stderr.contains("nearest in the same document: \(prefix)/"))
    }
}
