/// The words and wildcard prefixes of an automaton's phrases, looked up when
/// the tokenizer ends a word. Three quarters of a report's words are phrase
/// words ("and", "the", "children", "not"), so a lookup that finds is the
/// common case and has to be cheap: an entry holds a word's first eight bytes
/// as an integer, so one load and one comparison settle most words, and only
/// a word longer than eight bytes compares the rest from an arena. The slot
/// comes from the word's first and last eight bytes and its length, read once
/// the word is complete: nothing is hashed byte by byte.
struct Lexicon: Sendable {
    /// An open-addressing table of words.
    struct Table: Sendable {
        /// 16 bytes: four to a cache line.
        struct Entry: Sendable {
            /// The word's first eight bytes (little-endian, zero-padded).
            var head: UInt64 = 0
            var label: Int32 = -1
            /// For a lower-cased word, the set of wildcard prefixes it starts
            /// with (an index into `stemSets`), worked out when the table is
            /// built; -1 for none.
            var stems: Int16 = -1
            var length: UInt8 = 0
            /// Whether some phrase starts with this word (or, for a lower-cased word, with a prefix of it).
            var starts: Bool = false
        }
        var entries: [Entry]
        /// By slot: where the word's bytes after the first eight are in the arena.
        var offsets: [UInt16]
        var arena: [UInt8] = []

        init(capacityFor count: Int) {
            // At most a quarter full: most words are found at their first
            // probe, and a word not in the table (a fifth of a report's)
            // meets an empty slot soon.
            var size = 64
            while size < count * 4 { size *= 2 }
            entries = Array(repeating: Entry(), count: size)
            offsets = Array(repeating: 0, count: size)
        }

        mutating func insert(_ word: String, label: Int32, stems: Int16 = -1, starts: Bool) {
            let bytes = Array(word.utf8)
            precondition(
                !bytes.isEmpty && bytes.count <= Lexicon.maxWordBytes,
                "a lexicon word is 1 to \(Lexicon.maxWordBytes) bytes")
            let (head, tail) = bytes.withUnsafeBufferPointer {
                Lexicon.key($0.baseAddress!, bytes.count, readable: bytes.count)
            }
            let mask = entries.count - 1
            var slot = Lexicon.slot(head, tail, bytes.count, mask)
            while entries[slot].label >= 0 { slot = (slot + 1) & mask }
            precondition(arena.count + bytes.count <= Int(UInt16.max), "too many words for the lexicon")
            entries[slot] = Entry(head: head, label: label, stems: stems, length: UInt8(bytes.count), starts: starts)
            offsets[slot] = UInt16(arena.count)
            if bytes.count > 8 { arena += bytes[8...] }
        }
    }

    /// Lower-cased words.
    var lower = Table(capacityFor: 0)
    /// Case-sensitive words (abbreviations), matched as written.
    var exact = Table(capacityFor: 0)
    /// Wildcard prefixes; a prefix's label is the index of its set in `stemSets`.
    var stems = Table(capacityFor: 0)
    /// Bit n set: some prefix is n bytes long (prefixes over 63 bytes are not kept).
    var stemLengths: UInt64 = 0
    /// One bit per three first bytes some prefix starts with (`tripleBit`):
    /// most words start no prefix, and the filter says so before any probe.
    var stemTriples: [UInt64] = Array(repeating: 0, count: 512)
    /// By prefix: the wildcard labels of every prefix of it, itself included.
    private(set) var stemSets: [[Int]] = []

    /// As many as the tokenizer hands over lower-cased.
    static let maxWordBytes = Tokenizer.lowerBytes

    init() {}

    /// `starts(label)`: whether some phrase starts with that label (a word's, or one of a prefix set's).
    init(
        lowerWords: [String: Int], exactWords: [String: Int], prefixes: [(String, Int)], wildcardOffset: Int,
        startsLower: (Int) -> Bool, startsExact: (Int) -> Bool, startsWildcard: (Int) -> Bool
    ) {
        lower = Table(capacityFor: lowerWords.count)
        exact = Table(capacityFor: exactWords.count)
        stems = Table(capacityFor: prefixes.count)
        // A word satisfies every prefix that starts it: when the longest one
        // is found, the labels of all of them are known.
        var stemStarts: [Bool] = []
        var kept: [(bytes: [UInt8], set: Int)] = []
        for (prefix, _) in prefixes where !prefix.isEmpty && prefix.utf8.count < Self.maxWordBytes {
            let set = prefixes.filter { !$0.0.isEmpty && prefix.hasPrefix($0.0) }.map { wildcardOffset + $0.1 }.sorted()
            precondition(stemSets.count < Int(Int16.max), "too many wildcard prefixes for the lexicon")
            stemStarts.append(set.contains(where: startsWildcard))
            stems.insert(prefix, label: Int32(stemSets.count), starts: stemStarts.last!)
            let bytes = Array(prefix.utf8)
            kept.append((bytes, stemSets.count))
            stemSets.append(set)
            stemLengths |= 1 << UInt64(bytes.count)
            // A prefix under three bytes: every byte can follow it.
            let seconds = bytes.count > 1 ? [bytes[1]] : Array(0...255)
            let thirds = bytes.count > 2 ? [bytes[2]] : Array(0...255)
            for second in seconds {
                for third in thirds { Self.setTriple(&stemTriples, bytes[0], second, third) }
            }
        }
        // A phrase word's own prefix set (its longest prefix's) is looked up now, not for every time it is read.
        for (word, label) in lowerWords.sorted(by: { $0.value < $1.value })
        where !word.isEmpty && word.utf8.count <= Self.maxWordBytes {
            let bytes = Array(word.utf8)
            let longest = kept.filter { bytes.starts(with: $0.bytes) }.max { $0.bytes.count < $1.bytes.count }
            let set = longest.map { Int16($0.set) } ?? -1
            lower.insert(
                word, label: Int32(label), stems: set,
                starts: startsLower(label) || (longest.map { stemStarts[$0.set] } ?? false))
        }
        for (word, label) in exactWords.sorted(by: { $0.value < $1.value })
        where !word.isEmpty && word.utf8.count <= Self.maxWordBytes {
            exact.insert(word, label: Int32(label), starts: startsExact(label))
        }
    }

