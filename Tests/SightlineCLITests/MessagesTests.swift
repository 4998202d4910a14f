import Foundation
import Testing

/// What a new user sees after a slip: the wrong word named, the nearest right one suggested, what to run first.
@Suite struct MessagesTests {
    let repository = CommandRunner.repository

    @Test func mistypedOptionsAndCommandsAreNamedWithTheNearest() throws {
        let option = try CommandRunner.run(["run", "corpus", "--ot", "x"], in: repository)
        #expect(option.status == 2)
        #expect(option.stderr.contains("unknown option '--ot'; did you mean '--out'?"), "\(option.stderr)")
        #expect(option.stderr.contains("sightline run --help"))
        let equals = try CommandRunner.run(["aggregate", "--in", "x", "--manifset=m.csv"], in: repository)
        #expect(equals.status == 2 && equals.stderr.contains("unknown option '--manifset'; did you mean '--manifest'?"))
        let command = try CommandRunner.run(["rnu", "corpus"], in: repository)
        #expect(
            command.status == 2 && command.stderr.contains("unknown command 'rnu'; did you mean 'run'?"),
            "\(command.stderr)")
        let nested = try CommandRunner.run(["taxonomy", "chek", "x.yaml"], in: repository)
        #expect(nested.status == 2 && nested.stderr.contains("did you mean 'check'?"))
        // Nothing near: named, with no guess.
        let far = try CommandRunner.run(["run", "corpus", "--out", "x", "--zzzzzz"], in: repository)
        #expect(
            far.status == 2 && far.stderr.contains("unknown option '--zzzzzz'") && !far.stderr.contains("did you mean"))
        // The stage executables check their own options.
        let stage = try CommandRunner.run(executable: "sightline-aggregate", ["--inn", "x"], in: repository)
        #expect(stage.status == 2 && stage.stderr.contains("did you mean '--in'?"))
    }

    @Test func jobsHelpStatesItsDefaultOnce() throws {
        let help = try CommandRunner.run(["run", "--help"], in: repository)
        let text = String(decoding: help.stdout, as: UTF8.self).replacingOccurrences(
            of: "\\s+", with: " ", options: .regularExpression)
        #expect(text.contains("Documents extracted in parallel (default: the number of cores)."))
        #expect(!text.contains("of cores). (default"), "\(text)")
    }

    @Test func aMissingInputIsAUsageErrorBeforeAnythingIsWritten() throws {
        let folder = try CommandRunner.temporaryFolder()
        let out = folder.appendingPathComponent("out")
        let result = try CommandRunner.run(["run", "corpus", "no-such-folder", "--out", out.path], in: repository)
        #expect(result.status == 2)
        #expect(result.stderr.contains("no such file or folder: ‘no-such-folder’"))
        #expect(!FileManager.default.fileExists(atPath: out.path), "nothing is written")
        #expect(try CommandRunner.run(["extract", "no-such-file.pdf", "--out", out.path], in: repository).status == 2)
    }

    @Test func taxonomyProblemsSayWhatIsWrong() throws {
        let folder = try CommandRunner.temporaryFolder()
        let missing = try CommandRunner.run(["taxonomy", "check", folder.appendingPathComponent("none.yaml").path])
        #expect(missing.status == 1 && missing.stderr.contains("none.yaml: no such file"), "\(missing.stderr)")
        try FileManager.default.copyItem(
            at: repository.appendingPathComponent("taxonomies/cues.yaml"),
            to: folder.appendingPathComponent("cues.yaml"))
        let head = "sightline_taxonomy: 1\nid: t\nname: T\nversion: 1.0.0\nthemes:\n  - id: a\n    name: A\n"
        let cases = [
            ("tab.yaml", head + "\tdescription: x\n", "line 8 is indented with a tab"),
            (
                "shallow.yaml", head + "   description: x\n    rules: [{id: r, phrases: [a]}]\n",
                "check the indentation near line 8"
            ),
            ("deep.yaml", head + "      description: x\n", "check the indentation near line 8"),
        ]
        for (name, text, expected) in cases {
            let file = folder.appendingPathComponent(name)
            try text.write(to: file, atomically: true, encoding: .utf8)
            let result = try CommandRunner.run(["taxonomy", "check", file.path])
            #expect(
                result.status == 1 && result.stderr.contains("\(name):8: YAML syntax error")
                    && result.stderr.contains(expected),
                "\(name): \(result.stderr)")
        }
    }

    @Test func kwicSaysWhatToRunFirstAndRefusesUnknownThemes() throws {
        let folder = try CommandRunner.temporaryFolder()
        let extracted = folder.appendingPathComponent("extracted")
        #expect(
            try CommandRunner.run(
                ["extract", "corpus/lcspr-fenwick-child-a.txt", "--out", extracted.path, "--quiet"], in: repository
            ).status == 0)
        let early = try CommandRunner.run(["kwic", "neglect", "--in", extracted.path])
        #expect(
            early.status == 2 && early.stderr.contains("passages.jsonl not found: run `sightline tag --in"),
            "\(early.stderr)")
        #expect(try CommandRunner.run(["tag", "--in", extracted.path, "--quiet"]).status == 0)
        let typo = try CommandRunner.run(["kwic", "critical-thinkin", "--in", extracted.path])
        #expect(
            typo.status == 2 && typo.stderr.contains("did you mean ‘critical-thinking’?")
                && typo.stderr.contains("--phrase"))
        #expect(typo.stdout.isEmpty)
        let word = try CommandRunner.run(["kwic", "nursery", "--phrase", "--in", extracted.path])
        #expect(word.status == 0 && String(decoding: word.stdout, as: UTF8.self).contains("[nursery]"))
        let theme = try CommandRunner.run(["kwic", "critical-thinking", "--in", extracted.path, "--limit", "1"])
        #expect(
            theme.status == 0 && String(decoding: theme.stdout, as: UTF8.self).contains("lcspr-fenwick-child-a.txt"))
    }

    @Test func manifestsThatMatchNothingOrUseSemicolonsAreErrors() throws {
        let folder = try CommandRunner.temporaryFolder()
        let original = try String(contentsOf: repository.appendingPathComponent("corpus/manifest.csv"), encoding: .utf8)
        let semicolons = folder.appendingPathComponent("semicolons.csv")
        try "file;year\nlcspr-fenwick-child-a.txt;2025\n".write(to: semicolons, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("out")
        let delimited = try CommandRunner.run(
            ["run", "corpus", "--out", out.path, "--manifest", semicolons.path], in: repository)
        #expect(delimited.status != 0 && delimited.stderr.contains("separated by semicolons"), "\(delimited.stderr)")
        let unmatched = folder.appendingPathComponent("unmatched.csv")
        try original.replacingOccurrences(of: "lcspr-", with: "x-").replacingOccurrences(of: "scr-", with: "y-")
            .write(to: unmatched, atomically: true, encoding: .utf8)
        let none = try CommandRunner.run(
            ["run", "corpus", "--out", out.path, "--manifest", unmatched.path, "--by", "year"], in: repository)
        #expect(
            none.status == 1 && none.stderr.contains("none of its 10 rows names any of the 10 documents"),
            "\(none.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path), "nothing is written")
        // aggregate finds it out too, before writing tables.
        let staged = folder.appendingPathComponent("staged")
        #expect(
            try CommandRunner.run(
                ["extract", "corpus/lcspr-fenwick-child-a.txt", "--out", staged.path, "--quiet"], in: repository
            ).status == 0)
        #expect(try CommandRunner.run(["tag", "--in", staged.path, "--quiet"]).status == 0)
        let aggregate = try CommandRunner.run(["aggregate", "--in", staged.path, "--manifest", unmatched.path])
        #expect(aggregate.status == 1 && aggregate.stderr.contains("none of its"))
        #expect(!FileManager.default.fileExists(atPath: staged.appendingPathComponent("tables").path))
    }

    /// The summary counts the passages coded as evidence, not every passage.
    @Test func runSummaryCountsCodedPassages() throws {
        let folder = try CommandRunner.temporaryFolder()
        let result = try CommandRunner.run(["run", "corpus", "--out", folder.path], in: repository)
        #expect(result.status == 0)
        var coded = Set<String>()
        let codings = try jsonLines(folder.appendingPathComponent("codings.jsonl")).filter {
            $0["type"] as? String == "coding"
        }
        for coding in codings
        where !(coding["negated"] as! Bool) && !(coding["hypothetical"] as! Bool) && !(coding["boilerplate"] as! Bool) {
            coded.insert(coding["passage_id"] as! String)
        }
        let passages = try jsonLines(folder.appendingPathComponent("passages.jsonl")).count
        #expect(coded.count < passages)
        #expect(
            result.stderr.contains(
                "split into \(passages) passages; \(coded.count) coded as evidence for at least one theme"),
            "\(result.stderr)")
    }
}
