import Foundation
import SightlineCore
import Testing

@testable import SightlineExtract

/// OpenDocument, RTF and Word 97–2003 files made from one known text
/// (scripts/make-format-fixtures), and the bad inputs of those formats.
@Suite struct OtherFormatsTests {
    static let folder = TestPaths.fixtures.appendingPathComponent("formats")
    static let antiwordInstalled = DOCReader.findOnPath("antiword") != nil

    /// The known text's words: the Markdown source without its heading and list markers.
    static func reference() throws -> String {
        let source = try String(contentsOf: folder.appendingPathComponent("known-text.md"), encoding: .utf8)
        let lines = source.split(separator: "\n").map { line -> Substring in
            var text = line.drop { $0 == "#" }
            if text.hasPrefix("- ") { text = text.dropFirst(2) }
            return text
        }
        return TextNormalizer.normalize(lines.joined(separator: " "))
    }

    func extract(_ url: URL, options: ExtractOptions = ExtractOptions()) -> ExtractionOutcome {
        Extractor(options: options).extract(path: url.path, source: url.lastPathComponent)
    }

    func document(_ url: URL) throws -> (DocumentRecord, [BlockRecord]) {
        switch extract(url) {
        case .document(let record, let blocks): return (record, blocks)
        case .failure(let error): throw error
        }
    }

    static let readable = ["known-text.odt", "known-text-lo.odt", "known-text.rtf", "known-text-lo.rtf"]

    @Test(arguments: readable)
    func recoversTheKnownTextsWords(name: String) throws {
        let (record, blocks) = try document(Self.folder.appendingPathComponent(name))
        let extracted = blocks.filter { $0.kind != .footnote }.map(\.text).joined(separator: " ")
        let score = WordAccuracy.accuracy(reference: try Self.reference(), extracted: extracted)
        #expect(score.accuracy >= 0.98, "\(name): \(score.errors) word errors in \(score.words)")
        print(
            "word recovery \(name): \(String(format: "%.4f", score.accuracy)) "
                + "(\(score.errors) errors in \(score.words) words)"
        )
        #expect(score.words > 350)
        #expect(record.title == "Rapid Review: Child W")
        let headings = blocks.filter { $0.kind == .heading }
        #expect(headings.map(\.level) == [1, 2, 2, 2, 2], "\(name)")
        #expect(headings.last?.text == "4. Recommendations")
        #expect(blocks.filter { $0.kind == .listItem }.count == 3, "\(name)")
        #expect(blocks.last?.headingPath == ["Rapid Review: Child W", "4. Recommendations"])
    }

    @Test(.enabled(if: antiwordInstalled, "antiword is not installed (scripts/setup installs it)"))
    func wordDocumentRecoversTheKnownTextsWords() throws {
        let (record, blocks) = try document(Self.folder.appendingPathComponent("known-text.doc"))
        let extracted = blocks.filter { $0.kind != .footnote }.map(\.text).joined(separator: " ")
        let score = WordAccuracy.accuracy(reference: try Self.reference(), extracted: extracted)
        #expect(score.accuracy >= 0.98, "\(score.errors) word errors in \(score.words)")
        print(
            "word recovery known-text.doc: \(String(format: "%.4f", score.accuracy)) "
                + "(\(score.errors) errors in \(score.words) words)"
        )
        #expect(record.mediaType == .msword)
        #expect(blocks.filter { $0.kind == .heading }.map(\.level) == [1, 2, 2, 2, 2])
        #expect(blocks.filter { $0.kind == .listItem }.count == 3)
        #expect(record.warnings.map(\.code) == ["no_page_numbers"])
    }

    /// A page break typed in Word is a character in the text, which antiword passes on.
    @Test(.enabled(if: antiwordInstalled, "antiword is not installed (scripts/setup installs it)"))
    func wordDocumentsTypedPageBreakNumbersThePages() throws {
        let (record, blocks) = try document(Self.folder.appendingPathComponent("page-break.doc"))
        #expect(record.pageCount == 2)
        #expect(blocks.first { $0.text == "3. Learning" }?.page == 2)
        #expect(blocks.first { $0.text == "2. What happened" }?.page == 1)
        #expect(record.warnings.map(\.code) == ["pages_from_breaks"])
    }

    /// LibreOffice stores where pages break; pandoc's files store none, and say so.
    @Test(arguments: [("known-text-lo.odt", 2), ("known-text-lo.rtf", 2), ("known-text.odt", 1), ("known-text.rtf", 1)])
    func pageNumbersWhereTheFileStoresThem(name: String, pages: Int) throws {
        let (record, blocks) = try document(Self.folder.appendingPathComponent(name))
        #expect(record.pageCount == pages)
        let learning = try #require(blocks.first { $0.text == "3. Learning" })
        #expect(learning.page == pages)
        #expect(record.warnings.map(\.code) == [pages > 1 ? "pages_from_breaks" : "no_page_numbers"])
    }

    // MARK: Bad inputs

