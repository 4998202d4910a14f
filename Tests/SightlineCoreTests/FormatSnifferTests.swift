import Testing

@testable import SightlineCore

@Suite struct FormatSnifferTests {
    @Test func decidesByContent() {
        #expect(FormatSniffer.sniff(Array("%PDF-1.7\n".utf8)) == .pdf)
        #expect(FormatSniffer.sniff([0x50, 0x4B, 0x03, 0x04, 0, 0]) == .zip)
        #expect(FormatSniffer.sniff(Array("\n  <!DOCTYPE html><html>".utf8)) == .html)
        #expect(FormatSniffer.sniff(Array("<html lang=en>".utf8)) == .html)
        #expect(FormatSniffer.sniff(Array("Child L review\n\nText.".utf8)) == .text)
        #expect(FormatSniffer.sniff([UInt8]()) == .empty)
        #expect(FormatSniffer.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D]) == .binary("a PNG image"))
        #expect(FormatSniffer.sniff([0x00, 0x01, 0x02, 0xFF, 0x10]) == .binary("binary data"))
        #expect(FormatSniffer.sniff([0xFF, 0xFE, 0x41, 0x00]) == .utf16Text)
        #expect(FormatSniffer.sniff(Array("{\\rtf1\\ansi Text}".utf8)) == .rtf)
        #expect(FormatSniffer.sniff([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]) == .ole)
    }

    /// Fault corpus: UTF-16 saved without a byte-order mark was reported as "binary data".
    @Test func recognisesUTF16WithoutAByteOrderMark() {
        let text = "The review found that agencies did not share information."
        #expect(
            FormatSniffer.sniff(Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
                == .utf16TextWithoutBOM)
        #expect(
            FormatSniffer.sniff(Array(text.utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
                == .utf16TextWithoutBOM)
        #expect(FormatSniffer.sniff([UInt8](repeating: 0, count: 64)) == .binary("binary data"))
        #expect(
            FormatSniffer.sniff((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) })
                == .binary("binary data"))
    }

    @Test func readsHTMLTitleForMessages() {
        let page = Array("<html><head><title>Report not\n found</title></head></html>".utf8)
        #expect(FormatSniffer.htmlTitle(page) == "Report not found")
    }
}
