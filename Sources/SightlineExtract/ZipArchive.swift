import CZlib
import Foundation
import SightlineCore

/// The entries of a zip archive held in memory, as much of the format as a
/// Word document uses: stored and deflated entries, ZIP64 sizes and offsets,
/// no encryption, one disk. Every offset is checked against the bytes before
/// it is read, entries are inflated with zlib under a byte budget, and their
/// CRC-32 is checked.
///
/// It replaces ZIPFoundation, which fuzzing showed to leak a copy of the file
/// when it finds no end record, to scan a file without one a byte at a time,
/// to trap on an offset past the end of in-memory data, and to spin forever on
/// a deflate stream that runs to the end of the file without finishing.
struct ZipArchive {
    struct Entry {
        var name: String
        var flags: UInt16
        var method: UInt16
        var crc: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        /// Where the entry's local header starts; checked only when the entry is read,
        /// so that a damaged part Sightline does not need (an image) does not matter.
        var localHeader: Int
    }

    let bytes: [UInt8]
    /// Entries by name; the first of two with the same name wins.
    private(set) var entries: [String: Entry] = [:]

    subscript(name: String) -> Entry? { entries[name] }

    static var zlibVersion: String { String(cString: CZlib.zlibVersion()) }

    /// Reads the central directory. Throws `ExtractionError(.damaged)` naming what is wrong.
    init(_ bytes: [UInt8]) throws {
        self.bytes = bytes
        guard let end = Self.endOfCentralDirectory(in: bytes) else {
            throw ExtractionError(
                .damaged,
                "the zip archive has no complete end-of-central-directory record in its last 64 KiB: "
                    + "the file is truncated or damaged; download it again"
            )
        }
        var count = Int(u16(end + 10))
        var size = Int(u32(end + 12))
        var offset = Int(u32(end + 16))
        if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            (count, size, offset) = try zip64Directory(before: end)
        }
        guard offset <= end, size <= end - offset else {
            throw ExtractionError(
                .damaged, "the zip archive's central directory lies outside the file: the file is damaged")
        }
        var position = offset
        for number in stride(from: 1, through: count, by: 1) {
            guard position <= offset + size - 46, u32(position) == 0x0201_4B50 else {
                throw ExtractionError(.damaged, "entry \(number) of the zip archive's central directory is damaged")
            }
            let nameLength = Int(u16(position + 28))
            let extraLength = Int(u16(position + 30))
            let commentLength = Int(u16(position + 32))
            let next = position + 46 + nameLength + extraLength + commentLength
            guard next <= offset + size else {
                throw ExtractionError(
                    .damaged, "entry \(number) of the zip archive's central directory runs past its end")
            }
            let name = String(decoding: bytes[(position + 46)..<(position + 46 + nameLength)], as: UTF8.self)
            var compressed = Int(u32(position + 20))
            var uncompressed = Int(u32(position + 24))
            var local = Int(u32(position + 42))
            try readZip64Extra(
                at: position + 46 + nameLength, length: extraLength, name: name,
                uncompressed: &uncompressed, compressed: &compressed, local: &local)
            if entries[name] == nil {
                entries[name] = Entry(
                    name: name, flags: u16(position + 8), method: u16(position + 10), crc: u32(position + 16),
                    compressedSize: compressed, uncompressedSize: uncompressed, localHeader: local)
            }
            position = next
        }
    }

    /// An entry's contents, refusing to inflate past `budget` bytes (zip bombs), which it lowers by what it used.
    func contents(of entry: Entry, budget: inout Int, limitMiB: Int) throws -> [UInt8] {
        if entry.flags & 1 != 0 { throw ExtractionError(.damaged, "\(entry.name) is encrypted inside the zip archive") }
        if entry.uncompressedSize > budget {
            throw ExtractionError(
                .tooLarge,
                "\(entry.name) would expand to \(entry.uncompressedSize / 1_048_576) MiB, "
                    + "over the \(limitMiB) MiB limit (a zip bomb?)"
            )
        }
        let local = entry.localHeader
        guard local <= bytes.count - 30, u32(local) == 0x0403_4B50 else {
            throw ExtractionError(
                .damaged, "the zip archive's local header for \(entry.name) is missing or outside the file")
        }
        let dataOffset = local + 30 + Int(u16(local + 26)) + Int(u16(local + 28))
        guard dataOffset <= bytes.count, entry.compressedSize <= bytes.count - dataOffset else {
            throw ExtractionError(
                .damaged,
                "the data of \(entry.name) runs past the end of the zip archive: the file is truncated or damaged")
        }
        let data = bytes[dataOffset..<(dataOffset + entry.compressedSize)]
        let out: [UInt8]
        switch entry.method {
        case 0:
            out = Array(data)
        case 8:
            out = try Self.inflate(data, limit: budget, name: entry.name, limitMiB: limitMiB)
        default:
            throw ExtractionError(
                .damaged, "\(entry.name) is compressed with zip method \(entry.method), which Sightline does not read")
        }
        guard out.count <= budget else {
            throw ExtractionError(.tooLarge, "\(entry.name) expands past the \(limitMiB) MiB limit (a zip bomb?)")
        }
        let crc = out.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) }
        guard crc == entry.crc else {
            throw ExtractionError(.damaged, "\(entry.name) fails its checksum: the zip archive is damaged")
        }
        budget -= out.count
        return out
    }

    /// Raw deflate data inflated with zlib, at most `limit` bytes. Ends when the
    /// stream does, or with an error when the data stops first or is not deflate.
    static func inflate(_ data: ArraySlice<UInt8>, limit: Int, name: String, limitMiB: Int) throws -> [UInt8] {
        guard data.count <= Int(UInt32.max) else {
            throw ExtractionError(.tooLarge, "\(name) is over 4 GiB compressed")
        }
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ExtractionError(.damaged, "zlib could not start inflating \(name)")
        }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        try data.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = UInt32(input.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { buffer -> Int32 in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(buffer.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                if produced > limit - out.count {
                    throw ExtractionError(.tooLarge, "\(name) expands past the \(limitMiB) MiB limit (a zip bomb?)")
                }
                out.append(contentsOf: chunk[0..<produced])
                switch status {
                case Z_STREAM_END:
                    return
                case Z_OK:
                    continue
                case Z_BUF_ERROR where produced == 0:
                    throw ExtractionError(
                        .damaged,
                        "\(name) ends before its compressed data does: the zip archive is truncated or damaged")
                case Z_BUF_ERROR:
                    continue
                default:
                    let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw ExtractionError(
                        .damaged, "\(name) cannot be unpacked (\(reason)): the zip archive is damaged")
                }
            }
        }
        return out
    }

    /// Where the end-of-central-directory record starts: the last signature in
    /// the final 22 + 65,535 bytes (the record and the longest comment),
    /// provided its comment fits in the file.
    static func endOfCentralDirectory(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 22 else { return nil }
        var offset = bytes.count - 22
        let earliest = max(0, bytes.count - 22 - 65_535)
        while offset >= earliest {
            if bytes[offset] == 0x50 && bytes[offset + 1] == 0x4B && bytes[offset + 2] == 0x05
                && bytes[offset + 3] == 0x06
            {
                let comment = Int(bytes[offset + 20]) | Int(bytes[offset + 21]) << 8
                return offset + 22 + comment <= bytes.count ? offset : nil
            }
            offset -= 1
        }
        return nil
    }

    /// The entry count, size and offset of the central directory from the ZIP64 end record.
    private func zip64Directory(before end: Int) throws -> (Int, Int, Int) {
        let locator = end - 20
        guard locator >= 0, u32(locator) == 0x0706_4B50 else {
            throw ExtractionError(.damaged, "the zip archive's ZIP64 end record is missing: the file is damaged")
        }
        let record = try int(u64(locator + 8), "ZIP64 end record offset")
        guard record <= bytes.count - 56, u32(record) == 0x0606_4B50 else {
            throw ExtractionError(
                .damaged, "the zip archive's ZIP64 end record is outside the file: the file is damaged")
        }
        return (
            try int(u64(record + 32), "entry count"), try int(u64(record + 40), "directory size"),
            try int(u64(record + 48), "directory offset")
        )
    }

    /// Replaces 0xFFFFFFFF sizes and offsets by their values in the ZIP64 extra field.
    private func readZip64Extra(
        at start: Int, length: Int, name: String, uncompressed: inout Int, compressed: inout Int, local: inout Int
    ) throws {
        guard uncompressed == 0xFFFF_FFFF || compressed == 0xFFFF_FFFF || local == 0xFFFF_FFFF else { return }
        var position = start
        while position + 4 <= start + length {
            let id = u16(position)
            let size = Int(u16(position + 2))
            guard position + 4 + size <= start + length else { break }
            if id == 0x0001 {
                // The values present are those whose header fields are 0xFFFFFFFF, in this order.
                var field = position + 4
                let fieldEnd = position + 4 + size
                var values: [Int] = []
                for _ in 0..<[uncompressed, compressed, local].filter({ $0 == 0xFFFF_FFFF }).count {
                    guard field + 8 <= fieldEnd else {
                        throw ExtractionError(
                            .damaged, "the ZIP64 sizes of \(name) are cut short: the zip archive is damaged")
                    }
                    values.append(try int(u64(field), "ZIP64 size of \(name)"))
                    field += 8
                }
                if uncompressed == 0xFFFF_FFFF { uncompressed = values.removeFirst() }
                if compressed == 0xFFFF_FFFF { compressed = values.removeFirst() }
                if local == 0xFFFF_FFFF { local = values.removeFirst() }
                return
            }
            position += 4 + size
        }
        throw ExtractionError(
            .damaged, "\(name) has no ZIP64 sizes where its zip header says it does: the zip archive is damaged")
    }

    private func int(_ value: UInt64, _ what: String) throws -> Int {
        guard value <= UInt64(bytes.count) else {
            throw ExtractionError(.damaged, "the zip archive's \(what) is larger than the file: the file is damaged")
        }
        return Int(value)
    }

    private func u16(_ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
    private func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) | UInt32(u16(at + 2)) << 16 }
    private func u64(_ at: Int) -> UInt64 { UInt64(u32(at)) | UInt64(u32(at + 4)) << 32 }
}
