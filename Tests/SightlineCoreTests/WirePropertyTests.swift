import Foundation
import Testing

@testable import SightlineCore

/// The fast paths against the Codable definitions, on many random records:
/// the fast writer must write JSONEncoder's bytes (sorted keys) exactly, and
/// the fast reader must read back what JSONDecoder reads.
@Suite struct WirePropertyTests {
    static let rounds = 3_000

    /// `encode`: the fast writer; the line it writes must be `Wire.line`'s, and both readers must give the record back.
    func check<Record: Codable & Equatable>(
        _ record: Record, _ encode: (Record, inout [UInt8]) -> Void, fast: (Data) -> Record?
    ) throws {
        var bytes: [UInt8] = []
        encode(record, &bytes)
        let reference = try Wire.line(record)
        #expect(
            bytes == Array(reference),
            "\(String(decoding: bytes, as: UTF8.self)) is not\n\(String(decoding: reference, as: UTF8.self))")
        let line = Data(bytes.dropLast())
        let decoded = try JSONDecoder().decode(Record.self, from: line)
        #expect(decoded == record)
        #expect(fast(line) == decoded, "\(String(decoding: line, as: UTF8.self))")
    }

    @Test func blocks() throws {
        var random = WireRandomRecords(seed: 1)
        for _ in 0..<Self.rounds {
            let block = random.block()
            try check(block, { Wire.append($0, to: &$1) }, fast: { Wire.FastReader.block($0) })
            if block.schema == Schema.block {
                #expect(try BlocksLine(line: Wire.line(block).dropLast()) == .block(block))
            } else {
                #expect(throws: Wire.Problem.self) { try BlocksLine(line: Wire.line(block).dropLast()) }
            }
        }
    }

    @Test func passages() throws {
        var random = WireRandomRecords(seed: 2)
        for _ in 0..<Self.rounds {
            let passage = random.passage()
            try check(passage, { Wire.append($0, to: &$1) }, fast: { Wire.FastReader.passage($0) })
            #expect(try PassagesLine(line: Wire.line(passage).dropLast()) == .passage(passage))
        }
    }

    @Test func codings() throws {
        var random = WireRandomRecords(seed: 3)
        let interner = StringInterner()
        for _ in 0..<Self.rounds {
            let coding = random.coding()
            try check(coding, { Wire.append($0, to: &$1) }, fast: { Wire.FastReader.coding($0) })
            let line = try Wire.line(coding).dropLast()
            #expect(try CodingsLine(line: line) == .coding(coding))
            // With an interner, and read for counting: the same record (less what counting leaves out).
            try line.withUnsafeBytes { bytes in
                #expect(Wire.FastReader.coding(bytes, interner: interner) == coding)
                let counted = try CodingsLine.codingForCounting(bytes, interner: interner)
                var expected = coding
                (expected.rules, expected.matches, expected.pageLabel) = ([], [], nil)
                #expect(counted?.coding == expected)
                #expect(counted?.affirmed == coding.matches.filter(\.isAffirmed).count)
            }
        }
    }

    /// Lines another JSON writer might write (spaces, keys in another
    /// order, escaped slashes and letters, `null` for an absent optional)
    /// read as JSONDecoder reads them, whichever reader takes them.
    @Test func linesFromOtherWriters() throws {
        var random = WireRandomRecords(seed: 4)
        for round in 0..<500 {
            let coding = random.coding()
            let plain = try JSONEncoder().encode(coding) // unsorted keys, escaped slashes
            var text = String(decoding: plain, as: UTF8.self)
            if round % 3 == 0 { text = text.replacingOccurrences(of: "\"type\":", with: " \"type\" : ") }
            if round % 3 == 1 { text = text.replacingOccurrences(of: "\"coding\"", with: "\"\\u0063oding\"") }
            if round % 5 == 0 && coding.subtheme == nil {
                text = text.replacingOccurrences(of: "{", with: "{\"subtheme\":null,", options: [], range: nil)
            }
            let line = Data(text.utf8)
            let decoded = try? JSONDecoder().decode(CodingRecord.self, from: line)
            let read = try? CodingsLine(line: line)
            if let decoded { #expect(read == .coding(decoded), "\(text)") }
            if let fast = Wire.FastReader.coding(line) { #expect(fast == decoded, "\(text)") }
        }
    }
}
