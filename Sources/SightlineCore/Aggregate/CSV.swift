import Foundation

/// RFC 4180 CSV: fields quoted when they hold a comma, quote or line break,
/// quotes doubled, CRLF line ends, UTF-8 with a byte-order mark so Excel
/// reads it as UTF-8 (R's readr and Python's csv skip the mark).
public enum CSV {
    public static let byteOrderMark = "\u{FEFF}"

    public static func field(_ value: String) -> String {
        // By scalar: "\r\n" is one Character, equal to neither "\r" nor "\n".
        if value.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            // Quotes doubled by scalar too: a quote before a combining mark is part of a larger Character.
            var quoted = String.UnicodeScalarView()
            quoted.append("\"")
            for scalar in value.unicodeScalars {
                if scalar == "\"" { quoted.append("\"") }
                quoted.append(scalar)
            }
            quoted.append("\"")
            return String(quoted)
        }
        return value
    }

    public static func document(header: [String], rows: [[String]]) -> String {
        var out = byteOrderMark
        out += header.map(field).joined(separator: ",") + "\r\n"
        for row in rows { out += row.map(field).joined(separator: ",") + "\r\n" }
        return out
    }

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
