/// An open-addressing table from a trie edge (node and label packed in an
/// Int) to the child node, with a multiplicative hash: the scan looks an edge
/// up for every token, and `Dictionary`'s seeded hashing costs more than the
/// rest of the step.
struct EdgeTable: Sendable {
    private(set) var keys: [Int] = Array(repeating: -1, count: 1 << 12)
    private(set) var values: [Int] = Array(repeating: 0, count: 1 << 12)
    private var count = 0

    /// Fibonacci hashing: the top bits of the product depend on every bit of
    /// the key (node and label alike); the low bits would ignore the node.
    @inline(__always)
    static func slot(_ key: Int, _ mask: Int) -> Int {
        let product = UInt64(bitPattern: Int64(key)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: product >> UInt64(64 - mask.nonzeroBitCount))
    }

    subscript(key: Int) -> Int? {
        let mask = keys.count - 1
        var i = Self.slot(key, mask)
        while true {
            let k = keys[i]
            if k == key { return values[i] }
            if k == -1 { return nil }
            i = (i + 1) & mask
        }
    }

    mutating func insert(_ key: Int, _ value: Int) {
        if (count + 1) * 2 > keys.count { grow() }
        let mask = keys.count - 1
        var i = Self.slot(key, mask)
        while keys[i] != -1 && keys[i] != key { i = (i + 1) & mask }
        if keys[i] == -1 { count += 1 }
        keys[i] = key
        values[i] = value
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        keys = Array(repeating: -1, count: oldKeys.count * 2)
        values = Array(repeating: 0, count: oldKeys.count * 2)
        count = 0
        for (k, v) in zip(oldKeys, oldValues) where k != -1 { insert(k, v) }
    }
}
