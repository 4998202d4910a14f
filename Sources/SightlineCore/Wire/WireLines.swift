import Foundation

/// One line of one of Sightline's files, recognised by its `type` field
/// alone: never by which key comes first or by whether the line happens to
/// decode as some record, so a field added to any record (schemas only gain
/// fields) never changes what a line is taken for. Each conforming enum is
/// the grammar of one file; a record type it does not list is refused with
/// a message naming the type, as is a schema with a newer major version.
public protocol WireLine: Sendable {
    /// Reads one line (without its line feed); throws `Wire.Problem`.
    init(line: UnsafeRawBufferPointer) throws
}

extension WireLine {
    public init(line: Data) throws {
        self = try line.withUnsafeBytes { try Self(line: $0) }
    }
}

/// A line of `documents.jsonl`: what became of one input.
public enum DocumentsLine: WireLine, Equatable {
    case document(DocumentRecord)
    case error(ErrorRecord)
    case duplicate(DuplicateRecord)
    case skipped(SkippedRecord)

    public init(line: UnsafeRawBufferPointer) throws {
        let head = try Wire.head(line)
        switch head.type {
        case "document":
            try SchemaVersion.check(head.schema, family: "sightline.document")
            self = .document(try Wire.record(DocumentRecord.self, line, name: "document"))
        case "error":
            try SchemaVersion.check(head.schema, family: "sightline.error")
            self = .error(try Wire.record(ErrorRecord.self, line, name: "error"))
        case "duplicate":
            try SchemaVersion.check(head.schema, family: "sightline.duplicate")
            self = .duplicate(try Wire.record(DuplicateRecord.self, line, name: "duplicate"))
        case "skipped":
            try SchemaVersion.check(head.schema, family: "sightline.skipped")
            self = .skipped(try Wire.record(SkippedRecord.self, line, name: "skipped"))
        default:
            throw Wire.unexpected(head.type, in: "documents.jsonl", expected: "document, error, duplicate or skipped")
        }
    }

    /// The input the line is about, as given.
    public var source: String {
        switch self {
        case .document(let record): record.source
        case .error(let record): record.source
        case .duplicate(let record): record.source
        case .skipped(let record): record.source
        }
    }
}

/// A line of `blocks.jsonl`.
public enum BlocksLine: WireLine, Equatable {
    case block(BlockRecord)

    public init(line: UnsafeRawBufferPointer) throws {
        if let block = Wire.FastReader.block(line) {
            try Wire.check(schema: block.schema, current: Schema.block, family: "sightline.block")
            self = .block(block)
            return
        }
        let head = try Wire.head(line)
        guard head.type == "block" else { throw Wire.unexpected(head.type, in: "blocks.jsonl", expected: "block") }
        try SchemaVersion.check(head.schema, family: "sightline.block")
        self = .block(try Wire.record(BlockRecord.self, line, name: "block"))
    }

    public var block: BlockRecord {
        switch self {
        case .block(let record): record
        }
    }
}

/// A line of `passages.jsonl`.
public enum PassagesLine: WireLine, Equatable {
    case passage(PassageRecord)

    public init(line: UnsafeRawBufferPointer) throws {
        if let passage = Wire.FastReader.passage(line) {
            try Wire.check(schema: passage.schema, current: Schema.passage, family: "sightline.passage")
            self = .passage(passage)
            return
        }
        let head = try Wire.head(line)
        guard head.type == "passage" else {
            throw Wire.unexpected(head.type, in: "passages.jsonl", expected: "passage")
        }
        try SchemaVersion.check(head.schema, family: "sightline.passage")
        self = .passage(try Wire.record(PassageRecord.self, line, name: "passage"))
    }

    public var passage: PassageRecord {
        switch self {
        case .passage(let record): record
        }
    }
}

/// A line of `codings.jsonl`: a taxonomy header (they come first) or a coding.
public enum CodingsLine: WireLine, Equatable {
    case taxonomy(TaxonomyRecord)
    case coding(CodingRecord)

    public init(line: UnsafeRawBufferPointer) throws {
        try self.init(line: line, interner: nil)
    }

    /// With an `interner`, a coding's repeated ids come from it (see `Wire.FastReader.coding`).
    public init(line: UnsafeRawBufferPointer, interner: StringInterner?) throws {
        if let coding = Wire.FastReader.coding(line, interner: interner) {
            try Wire.check(schema: coding.schema, current: Schema.coding, family: "sightline.coding")
            self = .coding(coding)
            return
        }
        self = try Self.decoded(line)
    }

    /// The line read by JSONDecoder, after its `type` says which record it is.
    static func decoded(_ line: UnsafeRawBufferPointer) throws -> CodingsLine {
        let head = try Wire.head(line)
        switch head.type {
        case "coding":
            try SchemaVersion.check(head.schema, family: "sightline.coding")
            return .coding(try Wire.record(CodingRecord.self, line, name: "coding"))
        case "taxonomy":
            try SchemaVersion.check(head.schema, family: "sightline.taxonomy")
            return .taxonomy(try Wire.record(TaxonomyRecord.self, line, name: "taxonomy"))
        default:
            throw Wire.unexpected(head.type, in: "codings.jsonl", expected: "taxonomy or coding")
        }
    }

    /// A coding line read for counting (`Wire.FastReader.codingForCounting`):
    /// the record without its rule list, matches and page label, and how many
    /// of its matches are neither negated nor hypothetical. Nil when the fast
    /// reader does not read the line: read it whole with `init(line:interner:)`.
    public static func codingForCounting(_ line: UnsafeRawBufferPointer, interner: StringInterner) throws -> (
        coding: CodingRecord, affirmed: Int
    )? {
        guard let read = Wire.FastReader.codingForCounting(line, interner: interner) else { return nil }
        try Wire.check(schema: read.coding.schema, current: Schema.coding, family: "sightline.coding")
        return read
    }
}

extension Wire.Problem {
    /// `codings.jsonl` starts with its taxonomy records.
    public static let taxonomyAfterCodings = Wire.Problem(
        "a taxonomy record after the codings: taxonomy records must come first")
}

extension Wire {
    static func unexpected(_ type: String, in file: String, expected: String) -> Problem {
        Problem("a ‘\(type)’ record, which \(file) does not hold (this version reads \(expected) records there)")
    }

    /// Runs `body` for one line of `file`, giving any `Wire.Problem` it throws the file and line number.
    public static func at<T>(file: String, line: Int, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let problem as Problem {
            throw JSONLinesError(file: file, line: line, problem: problem.message)
        }
    }
}

extension JSONLinesReader {
    /// Reads every line of the file as a `Line`, in order, with its 1-based
    /// number; a line that is not one (and any `Wire.Problem` `body` throws)
    /// is reported with the file and line.
    public func forEach<Line: WireLine>(_ type: Line.Type, _ body: (Line, Int) throws -> Void) throws {
        try forEachLine { bytes, number in
            try Wire.at(file: path, line: number) {
                try body(try Line(line: bytes), number)
            }
        }
    }

    /// Every line of the file as a `Line`, in order.
    public func readAll<Line: WireLine>(_ type: Line.Type) throws -> [Line] {
        var lines: [Line] = []
        try forEach(Line.self) { line, _ in lines.append(line) }
        return lines
    }
}
