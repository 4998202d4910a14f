import Foundation

/// Writes a `QDAProject` as `project.qde` and its codes as a `.qdc` codebook,
/// in the element order the REFI-QDA 1.0 schemas require (Users, CodeBook,
/// Variables, Sources, Notes; in a source: PlainTextSelection, Coding,
/// VariableValue), UTF-8, two-space indented. Text sources with a
/// `plainTextPath` are written by reference (their text goes in the zip's
/// `sources/` folder); the others inline as `PlainTextContent`.
public enum QDAXMLWriter {
    public static let projectNamespace = "urn:QDA-XML:project:1.0"
    public static let codebookNamespace = "urn:QDA-XML:codebook:1.0"

    public static func project(_ project: QDAProject) -> [UInt8] {
        var xml = XMLBytes()
        xml.declaration()
        var attributes = [("xmlns", projectNamespace), ("name", project.name), ("origin", project.origin)]
        if let user = project.users.first { attributes.append(("creatingUserGUID", user.guid)) }
        xml.open("Project", attributes)
        if !project.users.isEmpty {
            xml.open("Users")
            for user in project.users { xml.empty("User", [("guid", user.guid), ("name", user.name)]) }
            xml.close("Users")
        }
        if !project.codes.isEmpty {
            xml.open("CodeBook")
            codes(project.codes, into: &xml)
            xml.close("CodeBook")
        }
        if !project.variables.isEmpty {
            xml.open("Variables")
            for variable in project.variables {
                xml.empty(
                    "Variable", [("guid", variable.guid), ("name", variable.name), ("typeOfVariable", "Text")])
            }
            xml.close("Variables")
        }
        if !project.sources.isEmpty {
            xml.open("Sources")
            for source in project.sources { self.source(source, into: &xml) }
            xml.close("Sources")
        }
        if !project.notes.isEmpty {
            xml.open("Notes")
            for note in project.notes {
                xml.open("Note", [("guid", note.guid), ("name", note.name)])
                xml.element("PlainTextContent", note.text)
                xml.close("Note")
            }
            xml.close("Notes")
        }
        xml.close("Project")
        return xml.bytes
    }

    /// A `.qdc` codebook of the codes.
    public static func codebook(_ codes: [QDAProject.Code], origin: String) -> [UInt8] {
        var xml = XMLBytes()
        xml.declaration()
        xml.open("CodeBook", [("xmlns", codebookNamespace), ("origin", origin)])
        self.codes(codes, into: &xml)
        xml.close("CodeBook")
        return xml.bytes
    }

    private static func codes(_ codes: [QDAProject.Code], into xml: inout XMLBytes) {
        xml.open("Codes")
        for code in codes { self.code(code, into: &xml) }
        xml.close("Codes")
    }

    private static func code(_ code: QDAProject.Code, into xml: inout XMLBytes) {
        let attributes = [("guid", code.guid), ("name", code.name), ("isCodable", code.isCodable ? "true" : "false")]
        guard code.description != nil || !code.children.isEmpty else {
            xml.empty("Code", attributes)
            return
        }
        xml.open("Code", attributes)
        if let description = code.description { xml.element("Description", description) }
        for child in code.children { self.code(child, into: &xml) }
        xml.close("Code")
    }

    private static func source(_ source: QDAProject.Source, into xml: inout XMLBytes) {
        var attributes = [("guid", source.guid), ("name", source.name)]
        if let path = source.plainTextPath { attributes.append(("plainTextPath", path)) }
        xml.open("TextSource", attributes)
        if source.plainTextPath == nil { xml.element("PlainTextContent", source.text ?? "") }
        for selection in source.selections {
            var attributes = [("guid", selection.guid)]
            if let name = selection.name { attributes.append(("name", name)) }
            attributes += [("startPosition", String(selection.start)), ("endPosition", String(selection.end))]
            if let user = selection.userGUID { attributes.append(("creatingUser", user)) }
            xml.open("PlainTextSelection", attributes)
            for coding in selection.codings { self.coding(coding, into: &xml) }
            xml.close("PlainTextSelection")
        }
        for coding in source.codings { self.coding(coding, into: &xml) }
        for (variable, value) in source.values {
            xml.open("VariableValue")
            xml.empty("VariableRef", [("targetGUID", variable)])
            xml.element("TextValue", value)
            xml.close("VariableValue")
        }
        xml.close("TextSource")
    }

    private static func coding(_ coding: QDAProject.Coding, into xml: inout XMLBytes) {
        var attributes = [("guid", coding.guid)]
        if let user = coding.userGUID { attributes.append(("creatingUser", user)) }
        xml.open("Coding", attributes)
        xml.empty("CodeRef", [("targetGUID", coding.codeGUID)])
        if let note = coding.noteGUID { xml.empty("NoteRef", [("targetGUID", note)]) }
        xml.close("Coding")
    }
}

/// XML written straight into bytes, with indentation and escaping; characters
/// XML 1.0 does not allow (most control characters) become U+FFFD.
struct XMLBytes {
    private(set) var bytes: [UInt8] = []
    private var depth = 0

    mutating func declaration() { append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n") }

    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        start(name, attributes)
        append(">\n")
        depth += 1
    }

    mutating func close(_ name: String) {
        depth -= 1
        indent()
        append("</\(name)>\n")
    }

    mutating func empty(_ name: String, _ attributes: [(String, String)]) {
        start(name, attributes)
        append("/>\n")
    }

    /// An element holding only text.
    mutating func element(_ name: String, _ text: String) {
        indent()
        append("<\(name)>")
        escape(text, attribute: false)
        append("</\(name)>\n")
    }

    private mutating func start(_ name: String, _ attributes: [(String, String)]) {
        indent()
        append("<" + name)
        for (key, value) in attributes {
            append(" \(key)=\"")
            escape(value, attribute: true)
            append("\"")
        }
    }

    private mutating func indent() { bytes.append(contentsOf: repeatElement(0x20, count: depth * 2)) }

    private mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    private mutating func escape(_ text: String, attribute: Bool) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": append("&amp;")
            case "<": append("&lt;")
            case ">": append("&gt;")
            case "\"" where attribute: append("&quot;")
            case "\n" where attribute: append("&#10;")
            case "\t" where attribute: append("&#9;")
            case "\r": append("&#13;")
            case "\n", "\t": bytes.append(UInt8(scalar.value))
            default:
                let value = scalar.value
                if value < 0x20 || value == 0xFFFE || value == 0xFFFF {
                    append("\u{FFFD}")
                } else if value < 0x80 {
                    bytes.append(UInt8(value))
                } else {
                    bytes.append(contentsOf: String(scalar).utf8)
                }
            }
        }
    }
}
