/// The words and wildcard prefixes of an automaton's phrases, looked up
/// while the tokenizer reads a word: the walker hashes the word's bytes as
/// they arrive (FNV-1a), so when the word ends one probe of a small table,
/// and a byte comparison to rule out a collision, gives its label, without
/// interning the word or building a string. Wildcard prefixes are probed at
/// the lengths some prefix has.
struct Lexicon: Sendable {
    /// An open-addressing table of words: hash, label and where the word's
    /// bytes are, in one 16-byte entry so a probe touches one cache line,
    /// with a bit filter in front that turns most words the phrases never use
    /// away without a probe.
    struct Table: Sendable {
        struct Entry: Sendable {
            var hash: UInt64 = 0
            var label: Int32 = -1
            var offset: UInt16 = 0
            var length: UInt16 = 0
        }
        var entries: [Entry]
        var filter: [UInt64] = Array(repeating: 0, count: Lexicon.filterWords)
        var arena: [UInt8] = []

        init(capacityFor count: Int) {
            var size = 64
            while size < count * 2 { size *= 2 }
            entries = Array(repeating: Entry(), count: size)
        }

        mutating func insert(_ word: String, label: Int32) {
            let bytes = Array(word.utf8)
            let h = Lexicon.hash(bytes)
            let mask = entries.count - 1
            var slot = Lexicon.slot(h, mask)
            while entries[slot].label >= 0 { slot = (slot + 1) & mask }
            precondition(arena.count + bytes.count <= Int(UInt16.max), "too many words for the lexicon")
            entries[slot] = Entry(hash: h, label: label, offset: UInt16(arena.count), length: UInt16(bytes.count))
            arena += bytes
            let bit = Lexicon.filterBit(h)
            filter[bit >> 6] |= 1 << UInt64(bit & 63)
        }
    }

    /// The filter's size in 64-bit words (64 Kibit, 8 KiB).
    static let filterWords = 1024

    @inline(__always)
    static func filterBit(_ h: UInt64) -> Int { Int(truncatingIfNeeded: h >> 48) & (filterWords * 64 - 1) }

    /// Lower-cased words.
    var lower = Table(capacityFor: 0)
    /// Case-sensitive words (abbreviations), matched as written.
    var exact = Table(capacityFor: 0)
    /// Wildcard prefixes; a prefix's label is the index of its set in `stemSets`.
    var stems = Table(capacityFor: 0)
    /// Bit n set: some prefix is n bytes long (prefixes over 63 bytes are not kept).
    var stemLengths: UInt64 = 0
    /// By prefix: the wildcard labels of every prefix of it, itself included.
    private(set) var stemSets: [[Int]] = []

    static let maxWordBytes = 64

    init() {}

    init(lowerWords: [String: Int], exactWords: [String: Int], prefixes: [(String, Int)], wildcardOffset: Int) {
        lower = Table(capacityFor: lowerWords.count)
        exact = Table(capacityFor: exactWords.count)
        stems = Table(capacityFor: prefixes.count)
        for (word, label) in lowerWords.sorted(by: { $0.value < $1.value }) where word.utf8.count <= Self.maxWordBytes {
            lower.insert(word, label: Int32(label))
        }
        for (word, label) in exactWords.sorted(by: { $0.value < $1.value }) where word.utf8.count <= Self.maxWordBytes {
            exact.insert(word, label: Int32(label))
        }
        // A word satisfies every prefix that starts it: when the longest one
        // is found, the labels of all of them are known.
        for (prefix, _) in prefixes where !prefix.isEmpty && prefix.utf8.count < Self.maxWordBytes {
            let set = prefixes.filter { !$0.0.isEmpty && prefix.hasPrefix($0.0) }.map { wildcardOffset + $0.1 }.sorted()
            stems.insert(prefix, label: Int32(stemSets.count))
            stemSets.append(set)
            stemLengths |= 1 << UInt64(prefix.utf8.count)
        }
    }

    @inline(__always)
    static func hash(_ bytes: [UInt8]) -> UInt64 {
        var h = seed
        for byte in bytes { h = step(h, byte) }
        return h
    }

    static let seed: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always)
    static func step(_ h: UInt64, _ byte: UInt8) -> UInt64 { (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }

    @inline(__always)
    static func slot(_ h: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: h ^ (h >> 29)) & mask }
}
