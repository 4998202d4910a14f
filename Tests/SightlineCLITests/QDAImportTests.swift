import Foundation
import SightlineCore
import SightlineExtract
import Testing

/// Projects written by other programs, in the shapes ATLAS.ti 23 and MAXQDA 24
/// write (upper-case GUIDs, `origin` naming the program, Users then CodeBook
/// then Sources, nested codes with isCodable and a Description), with texts
/// the program extracted itself; and bad projects.
@Suite struct QDAImportTests {
    /// A program's own text of a document: blocks on CRLF lines, a running header now and then,
    /// straight apostrophes. Returns the text and where each passage went.
    static func programText(
        _ passages: [PassageRecord], header: String
    ) -> (text: String, ranges: [String: Range<Int>]) {
        var text = ""
        var position = 0
        var ranges: [String: Range<Int>] = [:]
        func add(_ piece: String) {
            text += piece
            position += piece.unicodeScalars.count
        }
        for (i, passage) in passages.enumerated() {
            if i > 0 { add(passages[i - 1].blockIndex == passage.blockIndex ? " " : "\r\n") }
            if i > 0 && i % 20 == 0 { add("\(header) page \(i / 20 + 1)\r\n") }
            let start = position
            add(passage.text.replacingOccurrences(of: "’", with: "'"))
            ranges[passage.passageID] = start..<position
        }
        return (text, ranges)
    }

    struct Fixture {
        var run: URL
        var project: URL
        var codeMap: URL
        var ids: [String: String] // short name → passage id
    }

