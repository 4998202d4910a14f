import Foundation
import SightlineCore

/// Reads a Word document (a zip of WordprocessingML): paragraphs, headings
/// (from paragraph styles or outline levels), list items, table cells and
/// footnotes, with page numbers taken from the page breaks Word stored.
struct DOCXReader {
    var options: ExtractOptions

    /// Reads a DOCX's bytes (`ZipArchive`, then libxml2 for its XML parts).
    func read(bytes: [UInt8], into assembler: inout BlockAssembler) throws -> ReadDocument {
        try read(archive: ZipArchive(bytes), into: &assembler)
    }

    /// Reads a DOCX whose zip directory has been read already.
    func read(archive: ZipArchive, into assembler: inout BlockAssembler) throws -> ReadDocument {
        var budget = Int(clamping: options.maxDOCXUncompressedBytes)
        guard let mainEntry = archive["word/document.xml"] else {
            throw ExtractionError(
                .notADOCX,
                "a zip archive without a readable word/document.xml (missing, or the zip's directory is damaged): "
                    + "not a Word document"
            )
        }
        let documentXML = try entryBytes(archive, mainEntry, budget: &budget)
        let styles =
            try archive["word/styles.xml"].map {
                try StyleTable(XMLTree.xml(entryBytes(archive, $0, budget: &budget), name: "word/styles.xml"))
            } ?? StyleTable()
        var footnoteTexts: [String: String] = [:]
        if let entry = archive["word/footnotes.xml"] {
            let tree = try XMLTree.xml(entryBytes(archive, entry, budget: &budget), name: "word/footnotes.xml")
            footnoteTexts = Self.footnotes(tree)
        }
        var title: String? = nil
        if let entry = archive["docProps/core.xml"],
            // The title is optional metadata: a malformed core.xml loses no text, and the file name stands in.
            let tree = try? XMLTree.xml(entryBytes(archive, entry, budget: &budget), name: "docProps/core.xml")
        {
            title = tree.root?.children.first { $0.isElement && $0.name == "title" }.map { WordText.plain($0) }
            if title?.trimmingCharacters(in: .whitespaces).isEmpty == true { title = nil }
        }
        let tree = try XMLTree.xml(documentXML, name: "word/document.xml")
        guard let body = tree.root?.child("body") else {
            throw ExtractionError(.damaged, "word/document.xml has no w:body")
        }
        var walker = WordWalker(styles: styles, maxDepth: options.maxDepth)
        try walker.walk(body)
        for block in walker.blocks {
            assembler.add(kind: block.kind, text: block.text, level: block.level, page: block.page)
        }
        // Footnotes in the order they are referenced, on the page of their reference.
        for (id, page) in walker.footnoteReferences {
            if let text = footnoteTexts[id] { assembler.add(kind: .footnote, text: text, page: page) }
        }
        var warnings: [ExtractionWarning] = []
        if walker.page > 1 {
            warnings.append(
                ExtractionWarning(
                    code: "pages_from_breaks",
                    message:
                        "page numbers come from the page breaks Word stored when the file was last saved; "
                        + "they may differ slightly from a printed copy"
                ))
        }
        return ReadDocument(
            mediaType: .docx, pageCount: walker.page, title: title.map(TextNormalizer.normalize), extractorName: "docx",
            libraries: ["libxml2": XMLTree.libraryVersion, "zlib": ZipArchive.zlibVersion], warnings: warnings)
    }

    /// An entry's bytes, refusing to inflate past the remaining budget (zip bombs).
    func entryBytes(_ archive: ZipArchive, _ entry: ZipArchive.Entry, budget: inout Int) throws -> [UInt8] {
        try archive.contents(of: entry, budget: &budget, limitMiB: Int(options.maxDOCXUncompressedBytes / 1_048_576))
    }

    static func footnotes(_ tree: XMLTree) -> [String: String] {
        var out: [String: String] = [:]
        for note in tree.root?.children ?? [] where note.isElement && note.name == "footnote" {
            if let type = note.attribute("type"), type != "normal" { continue }
            guard let id = note.attribute("id") else { continue }
            out[id] = note.children.filter { $0.isElement && $0.name == "p" }.map { WordText.plain($0) }.joined(
                separator: " ")
        }
        return out
    }
}

/// Paragraph styles: which are headings, and at what level.
struct StyleTable {
    private var levels: [String: Int] = [:]

    init() {}

    init(_ tree: XMLTree) {
        for style in tree.root?.children ?? [] where style.isElement && style.name == "style" {
            guard let id = style.attribute("styleId") else { continue }
            let name = style.child("name")?.attribute("val")?.lowercased() ?? ""
            if let outline = style.child("pPr")?.child("outlineLvl")?.attribute("val"), let level = Int(outline),
                level < 9
            {
                levels[id] = level + 1
            } else if name == "title" {
                levels[id] = 1
            } else if name.hasPrefix("heading "), let level = Int(name.dropFirst(8)) {
                levels[id] = level
            }
        }
    }

