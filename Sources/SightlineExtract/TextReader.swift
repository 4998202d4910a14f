import Foundation
import SightlineCore

/// Reads plain text: paragraphs separated by blank lines, lines starting with
/// a bullet as list items, short numbered lines as headings, form feeds as
/// page breaks.
struct TextReader {
    func read(bytes: [UInt8], utf16: Bool, into assembler: inout BlockAssembler) throws -> ReadDocument {
        let text: String
        if utf16 {
            let bigEndian = bytes.starts(with: [0xFE, 0xFF])
            let body = bytes.dropFirst(2)
            guard body.count % 2 == 0 else {
                throw ExtractionError(
                    .invalidEncoding, "UTF-16 text with an odd number of bytes: the file is truncated")
            }
            var units: [UInt16] = []
            units.reserveCapacity(body.count / 2)
            var i = body.startIndex
            while i < body.endIndex {
                let a = UInt16(body[i])
                let b = UInt16(body[i + 1])
                units.append(bigEndian ? a << 8 | b : b << 8 | a)
                i += 2
            }
            guard let decoded = String(validating: units, as: UTF16.self) else {
                throw ExtractionError(.invalidEncoding, "the UTF-16 text has unpaired surrogates: the file is damaged")
            }
            text = decoded
        } else {
            guard let decoded = String(validating: bytes, as: UTF8.self) else {
                let offset = Self.firstInvalidUTF8(bytes)
                throw ExtractionError(
                    .invalidEncoding,
                    "not valid UTF-8 (first bad byte at offset \(offset)); save the text as UTF-8 and try again")
            }
            text = decoded.hasPrefix("\u{FEFF}") ? String(decoded.dropFirst()) : decoded
        }
        // The title: the first paragraph when it is short (a title line), as text files have no metadata.
        let firstParagraph = Self.paragraphs(Substring(text)).first.map { $0.joined(separator: " ") }
        let title = firstParagraph.flatMap { $0.split(separator: " ").count <= 25 ? TextNormalizer.normalize($0) : nil }
        var page = 1
        for pageText in text.split(separator: "\u{0C}", omittingEmptySubsequences: false) {
            for paragraph in Self.paragraphs(pageText) { add(paragraph, page: page, into: &assembler) }
            page += 1
        }
        return ReadDocument(mediaType: .text, pageCount: page - 1, title: title, extractorName: "text", libraries: [:])
    }

    static func paragraphs(_ text: Substring) -> [[Substring]] {
        var out: [[Substring]] = []
        var current: [Substring] = []
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.allSatisfy({ $0.isWhitespace }) {
                if !current.isEmpty { out.append(current) }
                current = []
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    func add(_ lines: [Substring], page: Int, into assembler: inout BlockAssembler) {
        // Bulleted lines are list items; lines indented under one continue it.
        var items: [String] = []
        var plain: [Substring] = []
        for line in lines {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if let marker = trimmed.first, "-*•".contains(marker), trimmed.dropFirst().first == " " {
                items.append(String(trimmed.dropFirst(2)))
            } else if !items.isEmpty && line.first == " " {
                items[items.count - 1] += " " + trimmed
            } else {
                plain.append(line)
            }
        }
        if !plain.isEmpty {
            let joined = plain.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            if let level = Self.headingLevel(plain, joined: joined) {
                assembler.add(kind: .heading, text: joined, level: level, page: page)
            } else {
                assembler.add(kind: .paragraph, text: joined, page: page)
            }
        }
        for item in items { assembler.add(kind: .listItem, text: item, page: page) }
    }

    /// A single short line without a closing full stop that is numbered ("2.", "3.1") or in capitals.
    static func headingLevel(_ lines: [Substring], joined: String) -> Int? {
        guard lines.count == 1, joined.split(separator: " ").count <= 14, let last = joined.last, !".,;:".contains(last)
        else { return nil }
        let first = joined.split(separator: " ").first ?? ""
        let numbering = first.split(separator: ".", omittingEmptySubsequences: true)
        if !numbering.isEmpty, numbering.allSatisfy({ $0.allSatisfy(\.isNumber) }), first.first?.isNumber == true {
            return min(numbering.count, 6)
        }
        let letters = joined.filter(\.isLetter)
        if letters.count >= 4 && letters == letters.uppercased() { return 1 }
        return nil
    }

    /// The offset of the first byte that does not start or continue a valid UTF-8 sequence.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            let length: Int
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return i
            }
            if length > 1 {
                guard i + length <= bytes.count else { return i }
                if String(validating: bytes[i..<(i + length)], as: UTF8.self) == nil { return i }
            }
            i += length
        }
        return bytes.count
    }
}
