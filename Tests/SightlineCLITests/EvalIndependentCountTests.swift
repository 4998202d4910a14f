import Foundation
import SightlineCore
import Testing

/// `sightline eval`'s counts against a second, deliberately plain implementation written here: the run's
/// JSON Lines read as dictionaries, quotes found with `String.range(of:)` in the document's passages joined
/// after dropping white space and hyphens, and the 2×2 tables and kappa counted with loops. It shares no code
/// with `HumanCodes`, `QuoteLocator`, `MachineCodes` or `AgreementReport`.
@Suite struct EvalIndependentCountTests {
    struct Passage {
        var id: String
        var text: String
    }

    /// The run, read plainly: documents in order (source), their passages, the panel-themes keys, and the
    /// counted keys of each passage (a sub-theme coding counts for its theme too).
    struct Plain {
        var sources: [String: String] = [:] // doc_id → source
        var passages: [String: [Passage]] = [:] // doc_id → passages in order
        var keys: [String] = [] // "theme" and "theme/subtheme", frame order
        var counted: [String: Set<String>] = [:] // passage_id → keys

        init(_ run: URL) throws {
            for d in try jsonLines(run.appendingPathComponent("documents.jsonl"))
            where d["type"] as? String == "document" {
                sources[d["doc_id"] as! String] = d["source"] as? String
            }
            for p in try jsonLines(run.appendingPathComponent("passages.jsonl")) {
                passages[p["doc_id"] as! String, default: []].append(
                    Passage(id: p["passage_id"] as! String, text: p["text"] as! String))
            }
            for line in try jsonLines(run.appendingPathComponent("codings.jsonl")) {
                if line["type"] as? String == "taxonomy", line["taxonomy"] as? String == "panel-themes" {
                    for theme in line["themes"] as! [[String: Any]] {
                        let id = theme["id"] as! String
                        keys.append(id)
                        for sub in theme["subthemes"] as! [[String: Any]] {
                            keys.append(id + "/" + (sub["id"] as! String))
                        }
                    }
                }
                guard line["type"] as? String == "coding", line["taxonomy"] as? String == "panel-themes" else {
                    continue
                }
                if line["negated"] as! Bool || line["hypothetical"] as! Bool || line["boilerplate"] as! Bool {
                    continue
                }
                let theme = line["theme"] as! String
                let id = line["passage_id"] as! String
                counted[id, default: []].insert(theme)
                if let sub = line["subtheme"] as? String { counted[id, default: []].insert(theme + "/" + sub) }
            }
        }

        func docID(ofSource source: String) -> String? { sources.first { $0.value == source }?.key }
    }

