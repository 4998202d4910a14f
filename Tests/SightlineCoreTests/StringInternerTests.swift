import Foundation
import Testing

@testable import SightlineCore

@Suite struct StringInternerTests {
    func string(_ interner: StringInterner, _ text: String) -> String {
        Array(text.utf8).withUnsafeBufferPointer { interner.string($0) }
    }

    @Test func givesBackTheStringOfTheBytesAcrossGrowth() {
        let interner = StringInterner()
        // Far more than the first table holds, each asked for twice, mixed with look-alikes.
        let words =
            (0..<2_000).map { "theme-\($0)" } + ["", "é", "a", "aa", "extrafamilial-harm", "extrafamilial-harn"]
        for word in words { #expect(string(interner, word) == word) }
        for word in words.reversed() { #expect(string(interner, word) == word) }
    }

    @Test func keepsOneCopyOfAString() {
        let interner = StringInterner()
        let first = string(interner, "a-document-id-longer-than-fifteen-bytes")
        let again = string(interner, "a-document-id-longer-than-fifteen-bytes")
        var a = first
        var b = again
        // The same storage, not merely equal text.
        #expect(a.withUTF8 { $0.baseAddress } == b.withUTF8 { $0.baseAddress })
    }

    @Test func pastItsLimitItStillAnswersRightly() {
        let interner = StringInterner(limit: 3)
        for round in 0..<2 {
            for k in 0..<10 { #expect(string(interner, "word number \(k)") == "word number \(k)", "round \(round)") }
        }
    }

    @Test func recentRemembersOnlyTheLastString() {
        let interner = StringInterner()
        let ids = ["abc/1.0", "abc/1.0", "abc/1.1", "abc/1.0", ""]
        for id in ids { #expect(Array(id.utf8).withUnsafeBufferPointer { interner.recent($0) } == id) }
    }

    @Test func invalidUTF8IsRepairedAsStringDecodingDoes() {
        let interner = StringInterner()
        let bytes: [UInt8] = [0x61, 0xFF, 0x62]
        for _ in 0..<2 {
            #expect(bytes.withUnsafeBufferPointer { interner.string($0) } == String(decoding: bytes, as: UTF8.self))
        }
    }
}
