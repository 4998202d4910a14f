import Foundation

/// RFC 4180 CSV: fields quoted when they hold a comma, quote or line break,
/// quotes doubled, CRLF line ends, UTF-8 with a byte-order mark so Excel
/// reads it as UTF-8 (R's readr and Python's csv skip the mark).
public enum CSV {
    public static let byteOrderMark = "\u{FEFF}"

    public static func field(_ value: String) -> String {
        guard needsQuotes(value) else { return value }
        var quoted: [UInt8] = []
        quoted.reserveCapacity(value.utf8.count + 8)
        append(field: value, to: &quoted)
        return String(decoding: quoted, as: UTF8.self)
    }

    /// Appends one row: each field as `field(_:)` writes it, commas between them, CRLF at the end.
    public static func append(row fields: [String], to out: inout [UInt8]) {
        append(fields: fields, to: &out)
        out.append(contentsOf: lineEnd)
    }

    /// Appends fields as `field(_:)` writes them, with commas between them: part of a row.
    public static func append(fields: [String], to out: inout [UInt8]) {
        for (i, value) in fields.enumerated() {
            if i > 0 { out.append(comma) }
            append(field: value, to: &out)
        }
    }

    static let lineEnd: [UInt8] = [0x0D, 0x0A]

    public static func document(header: [String], rows: [[String]]) -> String {
        var out = Array(byteOrderMark.utf8)
        append(row: header, to: &out)
        for row in rows { append(row: row, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    // By byte: the four characters that call for quotes are ASCII, and UTF-8 never uses an ASCII byte inside a
    // longer character, so this finds them as a scan by scalar would ("\r\n" is one Character, equal to neither
    // "\r" nor "\n"; a quote before a combining mark is part of a larger Character). Over the string's contiguous
    // UTF-8 rather than its `utf8` view, whose iterator costs several times more per byte: coded-segments.csv
    // quotes most passages, and these two scans were a fifth of the instructions `aggregate` spent on the corpus.

    private static func needsQuotes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // All four sort at or before the comma (0x2C): most bytes are passed over with one comparison.
        bytes.contains { $0 <= comma && ($0 == comma || $0 == quote || $0 == 0x0A || $0 == 0x0D) }
    }

    private static func needsQuotes(_ value: String) -> Bool {
        var value = value
        return value.withUTF8(needsQuotes)
    }

    /// Appends one field as `field(_:)` writes it.
    static func append(field value: String, to out: inout [UInt8]) {
        var value = value
        value.withUTF8 { bytes in
            guard needsQuotes(bytes) else {
                out.append(contentsOf: bytes)
                return
            }
            out.append(quote)
            // Each run up to and including a quote, then that quote again.
            var start = 0
            while let found = bytes[start...].firstIndex(of: quote) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...found]))
                out.append(quote)
                start = found + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
            out.append(quote)
        }
    }

    static let comma = UInt8(ascii: ",")
    private static let quote = UInt8(ascii: "\"")

    /// Parses CSV text into rows of fields, with the 1-based line each row starts on.
    ///
    /// Reads Unicode scalars, not Characters: a quote followed by a combining
    /// mark is one Character, and would not be seen as a quote.
    public static func parse(_ text: String) throws -> [(line: Int, fields: [String])] {
        var rows: [(Int, [String])] = []
        var field = String.UnicodeScalarView()
        var fields: [String] = []
        var inQuotes = false
        var line = 1
        var rowLine = 1
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        if scalars.last != "\n" && scalars.last != "\r" { scalars.append("\n") }
        var i = 0
        var fieldStarted = false
        while i < scalars.count {
            let c = scalars[i]
            let crlf = c == "\r" && i + 1 < scalars.count && scalars[i + 1] == "\n"
            if inQuotes {
                if c == "\"" {
                    if i + 1 < scalars.count && scalars[i + 1] == "\"" {
                        field.append("\"")
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" || (c == "\r" && !crlf) { line += 1 }
                    field.append(c)
                }
            } else if c == "\"" && !fieldStarted {
                inQuotes = true
                fieldStarted = true
            } else if c == "," {
                fields.append(String(field))
                field = String.UnicodeScalarView()
                fieldStarted = false
            } else if c == "\n" || c == "\r" {
                if crlf { i += 1 }
                fields.append(String(field))
                if !(fields.count == 1 && fields[0].isEmpty) { rows.append((rowLine, fields)) }
                fields = []
                field = String.UnicodeScalarView()
                fieldStarted = false
                line += 1
                rowLine = line
            } else {
                field.append(c)
                fieldStarted = true
            }
            i += 1
        }
        if inQuotes { throw CSVError(line: rowLine, problem: "a quoted field is never closed") }
        return rows
    }
}

public struct CSVError: Error, Equatable, Sendable {
    public var line: Int
    public var problem: String
}
