import Foundation
import SightlineCore

/// Reads a Word 97–2003 document (`.doc`, an OLE compound file) through
/// `antiword`, run as a child of the worker process, so the worker's
/// address-space limit applies to it too, with its own deadline.
///
/// antiword rather than LibreOffice: it is a 300 KB program that starts in
/// milliseconds and writes DocBook, which keeps headings (chapter and section
/// titles), list items, table cells and paragraphs; LibreOffice is a 150 MB
/// install that takes seconds to start per file, needs a writable profile,
/// runs several processes and does not fit under the worker's memory limit
/// as easily. antiword cannot read Word 6/95 files or encrypted ones; both
/// get a clear error record.
///
/// antiword's DocBook keeps no footnote text, so when a document has
/// footnotes its plain-text output is read as well for them. Page numbers
/// come from the page breaks typed into the document (antiword's
/// `<beginpage/>`); pages Word broke by itself are not stored in the file,
/// so a document without typed breaks is all page 1, with a warning.
struct DOCReader {
    var options: ExtractOptions

    /// What an OLE compound file holds, from the names of its streams.
    enum OLEKind: Equatable {
        case word, encryptedOOXML, excel, powerPoint, other
    }

    static func kind(of bytes: [UInt8]) -> OLEKind {
        // Directory entries name their streams in UTF-16LE.
        func has(_ name: String) -> Bool {
            let needle = Array(name.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
            guard bytes.count >= needle.count else { return false }
            for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
                if bytes[start..<(start + needle.count)].elementsEqual(needle) { return true }
            }
            return false
        }
        if has("EncryptedPackage") { return .encryptedOOXML }
        if has("WordDocument") { return .word }
        if has("Workbook") || has("Book") { return .excel }
        if has("PowerPoint Document") { return .powerPoint }
        return .other
    }

    func read(bytes: [UInt8], into assembler: inout BlockAssembler) throws -> ReadDocument {
        switch Self.kind(of: bytes) {
        case .word: break
        case .encryptedOOXML:
            throw ExtractionError(
                .encrypted,
                "a password-protected Office document: open it with its password and save an unprotected copy")
        case .excel: throw ExtractionError(.unsupportedFormat, "an Excel 97–2003 spreadsheet, not a text document")
        case .powerPoint:
            throw ExtractionError(.unsupportedFormat, "a PowerPoint 97–2003 presentation, not a text document")
        case .other: throw ExtractionError(.unsupportedFormat, "an OLE compound file with no Word document in it")
        }
        if Self.fibSaysEncrypted(bytes) == true {
            throw ExtractionError(
                .encrypted, "a password-protected Word document: open it with its password and save an unprotected copy"
            )
        }
        guard let antiword = options.antiwordPath ?? Self.findOnPath("antiword") else {
            throw ExtractionError(
                .toolMissing,
                "a Word 97–2003 document (.doc): Sightline reads these with antiword, which is not installed "
                    + "(Debian: apt-get install antiword; or save the file as .docx); run again once it is")
        }
        let file = try TemporaryFile(bytes: bytes)
        defer { file.remove() }
        let docbook = try run(antiword, ["-x", "db", file.path])
        let tree = try XMLTree.xml(Self.sanitise(docbook), name: "antiword's DocBook output")
        guard let root = tree.root else { throw ExtractionError(.damaged, "antiword wrote no document") }
        var walker = DocBookWalker(maxDepth: options.maxDepth)
        try walker.walk(root)
        for block in walker.blocks {
            assembler.add(kind: block.kind, text: block.text, level: block.level, page: block.page)
        }
        if walker.footnotes > 0 {
            let plain = try run(antiword, ["-w", "0", "-m", "UTF-8.txt", file.path])
            for note in Self.footnotes(inText: String(decoding: plain, as: UTF8.self)) {
                assembler.add(kind: .footnote, text: note, page: 1)
            }
        }
        let warning =
            walker.page > 1
            ? ExtractionWarning(
                code: "pages_from_breaks",
                message:
                    "page numbers count only the page breaks typed into the Word file; "
                    + "pages Word broke by itself are not counted"
            )
            : ExtractionWarning(
                code: "no_page_numbers",
                message:
                    "the Word file has no typed page breaks, and Word does not store where it broke pages by itself: "
                    + "every block is reported on page 1"
            )
        return ReadDocument(
            mediaType: .msword, pageCount: walker.page, title: walker.title, extractorName: "antiword",
            libraries: ["antiword": Self.version(antiword), "libxml2": XMLTree.libraryVersion], warnings: [warning])
    }

