import Foundation
import Testing

/// `sightline run` on the sample corpus: golden outputs and determinism.
@Suite struct RunCommandTests {
    static let outputs = [
        "documents.jsonl", "blocks.jsonl", "passages.jsonl", "codings.jsonl", "tables/themes.csv",
        "tables/document-themes.csv",
        "tables/document-theme-matrix.csv", "tables/coded-segments.csv",
        "tables/cooccurrence.csv", "tables/crosstab-year.csv", "tables/crosstab-review-type.csv", "tables/evidence.md",
        "tables/appendix.html",
        "tables/appendix.docx",
    ]
    static let golden = CommandRunner.repository.appendingPathComponent("Tests/SightlineCLITests/Golden/sample-run")

    func run(jobs: String, into out: URL) throws -> CommandRunner.Result {
        // Relative paths, run from the repository, so sources read "corpus/…" on any machine.
        try CommandRunner.run(
            [
                "run", "corpus", "--out", out.path, "--jobs", jobs, "--manifest", "corpus/manifest.csv", "--by", "year",
                "--by", "review_type", "--quiet",
            ],
            environment: ["SOURCE_DATE_EPOCH": "1767225600"], in: CommandRunner.repository)
    }

    /// Golden files for every output; re-record with SIGHTLINE_RECORD_GOLDEN=1.
    @Test func outputsMatchGoldenFilesAndAreIdenticalForAnyJobs() throws {
        let folder = try CommandRunner.temporaryFolder()
        let one = folder.appendingPathComponent("one")
        let four = folder.appendingPathComponent("four")
        #expect(try run(jobs: "1", into: one).status == 0)
        #expect(try run(jobs: "4", into: four).status == 0)
        let record = ProcessInfo.processInfo.environment["SIGHTLINE_RECORD_GOLDEN"] != nil
        for name in Self.outputs {
            let produced = try Data(contentsOf: one.appendingPathComponent(name))
            #expect(
                produced == (try Data(contentsOf: four.appendingPathComponent(name))),
                "\(name) differs between --jobs 1 and 4")
            let goldenFile = Self.golden.appendingPathComponent(name)
            if record {
                try FileManager.default.createDirectory(
                    at: goldenFile.deletingLastPathComponent(), withIntermediateDirectories: true)
                try produced.write(to: goldenFile)
            } else {
                let expected = try Data(contentsOf: goldenFile)
                #expect(
                    produced == expected,
                    """
                    \(name) differs from its golden file \
                    (re-record with SIGHTLINE_RECORD_GOLDEN=1 if the change is intended)
                    """
                )
            }
        }
    }

    /// `run` codes inside the extraction workers; the stage-by-stage path must give the same lines.
    @Test func stageByStageGivesTheSameOutputs() throws {
        let folder = try CommandRunner.temporaryFolder()
        let staged = folder.appendingPathComponent("staged")
        let env = ["SOURCE_DATE_EPOCH": "1767225600"]
        #expect(
            try CommandRunner.run(
                ["extract", "corpus", "--out", staged.path, "--quiet"], environment: env, in: CommandRunner.repository
            ).status == 0)
        #expect(
            try CommandRunner.run(
                executable: "sightline-tag", ["--in", staged.path, "--quiet"], environment: env,
                in: CommandRunner.repository
            ).status == 0)
        #expect(
            try CommandRunner.run(
                executable: "sightline-aggregate",
                [
                    "--in", staged.path, "--manifest", "corpus/manifest.csv", "--by", "year", "--by", "review_type",
                    "--quiet",
                ],
                environment: env, in: CommandRunner.repository
            ).status == 0)
        for name in Self.outputs {
            #expect(
                try Data(contentsOf: staged.appendingPathComponent(name))
                    == Data(contentsOf: Self.golden.appendingPathComponent(name)), "\(name)")
        }
    }

    @Test func appendixIsSelfContained() throws {
        let folder = try CommandRunner.temporaryFolder()
        #expect(try run(jobs: "2", into: folder).status == 0)
        let html = try String(contentsOf: folder.appendingPathComponent("tables/appendix.html"), encoding: .utf8)
        #expect(html.contains("class=\"chart\"") && html.contains("@media print"))
        for external in ["https://", "src=", "<link", "@import", "url("] {
            #expect(!html.contains(external), "the appendix must not request \(external)")
        }
        #expect(html.contains("2026-01-01"), "the date comes from SOURCE_DATE_EPOCH")
    }

    @Test func emptyInputAndUsageErrors() throws {
        let folder = try CommandRunner.temporaryFolder()
        let empty = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let result = try CommandRunner.run(["run", empty.path, "--out", folder.appendingPathComponent("out").path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no documents found"))
        #expect(try CommandRunner.run(["run", "corpus", "--out", "-"]).status == 2)
        // Every document failed: exit 1, error records written, tables with zero counts, no crash.
        let bad = CommandRunner.repository.appendingPathComponent("Tests/SightlineExtractTests/Fixtures/bad")
        let allFailed = folder.appendingPathComponent("all-failed")
        let failed = try CommandRunner.run(["run", bad.path, "--out", allFailed.path, "--quiet"])
        #expect(failed.status == 1)
        let themes = try String(contentsOf: allFailed.appendingPathComponent("tables/themes.csv"), encoding: .utf8)
        #expect(themes.contains("panel-themes,adultification,,Adultification,0,0,,,,0"))
        let appendix = try String(contentsOf: allFailed.appendingPathComponent("tables/appendix.html"), encoding: .utf8)
        #expect(appendix.contains("could not be read"))
        #expect(try CommandRunner.run(["aggregate", "--in", folder.path, "--min-passages", "0"]).status == 2)
    }

    /// No name from the inputs or the manifest can put a file outside --out.
    @Test func outputNamesStayInsideOut() throws {
        let folder = try CommandRunner.temporaryFolder()
        let manifest = folder.appendingPathComponent("manifest.csv")
        let original = try String(
            contentsOf: CommandRunner.repository.appendingPathComponent("corpus/manifest.csv"), encoding: .utf8)
        try original.replacingOccurrences(of: ",year,", with: ",../../escape/year,").write(
            to: manifest, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("out")
        let result = try CommandRunner.run(
            ["run", "corpus", "--out", out.path, "--manifest", manifest.path, "--by", "../../escape/year", "--quiet"],
            in: CommandRunner.repository)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("escape").path))
        #expect(!FileManager.default.fileExists(atPath: CommandRunner.repository.appendingPathComponent("escape").path))
        let tables = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("tables").path)
        #expect(tables.contains { $0.hasPrefix("crosstab-") && $0.hasSuffix("year.csv") && !$0.contains("/") })
        // Everything written is under --out.
        let written = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
        #expect(written.allSatisfy { $0 == "manifest.csv" || $0 == "out" || $0.hasPrefix("out/") }, "\(written)")
    }
}
