import CSightlineSupport
import Foundation
import SightlineCore
import SightlineExtract

/// The extraction worker: reads requests on stdin, extracts each document,
/// writes a frame per document on stdout, until stdin closes.
enum WorkerMain {
    static func run(arguments: [String]) -> Never {
        // Set by the parent; set here too for a worker started by hand, before any thread starts.
        setenv("OMP_THREAD_LIMIT", "1", 0)
        var options = ExtractOptions()
        if arguments.contains("--keep-colour-management") { options.bypassColourManagement = false }
        if let at = arguments.firstIndex(of: "--memory-limit-mb"), at + 1 < arguments.count,
            let mb = UInt64(arguments[at + 1]), mb > 0
        {
            _ = sightline_limit_address_space(mb * 1_048_576)
            options.memoryLimitMB = Int(mb)
        }
        if let at = arguments.firstIndex(of: "--ocr"), at + 1 < arguments.count,
            let mode = OCRMode(rawValue: arguments[at + 1])
        {
            options.ocr = mode
        }
        var taxonomyFiles: [String] = []
        var taxonomyHashes: [String] = []
        for (i, argument) in arguments.enumerated() where i + 1 < arguments.count {
            if argument == "--taxonomy" { taxonomyFiles.append(arguments[i + 1]) }
            if argument == "--taxonomy-sha256" { taxonomyHashes.append(arguments[i + 1]) }
        }
        // The parent loaded these files before starting any worker; one that cannot be loaded now, or that
        // changed since, would code nothing or code differently, so every document says so instead.
        var coder: DocumentCoder? = nil
        var setupFailure: String? = nil
        if !taxonomyFiles.isEmpty {
            do {
                let loaded = try taxonomyFiles.map { try TaxonomyLoader().load(path: $0) }
                if let changed = loaded.indices.first(where: {
                    $0 >= taxonomyHashes.count || loaded[$0].sha256 != taxonomyHashes[$0]
                }) {
                    setupFailure = "the taxonomy \(taxonomyFiles[changed]) changed while the batch was running"
                } else {
                    coder = DocumentCoder(taxonomies: loaded)
                }
            } catch {
                setupFailure = "the extraction worker could not load a taxonomy: \(error)"
            }
        }
        let extractor = Extractor(options: options)
        let faults = FaultInjection()
        let encoder = JSONLinesEncoder()
        let decoder = JSONDecoder()
        // Kept from document to document (see `DocumentCoder.append`).
        let passageBytes = LineBuffer()
        let codingBytes = LineBuffer()
        while let line = readLine(strippingNewline: true) {
            guard let request = try? decoder.decode(WorkerProtocol.Request.self, from: Data(line.utf8)) else {
                continue
            }
            faults.apply(to: request.source)
            if let setupFailure {
                let failure = ErrorRecord(
                    source: request.source, docID: request.sha256, code: .crashed, message: setupFailure)
                WorkerProtocol.write(
                    index: request.index, [(try? encoder.line(failure)) ?? Data(), Data(), Data(), Data()],
                    to: STDOUT_FILENO)
                continue
            }
            let outcome = extractor.extract(
                path: request.path, source: request.source, docID: request.sha256
            ) { pages in
                WorkerProtocol.writeProgress(index: request.index, pages: pages, to: STDOUT_FILENO)
            }
            let encoded: (document: Data, blocks: Data)
            if let lines = try? encoder.lines(for: outcome) {
                encoded = lines
            } else {
                // Cannot happen for these plain records; still, never lose the document silently.
                let failure = ErrorRecord(
                    source: request.source, docID: nil, code: .crashed,
                    message: "the extracted records could not be encoded")
                encoded = ((try? encoder.line(failure)) ?? Data(), Data())
            }
            passageBytes.removeAll()
            codingBytes.removeAll()
            if case .document(_, let blocks) = outcome, coder != nil {
                coder!.append(blocks, passages: passageBytes, codings: codingBytes)
            }
            WorkerProtocol.write(
                index: request.index, [encoded.document, encoded.blocks, passageBytes, codingBytes], to: STDOUT_FILENO)
        }
        exit(0)
    }
}
