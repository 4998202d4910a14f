/// One character on a PDF page as the PDF reader reports it: the Unicode
/// scalar, its box (points, origin top left), font size and weight.
public struct LayoutGlyph: Sendable {
    public var scalar: Unicode.Scalar
    public var x0: Float
    public var y0: Float
    public var x1: Float
    public var y1: Float
    public var size: Float
    public var bold: Bool
    /// For text read by OCR: the confidence (0-100) of the word the glyph is in; 255 for a text layer.
    /// (One byte, which fits in the struct's padding, so text-layer pages pay nothing for it.)
    public var ocrConfidence: UInt8 = 255

    public init(scalar: Unicode.Scalar, x0: Float, y0: Float, x1: Float, y1: Float, size: Float, bold: Bool) {
        self.scalar = scalar
        self.x0 = x0
        self.y0 = y0
        self.x1 = x1
        self.y1 = y1
        self.size = size
        self.bold = bold
    }

    var isSpace: Bool { scalar == " " || scalar == "\t" || scalar == "\u{A0}" }
}

/// A line of text in the reader's reading order, with derived geometry.
public struct LayoutLine: Sendable {
    public let glyphs: [LayoutGlyph]
    /// The line's text (see `makeText`), computed once.
    public private(set) var text = ""
    public private(set) var x0: Float = 0
    public private(set) var y0: Float = 0
    public private(set) var x1: Float = 0
    public private(set) var y1: Float = 0
    /// The most common font size of the line's visible glyphs.
    public private(set) var size: Float = 0
    /// True when most visible glyphs are bold.
    public private(set) var bold = false

    public init(glyphs: [LayoutGlyph]) {
        self.glyphs = glyphs
        measure()
    }

    mutating func measure() {
        var first = true
        // Font sizes in half points, counted in a small list (lines have few sizes).
        var sizes: [(size: Float, count: Int)] = []
        var boldCount = 0
        var visible = 0
        for glyph in glyphs where !glyph.isSpace {
            if first {
                (x0, y0, x1, y1) = (glyph.x0, glyph.y0, glyph.x1, glyph.y1)
                first = false
            } else {
                x0 = min(x0, glyph.x0)
                y0 = min(y0, glyph.y0)
                x1 = max(x1, glyph.x1)
                y1 = max(y1, glyph.y1)
            }
            let rounded = (glyph.size * 2).rounded() / 2
            if let at = sizes.firstIndex(where: { $0.size == rounded }) {
                sizes[at].count += 1
            } else {
                sizes.append((rounded, 1))
            }
            if glyph.bold { boldCount += 1 }
            visible += 1
        }
        size = sizes.max { a, b in a.count == b.count ? a.size > b.size : a.count < b.count }?.size ?? 0
        bold = visible > 0 && boldCount * 2 > visible
        text = makeText()
    }

    /// Where two glyphs stand apart by more than a third of
    /// the type size with no space between them (table cells, tab stops), a
    /// space is put in so that the words do not run together.
    func makeText() -> String {
        var view = String.UnicodeScalarView()
        var previous: LayoutGlyph? = nil
        for glyph in glyphs {
            if let previous, !previous.isSpace, !glyph.isSpace,
                glyph.x0 - previous.x1 > max(glyph.size, previous.size) * 0.33
            {
                view.append(" ")
            }
            view.append(glyph.scalar)
            previous = glyph
        }
        return String(view)
    }

    public var isBlank: Bool { !glyphs.contains { !$0.isSpace } }
    var height: Float { y1 - y0 }
}

/// One PDF page: its index and printed label, size, and lines in reading order.
public struct LayoutPage: Sendable {
    /// 1-based page index.
    public var index: Int
    public var label: String?
    public var width: Float
    public var height: Float
    public var lines: [LayoutLine]
    /// The lines were read by OCR from the page's image.
    public var isOCR = false

    public init(index: Int, label: String?, width: Float, height: Float, lines: [LayoutLine]) {
        self.index = index
        self.label = label
        self.width = width
        self.height = height
        self.lines = lines
    }

    public var hasText: Bool { lines.contains { !$0.isBlank } }
}
