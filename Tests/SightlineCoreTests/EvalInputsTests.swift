import Foundation
import Testing

@testable import SightlineCore

/// Reading hand codes, finding their quotes and themes, and comparing them with the machine's.
@Suite struct EvalInputsTests {
    /// A frame of two themes, the first with two sub-themes, as a run's header record.
    static let frame: TaxonomyRecord = {
        let json = """
            {"boilerplate_headings":[],"cues_sha256":"","name":"Frame","schema":"sightline.taxonomy.v1","sha256":"",
            "taxonomy":"frame","type":"taxonomy","version":"1","themes":[
            {"id":"abuse","name":"Abuse","description":"","subthemes":[{"id":"physical","name":"Physical"},
            {"id":"emotional","name":"Emotional"}]},{"id":"voice","name":"Voice","description":"","subthemes":[]}]}
            """
        return try! JSONDecoder().decode(TaxonomyRecord.self, from: Data(json.utf8))
    }()

    @Test func quotesMatchAcrossTypographyLineBreaksAndPassages() {
        let passages = [
            "The school’s multi-agency assessment was never shared.",
            "Mother said “she was fine” — and the case was closed.",
            "Nothing here.",
        ]
        let locator = QuoteLocator(passages: passages)
        #expect(locator.occurrences(of: "school's multi\nagency assess- ment").map(\.passages) == [0...0])
        #expect(locator.occurrences(of: "MOTHER said \"she was fine\" - and").map(\.passages) == [1...1])
        // A quote over a passage boundary marks both passages.
        let spanning = locator.occurrences(of: "never shared. Mother said")
        #expect(spanning.map(\.passages) == [0...1] && spanning[0].wholePassages == false)
        #expect(locator.occurrences(of: "Nothing here.").first?.wholePassages == true)
        #expect(locator.occurrences(of: "not in the document").isEmpty)
        #expect(QuoteLocator.isBlank(" – \n ") && !QuoteLocator.isBlank("a"))
        // Ligatures from a PDF copy.
        #expect(QuoteLocator(passages: ["official findings"]).occurrences(of: "oﬃcial ﬁndings").count == 1)
    }