    /// Lower case, no white space, no hyphens or dashes: enough for quotes copied from the text itself.
    static func squash(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.lowercased().unicodeScalars.filter {
                    !$0.properties.isWhitespace && !["-", "\u{2010}", "\u{2013}", "\u{2014}", "\u{AD}"].contains($0)
                }))
    }

    /// Human, auto and both per key and the number of passages, counted plainly from a codes file's rows
    /// (source, quote, theme); nil when a quote is not found exactly once.
    static func count(_ rows: [[String]], _ run: Plain) -> (units: Int, tables: [String: [Int]])? {
        var human: [String: Set<String>] = [:] // passage_id → keys
        var named: [String] = []
        for row in rows {
            guard let doc = run.docID(ofSource: row[0]) else { return nil }
            if !named.contains(doc) { named.append(doc) }
            if row[1].isEmpty { continue }
            let passages = run.passages[doc]!
            // The document squashed, with the character offset where each passage starts.
            var joined = ""
            var starts: [Int] = []
            for p in passages {
                starts.append(joined.count)
                joined += squash(p.text)
            }
            let quote = squash(row[1])
            guard let found = joined.range(of: quote),
                joined.range(of: quote, range: joined.index(after: found.lowerBound)..<joined.endIndex) == nil
            else { return nil }
            let from = joined.distance(from: joined.startIndex, to: found.lowerBound)
            let to = from + quote.count
            for (i, p) in passages.enumerated() {
                let end = i + 1 < starts.count ? starts[i + 1] : joined.count
                guard starts[i] < to && from < end else { continue }
                let theme = row[2]
                human[p.id, default: []].insert(theme)
                if let slash = theme.firstIndex(of: "/") { human[p.id, default: []].insert(String(theme[..<slash])) }
            }
        }
        var units = 0
        var tables: [String: [Int]] = [:]
        for key in run.keys { tables[key] = [0, 0, 0, 0] } // human, auto, both, neither
        for doc in named {
            for p in run.passages[doc]! {
                units += 1
                for key in run.keys {
                    let h = human[p.id]?.contains(key) == true
                    let a = run.counted[p.id]?.contains(key) == true
                    if h { tables[key]![0] += 1 }
                    if a { tables[key]![1] += 1 }
                    if h && a { tables[key]![2] += 1 }
                    if !h && !a { tables[key]![3] += 1 }
                }
            }
        }
        return (units, tables)
    }

    /// Cohen's kappa from the four cells, written out.
    static func kappa(_ c: [Int]) -> String {
        let n = Double(c[0] + c[1] - c[2] + c[3])
        let observed = Double(c[2] + c[3]) / n
        let expected = Double(c[0]) / n * Double(c[1]) / n + Double(Int(n) - c[0]) / n * Double(Int(n) - c[1]) / n
        guard expected < 1 else { return "" }
        let value = (observed - expected) / (1 - expected)
        let text = String(format: "%.3f", value)
        return text == "-0.000" ? "0.000" : text
    }

    /// Runs eval on the rows and compares every row of agreement.csv with the plain count.
    func compare(_ rows: [[String]], run: URL) throws {
        let plain = try Plain(run)
        let expected = try #require(Self.count(rows, plain), "the test's own rows must each quote one place")
        let codes = run.appendingPathComponent("codes.csv")
        try Data(CSV.document(header: ["source", "quote", "theme"], rows: rows).utf8).write(to: codes)
        let result = try CommandRunner.run([
            "eval", "--in", run.path, "--codes", codes.path, "--quiet", "--replicates", "0",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let agreement = try CSV.parse(
            String(contentsOf: run.appendingPathComponent("eval/agreement.csv"), encoding: .utf8)
        )
        .map(\.fields).dropFirst()
        var pooled = [0, 0, 0, 0]
        var compared = 0
        for row in agreement {
            if row[0] == "all" {
                #expect(row[3] == String(expected.units))
                #expect(row[4...6].map { Int($0)! } == Array(pooled[0...2]), "pooled over themes")
                #expect(row[10] == Self.kappa(pooled))
                continue
            }
            let key = row[1] + (row[2].isEmpty ? "" : "/" + row[2])
            let cells = try #require(expected.tables[key], "\(key)")
            #expect(row[3] == String(expected.units), "\(key)")
            #expect([row[4], row[5], row[6]] == cells[0...2].map(String.init), "\(key): human, auto, both")
            #expect(row[10] == Self.kappa(cells), "\(key): kappa")
            if row[2].isEmpty { for i in 0..<4 { pooled[i] += cells[i] } }
            compared += 1
        }
        #expect(compared == plain.keys.count)
    }

    func freshRun() throws -> URL {
        let folder = try CommandRunner.temporaryFolder()
        for name in RunFolder.files {
            try FileManager.default.copyItem(
                at: EvalCommandTests.sampleRun.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        return folder
    }

    /// Codes made here from the sample corpus's passages by fixed rules: whole passages with the machine's own
    /// codes and with other themes, words from the middle of a passage, quotes across two passages with the
    /// line broken differently, sub-themes, and a document read with nothing coded.
    @Test func constructedCodesOnTheSampleCorpus() throws {
        let run = try freshRun()
        let plain = try Plain(run)
        let docs = plain.sources.keys.sorted { plain.sources[$0]! < plain.sources[$1]! }
        let themes = plain.keys
        var rows: [[String]] = []
        func unique(_ quote: String, in doc: String) -> Bool {
            Self.count([[plain.sources[doc]!, quote, themes[0]]], plain) != nil
        }
        for (d, doc) in docs.prefix(6).enumerated() {
            let passages = plain.passages[doc]!
            let source = plain.sources[doc]!
            for (i, p) in passages.enumerated() where p.text.count >= 40 {
                let machine = plain.counted[p.id]?.sorted() ?? []
                switch (i + d) % 6 {
                case 0 where !machine.isEmpty && unique(p.text, in: doc):
                    rows.append([source, p.text, machine[0]]) // agrees with the machine
                case 1, 4:
                    let words = p.text.split(separator: " ")
                    guard words.count > 8 else { continue }
                    let middle = words[3..<8].joined(separator: " ")
                    if unique(middle, in: doc) { rows.append([source, middle, themes[(i * 7 + d) % themes.count]]) }
                case 2 where i + 1 < passages.count:
                    let across = String(p.text.suffix(25)) + "\n  " + String(passages[i + 1].text.prefix(25))
                    if unique(across, in: doc) { rows.append([source, across, themes[(i * 3) % themes.count]]) }
                default:
                    continue
                }
            }
        }
        rows.append([plain.sources[docs[7]]!, "", ""])
        #expect(rows.count > 150)
        #expect(Set(rows.map { $0[2] }).count > 15, "themes and sub-themes")
        try compare(rows, run: run)
    }

    /// A hand-coded sample written by a person reading the reviews (docs/examples/hand-codes.csv), if present.
    @Test func theExampleHandCodes() throws {
        let file = CommandRunner.repository.appendingPathComponent("docs/examples/hand-codes.csv")
        let text = try String(contentsOf: file, encoding: .utf8)
        let rows = try CSV.parse(text).map(\.fields).dropFirst().map { Array($0.prefix(3)) }
        #expect(rows.count > 20)
        try compare(Array(rows), run: try freshRun())
    }
}
