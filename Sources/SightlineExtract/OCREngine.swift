import CTesseract
import Foundation
import SightlineCore

/// Which PDF pages are recognised with OCR.
public enum OCRMode: String, CaseIterable, Sendable {
    /// Pages without a text layer that hold an image (scanned pages).
    case auto
    /// Every page, replacing its text layer.
    case always
    /// None: a scanned PDF gets `no_text_layer`, a scanned page `needs_ocr`.
    case never
}

/// Tesseract as this process finds it.
public enum OCRLibrary {
    /// Tesseract's version, or nil when libtesseract cannot be loaded.
    public static let version: String? = sightline_ocr_version().map { String(cString: $0) }

    /// Why OCR in `language` cannot run here, or nil when it can (loads the language data once to find out).
    public static func unavailability(language: String) -> String? {
        var reason = [CChar](repeating: 0, count: 512)
        guard let engine = sightline_ocr_open(language, &reason, reason.count) else {
            return String(cString: reason)
        }
        sightline_ocr_close(engine)
        return nil
    }
}

/// The words Tesseract read on one page, as layout lines in PDF points.
struct OCRPageText {
    var lines: [LayoutLine]
    var words: Int
    /// Mean word confidence (0-100), nil when no word was found.
    var meanConfidence: Double?
}

/// One Tesseract engine, made the first time a page needs it and kept for
/// the extractor's life (loading the language data takes a good part of a
/// second). Calls are serialised by a lock: an engine is not thread-safe.
final class OCRSession: @unchecked Sendable {
    let language: String
    private let lock = NSLock()
    private var engine: UnsafeMutableRawPointer?
    private var failure: String?

    init(language: String) { self.language = language }

    deinit { sightline_ocr_close(engine) }

    /// Why OCR is unavailable, or nil when the engine is ready.
    var unavailability: String? {
        lock.lock()
        defer { lock.unlock() }
        return openLocked()
    }

    private func openLocked() -> String? {
        if engine != nil { return nil }
        if let failure { return failure }
        var reason = [CChar](repeating: 0, count: 512)
        engine = sightline_ocr_open(language, &reason, reason.count)
        if engine == nil { failure = String(cString: reason) }
        return failure
    }

    /// Recognises a page rendered in cairo's RGB24 layout at `ppi`; nil when Tesseract failed.
    func recognise(pixels: UnsafePointer<UInt8>, width: Int, height: Int, stride: Int, ppi: Double) -> OCRPageText? {
        lock.lock()
        defer { lock.unlock() }
        guard openLocked() == nil, let engine else { return nil }
        var words: UnsafeMutablePointer<sightline_ocr_word>? = nil
        let count = sightline_ocr_read_rgb24(
            engine, pixels, Int32(width), Int32(height), Int32(stride), Int32(ppi.rounded()), &words)
        guard count >= 0 else { return nil }
        defer { sightline_ocr_free_words(words, count) }
        let list = UnsafeBufferPointer(start: words, count: Int(count))
        return Self.layout(list, scale: Float(72 / ppi))
    }

    /// Turns Tesseract's words into lines of glyphs, the shape the PDF cleaner reads.
    ///
    /// Tesseract gives boxes for words, not letters: each word's box is shared
    /// out evenly among its letters, and a space glyph spans the gap between
    /// two words. A line's glyphs all stand on one baseline (the median of its
    /// words' bottoms, since descenders push a few lower) and share one type
    /// size, Tesseract's estimate from the line's height, so the cleaner's
    /// paragraph and heading rules see the even geometry a text layer has.
    /// Every glyph carries its word's confidence.
    static func layout(_ words: UnsafeBufferPointer<sightline_ocr_word>, scale: Float) -> OCRPageText {
        var lines: [[sightline_ocr_word]] = []
        var confidenceSum = 0.0
        var counted = 0
        for word in words {
            guard let raw = word.text, raw.pointee != 0 else { continue }
            if word.starts_line != 0 || lines.isEmpty { lines.append([]) }
            lines[lines.count - 1].append(word)
            confidenceSum += Double(word.confidence)
            counted += 1
        }
        let sizes = lines.map { lineSize($0, scale: scale) }
        let pageSize = median(sizes.filter { $0 > 0 }) ?? 10
        var result: [LayoutLine] = []
        for (line, estimated) in zip(lines, sizes) {
            // Lines within a tenth of the page's usual size are body text set in
            // that size: Tesseract's estimates wander by a point from line to line.
            var size = estimated > 0 ? estimated : pageSize
            if abs(size - pageSize) <= pageSize * 0.1 { size = pageSize }
            let baseline = median(line.map { Float($0.bottom) * scale }) ?? 0
            let top = baseline - size * 0.75
            var glyphs: [LayoutGlyph] = []
            for (position, word) in line.enumerated() {
                var scalars = Array(String(cString: word.text).unicodeScalars)
                if position == 0 && line.count > 1 && isBulletGuess(scalars, confidence: word.confidence) {
                    scalars = ["•"]
                }
                let x0 = Float(word.left) * scale
                let x1 = Float(word.right) * scale
                let confidence = UInt8(max(0, min(100, word.confidence.rounded())))
                if let last = glyphs.last {
                    glyphs.append(
                        LayoutGlyph(
                            scalar: " ", x0: last.x1, y0: top, x1: max(last.x1, x0), y1: baseline, size: size,
                            bold: false))
                }
                let step = (x1 - x0) / Float(max(1, scalars.count))
                for (i, scalar) in scalars.enumerated() {
                    var glyph = LayoutGlyph(
                        scalar: scalar, x0: x0 + step * Float(i), y0: top, x1: x0 + step * Float(i + 1), y1: baseline,
                        size: size, bold: false)
                    glyph.ocrConfidence = confidence
                    glyphs.append(glyph)
                }
            }
            if !glyphs.isEmpty { result.append(LayoutLine(glyphs: glyphs)) }
        }
        return OCRPageText(
            lines: result, words: counted, meanConfidence: counted > 0 ? confidenceSum / Double(counted) : nil)
    }

    /// Tesseract has no bullet characters: a square or round bullet comes out
    /// as one or two letters or signs ("m", "m™", "@", "e") read with little
    /// confidence. Such a word opening a line is taken for a bullet, so that
    /// the cleaner makes the line a list item instead of printing the guess.
    static func isBulletGuess(_ scalars: [Unicode.Scalar], confidence: Float) -> Bool {
        guard scalars.count <= 2, confidence < 75 else { return false }
        return !scalars.contains { ("0"..."9").contains($0) || $0 == "(" || $0 == "[" }
    }

    /// A line's type size in points: Tesseract's estimate, else from the height of its words.
    static func lineSize(_ line: [sightline_ocr_word], scale: Float) -> Float {
        if let size = median(line.map(\.point_size).filter { $0 > 0 }.map(Float.init)) { return size }
        return median(line.map { Float($0.bottom - $0.top) * scale }).map { $0 / 0.95 } ?? 0
    }

    static func median(_ values: [Float]) -> Float? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }
}
