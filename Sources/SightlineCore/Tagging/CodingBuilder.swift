/// Turns one frame's matches in a passage into coding records: one per theme
/// and sub-theme, in taxonomy order, each with its spans (in offset order, a
/// span a rule found twice written once, with the flags of its first
/// finding), the rules that fired, and the coding's flags.
struct CodingBuilder {
    /// Per coding: the (rule, start, end) of the spans written, and the rules that fired. Kept from
    /// coding to coding so that building allocates as little as it can.
    private var written: [(rule: Int, start: Int, end: Int)] = []
    private var firedRules: [Int] = []

    /// Appends the codings of `found` (matches of `frame`'s rules, in rule order) to `records`.
    mutating func build(
        _ found: [Found], frame: CompiledFrame, verdicts: Veto.Verdicts, passage: inout PassageContext,
        into records: inout [CodingRecord]
    ) {
        // Spans are written in scalar offsets; tokens know their bytes.
        let scalars = passage.scalars()
        let tokens = passage.tokens
        let record = passage.passage
        let taxonomy = frame.taxonomy
        // Rules are numbered in taxonomy order and `found` is in rule order, so
        // each theme's and sub-theme's matches are a run of `found`.
        var groupStart = 0
        while groupStart < found.count {
            let group = frame.ruleGroup[found[groupStart].rule]
            var groupEnd = groupStart + 1
            while groupEnd < found.count && frame.ruleGroup[found[groupEnd].rule] == group { groupEnd += 1 }
            defer { groupStart = groupEnd }
            var spans: [MatchSpan] = []
            spans.reserveCapacity(groupEnd - groupStart)
            if !written.isEmpty { written.removeAll(keepingCapacity: true) }
            if !firedRules.isEmpty { firedRules.removeAll(keepingCapacity: true) }
            for match in found[groupStart..<groupEnd] {
                let ruleID = frame.ruleIDs[match.rule]
                let negated = verdicts.negated(match)
                let hypothetical = verdicts.hypothetical(match)
                for part in 0..<(match.two == nil ? 1 : 2) {
                    let span = part == 0 ? match.one : match.two!
                    let start = scalars.scalar(at: Int(tokens[span.first].byteStart))
                    let end = scalars.scalar(at: Int(tokens[span.last].byteEnd))
                    guard !written.contains(where: { $0.rule == match.rule && $0.start == start && $0.end == end })
                    else { continue }
                    written.append((match.rule, start, end))
                    if !firedRules.contains(match.rule) { firedRules.append(match.rule) }
                    spans.append(
                        MatchSpan(
                            rule: ruleID, start: start, end: end, text: passage.words(span.first, span.last),
                            negated: negated, hypothetical: hypothetical))
                }
            }
            spans.sort { ($0.start, $0.end, $0.rule) < ($1.start, $1.end, $1.rule) }
            // Rule ids are unique in a taxonomy, so a rule's index is its place in the taxonomy's order.
            firedRules.sort()
            let theme = taxonomy.themes[group.theme]
            let negated = spans.allSatisfy(\.negated)
            records.append(
                CodingRecord(
                    passageID: record.passageID, docID: record.docID, page: record.page, pageLabel: record.pageLabel,
                    taxonomy: taxonomy.id, theme: theme.id, subtheme: group.subtheme.map { theme.subthemes[$0].id },
                    rules: firedRules.map { frame.ruleIDs[$0] }, matches: spans, negated: negated,
                    hypothetical: !negated && spans.allSatisfy { $0.negated || $0.hypothetical },
                    boilerplate: verdicts.boilerplate))
        }
    }
}
