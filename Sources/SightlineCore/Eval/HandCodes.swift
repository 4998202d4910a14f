import Foundation

/// One row of a hand-code file: a quote from a document and the theme a person gave it.
public struct HandCode: Sendable, Equatable {
    /// 1-based line of the row in its file.
    public var line: Int
    public var source: String
    /// Empty together with `theme`: the document was read and nothing was coded.
    public var quote: String
    /// `theme`, `theme/subtheme` or `taxonomy/theme/subtheme`.
    public var theme: String
    public var coder: String
    public var note: String
    /// Optional printed page label or page index, to choose between repeats of a short quote.
    public var page: String

    public init(
        line: Int, source: String, quote: String, theme: String, coder: String = "", note: String = "",
        page: String = ""
    ) {
        self.line = line
        self.source = source
        self.quote = quote
        self.theme = theme
        self.coder = coder
        self.note = note
        self.page = page
    }

    /// A row naming a document that was read and had nothing coded.
    public var isNothingCoded: Bool { quote.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && theme.isEmpty }
}

/// A problem with one row (or the whole) of an input file, as `FILE:LINE: problem`.
public struct InputProblem: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based; 0 for the file as a whole.
    public var line: Int
    public var problem: String

    public init(file: String, line: Int, problem: String) {
        self.file = file
        self.line = line
        self.problem = problem
    }

    public var description: String { line > 0 ? "\(file):\(line): \(problem)" : "\(file): \(problem)" }
}

/// Reads hand codes from CSV (RFC 4180, with a header row) or JSON Lines
/// (one object per line), both with the fields `source`, `quote`, `theme`
/// and optionally `coder`, `note` and `page`. Rows that cannot be read are
/// returned as problems; the rest are kept.
public enum HandCodeFile {
    public static let requiredFields = ["source", "quote", "theme"]
    public static let optionalFields = ["coder", "note", "page"]

    public static func parse(text: String, file: String) -> (codes: [HandCode], problems: [InputProblem]) {
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        let first = body.unicodeScalars.first { !CharacterSet.whitespacesAndNewlines.contains($0) }
        if first == "{" || file.lowercased().hasSuffix(".jsonl") || file.lowercased().hasSuffix(".ndjson") {
            return parseJSONLines(body, file: file)
        }
        return parseCSV(body, file: file)
    }

    /// Reads the file at `path`; a file that cannot be read or is not UTF-8 is one problem.
    public static func load(path: String) -> (codes: [HandCode], problems: [InputProblem]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            return ([], [InputProblem(file: path, line: 0, problem: "cannot read the file (does it exist?)")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return (
                [], [InputProblem(file: path, line: 0, problem: "not UTF-8 text: save it as CSV UTF-8 or JSON Lines")]
            )
        }
        return parse(text: text, file: path)
    }

    static func parseCSV(_ text: String, file: String) -> (codes: [HandCode], problems: [InputProblem]) {
        let rows: [(line: Int, fields: [String])]
        do {
            rows = try CSV.parse(text)
        } catch let error as CSVError {
            return ([], [InputProblem(file: file, line: error.line, problem: error.problem)])
        } catch {
            return ([], [InputProblem(file: file, line: 0, problem: "\(error)")])
        }
        guard let header = rows.first else {
            return ([], [InputProblem(file: file, line: 0, problem: "the file is empty")])
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let missing = requiredFields.filter { !names.contains($0) }
        guard missing.isEmpty else {
            let problem =
                "the header has no \(missing.joined(separator: ", ")) column (it has \(names.joined(separator: ", ")))"
            return ([], [InputProblem(file: file, line: header.line, problem: problem)])
        }
        var codes: [HandCode] = []
        var problems: [InputProblem] = []
        func column(_ name: String, _ fields: [String]) -> String {
            guard let i = names.firstIndex(of: name), i < fields.count else { return "" }
            return fields[i]
        }
        for row in rows.dropFirst() {
            guard row.fields.count == names.count else {
                let problem =
                    "\(row.fields.count) fields where the header has \(names.count) "
                    + "(a comma or quote inside a field must be quoted)"
                problems.append(InputProblem(file: file, line: row.line, problem: problem))
                continue
            }
            let f = row.fields
            codes.append(
                HandCode(
                    line: row.line, source: column("source", f).trimmingCharacters(in: .whitespaces),
                    quote: column("quote", f),
                    theme: column("theme", f).trimmingCharacters(in: .whitespaces),
                    coder: column("coder", f).trimmingCharacters(in: .whitespaces),
                    note: column("note", f), page: column("page", f).trimmingCharacters(in: .whitespaces)))
        }
        return (codes, problems)
    }

    static func parseJSONLines(_ text: String, file: String) -> (codes: [HandCode], problems: [InputProblem]) {
        var codes: [HandCode] = []
        var problems: [InputProblem] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            let number = index + 1
            // Any parse failure is reported for this line, by number; the parser's own message adds nothing useful.
            guard let object = (try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))) as? [String: Any] else {
                problems.append(InputProblem(file: file, line: number, problem: "not a JSON object"))
                continue
            }
            var fields: [String: String] = [:]
            var bad: [String] = []
            for name in requiredFields + optionalFields {
                switch object[name] {
                case nil, is NSNull: continue
                case let text as String: fields[name] = text
                case let number as NSNumber where name == "page": fields[name] = number.stringValue
                default: bad.append(name)
                }
            }
            let missing = requiredFields.filter { fields[$0] == nil }
            if !missing.isEmpty || !bad.isEmpty {
                var parts: [String] = []
                if !missing.isEmpty { parts.append("no \(missing.joined(separator: ", ")) field") }
                if !bad.isEmpty { parts.append("\(bad.joined(separator: ", ")) must be text") }
                problems.append(InputProblem(file: file, line: number, problem: parts.joined(separator: "; ")))
                continue
            }
            codes.append(
                HandCode(
                    line: number, source: fields["source", default: ""].trimmingCharacters(in: .whitespaces),
                    quote: fields["quote", default: ""],
                    theme: fields["theme", default: ""].trimmingCharacters(in: .whitespaces),
                    coder: fields["coder", default: ""].trimmingCharacters(in: .whitespaces),
                    note: fields["note", default: ""],
                    page: fields["page", default: ""].trimmingCharacters(in: .whitespaces)))
        }
        return (codes, problems)
    }
}
