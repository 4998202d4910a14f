/// Interns words by their UTF-8 bytes: the same word always gets the same
/// small integer id, found by hashing the bytes (FNV-1a) into an open-
/// addressing table, without building a `String` for words already seen.
public struct WordTable: Sendable {
    private var arena: [UInt8] = []
    private var offsets: [Int] = []
    private var lengths: [Int] = []
    private var hashes: [UInt64] = []
    private var buckets: [Int32] = Array(repeating: -1, count: 1 << 14)

    public init() {}

    public var count: Int { offsets.count }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    /// The id of the word spelt by `bytes`, adding it when new.
    public mutating func id(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let h = Self.hash(bytes)
        let mask = buckets.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let existing = buckets[slot]
            if existing < 0 { break }
            let e = Int(existing)
            if hashes[e] == h && lengths[e] == bytes.count {
                let equal = arena.withUnsafeBufferPointer { stored in
                    memcmpEqual(stored.baseAddress! + offsets[e], bytes.baseAddress!, bytes.count)
                }
                if equal { return existing }
            }
            slot = (slot + 1) & mask
        }
        let id = Int32(offsets.count)
        offsets.append(arena.count)
        lengths.append(bytes.count)
        hashes.append(h)
        arena.append(contentsOf: bytes)
        buckets[slot] = id
        if offsets.count * 2 > buckets.count { grow() }
        return id
    }

    public mutating func id(_ word: String) -> Int32 {
        var word = word
        return word.withUTF8 { id($0) }
    }

    /// The word with this id.
    public func word(_ id: Int32) -> String {
        let e = Int(id)
        return String(decoding: arena[offsets[e]..<(offsets[e] + lengths[e])], as: UTF8.self)
    }

    private mutating func grow() {
        buckets = Array(repeating: -1, count: buckets.count * 2)
        let mask = buckets.count - 1
        for (e, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & mask
            while buckets[slot] >= 0 { slot = (slot + 1) & mask }
            buckets[slot] = Int32(e)
        }
    }
}

@inline(__always)
private func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    for i in 0..<count where a[i] != b[i] { return false }
    return true
}
