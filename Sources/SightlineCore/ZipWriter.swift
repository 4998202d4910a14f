import Foundation

/// Writes a zip archive in memory, so that the same entries give the same
/// bytes: every entry dated 1980-01-01 00:00, no extra fields, no comment.
/// Entries are stored, or deflated by the function the writer is given when
/// that makes them smaller (the core links no C library: SightlineExtract
/// gives zlib's, `ZipWriter.deflating()`). No ZIP64: an archive over 4 GiB
/// or 65,535 entries is refused.
///
/// The Word appendix stores its parts; the REFI-QDA `.qdpx` deflates them.
public struct ZipWriter {
    /// Raw deflate (RFC 1951) of an entry's bytes.
    public typealias Deflate = ([UInt8]) throws -> [UInt8]

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
        public init(description: String) { self.description = description }
    }

    private let deflate: Deflate?
    private let flags: UInt16
    private var body: [UInt8] = []
    private var directory: [UInt8] = []
    private var count = 0

    /// A writer that deflates entries with `deflate` (nil: stores them all),
    /// and marks their names as UTF-8 (general purpose flag bit 11) when
    /// `utf8Names` is set.
    public init(deflate: Deflate? = nil, utf8Names: Bool) {
        self.deflate = deflate
        self.flags = utf8Names ? 0x0800 : 0
    }

    /// Adds an entry: deflated when the writer deflates and that makes it smaller, else stored.
    public mutating func add(name: String, bytes: [UInt8]) throws {
        guard count < 0xFFFF else { throw Failure(description: "more than 65,535 files for one zip archive") }
        let crc = CRC32.checksum(bytes)
        let deflated = try deflate?(bytes)
        let stored = deflated.map { $0.count >= bytes.count } ?? true
        let data = stored ? bytes : deflated ?? bytes
        let offset = body.count
        guard offset + 30 + name.utf8.count + data.count < 0xFFFF_FFFF, bytes.count < 0xFFFF_FFFF else {
            throw Failure(description: "the archive would pass 4 GiB (\(name)); Sightline writes no ZIP64")
        }
        let nameBytes = Array(name.utf8)
        func header(central: Bool) -> [UInt8] {
            var out: [UInt8] = []
            out += le32(central ? 0x0201_4B50 : 0x0403_4B50)
            if central { out += le16(20) } // made by: MS-DOS attributes, version 2.0
            out += le16(20) // version needed to extract
            out += le16(flags)
            out += le16(stored ? 0 : 8) // method: stored or deflated
            out += le16(0) // time 00:00:00
            out += le16(0x0021) // date 1980-01-01
            out += le32(crc)
            out += le32(UInt32(data.count))
            out += le32(UInt32(bytes.count))
            out += le16(UInt16(nameBytes.count))
            out += le16(0) // extra field length
            if central {
                out += le16(0) // comment length
                out += le16(0) // disk number
                out += le16(0) // internal attributes
                out += le32(0) // external attributes
                out += le32(UInt32(offset))
            }
            return out + nameBytes
        }
        body += header(central: false)
        body += data
        directory += header(central: true)
        count += 1
    }

    /// The archive's bytes: the entries, the central directory and its end record.
    public func finish() -> [UInt8] {
        var out = body + directory
        out += le32(0x0605_4B50)
        out += le16(0) + le16(0) // this disk, the directory's disk
        out += le16(UInt16(count)) + le16(UInt16(count))
        out += le32(UInt32(directory.count))
        out += le32(UInt32(body.count))
        out += le16(0) // comment length
        return out
    }
}

/// CRC-32 (IEEE 802.3, as zip uses it).
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        table.withUnsafeBufferPointer { table in
            bytes.withUnsafeBufferPointer { bytes in
                var crc: UInt32 = 0xFFFF_FFFF
                for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
                return crc ^ 0xFFFF_FFFF
            }
        }
    }
}

private func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
private func le32(_ value: UInt32) -> [UInt8] { le16(UInt16(value & 0xFFFF)) + le16(UInt16(value >> 16)) }
