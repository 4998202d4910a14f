import Foundation

/// Sightline's wire format (docs/wire-format.md) in one place: every record
/// type (`ExtractRecords.swift`, `TagRecords.swift`), how each file's lines are
/// recognised (`WireLines.swift`: one enum per file, dispatching on `type`),
/// and how records become bytes and bytes records.
///
/// Every record is `Codable`; `Wire.line(_:)` writes any of them as
/// JSONEncoder does with sorted keys. The three records written and read by
/// the hundred thousand (block, passage, coding) also have fast paths
/// (`FastWriter.swift`, `FastReader.swift`) that walk the record's own
/// `CodingKeys` (`FieldTable`), so they cannot name a field the Codable
/// definition lacks or miss one it has; tests check them against JSONEncoder
/// and JSONDecoder byte for byte on random records.
public enum Wire {
    /// Why a line is not a record a reader can use. Readers add the file and line number (`JSONLinesError`).
    public struct Problem: Error, CustomStringConvertible, Sendable, Equatable {
        public var message: String
        public var description: String { message }
        public init(_ message: String) { self.message = message }
    }

    /// One record as a line of UTF-8 JSON ending in a line feed: keys sorted,
    /// slashes not escaped, optional fields without a value left out.
    public static func line<Record: Encodable>(_ record: Record) throws -> Data {
        var data = try encoder.encode(record)
        data.append(0x0A)
        return data
    }

    /// A line for a record Sightline itself made: these plain structs always
    /// encode, so a failure is a bug, reported rather than hidden (an empty
    /// line would silently lose the record).
    public static func encodedLine<Record: Encodable>(_ record: Record) -> Data {
        do {
            return try line(record)
        } catch {
            preconditionFailure("a \(Record.self) could not be encoded: \(error)")
        }
    }

    /// The outcome of one extraction as its `documents.jsonl` line and its `blocks.jsonl` lines.
    public static func lines(for outcome: ExtractionOutcome) -> (document: Data, blocks: Data) {
        switch outcome {
        case .failure(let error):
            return (encodedLine(error), Data())
        case .document(let document, let blocks):
            let blockBytes = LineBuffer(capacity: blocks.count * 400)
            for block in blocks { append(block, to: blockBytes) }
            return (encodedLine(document), blockBytes.data)
        }
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Decodes a whole line with JSONDecoder: the reference every fast path is checked against.
    static func decode<Record: Decodable>(_ type: Record.Type, _ line: UnsafeRawBufferPointer) throws -> Record {
        try JSONDecoder().decode(Record.self, from: Data(line))
    }

    /// The `type` and `schema` every record has: read first when a line is not one a fast path reads.
    struct Head: Decodable {
        var type: String
        var schema: String
    }

    /// A line's `type` and `schema`, or a problem saying the line is not a record at all.
    static func head(_ line: UnsafeRawBufferPointer) throws -> Head {
        do {
            return try decode(Head.self, line)
        } catch {
            throw Problem("not a valid record (malformed or truncated JSON, or no type and schema)")
        }
    }

    /// Decodes a line whose `type` is already known to be this record's.
    static func record<Record: Decodable>(_ type: Record.Type, _ line: UnsafeRawBufferPointer, name: String) throws
        -> Record
    {
        do {
            return try decode(Record.self, line)
        } catch {
            throw Problem("not a valid \(name) record (\(Self.reason(error)))")
        }
    }

    /// A short account of why JSONDecoder refused a line: the field and what was wrong with it.
    static func reason(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, _): return "no \(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "malformed or truncated JSON" : "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    /// Refuses a schema that is not `<family>.vN` with N this version reads.
    /// `current` is the schema this version writes: the usual case, passed at the cost of one comparison.
    @inline(__always)
    static func check(schema: String, current: String, family: String) throws {
        if schema == current { return }
        try SchemaVersion.check(schema, family: family)
    }
}
