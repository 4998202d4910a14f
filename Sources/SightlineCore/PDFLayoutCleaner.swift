import Foundation

/// Turns the lines of a PDF's pages into clean blocks.
///
/// What it does, in order:
/// 1. Finds running headers and footers: lines in the top or bottom margin
///    whose text (with numbers masked) recurs at the same height on many pages,
///    and lone page numbers ("7", "Page 7 of 20", "- 7 -") in the margins.
/// 2. Finds footnotes: small-type lines at the foot of a page that start with
///    a number, and drops the small raised reference numbers in the body text.
/// 3. Groups lines into blocks by spacing, indentation, type size and bullets,
///    classifies headings (by size and weight) and list items.
/// 4. Joins words hyphenated across line ends ("assess-" + "ment"), keeping
///    real hyphens ("multi-agency"), and joins a paragraph that runs over a
///    page break into one block.
public struct PDFLayoutCleaner: Sendable {
    /// Fraction of the page height that counts as top or bottom margin.
    public var marginFraction: Float = 0.1
    /// A margin line must recur on at least this fraction of pages with text.
    public var repeatFraction: Float = 0.4

    public init() {}

    /// Statistics a caller can report or test.
    public struct Report: Sendable, Equatable {
        public var marginLinesRemoved = 0
        public var footnotes = 0
        public var hyphenationsJoined = 0
        public var hyphensKept = 0
        public var pageBreakJoins = 0
    }

    struct Piece {
        var kind: BlockKind
        var lines: [LayoutLine]
        var page: Int
        var label: String?
        var size: Float
        var bold: Bool
    }

    /// Cleans `pages` and adds the resulting blocks to `assembler`.
    @discardableResult
    public func assemble(pages: [LayoutPage], into assembler: inout BlockAssembler) -> Report {
        var report = Report()
        let margins = marginLines(pages, report: &report)
        let bodyLines = pages.enumerated().map { pageNumber, page in
            page.lines.enumerated().filter {
                !$0.element.isBlank && !margins.contains(LineID(page: pageNumber, line: $0.offset))
            }
            .map(\.element)
        }
        let bodySize = Self.bodySize(bodyLines)
        let pitch = Self.linePitch(bodyLines, bodySize: bodySize)
        var pieces: [Piece] = []
        var footnotes: [[Piece]] = []
        for (page, kept) in zip(pages, bodyLines) {
            let ordered = ReadingOrder.order(kept)
            let (body, notes) = splitFootnotes(ordered, page: page, bodySize: bodySize)
            let bodyPieces = segment(body, page: page, bodySize: bodySize, pitch: pitch)
            pieces.append(contentsOf: bodyPieces)
            footnotes.append(notes)
            report.footnotes += notes.count
        }
        // Only needed to decide line-end hyphens, so only built when one occurs.
        let hasLineEndHyphen = pieces.contains { $0.lines.dropLast().contains { $0.text.hasSuffix("-") } }
        let vocabulary = hasLineEndHyphen ? Self.vocabulary(pages) : Vocabulary()
        let headingLevels = Self.headingLevels(pieces)
        // Only pages read by OCR have confidences to average.
        let anyOCR = pages.contains { $0.isOCR }

        // Emit, joining paragraphs that run over a page break.
        var index = 0
        var footnotePageEmitted = -1
        func emitFootnotes(upTo page: Int, _ assembler: inout BlockAssembler) {
            while footnotePageEmitted < page {
                footnotePageEmitted += 1
                guard footnotePageEmitted < pages.count else { return }
                for note in footnotes[footnotePageEmitted] {
                    let text = Self.join(note.lines, vocabulary: vocabulary, report: &report)
                    assembler.add(
                        kind: .footnote, text: Self.dropFootnoteNumber(text), page: note.page,
                        pageLabel: note.label, bbox: Self.box(note.lines),
                        ocrConfidence: anyOCR ? Self.meanWordConfidence(note.lines) : nil)
                }
            }
        }
        while index < pieces.count {
            var piece = pieces[index]
            var endPage = piece.page
            var endLabel = piece.label
            var next = index + 1
            while next < pieces.count, piece.kind == .paragraph || piece.kind == .listItem,
                pieces[next].page > endPage, pieces[next].kind == .paragraph,
                Self.continues(piece.lines, into: pieces[next].lines)
            {
                piece.lines.append(contentsOf: pieces[next].lines)
                endPage = pieces[next].page
                endLabel = pieces[next].label
                report.pageBreakJoins += 1
                next += 1
            }
            // Footnotes of the pages before the one this block starts on come first.
            emitFootnotes(upTo: piece.page - 2, &assembler)
            var text = Self.join(piece.lines, vocabulary: vocabulary, report: &report)
            var level: Int? = nil
            if piece.kind == .heading { level = headingLevels[Self.sizeKey(piece.size, piece.bold)] ?? 1 }
            if piece.kind == .listItem { text = Self.dropBullet(text) }
            assembler.add(
                kind: piece.kind, text: text, level: level, page: piece.page, pageLabel: piece.label,
                pageEnd: endPage, pageEndLabel: endLabel, bbox: Self.box(pieces[index].lines),
                ocrConfidence: anyOCR ? Self.meanWordConfidence(piece.lines) : nil)
            index = next
        }
        emitFootnotes(upTo: pages.count - 1, &assembler)
        return report
    }

