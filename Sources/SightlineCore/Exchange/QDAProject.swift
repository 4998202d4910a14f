import Foundation

/// A REFI-QDA project (`project.qde` inside a `.qdpx`), as much of it as
/// Sightline writes and reads: users, a codebook of nested codes, text
/// variables, text and PDF sources with their text selections and codings,
/// and notes. The same model is filled by `QDAProjectBuilder` (export) and
/// by the reader in `SightlineExtract` (import); `QDAXMLWriter` turns it into
/// XML valid against the REFI-QDA 1.0 schema (`Project-mrt2019.xsd`).
///
/// Positions are Unicode code points (scalars) of the source's plain text,
/// the first being 0; `end` is exclusive (the position after the last
/// character), as QDA programs write it.
public struct QDAProject: Sendable {
    public struct User: Sendable, Equatable {
        public var guid: String
        public var name: String
        public init(guid: String, name: String) {
            self.guid = guid
            self.name = name
        }
    }

    public struct Code: Sendable, Equatable {
        public var guid: String
        public var name: String
        public var isCodable: Bool
        public var description: String?
        public var children: [Code]
        /// Line of its element in the file read (0 when built).
        public var line: Int

        public init(
            guid: String, name: String, isCodable: Bool, description: String? = nil, children: [Code] = [],
            line: Int = 0
        ) {
            self.guid = guid
            self.name = name
            self.isCodable = isCodable
            self.description = description
            self.children = children
            self.line = line
        }
    }

    public struct Variable: Sendable, Equatable {
        public var guid: String
        public var name: String
        public init(guid: String, name: String) {
            self.guid = guid
            self.name = name
        }
    }

    public struct Coding: Sendable, Equatable {
        public var guid: String
        public var codeGUID: String
        public var userGUID: String?
        public var noteGUID: String?
        public var line: Int

        public init(guid: String, codeGUID: String, userGUID: String? = nil, noteGUID: String? = nil, line: Int = 0) {
            self.guid = guid
            self.codeGUID = codeGUID
            self.userGUID = userGUID
            self.noteGUID = noteGUID
            self.line = line
        }
    }

    /// A text selection: characters `start..<end` of its source's plain text.
    public struct Selection: Sendable, Equatable {
        public var guid: String
        public var name: String?
        public var start: Int
        public var end: Int
        public var userGUID: String?
        public var codings: [Coding]
        public var line: Int

        public init(
            guid: String, name: String? = nil, start: Int, end: Int, userGUID: String? = nil, codings: [Coding],
            line: Int = 0
        ) {
            self.guid = guid
            self.name = name
            self.start = start
            self.end = end
            self.userGUID = userGUID
            self.codings = codings
            self.line = line
        }
    }

    public enum SourceKind: String, Sendable {
        case text = "TextSource"
        /// A PDF whose text selections are made in its plain-text representation.
        case pdf = "PDFSource"
        /// Picture, audio or video: nothing Sightline can compare.
        case other
    }

    public struct Source: Sendable, Equatable {
        public var kind: SourceKind
        /// The element's name as written (`TextSource`, `PictureSource`…).
        public var element: String
        public var guid: String
        public var name: String
        /// `internal://GUID.txt` (or another path) of the plain text, when not given inline.
        public var plainTextPath: String?
        /// The plain text, once known (read from the path or `PlainTextContent`).
        public var text: String?
        public var selections: [Selection]
        /// Codings of the source as a whole (no selection).
        public var codings: [Coding]
        /// Selections by page coordinates (`PDFSelection`), which have no text position.
        public var coordinateSelections: [Selection]
        /// Variable GUID and text value.
        public var values: [(variable: String, value: String)]
        public var line: Int

        public init(
            kind: SourceKind, element: String? = nil, guid: String, name: String, plainTextPath: String? = nil,
            text: String? = nil, selections: [Selection] = [], codings: [Coding] = [],
            coordinateSelections: [Selection] = [], values: [(variable: String, value: String)] = [], line: Int = 0
        ) {
            self.kind = kind
            self.element = element ?? kind.rawValue
            self.guid = guid
            self.name = name
            self.plainTextPath = plainTextPath
            self.text = text
            self.selections = selections
            self.codings = codings
            self.coordinateSelections = coordinateSelections
            self.values = values
            self.line = line
        }

        public static func == (a: Source, b: Source) -> Bool {
            a.kind == b.kind && a.guid == b.guid && a.name == b.name && a.plainTextPath == b.plainTextPath
                && a.text == b.text && a.selections == b.selections && a.codings == b.codings
                && a.coordinateSelections == b.coordinateSelections
                && a.values.map(\.variable) == b.values.map(\.variable)
                && a.values.map(\.value) == b.values.map(\.value)
        }
    }

    public struct Note: Sendable, Equatable {
        public var guid: String
        public var name: String
        public var text: String
        public init(guid: String, name: String, text: String) {
            self.guid = guid
            self.name = name
            self.text = text
        }
    }

    public var name: String
    public var origin: String
    public var users: [User] = []
    public var codes: [Code] = []
    public var variables: [Variable] = []
    public var sources: [Source] = []
    public var notes: [Note] = []

    public init(name: String, origin: String) {
        self.name = name
        self.origin = origin
    }

    /// Every code with the names of the codes it sits under (outermost first), depth first.
    public var flattenedCodes: [(code: Code, ancestors: [String])] {
        var out: [(Code, [String])] = []
        func walk(_ codes: [Code], _ path: [String]) {
            for code in codes {
                out.append((code, path))
                walk(code.children, path + [code.name])
            }
        }
        walk(codes, [])
        return out
    }
}

/// REFI-QDA GUIDs: 8-4-4-4-12 hexadecimal digits, upper case (as ATLAS.ti and
/// MAXQDA write them), made from the SHA-256 of a stable name so that the
/// same inputs always give the same GUIDs.
public enum QDAGUID {
    /// A name-based GUID for `kind` and `id` (e.g. `source`, a document's SHA-256),
    /// with the version and variant bits of an RFC 4122 name-based UUID.
    public static func make(_ kind: String, _ id: String) -> String {
        var bytes = Array(hexBytes(SHA256.hex(of: Array("sightline-refi-qda:\(kind):\(id)".utf8))).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { byte -> String in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range -> String in
            let start = hex.index(hex.startIndex, offsetBy: range.lowerBound)
            let end = hex.index(hex.startIndex, offsetBy: range.upperBound)
            return String(hex[start..<end])
        }
        return parts.joined(separator: "-")
    }

    /// A GUID as written, normalised for comparison: braces dropped, upper case;
    /// nil when it is not 8-4-4-4-12 hexadecimal digits (with or without braces).
    public static func normalized(_ text: String) -> String? {
        var body = text.trimmingCharacters(in: .whitespaces)
        if body.hasPrefix("{") && body.hasSuffix("}") && body.count >= 2 { body = String(body.dropFirst().dropLast()) }
        let groups = body.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12], groups.allSatisfy({ $0.allSatisfy(\.isHexDigit) }) else {
            return nil
        }
        return body.uppercased()
    }

    private static func hexBytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var high: UInt8? = nil
        for character in hex.utf8 {
            let value = character <= 0x39 ? character - 0x30 : (character | 0x20) - 0x61 + 10
            if let h = high {
                out.append(h << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return out
    }
}
