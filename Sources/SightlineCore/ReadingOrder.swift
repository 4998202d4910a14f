/// Puts a page's text into reading order from its geometry.
///
/// poppler's own order is good for running text but mixes up two things
/// reviews are full of: two-column pages (it may read across both columns
/// row by row) and tables (it may read a table column by column, or split a
/// widely justified line into single words). So the lines are cut into
/// segments at wide gaps, the segments are gathered into rows by vertical
/// overlap, and the rows are read top to bottom, except where several rows
/// share an empty vertical strip (a gutter) with text on both sides:
/// - one central gutter with wide text on both sides is a two-column
///   region, read left column then right column;
/// - any other gutters make a table region, read row by row, one cell per
///   column, where a cell gathers the lines of its column until the first
///   column starts a new row.
public enum ReadingOrder {
    /// A unit of the page in reading order.
    public enum Item: Sendable {
        case line(LayoutLine)
        /// A table cell and its lines; `row` counts the table's rows on the page.
        case cell([LayoutLine], row: Int)
    }

    struct Row {
        var segments: [LayoutLine]
        var y0: Float
        var y1: Float
    }

    /// Minimum width of an empty strip that separates columns or cells.
    static let minimumGutter: Float = 7

    public static func order(_ lines: [LayoutLine]) -> [Item] {
        let segments = lines.flatMap(split)
        guard !segments.isEmpty else { return [] }
        let rows = gatherRows(segments)
        var items: [Item] = []
        var start = 0
        var tableRow = 0
        while start < rows.count {
            if let (regionEnd, gutters) = region(rows, from: start), regionEnd - start >= 3 {
                var end = regionEnd
                var slice = Array(rows[start..<end])
                if isTwoColumn(slice, gutters: gutters) {
                    let cut = (gutters[0].0 + gutters[0].1) / 2
                    end = trimTrailingRows(rows[start..<end], cut: cut)
                    slice = Array(rows[start..<end])
                    for side in 0..<2 {
                        for row in slice {
                            let part = row.segments.filter { side == 0 ? $0.x1 <= cut : $0.x0 >= cut }
                            if !part.isEmpty { items.append(.line(merge(part))) }
                        }
                    }
                } else {
                    items += table(slice, gutters: gutters, firstRow: &tableRow)
                }
                start = end
            } else {
                items.append(.line(merge(rows[start].segments)))
                start += 1
            }
        }
        return items
    }

    /// Cuts a line where visible glyphs stand far apart.
    static func split(_ line: LayoutLine) -> [LayoutLine] {
        // Most lines have no wide gap and no stray spaces at the ends: keep them as they are.
        if let first = line.glyphs.first, let last = line.glyphs.last, !first.isSpace, !last.isSpace, !hasWideGap(line)
        {
            return [line]
        }
        var pieces: [LayoutLine] = []
        var current: [LayoutGlyph] = []
        var lastVisible: LayoutGlyph? = nil
        for glyph in line.glyphs {
            if !glyph.isSpace, let previous = lastVisible,
                glyph.x0 - previous.x1 > max(glyph.size, previous.size, 6) * 0.8
            {
                while current.last?.isSpace == true { current.removeLast() }
                if !current.isEmpty { pieces.append(LayoutLine(glyphs: current)) }
                current = []
            }
            if glyph.isSpace && current.isEmpty { continue }
            current.append(glyph)
            if !glyph.isSpace { lastVisible = glyph }
        }
        while current.last?.isSpace == true { current.removeLast() }
        if !current.isEmpty { pieces.append(LayoutLine(glyphs: current)) }
        return pieces
    }

    static func hasWideGap(_ line: LayoutLine) -> Bool {
        var lastVisible: LayoutGlyph? = nil
        for glyph in line.glyphs where !glyph.isSpace {
            if let previous = lastVisible, glyph.x0 - previous.x1 > max(glyph.size, previous.size, 6) * 0.8 {
                return true
            }
            lastVisible = glyph
        }
        return false
    }

    /// Gathers segments into rows: a segment joins a row when they overlap vertically by half the smaller height.
    static func gatherRows(_ segments: [LayoutLine]) -> [Row] {
        let sorted = segments.enumerated().sorted { a, b in
            let ca = (a.element.y0 + a.element.y1) / 2
            let cb = (b.element.y0 + b.element.y1) / 2
            return ca == cb ? a.offset < b.offset : ca < cb
        }.map(\.element)
        var rows: [Row] = []
        for segment in sorted {
            if var row = rows.last {
                let overlap = min(row.y1, segment.y1) - max(row.y0, segment.y0)
                let smaller = min(row.y1 - row.y0, segment.y1 - segment.y0)
                if smaller > 0 && overlap >= smaller * 0.5 {
                    row.segments.append(segment)
                    row.y0 = min(row.y0, segment.y0)
                    row.y1 = max(row.y1, segment.y1)
                    rows[rows.count - 1] = row
                    continue
                }
            }
            rows.append(Row(segments: [segment], y0: segment.y0, y1: segment.y1))
        }
        for i in rows.indices { rows[i].segments.sort { $0.x0 < $1.x0 } }
        return rows
    }

    /// The empty strips between a row's segments.
    static func gaps(_ row: Row) -> [(Float, Float)] {
        var out: [(Float, Float)] = []
        var right = row.segments[0].x1
        for segment in row.segments.dropFirst() {
            if segment.x0 - right >= minimumGutter { out.append((right, segment.x0)) }
            right = max(right, segment.x1)
        }
        return out
    }