    // MARK: Margins

    struct LineID: Hashable {
        var page: Int
        var line: Int
    }

    /// Lines to drop: running headers, footers and page numbers.
    func marginLines(_ pages: [LayoutPage], report: inout Report) -> Set<LineID> {
        struct Occurrence {
            var id: LineID
            var y: Float
        }
        var candidates: [String: [Occurrence]] = [:]
        var drop = Set<LineID>()
        let textPages = max(1, pages.filter(\.hasText).count)
        for (p, page) in pages.enumerated() {
            let visible = page.lines.enumerated().filter { !$0.element.isBlank }
            let order = visible.sorted { $0.element.y0 < $1.element.y0 }
            let topEdge = page.height * marginFraction
            let bottomEdge = page.height * (1 - marginFraction)
            for (rank, entry) in order.enumerated() {
                let line = entry.element
                let zone: String
                if line.y1 <= topEdge && rank < 4 {
                    zone = "top"
                } else if line.y0 >= bottomEdge && rank >= order.count - 4 {
                    zone = "bottom"
                } else {
                    continue
                }
                let key = Self.maskNumbers(line.text)
                let id = LineID(page: p, line: entry.offset)
                if Self.isPageNumber(key) {
                    drop.insert(id)
                    continue
                }
                candidates[zone + "|" + key, default: []].append(Occurrence(id: id, y: line.y0))
            }
        }
        let needed = max(2, Int((Float(textPages) * repeatFraction).rounded(.up)))
        for (_, occurrences) in candidates {
            let pagesSeen = Set(occurrences.map(\.id.page))
            guard pagesSeen.count >= needed else { continue }
            let ys = occurrences.map(\.y).sorted()
            let median = ys[ys.count / 2]
            let aligned = occurrences.filter { abs($0.y - median) <= 6 }
            guard Set(aligned.map(\.id.page)).count >= needed else { continue }
            for occurrence in aligned { drop.insert(occurrence.id) }
        }
        report.marginLinesRemoved = drop.count
        return drop
    }

