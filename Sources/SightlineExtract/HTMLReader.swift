import Foundation
import SightlineCore

/// Reads the visible text of an HTML page by block element: headings,
/// paragraphs, list items, table cells and footnotes, skipping scripts,
/// styles, navigation, site headers and footers, forms and cookie banners.
struct HTMLReader {
    var options: ExtractOptions

    func read(bytes input: [UInt8], into assembler: inout BlockAssembler) throws -> ReadDocument {
        if input.count > options.maxHTMLBytes {
            throw ExtractionError(.tooLarge, Self.tooLargeMessage(size: input.count, limit: options.maxHTMLBytes))
        }
        var warnings: [ExtractionWarning] = []
        var bytes = input
        if bytes.contains(0) {
            // libxml2 stops at a NUL byte; keep reading past it.
            bytes = bytes.map { $0 == 0 ? 0x20 : $0 }
            warnings.append(
                ExtractionWarning(code: "nul_bytes", message: "the page contains NUL bytes; they were read as spaces"))
        }
        let encoding = Self.encoding(of: bytes, warnings: &warnings)
        let tree = try XMLTree.html(bytes, encoding: encoding)
        guard let root = tree.root else { throw ExtractionError(.noText, "the HTML page has no elements") }
        var walker = HTMLWalker(maxDepth: options.maxDepth)
        walker.title = HTMLWalker.title(root)
        try walker.walk(HTMLWalker.contentRoot(root) ?? root)
        for block in walker.blocks {
            assembler.add(kind: block.kind, text: block.text, level: block.level, page: 1)
        }
        let title = walker.title.map(TextNormalizer.normalize).flatMap { $0.isEmpty ? nil : $0 }
        return ReadDocument(
            mediaType: .html, pageCount: 1, title: title, extractorName: "libxml2-html",
            libraries: ["libxml2": XMLTree.libraryVersion], warnings: warnings)
    }

    static func tooLargeMessage(size: Int, limit: Int) -> String {
        "the HTML file is \(size / 1_048_576) MiB, over the \(limit / 1_048_576) MiB limit for a web page: "
            + "check it is really a review"
    }

    /// The encoding to parse with: a byte-order mark, then the declared
    /// charset, then UTF-8 when the bytes are valid UTF-8, else Windows-1252.
    static func encoding(of bytes: [UInt8], warnings: inout [ExtractionWarning]) -> String {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return "UTF-8" }
        if bytes.starts(with: [0xFF, 0xFE]) { return "UTF-16LE" }
        if bytes.starts(with: [0xFE, 0xFF]) { return "UTF-16BE" }
        let validUTF8 =
            String(validating: bytes.prefix(4_000_000), as: UTF8.self) != nil
            || (bytes.count > 4_000_000 && String(validating: bytes, as: UTF8.self) != nil)
        if let declared = declaredCharset(bytes) {
            let lower = declared.lowercased()
            if lower == "utf-8" || lower == "utf8" {
                if validUTF8 { return "UTF-8" }
                warnings.append(
                    ExtractionWarning(
                        code: "encoding_fallback",
                        message: "declared UTF-8 but the bytes are not valid UTF-8; read as Windows-1252"))
                return "windows-1252"
            }
            // ISO-8859-1 is read as its superset, as browsers do.
            if lower == "iso-8859-1" || lower == "latin1" || lower == "us-ascii" || lower == "ascii" {
                return "windows-1252"
            }
            return declared
        }
        if validUTF8 { return "UTF-8" }
        warnings.append(
            ExtractionWarning(
                code: "encoding_fallback",
                message: "no charset declared and the bytes are not valid UTF-8; read as Windows-1252"))
        return "windows-1252"
    }

    /// The charset named by `<meta charset>` or `<meta http-equiv content="…charset=…">` in the first 8 KiB.
    static func declaredCharset(_ bytes: [UInt8]) -> String? {
        let head = String(decoding: bytes.prefix(8192), as: UTF8.self).lowercased()
        guard let range = head.range(of: "charset=") else { return nil }
        var value = head[range.upperBound...].drop { $0 == "\"" || $0 == "'" || $0 == " " }
        value = value.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return value.isEmpty ? nil : String(value)
    }
}

/// Walks a parsed HTML tree without recursion, collecting block text.
struct HTMLWalker {
    struct Block {
        var kind: BlockKind
        var level: Int?
        var text: String
    }

    let maxDepth: Int
    private(set) var blocks: [Block] = []
    var title: String?
    private var buffer = ""

    init(maxDepth: Int) { self.maxDepth = maxDepth }

    static let skipped: Set<String> = [
        "script", "style", "noscript", "template", "nav", "form", "button", "select", "textarea", "iframe",
        "svg", "object", "embed", "canvas", "head", "input", "label", "dialog", "menu",
    ]
    static let pageChrome: Set<String> = ["header", "footer"]
    static let blockElements: Set<String> = [
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "dd", "dt", "blockquote", "figcaption",
        "caption", "pre", "div", "section", "article", "main", "aside", "ul", "ol", "dl", "table", "tr",
        "tbody", "thead", "tfoot", "body", "html", "figure", "address", "hr", "br",
    ]
    /// The text of a footnote's link back to where it was cited.
    static let backLinkTexts = ["↩", "↩︎", "^", "back"]
    static let chromeMarkers = [
        "cookie", "consent", "gdpr", "breadcrumb", "skip-link", "skiplink", "share-links", "social",
    ]
    static let chromeRoles: Set<String> = ["navigation", "banner", "contentinfo", "search", "dialog", "alertdialog"]

