import Foundation

/// Finds the shipped taxonomies when none are named: in the folder named by
/// `SIGHTLINE_TAXONOMIES`, else `taxonomies/` in the current folder, else
/// `taxonomies/` in a folder above the running executable (the repository a
/// build lives in).
public enum TaxonomyLocator {
    public static let shipped = ["panel-themes.yaml", "case-characteristics.yaml"]

    public static func defaultFolder(executable: String = CommandLine.arguments.first ?? "") -> String? {
        var candidates: [String] = []
        if let folder = ProcessInfo.processInfo.environment["SIGHTLINE_TAXONOMIES"] { candidates.append(folder) }
        candidates.append(FileManager.default.currentDirectoryPath + "/taxonomies")
        var url = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(url.appendingPathComponent("taxonomies").path)
            url = url.deletingLastPathComponent()
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/" + shipped[0]) }
    }

    public static func defaultFiles() -> [String]? {
        guard let folder = defaultFolder() else { return nil }
        return shipped.map { folder + "/" + $0 }.filter { FileManager.default.fileExists(atPath: $0) }
    }
}
