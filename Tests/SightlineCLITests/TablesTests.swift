import Foundation
import SightlineCore
import Testing

/// The spreadsheet tables of a sample run: coded-segments.csv and document-theme-matrix.csv.
@Suite struct TablesTests {
    /// One run of the sample corpus with its manifest, shared by the tests (nil when it failed).
    static let sample: URL? = {
        guard let folder = try? CommandRunner.temporaryFolder() else { return nil }
        let out = folder.appendingPathComponent("run")
        let result = try? CommandRunner.run(
            ["run", "corpus", "--out", out.path, "--manifest", "corpus/manifest.csv", "--by", "year", "--quiet"],
            environment: ["SOURCE_DATE_EPOCH": "1767225600"], in: CommandRunner.repository)
        return result?.status == 0 ? out : nil
    }()

    static func table(_ name: String) throws -> [[String]] {
        let out = try #require(sample, "the sample run failed")
        let data = try Data(contentsOf: out.appendingPathComponent("tables/" + name))
        #expect(data.starts(with: [0xEF, 0xBB, 0xBF]), "\(name) starts with a UTF-8 byte-order mark")
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        return try CSV.parse(text).map(\.fields)
    }

    /// Every counted coding of codings.jsonl is one row, with its passage's text, in passage order.
    @Test func codedSegmentsHaveOneRowPerCountedCoding() throws {
        let out = try #require(Self.sample)
        let rows = try Self.table("coded-segments.csv")
        #expect(rows.first == CodedSegments.header)
        let body = Array(rows.dropFirst())
        let codings = try jsonLines(out.appendingPathComponent("codings.jsonl")).filter {
            $0["type"] as? String == "coding"
        }
        let counted = codings.filter {
            !($0["negated"] as! Bool) && !($0["hypothetical"] as! Bool) && !($0["boilerplate"] as! Bool)
        }
        #expect(!counted.isEmpty && counted.count < codings.count)
        #expect(body.count == counted.count)
        let passages = try jsonLines(out.appendingPathComponent("passages.jsonl"))
        let texts = Dictionary(
            uniqueKeysWithValues: passages.map { ($0["passage_id"] as! String, $0["text"] as! String) })
        let order = Dictionary(
            uniqueKeysWithValues: passages.enumerated().map { ($0.element["passage_id"] as! String, $0.offset) })
        let column = Dictionary(uniqueKeysWithValues: CodedSegments.header.enumerated().map { ($0.element, $0.offset) })
        var last = -1
        for row in body {
            #expect(row.count == CodedSegments.header.count)
            let id = row[column["passage_id"]!]
            #expect(row[column["text"]!] == texts[id], "\(id): the text is the passage's")
            #expect(order[id]! >= last, "rows in passage order")
            last = order[id]!
            #expect(
                row[column["negated"]!] == "false" && !row[column["rules"]!].isEmpty && !row[column["matched"]!].isEmpty
            )
        }
        // The manifest's title, not the one extracted ("Child S LCSPR | Ashford Brook …").
        let ashford = try #require(body.first { $0[column["source"]!].hasSuffix("lcspr-ashford-brook-child-s.html") })
        #expect(ashford[column["title"]!] == "Local Child Safeguarding Practice Review: Child S (‘Skye’)")
        // The same table from the stages run one after another.
        let staged = out.deletingLastPathComponent().appendingPathComponent("staged")
        #expect(
            try CommandRunner.run(["extract", "corpus", "--out", staged.path, "--quiet"], in: CommandRunner.repository)
                .status == 0)
        #expect(
            try CommandRunner.run(["tag", "--in", staged.path, "--quiet"], in: CommandRunner.repository).status == 0)
        #expect(
            try CommandRunner.run(
                ["aggregate", "--in", staged.path, "--manifest", "corpus/manifest.csv", "--quiet"],
                in: CommandRunner.repository
            ).status == 0)
        let stagedData = try Data(contentsOf: staged.appendingPathComponent("tables/coded-segments.csv"))
        #expect(stagedData == (try Data(contentsOf: out.appendingPathComponent("tables/coded-segments.csv"))))
    }

    /// One `title` column (the manifest's), then theme and `theme/subtheme` columns with counted passages.
    @Test func matrixHasOneTitleAndSubthemeColumns() throws {
        let rows = try Self.table("document-theme-matrix.csv")
        let header = try #require(rows.first)
        #expect(header.filter { $0 == "title" }.count == 1)
        #expect(Array(header.prefix(3)) == ["doc_id", "source", "title"])
        #expect(
            header.contains("year") && header.contains("child-daily-life")
                && header.contains("child-daily-life/voice-of-child"))
        let title = header.firstIndex(of: "title")!
        let skye = "Local Child Safeguarding Practice Review: Child S (‘Skye’)"
        #expect(rows.dropFirst().contains { $0[title] == skye })
        // Each sub-theme's count is at most its theme's.
        for (index, name) in header.enumerated() where name.contains("/") {
            let theme = header.firstIndex(of: String(name.split(separator: "/")[0]))!
            for row in rows.dropFirst() { #expect(Int(row[index])! <= Int(row[theme])!, "\(name)") }
        }
    }
}

/// The Word appendix, read back by pandoc as a reader would open it.
@Suite struct WordAppendixTests {
    @Test func wordAppendixHoldsThemesTitlesAndCrosstabs() throws {
        guard
            let pandoc = ["/usr/bin/pandoc", "/usr/local/bin/pandoc"].first(where: FileManager.default.isExecutableFile)
        else {
            print("skipped: pandoc is not installed (scripts/setup installs it)")
            return
        }
        let out = try #require(TablesTests.sample, "the sample run failed")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: pandoc)
        // As HTML, so that table cells stay whole.
        process.arguments = [
            "-f", "docx", "-t", "html", "--wrap=none", out.appendingPathComponent("tables/appendix.docx").path,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let html = try String(contentsOf: out.appendingPathComponent("tables/appendix.html"), encoding: .utf8)
        for expected in [
            "Methods", "10 documents analysed", "Reviews included", "Documents and pages not analysed",
            "Child Safeguarding Practice Review Panel themes", "Case characteristics (Panel serious incident coding)",
            "daily life is like", "Adultification", "Type of incident",
            "Local Child Safeguarding Practice Review: Child S (‘Skye’)", "Serious Case Review: Child D", "By year",
            "2016 (n=1)",
            "Features in 8 of 10 reviews", "Local Child Safeguarding Practice Review: Child K, p. 5",
        ] {
            #expect(text.contains(EvidenceModelHTML.escape(expected)), "the Word appendix lacks ‘\(expected)’")
            #expect(html.contains(EvidenceModelHTML.escape(expected)), "the HTML appendix lacks ‘\(expected)’")
        }
        let visible = text.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
        #expect(
            visible.range(of: "[0-9a-f]{16}/[0-9]+\\.[0-9]+", options: .regularExpression) == nil,
            "no passage id in the text")
    }
}

enum EvidenceModelHTML {
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
