import CLibXML2
import Foundation

/// Validates XML against an XML Schema file with libxml2's `xmlschemas`
/// (no network: the schema and the document are read from memory and disk
/// only). Used by the tests to check exports against the REFI-QDA schema,
/// which Sightline does not ship.
public enum XMLSchemaValidator {
    /// Problems found (empty when the document is valid); one problem when the schema cannot be read.
    public static func validate(xml bytes: [UInt8], schemaPath: String) -> [String] {
        guard let parserContext = xmlSchemaNewParserCtxt(schemaPath) else { return ["cannot read \(schemaPath)"] }
        defer { xmlSchemaFreeParserCtxt(parserContext) }
        guard let schema = xmlSchemaParse(parserContext) else { return ["\(schemaPath) is not a usable XML schema"] }
        defer { xmlSchemaFree(schema) }
        guard let context = xmlSchemaNewValidCtxt(schema) else { return ["libxml2 could not start validating"] }
        defer { xmlSchemaFreeValidCtxt(context) }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        xmlResetLastError()
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                xmlReadMemory($0, Int32(buffer.count), "document.xml", "UTF-8", options)
            }
        }
        guard let document = parsed else { return ["not well-formed XML: \(XMLTree.lastErrorMessage() ?? "")"] }
        defer { xmlFreeDoc(document) }
        let collected = Collected()
        let box = Unmanaged.passRetained(collected)
        defer { box.release() }
        xmlSchemaSetValidStructuredErrors(
            context,
            { userData, error in
                guard let userData, let error else { return }
                let text = error.pointee.message.map { String(cString: $0) } ?? "invalid"
                let line = error.pointee.line
                Unmanaged<Collected>.fromOpaque(userData).takeUnretainedValue().problems.append(
                    "line \(line): \(text.trimmingCharacters(in: .whitespacesAndNewlines))")
            }, box.toOpaque())
        let status = xmlSchemaValidateDoc(context, document)
        if status != 0 && collected.problems.isEmpty { collected.problems.append("invalid (libxml2 status \(status))") }
        return collected.problems
    }

    private final class Collected {
        var problems: [String] = []
    }
}
