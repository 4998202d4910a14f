import Foundation
import Testing

@testable import SightlinePipeline

/// Files appear whole or not at all, and leave nothing behind.
@Suite struct AtomicFileTests {
    let folder: String

    init() throws {
        folder = NSTemporaryDirectory() + "/atomic-file-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    func contents(of name: String) -> String? {
        FileManager.default.contents(atPath: folder + "/" + name).map { String(decoding: $0, as: UTF8.self) }
    }

    var names: [String] { (try? FileManager.default.contentsOfDirectory(atPath: folder).sorted()) ?? [] }

    @Test(arguments: [AtomicFile.Durability.synced, .checksummed])
    func theFileAppearsOnlyWhenCommitted(durability: AtomicFile.Durability) throws {
        try AtomicFile.write(Data("old\n".utf8), to: folder + "/out.txt", durability: durability)
        let file = try AtomicFile(path: folder + "/out.txt", durability: durability)
        try file.write(Data("new ".utf8))
        try file.write(Data("text\n".utf8))
        #expect(contents(of: "out.txt") == "old\n")
        #expect(names.count == 2)
        try file.commit()
        #expect(contents(of: "out.txt") == "new text\n")
        #expect(names == ["out.txt"])
    }

    @Test func aDiscardedFileLeavesTheOldOneAndNoTemporaryCopy() throws {
        try AtomicFile.write(Data("old\n".utf8), to: folder + "/out.txt")
        let file = try AtomicFile(path: folder + "/out.txt", temporaryName: ".out.txt.partial")
        try file.write(Data("half".utf8))
        #expect(names == [".out.txt.partial", "out.txt"])
        file.discard()
        #expect(contents(of: "out.txt") == "old\n")
        #expect(names == ["out.txt"])
    }

    @Test func aFileDroppedUncommittedLeavesNothing() throws {
        do {
            let file = try AtomicFile(path: folder + "/dropped.txt")
            try file.write(Data("half".utf8))
        }
        #expect(names.isEmpty)
    }

    @Test func severalFilesCommitTogether() throws {
        let files = try ["a.jsonl", "b.jsonl", "c.jsonl"].map { try AtomicFile(path: folder + "/" + $0) }
        for (i, file) in files.enumerated() { try file.write(Data("line \(i)\n".utf8)) }
        try AtomicFile.commit(files)
        #expect(names == ["a.jsonl", "b.jsonl", "c.jsonl"])
        #expect(contents(of: "c.jsonl") == "line 2\n")
    }

    @Test func aFolderThatIsNotThereIsNamedInTheError() throws {
        let path = folder + "/missing/out.txt"
        do {
            _ = try AtomicFile(path: path)
            Issue.record("a file was created in a folder that does not exist")
        } catch let error as AtomicFileError {
            #expect(error.description.contains(path))
            #expect(error.description.contains("No such file or directory"))
        }
    }
}
