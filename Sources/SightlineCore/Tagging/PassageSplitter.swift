import Foundation

/// Turns blocks into passages, the units that get coded: a block is one
/// passage; a block of more than `splitAbove` words is cut at sentence
/// boundaries into passages of up to about `targetWords` words.
public struct PassageSplitter {
    public var splitAbove = 150
    public var targetWords = 120
    /// Heading patterns (lower-case, `*` wildcards) that make a passage boilerplate.
    private let patterns: HeadingPatterns

    /// Headings already judged (a document repeats its headings for every passage).
    private var verdicts = HeadingVerdicts()

    /// The document id whose passage-id prefix is `bytes`.
    private var idPrefix: (docID: String, bytes: [UInt8]) = ("", [])

    public init(boilerplateHeadings: [String]) { patterns = HeadingPatterns(boilerplateHeadings) }

    public mutating func passages(of block: BlockRecord) -> [PassageRecord] {
        // The section a passage is directly in decides: a "Contents" heading
        // that happens to sit above a whole report must not swallow it.
        let nearest = block.kind == .heading ? block.text : block.headingPath.last
        let boilerplate = nearest.map { isBoilerplate(heading: $0) } ?? false
        let words = TextNormalizer.wordCount(block.text)
        var texts: [(text: String, words: Int)] = [(block.text, words)]
        if words > splitAbove {
            let scalars = Array(block.text.unicodeScalars)
            texts = []
            var current: [Unicode.Scalar] = []
            var currentWords = 0
            // Sentences are separated by spaces, so a passage's words are its sentences' words.
            for range in SentenceSplitter.sentences(scalars) {
                let count = TextNormalizer.wordCount(scalars: scalars[range])
                if currentWords > 0 && currentWords + count > targetWords {
                    texts.append((Self.trimmed(current), currentWords))
                    current = []
                    currentWords = 0
                }
                if !current.isEmpty { current.append(" ") }
                current += scalars[range]
                currentWords += count
            }
            if !current.isEmpty { texts.append((Self.trimmed(current), currentWords)) }
        }
        return texts.enumerated().map { part, passage in
            PassageRecord(
                passageID: passageID(document: block.docID, block: block.index, part: part), docID: block.docID,
                blockIndex: block.index,
                part: part, page: block.page, pageEnd: block.pageEnd, pageLabel: block.pageLabel, kind: block.kind,
                headingPath: block.headingPath, text: passage.text, wordCount: passage.words,
                boilerplate: boilerplate)
        }
    }

    /// `<first 16 characters of the document id>/<block>.<part>`, written
    /// byte by byte: the document's part is worked out once per document.
    mutating func passageID(document docID: String, block: Int, part: Int) -> String {
        if docID != idPrefix.docID {
            // Every id Sightline makes is hexadecimal: when each of the first
            // 17 bytes is a character, the first 16 bytes are the first 16
            // characters (the 17th cannot join the 16th).
            let bytewise = TextNormalizer.eachByteIsACharacter(docID.utf8.prefix(17))
            idPrefix = (docID, bytewise ? Array(docID.utf8.prefix(16)) : Array(docID.prefix(16).utf8))
        }
        let prefix = idPrefix.bytes
        return String(unsafeUninitializedCapacity: prefix.count + 42) { buffer in
            let at = buffer.baseAddress!
            _ = UnsafeMutableBufferPointer(start: at, count: prefix.count).initialize(from: prefix)
            var written = prefix.count
            at[written] = UInt8(ascii: "/")
            written += 1 + FastWriter.decimal(block, at: at + written + 1)
            at[written] = UInt8(ascii: ".")
            written += 1 + FastWriter.decimal(part, at: at + written + 1)
            return written
        }
    }

    static func trimmed(_ scalars: [Unicode.Scalar]) -> String {
        var end = scalars.count
        while end > 0 && scalars[end - 1] == " " { end -= 1 }
        // Encoded to UTF-8 bytes first: appending scalars to a string one by one is far slower.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(end + end / 8)
        for scalar in scalars[..<end] { UTF8.encode(scalar) { bytes.append($0) } }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether a heading is one of the boilerplate sections (judged once per heading).
    public mutating func isBoilerplate(heading: String) -> Bool {
        verdicts.verdict(heading, patterns)
    }
}

/// Headings judged against heading patterns, each once: the splitter's
/// boilerplate sections, and each frame's hypothetical headings in the tagger.
struct HeadingVerdicts {
    private var known: [String: Bool] = [:]
    /// The heading judged last (a block's passages, and often the next
    /// blocks', share one): compared before any dictionary look-up.
    private var last: (heading: String, verdict: Bool)? = nil

    mutating func verdict(_ heading: String, _ patterns: HeadingPatterns) -> Bool {
        if let last, last.heading == heading { return last.verdict }
        let verdict: Bool
        if let seen = known[heading] {
            verdict = seen
        } else {
            verdict = patterns.matches(heading: heading)
            known[heading] = verdict
        }
        last = (heading, verdict)
        return verdict
    }
}

/// Heading patterns (lower-case, `*` wildcards), cut into their literal
/// pieces once. A heading matches a pattern when, lower-cased and without its
/// section number, it contains the pattern (`*` standing for any text).
public struct HeadingPatterns: Sendable {
    /// Per pattern, its literal pieces in order, as UTF-8.
    private let pieces: [[[UInt8]]]

    public init(_ patterns: [String]) {
        pieces = patterns.map { pattern in
            pattern.split(separator: "*", omittingEmptySubsequences: true).map { Array($0.utf8) }
        }
    }

    public var isEmpty: Bool { pieces.isEmpty }

    public func matches(heading: String) -> Bool {
        guard !pieces.isEmpty else { return false }
        var text = heading.lowercased()
        while let first = text.first, first.isNumber || first == "." || first == " " || first == ")" {
            text.removeFirst()
        }
        // Byte-wise: both are lower-cased UTF-8, and a piece found at a byte
        // offset is found at a character boundary (UTF-8 is self-synchronising).
        let haystack = Array(text.utf8)
        return pieces.contains { pattern in
            var from = 0
            for needle in pattern {
                guard let at = Self.find(needle, in: haystack, from: from) else { return false }
                from = at + needle.count
            }
            return true
        }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty else { return from }
        guard haystack.count >= needle.count else { return nil }
        var i = from
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
