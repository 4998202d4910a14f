import ArgumentParser
import Foundation
import SightlineCore
import SightlinePipeline

/// `sightline eval`: hand codes in, agreement with the machine out.
public struct EvalCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract:
            "Compare hand codes with the machine's coding: precision, recall, F1, Cohen's kappa, Krippendorff's alpha.",
        discussion: """
            FILE is CSV (with a header row) or JSON Lines with the fields source (a path or file name as in \
            DIR/documents.jsonl), quote (words copied from the document), theme (theme, theme/subtheme or \
            taxonomy/theme/subtheme), and optionally coder, note and page (to choose between repeats of a short \
            quote). A row with an empty quote and theme says the document was read and had nothing to code; \
            a quote with an empty theme, that the passages it marks were read and had nothing to code. \
            Quotes are matched ignoring case, white space, hyphens and dashes, and curly versus straight quotes; \
            a quote marks every passage it overlaps.

            FILE may also be a REFI-QDA project (.qdpx, from NVivo, ATLAS.ti, MAXQDA, QualCoder or `sightline \
            export qdpx`): its text sources are matched to the run's documents by their text, name or content, \
            its codes to themes by id or name (or by --code-map), each text selection marks the passages it \
            overlaps, and each coding's user is its coder. Sources or codes that cannot be matched, selections by \
            PDF page coordinates and selections outside their text are listed as problems. See docs/refi-qda.md.

            The unit is the passage: every passage of the documents FILE names (other documents are left out), \
            or with --only-quoted only the passages some row's quote marks (hand codes on a sample of passages), \
            compared on the taxonomies FILE uses. The machine's codes are its counted codings (neither negated, \
            hypothetical nor boilerplate); a sub-theme code is also a code for its theme, for hand and machine alike.

            Writes DIR/eval/agreement.csv (a row per theme and sub-theme, then `all`: micro-averaged over the \
            theme rows only, passage-theme pairs pooled, sub-theme rows left out; its passages column counts \
            passages), with 95% intervals for kappa and F1 from a document-clustered percentile bootstrap \
            (whole documents drawn with replacement, since passages of one review are not independent; \
            --replicates draws from a SplitMix64 generator seeded with --seed, so the file is the same on every \
            run); DIR/eval/disagreements.csv (every passage and theme where hand and machine differ, with the \
            machine's rules and why a coding it found did not count); and, with two or more coders, \
            DIR/eval/coders.csv (pairwise kappa and alpha, and alpha for all coders together). Statistics that are \
            undefined (no positives on either side) are left empty.

            Every row that cannot be used (unknown source or theme, a quote found nowhere, a wrong number of \
            fields) is listed on standard error as FILE:LINE: problem; the rest are evaluated, and the exit status \
            is 1.
            """)

    @Option(name: .customLong("in"), help: "The run folder (after `sightline run` or `sightline tag`).")
    public var input: String

    @Option(name: .long, help: "The hand codes: CSV, JSON Lines, or a REFI-QDA project (.qdpx).")
    public var codes: String

    @Option(help: "Review decisions to apply to the machine's codes first (as `aggregate --decisions`).")
    var decisions: String?

    @Option(help: "For a REFI-QDA project: a CSV mapping its code names to themes (columns code, theme).")
    var codeMap: String?

    @Option(name: .long, help: "Bootstrap replicates for the 95% intervals (0: none).")
    public var replicates: Int = 1000

    @Option(name: .long, help: "Seed of the bootstrap's generator.")
    public var seed: UInt64 = 19

    @Flag(
        name: .customLong("only-quoted"),
        help: "Compare only the passages the file quotes (hand codes on a sample of passages, not whole documents).")
    public var onlyQuoted = false

    @Flag(name: .shortAndLong, help: "Print no summary table (problems are still listed).")
    public var quiet = false

    public init() {}

    public func validate() throws {
        if replicates < 0 { throw ValidationError("--replicates cannot be negative") }
    }

    public func run() throws {
        try RunFolder.requireFiles(in: input)
        guard FileManager.default.fileExists(atPath: codes) else {
            throw RunFolderError(
                message: "\(codes): no such file (the hand codes: CSV or JSON Lines with source, quote, theme)")
        }
        let documents = try RunFolder.documents(in: input)
        let human: HumanCodes
        let passages: [String: [PassageRecord]]
        let machine: MachineCodes
        let decided: DecisionSet?
        var parseProblems: [InputProblem] = []
        if ProjectDecisions.isProject(codes) {
            // A REFI-QDA project: its sources are matched to documents by their text, so all are read.
            let taxonomies = try RunFolder.codings(in: input, of: []).taxonomies
            let read = try ProjectDecisions.humanCodes(
                project: codes, folder: input, documents: documents, taxonomies: taxonomies, codeMap: codeMap)
            if !quiet { for line in read.matched { Terminal.progress("matched \(line)") } }
            human = read.codes
            passages = read.passages
            let named = Set(human.documents.map { documents[$0].docID })
            (machine, decided) = try ProjectDecisions.loadMachineCodes(
                folder: input, docIDs: named, decisions: decisions, codeMap: codeMap)
        } else {
            let rows: [HandCode]
            (rows, parseProblems) = HandCodeFile.load(path: codes)
            let index = SourceIndex(documents: documents)
            let named = HumanCodes.namedDocuments(rows, index: index)
            passages = try RunFolder.passages(in: input, of: named)
            (machine, decided) = try ProjectDecisions.loadMachineCodes(
                folder: input, docIDs: named, decisions: decisions, codeMap: codeMap)
            human = HumanCodes.resolve(
                rows, file: codes, index: index, passages: passages,
                catalog: ThemeCatalog(taxonomies: machine.taxonomies))
        }
        for warning in decided?.warnings ?? [] { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
        let catalog = ThemeCatalog(taxonomies: machine.taxonomies)
        let problems = (parseProblems + human.problems).sorted { $0.line < $1.line }
        for problem in problems { Terminal.error(problem.description) }
        for warning in human.warnings { Terminal.progress(warning.description) }
        let report = AgreementReport.build(
            human: human, machine: machine, catalog: catalog, documents: documents, passages: passages,
            options: .init(replicates: replicates, seed: seed, onlyQuoted: onlyQuoted))
        let folder = input + "/eval"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var files = [("agreement.csv", report.agreementCSV), ("disagreements.csv", report.disagreementsCSV)]
        if let coders = report.coders { files.append(("coders.csv", coders.csv)) }
        var outputs: [OutputFile] = []
        for (name, text) in files {
            let file = try OutputFile(path: folder + "/" + name)
            try file.write(Data(text.utf8))
            outputs.append(file)
        }
        try OutputFile.commit(outputs)
        // A coders.csv from an earlier evaluation with several coders would mislead.
        if report.coders == nil, FileManager.default.fileExists(atPath: folder + "/coders.csv") {
            try FileManager.default.removeItem(atPath: folder + "/coders.csv")
        }
        if !quiet {
            print(report.summary, terminator: "")
            let written = files.map { "\(folder)/\($0.0)" }.joined(separator: ", ")
            Terminal.progress("compared \(report.passages) passages of \(report.documents) documents; wrote \(written)")
        }
        if !problems.isEmpty {
            Terminal.error(
                "\(problems.count) row\(problems.count == 1 ? "" : "s") of \(codes) could not be used (listed above)")
            throw ExitCode(1)
        }
    }
}
