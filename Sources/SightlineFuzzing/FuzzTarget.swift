import Foundation
import SightlineCore
import SightlineExtract

/// The parsers Sightline owns, each behind one function that takes any bytes.
///
/// The same functions run under libFuzzer (`scripts/fuzz`) and, in ordinary
/// builds, over the committed seed corpora (`sightline-fuzz`, and the
/// `FuzzSeedTests`), so every input that once found a bug stays a regression
/// test. A harness returns normally for any input the parser rejects; it traps
/// only when an invariant breaks (a crash, or two readers of the same line
/// disagreeing), which libFuzzer reports as a finding. So the `try?` in the
/// harnesses are deliberate: a parser rejecting its input is a normal outcome.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// HTML block extraction (libxml2's HTML parser and `HTMLWalker`).
    case html
    /// DOCX: the zip container (`ZipArchive`, zlib), WordprocessingML parts, footnotes, styles.
    case docx
    /// OpenDocument text: the zip container and the content, styles and meta parts.
    case odt
    /// RTF: Sightline's own scanner (groups, control words, escapes, code pages, `\bin` data).
    case rtf
    /// Taxonomy and cue files (YAML), then compiling and running the tagger on a passage.
    case taxonomy
    /// JSON Lines splitting and the fast `block` and `coding` line parsers.
    case jsonl
    /// The aggregate stage's manifest CSV.
    case manifest

    /// Runs one input through the target's parser.
    public func run(_ bytes: [UInt8]) {
        switch self {
        case .html: Self.html(bytes)
        case .docx: Self.docx(bytes)
        case .odt: Self.odt(bytes)
        case .rtf: Self.rtf(bytes)
        case .taxonomy: Self.taxonomy(bytes)
        case .jsonl: Self.jsonl(bytes)
        case .manifest: Self.manifest(bytes)
        }
    }

    static func html(_ bytes: [UInt8]) {
        // Inputs the sniffer would not call HTML are made HTML, so that every input reaches the HTML reader.
        let input = FormatSniffer.sniff(bytes) == .html ? bytes : Array("<html>".utf8) + bytes
        checkRoundTrip(Extractor().extract(path: write(input, as: "fuzz.html"), source: "fuzz.html"))
    }

    static func docx(_ bytes: [UInt8]) {
        var options = ExtractOptions()
        // Small enough that an input inflating to the limit costs milliseconds, not seconds.
        options.maxDOCXUncompressedBytes = 8 << 20
        checkRoundTrip(Extractor(options: options).extract(path: write(bytes, as: "fuzz.docx"), source: "fuzz.docx"))
    }

    static func odt(_ bytes: [UInt8]) {
        var options = ExtractOptions()
        options.maxDOCXUncompressedBytes = 8 << 20
        checkRoundTrip(Extractor(options: options).extract(path: write(bytes, as: "fuzz.odt"), source: "fuzz.odt"))
    }

    static func rtf(_ bytes: [UInt8]) {
        // Inputs that do not start as RTF are made to, so that every input reaches the scanner.
        let input = FormatSniffer.sniff(bytes) == .rtf ? bytes : Array("{\\rtf1 ".utf8) + bytes
        checkRoundTrip(Extractor().extract(path: write(input, as: "fuzz.rtf"), source: "fuzz.rtf"))
    }

    /// Writes an input where the readers read it from: a file, as in a real run.
    static func write(_ bytes: [UInt8], as name: String) -> String {
        let path = scratch + "/" + name
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            fatalError("cannot write \(path)")
        }
        return path
    }

    /// Every block of a document must come back unchanged through its `blocks.jsonl` line.
    static func checkRoundTrip(_ outcome: ExtractionOutcome) {
        guard case .document(_, let blocks) = outcome else { return }
        for block in blocks {
            var line: [UInt8] = []
            Wire.append(block, to: &line)
            guard let back = try? BlocksLine(line: Data(line.dropLast())).block else {
                fatalError("a written block line cannot be read back: \(String(decoding: line, as: UTF8.self))")
            }
            precondition(back == block, "a block changed through its line: \(block) became \(back)")
        }
    }

    /// A private folder per process for the taxonomy target's file (the loader reads paths).
    static let scratch: String = {
        let folder = NSTemporaryDirectory() + "sightline-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }()

    /// Two blocks to code: a finding, and one under a recommendations heading.
    static let blocks = [
        BlockRecord(
            docID: "0000000000000000", page: 1, pageEnd: 1, pageLabel: nil, pageEndLabel: nil, index: 0,
            kind: .paragraph, level: nil,
            headingPath: ["Findings"],
            text:
                "The school did not know that Child L had been reported missing; practitioners should have "
                + "shared information. There was no evidence of exploitation, but the GP and CAMHS may have "
                + "seen signs of self-harm and neglect in 2021.",
            bbox: nil),
        BlockRecord(
            docID: "0000000000000000", page: 2, pageEnd: 2, pageLabel: "ii", pageEndLabel: "ii", index: 1,
            kind: .listItem, level: nil,
            headingPath: ["Contents", "Recommendations"],
            text: "Agencies should share information about missing episodes with the school.",
            bbox: nil),
    ]

    static func taxonomy(_ bytes: [UInt8]) {
        let path = write(bytes, as: "taxonomy.yaml")
        _ = try? TaxonomyLoader().loadCues(path: path)
        guard let taxonomy = try? TaxonomyLoader().load(path: path) else { return }
        var splitter = PassageSplitter(boilerplateHeadings: taxonomy.boilerplateHeadings)
        var tagger = Tagger(taxonomies: [taxonomy])
        for block in blocks {
            for passage in splitter.passages(of: block) { _ = tagger.code(passage) }
        }
    }

    static func jsonl(_ bytes: [UInt8]) {
        let decoder = JSONDecoder()
        var lines = JSONLinesReader.Lines(bytes: bytes)
        while let (line, _) = lines.next() {
            // The fast readers may refuse what JSONDecoder reads (the line
            // enums then give it the line), but when both read a line they
            // must agree, and a record must survive being written and read again.
            if let block = Wire.FastReader.block(line) {
                if let decoded = try? decoder.decode(BlockRecord.self, from: line) {
                    precondition(
                        decoded == block,
                        "the block reader and JSONDecoder disagree on \(String(decoding: line, as: UTF8.self))")
                }
                var written: [UInt8] = []
                Wire.append(block, to: &written)
                precondition(
                    Wire.FastReader.block(Data(written.dropLast())) == block, "a block changed through its line")
            }
            if let coding = Wire.FastReader.coding(line) {
                if let decoded = try? decoder.decode(CodingRecord.self, from: line) {
                    precondition(
                        decoded == coding,
                        "the coding reader and JSONDecoder disagree on \(String(decoding: line, as: UTF8.self))")
                }
                var written: [UInt8] = []
                Wire.append(coding, to: &written)
                precondition(
                    Wire.FastReader.coding(Data(written.dropLast())) == coding, "a coding changed through its line")
            }
            if let passage = Wire.FastReader.passage(line) {
                if let decoded = try? decoder.decode(PassageRecord.self, from: line) {
                    precondition(
                        decoded == passage,
                        "the passage reader and JSONDecoder disagree on \(String(decoding: line, as: UTF8.self))")
                }
                var written: [UInt8] = []
                Wire.append(passage, to: &written)
                precondition(
                    Wire.FastReader.passage(Data(written.dropLast())) == passage, "a passage changed through its line")
            }
        }
    }

    static func manifest(_ bytes: [UInt8]) {
        if var manifest = try? Manifest.parse(Data(bytes), file: "fuzz.csv") {
            var documents = [
                DocumentInfo(docID: "a", source: "corpus/review-a.pdf", title: nil),
                DocumentInfo(docID: "b", source: "review-b.html", title: "B"),
            ]
            manifest.attach(to: &documents)
        }
        // What the CSV writer writes, the reader reads back field for field.
        guard let text = String(validating: bytes, as: UTF8.self), let rows = try? CSV.parse(text),
            let header = rows.first
        else { return }
        let written = CSV.document(header: header.fields, rows: rows.dropFirst().map(\.fields))
        guard let reread = try? CSV.parse(written) else {
            fatalError("CSV the writer wrote cannot be read: \(written.debugDescription)")
        }
        precondition(
            reread.map(\.fields) == rows.map(\.fields),
            "CSV fields changed through writing and reading: \(rows.map(\.fields)) became \(reread.map(\.fields))")
    }
}
