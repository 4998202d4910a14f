import Foundation
import Testing

@testable import SightlineCore

/// Agreement statistics against values worked out by hand or published with the method.
@Suite struct EvalStatisticsTests {
    /// Two coders' yes/no lists as a table (first list is the reference).
    func table(_ reference: [Int], _ test: [Int]) -> BinaryTable {
        var t = BinaryTable()
        for (r, s) in zip(reference, test) { t.add(reference: r == 1, test: s == 1) }
        return t
    }

    func close(_ a: Double?, _ b: Double, _ tolerance: Double = 0.0005) -> Bool {
        guard let a else { return false }
        return abs(a - b) < tolerance
    }

    /// The 2×2 example of Wikipedia's "Cohen's kappa": 20 yes/yes, 5 yes/no,
    /// 10 no/yes, 15 no/no. p_o = 0.70, p_e = 0.5·0.6 + 0.5·0.4 = 0.50, κ = 0.40.
    @Test func cohenKappaOfTheTextbookTable() {
        let t = BinaryTable(both: 20, referenceOnly: 5, testOnly: 10, neither: 15)
        #expect(t.units == 50 && t.reference == 25 && t.test == 30)
        #expect(close(t.cohenKappa, 0.40, 1e-12))
        #expect(close(t.precision, 20.0 / 30.0, 1e-12))
        #expect(close(t.recall, 0.80, 1e-12))
        #expect(close(t.f1, 40.0 / 55.0, 1e-12))
        // Alpha by hand: 100 values, 55 yes, 45 no, 30 disagreeing ordered pairs:
        // 1 − 99·30 / (2·55·45) = 1 − 2970/4950 = 0.40.
        #expect(close(t.krippendorffAlpha, 0.40, 1e-12))
    }

    /// Wikipedia's "Cohen's kappa" pair with the same observed agreement (0.60) and different kappas, because
    /// the margins differ: 45/15/25/15 gives p_e = 0.6·0.7 + 0.4·0.3 = 0.54 and κ = 0.06/0.46 = 0.1304;
    /// 25/35/5/35 gives p_e = 0.6·0.3 + 0.4·0.7 = 0.46 and κ = 0.14/0.54 = 0.2593.
    @Test func sameAgreementDifferentKappaAsPublished() {
        let a = BinaryTable(both: 45, referenceOnly: 15, testOnly: 25, neither: 15)
        let b = BinaryTable(both: 25, referenceOnly: 35, testOnly: 5, neither: 35)
        #expect(Double(a.both + a.neither) / Double(a.units) == Double(b.both + b.neither) / Double(b.units))
        #expect(close(a.cohenKappa, 0.1304, 0.00005) && close(b.cohenKappa, 0.2593, 0.00005))
        #expect(StatFormat.decimal(a.cohenKappa) == "0.130" && StatFormat.decimal(b.cohenKappa) == "0.259")
    }

    /// Chance agreement: coders who answer independently of one another agree exactly as often as their
    /// margins predict, so κ = 0; α is a little above 0 by its small-sample correction, (n−1)/n.
    @Test func chanceAgreementGivesZero() {
        // Equal margins: p_o = 0.5 = p_e. α = 1 − 199·100 / (2·100·100) = 0.005.
        let even = BinaryTable(both: 25, referenceOnly: 25, testOnly: 25, neither: 25)
        #expect(close(even.cohenKappa, 0, 1e-12))
        #expect(close(even.krippendorffAlpha, 1 - 199.0 * 100 / 20_000, 1e-12))
        // A rare code, 20% for each coder, crossed at random: 4 both, 16 and 16 alone, 64 neither.
        // p_o = 0.68 = 0.2·0.2 + 0.8·0.8. α = 1 − 199·64 / (2·40·160) = 0.005.
        let rare = BinaryTable(both: 4, referenceOnly: 16, testOnly: 16, neither: 64)
        #expect(close(rare.cohenKappa, 0, 1e-12))
        #expect(close(rare.krippendorffAlpha, 1 - 199.0 * 64 / 12_800, 1e-12))
        #expect(StatFormat.decimal(rare.cohenKappa) == "0.000" && StatFormat.decimal(rare.krippendorffAlpha) == "0.005")
        // Raw agreement is high (0.68) all the same: why agreement is reported chance-corrected.
        #expect(close(Double(rare.both + rare.neither) / Double(rare.units), 0.68, 1e-12))
    }

    /// Perfect disagreement: every unit one coder says yes to, the other says no. κ = (0 − 0.5)/(1 − 0.5) = −1;
    /// α = 1 − 19·20 / (2·10·10) = −0.9.
    @Test func perfectDisagreementIsNegative() {
        let t = BinaryTable(referenceOnly: 5, testOnly: 5)
        #expect(close(t.cohenKappa, -1, 1e-12))
        #expect(close(t.krippendorffAlpha, -0.9, 1e-12))
        #expect(t.f1 == 0 && t.precision == 0 && t.recall == 0)
        let units = Array(repeating: [0, 1], count: 5) + Array(repeating: [1, 0], count: 5)
        #expect(close(Krippendorff.alphaNominal(units: units), -0.9, 1e-12))
    }

    /// Krippendorff (2011), "Computing Krippendorff's alpha-reliability",
    /// example A: two observers, ten units, binary. Coincidences o₀₀ = 10,
    /// o₀₁ = o₁₀ = 4, o₁₁ = 2; α = 1 − 19·4 / (14·6) = 0.095.
    @Test func krippendorffAlphaOfThePublishedBinaryExample() {
        let a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
        let b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
        let t = table(a, b)
        #expect(close(t.krippendorffAlpha, 1 - 76.0 / 84.0, 1e-12))
        #expect(StatFormat.decimal(t.krippendorffAlpha) == "0.095")
        // The same data as units, through the general formula.
        #expect(close(Krippendorff.alphaNominal(units: zip(a, b).map { [$0, $1] }), 0.0952, 0.0001))
        // Cohen's kappa on it: p_o = 0.6, p_e = 0.2·0.4 + 0.8·0.6 = 0.56, κ = 0.04/0.44.
        #expect(close(t.cohenKappa, 0.04 / 0.44, 1e-12))
    }

