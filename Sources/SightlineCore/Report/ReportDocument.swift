/// A report as a sequence of blocks, written once and rendered as HTML
/// (`HTMLReportRenderer`) and as a Word document (`WordReportRenderer`), so
/// that the appendix says the same in both.
public struct ReportDocument: Sendable, Equatable {
    public var title: String
    public var blocks: [ReportBlock]

    public init(title: String, blocks: [ReportBlock] = []) {
        self.title = title
        self.blocks = blocks
    }

    public mutating func add(_ block: ReportBlock) { blocks.append(block) }
}

/// One run of text with a style.
public enum ReportInline: Sendable, Equatable {
    case text(String)
    case strong(String)
    case emphasis(String)
    case code(String)
    /// Words the coding rules matched, inside a quote.
    case mark(String)

    public var plainText: String {
        switch self {
        case .text(let s), .strong(let s), .emphasis(let s), .code(let s), .mark(let s): s
        }
    }
}

public enum ReportBlock: Sendable, Equatable {
    /// Level 1 is the report's title; `anchor` names it for links and bookmarks.
    case heading(level: Int, text: String, anchor: String? = nil)
    case paragraph([ReportInline], note: Bool = false)
    case list([[ReportInline]])
    case table(ReportTable)
    case chart(BarChart)
    case quote(ReportQuote)
    /// Where a printed report may start a new page (a theme's section).
    case section
}

public struct ReportTable: Sendable, Equatable {
    public struct Cell: Sendable, Equatable {
        public var text: String
        /// Indent level (sub-themes under their theme).
        public var indent = 0
        public var strong = false
        /// A share from 0 to 1 drawn as a small bar under the text (a chart in the table).
        public var bar: Double? = nil

        public init(_ text: String, indent: Int = 0, strong: Bool = false, bar: Double? = nil) {
            self.text = text
            self.indent = indent
            self.strong = strong
            self.bar = bar
        }
    }

    public var header: [String]
    public var rows: [[Cell]]
    /// Columns of numbers (right-aligned).
    public var numeric: Set<Int>
    /// A smaller type for wide tables.
    public var compact = false

    public init(header: [String], rows: [[Cell]], numeric: Set<Int> = [], compact: Bool = false) {
        self.header = header
        self.rows = rows
        self.numeric = numeric
        self.compact = compact
    }
}

/// A horizontal bar chart of shares (0 to 1), each bar with an optional interval.
public struct BarChart: Sendable, Equatable {
    public struct Bar: Sendable, Equatable {
        public var label: String
        public var value: Double
        public var interval: (low: Double, high: Double)?
        /// Shown after the bar ("3/10").
        public var caption: String

        public init(label: String, value: Double, interval: (low: Double, high: Double)? = nil, caption: String) {
            self.label = label
            self.value = value
            self.interval = interval
            self.caption = caption
        }

        public static func == (a: Bar, b: Bar) -> Bool {
            a.label == b.label && a.value == b.value && a.caption == b.caption
                && a.interval?.low == b.interval?.low && a.interval?.high == b.interval?.high
        }
    }

    /// Says what the bars show, for readers and screen readers.
    public var description: String
    public var bars: [Bar]

    public init(description: String, bars: [Bar]) {
        self.description = description
        self.bars = bars
    }
}

/// A quoted passage with its citation; the passage id travels with it but is never shown.
public struct ReportQuote: Sendable, Equatable {
    public var text: [ReportInline]
    public var citation: String
    public var passageID: String

    public init(text: [ReportInline], citation: String, passageID: String) {
        self.text = text
        self.citation = citation
        self.passageID = passageID
    }
}

extension ReportInline {
    /// A text cut into plain and marked runs; `marks` are ranges of Unicode scalars, sorted or not, maybe overlapping.
    public static func marked(_ text: String, marks: [Range<Int>]) -> [ReportInline] {
        let scalars = Array(text.unicodeScalars)
        var merged: [Range<Int>] = []
        for mark in marks.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            let clipped = max(0, mark.lowerBound)..<min(scalars.count, max(mark.upperBound, 0))
            guard !clipped.isEmpty else { continue }
            if let last = merged.last, clipped.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, clipped.upperBound)
            } else {
                merged.append(clipped)
            }
        }
        func string(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[range])) }
        var out: [ReportInline] = []
        var position = 0
        for range in merged {
            if range.lowerBound > position { out.append(.text(string(position..<range.lowerBound))) }
            out.append(.mark(string(range)))
            position = range.upperBound
        }
        if position < scalars.count { out.append(.text(string(position..<scalars.count))) }
        return out
    }
}

/// "1 document", "2 documents".
func counted(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
}
