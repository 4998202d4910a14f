import Foundation

/// Encodes records as JSON Lines: one object per line, keys sorted, so the
/// same records always give the same bytes.
public struct JSONLinesEncoder: Sendable {
    public init() {}

    /// One record as a line of UTF-8 JSON, ending in a line feed.
    public func line<T: Encodable>(_ record: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(record)
        data.append(0x0A)
        return data
    }

    /// Encodes the outcome of one extraction as its `documents.jsonl` line and its `blocks.jsonl` lines.
    public func lines(for outcome: ExtractionOutcome) throws -> (document: Data, blocks: Data) {
        switch outcome {
        case .failure(let error):
            return (try line(error), Data())
        case .document(let document, let blocks):
            var blockBytes: [UInt8] = []
            blockBytes.reserveCapacity(blocks.count * 400)
            for block in blocks { RecordLineWriter.append(block, to: &blockBytes) }
            return (try line(document), Data(blockBytes))
        }
    }
}

/// A problem reading a JSON Lines file, naming the file and line.
public struct JSONLinesError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int
    public var problem: String
    public var description: String { "\(file):\(line): \(problem)" }

    public init(file: String, line: Int, problem: String) {
        self.file = file
        self.line = line
        self.problem = problem
    }
}

/// Reads JSON Lines files written by an earlier stage, one record at a time.
public struct JSONLinesReader: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// The file's non-empty lines, one at a time, with their 1-based numbers.
    public struct Lines: IteratorProtocol {
        let bytes: [UInt8]
        var start = 0
        var number = 0

        /// The lines of bytes already read.
        public init(bytes: [UInt8]) { self.bytes = bytes }

        public mutating func next() -> (bytes: Data, line: Int)? {
            while start < bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != 0x0A { end += 1 }
                number += 1
                let range = start..<end
                start = end + 1
                if !range.isEmpty { return (Data(bytes[range]), number) }
            }
            return nil
        }
    }

    /// Reads the file and iterates over its lines.
    public func lines() throws -> Lines {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JSONLinesError(file: path, line: 0, problem: "cannot read the file")
        }
        return Lines(bytes: [UInt8](data))
    }

    /// Calls `body` with each non-empty line's bytes and its 1-based line number.
    public func forEachLine(_ body: (Data, Int) throws -> Void) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JSONLinesError(file: path, line: 0, problem: "cannot read the file")
        }
        var lineNumber = 0
        var start = data.startIndex
        while start < data.endIndex {
            let end = data[start...].firstIndex(of: 0x0A) ?? data.endIndex
            lineNumber += 1
            let slice = data[start..<end]
            if !slice.isEmpty { try body(Data(slice), lineNumber) }
            start = end == data.endIndex ? end : data.index(after: end)
        }
    }

    /// Decodes every line as `T`, reporting the file and line of the first bad one.
    public func decodeAll<T: Decodable>(_ type: T.Type) throws -> [T] {
        var records: [T] = []
        let decoder = JSONDecoder()
        try forEachLine { bytes, number in
            do {
                records.append(try decoder.decode(T.self, from: bytes))
            } catch {
                throw JSONLinesError(file: path, line: number, problem: "not a valid record: \(error)")
            }
        }
        return records
    }
}
