import Foundation
import SightlineCore

/// Walks the elements of a `project.qde` or `.qdc` into a `QDAProject`,
/// checking what the REFI-QDA 1.0 schema requires of the parts Sightline
/// uses. Breaches of the schema are collected and thrown together (up to ten,
/// each with its line); problems of meaning (a coding of a code the codebook
/// lacks) are kept in `problems`.
struct ProjectElements {
    let file: String
    private(set) var problems: [InputProblem] = []
    private var invalid: [String] = []
    private var seenGUIDs: [String: Int] = [:]

    init(file: String) { self.file = file }

    static let projectChildren = [
        "Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links", "Sets", "Graphs", "Description",
        "NoteRef",
    ]
    static let sourceElements = ["TextSource", "PictureSource", "PDFSource", "AudioSource", "VideoSource"]

    mutating func project(_ root: XMLNodeRef) throws -> QDAProject {
        var project = QDAProject(name: required(root, "name") ?? "", origin: root.attribute("origin") ?? "")
        var order: [Int] = []
        for element in elements(root) {
            guard let position = Self.projectChildren.firstIndex(of: element.name) else {
                breach(element, "<\(element.name)> is not an element of <Project>")
                continue
            }
            if let last = order.last, position < last || (position == last && element.name != "NoteRef") {
                breach(
                    element,
                    "<\(element.name)> is out of order or repeated (the schema's order is "
                        + Self.projectChildren.joined(separator: ", ") + ")")
            }
            order.append(position)
            switch element.name {
            case "Users":
                for user in elements(element, only: "User") {
                    if let guid = guid(user, "guid") {
                        project.users.append(.init(guid: guid, name: user.attribute("name") ?? ""))
                    }
                }
            case "CodeBook":
                project.codes = codes(element)
            case "Variables":
                for variable in elements(element, only: "Variable") {
                    if let guid = guid(variable, "guid") {
                        project.variables.append(.init(guid: guid, name: required(variable, "name") ?? ""))
                    }
                }
            case "Sources":
                for source in elements(element) {
                    guard Self.sourceElements.contains(source.name) else {
                        breach(source, "<\(source.name)> is not a source element")
                        continue
                    }
                    if let read = self.source(source) { project.sources.append(read) }
                }
            default:
                break
            }
        }
        try finish()
        let known = Set(project.flattenedCodes.map(\.code.guid))
        for source in project.sources {
            for coding in source.selections.flatMap(\.codings) + source.codings
            where !known.contains(coding.codeGUID) {
                problems.append(
                    InputProblem(
                        file: file, line: coding.line,
                        problem: "coding \(coding.guid) in source ‘\(source.name)’ refers to code "
                            + "\(coding.codeGUID), "
                            + "which is not in the codebook"))
            }
        }
        return project
    }

    mutating func codebook(_ root: XMLNodeRef) throws -> [QDAProject.Code] {
        let read = codes(root)
        try finish()
        return read
    }

    /// The `<Codes>` of a `<CodeBook>`.
    private mutating func codes(_ book: XMLNodeRef) -> [QDAProject.Code] {
        let lists = elements(book, only: "Codes")
        guard let list = lists.first else {
            breach(book, "<CodeBook> has no <Codes>")
            return []
        }
        return elements(list, only: "Code").compactMap { code($0, depth: 0) }
    }

    private mutating func code(_ element: XMLNodeRef, depth: Int) -> QDAProject.Code? {
        guard depth < 64 else {
            breach(element, "codes are nested more than 64 deep")
            return nil
        }
        let guid = guid(element, "guid")
        let name = required(element, "name")
        let codable = required(element, "isCodable").flatMap { value -> Bool? in
            switch value.trimmingCharacters(in: .whitespaces) {
            case "true", "1": return true
            case "false", "0": return false
            default:
                breach(element, "isCodable=\"\(value)\" is not a boolean (true or false)")
                return nil
            }
        }
        var children: [QDAProject.Code] = []
        var description: String? = nil
        for child in elements(element) {
            switch child.name {
            case "Code": if let code = code(child, depth: depth + 1) { children.append(code) }
            case "Description": description = child.textContent
            case "NoteRef": break
            default: breach(child, "<\(child.name)> is not an element of <Code>")
            }
        }
        guard let guid, let name, let codable else { return nil }
        return QDAProject.Code(
            guid: guid, name: name, isCodable: codable, description: description, children: children,
            line: element.line)
    }