    /// The longest run of rows from `start` that keep at least one gutter:
    /// an empty strip with text on both sides in at least two rows.
    static func region(_ rows: [Row], from start: Int) -> (Int, [(Float, Float)])? {
        var strips = gaps(rows[start])
        guard !strips.isEmpty else { return nil }
        var bothSides = [Int](repeating: 1, count: strips.count)
        var end = start + 1
        while end < rows.count {
            let row = rows[end]
            var next: [(Float, Float)] = []
            var nextBoth: [Int] = []
            for (i, strip) in strips.enumerated() {
                // What this row leaves empty of the strip; keep the widest part.
                var parts = [strip]
                for segment in row.segments {
                    parts = parts.flatMap { part -> [(Float, Float)] in
                        if segment.x1 <= part.0 || segment.x0 >= part.1 { return [part] }
                        return [(part.0, segment.x0), (segment.x1, part.1)].filter { $0.1 - $0.0 >= minimumGutter }
                    }
                }
                guard let widest = parts.max(by: { $0.1 - $0.0 < $1.1 - $1.0 }) else { continue }
                // A list number or footnote number before its text is not a column.
                let left = row.segments.contains { $0.x1 <= widest.0 && !isMarker($0) }
                let right = row.segments.contains { $0.x0 >= widest.1 }
                next.append(widest)
                nextBoth.append(bothSides[i] + (left && right ? 1 : 0))
            }
            if next.isEmpty { break }
            strips = next
            bothSides = nextBoth
            end += 1
        }
        let kept = zip(strips, bothSides).filter { $0.1 >= 2 }.map(\.0)
        return kept.isEmpty ? nil : (end, kept)
    }

    /// "3", "12.", "iv)", "a)", "•": the number or bullet of a list item or footnote.
    static func isMarker(_ segment: LayoutLine) -> Bool {
        var text = segment.text.trimmingCharacters(in: .whitespaces)
        if let last = text.last, last == "." || last == ")" { text.removeLast() }
        if text.isEmpty { return true }
        if text.count == 1, let scalar = text.unicodeScalars.first, !("0"..."9").contains(scalar) {
            return true // a single letter or a bullet
        }
        if text.count <= 3 && text.allSatisfy(\.isNumber) { return true }
        return text.count <= 4 && text.allSatisfy { "ivx".contains($0) }
    }

    /// Drops rows from the end of a two-column region that stand apart from
    /// it: a heading after the columns, not a short last line of a column.
    static func trimTrailingRows(_ rows: ArraySlice<Row>, cut: Float) -> Int {
        var end = rows.endIndex
        let pitches = zip(rows, rows.dropFirst()).map { $1.y0 - $0.y0 }.sorted()
        guard let typical = pitches.first(where: { $0 > 0 }) ?? pitches.first else { return end }
        while end - rows.startIndex > 3 {
            let row = rows[end - 1]
            let oneSided = row.segments.allSatisfy { $0.x1 <= cut } || row.segments.allSatisfy { $0.x0 >= cut }
            guard oneSided, row.y0 - rows[end - 2].y0 > typical * 1.5 else { break }
            end -= 1
        }
        return end
    }

    /// One central gutter with wide text on both sides.
    static func isTwoColumn(_ rows: [Row], gutters: [(Float, Float)]) -> Bool {
        guard gutters.count == 1 else { return false }
        let left = rows.flatMap(\.segments).map(\.x0).min() ?? 0
        let right = rows.flatMap(\.segments).map(\.x1).max() ?? 0
        let width = right - left
        guard width > 0 else { return false }
        let middle = (gutters[0].0 + gutters[0].1) / 2
        return middle > left + width * 0.35 && middle < left + width * 0.65
    }

    static func table(_ rows: [Row], gutters: [(Float, Float)], firstRow: inout Int) -> [Item] {
        let cuts = gutters.map { ($0.0 + $0.1) / 2 }.sorted()
        func column(_ segment: LayoutLine) -> Int { cuts.filter { (segment.x0 + segment.x1) / 2 > $0 }.count }
        // A new table row starts after a wider gap than the lines of one cell
        // leave; when every gap is alike, wherever the first column has text.
        let spaces = zip(rows, rows.dropFirst()).map { $1.y0 - $0.y1 }
        let narrowest = spaces.min() ?? 0
        let discriminates = (spaces.max() ?? 0) - narrowest > 2.5
        var items: [Item] = []
        var cells: [[LayoutLine]] = []
        var previous: Row? = nil
        func flush() {
            for cell in cells where !cell.isEmpty { items.append(.cell(cell, row: firstRow)) }
            if !cells.isEmpty { firstRow += 1 }
            cells = []
        }
        for row in rows {
            let columns = row.segments.map(column)
            let newRow =
                discriminates ? (previous.map { row.y0 - $0.y1 > narrowest + 2.5 } ?? true) : columns.contains(0)
            if cells.isEmpty || newRow { flush() }
            previous = row
            if cells.isEmpty { cells = Array(repeating: [], count: cuts.count + 1) }
            for (segment, index) in zip(row.segments, columns) { cells[index].append(segment) }
        }
        flush()
        return items
    }

    /// Joins a row's segments, left to right, into one line.
    static func merge(_ segments: [LayoutLine]) -> LayoutLine {
        if segments.count == 1 { return segments[0] }
        var glyphs: [LayoutGlyph] = []
        for segment in segments.sorted(by: { $0.x0 < $1.x0 }) {
            if let last = glyphs.last {
                glyphs.append(
                    LayoutGlyph(
                        scalar: " ", x0: last.x1, y0: last.y0, x1: segment.x0, y1: last.y1, size: last.size,
                        bold: last.bold))
            }
            glyphs += segment.glyphs
        }
        return LayoutLine(glyphs: glyphs)
    }
}