    @Test func csvRowsWithTheWrongNumberOfFieldsAreNamedByLine() {
        let text =
            "source,quote,theme,coder\r\na.pdf,\"one, two\",t1,ann\r\nb.pdf,three,t2\r\n"
            + "c.pdf,\"multi\nline\",t1,bob\r\nd.pdf,x,t1,ann,extra\r\n"
        let (codes, problems) = HandCodeFile.parse(text: text, file: "codes.csv")
        #expect(codes.map(\.line) == [2, 4])
        #expect(codes[0].quote == "one, two" && codes[1].quote == "multi\nline" && codes[1].coder == "bob")
        #expect(
            problems.map(\.description) == [
                "codes.csv:3: 3 fields where the header has 4 (a comma or quote inside a field must be quoted)",
                "codes.csv:6: 5 fields where the header has 4 (a comma or quote inside a field must be quoted)",
            ])
        let missing = HandCodeFile.parse(text: "file,quote\nx,y\n", file: "bad.csv").problems
        #expect(missing.first?.description.hasPrefix("bad.csv:1: the header has no source, theme column") == true)
    }

    @Test func jsonLinesRows() {
        let text = """
            {"source":"a.pdf","quote":"q","theme":"t1","coder":"ann","page":4}
            {"source":"a.pdf","quote":"q"}
            not json

            {"source":"b.pdf","quote":"","theme":""}
            """
        let (codes, problems) = HandCodeFile.parse(text: text, file: "codes.jsonl")
        #expect(codes.count == 2 && codes[0].page == "4" && codes[1].isNothingCoded)
        #expect(problems.map(\.description) == ["codes.jsonl:2: no theme field", "codes.jsonl:3: not a JSON object"])
    }

    @Test func themesResolveFromEveryAcceptedForm() throws {
        let catalog = ThemeCatalog(taxonomies: [Self.frame])
        let theme = try #require(Self.frame.themes.first { !$0.subthemes.isEmpty })
        let sub = theme.subthemes[0].id
        #expect(try catalog.resolve(theme.id).get() == ThemeKey(taxonomy: "frame", theme: theme.id))
        #expect(
            try catalog.resolve("\(theme.id)/\(sub)").get()
                == ThemeKey(taxonomy: "frame", theme: theme.id, subtheme: sub))
        #expect(try catalog.resolve("frame/\(theme.id)/\(sub)").get().subtheme == sub)
        #expect(try catalog.resolve("frame/\(theme.id)").get().subtheme == nil)
        #expect(throws: InputProblemText.self) { try catalog.resolve("no-such-theme").get() }
        #expect(throws: InputProblemText.self) { try catalog.resolve("\(theme.id)/no-such-sub").get() }
        // The same theme id in two frames is ambiguous without the taxonomy.
        var other = Self.frame
        other.taxonomy = "other"
        let two = ThemeCatalog(taxonomies: [Self.frame, other])
        if case .failure(let problem) = two.resolve(theme.id) {
            #expect(problem.text.contains("ambiguous"))
        } else {
            Issue.record("not ambiguous")
        }
        #expect(try two.resolve("other/\(theme.id)").get().taxonomy == "other")
    }

    /// Two documents, hand codes with one miss, one false alarm and a bad row; known counts and kappa.
    @Test func agreementCountsDisagreementsAndProblems() throws {
        let theme = Self.frame.themes[0].id
        let documents = [
            DocumentInfo(docID: "aaaa", source: "corpus/a.pdf", title: nil),
            DocumentInfo(docID: "bbbb", source: "b.pdf", title: nil),
        ]
        func passage(_ doc: String, _ i: Int, _ text: String) -> PassageRecord {
            PassageRecord(
                passageID: "\(doc)/\(i).0", docID: doc, blockIndex: i, part: 0, page: i + 1, pageEnd: i + 1,
                pageLabel: nil,
                kind: .paragraph, headingPath: [], text: text, wordCount: 3, boilerplate: false)
        }
        let passages = [
            "aaaa": [
                passage("aaaa", 0, "First finding here."), passage("aaaa", 1, "Second finding here."),
                passage("aaaa", 2, "Third."),
            ],
            "bbbb": [passage("bbbb", 0, "Other review text."), passage("bbbb", 1, "More text.")],
        ]
        func coding(_ passage: String, negated: Bool = false) -> CodingRecord {
            CodingRecord(
                passageID: passage, docID: String(passage.prefix(4)), page: 1, pageLabel: nil, taxonomy: "frame",
                theme: theme, subtheme: nil,
                rules: ["r1"], matches: [], negated: negated, hypothetical: false, boilerplate: false)
        }
        let codings = [coding("aaaa/0.0"), coding("aaaa/2.0"), coding("bbbb/1.0", negated: true)]
        var counted: [String: Set<ThemeKey>] = [:]
        for c in codings where c.counts {
            counted[c.passageID, default: []].insert(ThemeKey(taxonomy: "frame", theme: theme))
        }
        let machine = MachineCodes(taxonomies: [Self.frame], codings: codings, counted: counted)
        let codes = [
            HandCode(line: 2, source: "a.pdf", quote: "first  finding", theme: theme),
            HandCode(line: 3, source: "a.pdf", quote: "second finding", theme: theme),
            HandCode(line: 4, source: "corpus/b.pdf", quote: "More text", theme: theme),
            HandCode(line: 5, source: "b.pdf", quote: "not there", theme: theme),
            HandCode(line: 6, source: "c.pdf", quote: "x", theme: theme),
            HandCode(line: 7, source: "b.pdf", quote: "Other", theme: "nope"),
        ]
        let index = SourceIndex(documents: documents)
        let human = HumanCodes.resolve(
            codes, file: "codes.csv", index: index, passages: passages, catalog: ThemeCatalog(taxonomies: [Self.frame]))
        #expect(human.problems.map(\.line) == [5, 6, 7])
        #expect(human.problems[0].problem.hasPrefix("quote not found in b.pdf"))
        #expect(human.problems[1].problem.hasPrefix("unknown source ‘c.pdf’"))
        #expect(human.problems[2].problem.hasPrefix("unknown theme ‘nope’"))
        let report = AgreementReport.build(
            human: human, machine: machine, catalog: ThemeCatalog(taxonomies: [Self.frame]), documents: documents,
            passages: passages)
        let row = try #require(report.rows.first { $0.key == ThemeKey(taxonomy: "frame", theme: theme) })
        // Human: a0, a1, b1. Machine: a0, a2 (b1 negated). Both 1, human only 2, machine only 1, neither 1.
        #expect(row.table == BinaryTable(both: 1, referenceOnly: 2, testOnly: 1, neither: 1))
        #expect(report.passages == 5 && report.documents == 2)
        let disagreed = report.disagreements.filter { $0.label == theme }
        #expect(disagreed.map(\.passageID) == ["aaaa/1.0", "aaaa/2.0", "bbbb/1.0"])
        #expect(
            disagreed[2].rules == "r1 (negated)" && disagreed[1].rules == "r1" && disagreed[1].auto
                && !disagreed[1].human)
        // Byte-identical output from run to run (seeded bootstrap), BOM and CRLF like the other tables.
        let again = AgreementReport.build(
            human: human, machine: machine, catalog: ThemeCatalog(taxonomies: [Self.frame]), documents: documents,
            passages: passages)
        #expect(report.agreementCSV == again.agreementCSV)
        #expect(
            report.agreementCSV.hasPrefix("\u{FEFF}taxonomy,theme,subtheme,passages,")
                && report.agreementCSV.contains("\r\n"))
        #expect(report.agreementCSV.contains("\r\nall,,,5,3,2,1,0.500,0.333,0.400,"))
        // Only the quoted passages (a sample of passages): a0, a1 and b1.
        let sampled = AgreementReport.build(
            human: human, machine: machine, catalog: ThemeCatalog(taxonomies: [Self.frame]), documents: documents,
            passages: passages, options: .init(replicates: 0, onlyQuoted: true))
        #expect(sampled.passages == 3)
        #expect(sampled.rows[0].table == BinaryTable(both: 1, referenceOnly: 2, testOnly: 0, neither: 0))
    }
}
