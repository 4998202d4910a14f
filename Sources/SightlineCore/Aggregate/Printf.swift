import Foundation

/// Numbers written as C's `printf` writes them, for the tables' many figures.
public enum Printf {
    /// `value` with `places` digits after the point, as `%.Nf` writes it (and so `String(format:)`, which hands
    /// floating-point conversions to the C library): the exact binary value rounded to the nearest, a tie to the
    /// even last digit, and a minus sign on any negative value, even one that rounds to zero.
    ///
    /// Worked out here rather than by `String(format:)` or a `CVarArg` call to `vsnprintf`, whose packing of the
    /// arguments alone costs thousands of instructions: `document-themes.csv` writes a share and a reason with a
    /// percentage in each of its tens of thousands of rows, and the formatting was a tenth of `aggregate`'s work.
    public static func fixed(_ value: Double, places: Int) -> String {
        // Beyond what the arithmetic below holds (never a share or a percentage): as the C library writes it.
        guard value.isFinite, value.magnitude < 0x1p53, (0...9).contains(places) else {
            return String(format: "%.\(places)f", value)
        }
        // |value| = significand / 2^shift exactly: below 2^53, a double has no bits left of the point beyond these.
        let normal = value.exponentBitPattern != 0
        let significand = UInt128(value.significandBitPattern | (normal ? 1 << 52 : 0))
        let shift = 1075 - Int(normal ? value.exponentBitPattern : 1)
        var scale: UInt128 = 1
        for _ in 0..<places { scale *= 10 }
        // |value| × 10^places, rounded to the nearest integer (a tie to the even one).
        let scaled = significand * scale
        var rounded: UInt128 = 0
        if shift == 0 {
            rounded = scaled
        } else if shift < 128 {
            rounded = scaled >> shift
            let remainder = scaled - rounded << shift
            let half = UInt128(1) << (shift - 1)
            if remainder > half || (remainder == half && rounded % 2 == 1) { rounded += 1 }
        } // else |value| < 2^-75: the scaled value, under 2^83, is less than half of 2^shift and rounds to zero.
        var text: [UInt8] = value.sign == .minus ? [UInt8(ascii: "-")] : []
        text += String(rounded / scale).utf8
        if places > 0 {
            let fraction = String(rounded % scale).utf8
            text.append(UInt8(ascii: "."))
            text += repeatElement(UInt8(ascii: "0"), count: places - fraction.count)
            text += fraction
        }
        return String(decoding: text, as: UTF8.self)
    }
}