    /// The heading level of a paragraph style, or nil for body styles.
    func headingLevel(_ styleID: String) -> Int? {
        if let level = levels[styleID] { return level }
        let lower = styleID.lowercased()
        if lower == "title" { return 1 }
        if lower.hasPrefix("heading"), let level = Int(lower.dropFirst(7)) { return level }
        return nil
    }
}

/// Text of WordprocessingML runs.
enum WordText {
    /// All visible text under a node: w:t, tabs and breaks as spaces; field
    /// codes, deleted text and the fallback copy of alternate content skipped.
    static func plain(_ node: XMLNodeRef) -> String {
        var out = ""
        var stack: [XMLNodeRef] = [node]
        while let current = stack.popLast() {
            if current.isText {
                if let parent = current.pointer.pointee.parent.map(XMLNodeRef.init),
                    parent.name == "t" || parent.name == "title"
                {
                    out += current.content
                }
                continue
            }
            switch current.name {
            case "instrText", "delText", "Fallback", "footnoteReference", "endnoteReference", "rPr", "pPr": continue
            case "tab", "br", "cr":
                out += " "
                continue
            default: break
            }
            for child in current.children.reversed() { stack.append(child) }
        }
        return out
    }
}

/// Walks w:body in document order.
struct WordWalker {
    typealias Block = PagedBlock

    let styles: StyleTable
    let maxDepth: Int
    private(set) var blocks: [Block] = []
    private(set) var footnoteReferences: [(String, Int)] = []
    private(set) var page = 1

    init(styles: StyleTable, maxDepth: Int) {
        self.styles = styles
        self.maxDepth = maxDepth
    }

    mutating func walk(_ body: XMLNodeRef) throws {
        var stack: [(XMLNodeRef, Int)] = body.children.reversed().map { ($0, 1) }
        while let (node, depth) = stack.popLast() {
            guard node.isElement else { continue }
            if depth > maxDepth {
                throw ExtractionError(.tooDeep, "word/document.xml is nested more than \(maxDepth) elements deep")
            }
            switch node.name {
            case "p":
                paragraph(node)
            case "tbl":
                for row in node.children where row.isElement && row.name == "tr" {
                    for cell in row.children where cell.isElement && cell.name == "tc" {
                        let text = cell.children.filter { $0.isElement && $0.name == "p" }.map { paragraphText($0) }
                            .joined(separator: " ")
                        blocks.append(Block(kind: .tableCell, level: nil, text: text, page: page))
                        // Tables nested inside this cell.
                        for nested in cell.children.reversed() where nested.isElement && nested.name == "tbl" {
                            stack.append((nested, depth + 2))
                        }
                    }
                }
            case "sectPr", "bookmarkStart", "bookmarkEnd":
                continue
            default:
                // w:sdt, w:sdtContent, w:customXml and the like: look inside.
                for child in node.children.reversed() { stack.append((child, depth + 1)) }
            }
        }
    }

    mutating func paragraph(_ node: XMLNodeRef) {
        let properties = node.child("pPr")
        let style = properties?.child("pStyle")?.attribute("val") ?? ""
        var level = styles.headingLevel(style)
        if level == nil, let outline = properties?.child("outlineLvl")?.attribute("val"), let value = Int(outline),
            value < 9
        {
            level = value + 1
        }
        let isList = properties?.child("numPr") != nil || style.lowercased().contains("list")
        let startPage = page
        let text = paragraphText(node)
        let kind: BlockKind = level != nil ? .heading : (isList ? .listItem : .paragraph)
        blocks.append(Block(kind: kind, level: level, text: text, page: startPage))
    }

    /// A paragraph's text; counts page breaks and records footnote references on the way.
    mutating func paragraphText(_ node: XMLNodeRef) -> String {
        var out = ""
        var stack: [XMLNodeRef] = [node]
        while let current = stack.popLast() {
            if current.isText {
                if let parent = current.pointer.pointee.parent.map(XMLNodeRef.init), parent.name == "t" {
                    out += current.content
                }
                continue
            }
            switch current.name {
            case "instrText", "delText", "Fallback", "rPr", "pPr": continue
            case "tab", "cr":
                out += " "
                continue
            case "br":
                out += " "
                if current.attribute("type") == "page" { page += 1 }
                continue
            case "lastRenderedPageBreak":
                page += 1
                continue
            case "footnoteReference":
                if let id = current.attribute("id") { footnoteReferences.append((id, page)) }
                continue
            default: break
            }
            for child in current.children.reversed() { stack.append(child) }
        }
        return out
    }
}
