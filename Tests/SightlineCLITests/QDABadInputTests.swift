import Foundation
import SightlineCore
import SightlineExtract
import Testing

/// Bad REFI-QDA projects given to `eval --codes`: each is an error naming the file and what is wrong.
@Suite struct QDABadInputTests {
    static let codebook = """
          <CodeBook>
            <Codes>
              <Code guid="C0DE0000-0000-4000-8000-000000000001" name="Domestic abuse" isCodable="true"/>
            </Codes>
          </CodeBook>
        """

    static func project(_ sources: String, codebook: String = codebook, prologue: String = "") -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        \(prologue)<Project xmlns="urn:QDA-XML:project:1.0" name="bad" origin="MAXQDA 24">
        \(codebook)
          <Sources>
        \(sources)
          </Sources>
        </Project>
        """
    }

    static func textSource(_ text: String, start: Int, end: Int, name: String = "lcspr-fenwick-child-a.txt") -> String {
        """
            <TextSource guid="50C00000-0000-4000-8000-000000000001" name="\(name)">
              <PlainTextContent>\(text)</PlainTextContent>
              <PlainTextSelection guid="5E100000-0000-4000-8000-000000000001" startPosition="\(start)" \
        endPosition="\(end)">
                <Coding guid="C0D10000-0000-4000-8000-000000000001">
                  <CodeRef targetGUID="C0DE0000-0000-4000-8000-000000000001"/>
                </Coding>
              </PlainTextSelection>
            </TextSource>
        """
    }

    static func zipped(_ xml: String, extra: [(String, [UInt8])] = []) throws -> [UInt8] {
        var zip = ZipWriter.deflating()
        try zip.add(name: "project.qde", bytes: Array(xml.utf8))
        for (name, bytes) in extra { try zip.add(name: name, bytes: bytes) }
        return zip.finish()
    }

    /// Runs eval on a project made of `bytes`; returns its exit status and standard error.
    func eval(_ bytes: [UInt8]) throws -> (status: Int32, stderr: String, file: String) {
        let run = try EvalCommandTests().freshRun()
        let file = run.appendingPathComponent("bad.qdpx")
        try Data(bytes).write(to: file)
        let result = try CommandRunner.run(["eval", "--in", run.path, "--codes", file.path, "--replicates", "0", "-q"])
        return (result.status, result.stderr, file.path)
    }

    static let quote = "Police attended the family home three times between January and March 2023"

    @Test func aProjectThatIsFineGivesNoError() throws {
        let (status, stderr, _) = try eval(Self.zipped(Self.project(Self.textSource(Self.quote, start: 0, end: 20))))
        #expect(status == 0, "\(stderr)")
    }

    @Test func damagedZip() throws {
        let good = try Self.zipped(Self.project(Self.textSource(Self.quote, start: 0, end: 20)))
        let (status, stderr, file) = try eval(Array(good.prefix(good.count - 30)))
        #expect(status == 1)
        #expect(stderr.contains(file) && stderr.contains("not a readable .qdpx"), "\(stderr)")
    }

    @Test func invalidAgainstTheSchema() throws {
        let codebook = Self.codebook.replacingOccurrences(of: " isCodable=\"true\"", with: "")
            .replacingOccurrences(of: "C0DE0000-0000-4000-8000-000000000001", with: "not-a-guid")
        let (status, stderr, file) = try eval(
            Self.zipped(Self.project(Self.textSource(Self.quote, start: 0, end: 20), codebook: codebook)))
        #expect(status == 1)
        #expect(stderr.contains("\(file) (project.qde)"), "\(stderr)")
        #expect(stderr.contains("not valid against the REFI-QDA schema"))
        #expect(stderr.contains("no isCodable attribute"))
        #expect(stderr.contains("guid=\"not-a-guid\" is not a GUID"))
    }

    @Test func notAProjectAtAll() throws {
        let (status, stderr, _) = try eval(
            Self.zipped("<?xml version=\"1.0\"?><w:document xmlns:w=\"urn:word\"/>"))
        #expect(status == 1)
        #expect(stderr.contains("not <Project> in namespace urn:QDA-XML:project:1.0"), "\(stderr)")
    }

    @Test func zipBombIsRefusedBeforeItIsUnpacked() throws {
        // A central directory that says project.qde unpacks to 3.75 GiB.
        var bytes = try Self.zipped(Self.project(Self.textSource(Self.quote, start: 0, end: 20)))
        let directory =
            Int(bytes[bytes.count - 6]) | Int(bytes[bytes.count - 5]) << 8
            | Int(bytes[bytes.count - 4]) << 16 | Int(bytes[bytes.count - 3]) << 24
        bytes.replaceSubrange((directory + 24)..<(directory + 28), with: [0, 0, 0, 0xF0])
        let (status, stderr, file) = try eval(bytes)
        #expect(status == 1)
        #expect(stderr.contains(file) && stderr.contains("zip bomb"), "\(stderr)")
    }

    @Test func zipBombIsStoppedWhileUnpacking() throws {
        // A central directory that says 1,000 bytes for 4 MiB of deflated spaces, over the reader's limit:
        // inflating stops at the limit.
        let spaces = String(repeating: " ", count: 4 << 20)
        let xml = Self.project(Self.textSource(Self.quote, start: 0, end: 20))
        var bytes = try Self.zipped(xml.replacingOccurrences(of: "</Project>", with: spaces + "</Project>"))
        #expect(bytes.count < 64 << 10)
        let directory =
            Int(bytes[bytes.count - 6]) | Int(bytes[bytes.count - 5]) << 8
            | Int(bytes[bytes.count - 4]) << 16 | Int(bytes[bytes.count - 3]) << 24
        bytes.replaceSubrange((directory + 24)..<(directory + 28), with: [0xE8, 0x03, 0, 0])
        let folder = try CommandRunner.temporaryFolder()
        let file = folder.appendingPathComponent("bomb.qdpx")
        try Data(bytes).write(to: file)
        var reader = QDAProjectReader()
        reader.maxUncompressedBytes = 1 << 20
        #expect {
            try reader.read(path: file.path)
        } throws: { error in
            "\(error)".contains(file.path) && "\(error)".contains("zip bomb")
        }
    }

    @Test(arguments: [
        // Billion laughs: entities declared and nested.
        """
        <!DOCTYPE Project [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\
        <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>

        """,
        // An external entity naming a local file.
        "<!DOCTYPE Project [<!ENTITY secret SYSTEM \"file:///etc/passwd\">]>\n",
    ])
    func entityTricksAreRefused(prologue: String) throws {
        let reference = prologue.contains("secret") ? "&secret;" : "&c;"
        let source = Self.textSource(Self.quote + " " + reference, start: 0, end: 20)
        let (status, stderr, file) = try eval(Self.zipped(Self.project(source, prologue: prologue)))
        #expect(status == 1)
        #expect(stderr.contains(file) && stderr.contains("<!DOCTYPE>"), "\(stderr)")
        #expect(!stderr.contains("root:"))
    }

    @Test func selectionOutsideItsText() throws {
        let (status, stderr, file) = try eval(
            Self.zipped(Self.project(Self.textSource(Self.quote, start: 10, end: 900))))
        #expect(status == 1)
        #expect(stderr.contains(file), "\(stderr)")
        #expect(
            stderr.contains("(characters 10–900) lies outside the text of source ‘lcspr-fenwick-child-a.txt’"))
    }

    @Test func pdfSelectionsByCoordinates() throws {
        let source = """
                <PDFSource guid="50C00000-0000-4000-8000-000000000002" name="lcspr-fenwick-child-a.txt">
                  <PDFSelection guid="5E100000-0000-4000-8000-000000000002" page="2" firstX="10" firstY="20" \
            secondX="300" secondY="200">
                    <Coding guid="C0D10000-0000-4000-8000-000000000002">
                      <CodeRef targetGUID="C0DE0000-0000-4000-8000-000000000001"/>
                    </Coding>
                  </PDFSelection>
                  <Representation guid="50C00000-0000-4000-8000-000000000003">
                    <PlainTextContent>\(Self.quote)</PlainTextContent>
                  </Representation>
                </PDFSource>
            """
        let (status, stderr, file) = try eval(Self.zipped(Self.project(source)))
        #expect(status == 1)
        #expect(stderr.contains(file), "\(stderr)")
        #expect(stderr.contains("is by page coordinates (page 2)"))
    }

    @Test func unmatchedSource() throws {
        let text = "A text that no review in the sample corpus holds, about something else entirely."
        let (status, stderr, file) = try eval(
            Self.zipped(Self.project(Self.textSource(text, start: 0, end: 10, name: "interview-07.docx"))))
        #expect(status == 1)
        #expect(stderr.contains(file), "\(stderr)")
        #expect(stderr.contains("source ‘interview-07.docx’ matches no document of the run"))
    }

    @Test func missingSourceText() throws {
        let source = """
                <TextSource guid="50C00000-0000-4000-8000-000000000001" name="x" \
            plainTextPath="internal://50C00000-0000-4000-8000-000000000009.txt"/>
            """
        let (status, stderr, _) = try eval(Self.zipped(Self.project(source)))
        #expect(status == 1)
        #expect(
            stderr.contains("source ‘x’: its text internal://50C00000-0000-4000-8000-000000000009.txt is not in"),
            "\(stderr)")
    }
}
