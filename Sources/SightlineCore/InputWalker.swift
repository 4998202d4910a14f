import Foundation

/// One input to extract, or a problem found while looking for inputs.
public enum InputItem: Sendable, Equatable {
    /// A file: where to read it, and the name to report it under.
    case file(path: String, source: String)
    case problem(ErrorRecord)

    public var source: String {
        switch self {
        case .file(_, let source): return source
        case .problem(let record): return record.source
        }
    }
}

/// Expands the files and folders named on the command line into inputs.
///
/// Files named directly are always taken (their format is decided from their
/// bytes). Folders are walked recursively in sorted order, taking files with
/// the extensions of the formats Sightline reads and skipping hidden entries;
/// a folder that cannot be read is reported, and a symbolic-link loop is
/// walked once.
public struct InputWalker: Sendable {
    public static let extensions: Set<String> = ["pdf", "html", "htm", "xhtml", "docx", "txt"]

    public init() {}

    public func expand(_ arguments: [String]) -> [InputItem] {
        var items: [InputItem] = []
        var visited = Set<String>()
        for argument in arguments {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                items.append(.problem(ErrorRecord(source: argument, docID: nil, code: .unreadable, message: "no such file or folder")))
                continue
            }
            if isDirectory.boolValue {
                walk(folder: argument, into: &items, visited: &visited)
            } else {
                items.append(.file(path: argument, source: argument))
            }
        }
        return items
    }

    private func walk(folder: String, into items: inout [InputItem], visited: inout Set<String>) {
        let real = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
        guard visited.insert(real).inserted else { return }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            items.append(.problem(ErrorRecord(source: folder, docID: nil, code: .unreadable, message: "cannot list the folder: permission denied or unreadable")))
            return
        }
        for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) where !name.hasPrefix(".") {
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                walk(folder: path, into: &items, visited: &visited)
            } else if Self.extensions.contains((name as NSString).pathExtension.lowercased()) {
                items.append(.file(path: path, source: path))
            }
        }
    }
}
