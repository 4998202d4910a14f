import Foundation

@testable import SightlineCore

/// Random records for the wire's property tests, from a seeded generator so
/// that a failing case repeats: strings with every character that needs
/// escaping (quotes, backslashes, every control character), slashes,
/// accents, combining marks, emoji (with and without joiners), line and
/// paragraph separators, empty strings; optionals set and not; integers
/// from Int.min to Int.max; doubles large, small, negative and integral.
struct WireRandomRecords {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A linear congruential step (Knuth's MMIX constants).
    mutating func below(_ count: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(count))
    }

    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    static let pieces: [String] =
        ["a", "Z", "0", " ", "word", "Child L", "\"", "\\", "/", "\\u", "\\n", "é", "e\u{301}"]
        + ["“", "”", "–", "ﬁ", "🙂", "👩‍👩‍👧", "🇬🇧", "中文"]
        + ["\u{2028}", "\u{2029}", "\u{FEFF}", "\u{7F}", "\u{85}", "\u{A0}", "}", "{", ":", ","]
        + (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }

    mutating func string() -> String {
        if chance(8) { return "" }
        return (0..<below(24)).map { _ in Self.pieces[below(Self.pieces.count)] }.joined()
    }

    mutating func optionalString() -> String? { chance(50) ? string() : nil }

    mutating func strings() -> [String] { (0..<below(4)).map { _ in string() } }

    mutating func integer() -> Int {
        switch below(6) {
        case 0: return [0, 1, -1, Int.max, Int.min, Int.max - 1, Int.min + 1][below(7)]
        case 1: return Int(truncatingIfNeeded: state)
        case 2: return -below(1_000_000)
        default: return below(100_000)
        }
    }

    mutating func double() -> Double {
        switch below(9) {
        case 0:
            return [0, -0.0, 1, -1, 0.1 + 0.2, 1e15, 1e16, -1e15, 1e21, 1e22, 1e-7, 5e-324, 1.7976931348623157e308][
                below(13)]
        case 1: return Double(integer())
        case 2: return Double(below(1_000_000)) * pow(10, Double(below(60) - 30))
        case 3: return -Double(below(100_000)) / 7
        case 4: return Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &self)).finiteOrZero
        default: return (Double(below(100_000)) / 100).rounded(toPlaces: below(3))
        }
    }

    mutating func bool() -> Bool { chance(50) }

    mutating func kind() -> BlockKind { BlockKind.allCases[below(BlockKind.allCases.count)] }

    mutating func block() -> BlockRecord {
        var record = BlockRecord(
            docID: string(), page: integer(), pageEnd: integer(), pageLabel: optionalString(),
            pageEndLabel: optionalString(), index: integer(), kind: kind(), level: chance(50) ? integer() : nil,
            headingPath: strings(), text: string(),
            bbox: chance(50) ? BoundingBox(x0: double(), y0: double(), x1: double(), y1: double()) : nil)
        record.ocrConfidence = chance(50) ? double() : nil
        if chance(10) { record.schema = "sightline.block.v1" + string() }
        return record
    }

    mutating func passage() -> PassageRecord {
        PassageRecord(
            passageID: string(), docID: string(), blockIndex: integer(), part: integer(), page: integer(),
            pageEnd: integer(), pageLabel: optionalString(), kind: kind(), headingPath: strings(), text: string(),
            wordCount: integer(), boilerplate: bool())
    }

    mutating func match() -> MatchSpan {
        MatchSpan(
            rule: string(), start: integer(), end: integer(), text: string(), negated: bool(), hypothetical: bool())
    }

    mutating func coding() -> CodingRecord {
        CodingRecord(
            passageID: string(), docID: string(), page: integer(), pageLabel: optionalString(), taxonomy: string(),
            theme: string(), subtheme: optionalString(), rules: strings(), matches: (0..<below(4)).map { _ in match() },
            negated: bool(), hypothetical: bool(), boilerplate: bool())
    }
}

extension WireRandomRecords: RandomNumberGenerator {
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state
    }
}

extension Double {
    /// NaN and the infinities, which JSON cannot hold, as zero.
    fileprivate var finiteOrZero: Double { isFinite ? self : 0 }

    fileprivate func rounded(toPlaces places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (self * scale).rounded() / scale
    }
}
