import Foundation

/// One input to extract, or a problem found while looking for inputs.
public enum InputItem: Sendable, Equatable {
    /// A file: where to read it, and the name to report it under.
    case file(path: String, source: String)
    case problem(ErrorRecord)
    /// A file in a walked folder that Sightline does not read.
    case skipped(SkippedRecord)

    public var source: String {
        switch self {
        case .file(_, let source): return source
        case .problem(let record): return record.source
        case .skipped(let record): return record.source
        }
    }
}

/// Expands the files and folders named on the command line into inputs.
///
/// Files named directly are always taken (their format is decided from their
/// bytes). Folders are walked recursively in sorted order, taking files with
/// the extensions of the formats Sightline reads; every other file becomes a
/// `skipped` item saying why. Not walked, and not reported: hidden entries
/// (and Windows' `Thumbs.db` and `desktop.ini`), the `excluded` paths
/// (Sightline's output folder and the files its options name), folders that
/// hold a Sightline run's output (`documents.jsonl` beside `blocks.jsonl`),
/// and whatever a folder's `.sightlineignore` lists. A folder that cannot be
/// read is reported, and a symbolic-link loop is walked once.
public struct InputWalker: Sendable {
    public static let extensions: Set<String> = ["pdf", "html", "htm", "xhtml", "docx", "txt", "odt", "rtf", "doc"]
    /// Files that file managers hide though their names do not start with a dot.
    static let systemFiles: Set<String> = ["thumbs.db", "desktop.ini", "icon\r"]
    /// The name of a folder's list of entries to leave out.
    public static let ignoreFile = ".sightlineignore"

    /// Real paths (symbolic links resolved) that are neither read nor reported.
    let excluded: Set<String>

    public init(excluding paths: [String] = []) {
        excluded = Set(paths.map(Self.realPath))
    }

    /// An absolute path with symbolic links, `.` and `..` resolved.
    static func realPath(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
    }

    public func expand(_ arguments: [String]) -> [InputItem] {
        var items: [InputItem] = []
        var visited = Set<String>()
        for argument in arguments {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                items.append(
                    .problem(
                        ErrorRecord(source: argument, docID: nil, code: .unreadable, message: "no such file or folder"))
                )
                continue
            }
            if isDirectory.boolValue {
                walk(folder: argument, into: &items, visited: &visited, ignores: [])
            } else {
                items.append(.file(path: argument, source: argument))
            }
        }
        return items
    }

    private func walk(folder: String, into items: inout [InputItem], visited: inout Set<String>, ignores: [IgnoreList])
    {
        let real = Self.realPath(folder)
        guard visited.insert(real).inserted, !excluded.contains(real) else { return }
        guard let listing = Self.list(folder) else {
            items.append(
                .problem(
                    ErrorRecord(
                        source: folder, docID: nil, code: .unreadable,
                        message: "cannot list the folder: permission denied or unreadable")))
            return
        }
        for bad in listing.undecodable where Self.extensions.contains((bad as NSString).pathExtension.lowercased()) {
            let path = folder.hasSuffix("/") ? folder + bad : folder + "/" + bad
            items.append(
                .problem(
                    ErrorRecord(
                        source: path, docID: nil, code: .unreadable,
                        message:
                            "the file name is not valid UTF-8 (shown here with � for the bytes that are not): "
                            + "rename the file to include it"
                    )))
        }
        let names = listing.names
        // A Sightline run's output folder is not a folder of reviews.
        if Set(names).isSuperset(of: ["documents.jsonl", "blocks.jsonl"]) { return }
        var ignores = ignores
        if FileManager.default.fileExists(atPath: (folder.hasSuffix("/") ? folder : folder + "/") + Self.ignoreFile) {
            // An ignore list that cannot be read is reported: the files it names are then read, not left out.
            do { ignores.append(try IgnoreList(folder: folder)) } catch { items.append(.problem(error)) }
        }
        for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        where !name.hasPrefix(".") {
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            if Self.systemFiles.contains(name.lowercased()) { continue }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                // A dangling symbolic link, or an entry that vanished while the folder was read.
                if Self.extensions.contains((name as NSString).pathExtension.lowercased()) {
                    items.append(
                        .problem(
                            ErrorRecord(
                                source: path, docID: nil, code: .unreadable,
                                message:
                                    "the file cannot be opened: a broken symbolic link, "
                                    + "or it was removed while the folder was read"
                            )))
                }
                continue
            }
            if ignores.contains(where: { $0.matches(path, isFolder: isDirectory.boolValue) }) { continue }
            if isDirectory.boolValue {
                walk(folder: path, into: &items, visited: &visited, ignores: ignores)
                continue
            }
            let ext = (name as NSString).pathExtension.lowercased()
            if Self.extensions.contains(ext) {
                items.append(.file(path: path, source: path))
            } else if !excluded.contains(Self.realPath(path)) {
                let reason = ext.isEmpty ? "unsupported format: no file extension" : "unsupported format: .\(ext)"
                items.append(.skipped(SkippedRecord(source: path, reason: reason)))
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

/// The entries a folder's `.sightlineignore` leaves out of a walk: one pattern
/// a line (`#` starts a comment), matched with shell wildcards against the
/// path relative to that folder, or against the name alone when the pattern
/// has no `/`; a pattern ending in `/` matches folders only.
struct IgnoreList: Sendable {
    let base: String
    let patterns: [(pattern: String, foldersOnly: Bool)]

    /// Reads `folder/.sightlineignore`; the error names the file when it cannot be read as UTF-8 text.
    init(folder: String) throws(ErrorRecord) {
        let path = (folder.hasSuffix("/") ? folder : folder + "/") + InputWalker.ignoreFile
        guard let bytes = FileManager.default.contents(atPath: path),
            let text = String(validating: bytes, as: UTF8.self)
        else {
            throw ErrorRecord(
                source: path, docID: nil, code: .unreadable,
                message: "the ignore list cannot be read as UTF-8 text, so the files it names were not left out")
        }
        base = folder.hasSuffix("/") ? folder : folder + "/"
        patterns = text.split(whereSeparator: \.isNewline).compactMap { raw in
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
            let foldersOnly = line.hasSuffix("/")
            let pattern = foldersOnly ? String(line.dropLast()) : line
            return pattern.isEmpty ? nil : (pattern.hasPrefix("/") ? String(pattern.dropFirst()) : pattern, foldersOnly)
        }
    }

    func matches(_ path: String, isFolder: Bool) -> Bool {
        guard path.hasPrefix(base) else { return false }
        let relative = String(path.dropFirst(base.count))
        let name = (relative as NSString).lastPathComponent
        for (pattern, foldersOnly) in patterns where isFolder || !foldersOnly {
            let subject = pattern.contains("/") ? relative : name
            if fnmatch(pattern, subject, 0) == 0 { return true }
        }
        return false
    }
}
