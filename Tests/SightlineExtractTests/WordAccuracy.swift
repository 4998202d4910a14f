import Foundation
import SightlineCore

/// Word-level accuracy of extracted text against known text:
/// 1 − (substitutions + deletions + insertions) / words in the reference,
/// from a word-level edit distance (as word error rate is computed).
enum WordAccuracy {
    static func words(_ text: String) -> [Substring] {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" })
    }

    static func editDistance(_ a: [Substring], _ b: [Substring]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    static func accuracy(reference: String, extracted: String) -> (accuracy: Double, errors: Int, words: Int) {
        let ref = words(reference)
        let got = words(extracted)
        let errors = editDistance(ref, got)
        return (ref.isEmpty ? (got.isEmpty ? 1 : 0) : 1 - Double(errors) / Double(ref.count), errors, ref.count)
    }
}

/// A ground-truth block written by scripts/make-corpus.
struct TruthBlock: Decodable {
    var kind: String
    var text: String

    static func load(_ url: URL) throws -> [TruthBlock] {
        try JSONLinesReader(path: url.path).decodeAll(TruthBlock.self)
    }
}
