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
        guard let listing = Self.list(folder) else {
            items.append(.problem(ErrorRecord(source: folder, docID: nil, code: .unreadable, message: "cannot list the folder: permission denied or unreadable")))
            return
        }
        for bad in listing.undecodable where Self.extensions.contains((bad as NSString).pathExtension.lowercased()) {
            let path = folder.hasSuffix("/") ? folder + bad : folder + "/" + bad
            items.append(.problem(ErrorRecord(
                source: path, docID: nil, code: .unreadable,
                message: "the file name is not valid UTF-8 (shown here with � for the bytes that are not): rename the file to include it")))
        }
        let names = listing.names
        for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) where !name.hasPrefix(".") {
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                // A dangling symbolic link, or an entry that vanished while the folder was read.
                if Self.extensions.contains((name as NSString).pathExtension.lowercased()) {
                    items.append(.problem(ErrorRecord(source: path, docID: nil, code: .unreadable, message: "the file cannot be opened: a broken symbolic link, or it was removed while the folder was read")))
                }
                continue
            }
            if isDirectory.boolValue {
                walk(folder: path, into: &items, visited: &visited)
            } else if Self.extensions.contains((name as NSString).pathExtension.lowercased()) {
                items.append(.file(path: path, source: path))
            }
        }
    }

    /// A folder's entries, read with `readdir` so that names which are not
    /// valid UTF-8 are noticed (Foundation would replace their bytes and the
    /// file could then never be opened); those come back separately, decoded
    /// with replacement characters for display.
    static func list(_ folder: String) -> (names: [String], undecodable: [String])? {
        guard let directory = opendir(folder) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        var undecodable: [String] = []
        while let entry = readdir(directory) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if bytes == Array(".".utf8) || bytes == Array("..".utf8) || bytes.first == UInt8(ascii: ".") { continue }
            if let name = String(validating: bytes, as: UTF8.self) {
                names.append(name)
            } else {
                undecodable.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        return (names, undecodable.sorted())
    }
}