    /// An ATLAS.ti-shaped project on two sample documents.
    func fixture() throws -> Fixture {
        let run = try EvalCommandTests().freshRun()
        let documents = try RunFolder.documents(in: run.path)
        let passages = try RunFolder.passages(in: run.path, of: nil)
        let fenwick = documents.first { $0.source.hasSuffix("lcspr-fenwick-child-a.txt") }!
        let harbour = documents.first { $0.source.hasSuffix("lcspr-wexley-child-k.pdf") }!
        let fenwickPassages = passages[fenwick.docID]!
        let harbourPassages = passages[harbour.docID]!
        let (fenwickText, fenwickAt) = Self.programText(fenwickPassages, header: "Fenwick LCSPR: Child A")
        let (harbourText, harbourAt) = Self.programText(harbourPassages, header: "Wexley")
        let prefix = String(fenwick.docID.prefix(16))
        var ids = [
            "police": "\(prefix)/38.0", "summer": "\(prefix)/41.0", "december": "\(prefix)/42.0",
            "together": "\(prefix)/35.0",
        ]
        let abuse = harbourPassages.first { $0.text.contains("domestic abuse") && $0.wordCount > 15 }!
        ids["harbour"] = abuse.passageID
        let police = fenwickAt[ids["police"]!]!
        let summer = fenwickAt[ids["summer"]!]!
        let december = fenwickAt[ids["december"]!]!
        let together = fenwickAt[ids["together"]!]!
        let harbourRange = harbourAt[abuse.passageID]!
        let xml = """
            <?xml version="1.0" encoding="utf-8" standalone="yes"?>
            <Project xmlns="urn:QDA-XML:project:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
            name="Safeguarding reviews" origin="ATLAS.ti 23.2.1" \
            creatingUserGUID="A1B2C3D4-0000-4000-8000-000000000001">
              <Users>
                <User guid="A1B2C3D4-0000-4000-8000-000000000001" name="Coder A"/>
                <User guid="A1B2C3D4-0000-4000-8000-000000000002" name="Coder B"/>
              </Users>
              <CodeBook>
                <Codes>
                  <Code guid="C0DE0000-0000-4000-8000-000000000001" name="Practice themes" isCodable="true">
                    <Description>Panel themes, coded by hand</Description>
                    <Code guid="C0DE0000-0000-4000-8000-000000000002" name="Extrafamilial harm" isCodable="true">
                      <Description>Harm outside the family</Description>
                      <Code guid="C0DE0000-0000-4000-8000-000000000003" name="Criminal exploitation and county lines" \
            isCodable="true">
                        <Description>Exploitation into crime</Description>
                      </Code>
                    </Code>
                  </Code>
                  <Code guid="C0DE0000-0000-4000-8000-000000000004" name="Case characteristics" isCodable="true">
                    <Code guid="C0DE0000-0000-4000-8000-000000000005" name="Domestic Abuse" isCodable="true">
                      <Description>Abuse between partners</Description>
                    </Code>
                    <Code guid="C0DE0000-0000-4000-8000-000000000006" name="Drinking" isCodable="true"/>
                  </Code>
                </Codes>
              </CodeBook>
              <Sources>
                <TextSource guid="50C00000-0000-4000-8000-000000000001" name="lcspr-fenwick-child-a" \
            plainTextPath="internal://50C00000-0000-4000-8000-000000000001.txt" \
            creatingUser="A1B2C3D4-0000-4000-8000-000000000001" creationDateTime="2025-03-01T10:00:00Z">
                  <PlainTextSelection guid="5E100000-0000-4000-8000-000000000001" name="Police attended" \
            startPosition="\(police.lowerBound)" endPosition="\(police.upperBound)" \
            creatingUser="A1B2C3D4-0000-4000-8000-000000000001">
                    <Coding guid="C0D10000-0000-4000-8000-000000000001" \
            creatingUser="A1B2C3D4-0000-4000-8000-000000000001">
                      <CodeRef targetGUID="C0DE0000-0000-4000-8000-000000000005"/>
                    </Coding>
                    <Coding guid="C0D10000-0000-4000-8000-000000000002" \
            creatingUser="A1B2C3D4-0000-4000-8000-000000000002">
                      <CodeRef targetGUID="C0DE0000-0000-4000-8000-000000000005"/>
                    </Coding>
                  </PlainTextSelection>
                  <PlainTextSelection guid="5E100000-0000-4000-8000-000000000002" name="Summer to December" \
            startPosition="\(summer.lowerBound + 10)" endPosition="\(december.lowerBound + 30)">
                    <Coding guid="C0D10000-0000-4000-8000-000000000003" \
            creatingUser="A1B2C3D4-0000-4000-8000-000000000002">
                      <CodeRef targetGUID="C0DE0000-0000-4000-8000-000000000006"/>
                    </Coding>
                  </PlainTextSelection>
                  <PlainTextSelection guid="5E100000-0000-4000-8000-000000000003" \
            startPosition="\(together.lowerBound + 5)" endPosition="\(together.lowerBound + 60)">
                    <Coding guid="C0D10000-0000-4000-8000-000000000004" \
            creatingUser="A1B2C3D4-0000-4000-8000-000000000001">
                      <CodeRef targetGUID="{c0de0000-0000-4000-8000-000000000003}"/>
                    </Coding>
                  </PlainTextSelection>
                </TextSource>
                <PDFSource guid="50C00000-0000-4000-8000-000000000002" name="Wexley review (PDF)" \
            path="internal://50C00000-0000-4000-8000-000000000003.pdf">
                  <Representation guid="50C00000-0000-4000-8000-000000000004" \
            plainTextPath="internal://50C00000-0000-4000-8000-000000000004.txt">
                    <PlainTextSelection guid="5E100000-0000-4000-8000-000000000004" \
            startPosition="\(harbourRange.lowerBound)" endPosition="\(harbourRange.upperBound)">
                      <Coding guid="C0D10000-0000-4000-8000-000000000005" \
            creatingUser="A1B2C3D4-0000-4000-8000-000000000002">
                        <CodeRef targetGUID="C0DE0000-0000-4000-8000-000000000005"/>
                      </Coding>
                    </PlainTextSelection>
                  </Representation>
                </PDFSource>
              </Sources>
            </Project>
            """
        let project = run.appendingPathComponent("atlas.qdpx")
        var zip = ZipWriter.deflating()
        try zip.add(name: "project.qde", bytes: Array(xml.utf8))
        try zip.add(name: "sources/50C00000-0000-4000-8000-000000000001.txt", bytes: Array(fenwickText.utf8))
        try zip.add(name: "sources/50C00000-0000-4000-8000-000000000003.pdf", bytes: Array("%PDF-1.4 not read".utf8))
        try zip.add(name: "sources/50C00000-0000-4000-8000-000000000004.txt", bytes: Array(harbourText.utf8))
        try Data(zip.finish()).write(to: project)
        let codeMap = run.appendingPathComponent("codes.csv")
        try Data("code,theme\nCase characteristics/Drinking,parental-alcohol-misuse\n".utf8).write(to: codeMap)
        return Fixture(run: run, project: project, codeMap: codeMap, ids: ids)
    }

