import Foundation

/// Keeps one copy of each string a reader meets again and again (document,
/// taxonomy, theme and rule ids in `codings.jsonl`), so that reading it again
/// costs a hash and a comparison rather than an allocation.
public final class StringInterner {
    private var hashes: [UInt64]
    private var values: [String?]
    private var count = 0
    /// Past this many strings, new ones are handed back but not kept.
    private let limit: Int
    /// The last string asked for with `recent(_:)`.
    private var last = ""

    public init(limit: Int = 1 << 14) {
        self.limit = limit
        hashes = Array(repeating: 0, count: 256)
        values = Array(repeating: nil, count: 256)
    }

    /// The string of these UTF-8 bytes, kept for next time.
    public func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 // FNV-1a
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        let mask = values.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while let value = values[slot] {
            if hashes[slot] == hash && Self.equal(value, bytes) { return value }
            slot = (slot + 1) & mask
        }
        let value = String(decoding: bytes, as: UTF8.self)
        guard count < limit else { return value }
        hashes[slot] = hash
        values[slot] = value
        count += 1
        if count * 2 > values.count { grow() }
        return value
    }

    /// The string of these bytes, shared with the previous call when the
    /// bytes are the same (a passage's id, repeated by each of its codings).
    public func recent(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if Self.equal(last, bytes) { return last }
        last = String(decoding: bytes, as: UTF8.self)
        return last
    }

    private static func equal(_ value: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var value = value
        return value.withUTF8 { stored in
            stored.count == bytes.count
                && (bytes.isEmpty || memcmp(stored.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
        }
    }

    private func grow() {
        let oldHashes = hashes
        let oldValues = values
        hashes = Array(repeating: 0, count: oldValues.count * 2)
        values = Array(repeating: nil, count: oldValues.count * 2)
        let mask = values.count - 1
        for (hash, value) in zip(oldHashes, oldValues) {
            guard let value else { continue }
            var slot = Int(truncatingIfNeeded: hash) & mask
            while values[slot] != nil { slot = (slot + 1) & mask }
            hashes[slot] = hash
            values[slot] = value
        }
    }
}
