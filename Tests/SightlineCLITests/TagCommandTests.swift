import Foundation
import Testing

/// `sightline taxonomy check`, `sightline tag` errors and `sightline kwic`, run as processes.
@Suite struct TagCommandTests {
    @Test func taxonomyCheckPrintsThemesOrTheFaultyLine() throws {
        let good = try CommandRunner.run(
            ["taxonomy", "check", "taxonomies/panel-themes.yaml"], in: CommandRunner.repository)
        #expect(good.status == 0)
        let printed = String(decoding: good.stdout, as: UTF8.self)
        for theme in [
            "child-daily-life", "reluctant-engagement", "critical-thinking", "changing-risk", "information-sharing",
            "leadership-culture", "extrafamilial-harm", "mental-health-child", "mental-health-parent", "adultification",
        ] {
            #expect(printed.contains(theme))
        }
        let folder = try CommandRunner.temporaryFolder()
        let broken = folder.appendingPathComponent("broken.yaml")
        try
            ("sightline_taxonomy: 1\nid: x\nname: X\nversion: 1\nthemes:\n  - id: a\n    name: A\n    description: d\n"
            + "    rules:\n      - id: r\n        phrasez: [b]\n")
            .write(to: broken, atomically: true, encoding: .utf8)
        let bad = try CommandRunner.run(["taxonomy", "check", broken.path])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("broken.yaml:11"))
        #expect(bad.stderr.contains("phrasez"))
        // tag refuses a bad taxonomy before reading any document.
        let tagged = try CommandRunner.run(["tag", "--in", folder.path, "--taxonomy", broken.path])
        #expect(tagged.status != 0)
        #expect(tagged.stderr.contains("broken.yaml:11"))
    }

    /// A theme's own document-call rule is printed by `taxonomy check`, and a malformed one refused with its line.
    @Test func taxonomyCheckShowsAndValidatesThemeDocumentCalls() throws {
        let folder = try CommandRunner.temporaryFolder()
        func frame(_ rule: String) throws -> String {
            let path = folder.appendingPathComponent("frame-\(UUID().uuidString).yaml")
            try
                ("sightline_taxonomy: 1\nid: x\nname: X\nversion: 1\ncues: none\nthemes:\n  - id: a\n    name: A\n"
                + "    description: d\n    document_call: \(rule)\n    rules:\n      - id: r\n        phrases: [b]\n")
                .write(to: path, atomically: true, encoding: .utf8)
            return path.path
        }
        let good = try CommandRunner.run(["taxonomy", "check", try frame("{min_passages: 3, min_share: 4%}")])
        #expect(good.status == 0)
        let printed = String(decoding: good.stdout, as: UTF8.self)
        #expect(printed.contains("features when: at least 2 passages of counted evidence"))
        #expect(printed.contains("the theme's own rule): at least 3 passages of counted evidence, at least 4.0%"))
        let bad = try CommandRunner.run(["taxonomy", "check", try frame("{min_share: 4 percent}")])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains(".yaml:10: min_share in document_call of theme ‘a’"))
    }

    @Test func truncatedInputIsNamedWithItsLine() throws {
        let folder = try CommandRunner.temporaryFolder()
        #expect(
            try CommandRunner.run(
                ["extract", "corpus/lcspr-fenwick-child-a.txt", "--out", folder.path, "--quiet"],
                in: CommandRunner.repository
            ).status == 0)
        let blocks = folder.appendingPathComponent("blocks.jsonl")
        var data = try Data(contentsOf: blocks)
        data = data.prefix(data.count - 40)
        try data.write(to: blocks)
        let result = try CommandRunner.run(["tag", "--in", folder.path], in: CommandRunner.repository)
        #expect(result.status != 0)
        #expect(result.stderr.contains("blocks.jsonl:"))
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test func kwicShowsThemesAndPhrasesInContext() throws {
        let folder = try CommandRunner.temporaryFolder()
        #expect(
            try CommandRunner.run(["run", "corpus", "--out", folder.path, "--quiet"], in: CommandRunner.repository)
                .status == 0)
        let theme = try CommandRunner.run(
            ["kwic", "extrafamilial-harm", "--in", folder.path, "--limit", "5"], in: CommandRunner.repository)
        #expect(theme.status == 0)
        let lines = String(decoding: theme.stdout, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines.allSatisfy { $0.contains("corpus/") && $0.contains("[") && $0.contains("|") })
        let phrase = try CommandRunner.run(
            ["kwic", "professional curios*", "--in", folder.path], in: CommandRunner.repository)
        let found = String(decoding: phrase.stdout, as: UTF8.self)
        #expect(found.lowercased().contains("[professional curiosity]"))
    }
}
