import Foundation
import SightlineCore

/// Reads a Rich Text Format file with Sightline's own bounds-checked scanner:
/// groups, control words and symbols, `\par`, `\page`, `\cell`, `\uN`
/// (with its `\ucN` fallback skipped), `\'hh` in the document's or the
/// font's code page, and `\binN` data skipped by its length. Headings come
/// from `\outlinelevelN` or from the stylesheet's heading styles; footnotes
/// become footnote blocks. Pictures, objects, headers and footers, the font,
/// colour and style tables, `\info` (whose `\title` is kept as the title) and
/// every `{\* …}` destination Sightline does not read are skipped.
///
/// RTF stores no page layout, only the page breaks written as `\page` or
/// `\pagebb`: page numbers come from those, with a warning either way.
struct RTFReader {
    var options: ExtractOptions

    func read(bytes: [UInt8], into assembler: inout BlockAssembler) throws -> ReadDocument {
        var scanner = RTFScanner(bytes: bytes, maxDepth: options.maxDepth)
        try scanner.scan()
        for block in scanner.blocks {
            assembler.add(kind: block.kind, text: block.text, level: block.level, page: block.page)
        }
        for note in scanner.notes { assembler.add(kind: .footnote, text: note.text, page: note.page) }
        var warnings = scanner.warnings
        if scanner.page > 1 {
            warnings.append(
                ExtractionWarning(
                    code: "pages_from_breaks",
                    message: "page numbers count only the page breaks written into the RTF (\\page); "
                        + "pages that the word processor broke by itself are not stored in the file"))
        } else {
            warnings.append(
                ExtractionWarning(
                    code: "no_page_numbers",
                    message:
                        "RTF stores no page layout and this file has no page breaks: every block is reported on page 1")
            )
        }
        let title = scanner.title.map(TextNormalizer.normalize).flatMap { $0.isEmpty ? nil : $0 }
        return ReadDocument(
            mediaType: .rtf, pageCount: scanner.page, title: title, extractorName: "rtf", libraries: [:],
            warnings: warnings)
    }
}

/// The scanner behind `RTFReader`: one pass over the bytes, every index checked.
struct RTFScanner {
    typealias Block = PagedBlock

    /// Where a group's text goes.
    enum Destination {
        case body, footnote, skip, fontTable, styleSheet, styleEntry, info, title, listText
    }

    /// The state that a group saves and restores.
    struct GroupState {
        var destination = Destination.body
        /// The destination was started in this group, so it ends when the group does.
        var ownsDestination = false
        var unicodeSkip = 1
        var font = 0
        var hidden = false
        var style = 0
        var outlineLevel: Int? = nil
        var inTable = false
        var inList = false
    }

    let bytes: [UInt8]
    let maxDepth: Int
    private(set) var blocks: [Block] = []
    private(set) var notes: [Block] = []
    private(set) var warnings: [ExtractionWarning] = []
    private(set) var page = 1
    private(set) var title: String? = nil

    private var state = GroupState()
    private var stack: [GroupState] = []
    private var position = 0
    /// Bytes waiting to be decoded in the code page, and UTF-16 units from `\uN`.
    private var pendingBytes: [UInt8] = []
    private var pendingUnits: [UInt16] = []
    /// Fallback characters still to skip after a `\uN`.
    private var skipCount = 0
    private var paragraph = ""
    private var cell: [String] = []
    private var footnote = ""
    private var listText = ""
    private var titleText = ""
    private var styleName = ""
    private var styleNumber: Int? = 0
    private var styleLevel: Int? = nil
    private var styleLevels: [Int: Int] = [:]
    private var fontCharsets: [Int: Int] = [:]
    private var tableFont = 0
    private var ansiCodePage = 1252
    private var defaultFont = 0
    private var pageBreakBefore = false
    private var strayCloses = 0
    private var ignorableNext = false
    /// The index of the last byte that is not white space or NUL.
    private var lastSignificant = 0
    private let codePages = RTFCodePage()

    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// Destinations whose text is not the document's.
    static let skippedDestinations: Set<String> = [
        "pict", "object", "header", "headerl", "headerr", "headerf", "footer", "footerl", "footerr", "footerf",
        "colortbl", "listtable", "listoverridetable", "rsidtbl", "revtbl", "filetbl", "generator", "xmlnstbl",
        "themedata", "colorschememapping", "datastore", "latentstyles", "pgdsctbl", "fldinst", "nonshppict",
        "shpinst", "shprslt", "private", "annotation", "atnid", "atnauthor", "atndate", "xe", "tc", "bkmkstart",
        "bkmkend", "template", "docvar", "mmathPr", "author", "operator", "keywords", "comment", "doccomm",
        "subject", "company", "category", "manager", "hlinkbase", "buptim", "creatim", "revtim", "printim",
    ]