    /// By byte, five bits for the prefix filter: a–z 0–25, every digit 26,
    /// the zero that pads a short word 31, other bytes 27–30.
    static let tripleCodes: [UInt8] = (0...255).map { byte in
        switch byte {
        case 0x61...0x7A: UInt8(byte - 0x61)
        case 0x30...0x39: 26
        case 0: 31
        default: 27 + UInt8(byte & 3)
        }
    }

    /// Which of the 32,768 bits of the prefix filter three first bytes set.
    @inline(__always)
    static func tripleBit(_ head: UInt64, _ codes: UnsafePointer<UInt8>) -> Int {
        Int(codes[Int(truncatingIfNeeded: head & 255)]) << 10 | Int(codes[Int(truncatingIfNeeded: (head >> 8) & 255)])
            << 5
            | Int(codes[Int(truncatingIfNeeded: (head >> 16) & 255)])
    }

    private static func setTriple(_ triples: inout [UInt64], _ first: UInt8, _ second: UInt8, _ third: UInt8) {
        let bit = tripleCodes.withUnsafeBufferPointer {
            tripleBit(UInt64(first) | UInt64(second) << 8 | UInt64(third) << 16, $0.baseAddress!)
        }
        triples[bit >> 6] |= 1 << UInt64(bit & 63)
    }

    /// Whether a word whose first lower-cased bytes are `head` (zero past
    /// the word's end) can start a wildcard prefix. A prefix of one or two
    /// bytes sets the bits of every byte after it, zero included, so words
    /// as short as it are let through.
    @inline(__always)
    static func mayStartStem(_ head: UInt64, _ triples: UnsafePointer<UInt64>, _ codes: UnsafePointer<UInt8>) -> Bool {
        let bit = tripleBit(head, codes)
        return (triples[bit >> 6] >> UInt64(bit & 63)) & 1 != 0
    }

    /// What a word of `count` bytes is looked up by: its first eight bytes
    /// (zero past its end) and, over eight bytes, its last eight (else 0),
    /// little-endian, each byte OR-ed with `fold` (0x20 lowers a word of ASCII
    /// letters and digits). `readable` bytes may be read at `bytes` (at least `count`).
    @inline(__always)
    static func key(_ bytes: UnsafePointer<UInt8>, _ count: Int, readable: Int, fold: UInt8 = 0) -> (
        head: UInt64, tail: UInt64
    ) {
        let fold8 = UInt64(fold) &* 0x0101_0101_0101_0101
        let head = truncate(load(bytes, readable) | fold8, to: count)
        return (head, count > 8 ? load(bytes + count - 8, 8) | fold8 : 0)
    }

    /// Eight bytes at `bytes`, little-endian, of which only `readable` may
    /// be read (the rest are zero).
    @inline(__always)
    static func load(_ bytes: UnsafePointer<UInt8>, _ readable: Int) -> UInt64 {
        if readable >= 8 { return UInt64(littleEndian: UnsafeRawPointer(bytes).loadUnaligned(as: UInt64.self)) }
        var value: UInt64 = 0
        for i in 0..<max(0, readable) { value |= UInt64(bytes[i]) << UInt64(8 * i) }
        return value
    }

    /// The first `count` bytes (at most eight) of a little-endian head.
    @inline(__always)
    static func truncate(_ head: UInt64, to count: Int) -> UInt64 {
        count >= 8 ? head : head & ((1 << UInt64(8 * count)) &- 1)
    }

    @inline(__always)
    static func slot(_ head: UInt64, _ tail: UInt64, _ count: Int, _ mask: Int) -> Int {
        var h = (head ^ UInt64(truncatingIfNeeded: count) << 56) &* 0x9E37_79B9_7F4A_7C15
        if count > 8 { h = (h ^ tail) &* 0xC2B2_AE3D_27D4_EB4F }
        return Int(truncatingIfNeeded: h >> 40) & mask
    }
}