    private mutating func source(_ element: XMLNodeRef) -> QDAProject.Source? {
        let kind: QDAProject.SourceKind =
            element.name == "TextSource" ? .text : element.name == "PDFSource" ? .pdf : .other
        guard let sourceGUID = guid(element, "guid") else { return nil }
        let name = element.attribute("name") ?? element.attribute("path") ?? sourceGUID
        var source = QDAProject.Source(
            kind: kind, element: element.name, guid: sourceGUID, name: name, line: element.line)
        // A PDF's text selections are made in its plain-text representation.
        let textElement = kind == .pdf ? elements(element, only: "Representation").first : element
        if let textElement {
            source.plainTextPath = textElement.attribute("plainTextPath")
            if let content = elements(textElement, only: "PlainTextContent").first { source.text = content.textContent }
            if kind != .other {
                for selection in elements(textElement, only: "PlainTextSelection") {
                    if let read = self.selection(selection, start: "startPosition", end: "endPosition") {
                        source.selections.append(read)
                    }
                }
            }
            if kind == .text, source.plainTextPath == nil, source.text == nil {
                breach(element, "<TextSource> has neither plainTextPath nor <PlainTextContent>")
            }
        }
        for selection in elements(element)
        where selection.name.hasSuffix("Selection") && selection.name != "PlainTextSelection" {
            if let selectionGUID = guid(selection, "guid") {
                let codings = elements(selection, only: "Coding").compactMap { coding($0) }
                let page = Int(selection.attribute("page") ?? "") ?? 0
                source.coordinateSelections.append(
                    .init(
                        guid: selectionGUID, name: selection.name, start: page, end: page, codings: codings,
                        line: selection.line))
            }
        }
        source.codings = elements(element, only: "Coding").compactMap { coding($0) }
        for value in elements(element, only: "VariableValue") {
            if let ref = elements(value, only: "VariableRef").first, let variable = guid(ref, "targetGUID") {
                let text = elements(value).first { $0.name.hasSuffix("Value") }?.textContent ?? ""
                source.values.append((variable, text))
            }
        }
        return source
    }

    private mutating func selection(_ element: XMLNodeRef, start: String, end: String) -> QDAProject.Selection? {
        let guid = guid(element, "guid")
        let from = integer(element, start)
        let to = integer(element, end)
        let codings = elements(element, only: "Coding").compactMap { coding($0) }
        guard let guid, let from, let to else { return nil }
        let user = element.attribute("creatingUser").flatMap(QDAGUID.normalized)
        return QDAProject.Selection(
            guid: guid, name: element.attribute("name"), start: from, end: to, userGUID: user, codings: codings,
            line: element.line)
    }

    private mutating func coding(_ element: XMLNodeRef) -> QDAProject.Coding? {
        let guid = guid(element, "guid")
        guard let ref = elements(element, only: "CodeRef").first else {
            breach(element, "<Coding> has no <CodeRef>")
            return nil
        }
        guard let guid, let code = self.guid(ref, "targetGUID") else { return nil }
        let user = element.attribute("creatingUser").flatMap(QDAGUID.normalized)
        let note = elements(element, only: "NoteRef").first?.attribute("targetGUID").flatMap(QDAGUID.normalized)
        return QDAProject.Coding(guid: guid, codeGUID: code, userGUID: user, noteGUID: note, line: element.line)
    }

    // MARK: checks

    private func elements(_ node: XMLNodeRef, only name: String? = nil) -> [XMLNodeRef] {
        node.children.filter { $0.isElement && (name == nil || $0.name == name) }
    }

    private mutating func required(_ element: XMLNodeRef, _ attribute: String) -> String? {
        guard let value = element.attribute(attribute) else {
            breach(element, "<\(element.name)> has no \(attribute) attribute, which the schema requires")
            return nil
        }
        return value
    }

    /// A GUID attribute, normalised; a definition (`guid`) must be unique in the file.
    private mutating func guid(_ element: XMLNodeRef, _ attribute: String) -> String? {
        guard let value = required(element, attribute) else { return nil }
        guard let guid = QDAGUID.normalized(value) else {
            breach(element, "\(attribute)=\"\(value)\" is not a GUID (8-4-4-4-12 hexadecimal digits)")
            return nil
        }
        if attribute == "guid" {
            if let earlier = seenGUIDs[guid] {
                breach(element, "guid \(value) is used twice (also on line \(earlier))")
            } else {
                seenGUIDs[guid] = element.line
            }
        }
        return guid
    }

    private mutating func integer(_ element: XMLNodeRef, _ attribute: String) -> Int? {
        guard let value = required(element, attribute) else { return nil }
        guard let number = Int(value.trimmingCharacters(in: .whitespaces)) else {
            breach(element, "\(attribute)=\"\(value)\" is not an integer")
            return nil
        }
        return number
    }

    private mutating func breach(_ element: XMLNodeRef, _ text: String) {
        invalid.append("line \(element.line): \(text)")
    }

    private func finish() throws {
        guard !invalid.isEmpty else { return }
        let shown = invalid.prefix(10).joined(separator: "; ")
        let more = invalid.count > 10 ? "; and \(invalid.count - 10) more" : ""
        throw QDAReadError(file: file, problem: "not valid against the REFI-QDA schema: \(shown)\(more)")
    }
}
