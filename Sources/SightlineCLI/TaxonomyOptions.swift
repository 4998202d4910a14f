import ArgumentParser
import Foundation
import SightlineCore

/// `--taxonomy FILE` (repeatable), shared by the commands that code text (and by `sightline-bench`).
public struct TaxonomyOptions: ParsableArguments {
    @Option(
        name: .customLong("taxonomy"),
        help: """
            A taxonomy YAML file (repeatable). Default: the shipped taxonomies/panel-themes.yaml and \
            taxonomies/case-characteristics.yaml.
            """
    )
    public var files: [String] = []

    public init() {}

    /// Loads and validates every taxonomy before any document is read.
    public func load() throws -> [Taxonomy] {
        var paths = files
        if paths.isEmpty {
            guard let shipped = TaxonomyLocator.defaultFiles(), !shipped.isEmpty else {
                throw ValidationError(
                    "no taxonomy found: name one with --taxonomy, or run from the repository (taxonomies/), "
                        + "or set SIGHTLINE_TAXONOMIES"
                )
            }
            paths = shipped
        }
        let taxonomies = try paths.map { try TaxonomyLoader().load(path: $0) }
        var ids = Set<String>()
        for taxonomy in taxonomies where !ids.insert(taxonomy.id).inserted {
            throw TaxonomyError(
                file: taxonomy.file, line: nil,
                problem: "another taxonomy with the id ‘\(taxonomy.id)’ is already loaded")
        }
        return taxonomies
    }
}