    func failure(_ outcome: ExtractionOutcome) -> ErrorRecord? {
        if case .failure(let error) = outcome { return error }
        return nil
    }

    @Test func htmlNamedDocIsReadAsHTML() throws {
        let (record, blocks) = try document(TestPaths.fixtures.appendingPathComponent("formats/html-saved-as.doc"))
        #expect(record.mediaType == .html)
        #expect(blocks.map(\.text).contains("Agencies did not share what they knew about the risks to Child V."))
        let warning = try #require(record.warnings.first { $0.code == "format_differs_from_name" })
        #expect(warning.message.contains("named .doc") && warning.message.contains("HTML"))
    }

    /// Found from the file's own flags, so the record is the same whether or not antiword is installed.
    @Test func encryptedWordDocumentIsReported() throws {
        let error = try #require(failure(extract(TestPaths.fixtures.appendingPathComponent("bad/encrypted.doc"))))
        #expect(error.code == .encrypted)
        #expect(error.message.contains("password"))
        let plain = try [UInt8](Data(contentsOf: Self.folder.appendingPathComponent("known-text.doc")))
        #expect(DOCReader.fibSaysEncrypted(plain) == false)
    }

    @Test func passwordProtectedNewOfficeFileIsReported() throws {
        // A password-protected .docx is an OLE file holding an "EncryptedPackage" stream.
        var bytes: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 1016)
        bytes += Array("EncryptedPackage".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        bytes += [UInt8](repeating: 0, count: 512)
        let url = try temporaryFile("protected.docx", Data(bytes))
        let error = try #require(failure(extract(url)))
        // Named .docx, but not a zip: refused before anything else.
        #expect(error.code == .notADOCX)
        let renamed = try temporaryFile("protected.doc", Data(bytes))
        #expect(failure(extract(renamed))?.code == .encrypted)
    }

