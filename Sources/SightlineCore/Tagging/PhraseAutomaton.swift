/// A trie over word tokens that finds every listed phrase in a passage in
/// one pass, whatever the number of phrases: at each token it follows the
/// edges for that token (its lower-cased form, its case-sensitive form for
/// abbreviations, and the wildcard prefixes it satisfies). A word's labels
/// are looked up in tables of the phrases' words (`Lexicon`) as the
/// tokenizer hands it over, so the scan compares integers. Call `finish()`
/// after the last `add`.
public struct PhraseAutomaton: Sendable {
    /// A phrase, as the automaton's caller registered it.
    public struct Pattern: Sendable {
        /// Each element: one token: lower-cased text, `exact` for
        /// case-sensitive tokens, or a prefix when `wildcard` is set.
        public var tokens: [(text: String, exact: Bool, wildcard: Bool)]
        public var payload: Int
    }

    /// A phrase found in a passage: token range and payload (kept in 32 bits
    /// each: a passage makes hundreds of thousands of hits in a corpus).
    public struct Hit: Sendable, Equatable {
        private let firstToken: Int32
        private let lastToken: Int32
        private let payloadValue: Int32

        public init(first: Int, last: Int, payload: Int) {
            firstToken = Int32(truncatingIfNeeded: first)
            lastToken = Int32(truncatingIfNeeded: last)
            payloadValue = Int32(truncatingIfNeeded: payload)
        }

        public var first: Int { Int(firstToken) }
        public var last: Int { Int(lastToken) }
        public var payload: Int { Int(payloadValue) }
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

    /// The word tries and the trie's edges in fixed memory, built by `finish()`.
    private var tables: ScanTables? = nil

    /// Builds the word tries once every phrase has been added.
    public mutating func finish() {
        tables = ScanTables(automaton: self)
    }

    /// A word of a passage with the edge labels it can follow.
    public struct LabelledToken: Sendable {
        /// UTF-8 byte offsets into the passage text (`ScalarOffsets` turns
        /// them into the scalar offsets a coding's spans are written in).
        public var byteStart: Int32
        public var byteEnd: Int32
        /// Label of the lower-cased word, or -1.
        var lower: Int32
        /// Label of the word as written (case-sensitive phrases), or -1.
        var exact: Int32
        /// The wildcard prefixes the word satisfies (an index into the lexicon's sets), or -1.
        var stems: Int32
        /// Whether a phrase can start at this word.
        var startsPhrase: Bool
        /// Whether punctuation that ends a clause (; : ( ) or a sentence end) stands before this word.
        public var clauseBreakBefore: Bool
        /// Whether a full stop, question or exclamation mark stands before this
        /// word: a sentence can only end at one (`SentenceSplitter`).
        public var stopBefore: Bool
    }

    /// Looks each word up as the tokenizer hands it over. It holds the
    /// tables' pointers itself, so that the lookup costs no reference counting.
    private struct Walker: TokenSink {
        let lowerWords: ScanTables.WordTable
        let exactWords: ScanTables.WordTable
        let stemWords: ScanTables.WordTable
        let stemLengths: UInt64
        let stemTriples: UnsafeMutablePointer<UInt64>
        let tripleCodes: UnsafeMutablePointer<UInt8>
        /// Whether some case-sensitive word has no capital ("ucas", "101"): then every word is looked up as
        /// written, not only those with a capital.
        let exactWordsWithoutCapitals: Bool
        /// The text's bytes: a word as written is checked against them.
        let source: UnsafePointer<UInt8>
        let sourceCount: Int
        /// Where the tokens go: room for as many as the text can hold.
        let tokens: UnsafeMutablePointer<LabelledToken>
        var count = 0

