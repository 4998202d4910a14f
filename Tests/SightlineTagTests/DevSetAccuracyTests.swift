import Foundation
import Testing

@testable import SightlineCore

/// The shipped panel-themes taxonomy on the tuning side of the labelled passages (`LabelledSets`):
/// the set rules are written against. `SIGHTLINE_DEVSET_ERRORS=1` lists every miss with the rules that fired.
@Suite struct DevSetAccuracyTests {
    @Test func practiceAndSpotlightThemesOnTheTuningSet() throws {
        let rows = try LabelledSets.load(LabelledSets.tuningFiles)
        let (scores, misses) = try LabelledSets.score(
            taxonomy: "taxonomies/panel-themes.yaml", ids: LabelledSets.panelThemes, rows: rows, labels: \.themes)
        print("Panel themes on the tuning set (\(rows.count) passages)")
        print(LabelledSets.table(ids: LabelledSets.panelThemes, tuning: scores, frozen: [:]))
        if ProcessInfo.processInfo.environment["SIGHTLINE_DEVSET_ERRORS"] != nil {
            for miss in misses { print(miss) }
        }
        for theme in LabelledSets.panelThemes {
            let s = scores[theme] ?? .init()
            #expect(s.positives >= 10, "\(theme): too few labelled passages to measure")
            #expect(s.precision >= 0.75, "\(theme): precision \(s.precision)")
            #expect(s.recall >= 0.75, "\(theme): recall \(s.recall)")
        }
    }
}