    /// Whether Word's file information block says the document is encrypted or
    /// obfuscated with a password (bit 8 of its flags). The block starts the
    /// sector that begins the WordDocument stream, with the signature 0xA5EC
    /// and a Word version number; nil when no such sector is found.
    static func fibSaysEncrypted(_ bytes: [UInt8]) -> Bool? {
        var offset = 512
        while offset + 12 <= bytes.count {
            if bytes[offset] == 0xEC && bytes[offset + 1] == 0xA5 {
                let version = Int(bytes[offset + 2]) | Int(bytes[offset + 3]) << 8
                if version >= 0x65 && version <= 0x200 {
                    return bytes[offset + 11] & 0x01 != 0
                }
            }
            offset += 512
        }
        return nil
    }

    /// Runs antiword on a file; its standard output, or an error built from what it said.
    func run(_ program: String, _ arguments: [String]) throws -> [UInt8] {
        let result: ChildProcess.Result
        do {
            result = try ChildProcess.run(
                program, arguments, deadline: options.externalToolSeconds, maxOutput: options.maxDOCXUncompressedBytes)
        } catch let failure as ChildProcess.Failure {
            switch failure {
            case .timedOut:
                throw ExtractionError(
                    .timeout,
                    "antiword took longer than \(Int(options.externalToolSeconds)) s on this file and was stopped")
            case .tooMuchOutput:
                throw ExtractionError(
                    .tooLarge,
                    "antiword's output for this file passed the "
                        + "\(options.maxDOCXUncompressedBytes / 1_048_576) MiB limit"
                )
            case .cannotStart(let reason):
                throw ExtractionError(
                    .toolMissing, "antiword could not be started (\(reason)): check that it is installed")
            }
        }
        let said = String(decoding: result.error, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if said.contains("Encrypted documents are not supported") {
            throw ExtractionError(
                .encrypted, "a password-protected Word document: open it with its password and save an unprotected copy"
            )
        }
        guard result.status == 0 else {
            let reason =
                said.isEmpty
                ? "exit status \(result.status)" : said.split(separator: "\n").prefix(3).joined(separator: "; ")
            throw ExtractionError(.damaged, "antiword could not read this Word 97–2003 file: \(reason)")
        }
        return result.output
    }

    /// Characters XML does not allow are dropped; a form feed (a typed page break) becomes `<beginpage/>`.
    static func sanitise(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for byte in bytes {
            if byte == 0x0C {
                out += Array("<beginpage/>".utf8)
            } else if byte >= 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                out.append(byte)
            }
        }
        return out
    }

    /// Footnotes from antiword's plain text: the `[N] text` paragraphs after its rule of hyphens.
    static func footnotes(inText text: String) -> [String] {
        guard let rule = text.range(of: "\n-----------------------\n", options: .backwards) else { return [] }
        var notes: [String] = []
        for line in text[rule.upperBound...].split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("["), let close = trimmed.firstIndex(of: "]"),
                trimmed[trimmed.index(after: trimmed.startIndex)..<close].allSatisfy(\.isNumber)
            {
                notes.append(String(trimmed[trimmed.index(after: close)...]))
            } else if !trimmed.isEmpty, !notes.isEmpty {
                notes[notes.count - 1] += " " + trimmed
            }
        }
        return notes
    }

    static func findOnPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = folder + "/" + name
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// antiword's version, from its usage text (`Version: 0.37  (21 Oct 2005)`).
    static func version(_ program: String) -> String {
        // Only recorded in the cache key and the documents' provenance: a failure here shows as "unknown".
        guard let result = try? ChildProcess.run(program, [], deadline: 10, maxOutput: 1 << 16) else {
            return "unknown"
        }
        let text = String(decoding: result.output + result.error, as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.contains("Version:") }) else { return "unknown" }
        return line.split(separator: " ").dropFirst().first.map(String.init) ?? "unknown"
    }
}