        init(_ t: ScanTables, source: UnsafeBufferPointer<UInt8>, tokens: UnsafeMutablePointer<LabelledToken>) {
            lowerWords = t.lower
            exactWords = t.exact
            stemWords = t.stems
            stemLengths = t.stemLengths
            stemTriples = t.stemTriples
            tripleCodes = t.tripleCodes
            exactWordsWithoutCapitals = t.exactWordsWithoutCapitals
            self.source = source.baseAddress!
            sourceCount = source.count
            self.tokens = tokens
        }

        @inline(__always)
        mutating func word(_ word: ScannedWord) {
            let buffer = word.lower
            let length = word.lowerCount
            let readable = word.readable
            let fold = word.fold
            let byteStart = word.byteStart
            let byteEnd = word.byteEnd
            var lower: Int32 = -1
            var stems: Int32 = -1
            var starts = false
            // The word's first eight lower-cased bytes (zero past its end).
            let (head, tail) = Lexicon.key(buffer, length, readable: readable, fold: fold)
            if length <= Lexicon.maxWordBytes {
                let found = lowerWords.find(head, tail, buffer, length, fold)
                lower = found.label
                stems = Int32(found.stems)
                starts = found.starts
            }
            // A phrase word's prefixes were found when the lexicon was built; any other word's are looked up.
            if lower < 0 && Lexicon.mayStartStem(head, stemTriples, tripleCodes) {
                // The longest prefix the word starts with; its set holds the shorter ones.
                let longest = min(length, Lexicon.maxWordBytes - 1)
                var lengths = stemLengths & ((UInt64(2) << UInt64(longest)) &- 1)
                while lengths != 0 {
                    let prefix = 63 - lengths.leadingZeroBitCount
                    lengths &= ~(UInt64(1) << UInt64(prefix))
                    let (prefixHead, prefixTail) = Lexicon.key(buffer, prefix, readable: readable, fold: fold)
                    let found = stemWords.find(prefixHead, prefixTail, buffer, prefix, fold)
                    if found.label >= 0 {
                        stems = found.label
                        starts = starts || found.starts
                        break
                    }
                }
            }
            var exact: Int32 = -1
            if (word.hasUpper || exactWordsWithoutCapitals) && byteEnd - byteStart <= Lexicon.maxWordBytes {
                // Look the word up as written, for case-sensitive phrases: only a word with a capital can be
                // one of theirs, unless some of their words have none ("ucas", "101").
                let count = byteEnd - byteStart
                let (head, tail) = Lexicon.key(source + byteStart, count, readable: sourceCount - byteStart)
                let found = exactWords.find(head, tail, source + byteStart, count, 0)
                exact = found.label
                starts = starts || found.starts
            }
            (tokens + count).initialize(
                to: LabelledToken(
                    byteStart: Int32(truncatingIfNeeded: byteStart), byteEnd: Int32(truncatingIfNeeded: byteEnd),
                    lower: lower, exact: exact, stems: stems, startsPhrase: starts,
                    clauseBreakBefore: word.breakBefore, stopBefore: word.stopBefore))
            count += 1
        }
    }

    /// Splits `text` into words with their labels, replacing `tokens`.
    public func tokenize(_ text: String, into tokens: inout [LabelledToken]) {
        tokenize(text, into: &tokens, buffers: ScanBuffers())
    }

    /// Labels the words of `text` into `tokens` (emptied first), through the
    /// caller's buffers: passage after passage, no memory is asked for.
    public func tokenize(_ text: String, into tokens: inout [LabelledToken], buffers: ScanBuffers) {
        guard let tables else { preconditionFailure("PhraseAutomaton.finish() was not called") }
        tokens.removeAll(keepingCapacity: true)
        var text = text
        text.withUTF8 { bytes in
            guard bytes.baseAddress != nil, !bytes.isEmpty else { return }
            // Words are separated by at least one byte: a text of n bytes holds at most (n + 1) / 2.
            let storage = buffers.tokenRoom((bytes.count + 1) / 2)
            var walker = Walker(tables, source: bytes, tokens: storage)
            Tokenizer.scan(bytes, into: &walker)
            tokens.append(contentsOf: UnsafeBufferPointer(start: storage, count: walker.count))
        }
    }

