import Foundation
import Testing

@testable import SightlineCore

/// A tiny corpus where the right answer is obvious, counted by hand.
@Suite struct AggregatorTests {
    static let taxonomy = TaxonomyRecord(try! TaxonomyLoaderFixture.taxonomy())

    func coding(
        _ doc: String, _ passage: String, _ theme: String, _ sub: String? = nil, negated: Bool = false,
        hypothetical: Bool = false, boilerplate: Bool = false, page: Int = 1
    ) -> CodingRecord {
        CodingRecord(
            passageID: passage, docID: doc, page: page, pageLabel: nil, taxonomy: "frame", theme: theme, subtheme: sub,
            rules: ["r"],
            matches: [
                MatchSpan(rule: "r", start: 0, end: 4, text: "word", negated: negated, hypothetical: hypothetical)
            ],
            negated: negated, hypothetical: hypothetical, boilerplate: boilerplate)
    }

    let documents = ["a", "b", "c", "d"].map { DocumentInfo(docID: $0, source: "\($0).pdf", title: nil) }

    /// Quotes are cut at the words a split by character gives, whatever the
    /// text holds: the byte-wise cut agrees with it, and falls back to it for
    /// texts where a space joins a neighbour into one character.
    @Test func excerptsCutWhereASplitByCharacterDoes() {
        // Pieces the byte-wise cut reads, and pieces that send it back to the split by character.
        let plain = ["child", "Mother’s", "café", " ", "  ", "—", "“quoted”", "\r\n", "\u{A0}", "•", "x"]
        let joining = ["e\u{301}", "\u{301}", "\u{200D}", "\u{600}", "€", "\u{2028}", "a\u{2060}", "🇬🇧"]
        var state: UInt64 = 2026
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var bytewise = 0
        let rounds = 300
        for round in 0..<rounds {
            // Even rounds: plain pieces only; odd rounds: one of the joining pieces too, in turn.
            let pieces = round % 2 == 0 ? plain : plain + [joining[round / 2 % joining.count]]
            var text = ""
            for _ in 0..<(40 + next(100)) {
                text += next(3) == 0 ? pieces[next(pieces.count)] : ["the", "review", "found", "Mother’s"][next(4)]
                if next(8) != 0 { text += " " }
            }
            let offset = next(text.unicodeScalars.count + 10)
            #expect(
                ExemplarPicker.excerpt(text, around: offset)
                    == ExemplarPicker.excerptByCharacters(text, around: offset), "round \(round)")
            // When the bytes are split, the words are the split by character's.
            var copy = text
            let words = copy.withUTF8 { bytes in
                TextNormalizer.spaceSeparatedRuns(bytes)?.map {
                    (
                        String(decoding: UnsafeBufferPointer(rebasing: bytes[$0.start..<$0.end]), as: UTF8.self),
                        $0.scalars
                    )
                }
            }
            if let words {
                bytewise += 1
                let byCharacter = text.split(separator: " ").map { (String($0), $0.unicodeScalars.count) }
                #expect(
                    words.map(\.0) == byCharacter.map(\.0) && words.map(\.1) == byCharacter.map(\.1), "round \(round)")
            }
        }
        // Both ways were taken.
        #expect(bytewise >= rounds / 2 && bytewise < rounds * 3 / 4)
    }

    @Test func countsDocumentsNotMentions() {
        let codings = [
            coding("a", "a/1", "abuse", "physical"), coding("a", "a/2", "abuse", "physical"), // a: 2 passages
            coding("b", "b/1", "abuse", "emotional"), // b: 1 passage
            coding("c", "c/1", "abuse", negated: true), // c: only negated
            coding("d", "d/1", "abuse", boilerplate: true), coding("d", "d/2", "voice"), // d: boilerplate abuse; voice
        ]
        // Any counted passage makes a document feature the theme here; the rule itself is tested below.
        let anyMention = Aggregator(override: .init(minPassages: 1, minShare: 0, minPages: 1))
        let result = anyMention.aggregate(
            documents: documents, taxonomies: [Self.taxonomy], passages: [], codings: codings)
        let abuse = result.rows.first { $0.theme == "abuse" && $0.subtheme == nil }!
        #expect(abuse.documents == 2)
        #expect(abuse.documentsMentioning == 2)
        #expect(abuse.totalDocuments == 4)
        #expect(abuse.codedPassages == 3)
        #expect(abuse.onlyNegated == 1)
        #expect(abuse.onlyBoilerplate == 1)
        #expect(abuse.percent == 50)
        #expect(result.rows.first { $0.subtheme == "physical" }?.documents == 1)
        #expect(result.rows.first { $0.subtheme == "emotional" }?.documents == 1)
        #expect(result.rows.first { $0.theme == "voice" }?.documents == 1)
        #expect(result.matrix == [[2, 0], [1, 0], [0, 0], [0, 1]])
        #expect(result.cooccurrence == [[2, 0], [0, 1]])
        // --min-passages 2: only a counts.
        let strict = Aggregator(override: .init(minPassages: 2, minShare: 0, minPages: 1))
            .aggregate(documents: documents, taxonomies: [Self.taxonomy], passages: [], codings: codings)
        #expect(strict.rows.first { $0.theme == "abuse" && $0.subtheme == nil }?.documents == 1)
        #expect(strict.rows.first { $0.theme == "abuse" && $0.subtheme == nil }?.documentsMentioning == 2)
    }

    func passages(_ doc: String, _ count: Int, boilerplate: Int = 0) -> [PassageRecord] {
        (0..<(count + boilerplate)).map { i in
            PassageRecord(
                passageID: "\(doc)/\(i)", docID: doc, blockIndex: i, part: 0, page: 1, pageEnd: 1, pageLabel: nil,
                kind: .paragraph, headingPath: [], text: "text", wordCount: 1, boilerplate: i >= count)
        }
    }

    /// Features against mentions: the share of substantive passages, the
    /// passage floor and the page floor each decide a case of their own.
    @Test func documentCallsWeighTheEvidence() {
        let rule = DocumentCallRule(minPassages: 2, minShare: 0.1, minPages: 2)
        var frame = Self.taxonomy
        frame.documentCall = rule
        let codings = [
            // a: 3 of 20 passages (15%) on 2 pages: features.
            coding("a", "a/1", "abuse", page: 1), coding("a", "a/2", "abuse", page: 1),
            coding("a", "a/3", "abuse", page: 2),
            // b: 3 of 40 (7.5%): under the share.
            coding("b", "b/1", "abuse", page: 1), coding("b", "b/2", "abuse", page: 2),
            coding("b", "b/3", "abuse", page: 3),
            // c: 1 of 5 (20%): too few passages.
            coding("c", "c/1", "abuse", page: 1),
            // d: 2 of 10 (20%), but both on page 4; its 30 boilerplate passages are not in the share.
            coding("d", "d/1", "abuse", page: 4), coding("d", "d/2", "abuse", page: 4),
        ]
        let passages = passages("a", 20) + passages("b", 40) + passages("c", 5) + passages("d", 10, boilerplate: 30)
        let result = Aggregator().aggregate(
            documents: documents, taxonomies: [frame], passages: passages, codings: codings)
        let row = result.rows.firstIndex { $0.theme == "abuse" && $0.subtheme == nil }!
        #expect(result.rows[row].documents == 1)
        #expect(result.rows[row].documentsMentioning == 4)
        #expect(result.countedDocuments[row] == [0])
        let calls = result.calls.map { $0[row] }
        #expect(calls.map(\.features) == [true, false, false, false])
        #expect(
            calls.map(\.evidence) == [
                .init(passages: 20, coded: 3, pages: 2), .init(passages: 40, coded: 3, pages: 3),
                .init(passages: 5, coded: 1, pages: 1), .init(passages: 10, coded: 2, pages: 1),
            ])
        #expect(calls[0].reason == "3 of 20 passages (15.0%) on 2 pages")
        #expect(calls[1].reason.hasSuffix("under 10.0% of passages"))
        #expect(calls[2].reason.hasSuffix("fewer than 2 passages, fewer than 2 pages"))
        #expect(calls[3].reason.hasSuffix("fewer than 2 pages"))
        // The command line's override replaces only what it names.
        let looser = Aggregator(override: .init(minShare: 0.05))
            .aggregate(documents: documents, taxonomies: [frame], passages: passages, codings: codings)
        #expect(looser.calls.map { $0[row].features } == [true, true, false, false])
        #expect(looser.rules == [DocumentCallRule(minPassages: 2, minShare: 0.05, minPages: 2)])
        // The table a reader checks: one row per document and theme row, with the reason.
        let model = EvidenceModel(
            documents: documents, failures: [], taxonomies: [frame], result: result,
            quotes: result.rows.map { _ in [] },
            manifestColumns: [], toolVersion: "t", date: "2026-01-01")
        let table = model.documentThemesCSV
        #expect(table.contains("a,a.pdf,a.pdf,frame,abuse,,20,3,0.1500,2,yes,3 of 20 passages (15.0%) on 2 pages"))
        #expect(table.split(separator: "\r\n").count == 1 + documents.count * result.rows.count)
        #expect(model.themesCSV.contains(",1,4,25.0,"))
        #expect(model.evidenceMarkdown.contains("Features in 1 of 4 reviews"))
        #expect(model.evidenceMarkdown.contains("mentioned in 4 (100.0%"))
    }

    /// A theme with a stricter rule of its own: the same evidence that features the other theme under the
    /// frame's rule leaves it mentioned only, and the reason says whose rule called it.
    @Test func aThemesOwnRuleCallsItsRows() {
        var frame = Self.taxonomy
        frame.documentCall = .standard
        let strict = DocumentCallRule(minPassages: 3, minShare: 0.1, minPages: 1)
        frame.themes[0].documentCall = strict // abuse (and its sub-themes); voice keeps the frame's rule
        // a: 2 of 40 passages (5%) on 2 pages for each theme: the standard rule features it, the strict one not.
        // b: 6 of 40 (15%) for abuse: features by either rule.
        let codings =
            [
                coding("a", "a/1", "abuse", "physical", page: 1), coding("a", "a/1", "voice", page: 1),
                coding("a", "a/2", "abuse", "physical", page: 2), coding("a", "a/2", "voice", page: 2),
            ] + (1...6).map { coding("b", "b/\($0)", "abuse", page: $0) }
        let passages = passages("a", 40) + passages("b", 40)
        let two = Array(documents.prefix(2))
        let result = Aggregator().aggregate(documents: two, taxonomies: [frame], passages: passages, codings: codings)
        let abuse = result.rows.firstIndex { $0.theme == "abuse" && $0.subtheme == nil }!
        let physical = result.rows.firstIndex { $0.subtheme == "physical" }!
        let voice = result.rows.firstIndex { $0.theme == "voice" }!
        #expect(DocumentCallRule.standard.call(result.calls[0][abuse].evidence).features)
        #expect(result.calls[0][abuse].features == false)
        #expect(result.calls[0][physical].features == false)
        #expect(result.calls[0][voice].features == true)
        #expect(result.calls[1][abuse].features == true)
        #expect(result.rows[abuse].documents == 1 && result.rows[abuse].documentsMentioning == 2)
        #expect(
            result.calls[0][abuse].reason
                == "mentioned only: 2 of 40 passages (5.0%) on 2 pages; fewer than 3 passages, "
                + "under 10.0% of passages; theme's own rule: 3 passages, 10.0%, 1 page")
        #expect(result.calls[1][abuse].reason.hasSuffix("on 6 pages; theme's own rule: 3 passages, 10.0%, 1 page"))
        #expect(result.calls[0][voice].reason == "2 of 40 passages (5.0%) on 2 pages")
        #expect(result.themeRules == [[Aggregator.ThemeCallRule(theme: "abuse", name: "Abuse", rule: strict)]])
        #expect(result.ruleSummary(0).contains("(Abuse: at least 3 passages of counted evidence, at least 10.0%"))
        // The command line overrides every theme's rule alike: a share given there replaces the theme's too.
        let overridden = Aggregator(override: .init(minPassages: 1, minShare: 0))
            .aggregate(documents: two, taxonomies: [frame], passages: passages, codings: codings)
        #expect(overridden.calls[0][abuse].features == true)
        #expect(overridden.themeRules == [[]])
        #expect(!overridden.calls[0][abuse].reason.contains("own rule"))
    }

    /// Pages show how widely evidence runs only where a document has printed pages: a web page or Word
    /// document has no page floor, and a PDF is asked for no more pages than it has.
    @Test func thePageFloorNeedsPrintedPages() throws {
        let rule = DocumentCallRule(minPassages: 3, minShare: 0.01, minPages: 2)
        let onOnePage = { (pages: Int?) in
            rule.call(DocumentCallRule.Evidence(passages: 90, coded: 10, pages: 1, documentPages: pages))
        }
        #expect(onOnePage(12).features == false)
        #expect(onOnePage(0).features == false) // page count not known: the floor stands
        #expect(onOnePage(nil) == (true, "10 of 90 passages (11.1%) on 1 page; no page floor (no printed pages)"))
        #expect(onOnePage(1) == (true, "10 of 90 passages (11.1%) on 1 page; the document has only 1 page"))
        // The format comes from the document record; a PDF has printed pages, an HTML page not.
        func document(_ id: String, _ mediaType: MediaType, pages: Int) -> DocumentInfo {
            DocumentInfo(
                DocumentRecord(
                    docID: id, source: id, mediaType: mediaType, pageCount: pages, title: nil,
                    extractor: ExtractorInfo(name: "x", version: "1", libraries: [:]), blockCount: 1, wordCount: 1,
                    pagesWithoutText: [], warnings: []))
        }
        let html = document("h", .html, pages: 1)
        #expect(html.mediaType == "text/html" && !html.hasPrintedPages)
        let pdf = document("p", .pdf, pages: 12)
        #expect(pdf.hasPrintedPages)
        #expect(DocumentInfo(docID: "u", source: "u", title: nil).hasPrintedPages)
        // Through the aggregator: the same evidence features in the web page and not in the PDF.
        var frame = Self.taxonomy
        frame.documentCall = rule
        let codings = (1...10).flatMap { i in [coding("h", "h/\(i)", "voice"), coding("p", "p/\(i)", "voice")] }
        let result = Aggregator().aggregate(
            documents: [html, pdf], taxonomies: [frame], passages: passages("h", 90) + passages("p", 90),
            codings: codings)
        let voice = try #require(result.rows.firstIndex { $0.theme == "voice" })
        #expect(result.calls.map { $0[voice].features } == [true, false])
    }

    @Test func sharesAreReadAsPeopleWriteThem() {
        #expect(DocumentCallRule.parseShare("0.05") == 0.05)
        #expect(DocumentCallRule.parseShare("5%") == 0.05)
        #expect(DocumentCallRule.parseShare(" 12.5 % ") == 0.125)
        #expect(DocumentCallRule.parseShare("5") == nil)
        #expect(DocumentCallRule.parseShare("-0.1") == nil)
        #expect(DocumentCallRule.parseShare("five") == nil)
        #expect(DocumentCallRule.parseShare("nan") == nil)
    }

    @Test func noDocumentsNoDivisionByZero() {
        let result = Aggregator().aggregate(documents: [], taxonomies: [Self.taxonomy], passages: [], codings: [])
        #expect(result.rows.allSatisfy { $0.documents == 0 && $0.percent == nil && $0.interval == nil })
        let model = EvidenceModel(
            documents: [], failures: [], taxonomies: [Self.taxonomy], result: result,
            quotes: result.rows.map { _ in [] },
            manifestColumns: [], toolVersion: "t", date: "2026-01-01")
        #expect(model.themesCSV.contains("abuse,,Abuse,0,0,,,,0"))
        #expect(model.evidenceMarkdown.contains("No counted evidence"))
        #expect(model.appendixHTML.contains("</html>"))
    }

    @Test func wilsonIntervalsMatchPublishedValues() {
        // 78 of 330 (a Panel-style figure): p = 23.6%, Wilson 95% 19.4%–28.5%.
        let ci = Wilson.interval(78, of: 330)!
        #expect(abs(ci.low - 0.1938) < 0.0005 && abs(ci.high - 0.2847) < 0.0005)
        let zero = Wilson.interval(0, of: 10)!
        #expect(zero.low == 0 && abs(zero.high - 0.2775) < 0.0005)
        #expect(Wilson.interval(0, of: 0) == nil)
    }

    @Test func csvQuotingAndParsing() throws {
        let text = CSV.document(
            header: ["file", "note"], rows: [["a.pdf", "plain"], ["b, c.pdf", "say \"hi\"\nthere"]])
        #expect(text.hasPrefix("\u{FEFF}file,note\r\n"))
        #expect(text.contains("\"b, c.pdf\",\"say \"\"hi\"\"\nthere\"\r\n"))
        let rows = try CSV.parse(text)
        #expect(rows.map(\.fields) == [["file", "note"], ["a.pdf", "plain"], ["b, c.pdf", "say \"hi\"\nthere"]])
        #expect(throws: CSVError.self) { try CSV.parse("a,\"open\n") }
    }

    /// Found by the manifest fuzz harness: a value holding CRLF was written unquoted and read back as two rows.
    /// CSV fields are quoted by byte; a scan by Unicode scalar, as the table writer once did, must agree.
    @Test func fieldsAreQuotedAsAScanByScalarQuotesThem() {
        func byScalar(_ value: String) -> String {
            guard value.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
                return value
            }
            var quoted = String.UnicodeScalarView()
            quoted.append("\"")
            for scalar in value.unicodeScalars {
                if scalar == "\"" { quoted.append("\"") }
                quoted.append(scalar)
            }
            quoted.append("\"")
            return String(quoted)
        }
        let pieces = ["a", ",", "\"", "\"\u{301}", "\r\n", "\n", "\r", "é", "👶", " ", "€", "\u{2028}", "\t"]
        var state: UInt64 = 7
        for _ in 0..<500 {
            var value = ""
            for _ in 0..<Int(state % 6) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                value += pieces[Int((state >> 33) % UInt64(pieces.count))]
            }
            state = state &* 6_364_136_223_846_793_005 &+ 1
            #expect(CSV.field(value) == byScalar(value), "\(value.debugDescription)")
            var row: [UInt8] = []
            CSV.append(row: [value, "x"], to: &row)
            #expect(String(decoding: row, as: UTF8.self) == byScalar(value) + ",x\r\n")
        }
    }

    @Test func csvQuotesAValueWithAWindowsLineBreak() throws {
        #expect(CSV.field("two\r\nlines") == "\"two\r\nlines\"")
        let text = CSV.document(header: ["file", "title"], rows: [["b.html", "Two\r\nlines"]])
        #expect(try CSV.parse(text).map(\.fields) == [["file", "title"], ["b.html", "Two\r\nlines"]])
    }

    /// Found by fuzzing: a quote followed by a combining mark is one Character, so the parser did not see the quote.
    @Test func csvSeesAQuoteBeforeACombiningMark() throws {
        let rows = try CSV.parse("file,title\r\na.pdf,\"\u{301}x, y\"\r\n")
        #expect(rows.map(\.fields) == [["file", "title"], ["a.pdf", "\u{301}x, y"]])
        let written = CSV.document(header: ["file", "title"], rows: [["a.pdf", "\"\u{301}x\""]])
        #expect(try CSV.parse(written).map(\.fields) == [["file", "title"], ["a.pdf", "\"\u{301}x\""]])
        #expect(try CSV.parse("\u{FEFF}\u{301}file\r\n").map(\.fields) == [["\u{301}file"]])
    }

    @Test func manifestProblemsAreNamed() throws {
        func write(_ text: String, _ encoding: String.Encoding = .utf8) throws -> String {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent(
                "manifest-\(UUID().uuidString).csv"
            ).path
            try text.data(using: encoding)!.write(to: URL(fileURLWithPath: path))
            return path
        }
        let duplicate = try write("file,year\na.pdf,2020\nb.pdf,2021\na.pdf,2022\n")
        #expect { try Manifest.load(path: duplicate) } throws: { ($0 as? Manifest.Problem)?.line == 4 }
        let noKey = try write("name,year\na.pdf,2020\n")
        #expect { try Manifest.load(path: noKey) } throws: {
            ($0 as? Manifest.Problem)?.problem.contains("file") == true
        }
        let ragged = try write("file,year\na.pdf\n")
        #expect { try Manifest.load(path: ragged) } throws: { ($0 as? Manifest.Problem)?.line == 2 }
        // Found by the manifest fuzz harness: a repeated column name trapped in Dictionary(uniqueKeysWithValues:).
        let twice = try write("file,year,title,year\na.pdf,2020,A,2021\n")
        #expect { try Manifest.load(path: twice) } throws: {
            let problem = $0 as? Manifest.Problem
            return problem?.line == 1 && problem?.problem.contains("‘year’ twice") == true
        }
        let latin = try write("file,partnership\na.pdf,Caf\u{E9}\n", .isoLatin1)
        #expect { try Manifest.load(path: latin) } throws: {
            ($0 as? Manifest.Problem)?.problem.contains("UTF-8") == true
        }
        var manifest = try Manifest.load(path: try write("file,year\na.pdf,2020\nz.pdf,2019\n"))
        var docs = documents
        manifest.attach(to: &docs)
        #expect(docs[0].metadata == ["year": "2020"])
        #expect(manifest.warnings.contains("no manifest row for b.pdf"))
        #expect(manifest.warnings.contains("manifest row ‘z.pdf’ matches no document"))
    }
}

