import CZlib
import Foundation
import SightlineCore

/// Writes a zip archive in memory: deflated entries (zlib, raw deflate),
/// UTF-8 names, every entry dated 1980-01-01 00:00 so that the same entries
/// give the same bytes. No ZIP64: an archive over 4 GiB or 65,535 entries is
/// refused (a REFI-QDA export of thousands of reports is far smaller).
public struct ZipWriter {
    private var body: [UInt8] = []
    private var directory: [UInt8] = []
    private var count = 0

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public init() {}

    /// Adds an entry (deflated, or stored when deflating does not make it smaller).
    public mutating func add(name: String, bytes: [UInt8]) throws {
        guard count < 0xFFFF else { throw Failure(description: "more than 65,535 files for one zip archive") }
        let crc = bytes.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) }
        let deflated = try Self.deflate(bytes)
        let stored = deflated.count >= bytes.count
        let data = stored ? bytes : deflated
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
            out += le16(0x0800) // flags: names are UTF-8
            out += le16(stored ? 0 : 8)
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
        out += le16(0) + le16(0)
        out += le16(UInt16(count)) + le16(UInt16(count))
        out += le32(UInt32(directory.count))
        out += le32(UInt32(body.count))
        out += le16(0)
        return out
    }

    static func deflate(_ bytes: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        let level: Int32 = 6
        guard
            deflateInit2_(
                &stream, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else { throw Failure(description: "zlib could not start deflating") }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, UInt(bytes.count)))
        var out = [UInt8](repeating: 0, count: bound)
        let status = bytes.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output -> Int32 in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = UInt32(input.count)
                stream.next_out = output.baseAddress
                stream.avail_out = UInt32(output.count)
                return CZlib.deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw Failure(description: "zlib could not deflate (status \(status))") }
        out.removeSubrange(Int(stream.total_out)...)
        return out
    }
}

private func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
private func le32(_ value: UInt32) -> [UInt8] { le16(UInt16(value & 0xFFFF)) + le16(UInt16(value >> 16)) }