    /// The trie nodes a scan has reached so far from a start, and those
    /// reached by the next token, in memory the caller keeps, so that
    /// scanning passage after passage allocates nothing.
    public final class ScanBuffers {
        fileprivate var frontier: UnsafeMutablePointer<Int32>
        fileprivate var reached: UnsafeMutablePointer<Int32>
        fileprivate var capacity = 64
        /// The hits found so far, handed over in one copy when the scan ends
        /// (an array append per hit checks the array's uniqueness each time).
        fileprivate var hits: UnsafeMutablePointer<Hit>
        fileprivate var hitCount = 0
        private var hitCapacity = 256
        /// Where the tokenizer labels a passage's words before they are copied out.
        private var tokens: UnsafeMutablePointer<LabelledToken>
        private var tokenCapacity = 256

        public init() {
            frontier = .allocate(capacity: capacity)
            reached = .allocate(capacity: capacity)
            hits = .allocate(capacity: hitCapacity)
            tokens = .allocate(capacity: tokenCapacity)
        }

        deinit {
            frontier.deallocate()
            reached.deallocate()
            hits.deallocate()
            tokens.deallocate()
        }

        /// Room for `count` tokens (their previous contents are not kept).
        fileprivate func tokenRoom(_ count: Int) -> UnsafeMutablePointer<LabelledToken> {
            if count > tokenCapacity {
                tokens.deallocate()
                while tokenCapacity < count { tokenCapacity *= 2 }
                tokens = .allocate(capacity: tokenCapacity)
            }
            return tokens
        }

        @inline(__always)
        fileprivate func add(_ hit: Hit) {
            if hitCount == hitCapacity { growHits() }
            (hits + hitCount).initialize(to: hit)
            hitCount += 1
        }

        @inline(never)
        private func growHits() {
            let bigger = UnsafeMutablePointer<Hit>.allocate(capacity: hitCapacity * 2)
            bigger.moveInitialize(from: hits, count: hitCount)
            hits.deallocate()
            hits = bigger
            hitCapacity *= 2
        }

        /// Makes room for `count` nodes in both lists, keeping the frontier's first `keep`.
        @inline(__always)
        fileprivate func reserve(_ count: Int, keeping keep: Int) {
            if count > capacity { grow(to: count, keeping: keep) }
        }

        @inline(never)
        private func grow(to count: Int, keeping keep: Int) {
            var newCapacity = capacity
            while newCapacity < count { newCapacity *= 2 }
            let newFrontier = UnsafeMutablePointer<Int32>.allocate(capacity: newCapacity)
            newFrontier.update(from: frontier, count: keep)
            frontier.deallocate()
            reached.deallocate()
            frontier = newFrontier
            reached = .allocate(capacity: newCapacity)
            capacity = newCapacity
        }
    }

    /// Finds every phrase in the tokens, appending to `found` (emptied first).
    public func hits(_ tokens: [LabelledToken], into found: inout [Hit]) {
        hits(tokens, into: &found, buffers: ScanBuffers())
    }

