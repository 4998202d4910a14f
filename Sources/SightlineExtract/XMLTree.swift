import CLibXML2
import Foundation
import SightlineCore

/// Owns a libxml2 document (`xmlDoc*`) parsed from memory, HTML or XML, with
/// network access and entity expansion off. The rest of the module walks it
/// through `XMLNodeRef`, which hands out only Swift values.
final class XMLTree {
    let document: xmlDocPtr

    private init(_ document: xmlDocPtr) { self.document = document }

    deinit { xmlFreeDoc(document) }

    /// Parses HTML leniently (recover mode), in the given encoding.
    static func html(_ bytes: [UInt8], encoding: String) throws -> XMLTree {
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
                | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_COMPACT.rawValue)
        xmlResetLastError()
        let doc = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                htmlReadMemory($0, Int32(buffer.count), "document.html", encoding, options)
            }
        }
        guard let doc else {
            throw ExtractionError(.damaged, "the HTML could not be parsed: \(lastErrorMessage() ?? "unknown error")")
        }
        let tree = XMLTree(doc)
        // libxml2 stops at its nesting limit and keeps what it had: refuse
        // rather than hand back a silently truncated page.
        if let message = lastErrorMessage(), message.lowercased().contains("excessive depth") {
            throw ExtractionError(
                .tooDeep, "the HTML is nested too deeply for the parser (\(message)): it is not an ordinary web page")
        }
        return tree
    }

    /// Parses well-formed XML (a part of a DOCX). No DTD loading, no entity
    /// substitution, no network: an external entity is never resolved.
    static func xml(_ bytes: [UInt8], name: String) throws -> XMLTree {
        let options = Int32(
            XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
                | XML_PARSE_COMPACT.rawValue)
        xmlResetLastError()
        let doc = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                xmlReadMemory($0, Int32(buffer.count), name, "UTF-8", options)
            }
        }
        guard let doc else {
            let message = lastErrorMessage() ?? "unknown error"
            if message.lowercased().contains("excessive depth") {
                throw ExtractionError(.tooDeep, "\(name) is nested too deeply (\(message))")
            }
            throw ExtractionError(.damaged, "\(name) is not well-formed XML: \(message)")
        }
        return XMLTree(doc)
    }

    static func lastErrorMessage() -> String? {
        guard let error = xmlGetLastError(), let message = error.pointee.message else { return nil }
        let text = String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
        return error.pointee.line > 0 ? "line \(error.pointee.line): \(text)" : text
    }

    var root: XMLNodeRef? { xmlDocGetRootElement(document).map(XMLNodeRef.init) }

    /// Whether the document has a `<!DOCTYPE …>` (where entities would be declared).
    var hasDocumentType: Bool { document.pointee.intSubset != nil || document.pointee.extSubset != nil }

    static var libraryVersion: String { String(cString: sightline_xml_version()) }
}

/// A borrowed node of an `XMLTree`; valid only while the tree is alive.
struct XMLNodeRef {
    let pointer: xmlNodePtr

    init(_ pointer: xmlNodePtr) { self.pointer = pointer }

    var isElement: Bool { pointer.pointee.type == XML_ELEMENT_NODE }
    var isText: Bool { pointer.pointee.type == XML_TEXT_NODE || pointer.pointee.type == XML_CDATA_SECTION_NODE }

    /// Local name (no prefix), as libxml2 stores it; lower-cased by libxml2's HTML parser.
    var name: String { pointer.pointee.name.map { String(cString: $0) } ?? "" }

    var namespacePrefix: String? {
        guard let ns = pointer.pointee.ns, let prefix = ns.pointee.prefix else { return nil }
        return String(cString: prefix)
    }

    /// The namespace URI of the element, if it has one.
    var namespaceURI: String? { pointer.pointee.ns?.pointee.href.map { String(cString: $0) } }

    /// The line the node starts on in the parsed text.
    var line: Int { Int(xmlGetLineNo(pointer)) }

    /// The concatenated text of a node and its descendants (entity references left out: none are expanded).
    var textContent: String {
        guard let value = xmlNodeGetContent(pointer) else { return "" }
        defer { sightline_xml_free(value) }
        return String(cString: value)
    }

    var firstChild: XMLNodeRef? { pointer.pointee.children.map(XMLNodeRef.init) }
    var next: XMLNodeRef? { pointer.pointee.next.map(XMLNodeRef.init) }

    var children: [XMLNodeRef] {
        var out: [XMLNodeRef] = []
        var node = firstChild
        while let current = node {
            out.append(current)
            node = current.next
        }
        return out
    }

    /// A text node's content.
    var content: String {
        guard let raw = pointer.pointee.content else { return "" }
        return String(cString: raw)
    }

    /// An attribute's value by local name (any namespace).
    func attribute(_ name: String) -> String? {
        var property = pointer.pointee.properties
        while let current = property {
            if let rawName = current.pointee.name, String(cString: rawName) == name {
                guard
                    let value = xmlNodeGetContent(
                        UnsafeMutableRawPointer(current).assumingMemoryBound(to: xmlNode.self))
                else { return "" }
                defer { sightline_xml_free(value) }
                return String(cString: value)
            }
            property = current.pointee.next
        }
        return nil
    }

    /// The first child element with this local name.
    func child(_ name: String) -> XMLNodeRef? { children.first { $0.isElement && $0.name == name } }
}
