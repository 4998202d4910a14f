import Foundation
import SightlineCore

/// A REFI-QDA file that cannot be read at all, naming the file and what is wrong.
public struct QDAReadError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var problem: String
    public var description: String { "\(file): \(problem)" }
    public init(file: String, problem: String) {
        self.file = file
        self.problem = problem
    }
}

/// Reads REFI-QDA projects (`.qdpx`: a zip holding `project.qde` and
/// `sources/`; or a bare `project.qde` beside its `sources/` folder) and
/// codebooks (`.qdc`) into a `QDAProject`.
///
/// The zip is read by `ZipArchive` (bounds-checked, CRC-checked) with at most
/// `maxUncompressedBytes` unpacked in all, so a zip bomb is refused. The XML
/// is parsed by libxml2 with no network and no entity substitution, and a
/// file with a `<!DOCTYPE>` (where entities would be declared) is refused.
/// The schema itself is not shipped, so the elements and attributes Sightline
/// uses are checked as the schema states them (required attributes, GUIDs,
/// integers, the root element and namespace); any breach is an error naming
/// the line. Problems that concern one source or selection (a text that
/// cannot be found, a selection outside its text) are returned with the
/// project, so the rest can still be used.
public struct QDAProjectReader {
    public var maxUncompressedBytes = 1 << 30

    public init() {}

