import Foundation

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

    /// The file's non-empty lines, one at a time, with their 1-based
    /// numbers, read in pieces of `chunkSize` bytes so that a file of any
    /// size costs only its longest line in memory.
    public struct Lines: IteratorProtocol {
        private let source: Source?
        private var buffer: [UInt8] = []
        private var start = 0
        private var number = 0
        private var atEnd = false

        /// Where the bytes come from: an open file, read piece by piece.
        final class Source {
            let descriptor: Int32
            init(descriptor: Int32) { self.descriptor = descriptor }
            deinit { close(descriptor) }
        }

        static let chunkSize = 1 << 20

        init(source: Source) { self.source = source }

        /// The lines of bytes already in memory.
        public init(bytes: [UInt8]) {
            source = nil
            buffer = bytes
            atEnd = true
        }

        public mutating func next() -> (bytes: Data, line: Int)? {
            while true {
                if let newline = buffer[start...].firstIndex(of: 0x0A) {
                    let range = start..<newline
                    start = newline + 1
                    number += 1
                    if !range.isEmpty { return (Data(buffer[range]), number) }
                    continue
                }
                if atEnd {
                    guard start < buffer.count else { return nil }
                    let range = start..<buffer.count
                    start = buffer.count
                    number += 1
                    return (Data(buffer[range]), number)
                }
                // Keep the unfinished line and read the next piece after it.
                buffer.removeSubrange(0..<start)
                start = 0
                let before = buffer.count
                buffer.reserveCapacity(before + Self.chunkSize)
                var got = 0
                while true {
                    var chunk = [UInt8](repeating: 0, count: Self.chunkSize)
                    guard let source else { break }
                    got = chunk.withUnsafeMutableBytes { read(source.descriptor, $0.baseAddress, $0.count) }
                    if got < 0 && errno == EINTR { continue }
                    if got > 0 { buffer.append(contentsOf: chunk[0..<got]) }
                    break
                }
                if got <= 0 { atEnd = true }
            }
        }
    }

    /// Opens the file and iterates over its lines.
    public func lines() throws -> Lines {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw JSONLinesError(file: path, line: 0, problem: "cannot read the file") }
        return Lines(source: Lines.Source(descriptor: descriptor))
    }

    /// Calls `body` with each non-empty line's bytes and its 1-based line number.
    public func forEachLine(_ body: (Data, Int) throws -> Void) throws {
        var lines = try lines()
        while let (bytes, number) = lines.next() { try body(bytes, number) }
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

extension JSONLinesReader {
    /// How many lines (newline bytes) `data` holds, counted over its bytes
    /// directly (iterating `Data` goes a byte at a time through its indexes).
    public static func lineCount(in data: Data) -> Int {
        data.withUnsafeBytes { raw in
            var count = 0
            var at = 0
            while let end = newline(in: raw, from: at) {
                count += 1
                at = end + 1
            }
            return count
        }
    }

    /// The offset of the first line feed at or after `start` (memchr: one
    /// document's lines run to megabytes, and `run` reads them on its writer's thread).
    static func newline(in raw: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard start < raw.count, let base = raw.baseAddress, let found = memchr(base + start, 0x0A, raw.count - start)
        else { return nil }
        return base.distance(to: UnsafeRawPointer(found))
    }

    /// Calls `body` with each non-empty line of `data` (lines that are
    /// already in memory, such as one document's lines from a worker).
    /// `Data.split` walks Data's indexes a byte at a time; this scans the
    /// bytes directly.
    public static func forEachLine(in data: Data, _ body: (Data) throws -> Void) rethrows {
        try forEachLineInPlace(in: data) { try body(Data($0)) }
    }

    /// As `forEachLineInPlace(in:_:)`, for the lines at `indexes` only (from 0, ascending; empty lines are
    /// not counted).
    public static func forEachLineInPlace(
        in data: Data, at indexes: [Int], _ body: (UnsafeRawBufferPointer) throws -> Void
    ) rethrows {
        var line = 0
        var wanted = 0
        try forEachLineInPlace(in: data) { bytes in
            defer { line += 1 }
            guard wanted < indexes.count, line == indexes[wanted] else { return }
            try body(bytes)
            wanted += 1
        }
    }

    /// As `forEachLine(in:_:)`, lending each line's bytes in place rather than copying them.
    public static func forEachLineInPlace(in data: Data, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var start = 0
            while start < raw.count {
                let end = newline(in: raw, from: start) ?? raw.count
                if end > start { try body(UnsafeRawBufferPointer(rebasing: raw[start..<end])) }
                start = end + 1
            }
        }
    }
}