    /// Finds every phrase in the tokens, appending to `found` (emptied first), with the caller's buffers.
    ///
    /// Most words that start a phrase end it too, or have no next word in
    /// the trie: the first step, from the root, reads the root's tables and
    /// the child's node only; the node lists are used from the second word on.
    public func hits(_ tokens: [LabelledToken], into found: inout [Hit], buffers: ScanBuffers) {
        guard let t = tables else { preconditionFailure("PhraseAutomaton.finish() was not called") }
        found.removeAll(keepingCapacity: true)
        buffers.hitCount = 0
        defer { found.append(contentsOf: UnsafeBufferPointer(start: buffers.hits, count: buffers.hitCount)) }
        let count = tokens.count
        let maxLength = self.maxLength
        tokens.withUnsafeBufferPointer { tokens in
            /// Whether the token at `position` may take a scan on from a node whose
            /// children's labels set `filter` (a word with wildcard labels always may).
            @inline(__always) func mayFollow(_ filter: UInt64, at position: Int) -> Bool {
                guard position < count, maxLength > 1 else { return false }
                let next = tokens[position]
                if next.stems >= 0 { return true }
                var bits: UInt64 = 0
                if next.lower >= 0 { bits |= 1 << ScanTables.filterBit(Int(next.lower)) }
                if next.exact >= 0 { bits |= 1 << ScanTables.filterBit(Self.exactOffset + Int(next.exact)) }
                return filter & bits != 0
            }
            for start in 0..<count where tokens[start].startsPhrase {
                let first = tokens[start]
                // Most starts are a word with its lower-cased label alone ("the", "children")
                // that the next word cannot follow: its own phrases, if any, and no walk.
                if first.exact < 0 && first.stems < 0 {
                    guard first.lower >= 0, case let child = t.rootChild.lower[Int(first.lower)], child >= 0 else {
                        continue
                    }
                    let info = t.nodes[Int(child)]
                    if info.childFilter == 0 || !mayFollow(info.childFilter, at: start + 1) {
                        for k in Int(info.outputStart)..<Int(info.outputEnd) {
                            buffers.add(Hit(first: start, last: start, payload: Int(t.outputPayloads[k])))
                        }
                        continue
                    }
                }
                // The first step: the word's own labels from the root.
                var frontierCount = 0
                @inline(__always) func reach(
                    _ child: Int32, into list: UnsafeMutablePointer<Int32>, _ listCount: inout Int, at position: Int
                ) {
                    let info = t.nodes[Int(child)]
                    for k in Int(info.outputStart)..<Int(info.outputEnd) {
                        buffers.add(Hit(first: start, last: position, payload: Int(t.outputPayloads[k])))
                    }
                    if info.childFilter != 0 {
                        list[listCount] = child
                        listCount += 1
                    }
                }
                let stemCount =
                    first.stems >= 0 ? Int(t.stemSetStart[Int(first.stems) + 1] - t.stemSetStart[Int(first.stems)]) : 0
                buffers.reserve(2 + stemCount, keeping: 0)
                if first.lower >= 0, case let child = t.rootChild.lower[Int(first.lower)], child >= 0 {
                    reach(child, into: buffers.frontier, &frontierCount, at: start)
                }
                if first.exact >= 0, case let child = t.rootChild.exact[Int(first.exact)], child >= 0 {
                    reach(child, into: buffers.frontier, &frontierCount, at: start)
                }
                if first.stems >= 0 {
                    for k in Int(t.stemSetStart[Int(first.stems)])..<Int(t.stemSetStart[Int(first.stems) + 1]) {
                        let child = t.rootChild.wildcard[t.stemLabels[k] - PhraseAutomaton.wildcardOffset]
                        if child >= 0 { reach(child, into: buffers.frontier, &frontierCount, at: start) }
                    }
                }
                // Then word by word while some node reached has children.
                var position = start + 1
                let stop = min(count, start + maxLength)
                while frontierCount > 0 && position < stop {
                    let token = tokens[position]
                    if token.lower < 0 && token.exact < 0 && token.stems < 0 { break }
                    let tokenStems =
                        token.stems >= 0
                        ? Int(t.stemSetStart[Int(token.stems) + 1] - t.stemSetStart[Int(token.stems)]) : 0
                    buffers.reserve(frontierCount * (2 + tokenStems), keeping: frontierCount)
                    let frontier = buffers.frontier
                    let reached = buffers.reached
                    var reachedCount = 0
                    for f in 0..<frontierCount {
                        let node = Int(frontier[f])
                        if token.lower >= 0, let child = t.edge(node, Int(token.lower)) {
                            reach(Int32(truncatingIfNeeded: child), into: reached, &reachedCount, at: position)
                        }
                        if token.exact >= 0, let child = t.edge(node, Self.exactOffset + Int(token.exact)) {
                            reach(Int32(truncatingIfNeeded: child), into: reached, &reachedCount, at: position)
                        }
                        if token.stems >= 0 {
                            for k in Int(t.stemSetStart[Int(token.stems)])..<Int(t.stemSetStart[Int(token.stems) + 1]) {
                                if let child = t.edge(node, t.stemLabels[k]) {
                                    reach(Int32(truncatingIfNeeded: child), into: reached, &reachedCount, at: position)
                                }
                            }
                        }
                    }
                    swap(&buffers.frontier, &buffers.reached)
                    frontierCount = reachedCount
                    position += 1
                }
            }
        }
    }

