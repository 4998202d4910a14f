/// What the bytes of a file say it is, whatever its name says.
public enum SniffedFormat: Equatable, Sendable {
    case pdf
    case zip
    case html
    case text
    case utf16Text
    /// UTF-16 with no byte-order mark (NUL in every other byte of ASCII text): which encoding is a guess.
    case utf16TextWithoutBOM
    case empty
    /// Rich Text Format (`{\rtf`).
    case rtf
    /// An OLE compound file: Word 97–2003, other old Office files, or a password-protected new one.
    case ole
    case binary(String)
}

/// Decides a file's format from its first bytes (magic numbers, markup), not its name.
public enum FormatSniffer {
    /// Looks at up to the first 8 KiB of `bytes`.
    public static func sniff<C: Collection>(_ bytes: C) -> SniffedFormat where C.Element == UInt8 {
        let head = Array(bytes.prefix(8192))
        if head.isEmpty { return .empty }
        if find(Array("%PDF-".utf8), in: head.prefix(1024)) != nil { return .pdf }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .zip }
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) { return .utf16Text }
        if head.starts(with: Array("{\\rtf".utf8)) { return .rtf }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .ole }
        if let kind = knownBinary(head) { return .binary(kind) }
        if looksLikeHTML(head) { return .html }
        if looksLikeUTF16WithoutBOM(head) { return .utf16TextWithoutBOM }
        // Text: no NUL bytes and few control characters in the sample.
        var controls = 0
        for byte in head {
            if byte == 0 { return .binary("binary data") }
            if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D && byte != 0x0C { controls += 1 }
        }
        return controls * 100 > head.count ? .binary("binary data") : .text
    }

    static func knownBinary(_ head: [UInt8]) -> String? {
        let signatures: [([UInt8], String)] = [
            ([0x89, 0x50, 0x4E, 0x47], "a PNG image"), ([0xFF, 0xD8, 0xFF], "a JPEG image"),
            ([0x47, 0x49, 0x46, 0x38], "a GIF image"), ([0xD0, 0xCF, 0x11, 0xE0], "an old Word/Office (OLE) file"),
            ([0x1F, 0x8B], "a gzip archive"), ([0x49, 0x49, 0x2A, 0x00], "a TIFF image"),
            ([0x4D, 0x4D, 0x00, 0x2A], "a TIFF image"), ([0x7B, 0x5C, 0x72, 0x74, 0x66], "an RTF document"),
        ]
        for (magic, name) in signatures where head.starts(with: magic) { return name }
        return nil
    }

    /// Most code units' high bytes are zero, in the same half of every pair:
    /// Latin-script text in UTF-16 (big- or little-endian) saved without a byte-order mark.
    static func looksLikeUTF16WithoutBOM(_ head: [UInt8]) -> Bool {
        let pairs = head.count / 2
        guard pairs >= 4 else { return false }
        var zeroFirst = 0
        var zeroSecond = 0
        for pair in 0..<pairs {
            if head[2 * pair] == 0 { zeroFirst += 1 }
            if head[2 * pair + 1] == 0 { zeroSecond += 1 }
        }
        let (high, low) = zeroFirst > zeroSecond ? (zeroFirst, zeroSecond) : (zeroSecond, zeroFirst)
        return high * 2 >= pairs && low * 20 <= pairs
    }

    static func looksLikeHTML(_ head: [UInt8]) -> Bool {
        var start = head[...]
        if start.starts(with: [0xEF, 0xBB, 0xBF]) { start = start.dropFirst(3) }
        start = start.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        let lower = start.prefix(1024).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }
        for opener in ["<!doctype html", "<html", "<head", "<body", "<meta", "<title"]
        where lower.starts(with: Array(opener.utf8)) {
            return true
        }
        if lower.starts(with: Array("<?xml".utf8)) || lower.starts(with: Array("<!--".utf8)) {
            return find(Array("<html".utf8), in: lower[...]) != nil
        }
        return false
    }

    static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var i = haystack.startIndex
        while i <= haystack.endIndex - needle.count {
            if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// The `<title>` of an HTML page, for error messages ("holds an HTML page titled …").
    public static func htmlTitle(_ bytes: [UInt8]) -> String? {
        let lower = bytes.prefix(16384).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }
        guard let open = find(Array("<title".utf8), in: lower[...]),
            let close = lower[open...].firstIndex(of: UInt8(ascii: ">")),
            let end = find(Array("</title".utf8), in: lower[(close + 1)...])
        else { return nil }
        let title = String(decoding: bytes[(close + 1)..<end], as: UTF8.self)
            .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return title.isEmpty ? nil : String(title.prefix(120))
    }
}
