import Foundation

/// Decodes the 8-bit text of an RTF file (raw bytes and `\'hh` escapes) in a
/// Windows code page, with glibc's iconv. Code page 1252 is built in, so the
/// common case needs no converter; an unknown code page falls back to 1252.
final class RTFCodePage {
    private var converters: [Int: iconv_t] = [:]
    /// Code pages iconv did not know (reported once as a warning by the reader).
    private(set) var unknown: Set<Int> = []

    deinit {
        for converter in converters.values { iconv_close(converter) }
    }

    /// Windows-1252's characters for bytes 0x80–0x9F (0 where the byte is undefined).
    private static let cp1252High: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E,
        0x0178,
    ]

    static func cp1252(_ byte: UInt8) -> Character {
        if byte >= 0x80 && byte < 0xA0 {
            let value = cp1252High[Int(byte - 0x80)]
            return value == 0 ? "\u{FFFD}" : Character(Unicode.Scalar(value)!)
        }
        return Character(Unicode.Scalar(byte))
    }

    /// The bytes decoded in `codePage`; bytes that do not decode become U+FFFD.
    func decode(_ bytes: [UInt8], codePage: Int) -> String {
        if codePage == 1252 || codePage == 0 || bytes.allSatisfy({ $0 < 0x80 }) {
            return String(bytes.map(Self.cp1252))
        }
        guard let converter = converter(codePage) else { return String(bytes.map(Self.cp1252)) }
        // Reset the converter's shift state before each run of bytes.
        iconv(converter, nil, nil, nil, nil)
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 4 + 16)
        var result = ""
        var inOffset = 0
        while inOffset < input.count {
            var inLeft = input.count - inOffset
            var outLeft = output.count
            let (status, consumed, produced) = input.withUnsafeMutableBufferPointer { inBuffer in
                output.withUnsafeMutableBufferPointer { outBuffer -> (Int, Int, Int) in
                    var inPointer: UnsafeMutablePointer<CChar>? = inBuffer.baseAddress! + inOffset
                    var outPointer: UnsafeMutablePointer<CChar>? = outBuffer.baseAddress
                    let before = inLeft
                    let status = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                    return (status, before - inLeft, outBuffer.count - outLeft)
                }
            }
            result += String(decoding: output[0..<produced].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            inOffset += consumed
            if status == -1 && inOffset < input.count {
                // An invalid or incomplete sequence: replace one byte and go on.
                result += "\u{FFFD}"
                inOffset += 1
                iconv(converter, nil, nil, nil, nil)
            }
        }
        return result
    }

    private func converter(_ codePage: Int) -> iconv_t? {
        if let known = converters[codePage] { return known }
        if unknown.contains(codePage) { return nil }
        let name = codePage == 10000 ? "MACINTOSH" : "CP\(codePage)"
        let handle = iconv_open("UTF-8", name)
        guard let handle, handle != iconv_t(bitPattern: -1) else {
            unknown.insert(codePage)
            return nil
        }
        converters[codePage] = handle
        return handle
    }

    /// The Windows code page of an RTF font charset (`\fcharsetN`), or nil for
    /// ANSI and default, which use the document's `\ansicpg`.
    static func codePage(charset: Int) -> Int? {
        switch charset {
        case 77: return 10000
        case 128: return 932
        case 129: return 949
        case 134: return 936
        case 136: return 950
        case 161: return 1253
        case 162: return 1254
        case 163: return 1258
        case 177: return 1255
        case 178: return 1256
        case 186: return 1257
        case 204: return 1251
        case 222: return 874
        case 238: return 1250
        default: return nil
        }
    }
}