/// A two-theme frame for the aggregate tests.
enum TaxonomyLoaderFixture {
    static func taxonomy() throws -> Taxonomy {
        let yaml = """
            sightline_taxonomy: 1
            id: frame
            name: Frame
            version: 1.0.0
            cues: none
            themes:
              - id: abuse
                name: Abuse
                description: Harm to the child.
                subthemes:
                  - id: physical
                    name: Physical
                    rules: [{id: p, phrases: [bruise]}]
                  - id: emotional
                    name: Emotional
                    rules: [{id: e, phrases: [shouting]}]
              - id: voice
                name: Voice
                description: The child's voice.
                rules: [{id: v, phrases: [voice]}]
            """
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("frame-\(UUID().uuidString).yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return try TaxonomyLoader().load(path: path)
    }
}

@Suite struct HTMLEscapeTests {
    @Test func escapesTheFourCharactersAndNothingElse() {
        #expect(EvidenceModel.html(#"Tom & "Jerry" <b>é</b>"#) == "Tom &amp; &quot;Jerry&quot; &lt;b&gt;é&lt;/b&gt;")
        #expect(EvidenceModel.html("“curly” – café, no markup") == "“curly” – café, no markup")
        #expect(EvidenceModel.html("") == "")
        // An ampersand that a combining mark follows is still escaped.
        #expect(EvidenceModel.html("&\u{301}") == "&amp;\u{301}")
    }
}

/// The OCR facts the appendix's methods note reports, read from a document record.
@Suite struct DocumentOCRFactsTests {
    @Test func readsOCRPagesAndLowConfidencePages() throws {
        let line = """
            {"block_count":1,"doc_id":"d","extractor":{"libraries":{},"name":"poppler-glib","version":"1"},\
            "media_type":"application/pdf","ocr_pages":[1,2,5],"page_count":5,"pages_without_text":[1,2,5],\
            "schema":"sightline.document.v1","source":"scan.pdf","type":"document","warnings":[\
            {"code":"needs_ocr","message":"x","pages":[9]},{"code":"ocr_low_confidence","message":"y","pages":[2,5]}],\
            "word_count":3}
            """
        guard case .document(let record) = try DocumentsLine(line: Data(line.utf8)) else {
            Issue.record("not read as a document")
            return
        }
        let document = DocumentInfo(record)
        #expect(document.ocrPages == 3)
        #expect(document.lowConfidencePages == [2, 5])
        #expect(document.pageCount == 5 && document.pagesWithoutText == [1, 2, 5])
        var plain = record
        (plain.ocrPages, plain.warnings) = (nil, [])
        #expect(DocumentInfo(plain).ocrPages == 0 && DocumentInfo(plain).lowConfidencePages.isEmpty)
    }
}