    /// The automaton's tables in memory of their own, read through plain
    /// pointers: the scan touches them for every byte and every word, and
    /// arrays would cost reference counting and bounds checks there.
    final class ScanTables: @unchecked Sendable {
        /// A `Lexicon.Table` in fixed memory.
        struct WordTable {
            let entries: UnsafeMutablePointer<Lexicon.Table.Entry>
            let offsets: UnsafeMutablePointer<UInt16>
            let arena: UnsafeMutablePointer<UInt8>
            let mask: Int

            /// The entry of the word of `count` bytes (those at `bytes`, each
            /// OR-ed with `fold`) whose `Lexicon.key` is `head` and `tail`; an
            /// entry with label -1 when the word is not in the table.
            @inline(__always)
            func find(_ head: UInt64, _ tail: UInt64, _ bytes: UnsafePointer<UInt8>, _ count: Int, _ fold: UInt8)
                -> Lexicon.Table.Entry
            {
                var slot = Lexicon.slot(head, tail, count, mask)
                while true {
                    let entry = entries[slot]
                    if entry.label < 0 { return entry }
                    if entry.head == head && Int(entry.length) == count {
                        if count <= 8 { return entry }
                        let stored = arena + Int(offsets[slot]) - 8
                        var same = true
                        for i in 8..<count where stored[i] != bytes[i] | fold {
                            same = false
                            break
                        }
                        if same { return entry }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }

        let lower: WordTable
        let exact: WordTable
        let stems: WordTable
        let stemLengths: UInt64
        let stemTriples: UnsafeMutablePointer<UInt64>
        let tripleCodes: UnsafeMutablePointer<UInt8>
        let exactWordsWithoutCapitals: Bool
        /// Wildcard sets: labels `stemLabels[stemSetStart[s]..<stemSetStart[s+1]]`.
        let stemSetStart: UnsafeMutablePointer<Int32>
        let stemLabels: UnsafeMutablePointer<Int>
        let edgeKeys: UnsafeMutablePointer<Int>
        let edgeValues: UnsafeMutablePointer<Int>
        let edgeMask: Int
        /// What the scan needs of each node, together so that one read fetches it.
        struct NodeInfo {
            /// One bit per child label (by `filterBit`): most words are no
            /// continuation, and the filter says so without a probe into the
            /// edge table, whose random reads miss the cache. Zero: no children.
            var childFilter: UInt64
            /// The payloads of phrases ending here: `outputPayloads[outputStart..<outputEnd]`.
            var outputStart: Int32
            var outputEnd: Int32
        }
        let nodes: UnsafeMutablePointer<NodeInfo>
        let outputPayloads: UnsafeMutablePointer<Int32>
        /// The root's children by word id, for each kind of label (-1: none):
        /// every phrase start takes this step, so it is an index, not a probe.
        let rootChild:
            (
                lower: UnsafeMutablePointer<Int32>, exact: UnsafeMutablePointer<Int32>,
                wildcard: UnsafeMutablePointer<Int32>
            )
        private var allocations: [UnsafeMutableRawPointer] = []

        init(automaton: PhraseAutomaton) {
            let edges = automaton.edges
            let lexicon = Lexicon(
                lowerWords: automaton.lowerIDs, exactWords: automaton.exactIDs, prefixes: automaton.prefixes,
                wildcardOffset: PhraseAutomaton.wildcardOffset,
                startsLower: { edges[PhraseAutomaton.edgeKey(0, $0)] != nil },
                startsExact: { edges[PhraseAutomaton.edgeKey(0, PhraseAutomaton.exactOffset + $0)] != nil },
                startsWildcard: { edges[PhraseAutomaton.edgeKey(0, $0)] != nil })
            var allocations: [UnsafeMutableRawPointer] = []
            func pin<T>(_ array: [T]) -> UnsafeMutablePointer<T> {
                let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(1, array.count))
                pointer.initialize(from: array, count: array.count)
                allocations.append(UnsafeMutableRawPointer(pointer))
                return pointer
            }
            func pin(_ table: Lexicon.Table) -> WordTable {
                WordTable(
                    entries: pin(table.entries), offsets: pin(table.offsets), arena: pin(table.arena),
                    mask: table.entries.count - 1)
            }
            lower = pin(lexicon.lower)
            exact = pin(lexicon.exact)
            stems = pin(lexicon.stems)
            stemLengths = lexicon.stemLengths
            stemTriples = pin(lexicon.stemTriples)
            tripleCodes = pin(Lexicon.tripleCodes)
            exactWordsWithoutCapitals = automaton.exactIDs.keys.contains { $0.lowercased() == $0 }
            let ids = 0..<automaton.nextID
            stemSetStart = pin(lexicon.stemSets.reduce(into: [Int32(0)]) { $0.append($0.last! + Int32($1.count)) })
            stemLabels = pin(lexicon.stemSets.flatMap { $0 })
            edgeKeys = pin(edges.keys)
            edgeValues = pin(edges.values)
            edgeMask = edges.keys.count - 1
            var filters = Array(repeating: UInt64(0), count: automaton.outputs.count)
            for key in edges.keys where key != -1 { filters[key >> 42] |= 1 << Self.filterBit(key & ((1 << 42) - 1)) }
            var infos: [NodeInfo] = []
            var payloads: [Int32] = []
            for (node, outputs) in automaton.outputs.enumerated() {
                infos.append(
                    NodeInfo(
                        childFilter: filters[node], outputStart: Int32(payloads.count),
                        outputEnd: Int32(payloads.count + outputs.count)))
                payloads += outputs.map { Int32($0) }
            }
            nodes = pin(infos)
            outputPayloads = pin(payloads)
            rootChild = (
                pin(ids.map { Int32(edges[PhraseAutomaton.edgeKey(0, $0)] ?? -1) }),
                pin(ids.map { Int32(edges[PhraseAutomaton.edgeKey(0, PhraseAutomaton.exactOffset + $0)] ?? -1) }),
                pin(ids.map { Int32(edges[PhraseAutomaton.edgeKey(0, PhraseAutomaton.wildcardOffset + $0)] ?? -1) })
            )
            self.allocations = allocations
        }

        deinit {
            for pointer in allocations { pointer.deallocate() }
        }

        /// The child of `node` (not the root) along `label`, if the trie has that edge.
        @inline(__always)
        func edge(_ node: Int, _ label: Int) -> Int? {
            guard nodes[node].childFilter & (1 << Self.filterBit(label)) != 0 else { return nil }
            let key = PhraseAutomaton.edgeKey(node, label)
            var i = EdgeTable.slot(key, edgeMask)
            while true {
                let k = edgeKeys[i]
                if k == key { return edgeValues[i] }
                if k == -1 { return nil }
                i = (i + 1) & edgeMask
            }
        }

        /// Which of a node's 64 filter bits a label sets.
        @inline(__always)
        static func filterBit(_ label: Int) -> UInt64 {
            (UInt64(bitPattern: Int64(label)) &* 0x9E37_79B9_7F4A_7C15) >> 58
        }

    }

    /// Number of trie nodes (for diagnostics).
    public var nodeCount: Int { outputs.count }
}