    /// The kind a block element gives the text directly inside it.
    struct Context {
        var kind: BlockKind
        var level: Int?
    }

    static func title(_ root: XMLNodeRef) -> String? {
        guard let head = root.child("head"), let titleNode = head.child("title") else { return nil }
        return titleNode.children.filter(\.isText).map(\.content).joined()
    }

    /// Where the review is: the page's only `<article>`, else its `<main>`
    /// (a site's page furniture sits outside them). Nil: read the whole body.
    static func contentRoot(_ root: XMLNodeRef) -> XMLNodeRef? {
        var articles: [XMLNodeRef] = []
        var main: XMLNodeRef? = nil
        var stack: [(XMLNodeRef, Int)] = [(root, 0)]
        while let (node, depth) = stack.popLast() {
            guard node.isElement, depth < 64 else { continue }
            let name = node.name.lowercased()
            if name == "script" || name == "style" || name == "head" { continue }
            if name == "article" { articles.append(node) }
            if name == "main" && main == nil { main = node }
            for child in node.children { stack.append((child, depth + 1)) }
        }
        if articles.count == 1 { return articles[0] }
        return main
    }

    mutating func walk(_ root: XMLNodeRef) throws {
        enum Step {
            case enter(XMLNodeRef, Int)
            case leave(String, Context)
        }
        var contexts: [Context] = [Context(kind: .paragraph, level: nil)]
        let rootName = root.name.lowercased()
        // Inside <main> or <article>, where <header> and <footer> belong to the review.
        var inContent = rootName == "main" || rootName == "article" ? 1 : 0
        var stack: [Step] = [.enter(root, 1)]
        while let step = stack.popLast() {
            switch step {
            case .leave(let name, _):
                if Self.blockElements.contains(name) { flush(contexts.last!) }
                contexts.removeLast()
                if name == "main" || name == "article" { inContent -= 1 }
            case .enter(let node, let depth):
                if node.isText {
                    buffer += node.content
                    continue
                }
                guard node.isElement else { continue }
                if depth > maxDepth {
                    throw ExtractionError(
                        .tooDeep,
                        "the HTML is nested more than \(maxDepth) elements deep: it is not an ordinary web page")
                }
                let name = node.name.lowercased()
                if shouldSkip(node, name: name, inContent: inContent > 0) { continue }
                if name == "br" {
                    buffer += " "
                    continue
                }
                if Self.blockElements.contains(name) { flush(contexts.last!) }
                var context = contexts.last!
                switch name {
                case "h1", "h2", "h3", "h4", "h5", "h6":
                    context = Context(kind: .heading, level: Int(String(name.last!)))
                case "li", "dd", "dt":
                    if context.kind != .footnote { context = Context(kind: .listItem, level: nil) }
                case "td", "th":
                    context = Context(kind: .tableCell, level: nil)
                case "p", "blockquote", "figcaption", "caption", "pre", "address":
                    if context.kind != .footnote && context.kind != .tableCell && context.kind != .listItem {
                        context = Context(kind: .paragraph, level: nil)
                    }
                default:
                    break
                }
                if Self.isFootnoteContainer(node) { context = Context(kind: .footnote, level: nil) }
                if name == "main" || name == "article" { inContent += 1 }
                contexts.append(context)
                stack.append(.leave(name, context))
                for child in node.children.reversed() { stack.append(.enter(child, depth + 1)) }
            }
        }
        flush(Context(kind: .paragraph, level: nil))
    }

    func shouldSkip(_ node: XMLNodeRef, name: String, inContent: Bool) -> Bool {
        if Self.skipped.contains(name) { return true }
        if Self.pageChrome.contains(name) && !inContent { return true }
        if node.attribute("hidden") != nil || node.attribute("aria-hidden") == "true" { return true }
        if let role = node.attribute("role")?.lowercased(), Self.chromeRoles.contains(role) { return true }
        let marks = ((node.attribute("class") ?? "") + " " + (node.attribute("id") ?? "")).lowercased()
        if !marks.trimmingCharacters(in: .whitespaces).isEmpty,
            Self.chromeMarkers.contains(where: { marks.contains($0) })
        {
            return true
        }
        if name == "sup" || name == "a" {
            // Footnote reference markers and back-links.
            let href = node.attribute("href") ?? node.child("a")?.attribute("href") ?? ""
            if href.hasPrefix("#fn") || href.hasPrefix("#footnote") || href.hasPrefix("#note") || href.hasPrefix("#ftn")
                || href.hasPrefix("#_ftn") || marks.contains("footnote-ref") || marks.contains("footnote-back")
                || marks.contains("fnref")
            {
                return true
            }
            if name == "a" && node.children.count == 1 && node.children[0].isText
                && Self.backLinkTexts.contains(node.children[0].content.trimmingCharacters(in: .whitespaces))
            {
                return true
            }
        }
        return false
    }

    static func isFootnoteContainer(_ node: XMLNodeRef) -> Bool {
        let marks = ["class", "id", "role"].map { node.attribute($0) ?? "" }.joined(separator: " ").lowercased()
        return marks.contains("footnote") || marks.contains("endnote") || marks.contains("doc-endnotes")
    }

    mutating func flush(_ context: Context) {
        let text = TextNormalizer.normalize(buffer)
        buffer = ""
        guard !text.isEmpty else { return }
        blocks.append(Block(kind: context.kind, level: context.level, text: text))
    }
}
