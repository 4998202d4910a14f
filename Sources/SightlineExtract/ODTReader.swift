import Foundation
import SightlineCore

/// Reads an OpenDocument text (`.odt`: a zip of XML parts, read with
/// `ZipArchive` and libxml2 as a DOCX is): headings (`text:h`, or paragraphs
/// whose style has an outline level or is a heading style), paragraphs, list
/// items, table cells, text boxes and notes. Page numbers come from the
/// `text:soft-page-break` marks an office suite stores where its layout broke
/// pages, and from paragraphs whose style starts a new page; a file with
/// neither (as converters write them) is all page 1, with a warning.
struct ODTReader {
    var options: ExtractOptions

    static let mimeType = "application/vnd.oasis.opendocument.text"

    /// Whether a zip archive is an OpenDocument text rather than some other zip.
    static func isODT(_ archive: ZipArchive) -> Bool {
        if let mimetype = archive["mimetype"], mimetype.method == 0, mimetype.uncompressedSize < 200 {
            var budget = 200
            // An unreadable mimetype entry: the content.xml check below decides instead.
            if let bytes = try? archive.contents(of: mimetype, budget: &budget, limitMiB: 1) {
                return String(decoding: bytes, as: UTF8.self).hasPrefix(mimeType)
            }
        }
        return archive["content.xml"] != nil && archive["word/document.xml"] == nil
    }

    func read(archive: ZipArchive, into assembler: inout BlockAssembler) throws -> ReadDocument {
        var budget = Int(clamping: options.maxDOCXUncompressedBytes)
        let limitMiB = Int(options.maxDOCXUncompressedBytes / 1_048_576)
        func part(_ name: String) throws -> XMLTree? {
            guard let entry = archive[name] else { return nil }
            return try XMLTree.xml(archive.contents(of: entry, budget: &budget, limitMiB: limitMiB), name: name)
        }
        guard let content = try part("content.xml") else {
            throw ExtractionError(
                .damaged, "an OpenDocument zip without content.xml (missing, or the zip's directory is damaged)")
        }
        var styles = ODTStyles()
        if let shared = try part("styles.xml") { styles.add(shared) }
        styles.add(content)
        guard let body = content.root?.child("body"), let text = body.child("text") else {
            throw ExtractionError(
                .unsupportedFormat, "content.xml has no office:text body: an OpenDocument file, but not a text document"
            )
        }
        var title: String? = nil
        // The title is optional metadata: a missing or malformed meta.xml loses no text.
        if let meta = try? part("meta.xml"), let node = meta.root?.child("meta")?.child("title") {
            let value = TextNormalizer.normalize(ODTWalker.plain(node))
            title = value.isEmpty ? nil : value
        }
        var walker = ODTWalker(styles: styles, maxDepth: options.maxDepth)
        try walker.walk(text)
        for block in walker.blocks {
            assembler.add(kind: block.kind, text: block.text, level: block.level, page: block.page)
        }
        for note in walker.notes { assembler.add(kind: .footnote, text: note.text, page: note.page) }
        var warnings: [ExtractionWarning] = []
        if walker.sawPageBreaks {
            warnings.append(
                ExtractionWarning(
                    code: "pages_from_breaks",
                    message:
                        "page numbers come from the page breaks the office suite stored when the file was last saved; "
                        + "they may differ slightly from a printed copy"))
        } else {
            warnings.append(
                ExtractionWarning(
                    code: "no_page_numbers",
                    message: "the OpenDocument file stores no page breaks (it was not laid out by an office suite): "
                        + "every block is reported on page 1"))
        }
        return ReadDocument(
            mediaType: .odt, pageCount: walker.page, title: title, extractorName: "odt",
            libraries: ["libxml2": XMLTree.libraryVersion, "zlib": ZipArchive.zlibVersion], warnings: warnings)
    }
}

/// Paragraph styles of an OpenDocument file: which are headings (and their
/// level) and which start a new page, following parent styles.
struct ODTStyles {
    private var parents: [String: String] = [:]
    private var outline: [String: Int] = [:]
    private var pageBreak: Set<String> = []

    mutating func add(_ tree: XMLTree) {
        for section in tree.root?.children ?? [] where section.isElement {
            guard section.name == "styles" || section.name == "automatic-styles" else { continue }
            for style in section.children where style.isElement && style.name == "style" {
                guard style.attribute("family") == "paragraph", let name = style.attribute("name") else { continue }
                if let parent = style.attribute("parent-style-name") { parents[name] = parent }
                if let level = style.attribute("default-outline-level").flatMap({ Int($0) }), level > 0 {
                    outline[name] = min(level, 9)
                } else if let level = Self.levelFromName(name) {
                    outline[name] = level
                }
                let properties = style.child("paragraph-properties")
                if properties?.attribute("break-before") == "page" { pageBreak.insert(name) }
            }
        }
    }

    /// "Heading_20_2" (an encoded "Heading 2"), "Heading 2", "Title".
    static func levelFromName(_ name: String) -> Int? {
        let decoded = name.replacingOccurrences(of: "_20_", with: " ").lowercased()
        if decoded == "title" { return 1 }
        guard decoded.hasPrefix("heading ") else { return nil }
        return Int(decoded.dropFirst(8)).flatMap { $0 > 0 ? min($0, 9) : nil }
    }

    /// The heading level of a paragraph style, looking up its parents (at most 20 deep).
    func headingLevel(_ style: String) -> Int? {
        var name: String? = style
        for _ in 0..<20 {
            guard let current = name else { return nil }
            if let level = outline[current] { return level }
            name = parents[current]
        }
        return nil
    }

