import Foundation
import SightlineCore
import SightlineExtract

/// The per-document cache that makes re-runs cheap and killed runs resumable.
///
/// Layout, under the cache folder (by default `OUT/cache`):
/// - `index.jsonl`: what each input path's bytes hashed to, with the file's
///   size, modification time, inode and device, so an unchanged file is not
///   read again just to learn its SHA-256 (as git's index does);
/// - `extract/XX/SHA-EXT-KEY.slc`: one document's `documents.jsonl` line and
///   `blocks.jsonl` lines, keyed by the file's SHA-256, its extension (which
///   decides how a file is judged) and the extractor key: Sightline's version,
///   the extraction limits, and the identity (size and time) of the executable
///   itself, so a rebuilt Sightline never reuses another build's output; after
///   a run that codes, also its `passages.jsonl` and `codings.jsonl` lines
///   and their tallies (`CodingTallies`, a JSON line), with the key they were
///   coded under (the taxonomies' and cue lists' SHA-256). One file per
///   document, not two: creating files is what a cold run's cache costs most
///   (the file system's inode search, after a previous output folder was
///   deleted), and a document is coded with the taxonomies of the last run
///   (coding under others rewrites the entry). The entry also says whether
///   its extraction depended on the OCR settings (see `ocrMark`), so
///   changing `--ocr` or Tesseract re-extracts only the documents that OCR
///   touches.
///
/// Each entry is written to a temporary name and renamed into place, and
/// starts with a header giving its sections' sizes and a checksum, so an
/// entry cut short by a crash or a full disk is treated as missing. Failures
/// that depend only on the bytes (`not_a_pdf`, `encrypted`, …) are cached;
/// time-outs, crashes, unreadable files and a missing antiword are not, so they are tried again.
/// Deleting the folder clears the cache; `--no-cache` neither reads nor writes it.
final class DocumentCache: @unchecked Sendable {
    let root: String
    let extractorKey: String
    /// Empty when the run does not code.
    let taxonomyKey: String
    let ocrMode: OCRMode
    let ocrLanguage: String

    static let magic = "SLC4"

    init(root: String, extract options: ExtractOptions, taxonomies: [Taxonomy]) throws {
        self.root = root
        ocrMode = options.ocr
        ocrLanguage = options.ocrLanguage
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        var identity =
            "sightline \(SightlineVersion.current) \(Schema.document) \(Schema.block) html \(options.maxHTMLBytes) "
            + "depth \(options.maxDepth) docx \(options.maxDOCXUncompressedBytes)"
        // /proc/self/exe is always there on Linux; were it not, the key would lack the build's identity and
        // the cache would rest on the version and schemas alone, as it did before builds were told apart.
        if let attributes = try? FileManager.default.attributesOfItem(
            atPath: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path)
        {
            identity +=
                " exe \((attributes[.size] as? NSNumber)?.int64Value ?? 0) "
                + "\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        }
        extractorKey = String(SHA256.hex(of: Array(identity.utf8)).prefix(16))
        if taxonomies.isEmpty {
            taxonomyKey = ""
        } else {
            let frames = taxonomies.map { "\($0.id) \($0.sha256) \($0.cues.sha256)" }.joined(separator: "\n")
            taxonomyKey = String(SHA256.hex(of: Array((identity + "\n" + frames).utf8)).prefix(16))
        }
    }

    /// The name part an input's extension adds to its keys.
    static func extensionKey(_ source: String) -> String {
        let ext = (source as NSString).pathExtension.lowercased()
        return ext.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } && !ext.isEmpty ? ext : "none"
    }

    func extractPath(sha: String, source: String) -> String {
        "\(root)/extract/\(sha.prefix(2))/\(sha)-\(Self.extensionKey(source))-\(extractorKey).slc"
    }

    /// A document's entry: its `documents.jsonl` line and `blocks.jsonl`
    /// lines, and its `passages.jsonl` and `codings.jsonl` lines and their
    /// tallies when it was coded under this cache's taxonomy key.
    struct Entry {
        var document: Data
        var blocks: Data
        var coded: CodedLines?
    }

    func entry(sha: String, source: String) -> Entry? {
        guard let sections = Self.read(extractPath(sha: sha, source: source)),
            sections.count == 3 || sections.count == 7,
            isCurrent(ocrMark: String(decoding: sections[2], as: UTF8.self))
        else { return nil }
        var coded: CodedLines? = nil
        // Tallies that do not decode leave the entry uncoded: the lane codes its blocks again.
        if sections.count == 7 && !taxonomyKey.isEmpty && sections[3] == Data(taxonomyKey.utf8),
            let tallies = try? JSONDecoder().decode(CodingTallies.self, from: sections[6])
        {
            coded = CodedLines(passages: sections[4], codings: sections[5], tallies: tallies)
        }
        return Entry(document: sections[0], blocks: sections[1], coded: coded)
    }

    /// Stores a document's lines (`typed` is what its document line holds), with its codings when given (and
    /// this run codes).
    func store(sha: String, source: String, document: Data, blocks: Data, typed: DocumentResult, coded: CodedLines?) {
        var sections = [document, blocks, Data(ocrMark(typed).utf8)]
        if let coded, !taxonomyKey.isEmpty {
            sections += [Data(taxonomyKey.utf8), coded.passages, coded.codings, Wire.encodedLine(coded.tallies)]
        }
        Self.write(sections, to: extractPath(sha: sha, source: source))
    }

    // MARK: OCR settings

    /// The OCR settings a result depends on: the mode, the language and Tesseract's version.
    var ocrKey: String {
        if ocrMode == .never { return "ocr never" }
        return "ocr \(ocrMode.rawValue) \(ocrLanguage) tesseract \(OCRLibrary.version ?? "none")"
    }