    /// Lower-cased text with digit runs and lone roman numerals masked and spaces removed.
    static func maskNumbers(_ text: String) -> String {
        var out = ""
        for word in text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\u{A0}" }) {
            if !word.isEmpty && word.allSatisfy({ "ivxlc".contains($0) }) && word.count <= 6 {
                out += "#"
                continue
            }
            var lastWasDigit = false
            for ch in word {
                if ch.isNumber {
                    if !lastWasDigit { out.append("#") }
                    lastWasDigit = true
                } else {
                    out.append(ch)
                    lastWasDigit = false
                }
            }
        }
        return out
    }

    static let pageNumberShapes: Set<String> = [
        "#", "page#", "page#of#", "#of#", "-#-", "–#–", "#/#", "p.#", "page#/#", "[#]", "(#)", "pg#",
        "page|#", "#|page",
    ]

    static func isPageNumber(_ masked: String) -> Bool { pageNumberShapes.contains(masked) }

    // MARK: Footnotes and superscripts

    /// Splits off the footnotes at the foot of the page: lines in small type
    /// below the last body-size line that start with a number or symbol.
    func splitFootnotes(_ items: [ReadingOrder.Item], page: LayoutPage, bodySize: Float) -> (
        [ReadingOrder.Item], [Piece]
    ) {
        // Footnotes are the trailing plain lines in small type below the last body-size line.
        var tailStart = items.count
        while tailStart > 0, case .line(let line) = items[tailStart - 1], line.size < bodySize * 0.9 { tailStart -= 1 }
        guard bodySize > 0, tailStart < items.count, tailStart > 0 else { return (items, []) }
        let tail = items[tailStart...].compactMap { item -> LayoutLine? in
            if case .line(let line) = item { return line }
            return nil
        }
        let lastBodyBottom: Float
        switch items[tailStart - 1] {
        case .line(let line): lastBodyBottom = line.y1
        case .cell(let lines, _): lastBodyBottom = lines.map(\.y1).max() ?? 0
        }
        guard let first = tail.first, first.y0 > page.height * 0.45, first.y0 >= lastBodyBottom - 1,
            Self.startsWithNoteMarker(first)
        else { return (items, []) }
        var notes: [Piece] = []
        for line in tail {
            if Self.startsWithNoteMarker(line) || notes.isEmpty {
                notes.append(
                    Piece(
                        kind: .footnote, lines: [line], page: page.index, label: page.label, size: line.size,
                        bold: false))
            } else {
                notes[notes.count - 1].lines.append(line)
            }
        }
        return (Array(items[..<tailStart]), notes)
    }

    static func startsWithNoteMarker(_ line: LayoutLine) -> Bool {
        guard let first = line.glyphs.first(where: { !$0.isSpace }) else { return false }
        return ("0"..."9").contains(first.scalar) || first.scalar == "*" || first.scalar == "†"
    }

    /// Removes small raised digits (footnote references) from a body line.
    func stripSuperscripts(_ line: LayoutLine) -> LayoutLine {
        guard line.size > 0 else { return line }
        var baseline: Float = 0
        var count: Float = 0
        for glyph in line.glyphs where !glyph.isSpace && glyph.size >= line.size * 0.9 {
            baseline += glyph.y1
            count += 1
        }
        guard count > 0 else { return line }
        baseline /= count
        let glyphs = line.glyphs.enumerated().filter { offset, glyph in
            let raisedDigit =
                glyph.size < line.size * 0.8 && ("0"..."9").contains(glyph.scalar)
                && glyph.y1 < baseline - line.size * 0.15
            // Only a reference when it follows a visible character.
            return !(raisedDigit && offset > 0)
        }.map(\.element)
        if glyphs.count == line.glyphs.count { return line }
        return LayoutLine(glyphs: glyphs)
    }

    static func dropFootnoteNumber(_ text: String) -> String {
        var scalars = Substring(text)
        while let first = scalars.first, first.isNumber || first == "*" || first == "†" { scalars.removeFirst() }
        let rest = scalars.drop { $0 == " " || $0 == "." || $0 == ")" }
        return rest.isEmpty ? text : String(rest)
    }

    // MARK: Segmentation

    static let bullets: Set<Unicode.Scalar> = [
        "•", "◦", "▪", "●", "○", "■", "□", "‣", "⁃", "∙", "·", "➢",
        "◼", "◾", "►", "▶", "➤", "✓", "✔", "❖", "◆", "⬤", "–", "-", "o",
    ]

    static func bulletStart(_ line: LayoutLine) -> Bool {
        let visible = line.glyphs.drop { $0.isSpace }
        guard let first = visible.first, bullets.contains(first.scalar) || isPrivateUse(first.scalar) else {
            return false
        }
        if first.scalar == "o" || first.scalar == "-" || first.scalar == "–" {
            // A letter o or a dash is a bullet only when a space follows it.
            let second = visible.dropFirst().first
            return second.map { $0.isSpace || $0.x0 - first.x1 > 2 } ?? false
        }
        return true
    }

    /// Symbol-font bullets exported from Word land in the private use area.
    static func isPrivateUse(_ scalar: Unicode.Scalar) -> Bool { (0xE000...0xF8FF).contains(scalar.value) }

    static func dropBullet(_ text: String) -> String {
        var rest = Substring(text)
        if let first = rest.unicodeScalars.first, bullets.contains(first) || isPrivateUse(first) {
            rest = rest.dropFirst()
        }
        return String(rest.drop { $0 == " " })
    }

    /// Groups a page's body lines into pieces.
    func segment(_ items: [ReadingOrder.Item], page: LayoutPage, bodySize: Float, pitch: Float) -> [Piece] {
        var pieces: [Piece] = []
        for item in items {
            let line: LayoutLine
            switch item {
            case .cell(let lines, _):
                let cellLines = lines.map { stripSuperscripts($0) }
                pieces.append(
                    Piece(
                        kind: .tableCell, lines: cellLines, page: page.index, label: page.label,
                        size: cellLines[0].size, bold: cellLines[0].bold))
                continue
            case .line(let raw):
                line = stripSuperscripts(raw)
            }
            let isBullet = Self.bulletStart(line)
            let isLarge = line.size >= bodySize * 1.12
            let kind: BlockKind =
                isBullet
                ? .listItem : ((isLarge || (line.bold && line.size >= bodySize * 0.95)) ? .heading : .paragraph)
            if var current = pieces.last, current.kind != .tableCell, let previous = current.lines.last {
                let gap = line.y1 - previous.y1
                let sameStyle = abs(line.size - current.size) < 0.6 && line.bold == current.bold
                let wentUp = line.y1 < previous.y1 - 1
                let besideIt = line.x0 > previous.x1 + 2 && line.y0 < previous.y1
                let spaced = gap > pitch * 1.3 + 0.5
                let indentedStart =
                    current.kind == .paragraph && line.x0 > previous.x0 + 12 && current.lines.count > 0
                    && previous.x1 < line.x0
                var continues = !isBullet && sameStyle && !wentUp && !besideIt && !spaced && !indentedStart
                if current.kind == .listItem && !isBullet && !spaced && !wentUp && abs(line.size - current.size) < 0.6 {
                    continues = true // hanging indent under a bullet
                }
                if current.kind == .heading && kind == .heading && !spaced && !wentUp
                    && abs(line.size - current.size) < 0.6
                {
                    continues = true // a heading set over two lines
                }
                if continues {
                    current.lines.append(line)
                    pieces[pieces.count - 1] = current
                    continue
                }
            }
            pieces.append(
                Piece(kind: kind, lines: [line], page: page.index, label: page.label, size: line.size, bold: line.bold))
        }
        // A "heading" of many words is a bold paragraph, not a heading.
        for i in pieces.indices where pieces[i].kind == .heading {
            let words = pieces[i].lines.reduce(0) { $0 + $1.text.split(separator: " ").count }
            if words > 25 || (pieces[i].size < bodySize * 1.12 && words > 14) { pieces[i].kind = .paragraph }
        }
        return pieces
    }

    /// Half-point size and weight as one key. Sizes are clamped to 0…100,000
    /// points first: Int(Float) traps on infinity, NaN and values past Int's range.
    static func sizeKey(_ size: Float, _ bold: Bool) -> Int {
        let points = size.isFinite ? Swift.min(Swift.max(size, 0), 100_000) : 0
        return Int(points * 2) * 2 + (bold ? 1 : 0)
    }

    /// Heading levels by type size and weight: the largest style is level 1.
    static func headingLevels(_ pieces: [Piece]) -> [Int: Int] {
        let keys = Set(pieces.filter { $0.kind == .heading }.map { sizeKey($0.size, $0.bold) })
        var levels: [Int: Int] = [:]
        for (rank, key) in keys.sorted(by: >).enumerated() { levels[key] = min(rank + 1, 6) }
        return levels
    }

    /// The usual distance between the baselines of consecutive lines of body
    /// text in the document; a larger gap starts a new paragraph.
    static func linePitch(_ pages: [[LayoutLine]], bodySize: Float) -> Float {
        var pitches: [Float: Int] = [:]
        for lines in pages {
            for (a, b) in zip(lines, lines.dropFirst()) where a.size == bodySize && b.size == bodySize {
                let distance = b.y1 - a.y1
                if distance > bodySize * 0.8 && distance < bodySize * 3 {
                    pitches[(distance * 2).rounded() / 2, default: 0] += 1
                }
            }
        }
        return pitches.max { $0.value == $1.value ? $0.key > $1.key : $0.value < $1.value }?.key ?? bodySize * 1.3
    }

    /// The document's body type size: the size carrying the most glyphs.
    static func bodySize(_ pages: [[LayoutLine]]) -> Float {
        var counts: [Float: Int] = [:]
        for lines in pages {
            for line in lines where !line.isBlank { counts[line.size, default: 0] += line.glyphs.count }
        }
        return counts.max { $0.value == $1.value ? $0.key > $1.key : $0.value < $1.value }?.key ?? 0
    }

    /// The mean confidence of the OCR words in `lines` (a word: a run of
    /// glyphs after a space or a line's start), or nil when none was read by OCR.
    static func meanWordConfidence(_ lines: [LayoutLine]) -> Double? {
        var sum = 0
        var words = 0
        for line in lines {
            var atWordStart = true
            for glyph in line.glyphs {
                if glyph.isSpace {
                    atWordStart = true
                    continue
                }
                if atWordStart && glyph.ocrConfidence != 255 {
                    sum += Int(glyph.ocrConfidence)
                    words += 1
                }
                atWordStart = false
            }
        }
        return words > 0 ? Double(sum) / Double(words) : nil
    }

    static func box(_ lines: [LayoutLine]) -> BoundingBox? {
        guard let first = lines.first else { return nil }
        var box = BoundingBox(x0: Double(first.x0), y0: Double(first.y0), x1: Double(first.x1), y1: Double(first.y1))
        for line in lines.dropFirst() {
            box = box.union(
                BoundingBox(x0: Double(line.x0), y0: Double(line.y0), x1: Double(line.x1), y1: Double(line.y1)))
        }
        return box
    }
}