    @Test func word2003XMLNamedDocIsRefusedByName() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <?mso-application progid="Word.Document"?>
            <w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml"><w:body><w:p><w:r>
            <w:t>Agencies did not share information.</w:t></w:r></w:p></w:body></w:wordDocument>
            """
        let error = try #require(failure(extract(temporaryFile("word2003.doc", Data(xml.utf8)))))
        #expect(error.code == .unsupportedFormat)
        #expect(error.message.contains("Word 2003 XML"))
    }

    @Test func missingAntiwordIsAClearError() throws {
        var options = ExtractOptions()
        options.antiwordPath = "/nonexistent/antiword"
        let error = try #require(
            failure(extract(Self.folder.appendingPathComponent("known-text.doc"), options: options)))
        #expect(error.code == .toolMissing)
        #expect(error.message.contains("antiword"))
    }

    @Test func damagedOpenDocumentsAreReported() throws {
        for name in ["truncated.odt", "corrupt.odt"] {
            let error = try #require(
                failure(extract(TestPaths.fixtures.appendingPathComponent("bad/\(name)"))), "\(name)")
            #expect(error.code == .damaged, "\(name): \(error.message)")
        }
    }

    @Test func unbalancedBracesAreWarnedAboutAndTheTextKept() throws {
        let (record, blocks) = try document(TestPaths.fixtures.appendingPathComponent("formats/unbalanced.rtf"))
        #expect(
            blocks.map(\.text) == [
                "Findings", "The school’s concerns were not shared.", "Nobody spoke to the child alone.",
                "Café staff noticed the bruise.",
            ])
        let warnings = record.warnings.filter { $0.code == "unbalanced_braces" }
        #expect(warnings.count == 2)
        #expect(
            warnings.contains { $0.message.contains("stray") }
                && warnings.contains { $0.message.contains("still open") })
    }

    @Test func hugeEmbeddedPictureIsSkipped() throws {
        var rtf = Array(#"{\rtf1\ansi{\pard The review begins here.\par}{\pict\pngblip\picw100\pich100 "#.utf8)
        // 16 MiB of picture data in hex, then a binary picture whose bytes include braces and backslashes.
        rtf += Array(String(repeating: "89504e470d0a1a0a", count: 1 << 20).utf8)
        rtf += Array(#"}{\*\shppict{\pict\bin12 {}}\\{{{{{{}}}{\pard The review ends here.\par}}"#.utf8)
        // The document id is given: hashing 16 MiB in a debug build would dominate the test.
        guard case .document(_, let blocks) = Extractor().extract(bytes: rtf, source: "picture.rtf", docID: "test")
        else {
            Issue.record("an RTF with a huge picture should be read")
            return
        }
        #expect(blocks.map(\.text) == ["The review begins here.", "The review ends here."])
    }

    @Test func deeplyNestedRTFIsRefused() throws {
        let rtf = #"{\rtf1 "# + String(repeating: "{", count: 5_000) + "text" + String(repeating: "}", count: 5_001)
        let url = try temporaryFile("deep.rtf", Data(rtf.utf8))
        #expect(failure(extract(url))?.code == .tooDeep)
    }

    @Test func rtfEscapesAndCodePages() throws {
        let rtf = #"""
            {\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Arial;}{\f1\fcharset238 Arial CE;}}
            {\info{\title Child \'c9 review}{\author Someone}}
            {\stylesheet{\s0 Normal;}{\s2\sbasedon0 heading 2;}}
            {\pard\s2 Sp\'e9cial\par}
            \pard Emoji \u-10179?\u-8704? and \uc0\u8220 quotes\u8221 ; {\f1 \'9alapka};\tab
            {\v hidden}shown\line next{\*\unknown junk}\par
            {\footnote footnote text}\bin2 {}\page
            {\header running header\par}Page two\par}
            """#
        let url = try temporaryFile("escapes.rtf", Data(rtf.utf8))
        let (record, blocks) = try document(url)
        #expect(record.title == "Child É review")
        #expect(
            blocks.map(\.text) == [
                "Spécial", "Emoji 😀 and “quotes”; šlapka; shown next", "Page two", "footnote text",
            ])
        #expect(blocks.map(\.kind) == [.heading, .paragraph, .paragraph, .footnote])
        #expect(blocks.map(\.page) == [1, 1, 2, 1])
        #expect(blocks[0].level == 2)
    }

    @Test func truncatedAndMalformedRTFNeverReadsPastTheEnd() throws {
        for tail in [#"\'"#, #"\'4"#, #"\bin99999999"#, #"\u"#, #"\uc5\u8220"#, "\\", #"\par\pagebb"#] {
            let rtf = #"{\rtf1 Some text "# + tail
            let url = try temporaryFile("cut.rtf", Data(rtf.utf8))
            guard case .document(_, let blocks) = extract(url) else {
                Issue.record("\(tail): the text before the cut should be read")
                continue
            }
            #expect(blocks.first?.text.hasPrefix("Some text") == true, "\(tail)")
        }
    }
}

/// `DOCReader`'s handling of what antiword does, with stand-in programs: a
/// hang, its messages, broken output, page breaks.
@Suite struct AntiwordChildTests {
    func stub(_ script: String) throws -> String {
        let url = try temporaryFile("antiword-\(UUID().uuidString).sh", Data(("#!/bin/sh\n" + script + "\n").utf8))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url.path
    }

    func outcome(_ script: String, seconds: Double = 60) throws -> ExtractionOutcome {
        var options = ExtractOptions()
        options.antiwordPath = try stub(script)
        options.externalToolSeconds = seconds
        let doc = OtherFormatsTests.folder.appendingPathComponent("known-text.doc")
        // Tests run in parallel: a process another test starts while this stub is still open for writing keeps
        // it open for a moment, and running the stub then fails with ETXTBSY ("Text file busy"). A real antiword
        // is never being written, so only the test waits and tries again.
        for _ in 0..<20 {
            let outcome = Extractor(options: options).extract(path: doc.path, source: "x.doc")
            guard case .failure(let error) = outcome, error.code == .toolMissing,
                error.message.contains("Text file busy")
            else { return outcome }
            usleep(50_000)
        }
        return Extractor(options: options).extract(path: doc.path, source: "x.doc")
    }

    func error(_ outcome: ExtractionOutcome) -> ErrorRecord? {
        if case .failure(let error) = outcome { return error }
        return nil
    }

    @Test func aHangingAntiwordIsStopped() throws {
        let failure = try #require(error(outcome("exec sleep 60", seconds: 1)))
        #expect(failure.code == .timeout)
        #expect(failure.message.contains("antiword took longer than 1 s"))
    }

    @Test func antiwordsMessagesBecomeErrorRecords() throws {
        let encrypted = try #require(error(outcome("echo 'Encrypted documents are not supported' >&2; exit 1")))
        #expect(encrypted.code == .encrypted)
        let damaged = try #require(error(outcome("echo \"$3 is not a Word Document.\" >&2; exit 1")))
        #expect(damaged.code == .damaged)
        #expect(damaged.message.contains("is not a Word Document"))
        let silent = try #require(error(outcome("exit 3")))
        #expect(silent.code == .damaged && silent.message.contains("exit status 3"))
        let broken = try #require(error(outcome("echo '<book><chapter><title>T</title><para>P</para>'")))
        #expect(broken.code == .damaged)
    }

    @Test func formFeedsAreTypedPageBreaks() throws {
        let script =
            "[ \"$1\" = -x ] && printf '<book><chapter><title>One</title><para>first</para>"
            + "\\014<para>se\\001cond</para></chapter></book>'"
        guard case .document(let record, let blocks) = try outcome(script) else {
            Issue.record("the stand-in's DocBook should be read")
            return
        }
        #expect(blocks.map(\.text) == ["One", "first", "second"])
        #expect(blocks.map(\.page) == [1, 1, 2])
        #expect(record.pageCount == 2)
        #expect(record.warnings.map(\.code) == ["pages_from_breaks"])
    }
}
