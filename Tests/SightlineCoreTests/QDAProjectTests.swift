import Foundation
import SightlineCore
import Testing

/// The parts of the REFI-QDA exchange that need no run folder: GUIDs, the document text, XML escaping, names.
@Suite struct QDAProjectTests {
    @Test func guidsAreStableNameBasedAndUpperCase() {
        let guid = QDAGUID.make("source", "c7e3c59a659a8046")
        #expect(guid == QDAGUID.make("source", "c7e3c59a659a8046"))
        #expect(guid != QDAGUID.make("source", "c7e3c59a659a8047"))
        #expect(guid != QDAGUID.make("code", "c7e3c59a659a8046"))
        let groups = guid.split(separator: "-")
        #expect(groups.map(\.count) == [8, 4, 4, 4, 12])
        #expect(guid == guid.uppercased())
        #expect(groups[2].first == "5") // version: name-based
        #expect("89AB".contains(groups[3].first!)) // RFC 4122 variant
        #expect(QDAGUID.normalized("{c0de0000-0000-4000-8000-000000000003}") == "C0DE0000-0000-4000-8000-000000000003")
        #expect(QDAGUID.normalized("c0de0000-0000-4000-8000-00000000000") == nil)
        #expect(QDAGUID.normalized("not-a-guid") == nil)
    }

    static func passage(_ block: Int, _ part: Int, _ text: String) -> PassageRecord {
        let json = """
            {"type":"passage","schema":"sightline.passage.v1","passage_id":"abc/\(block).\(part)","doc_id":"abc",\
            "block_index":\(block),"part":\(part),"page":1,"page_end":1,"kind":"paragraph","heading_path":[],\
            "text":"\(text)","word_count":2,"boilerplate":false}
            """
        return try! JSONDecoder().decode(PassageRecord.self, from: Data(json.utf8))
    }

    @Test func documentTextJoinsPartsBySpacesAndBlocksByBlankLines() {
        let passages = [Self.passage(0, 0, "Héading"), Self.passage(1, 0, "One two."), Self.passage(1, 1, "Three.")]
        let text = DocumentText(passages: passages)
        #expect(text.text == "Héading\n\nOne two. Three.")
        #expect(text.ranges == [0..<7, 9..<17, 18..<24])
        #expect(text.length == 24)
        let scalars = Array(text.text.unicodeScalars)
        for (passage, range) in zip(passages, text.ranges) {
            #expect(String(String.UnicodeScalarView(scalars[range])) == passage.text)
        }
        // A range marks the passages it overlaps; separators belong to none.
        #expect(text.passages(overlapping: 7..<9).isEmpty)
        #expect(text.passages(overlapping: 6..<10) == [0, 1])
        #expect(text.passages(overlapping: 16..<19) == [1, 2])
        #expect(text.passages(overlapping: 0..<24) == [0, 1, 2])
        #expect(text.passages(overlapping: 5..<5).isEmpty)
    }

    @Test func xmlIsEscapedAndControlCharactersReplaced() {
        var project = QDAProject(name: "A & B <\"quoted\">", origin: "test")
        project.notes = [.init(guid: QDAGUID.make("note", "1"), name: "line\nbreak", text: "x < y & \u{1}z\r")]
        let xml = String(decoding: QDAXMLWriter.project(project), as: UTF8.self)
        #expect(xml.contains("name=\"A &amp; B &lt;&quot;quoted&quot;&gt;\""))
        #expect(xml.contains("name=\"line&#10;break\""))
        #expect(xml.contains("<PlainTextContent>x &lt; y &amp; \u{FFFD}z&#13;</PlainTextContent>"))
    }
}
