/// A trie over word tokens that finds every listed phrase in a passage in
/// one pass, whatever the number of phrases: at each token it follows the
/// edges for that token (its lower-cased form, its case-sensitive form for
/// abbreviations, and the wildcard prefixes it satisfies). Tokens are mapped
/// to integer ids once per distinct word, so the scan compares integers.
public struct PhraseAutomaton: Sendable {
    /// A phrase, as the automaton's caller registered it.
    public struct Pattern: Sendable {
        /// Each element: one token: lower-cased text, `exact` for
        /// case-sensitive tokens, or a prefix when `wildcard` is set.
        public var tokens: [(text: String, exact: Bool, wildcard: Bool)]
        public var payload: Int
    }

    /// A phrase found in a passage: token range and payload.
    public struct Hit: Sendable, Equatable {
        public var first: Int
        public var last: Int
        public var payload: Int
    }

    /// Edges of the whole trie in one table, keyed by (node, label).
    private var edges = EdgeTable()
    /// Payloads of the phrases that end at each node; node 0 is the root.
    private var outputs: [[Int]] = [[]]
    private var lowerIDs: [String: Int] = [:]
    private var exactIDs: [String: Int] = [:]
    private var prefixes: [(String, Int)] = []
    private var nextID = 0
    private var maxLength = 0

    public init() {}

    static let exactOffset = 1 << 40
    static let wildcardOffset = 1 << 41

    @inline(__always)
    static func edgeKey(_ node: Int, _ label: Int) -> Int { node << 42 | label }

    /// Adds a phrase; `payload` comes back with every hit.
    public mutating func add(_ tokens: [(text: String, exact: Bool, wildcard: Bool)], payload: Int) {
        guard !tokens.isEmpty else { return }
        var node = 0
        for token in tokens {
            let label: Int
            if token.wildcard {
                if let existing = prefixes.first(where: { $0.0 == token.text }) {
                    label = Self.wildcardOffset + existing.1
                } else {
                    prefixes.append((token.text, nextID))
                    label = Self.wildcardOffset + nextID
                    nextID += 1
                }
            } else if token.exact {
                label = Self.exactOffset + Self.id(for: token.text, in: &exactIDs, next: &nextID)
            } else {
                label = Self.id(for: token.text, in: &lowerIDs, next: &nextID)
            }
            let key = Self.edgeKey(node, label)
            if let child = edges[key] {
                node = child
            } else {
                outputs.append([])
                edges.insert(key, outputs.count - 1)
                node = outputs.count - 1
            }
        }
        outputs[node].append(payload)
        maxLength = max(maxLength, tokens.count)
    }

    private static func id(for text: String, in table: inout [String: Int], next: inout Int) -> Int {
        if let id = table[text] { return id }
        table[text] = next
        next += 1
        return next - 1
    }

    /// The edge labels a token can follow: its lower-cased word, its word as
    /// written (for case-sensitive phrases), and the wildcard prefixes it
    /// satisfies (a run in the cache's pool). -1: none.
    public struct TokenLabels: Sendable {
        var lower: Int
        var exact: Int
        var wildStart: Int32
        var wildCount: Int32

        static let unknown = TokenLabels(lower: -2, exact: -1, wildStart: 0, wildCount: 0)
    }

    /// Labels of each distinct word, worked out once and kept, indexed by `WordTable` id.
    public struct LabelCache: Sendable {
        var lower: [TokenLabels] = []
        var exact: [Int] = []
        var pool: [Int] = []

        public init() {}
    }

    func labels(lower: String, pool: inout [Int]) -> TokenLabels {
        let start = pool.count
        if !prefixes.isEmpty {
            for (prefix, id) in prefixes where lower.hasPrefix(prefix) { pool.append(Self.wildcardOffset + id) }
        }
        return TokenLabels(lower: lowerIDs[lower] ?? -1, exact: -1, wildStart: Int32(start), wildCount: Int32(pool.count - start))
    }

    /// Finds every phrase in the tokens, whose words are in `words`.
    public func hits(_ tokens: [WordToken], words: WordTable, cache: inout LabelCache) -> [Hit] {
        var labels: [TokenLabels] = []
        labels.reserveCapacity(tokens.count)
        let needsExact = !exactIDs.isEmpty
        for token in tokens {
            let w = Int(token.lower)
            if w >= cache.lower.count { cache.lower.append(contentsOf: repeatElement(.unknown, count: w - cache.lower.count + 1)) }
            var label = cache.lower[w]
            if label.lower == -2 {
                label = self.labels(lower: words.word(token.lower), pool: &cache.pool)
                cache.lower[w] = label
            }
            if needsExact && token.exact >= 0 {
                let e = Int(token.exact)
                if e >= cache.exact.count { cache.exact.append(contentsOf: repeatElement(-2, count: e - cache.exact.count + 1)) }
                if cache.exact[e] == -2 { cache.exact[e] = exactIDs[words.word(token.exact)].map { Self.exactOffset + $0 } ?? -1 }
                label.exact = cache.exact[e]
            }
            labels.append(label)
        }
        return hits(labels: labels, pool: cache.pool)
    }

    /// Finds every phrase given each token's labels.
    func hits(labels: [TokenLabels], pool: [Int]) -> [Hit] {
        var found: [Hit] = []
        // The trie nodes reached so far from `start`, and those reached by the next token.
        var frontier: [Int] = []
        var reached: [Int] = []
        let count = labels.count
        for start in 0..<count {
            // Most words start no phrase: test the root's edges before any bookkeeping.
            let first = labels[start]
            var startsPhrase = first.lower >= 0 && edges[Self.edgeKey(0, first.lower)] != nil
            if !startsPhrase && first.exact >= 0 { startsPhrase = edges[Self.edgeKey(0, first.exact)] != nil }
            if !startsPhrase && first.wildCount > 0 {
                for k in Int(first.wildStart)..<Int(first.wildStart + first.wildCount) where edges[Self.edgeKey(0, pool[k])] != nil {
                    startsPhrase = true
                    break
                }
            }
            if !startsPhrase { continue }
            frontier.removeAll(keepingCapacity: true)
            frontier.append(0)
            let stop = min(count, start + maxLength)
            for position in start..<stop {
                reached.removeAll(keepingCapacity: true)
                let label = labels[position]
                for node in frontier {
                    if label.lower >= 0, let child = edges[Self.edgeKey(node, label.lower)] { reached.append(child) }
                    if label.exact >= 0, let child = edges[Self.edgeKey(node, label.exact)] { reached.append(child) }
                    var k = Int(label.wildStart)
                    let end = k + Int(label.wildCount)
                    while k < end {
                        if let child = edges[Self.edgeKey(node, pool[k])] { reached.append(child) }
                        k += 1
                    }
                }
                if reached.isEmpty { break }
                for node in reached {
                    for payload in outputs[node] { found.append(Hit(first: start, last: position, payload: payload)) }
                }
                swap(&frontier, &reached)
            }
        }
        return found
    }

    /// Number of trie nodes (for diagnostics).
    public var nodeCount: Int { outputs.count }
}

/// An open-addressing table from a trie edge (node and label packed in an
/// Int) to the child node, with a multiplicative hash: the scan looks an edge
/// up for every token, and `Dictionary`'s seeded hashing costs more than the
/// rest of the step.
struct EdgeTable: Sendable {
    private var keys: [Int] = Array(repeating: -1, count: 1 << 12)
    private var values: [Int] = Array(repeating: 0, count: 1 << 12)
    private var count = 0

    @inline(__always)
    static func slot(_ key: Int, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: Int64(key)) &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
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