    @Test func readsAnotherProgramsProject() throws {
        let fixture = try fixture()
        let run = fixture.run.path
        let (project, problems) = try QDAProjectReader().read(path: fixture.project.path)
        #expect(problems.isEmpty, "\(problems)")
        #expect(project.origin == "ATLAS.ti 23.2.1")
        #expect(project.flattenedCodes.count == 6)
        #expect(project.sources.map(\.kind) == [.text, .pdf])

        let documents = try RunFolder.documents(in: run)
        let taxonomies = try RunFolder.codings(in: run, of: []).taxonomies
        var matcher = QDASourceMatcher(documents: documents, passages: try RunFolder.passages(in: run, of: nil))
        let importer = QDAImport(
            project: project, file: fixture.project.path, catalog: ThemeCatalog(taxonomies: taxonomies),
            codeMap: try QDACodeMap.load(path: fixture.codeMap.path))
        let (codes, matched) = importer.humanCodes(matcher: &matcher)
        #expect(codes.problems.isEmpty, "\(codes.problems)")
        #expect(matched.contains { $0.hasSuffix("lcspr-fenwick-child-a.txt (name)") })
        #expect(matched.contains { $0.hasPrefix("Wexley review (PDF)") && $0.hasSuffix("(content)") })
        #expect(codes.coders == ["Coder A", "Coder B"])
        let abuse = ThemeKey(taxonomy: "case-characteristics", theme: "domestic-abuse")
        let alcohol = ThemeKey(taxonomy: "case-characteristics", theme: "parental-alcohol-misuse")
        let exploitation = ThemeKey(
            taxonomy: "panel-themes", theme: "extrafamilial-harm", subtheme: "criminal-exploitation")
        let ids = fixture.ids
        #expect(
            codes.labels["Coder A"] == [
                ids["police"]!: [abuse], ids["together"]!: [exploitation, exploitation.themeKey],
            ])
        #expect(
            codes.labels["Coder B"] == [
                ids["police"]!: [abuse], ids["summer"]!: [alcohol], ids["december"]!: [alcohol],
                ids["harbour"]!: [abuse],
            ])
        #expect(codes.documents.count == 2)
    }

    @Test func evalReadsTheProjectWithTwoCoders() throws {
        let fixture = try fixture()
        let result = try CommandRunner.run(
            [
                "eval", "--in", fixture.run.path, "--codes", fixture.project.path, "--code-map", fixture.codeMap.path,
                "--replicates", "0", "--quiet",
            ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: fixture.run.appendingPathComponent("eval/coders.csv").path))
        // Without the code map, the code named Drinking is reported, with what to do.
        let unmapped = try CommandRunner.run(
            ["eval", "--in", fixture.run.path, "--codes", fixture.project.path, "--replicates", "0", "--quiet"])
        #expect(unmapped.status == 1)
        #expect(unmapped.stderr.contains("atlas.qdpx"))
        #expect(unmapped.stderr.contains("code ‘Case characteristics/Drinking’ is not a theme"))
        #expect(unmapped.stderr.contains("--code-map"))
    }
}