    /// Whether the file is a project to read with this reader (by extension, or a zip's first bytes).
    public static func isProject(path: String) -> Bool {
        let lower = path.lowercased()
        if lower.hasSuffix(".qdpx") || lower.hasSuffix(".qde") { return true }
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() } // read-only: closing cannot lose data
        let head = handle.readData(ofLength: 4)
        return Array(head) == [0x50, 0x4B, 0x03, 0x04]
    }

    public func read(path: String) throws -> (project: QDAProject, problems: [InputProblem]) {
        let bytes = try fileBytes(path)
        var budget = maxUncompressedBytes
        let archive: ZipArchive?
        let qde: [UInt8]
        let qdeName: String
        if bytes.starts(with: [0x50, 0x4B]) {
            do { archive = try ZipArchive(bytes) } catch let error as ExtractionError {
                throw QDAReadError(file: path, problem: "not a readable .qdpx: \(error.message)")
            }
            let names = archive!.names
            guard
                let name = names.first(where: { $0 == "project.qde" })
                    ?? names.first(where: { !$0.contains("/") && $0.lowercased().hasSuffix(".qde") })
            else {
                let listed = names.prefix(5).joined(separator: ", ") + (names.count > 5 ? ", …" : "")
                throw QDAReadError(
                    file: path,
                    problem: "no project.qde in the zip archive (it holds \(names.isEmpty ? "nothing" : listed)): "
                        + "not a REFI-QDA project")
            }
            qde = try unpack(archive!, name, budget: &budget, file: path)
            qdeName = "\(path) (\(name))"
        } else {
            archive = nil
            qde = bytes
            qdeName = path
        }
        let tree = try parse(qde, name: qdeName, root: "Project", namespace: QDAXMLWriter.projectNamespace)
        var reader = ProjectElements(file: qdeName)
        let project = try reader.project(tree.root!)
        var problems = reader.problems
        var withText = project
        for i in withText.sources.indices where withText.sources[i].text == nil {
            let source = withText.sources[i]
            guard let path = source.plainTextPath else { continue }
            do {
                withText.sources[i].text = try text(
                    at: path, archive: archive, qdePath: archive == nil ? qdeName : nil, budget: &budget, file: qdeName)
            } catch let error as QDAReadError where error.file == qdeName {
                problems.append(
                    InputProblem(
                        file: qdeName, line: source.line, problem: "source ‘\(source.name)’: \(error.problem)"))
            }
        }
        problems += Self.checkRanges(withText, file: qdeName)
        return (withText, problems)
    }

    /// The bytes of a `.qdpx`'s `project.qde`, unchecked (for validating it against the schema).
    public func projectXML(path: String) throws -> [UInt8] {
        let bytes = try fileBytes(path)
        var budget = maxUncompressedBytes
        let archive: ZipArchive
        do { archive = try ZipArchive(bytes) } catch let error as ExtractionError {
            throw QDAReadError(file: path, problem: "not a readable .qdpx: \(error.message)")
        }
        return try unpack(archive, "project.qde", budget: &budget, file: path)
    }

    /// A `.qdc` codebook's codes (or a project's codebook).
    public func readCodebook(path: String) throws -> [QDAProject.Code] {
        if Self.isProject(path: path) { return try read(path: path).project.codes }
        let tree = try parse(
            try fileBytes(path), name: path, root: "CodeBook", namespace: QDAXMLWriter.codebookNamespace)
        var reader = ProjectElements(file: path)
        return try reader.codebook(tree.root!)
    }

    private func fileBytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw QDAReadError(file: path, problem: "cannot read the file (does it exist?)")
        }
        guard data.count <= maxUncompressedBytes else {
            throw QDAReadError(file: path, problem: "over the \(maxUncompressedBytes >> 20) MiB limit for a project")
        }
        return Array(data)
    }

    private func unpack(_ archive: ZipArchive, _ name: String, budget: inout Int, file: String) throws -> [UInt8] {
        guard let entry = archive[name] else {
            throw QDAReadError(file: file, problem: "\(name) is not in the archive")
        }
        do {
            return try archive.contents(of: entry, budget: &budget, limitMiB: maxUncompressedBytes >> 20)
        } catch let error as ExtractionError {
            throw QDAReadError(file: file, problem: error.message)
        }
    }

    private func parse(_ bytes: [UInt8], name: String, root: String, namespace: String) throws -> XMLTree {
        guard !bytes.isEmpty else { throw QDAReadError(file: name, problem: "the file is empty") }
        let doctype = QDAReadError(
            file: name,
            problem: "the XML has a <!DOCTYPE> declaration, where entities are declared: REFI-QDA files have "
                + "none, and Sightline expands no entities; refused")
        if Self.declaresDocumentType(bytes) { throw doctype }
        let tree: XMLTree
        do { tree = try XMLTree.xml(bytes, name: name) } catch let error as ExtractionError {
            let lead = "\(name) is "
            let message = error.message.hasPrefix(lead) ? String(error.message.dropFirst(lead.count)) : error.message
            throw QDAReadError(file: name, problem: message)
        }
        if tree.hasDocumentType {
            throw QDAReadError(
                file: name,
                problem: "the XML has a <!DOCTYPE> declaration, where entities are declared: REFI-QDA files have "
                    + "none, and Sightline expands no entities; refused")
        }
        guard let element = tree.root, element.name == root, element.namespaceURI == namespace else {
            let found = tree.root.map { "<\($0.name)> in namespace \($0.namespaceURI ?? "(none)")" } ?? "no element"
            throw QDAReadError(
                file: name,
                problem: "the root element is \(found), not <\(root)> in namespace \(namespace): "
                    + "not a REFI-QDA \(root == "Project" ? "project" : "codebook")")
        }
        return tree
    }

    /// Whether `<!DOCTYPE` comes before the root element (checked before parsing, so that
    /// libxml2 never reads the declarations).
    static func declaresDocumentType(_ bytes: [UInt8]) -> Bool {
        let marker = Array("<!DOCTYPE".utf8)
        var i = 0
        while i + 1 < bytes.count {
            if bytes[i] == 0x3C {
                let next = bytes[i + 1]
                if next == 0x21, bytes[i...].starts(with: marker) { return true }
                if next != 0x21 && next != 0x3F { return false } // the root element: no DTD after it
            }
            i += 1
        }
        return false
    }

    /// A source's plain text from `internal://NAME` (the zip's `sources/` folder,
    /// or the folder beside a bare `project.qde`); other schemes are not read.
    private func text(
        at path: String, archive: ZipArchive?, qdePath: String?, budget: inout Int, file: String
    ) throws -> String {
        guard path.hasPrefix("internal://") else {
            throw QDAReadError(
                file: file, problem: "its text is outside the project (\(path)); only internal:// sources are read")
        }
        let name = String(path.dropFirst("internal://".count))
        let bytes: [UInt8]
        if let archive {
            guard let entry = archive.names.first(where: { $0.lowercased() == "sources/" + name.lowercased() }) else {
                throw QDAReadError(file: file, problem: "its text \(path) is not in the archive's sources/ folder")
            }
            bytes = try unpack(archive, entry, budget: &budget, file: file)
        } else {
            let folder = URL(fileURLWithPath: qdePath ?? ".").deletingLastPathComponent()
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("sources/" + name).path)
            else { throw QDAReadError(file: file, problem: "its text sources/\(name) is not beside the project file") }
            bytes = Array(data)
        }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        guard let text = String(validating: body, as: UTF8.self) else {
            throw QDAReadError(file: file, problem: "its text \(path) is not UTF-8, as REFI-QDA requires")
        }
        return text
    }

    /// Selections must lie within their source's text.
    static func checkRanges(_ project: QDAProject, file: String) -> [InputProblem] {
        var problems: [InputProblem] = []
        for source in project.sources {
            guard let text = source.text else { continue }
            let length = text.unicodeScalars.count
            for selection in source.selections
            where selection.start < 0 || selection.end < selection.start || selection.end > length {
                problems.append(
                    InputProblem(
                        file: file, line: selection.line,
                        problem: "selection \(selection.guid) (characters \(selection.start)–\(selection.end)) lies "
                            + "outside the text of source ‘\(source.name)’, which has \(length) characters"))
            }
        }
        return problems
    }
}

extension ZipArchive {
    /// Entry names, sorted.
    var names: [String] { entries.keys.sorted() }
}