/// Walks antiword's DocBook: chapter and section titles as headings, paragraphs, list items, table entries.
struct DocBookWalker {
    typealias Block = PagedBlock

    let maxDepth: Int
    private(set) var blocks: [Block] = []
    private(set) var page = 1
    private(set) var footnotes = 0
    private(set) var title: String? = nil

    init(maxDepth: Int) { self.maxDepth = maxDepth }

    static let sectionLevels: [String: Int] = [
        "chapter": 1, "sect1": 2, "sect2": 3, "sect3": 4, "sect4": 5, "sect5": 6, "section": 2,
    ]

    mutating func walk(_ root: XMLNodeRef) throws {
        var stack: [(XMLNodeRef, Int, Int, BlockKind)] = [(root, 0, 0, .paragraph)]
        while let (node, depth, level, kind) = stack.popLast() {
            guard node.isElement else { continue }
            if depth > maxDepth {
                throw ExtractionError(.tooDeep, "antiword's output is nested more than \(maxDepth) elements deep")
            }
            switch node.name {
            case "bookinfo":
                // antiword puts today's date here; only the document's title is kept.
                if let value = node.child("title").map({ text(of: $0) }), !value.isEmpty {
                    title = TextNormalizer.normalize(value)
                }
            case "title":
                let start = page
                let heading = text(of: node)
                blocks.append(Block(kind: .heading, level: max(1, level), text: heading, page: start))
            case "para", "simpara":
                paragraph(node, kind: kind, depth: depth, level: level, stack: &stack)
            case "entry":
                let start = page
                let cell = text(of: node)
                blocks.append(Block(kind: .tableCell, level: nil, text: cell, page: start))
            case "beginpage":
                page += 1
            case "footnote":
                footnotes += 1
            default:
                let childLevel = Self.sectionLevels[node.name] ?? level
                let childKind: BlockKind = node.name == "listitem" ? .listItem : kind
                for child in node.children.reversed() { stack.append((child, depth + 1, childLevel, childKind)) }
            }
        }
    }

    /// A paragraph's own text is one block; tables and lists antiword nests inside it are walked after it.
    private mutating func paragraph(
        _ node: XMLNodeRef, kind: BlockKind, depth: Int, level: Int, stack: inout [(XMLNodeRef, Int, Int, BlockKind)]
    ) {
        let start = page
        let content = text(of: node)
        blocks.append(Block(kind: kind, level: nil, text: content, page: start))
        let nested = node.children.filter { $0.isElement && Self.blockElements.contains($0.name) }
        for child in nested.reversed() { stack.append((child, depth + 1, level, kind)) }
    }

    static let blockElements: Set<String> = [
        "informaltable", "table", "itemizedlist", "orderedlist", "para", "beginpage",
    ]

    /// Inline text of an element: emphasis and the like, without footnotes or nested blocks
    /// (a `beginpage` in a paragraph is walked after the paragraph's text, as a nested block).
    private mutating func text(of node: XMLNodeRef) -> String {
        var out = ""
        var stack: [XMLNodeRef] = node.children.reversed()
        while let current = stack.popLast() {
            if current.isText {
                out += current.content
                continue
            }
            guard current.isElement else { continue }
            if current.name == "footnote" {
                footnotes += 1
                continue
            }
            if Self.blockElements.contains(current.name) { continue }
            for child in current.children.reversed() { stack.append(child) }
        }
        return out
    }
}
