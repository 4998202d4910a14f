import Foundation
import SightlineCore
import SightlineExtract
import Testing

/// `sightline export qdpx` and `export qdc` on the sample corpus, read back
/// with `eval --codes FILE.qdpx` and as `--decisions FILE.qdpx`.
@Suite struct QDAExportTests {
    static let schema = CommandRunner.repository.deletingLastPathComponent()
        .appendingPathComponent("shared/refi-qda/Project-mrt2019.xsd")

    /// The sample run's records in a folder of their own, with the project exported into it.
    func exported() throws -> (run: URL, project: URL) {
        let run = try EvalCommandTests().freshRun()
        let project = run.appendingPathComponent("sample.qdpx")
        let result = try CommandRunner.run(
            [
                "export", "qdpx", "--in", run.path, "--out", project.path, "--manifest", "corpus/manifest.csv",
                "--quiet",
            ],
            in: CommandRunner.repository)
        #expect(result.status == 0, "\(result.stderr)")
        return (run, project)
    }

    @Test func exportValidatesAgainstTheSchemaAndIsByteIdenticalWhenRepeated() throws {
        let (run, project) = try exported()
        let again = run.appendingPathComponent("again.qdpx")
        let second = try CommandRunner.run(
            ["export", "qdpx", "--in", run.path, "--out", again.path, "--manifest", "corpus/manifest.csv", "--quiet"],
            in: CommandRunner.repository)
        #expect(second.status == 0)
        #expect(try Data(contentsOf: project) == Data(contentsOf: again))

        let xml = try QDAProjectReader().projectXML(path: project.path)
        if FileManager.default.fileExists(atPath: Self.schema.path) {
            let problems = XMLSchemaValidator.validate(xml: xml, schemaPath: Self.schema.path)
            #expect(problems.isEmpty, "\(problems.prefix(5))")
            // The validator does find breaches: a code without its required isCodable.
            let broken = String(decoding: xml, as: UTF8.self).replacingOccurrences(
                of: " isCodable=\"true\"", with: "")
            #expect(!XMLSchemaValidator.validate(xml: Array(broken.utf8), schemaPath: Self.schema.path).isEmpty)
        } else {
            print(
                "skipped schema validation: \(Self.schema.path) not found (the REFI-QDA schema beside the repository)")
        }

        // Read back: a text source per document, its text the passages', selections at the passages.
        let (read, problems) = try QDAProjectReader().read(path: project.path)
        #expect(problems.isEmpty)
        let documents = try RunFolder.documents(in: run.path)
        let passages = try RunFolder.passages(in: run.path, of: nil)
        #expect(read.sources.count == documents.count)
        #expect(read.variables.map(\.name).contains("year"))
        for (source, document) in zip(read.sources, documents) {
            #expect(source.name == SourceIndex.fileName(document.source))
            let text = DocumentText(passages: passages[document.docID] ?? [])
            #expect(source.text == text.text)
            let scalars = Array(text.text.unicodeScalars)
            for selection in source.selections {
                let passage = passages[document.docID]?.first { $0.passageID == selection.name }
                let selected = String(String.UnicodeScalarView(scalars[selection.start..<selection.end]))
                #expect(selected == passage?.text)
            }
        }
        // Negated and hypothetical mentions are there, under their own parent.
        let notCounted = read.codes.first { $0.name == QDAExport.notCountedName }
        #expect(notCounted?.children.contains { $0.name.hasSuffix(": negated") } == true)
        #expect(notCounted?.children.contains { $0.name.hasSuffix(": hypothetical") } == true)
    }