    func breaksPage(_ style: String) -> Bool { pageBreak.contains(style) }
}

/// Walks `office:text` in document order.
struct ODTWalker {
    typealias Block = PagedBlock

    let styles: ODTStyles
    let maxDepth: Int
    private(set) var blocks: [Block] = []
    private(set) var notes: [Block] = []
    private(set) var page = 1
    private(set) var sawPageBreaks = false
    private var blocksSeen = 0
    /// Text boxes met inside the paragraph being read, added after it.
    private var boxes: [Block] = []

    init(styles: ODTStyles, maxDepth: Int) {
        self.styles = styles
        self.maxDepth = maxDepth
    }

    /// Parts of the body that are not the document's text.
    static let skipped: Set<String> = [
        "annotation", "annotation-end", "tracked-changes", "sequence-decls", "variable-decls", "user-field-decls",
        "table-of-content-source", "alphabetical-index-source", "illustration-index-source", "index-title-template",
        "note-citation", "forms", "image", "desc", "title-template",
    ]

    mutating func walk(_ root: XMLNodeRef) throws {
        var stack: [(XMLNodeRef, Int, Bool)] = root.children.reversed().map { ($0, 1, false) }
        while let (node, depth, inList) = stack.popLast() {
            guard node.isElement else { continue }
            if depth > maxDepth {
                throw ExtractionError(.tooDeep, "content.xml is nested more than \(maxDepth) elements deep")
            }
            switch node.name {
            case "h":
                let level = node.attribute("outline-level").flatMap { Int($0) }.map { max(1, min($0, 9)) } ?? 1
                paragraph(node, kind: .heading, level: level)
            case "p":
                let style = node.attribute("style-name") ?? ""
                if let level = styles.headingLevel(style) {
                    paragraph(node, kind: .heading, level: level)
                } else {
                    paragraph(node, kind: inList ? .listItem : .paragraph, level: nil)
                }
            case "soft-page-break":
                page += 1
                sawPageBreaks = true
            case "table-cell":
                let start = page
                var parts: [String] = []
                for child in node.children where child.isElement {
                    if child.name == "p" || child.name == "h" { parts.append(text(of: child)) }
                }
                blocks.append(Block(kind: .tableCell, level: nil, text: parts.joined(separator: " "), page: start))
                blocks += boxes
                boxes = []
                for nested in node.children.reversed() where nested.isElement && nested.name == "table" {
                    stack.append((nested, depth + 1, false))
                }
            case let name where Self.skipped.contains(name):
                continue
            default:
                // Sections, lists, tables and their rows, frames and text boxes: look inside.
                let list = inList || node.name == "list-item" || node.name == "list-header"
                for child in node.children.reversed() { stack.append((child, depth + 1, list)) }
            }
        }
    }

    mutating func paragraph(_ node: XMLNodeRef, kind: BlockKind, level: Int?) {
        if let style = node.attribute("style-name"), styles.breaksPage(style), blocksSeen > 0 {
            page += 1
            sawPageBreaks = true
        }
        blocksSeen += 1
        let start = page
        let content = text(of: node)
        blocks.append(Block(kind: kind, level: level, text: content, page: start))
        blocks += boxes
        boxes = []
    }

    /// A paragraph's text: spans, links and fields; `text:s`, tabs and line
    /// breaks as spaces; notes set aside (as footnotes); text boxes anchored
    /// in it become blocks of their own after it.
    mutating func text(of node: XMLNodeRef) -> String {
        var out = ""
        var stack: [XMLNodeRef] = node.children.reversed()
        while let current = stack.popLast() {
            if current.isText {
                out += current.content
                continue
            }
            guard current.isElement else { continue }
            switch current.name {
            case "s", "tab", "line-break": out += " "
            case "number":
                // A numbered heading's or list item's label, as the office suite wrote it ("2.1").
                out += Self.plain(current) + " "
            case "soft-page-break":
                page += 1
                sawPageBreaks = true
            case "note":
                if let body = current.child("note-body") {
                    let parts = body.children.filter { $0.isElement }.map { Self.plain($0) }
                    notes.append(Block(kind: .footnote, level: nil, text: parts.joined(separator: " "), page: page))
                }
            case "frame":
                // A text box inside a paragraph: its text is read as a block after this one.
                out += " "
                if let box = current.child("text-box") {
                    for child in box.children where child.isElement && (child.name == "p" || child.name == "h") {
                        let boxText = Self.plain(child)
                        boxes.append(Block(kind: .paragraph, level: nil, text: boxText, page: page))
                    }
                }
            case let name where Self.skipped.contains(name):
                continue
            default:
                for child in current.children.reversed() { stack.append(child) }
            }
        }
        return out
    }

    /// All text under a node, skipping annotations and note citations.
    static func plain(_ node: XMLNodeRef) -> String {
        var out = ""
        var stack: [XMLNodeRef] = [node]
        while let current = stack.popLast() {
            if current.isText {
                out += current.content
                continue
            }
            guard current.isElement else { continue }
            if skipped.contains(current.name) { continue }
            if current.name == "s" || current.name == "tab" || current.name == "line-break" {
                out += " "
                continue
            }
            // Separate paragraphs of a note with a space.
            if current.name == "p" && !out.isEmpty { out += " " }
            for child in current.children.reversed() { stack.append(child) }
        }
        return out
    }
}
