import ArgumentParser
import Foundation
import SightlineCore
import SightlineExtract

/// REFI-QDA projects as hand codes (`eval --codes FILE.qdpx`) and as review
/// decisions (`--decisions FILE.qdpx` on eval, aggregate, run and export).
enum ProjectDecisions {
    /// Whether a codes or decisions file is a REFI-QDA project rather than CSV or JSON Lines.
    static func isProject(_ path: String) -> Bool { QDAProjectReader.isProject(path: path) }

    /// Reads a project; a file that cannot be read at all is a `ValidationError` naming it.
    static func read(_ path: String) throws -> (project: QDAProject, problems: [InputProblem]) {
        do { return try QDAProjectReader().read(path: path) } catch let error as QDAReadError {
            throw RunFolderError(message: error.description)
        }
    }

    static func loadCodeMap(_ path: String?) throws -> QDACodeMap? { try path.map { try QDACodeMap.load(path: $0) } }

    /// A project's codes as hand codes on the run in `folder`, with every
    /// problem (reader's and mapping's) listed.
    static func humanCodes(
        project path: String, folder: String, documents: [DocumentInfo], taxonomies: [TaxonomyRecord],
        codeMap: String?
    ) throws -> (codes: HumanCodes, passages: [String: [PassageRecord]], matched: [String]) {
        let (project, readProblems) = try read(path)
        let passages = try RunFolder.passages(in: folder, of: nil)
        var matcher = QDASourceMatcher(documents: documents, passages: passages)
        let importer = QDAImport(
            project: project, file: path, catalog: ThemeCatalog(taxonomies: taxonomies),
            codeMap: try loadCodeMap(codeMap))
        var (codes, matched) = importer.humanCodes(matcher: &matcher)
        codes.problems = readProblems + codes.problems
        return (codes, passages, matched)
    }

    /// The machine's codes for `docIDs`, decided by a decisions CSV or a project.
    static func loadMachineCodes(
        folder: String, docIDs: Set<String>?, decisions: String?, codeMap: String?
    ) throws -> (MachineCodes, DecisionSet?) {
        guard let decisions else { return try MachineCodes.load(folder: folder, docIDs: docIDs, decisionsFile: nil) }
        do {
            if isProject(decisions) {
                return try MachineCodes.load(folder: folder, docIDs: docIDs) { taxonomies, codings in
                    try fromProject(
                        decisions, folder: folder, taxonomies: taxonomies, codings: codings, docIDs: docIDs,
                        codeMap: codeMap)
                }
            }
            return try MachineCodes.load(folder: folder, docIDs: docIDs, decisionsFile: decisions)
        } catch let problem as DecisionSet.Problem {
            throw ValidationError(problem.description)
        }
    }

    /// A project as review decisions on the run in `folder`: its codes replace the
    /// machine's on the passages of the documents it holds (`QDAImport.decisions`).
    /// `codings` are the run's codings of `docIDs` (all when nil), read when not given.
    /// Any part of the project that cannot be used makes the whole file an error.
    static func fromProject(
        _ path: String, folder: String, taxonomies: [TaxonomyRecord], codings: [CodingRecord]?, docIDs: Set<String>?,
        codeMap: String?
    ) throws -> DecisionSet {
        let documents = try RunFolder.documents(in: folder)
        let (human, passages, _) = try humanCodes(
            project: path, folder: folder, documents: documents, taxonomies: taxonomies, codeMap: codeMap)
        guard human.problems.isEmpty else {
            let listed = human.problems.prefix(20).map(\.description).joined(separator: "\n  ")
            let more = human.problems.count > 20 ? "\n  and \(human.problems.count - 20) more" : ""
            throw DecisionSet.Problem(
                file: path, line: nil,
                problem: "the project cannot be used as decisions:\n  \(listed)\(more)")
        }
        var kept = human
        if let docIDs { kept.documents = human.documents.filter { docIDs.contains(documents[$0].docID) } }
        let wanted = Set(kept.documents.map { documents[$0].docID })
        let runCodings = try codings ?? RunFolder.codings(in: folder, of: wanted).codings
        let machine = MachineCodes.codes(
            taxonomies: taxonomies, codings: runCodings.filter { wanted.contains($0.docID) })
        return QDAImport.decisions(
            human: kept, machine: machine, passages: passages, documents: documents, file: path)
    }
}
