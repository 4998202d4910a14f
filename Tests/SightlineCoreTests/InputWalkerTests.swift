import Foundation
import Testing

@testable import SightlineCore

@Suite struct InputWalkerTests {
    @Test func walksFoldersSortedTakingKnownExtensions() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("walker-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        for path in ["b/2.pdf", "b/1.docx", "a.txt", "c.csv", ".hidden/x.pdf", "b/.x.pdf", "B.HTML"] {
            let full = root + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: full, contents: Data("x".utf8))
        }
        // A symbolic-link loop is walked once.
        try FileManager.default.createSymbolicLink(atPath: root + "/b/loop", withDestinationPath: root + "/b")
        let items = InputWalker().expand([root, root + "/c.csv", root + "/missing.pdf"])
        let sources = items.map { $0.source.replacingOccurrences(of: root + "/", with: "") }
        #expect(sources == ["B.HTML", "a.txt", "b/1.docx", "b/2.pdf", "c.csv", "missing.pdf"])
        guard case .problem(let record) = items.last else {
            Issue.record("a missing input should be a problem")
            return
        }
        #expect(record.code == .unreadable)
    }
}