    /// The same paper's example C: four observers, twelve units, nominal
    /// values with missing data; published α = 0.743.
    @Test func krippendorffAlphaWithMissingValuesAndFourCoders() {
        let nan = -1
        let observers = [
            [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
            [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
        ]
        let units = (0..<12).map { u in observers.map { $0[u] }.filter { $0 != nan } }
        #expect(StatFormat.decimal(Krippendorff.alphaNominal(units: units)) == "0.743")
    }

    /// A wrong formula gives a different number on this table: raw agreement
    /// (0.600), Scott's pi (0.048), alpha (0.095) and kappa (0.091) all differ,
    /// so each statistic is pinned to its own definition.
    @Test func formulasAreDistinguishable() {
        let t = table([0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0])
        let observed = Double(t.both + t.neither) / Double(t.units)
        let pooledYes = Double(t.reference + t.test) / Double(2 * t.units)
        let scottPi =
            (observed - (pooledYes * pooledYes + (1 - pooledYes) * (1 - pooledYes)))
            / (1 - (pooledYes * pooledYes + (1 - pooledYes) * (1 - pooledYes)))
        let kappa = t.cohenKappa!
        let alpha = t.krippendorffAlpha!
        #expect(StatFormat.decimal(kappa) == "0.091")
        #expect(StatFormat.decimal(alpha) == "0.095")
        for wrong in [observed, scottPi] {
            #expect(abs(kappa - wrong) > 0.003 && abs(alpha - wrong) > 0.003)
        }
        // Kappa is not symmetric in margins the way alpha is, but both are symmetric in the coders.
        let swapped = table([1, 1, 1, 0, 0, 1, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0, 0, 0, 1, 0])
        #expect(close(swapped.cohenKappa, kappa, 1e-12) && close(swapped.krippendorffAlpha, alpha, 1e-12))
        #expect(close(swapped.precision, t.recall!, 1e-12) && close(swapped.recall, t.precision!, 1e-12))
    }

    @Test func undefinedStatisticsAreNilAndPrintEmpty() {
        let none = BinaryTable(neither: 12)
        #expect(none.precision == nil && none.recall == nil && none.f1 == nil)
        #expect(none.cohenKappa == nil && none.krippendorffAlpha == nil)
        #expect(StatFormat.decimal(none.cohenKappa) == "")
        let empty = BinaryTable()
        #expect(empty.cohenKappa == nil && empty.krippendorffAlpha == nil && empty.f1 == nil)
        // The machine says yes where the reference never does: precision 0, recall undefined, F1 0.
        let onlyTest = BinaryTable(testOnly: 3, neither: 7)
        #expect(onlyTest.precision == 0 && onlyTest.recall == nil && onlyTest.f1 == 0)
        #expect(close(onlyTest.cohenKappa, 0, 1e-12))
        // Perfect agreement with some of each: everything 1.
        let perfect = BinaryTable(both: 3, neither: 7)
        #expect(perfect.cohenKappa == 1 && perfect.krippendorffAlpha == 1 && perfect.f1 == 1)
        // Every unit yes for both: kappa's expected agreement is 1, undefined.
        #expect(BinaryTable(both: 5).cohenKappa == nil)
        #expect(StatFormat.decimal(-0.0001) == "0.000" && StatFormat.decimal(-0.25) == "-0.250")
        #expect(StatFormat.decimal(Double.nan) == "")
    }

    /// The pooled 2×2 formula and the general unit formula agree on any table.
    @Test func pooledAlphaMatchesTheGeneralFormula() {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<200 {
            let n = 1 + generator.below(40)
            let a = (0..<n).map { _ in generator.below(2) }
            let b = (0..<n).map { _ in generator.below(3) == 0 ? 1 - a[0] : generator.below(2) }
            let t = table(a, b)
            let general = Krippendorff.alphaNominal(units: zip(a, b).map { [$0, $1] })
            #expect((t.krippendorffAlpha == nil) == (general == nil))
            if let general { #expect(close(t.krippendorffAlpha, general, 1e-9)) }
        }
    }

    /// The reference outputs of SplitMix64 for seed 1234567 (as in Vigna's C code).
    @Test func splitMix64MatchesTheReference() {
        var generator = SplitMix64(seed: 1_234_567)
        let expected: [UInt64] = [
            6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423, 4_593_380_528_125_082_431,
            16_408_922_859_458_223_821,
        ]
        #expect((0..<5).map { _ in generator.next() } == expected)
        var bounded = SplitMix64(seed: 3)
        let draws = (0..<10_000).map { _ in bounded.below(10) }
        #expect(draws.allSatisfy { (0..<10).contains($0) })
        #expect(Set(draws).count == 10)
    }

    @Test func bootstrapPercentiles() {
        #expect(Bootstrap.quantile([1, 2, 3, 4], 0.5) == 2.5)
        #expect(Bootstrap.quantile([1, 2, 3, 4], 0) == 1 && Bootstrap.quantile([1, 2, 3, 4], 1) == 4)
        let values: [Double?] = (0...100).map { Double($0) }
        let interval = Bootstrap.interval95(values)
        #expect(interval?.low == 2.5 && interval?.high == 97.5)
        // Mostly undefined replicates give no interval.
        #expect(Bootstrap.interval95([1, nil, nil]) == nil)
        #expect(Bootstrap.interval95([]) == nil)
    }
}
