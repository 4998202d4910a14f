import Foundation
import Testing

/// Files in the input folders that Sightline does not read are reported, not passed over in silence.
@Suite struct SkippedFilesTests {
    let corpus = CommandRunner.repository.appendingPathComponent("corpus")

    @Test func unreadFilesGetSkippedRecordsALineEachAndACount() throws {
        let folder = try CommandRunner.temporaryFolder()
        let inputs = folder.appendingPathComponent("reviews")
        try FileManager.default.createDirectory(
            at: inputs.appendingPathComponent("images"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: corpus.appendingPathComponent("lcspr-fenwick-child-a.txt"),
            to: inputs.appendingPathComponent("fenwick.txt"))
        for name in ["figures.xlsx", "images/logo.png", ".hidden.xlsx", "Thumbs.db"] {
            try Data("not a review".utf8).write(to: inputs.appendingPathComponent(name))
        }
        try Data("file,title\nfenwick.txt,Child A\n".utf8).write(to: inputs.appendingPathComponent("manifest.csv"))
        // The output folder inside the inputs is Sightline's own: not read and not reported.
        let out = inputs.appendingPathComponent("results")
        let manifest = inputs.appendingPathComponent("manifest.csv").path
        for _ in 0..<2 {
            let result = try CommandRunner.run([
                "run", inputs.path, "--out", out.path, "--manifest", manifest, "--jobs", "2",
            ])
            #expect(result.status == 0, "skipped files are not failures: \(result.stderr)")
            #expect(
                result.stderr.contains("reviews/figures.xlsx: skipped (unsupported format: .xlsx)"), "\(result.stderr)")
            #expect(result.stderr.contains("reviews/images/logo.png: skipped (unsupported format: .png)"))
            #expect(result.stderr.contains("extracted 1 of 1 documents"))
            #expect(
                result.stderr.contains("2 files skipped, in formats Sightline does not read (1 .png, 1 .xlsx)"),
                "\(result.stderr)")
            // Hidden files, Thumbs.db, the manifest and the output folder's own files are not reported.
            #expect(result.stderr.split(separator: "\n").filter { $0.contains(": skipped (") }.count == 2)
            let records = try jsonLines(out.appendingPathComponent("documents.jsonl"))
            #expect(records.map { $0["type"] as? String } == ["document", "skipped", "skipped"])
            #expect(records[1]["source"] as? String == inputs.path + "/figures.xlsx")
            #expect(records[1]["reason"] as? String == "unsupported format: .xlsx")
            #expect(records[2]["schema"] as? String == "sightline.skipped.v1")
        }
        // The later stages read a documents.jsonl with skipped records.
        let staged = folder.appendingPathComponent("staged")
        #expect(try CommandRunner.run(["extract", inputs.path, "--out", staged.path, "--quiet"]).status == 0)
        let tag = try CommandRunner.run(["tag", "--in", staged.path, "--quiet"])
        #expect(tag.status == 0, "\(tag.stderr)")
        let aggregate = try CommandRunner.run(["aggregate", "--in", staged.path, "--quiet"])
        #expect(aggregate.status == 0, "\(aggregate.stderr)")
        let themes = try String(contentsOf: staged.appendingPathComponent("tables/themes.csv"), encoding: .utf8)
        #expect(themes.contains(",1,"), "one document counted")
    }
}
