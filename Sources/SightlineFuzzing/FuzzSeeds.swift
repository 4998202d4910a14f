import Foundation

/// Finds the files of seed corpora.
public enum FuzzSeeds {
    /// The files named, and those under the folders named, recursively, each folder's in sorted order.
    public static func files(_ paths: [String]) -> [String] {
        var out: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            guard isDirectory.boolValue else {
                out.append(path)
                continue
            }
            // Seeds are optional: an unreadable folder gives none (fuzzing only, never a user's run).
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            out += files(names.filter { !$0.hasPrefix(".") }.sorted().map { path + "/" + $0 })
        }
        return out
    }
}
