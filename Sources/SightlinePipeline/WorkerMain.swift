import CSightlineSupport
import Foundation
import SightlineCore
import SightlineExtract

/// The extraction worker: reads its configuration (the first line on stdin),
/// then requests, extracts each document and writes a frame per document on
/// stdout, until stdin closes.
public enum WorkerMain {
    public static func run() -> Never {
        // Set by the parent; set here too for a worker started by hand, before any thread starts.
        setenv("OMP_THREAD_LIMIT", "1", 0)
        guard let first = readLine(strippingNewline: true) else { exit(0) }
        var options = ExtractOptions()
        var coder: DocumentCoder? = nil
        // Set when the worker cannot work as its parent asked: every document then gets an error record saying so.
        var setupFailure: String? = nil
        switch WorkerConfiguration.decode(Data(first.utf8)) {
        case .failure(let problem):
            setupFailure = problem.description
            FileHandle.standardError.write(Data("error: \(problem)\n".utf8))
        case .success(let configuration):
            options.bypassColourManagement = !configuration.keepColourManagement
            if configuration.memoryLimitMB > 0 {
                _ = sightline_limit_address_space(UInt64(configuration.memoryLimitMB) * 1_048_576)
                options.memoryLimitMB = configuration.memoryLimitMB
            }
            options.ocr = OCRMode(rawValue: configuration.ocr) ?? .auto
            (coder, setupFailure) = Self.coder(for: configuration.taxonomies)
        }
        let extractor = Extractor(options: options)
        let faults = FaultInjection()
        let decoder = JSONDecoder()
        // Kept from document to document (see `DocumentCoder.append`).
        let passageBytes = LineBuffer()
        let codingBytes = LineBuffer()
        while let line = readLine(strippingNewline: true) {
            // The parent writes every request with the same Request type; a line that does not decode (typed by
            // hand into a worker started alone) has no index to answer under, so it is skipped.
            guard let request = try? decoder.decode(WorkerProtocol.Request.self, from: Data(line.utf8)) else {
                continue
            }
            faults.apply(to: request.source)
            if let setupFailure {
                let failure = ErrorRecord(
                    source: request.source, docID: request.sha256, code: .crashed, message: setupFailure)
                let result = Wire.encodedLine(DocumentResult(error: failure))
                WorkerProtocol.write(
                    index: request.index, [Wire.encodedLine(failure), Data(), Data(), Data(), result],
                    to: STDOUT_FILENO)
                continue
            }
            let outcome = extractor.extract(
                path: request.path, source: request.source, docID: request.sha256
            ) { pages in
                WorkerProtocol.writeProgress(index: request.index, pages: pages, to: STDOUT_FILENO)
            }
            let encoded = Wire.lines(for: outcome)
            var result = DocumentResult(outcome)
            passageBytes.removeAll()
            codingBytes.removeAll()
            if case .document(_, let blocks) = outcome, coder != nil {
                result.coding = coder!.append(blocks, passages: passageBytes, codings: codingBytes)
            }
            let sections: [any ContiguousBytes] = [
                encoded.document, encoded.blocks, passageBytes, codingBytes, Wire.encodedLine(result),
            ]
            WorkerProtocol.write(index: request.index, sections, to: STDOUT_FILENO)
        }
        exit(0)
    }

    /// The coder for the taxonomies the parent named. The parent loaded these files before starting any
    /// worker; one that cannot be loaded now, or that changed since, would code nothing or code differently,
    /// so every document says so instead.
    static func coder(for files: [WorkerConfiguration.TaxonomyFile]) -> (DocumentCoder?, String?) {
        guard !files.isEmpty else { return (nil, nil) }
        do {
            let loaded = try files.map { try TaxonomyLoader().load(path: $0.path) }
            if let changed = files.indices.first(where: { loaded[$0].sha256 != files[$0].sha256 }) {
                return (nil, "the taxonomy \(files[changed].path) changed while the batch was running")
            }
            return (DocumentCoder(taxonomies: loaded), nil)
        } catch {
            return (nil, "the extraction worker could not load a taxonomy: \(error)")
        }
    }
}
