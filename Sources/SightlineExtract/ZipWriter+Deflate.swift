import CZlib
import SightlineCore

extension ZipWriter {
    /// A writer that deflates its entries with zlib and marks their names as
    /// UTF-8: the REFI-QDA `.qdpx` export's.
    public static func deflating() -> ZipWriter { ZipWriter(deflate: zlibDeflate, utf8Names: true) }

    /// `bytes` deflated by zlib at level 6, raw (no zlib header or trailer), as a zip entry holds them.
    static func zlibDeflate(_ bytes: [UInt8]) throws -> [UInt8] {
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
