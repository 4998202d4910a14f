import Foundation
import SightlineCore
import Testing

@testable import SightlineExtract

/// Small hand-made inputs whose right answer is obvious.
@Suite struct FormatReaderTests {
    func blocks(_ name: String, _ content: String) throws -> [BlockRecord] {
        try blocks(name, Data(content.utf8))
    }

    func blocks(_ name: String, _ data: Data) throws -> [BlockRecord] {
        let url = try temporaryFile(name, data)
        switch Extractor().extract(path: url.path, source: name) {
        case .document(_, let blocks): return blocks
        case .failure(let error): throw error
        }
    }

    @Test func htmlSkipsPageChromeAndKeepsTheReview() throws {
        let html = """
            <!DOCTYPE html><html><head><title>Child S review</title><style>p { color: red }</style>
            <script>var tracking = "do not extract";</script></head><body>
            <header><a href="/">Ashford Brook Partnership</a></header>
            <nav><ul><li>Home</li><li>Reviews</li></ul></nav>
            <div class="cookie-banner" id="cookie-banner">We use cookies. <button>Accept</button></div>
            <main><article>
            <h1>Local Child Safeguarding Practice Review: Child S</h1>
            <h2>1. Introduction</h2>
            <p>Skye&rsquo;s <b>voice</b> was not heard<sup><a href="#fn1">1</a></sup>.&nbsp;Agencies did not share \
            information.</p>
            <ul><li>CAMHS referral rejected</li><li>School concerns</li></ul>
            <table><tr><th>Date</th><th>Agency</th></tr><tr><td>12.03.2021</td><td>GP</td></tr></table>
            <ol class="footnotes"><li id="fn1">Working Together 2018. <a href="#fnref1">↩</a></li></ol>
            </article></main>
            <form><label>Email</label><input type="email"><p>Sign up for news</p></form>
            <footer><p>© Ashford Brook Council. Accessibility statement.</p></footer>
            </body></html>
            """
        let result = try blocks("s.html", html)
        #expect(
            result.map(\.text) == [
                "Local Child Safeguarding Practice Review: Child S", "1. Introduction",
                "Skye’s voice was not heard. Agencies did not share information.", "CAMHS referral rejected",
                "School concerns",
                "Date", "Agency", "12.03.2021", "GP", "Working Together 2018.",
            ])
        #expect(
            result.map(\.kind) == [
                .heading, .heading, .paragraph, .listItem, .listItem, .tableCell, .tableCell, .tableCell, .tableCell,
                .footnote,
            ])
        #expect(result[2].headingPath == ["Local Child Safeguarding Practice Review: Child S", "1. Introduction"])
    }

    @Test func htmlHonoursWindows1252() throws {
        var bytes = Array("<html><head><meta charset=\"windows-1252\"></head><body><p>".utf8)
        bytes += [
            0x93, 0x57, 0x61, 0x73, 0x20, 0x6E, 0x6F, 0x74, 0x20, 0x62, 0x72, 0x6F, 0x75, 0x67, 0x68, 0x74, 0x94, 0x20,
            0x96, 0x20, 0x43, 0x61, 0x66, 0xE9,
        ]
        bytes += Array("</p></body></html>".utf8)
        let result = try blocks("w.html", Data(bytes))
        #expect(result.map(\.text) == ["“Was not brought” – Café"])
    }

    @Test func htmlFallsBackToWindows1252ForInvalidUTF8() throws {
        var bytes = Array("<html><body><p>Mother".utf8)
        bytes += [0x92, 0x73, 0x20, 0x47, 0x50] // ’s GP in Windows-1252
        bytes += Array("</p></body></html>".utf8)
        let url = try temporaryFile("f.html", Data(bytes))
        guard case .document(let document, let result) = Extractor().extract(path: url.path, source: "f.html") else {
            Issue.record("should extract")
            return
        }
        #expect(result.map(\.text) == ["Mother’s GP"])
        #expect(document.warnings.contains { $0.code == "encoding_fallback" })
    }

    @Test func textParagraphsListsAndHeadings() throws {
        let text =
            "1. INTRODUCTION\n\nThis review concerns Child A, who\nwas two years old.\n\n"
            + "- first point\n- second point\n  continued\n\n2.1 Scope\n\nThe period under review.\n"
        let result = try blocks("a.txt", text)
        #expect(
            result.map(\.text) == [
                "1. INTRODUCTION", "This review concerns Child A, who was two years old.", "first point",
                "second point continued",
                "2.1 Scope", "The period under review.",
            ])
        #expect(result.map(\.kind) == [.heading, .paragraph, .listItem, .listItem, .heading, .paragraph])
        #expect(result[5].headingPath == ["1. INTRODUCTION", "2.1 Scope"])
    }

    @Test func utf16TextWithBOM() throws {
        var data = Data([0xFF, 0xFE])
        data.append("Child’s voice".data(using: .utf16LittleEndian)!)
        #expect(try blocks("u.txt", data).map(\.text) == ["Child’s voice"])
    }
}
