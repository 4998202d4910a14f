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
    private var edges: [Int: Int] = [:]
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
                edges[key] = outputs.count - 1
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

    /// The edge labels a token can follow.
    public struct TokenLabels: Sendable {
        var lower: Int?
        var exact: Int?
        var wildcards: [Int]
    }

    /// Labels of a word by its lower-cased form (computed once per distinct word by the caller).
    public func labels(lower: String) -> TokenLabels {
        let wildcards = prefixes.isEmpty ? [] : prefixes.filter { lower.hasPrefix($0.0) }.map { Self.wildcardOffset + $0.1 }
        return TokenLabels(lower: lowerIDs[lower], exact: nil, wildcards: wildcards)
    }

    /// The case-sensitive label of a word as written, if any phrase needs it.
    public func exactLabel(_ original: String) -> Int? { exactIDs[original].map { Self.exactOffset + $0 } }

    /// Finds every phrase in the tokens. `cache` remembers each distinct
    /// word's labels across calls.
    public func hits(_ tokens: [Token], cache: inout [String: TokenLabels]) -> [Hit] {
        let tokenLabels = tokens.map { token -> TokenLabels in
            var label: TokenLabels
            if let known = cache[token.lower] {
                label = known
            } else {
                label = self.labels(lower: token.lower)
                cache[token.lower] = label
            }
            if token.original != token.lower, !exactIDs.isEmpty { label.exact = exactLabel(token.original) }
            return label
        }
        return hits(labels: tokenLabels)
    }

    /// Finds every phrase given each token's labels.
    public func hits(labels: [TokenLabels]) -> [Hit] {
        var found: [Hit] = []
        // The trie nodes reached so far from `start`, and those reached by the next token.
        var frontier: [Int] = []
        var reached: [Int] = []
        let count = labels.count
        for start in 0..<count {
            frontier.removeAll(keepingCapacity: true)
            frontier.append(0)
            let stop = min(count, start + maxLength)
            for position in start..<stop {
                reached.removeAll(keepingCapacity: true)
                let label = labels[position]
                for node in frontier {
                    if let lower = label.lower, let child = edges[Self.edgeKey(node, lower)] { reached.append(child) }
                    if let exact = label.exact, let child = edges[Self.edgeKey(node, exact)] { reached.append(child) }
                    for wildcard in label.wildcards { if let child = edges[Self.edgeKey(node, wildcard)] { reached.append(child) } }
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
