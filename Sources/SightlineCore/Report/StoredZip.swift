import Foundation

/// Writes a ZIP archive whose entries are stored, not compressed, with a
/// fixed date (1980-01-01): the same entries give the same bytes, which a
/// Word document (a ZIP of XML parts) needs to stay reproducible. Entries
/// are ASCII names under 64 KB of name and 4 GB of data (no ZIP64).
struct StoredZip {
    private var data = Data()
    private var central = Data()
    private var count = 0

    mutating func add(_ name: String, _ contents: Data) {
        let crc = CRC32.checksum(contents)
        let offset = UInt32(data.count)
        let nameBytes = Data(name.utf8)
        var local = Data()
        local.append(le32: 0x0403_4B50)
        local.append(le16: 20) // version needed: 2.0
        local.append(le16: 0) // flags
        local.append(le16: 0) // method: stored
        local.append(le16: 0) // time 00:00
        local.append(le16: 0x21) // date 1980-01-01
        local.append(le32: crc)
        local.append(le32: UInt32(contents.count))
        local.append(le32: UInt32(contents.count))
        local.append(le16: UInt16(nameBytes.count))
        local.append(le16: 0) // extra field
        data.append(local)
        data.append(nameBytes)
        data.append(contents)

        central.append(le32: 0x0201_4B50)
        central.append(le16: 20) // made by 2.0
        central.append(le16: 20)
        central.append(le16: 0)
        central.append(le16: 0)
        central.append(le16: 0)
        central.append(le16: 0x21)
        central.append(le32: crc)
        central.append(le32: UInt32(contents.count))
        central.append(le32: UInt32(contents.count))
        central.append(le16: UInt16(nameBytes.count))
        central.append(le16: 0) // extra
        central.append(le16: 0) // comment
        central.append(le16: 0) // disk
        central.append(le16: 0) // internal attributes
        central.append(le32: 0) // external attributes
        central.append(le32: offset)
        central.append(nameBytes)
        count += 1
    }

    /// The archive: the entries, their central directory and its end record.
    var archive: Data {
        var out = data
        out.append(central)
        out.append(le32: 0x0605_4B50)
        out.append(le16: 0)
        out.append(le16: 0)
        out.append(le16: UInt16(count))
        out.append(le16: UInt16(count))
        out.append(le32: UInt32(central.count))
        out.append(le32: UInt32(data.count))
        out.append(le16: 0) // comment
        return out
    }
}

/// CRC-32 (IEEE 802.3, as ZIP uses it).
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

extension Data {
    mutating func append(le16 value: UInt16) { append(contentsOf: [UInt8(value & 0xFF), UInt8(value >> 8)]) }
    mutating func append(le32 value: UInt32) {
        append(contentsOf: [
            UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24),
        ])
    }
}
