import Foundation

/// Two coders' yes/no decisions on the same units, counted: the 2×2 table
/// every agreement statistic for one code is computed from. "Reference" is
/// the hand coder (or the first coder of a pair), "test" the machine (or the
/// second coder).
public struct BinaryTable: Sendable, Equatable {
    /// Units both said yes to.
    public var both = 0
    /// Units only the reference said yes to.
    public var referenceOnly = 0
    /// Units only the test coder said yes to.
    public var testOnly = 0
    /// Units both said no to.
    public var neither = 0

    public init(both: Int = 0, referenceOnly: Int = 0, testOnly: Int = 0, neither: Int = 0) {
        self.both = both
        self.referenceOnly = referenceOnly
        self.testOnly = testOnly
        self.neither = neither
    }

    public var units: Int { both + referenceOnly + testOnly + neither }
    public var reference: Int { both + referenceOnly }
    public var test: Int { both + testOnly }

    /// Adds one unit.
    public mutating func add(reference: Bool, test: Bool) {
        switch (reference, test) {
        case (true, true): both += 1
        case (true, false): referenceOnly += 1
        case (false, true): testOnly += 1
        case (false, false): neither += 1
        }
    }

    public static func + (a: BinaryTable, b: BinaryTable) -> BinaryTable {
        BinaryTable(
            both: a.both + b.both, referenceOnly: a.referenceOnly + b.referenceOnly, testOnly: a.testOnly + b.testOnly,
            neither: a.neither + b.neither)
    }

    public static func += (a: inout BinaryTable, b: BinaryTable) { a = a + b }

    /// Of the test coder's yes, the share the reference agrees with; nil when the test coder said no to everything.
    public var precision: Double? { test > 0 ? Double(both) / Double(test) : nil }

    /// Of the reference's yes, the share the test coder found; nil when the reference said no to everything.
    public var recall: Double? { reference > 0 ? Double(both) / Double(reference) : nil }

    /// 2·both / (reference + test): the harmonic mean of precision and recall,
    /// 0 when they share nothing, nil when neither coder said yes at all.
    public var f1: Double? {
        let denominator = reference + test
        return denominator > 0 ? 2 * Double(both) / Double(denominator) : nil
    }

    /// Cohen's kappa: (observed − expected agreement) / (1 − expected), the
    /// expected agreement from each coder's own margins. Nil when it is
    /// undefined: no units, or both coders gave one answer to every unit.
    public var cohenKappa: Double? {
        let n = Double(units)
        guard n > 0 else { return nil }
        let observed = Double(both + neither) / n
        let yes = Double(reference) * Double(test)
        let no = Double(units - reference) * Double(units - test)
        let expected = (yes + no) / (n * n)
        guard expected < 1 else { return nil }
        return (observed - expected) / (1 - expected)
    }

    /// Krippendorff's alpha for nominal data and two coders with no missing
    /// values: 1 − (n−1)·o₀₁ / (n₀·n₁), with n the number of values (twice
    /// the units), o₀₁ the disagreeing value pairs, n₀ and n₁ the pooled
    /// counts of no and yes. Nil when only one value was ever given.
    public var krippendorffAlpha: Double? { Krippendorff.alphaNominal(self) }
}

/// Krippendorff's alpha, nominal metric, any number of coders, missing values allowed.
public enum Krippendorff {
    /// `units[u]` holds the values the coders who coded unit u gave it
    /// (missing coders simply absent). Units with fewer than two values are
    /// not pairable and are left out, as Krippendorff prescribes. Nil when
    /// fewer than two pairable values remain or only one value occurs
    /// (no expected disagreement).
    ///
    /// α = 1 − (n − 1) · Σ_u Σ_{c≠k} n_uc·n_uk / (m_u − 1)  /  Σ_{c≠k} n_c·n_k
    public static func alphaNominal<Value: Hashable>(units: [[Value]]) -> Double? {
        var totals: [Value: Int] = [:]
        var observed = 0.0
        var n = 0
        for values in units where values.count >= 2 {
            var counts: [Value: Int] = [:]
            for value in values { counts[value, default: 0] += 1 }
            let m = values.count
            // Ordered pairs of different values in the unit: m² − Σ n_uc².
            let same = counts.values.reduce(0) { $0 + $1 * $1 }
            observed += Double(m * m - same) / Double(m - 1)
            for (value, count) in counts { totals[value, default: 0] += count }
            n += m
        }
        guard n >= 2 else { return nil }
        let sameTotal = totals.values.reduce(0.0) { $0 + Double($1) * Double($1) }
        let expected = Double(n) * Double(n) - sameTotal
        guard expected > 0 else { return nil }
        return 1 - Double(n - 1) * observed / expected
    }

    /// Alpha for a pooled 2×2 count of two coders' yes/no, without building the unit list.
    public static func alphaNominal(_ table: BinaryTable) -> Double? {
        let n = 2 * table.units
        guard n >= 2 else { return nil }
        let yes = 2 * table.both + table.referenceOnly + table.testOnly
        let no = n - yes
        guard yes > 0 && no > 0 else { return nil }
        // Each disagreeing unit gives two ordered pairs, each weighted 1/(m−1) = 1.
        let disagreeing = 2 * (table.referenceOnly + table.testOnly)
        return 1 - Double(n - 1) * Double(disagreeing) / (2 * Double(yes) * Double(no))
    }
}

/// SplitMix64 (Steele, Lea and Flood 2014): a tiny, fast generator whose
/// output depends only on its seed, on every platform and Swift version, so
/// bootstrap intervals are the same bytes on every run.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in 0..<bound (Lemire's multiply-and-reject, so no modulo bias).
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        let range = UInt64(bound)
        let threshold = (0 &- range) % range
        while true {
            let (high, low) = next().multipliedFullWidth(by: range)
            if low >= threshold { return Int(high) }
        }
    }
}

/// Percentile intervals from bootstrap replicates.
public enum Bootstrap {
    /// The 2.5th and 97.5th percentiles of the defined values (linear
    /// interpolation between order statistics, R's type 7). Nil when fewer
    /// than half the replicates gave a defined value: an interval from the
    /// few that did would look more certain than it is.
    public static func interval95(_ values: [Double?]) -> (low: Double, high: Double)? {
        let defined = values.compactMap { $0 }.sorted()
        guard !defined.isEmpty, defined.count * 2 >= values.count else { return nil }
        return (quantile(defined, 0.025), quantile(defined, 0.975))
    }

    /// The q-quantile of sorted values, type 7.
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + fraction * (sorted[upper] - sorted[lower])
    }
}

/// Numbers in the evaluation tables: fixed decimals, "." always, empty when undefined.
public enum StatFormat {
    public static func decimal(_ value: Double?, places: Int = 3) -> String {
        guard let value, value.isFinite else { return "" }
        let text = String(format: "%.\(places)f", value)
        // No "-0.000": a tiny negative rounds to plain zero.
        if text.hasPrefix("-") && text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            return String(text.dropFirst())
        }
        return text
    }
}
