import Foundation
import SightlineFuzzing
import Testing

/// Every committed fuzzing seed, including each input that once found a bug,
/// runs through its harness: the same functions libFuzzer drives in `scripts/fuzz`.
@Suite struct FuzzSeedTests {
    static let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/seeds")

    @Test(arguments: FuzzTarget.allCases)
    func seedsRunWithoutAFinding(target: FuzzTarget) throws {
        let files = FuzzSeeds.files([Self.seeds.appendingPathComponent(target.rawValue).path])
        #expect(files.count >= 1, "no seeds for \(target.rawValue)")
        for file in files {
            target.run([UInt8](try Data(contentsOf: URL(fileURLWithPath: file))))
        }
    }
}
