import CSightlineSupport
import Testing

@testable import SightlineCore

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownVectors(input: String, digest: String) {
        #expect(SHA256.hex(of: Array(input.utf8)) == digest)
    }

    @Test func millionAs() {
        #expect(SHA256.hex(of: [UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func incrementalUpdatesMatchOneShot() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var hasher = SHA256()
        for chunk in stride(from: 0, to: bytes.count, by: 37) { hasher.update(bytes[chunk..<min(chunk + 37, bytes.count)]) }
        #expect(hasher.finalizeHex() == SHA256.hex(of: bytes))
    }

    /// The processor's SHA instructions (what the executables use where the
    /// processor has them) against the portable code: the known vectors, and
    /// inputs of every length across a few blocks and of a few megabytes, fed
    /// in pieces of odd sizes.
    @Test(.enabled(if: sightline_sha256_blocks_available() != 0, "this processor has no SHA instructions"))
    func processorInstructionsAgreeWithThePortableCode() {
        func digest(_ bytes: [UInt8], pieces: Int, _ function: SHA256.BlockFunction?) -> String {
            var hasher = SHA256(blocks: function)
            var at = 0
            while at < bytes.count {
                let end = min(bytes.count, at + pieces)
                hasher.update(bytes[at..<end])
                at = end
            }
            return hasher.finalizeHex()
        }
        let hardware: SHA256.BlockFunction = sightline_sha256_blocks
        #expect(digest(Array("abc".utf8), pieces: 1, hardware) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(digest([UInt8](repeating: 0x61, count: 1_000_000), pieces: 4096, hardware)
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt8 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: seed >> 56)
        }
        for length in Array(0...300) + [4_096, 65_537, 3_000_001] {
            let bytes = (0..<length).map { _ in next() }
            let pieces = [1, 7, 63, 64, 65, 1_000, 1 << 20][length % 7]
            #expect(digest(bytes, pieces: pieces, hardware) == digest(bytes, pieces: pieces, nil), "length \(length)")
        }
    }
}
