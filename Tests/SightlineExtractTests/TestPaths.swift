import Foundation

/// Paths the tests read: the repository, its fixtures and sample corpus, and
/// the shared real-world corpus beside the repository (which may be absent).
enum TestPaths {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = repository.appendingPathComponent("Tests/SightlineExtractTests/Fixtures")
    static let corpus = repository.appendingPathComponent("corpus")
    static let sharedOfsted = repository.deletingLastPathComponent().appendingPathComponent("shared/corpus/ofsted")

    static var sharedCorpusAvailable: Bool {
        FileManager.default.fileExists(atPath: sharedOfsted.path)
    }

    static func sharedPDFs() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: sharedOfsted.path)) ?? []
        return names.filter { $0.hasSuffix(".pdf") }.sorted().map { sharedOfsted.appendingPathComponent($0) }
    }
}
