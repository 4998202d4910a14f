import Foundation

/// Text helpers of the coder: distances between hits, slices of the passage, regular-expression matches as tokens.
extension Tagger {
    /// Words between two hits (0 when they touch or overlap).
    static func distance(_ x: PhraseAutomaton.Hit, _ y: PhraseAutomaton.Hit) -> Int {
        if x.first > y.last { return x.first - y.last - 1 }
        if y.first > x.last { return y.first - x.last - 1 }
        return 0
    }

    /// The text between two UTF-8 byte offsets.
    static func slice(_ text: String, _ start: Int32, _ end: Int32) -> String {
        let utf8 = text.utf8
        // A native string's bytes are read in place (the usual case); a bridged one's through its indexes.
        if let sliced = utf8.withContiguousStorageIfAvailable({
            String(decoding: UnsafeBufferPointer(rebasing: $0[Int(start)..<Int(end)]), as: UTF8.self)
        }) {
            return sliced
        }
        return String(
            decoding: utf8[
                utf8.index(utf8.startIndex, offsetBy: Int(start))..<utf8.index(utf8.startIndex, offsetBy: Int(end))],
            as: UTF8.self)
    }

    /// Regular-expression matches in `text` (which starts `byteOffset` UTF-8
    /// bytes into the passage), as ranges of the passage's tokens.
    static func regexMatches(
        _ regex: NSRegularExpression, text: String, tokens: [PhraseAutomaton.LabelledToken], byteOffset: Int = 0
    ) -> [(first: Int, last: Int)] {
        // UTF-16 offset → UTF-8 offset; plain ASCII text (the usual case) needs no table.
        var byteAt: [Int] = []
        let length = text.utf16.count
        if length != text.utf8.count {
            byteAt = [Int](repeating: 0, count: length + 1)
            var unit = 0
            var byte = 0
            for scalar in text.unicodeScalars {
                // The second unit of a surrogate pair is inside the scalar: no match starts or ends there.
                for k in 0..<UTF16.width(scalar) { byteAt[unit + k] = byte }
                unit += UTF16.width(scalar)
                byte += UTF8.width(scalar)
            }
            byteAt[length] = byte
        }
        var out: [(first: Int, last: Int)] = []
        for match in regex.matches(in: text, range: NSRange(location: 0, length: length)) where match.range.length > 0 {
            let lower = match.range.location
            let upper = lower + match.range.length
            let start = byteOffset + (byteAt.isEmpty ? lower : byteAt[lower])
            let end = byteOffset + (byteAt.isEmpty ? upper : byteAt[upper])
            guard let first = tokens.firstIndex(where: { Int($0.byteEnd) > start }),
                let last = tokens.lastIndex(where: { Int($0.byteStart) < end }), first <= last
            else { continue }
            out.append((first, last))
        }
        return out
    }
}