    mutating func scan() throws {
        let count = bytes.count
        var start = 0
        while start < count,
            bytes[start] == 0x20 || bytes[start] == 0x0A || bytes[start] == 0x0D || bytes[start] == 0x09
        {
            start += 1
        }
        guard count - start >= 5, Array(bytes[start..<(start + 5)]) == Array("{\\rtf".utf8) else {
            throw ExtractionError(
                .damaged, "the file does not start with {\\rtf: it is not an RTF document, or its start is damaged")
        }
        position = start
        lastSignificant = count - 1
        while lastSignificant >= 0, [0x20, 0x0A, 0x0D, 0x09, 0x00].contains(bytes[lastSignificant]) {
            lastSignificant -= 1
        }
        while position < count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "{"):
                position += 1
                try open()
            case UInt8(ascii: "}"):
                position += 1
                close()
            case UInt8(ascii: "\\"):
                position += 1
                controlWord()
            case 0x0A, 0x0D, 0x00:
                position += 1
            case 0x09:
                position += 1
                text(" ")
            default:
                position += 1
                if state.destination == .skip {
                    // Picture data and the like: passed over without decoding.
                    while position < count, bytes[position] != UInt8(ascii: "{"), bytes[position] != UInt8(ascii: "}"),
                        bytes[position] != UInt8(ascii: "\\")
                    {
                        position += 1
                    }
                } else {
                    textByte(byte)
                }
            }
        }
        flush()
        if !stack.isEmpty {
            warnings.append(
                ExtractionWarning(
                    code: "unbalanced_braces",
                    message: "the RTF ends with \(stack.count) group\(stack.count == 1 ? "" : "s") still open "
                        + "(an unclosed brace): the file may be truncated; the text up to its end was read"))
            stack.removeAll()
        }
        endParagraph()
        if !cell.isEmpty { endCell() }
    }

    private mutating func open() throws {
        flush()
        if stack.count >= maxDepth {
            throw ExtractionError(
                .tooDeep, "the RTF nests groups more than \(maxDepth) deep: it is not an ordinary document")
        }
        stack.append(state)
        state.ownsDestination = false
        ignorableNext = false
        switch state.destination {
        case .styleSheet:
            state.destination = .styleEntry
            state.ownsDestination = true
            styleName = ""
            styleNumber = 0
            styleLevel = nil
        default:
            break
        }
        skipCount = 0
    }

    private mutating func close() {
        flush()
        ignorableNext = false
        skipCount = 0
        guard let saved = stack.popLast() else {
            strayCloses += 1
            if strayCloses == 1 {
                warnings.append(
                    ExtractionWarning(
                        code: "unbalanced_braces",
                        message: "the RTF closes more groups than it opens "
                            + "(a stray ‘}’ near byte \(position - 1)): "
                            + "the text after it was still read"))
            }
            return
        }
        if state.ownsDestination { endDestination(state.destination) }
        state = saved
        if stack.isEmpty && hasMoreText() {
            // The outermost group closed early: keep reading as if it were still open.
            stack.append(state)
            strayCloses += 1
            if strayCloses == 1 {
                warnings.append(
                    ExtractionWarning(
                        code: "unbalanced_braces",
                        message:
                            "the RTF closes its outermost group before its end "
                            + "(a stray ‘}’ near byte \(position - 1)): "
                            + "the text after it was still read"))
            }
        }
    }

    /// Whether anything but white space and NULs follows the current position.
    private func hasMoreText() -> Bool { position <= lastSignificant }

    private mutating func endDestination(_ destination: Destination) {
        switch destination {
        case .footnote:
            notes.append(Block(kind: .footnote, level: nil, text: footnote, page: page))
            footnote = ""
        case .styleEntry:
            var name = styleName.trimmingCharacters(in: .whitespaces)
            if name.hasSuffix(";") { name.removeLast() }
            if let number = styleNumber, let level = styleLevel ?? ODTStyles.levelFromName(name) {
                styleLevels[number] = level
            }
        case .title:
            title = titleText
        default:
            break
        }
    }

    private mutating func begin(_ destination: Destination) {
        state.destination = destination
        state.ownsDestination = true
    }

    // MARK: Control words

    private mutating func controlWord() {
        guard position < bytes.count else { return }
        let first = bytes[position]
        if !Self.isLetter(first) {
            position += 1
            controlSymbol(first)
            return
        }
        var end = position
        while end < bytes.count, end - position < 32, Self.isLetter(bytes[end]) { end += 1 }
        let word = String(decoding: bytes[position..<end], as: UTF8.self)
        position = end
        var parameter: Int? = nil
        var negative = false
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        var digits = 0
        var value = 0
        while position < bytes.count, digits < 10, bytes[position] >= 0x30, bytes[position] <= 0x39 {
            value = value * 10 + Int(bytes[position] - 0x30)
            digits += 1
            position += 1
        }
        if digits > 0 { parameter = negative ? -value : value }
        if position < bytes.count, bytes[position] == 0x20 { position += 1 }
        if word == "u" || word == "bin" {
            special(word, parameter ?? 0)
            return
        }
        // A control word ends a \u's fallback text rather than being swallowed by it.
        skipCount = 0
        flush()
        apply(word, parameter)
    }

    private mutating func special(_ word: String, _ parameter: Int) {
        if word == "bin" {
            // Binary data: skipped by its stated length, never past the end.
            position += min(max(parameter, 0), bytes.count - position)
            return
        }
        if !pendingBytes.isEmpty { flush() }
        let unit = parameter < 0 ? parameter + 65_536 : parameter
        if unit >= 0, unit <= 0xFFFF { pendingUnits.append(UInt16(unit)) }
        skipCount = max(0, state.unicodeSkip)
    }

    private mutating func controlSymbol(_ symbol: UInt8) {
        switch symbol {
        case UInt8(ascii: "'"):
            guard position + 2 <= bytes.count, let high = Self.hex(bytes[position]),
                let low = Self.hex(bytes[position + 1])
            else {
                return
            }
            position += 2
            if skipCount > 0 {
                skipCount -= 1
                return
            }
            if !pendingUnits.isEmpty { flush() }
            pendingBytes.append(high << 4 | low)
            return
        case UInt8(ascii: "*"):
            ignorableNext = true
            return
        default:
            break
        }
        skipCount = 0
        switch symbol {
        case UInt8(ascii: "\\"), UInt8(ascii: "{"), UInt8(ascii: "}"): textByte(symbol)
        case UInt8(ascii: "~"): text("\u{00A0}")
        case UInt8(ascii: "_"): text("\u{2011}")
        case UInt8(ascii: "-"): break
        case 0x0A, 0x0D: apply("par", nil)
        case 0x09: text(" ")
        default: break
        }
    }

    /// One control word (not `\u` or `\bin`), after pending text was flushed.
    private mutating func apply(_ word: String, _ parameter: Int?) {
        let ignorable = ignorableNext
        ignorableNext = false
        if state.destination == .skip { return }
        switch word {
        case "footnote":
            begin(.footnote)
            footnote = ""
            return
        case "fonttbl":
            begin(.fontTable)
            return
        case "stylesheet":
            begin(.styleSheet)
            return
        case "info":
            begin(.info)
            return
        case "title" where state.destination == .info:
            begin(.title)
            titleText = ""
            return
        case "listtext", "pntext":
            begin(.listText)
            listText = ""
            return
        default:
            break
        }
        if ignorable || Self.skippedDestinations.contains(word) {
            begin(.skip)
            return
        }
        switch state.destination {
        case .skip, .info, .title, .footnote, .body, .listText:
            break
        case .fontTable:
            if word == "f", let parameter { tableFont = parameter }
            if word == "fcharset", let parameter { fontCharsets[tableFont] = parameter }
            return
        case .styleSheet, .styleEntry:
            if word == "s" { styleNumber = parameter ?? 0 }
            if word == "cs" || word == "ds" || word == "ts" { styleNumber = nil }
            if word == "outlinelevel", let parameter, parameter >= 0, parameter < 9 { styleLevel = parameter + 1 }
            return
        }
        switch word {
        case "ansicpg": if let parameter, parameter > 0 { ansiCodePage = parameter }
        case "deff":
            defaultFont = parameter ?? 0
            state.font = defaultFont
        case "f": state.font = parameter ?? defaultFont
        case "uc": state.unicodeSkip = max(0, min(parameter ?? 1, 10))
        case "v": state.hidden = (parameter ?? 1) != 0
        case "plain": state.hidden = false
        case "pard":
            state.style = 0
            state.outlineLevel = nil
            state.inTable = false
            state.inList = false
        case "s": state.style = parameter ?? 0
        case "outlinelevel":
            if let parameter, parameter >= 0, parameter < 9 {
                state.outlineLevel = parameter + 1
            } else {
                state.outlineLevel = nil
            }
        case "intbl": state.inTable = true
        case "ls", "ilvl": state.inList = true
        case "pagebb":
            if !blocks.isEmpty && paragraph.isEmpty { newPage() } else { pageBreakBefore = true }
        case "par", "sect":
            endOfParagraphMark()
        case "page":
            endOfParagraphMark()
            newPage()
        case "cell", "nestcell":
            if state.destination == .body { endCell() }
        case "row", "nestrow":
            break
        case "line", "tab": text(" ")
        case "emdash": text("\u{2014}")
        case "endash": text("\u{2013}")
        case "lquote": text("\u{2018}")
        case "rquote": text("\u{2019}")
        case "ldblquote": text("\u{201C}")
        case "rdblquote": text("\u{201D}")
        case "bullet": text("\u{2022}")
        case "emspace", "enspace", "qmspace": text(" ")
        default: break
        }
    }

    private mutating func newPage() { page += 1 }

    /// `\par` (or `\sect`): ends a paragraph, or a paragraph inside a table cell or footnote.
    private mutating func endOfParagraphMark() {
        switch state.destination {
        case .body:
            if state.inTable {
                cell.append(paragraph)
                paragraph = ""
            } else {
                endParagraph()
            }
        case .footnote: footnote += " "
        default: break
        }
    }

    private mutating func endParagraph() {
        var text = paragraph
        paragraph = ""
        var kind: BlockKind = state.inList || !listText.isEmpty ? .listItem : .paragraph
        let trimmed = text.drop { $0 == " " || $0 == "\u{00A0}" }
        if let first = trimmed.first, first == "\u{2022}" || first == "\u{00B7}" {
            kind = .listItem
            text = String(trimmed.dropFirst())
        } else if !listText.isEmpty, listText.contains(where: { $0.isLetter || $0.isNumber }) {
            text = listText.trimmingCharacters(in: .whitespaces) + " " + text
        }
        listText = ""
        var level = state.outlineLevel ?? styleLevels[state.style]
        if level != nil && text.count > 300 { level = nil }
        if level != nil { kind = .heading }
        guard text.contains(where: { !$0.isWhitespace }) else { return }
        if pageBreakBefore && !blocks.isEmpty { newPage() }
        pageBreakBefore = false
        blocks.append(Block(kind: kind, level: level, text: text, page: page))
    }

    private mutating func endCell() {
        cell.append(paragraph)
        paragraph = ""
        blocks.append(Block(kind: .tableCell, level: nil, text: cell.joined(separator: " "), page: page))
        cell = []
    }

    // MARK: Text

    private mutating func textByte(_ byte: UInt8) {
        if skipCount > 0 {
            skipCount -= 1
            return
        }
        if byte < 0x80 && pendingBytes.isEmpty && pendingUnits.isEmpty {
            text(String(Unicode.Scalar(byte)))
            return
        }
        if !pendingUnits.isEmpty { flush() }
        pendingBytes.append(byte)
    }

    /// Decodes pending bytes and UTF-16 units into the current destination.
    private mutating func flush() {
        if !pendingBytes.isEmpty {
            let decoded = codePages.decode(pendingBytes, codePage: codePage)
            pendingBytes = []
            text(decoded)
        }
        if !pendingUnits.isEmpty {
            let decoded = String(decoding: pendingUnits, as: UTF16.self)
            pendingUnits = []
            text(decoded)
        }
    }

    private var codePage: Int {
        fontCharsets[state.font].flatMap(RTFCodePage.codePage(charset:)) ?? ansiCodePage
    }

    private mutating func text(_ string: String) {
        if state.hidden { return }
        switch state.destination {
        case .body: paragraph += string
        case .footnote: footnote += string
        case .listText: listText += string
        case .title: titleText += string
        case .styleEntry: styleName += string
        case .skip, .fontTable, .styleSheet, .info: break
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A)
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }
}
