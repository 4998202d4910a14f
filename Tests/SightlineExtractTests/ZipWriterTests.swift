import Foundation
import SightlineCore
import Testing

@testable import SightlineExtract

/// The one zip writer, storing (the Word appendix) and deflating (the REFI-QDA
/// export), read back by Sightline's own reader, which checks each entry's CRC
/// with zlib's.
struct ZipWriterTests {
    /// Bytes deflate cannot shrink (a linear congruential generator's high bytes).
    static let noise: [UInt8] = {
        var state: UInt64 = 2026
        return (0..<4096).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(state >> 56)
        }
    }()

    static let entries: [(name: String, bytes: [UInt8])] = [
        ("project.qde", Array(String(repeating: "<Code name=\"Voice of the child\"/>\n", count: 200).utf8)),
        ("sources/Skye’s review – 子.txt", Array(String(repeating: "Skye’s voice was not heard. ", count: 4).utf8)),
        ("empty.txt", []),
        ("noise.bin", noise),
    ]

    @Test(arguments: [false, true])
    func entriesReadBackAsWritten(deflating: Bool) throws {
        var zip = deflating ? ZipWriter.deflating() : ZipWriter(utf8Names: false)
        for entry in Self.entries { try zip.add(name: entry.name, bytes: entry.bytes) }
        let archive = try ZipArchive(zip.finish())
        #expect(archive.entries.count == Self.entries.count)
        var budget = 1 << 30
        for (name, bytes) in Self.entries {
            let entry = try #require(archive[name])
            #expect(try archive.contents(of: entry, budget: &budget, limitMiB: 1024) == bytes, "\(name)")
            #expect(entry.flags == (deflating ? 0x0800 : 0), "\(name): names are flagged UTF-8 only when asked")
            // Deflated only when that makes the entry smaller.
            let deflated = deflating && (name == "project.qde" || name.hasPrefix("sources/"))
            #expect(entry.method == (deflated ? 8 : 0), "\(name)")
            #expect(entry.compressedSize <= bytes.count || bytes.isEmpty)
        }
    }

    @Test func sameEntriesGiveTheSameBytes() throws {
        func archive() throws -> [UInt8] {
            var zip = ZipWriter.deflating()
            for entry in Self.entries { try zip.add(name: entry.name, bytes: entry.bytes) }
            return zip.finish()
        }
        #expect(try archive() == archive())
    }
}
