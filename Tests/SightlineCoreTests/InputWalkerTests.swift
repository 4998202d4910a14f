import Foundation
import Testing

@testable import SightlineCore

@Suite struct InputWalkerTests {
    @Test func walksFoldersSortedTakingKnownExtensions() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("walker-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        for path in ["b/2.pdf", "b/1.docx", "a.txt", "c.csv", ".hidden/x.pdf", "b/.x.pdf", "B.HTML"] {
            let full = root + "/" + path
            try FileManager.default.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: full, contents: Data("x".utf8))
        }
        // A symbolic-link loop is walked once.
        try FileManager.default.createSymbolicLink(atPath: root + "/b/loop", withDestinationPath: root + "/b")
        let items = InputWalker().expand([root, root + "/c.csv", root + "/missing.pdf"])
        let sources = items.map { $0.source.replacingOccurrences(of: root + "/", with: "") }
        #expect(sources == ["B.HTML", "a.txt", "b/1.docx", "b/2.pdf", "c.csv", "c.csv", "missing.pdf"])
        // In the folder, c.csv is skipped; named directly, it is taken (and judged by its bytes).
        #expect(items[4] == .skipped(SkippedRecord(source: root + "/c.csv", reason: "unsupported format: .csv")))
        #expect(items[5] == .file(path: root + "/c.csv", source: root + "/c.csv"))
        guard case .problem(let record) = items.last else {
            Issue.record("a missing input should be a problem")
            return
        }
        #expect(record.code == .unreadable)
    }

    @Test func brokenLinksAndUndecodableNamesAreReported() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("walker-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: root + "/good.txt", contents: Data("x".utf8))
        try FileManager.default.createSymbolicLink(
            atPath: root + "/gone.pdf", withDestinationPath: root + "/nowhere.pdf")
        let raw = Array(root.utf8) + Array("/caf".utf8) + [0xE9] + Array(".txt".utf8) + [0] // Latin-1 é: not UTF-8
        let fd = raw.withUnsafeBufferPointer {
            open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY, 0o644)
        }
        try #require(fd >= 0)
        close(fd)
        let items = InputWalker().expand([root])
        let problems = items.compactMap { item -> ErrorRecord? in
            if case .problem(let record) = item { return record }
            return nil
        }
        #expect(items.count == 3)
        #expect(problems.count == 2 && problems.allSatisfy { $0.code == .unreadable })
        #expect(problems.contains { $0.source.hasSuffix("/gone.pdf") && $0.message.contains("broken symbolic link") })
        #expect(problems.contains { $0.source.hasSuffix("/caf\u{FFFD}.txt") && $0.message.contains("not valid UTF-8") })
    }

    @Test func filesNotReadAreSkippedButSightlinesOwnAndHiddenOnesAreNotReported() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("walker-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let files = [
            "review.odt", "review.rtf", "old.doc", "data.xlsx", "scan.PNG", "NOTES", ".DS_Store", "Thumbs.db",
            "run/documents.jsonl", "run/blocks.jsonl", "run/tables/appendix.html", "out/x.csv", "manifest.csv",
            "drafts/one.pdf", "drafts/keep.pdf", "sub/src/a.md", "sub/b.md", "sub/c.txt",
        ]
        for path in files {
            let full = root + "/" + path
            try FileManager.default.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: full, contents: Data("x".utf8))
        }
        FileManager.default.createFile(
            atPath: root + "/.sightlineignore", contents: Data("# drafts\ndrafts/one.pdf\n".utf8))
        FileManager.default.createFile(atPath: root + "/sub/.sightlineignore", contents: Data("src/\n*.md\n".utf8))
        let items = InputWalker(excluding: [root + "/out", root + "/./manifest.csv"]).expand([root])
        let read = items.compactMap { item -> String? in
            if case .file(_, let source) = item { return source.replacingOccurrences(of: root + "/", with: "") }
            return nil
        }
        let skipped = items.compactMap { item -> String? in
            if case .skipped(let record) = item {
                return record.source.replacingOccurrences(of: root + "/", with: "") + " " + record.reason
            }
            return nil
        }
        #expect(read == ["drafts/keep.pdf", "old.doc", "review.odt", "review.rtf", "sub/c.txt"])
        #expect(
            skipped == [
                "NOTES unsupported format: no file extension", "data.xlsx unsupported format: .xlsx",
                "scan.PNG unsupported format: .png",
            ])
    }

    @Test func anIgnoreListThatCannotBeReadIsReportedAndTheWalkGoesOn() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("walker-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: root + "/a.txt", contents: Data("x".utf8))
        FileManager.default.createFile(atPath: root + "/.sightlineignore", contents: Data([0x61, 0xFF, 0x0A]))
        let items = InputWalker().expand([root])
        let problems = items.compactMap { item -> ErrorRecord? in
            if case .problem(let record) = item { return record }
            return nil
        }
        #expect(problems.map(\.source) == [root + "/.sightlineignore"])
        #expect(problems.first?.message.contains("cannot be read as UTF-8") == true)
        #expect(items.contains(.file(path: root + "/a.txt", source: root + "/a.txt")))
    }
}