    /// What an extraction result depended on among the OCR settings:
    /// `none` for anything but a PDF (and PDFs that failed for other reasons),
    /// `text` for a PDF read wholly from its text layer (the same under auto
    /// and never, not under always), else the full `ocrKey`: a PDF with
    /// scanned pages, or one read under --ocr always.
    func ocrMark(_ result: DocumentResult) -> String {
        if let record = result.error {
            let dependent = record.code == .noTextLayer || record.code == .noText
            return dependent ? ocrKey : "none"
        }
        if let record = result.document, record.mediaType == .pdf {
            let scanned = !record.pagesWithoutText.isEmpty || !(record.ocrPages ?? []).isEmpty
            return ocrMode == .always || scanned ? ocrKey : "text"
        }
        return "none"
    }

    /// Whether an entry stored with `mark` holds what this run's OCR settings would give.
    func isCurrent(ocrMark mark: String) -> Bool {
        switch mark {
        case "none": return true
        case "text": return ocrMode != .always
        default: return mark == ocrKey
        }
    }

    /// Whether a failure depends only on the file's bytes (and so can be cached).
    static func isLasting(_ code: ErrorCode) -> Bool {
        switch code {
        case .timeout, .crashed, .outOfMemory, .unreadable, .toolMissing: return false
        default: return true
        }
    }

    // MARK: Entries

    static func write(_ sections: [Data], to path: String) {
        var header = ([magic] + sections.map { String($0.count) }).joined(separator: " ")
        header += " " + String(checksum(sections), radix: 16) + "\n"
        // The cache only saves work: an entry that cannot be written (a full disk, a read-only folder) means the
        // document is read again next time, which is what a missing entry means anyway.
        try? FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        // No fsync (`.checksummed`): a torn entry fails its checksum and reads as missing.
        try? AtomicFile.write([Data(header.utf8)] + sections, to: path, durability: .checksummed)
    }

    static func read(_ path: String) -> [Data]? {
        guard let data = FileManager.default.contents(atPath: path), let newline = data.firstIndex(of: 0x0A) else {
            return nil
        }
        let parts = String(decoding: data[data.startIndex..<newline], as: UTF8.self).split(separator: " ")
        guard parts.count >= 3, parts[0] == magic, let sum = UInt64(parts[parts.count - 1], radix: 16) else {
            return nil
        }
        let sizes = parts[1..<(parts.count - 1)].compactMap { Int($0) }
        guard sizes.count == parts.count - 2, sizes.reduce(0, +) == data.count - (newline + 1 - data.startIndex) else {
            return nil
        }
        var sections: [Data] = []
        var offset = newline + 1
        for size in sizes {
            sections.append(data.subdata(in: offset..<(offset + size)))
            offset += size
        }
        return checksum(sections) == sum ? sections : nil
    }

    /// A 64-bit multiply-rotate hash over the sections, eight bytes at a
    /// time: catches an entry cut short or scrambled, not tampering.
    static func checksum(_ sections: [Data]) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15
        func mix(_ word: UInt64) {
            h = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
            h = (h << 29) | (h >> 35)
        }
        for section in sections {
            section.withUnsafeBytes { bytes in
                let whole = bytes.count / 8
                for i in 0..<whole {
                    mix(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))
                }
                var tail: UInt64 = 0
                for i in (whole * 8)..<bytes.count { tail = (tail << 8) | UInt64(bytes[i]) }
                mix(tail)
            }
            mix(UInt64(section.count))
        }
        return h
    }
}

/// What each input path's bytes hashed to, kept with the file's size,
/// modification time, inode and device: an input whose four are unchanged is
/// not read again to learn its SHA-256.
struct HashIndex {
    struct Entry: Codable, Equatable {
        var path: String
        var size: Int64
        var mtime: Int64
        var inode: UInt64
        var device: UInt64
        var sha256: String
    }

    private(set) var entries: [String: Entry] = [:]
    let file: String?

    init(file: String?) {
        self.file = file
        guard let file, let data = FileManager.default.contents(atPath: file) else { return }
        let decoder = JSONDecoder()
        JSONLinesReader.forEachLine(in: data) { line in
            // A line that does not read (cut short, or from another version) only means that file is hashed again.
            if let entry = try? decoder.decode(Entry.self, from: line) { entries[entry.path] = entry }
        }
    }

    /// The file's identity now, or nil when it cannot be examined.
    static func identity(of path: String) -> Entry? {
        var info = Glibc.stat()
        guard fstatat(AT_FDCWD, path, &info, 0) == 0 else { return nil }
        // Kept under the file's real path, so `corpus/a.pdf` and `./corpus/a.pdf` are one file.
        var key = path
        if let resolved = realpath(path, nil) {
            key = String(cString: resolved)
            free(resolved)
        }
        return Entry(
            path: key, size: Int64(info.st_size),
            mtime: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
            inode: UInt64(info.st_ino), device: UInt64(info.st_dev), sha256: "")
    }

    /// The SHA-256 recorded for a file whose identity is unchanged.
    func known(_ now: Entry) -> String? {
        guard let entry = entries[now.path], entry.size == now.size, entry.mtime == now.mtime, entry.inode == now.inode,
            entry.device == now.device
        else {
            return nil
        }
        return entry.sha256
    }

    mutating func record(_ entry: Entry) { entries[entry.path] = entry }

    /// Writes the index (sorted by path) atomically.
    func save() {
        guard let file else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for key in entries.keys.sorted() {
            // Strings and integers always encode; an entry that did not would only be hashed again next time.
            guard let line = try? encoder.encode(entries[key]!) else { continue }
            data.append(line)
            data.append(0x0A)
        }
        // Like a cache entry, the index only saves work: without it, inputs are hashed again next time.
        try? AtomicFile.write(data, to: file)
    }
}