    @Test func roundTripAgreesPerfectlyOnEveryTheme() throws {
        let (run, project) = try exported()
        let result = try CommandRunner.run(
            ["eval", "--in", run.path, "--codes", project.path, "--replicates", "0", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try CSV.parse(String(contentsOf: run.appendingPathComponent("eval/agreement.csv"), encoding: .utf8))
        let header = rows[0].fields.map { $0.replacingOccurrences(of: "\u{FEFF}", with: "") }
        let kappa = header.firstIndex(of: "kappa")!
        let subtheme = header.firstIndex(of: "subtheme")!
        let human = header.firstIndex(of: "human")!
        let themeRows = rows.dropFirst().filter { $0.fields[subtheme].isEmpty }
        #expect(themeRows.count > 20)
        for row in themeRows where Int(row.fields[human])! > 0 {
            #expect(row.fields[kappa] == "1.000", "\(row.fields)")
        }
        let disagreements = try String(
            contentsOf: run.appendingPathComponent("eval/disagreements.csv"), encoding: .utf8)
        #expect(disagreements.split(separator: "\n").count == 1)
    }

    @Test func codebookHasTheProjectsCodes() throws {
        let (run, project) = try exported()
        let qdc = run.appendingPathComponent("frames.qdc")
        let result = try CommandRunner.run(["export", "qdc", "--in", run.path, "--out", qdc.path])
        #expect(result.status == 0, "\(result.stderr)")
        let codebook = try QDAProjectReader().readCodebook(path: qdc.path)
        let inProject = try QDAProjectReader().read(path: project.path).project.codes
            .filter { $0.name != QDAExport.notCountedName }
        func unlined(_ codes: [QDAProject.Code]) -> [QDAProject.Code] {
            codes.map { code in
                var copy = code
                copy.line = 0
                copy.children = unlined(code.children)
                return copy
            }
        }
        #expect(unlined(codebook) == unlined(inProject))
        let subthemes = codebook.flatMap(\.children).flatMap(\.children)
        #expect(subthemes.count > 20)
        // Sub-theme descriptions come from the shipped taxonomy files the run used.
        #expect(subthemes.contains { $0.description?.contains("Sub-theme of") == true && $0.description!.count > 120 })
    }

    /// A project edited in a QDA program: one coding removed, one passage coded for a theme the rules missed.
    /// The exported project as edited in a QDA program: the codings of the first selection with one counted
    /// coding removed, and an uncoded passage of the first document coded for parental alcohol misuse.
    func edit(run: URL, project: URL) throws -> (edited: URL, removed: String, added: String) {
        var (read, _) = try QDAProjectReader().read(path: project.path)
        let catalogCodes = read.flattenedCodes
        let alcohol = catalogCodes.first { $0.code.name == "Parental alcohol misuse" }!.code
        var removed: String? = nil
        let notCounted = Set(catalogCodes.filter { $0.ancestors.first == QDAExport.notCountedName }.map(\.code.guid))
        for s in read.sources.indices where removed == nil {
            for i in read.sources[s].selections.indices {
                let codings = read.sources[s].selections[i].codings
                if codings.count == 1, !notCounted.contains(codings[0].codeGUID) {
                    removed = read.sources[s].selections[i].name
                    read.sources[s].selections[i].codings = []
                    break
                }
            }
        }
        let documents = try RunFolder.documents(in: run.path)
        let passages = try RunFolder.passages(in: run.path, of: nil)
        let first = passages[documents[0].docID]!
        let text = DocumentText(passages: first)
        let coded = Set(read.sources[0].selections.compactMap(\.name))
        let free = first.indices.first { !coded.contains(first[$0].passageID) && first[$0].wordCount > 20 }!
        read.sources[0].selections.append(
            .init(
                guid: QDAGUID.make("test", "added"), start: text.ranges[free].lowerBound + 2,
                end: text.ranges[free].upperBound - 2,
                codings: [.init(guid: QDAGUID.make("test", "coding"), codeGUID: alcohol.guid)]))
        let edited = run.appendingPathComponent("edited.qdpx")
        try Self.write(read, to: edited)
        return (edited, removed!, first[free].passageID)
    }

    /// `tables/decisions.csv` holds exactly the reject of `removed` and the add of `added`, both applied.
    func expectDecisions(in folder: URL, removed: String, added: String) throws {
        let table = try String(contentsOf: folder.appendingPathComponent("tables/decisions.csv"), encoding: .utf8)
        let lines = table.split(separator: "\r\n").dropFirst()
        #expect(lines.contains { $0.contains(removed) && $0.contains(",reject,") && $0.contains(",applied,") })
        #expect(
            lines.contains { $0.contains(added) && $0.contains("parental-alcohol-misuse") && $0.contains(",add,") })
        #expect(!lines.contains { !$0.contains(removed) && !$0.contains(added) })
    }

    @Test func editedProjectAsDecisions() throws {
        let (run, project) = try exported()
        let (edited, removed, added) = try edit(run: run, project: project)
        let result = try CommandRunner.run(
            ["aggregate", "--in", run.path, "--decisions", edited.path, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        try expectDecisions(in: run, removed: removed, added: added)

        // The machine decided by the project agrees with the project perfectly.
        let eval = try CommandRunner.run(
            [
                "eval", "--in", run.path, "--codes", edited.path, "--decisions", edited.path, "--replicates", "0",
                "--quiet",
            ])
        #expect(eval.status == 0, "\(eval.stderr)")
        let disagreements = try String(
            contentsOf: run.appendingPathComponent("eval/disagreements.csv"), encoding: .utf8)
        #expect(disagreements.split(separator: "\n").count == 1)
    }

    /// `run --decisions FILE.qdpx` applies the project once the run's passages are written, with the same
    /// counts as `aggregate --decisions` on the same records.
    @Test func runAppliesAProjectsDecisions() throws {
        let (run, project) = try exported()
        let (edited, removed, added) = try edit(run: run, project: project)
        let aggregate = try CommandRunner.run(["aggregate", "--in", run.path, "--decisions", edited.path, "--quiet"])
        #expect(aggregate.status == 0, "\(aggregate.stderr)")
        let fresh = try CommandRunner.temporaryFolder().appendingPathComponent("run")
        let result = try CommandRunner.run(
            ["run", "corpus", "--out", fresh.path, "--decisions", edited.path, "--quiet"], in: CommandRunner.repository)
        #expect(result.status == 0, "\(result.stderr)")
        try expectDecisions(in: fresh, removed: removed, added: added)
        for table in ["themes.csv", "decisions.csv", "document-themes.csv"] {
            #expect(
                try Data(contentsOf: fresh.appendingPathComponent("tables/" + table))
                    == Data(contentsOf: run.appendingPathComponent("tables/" + table)), "\(table)")
        }
    }

    /// Writes a project read from a `.qdpx` back as one (texts by reference, as read).
    static func write(_ project: QDAProject, to url: URL) throws {
        var zip = ZipWriter.deflating()
        try zip.add(name: "project.qde", bytes: QDAXMLWriter.project(project))
        for source in project.sources {
            if let path = source.plainTextPath, let text = source.text {
                try zip.add(name: "sources/" + path.dropFirst("internal://".count), bytes: Array(text.utf8))
            }
        }
        try Data(zip.finish()).write(to: url)
    }
}
