/// The Wilson score interval for a proportion: well behaved for small
/// samples and for proportions near 0 or 1, where the normal approximation
/// is not.
public enum Wilson {
    /// The 95% interval (z = 1.959964) for n successes out of total; nil when total is 0.
    public static func interval(_ n: Int, of total: Int, z: Double = 1.959964) -> (low: Double, high: Double)? {
        guard total > 0 else { return nil }
        let N = Double(total)
        let p = Double(n) / N
        let z2 = z * z
        let denominator = 1 + z2 / N
        let centre = (p + z2 / (2 * N)) / denominator
        let half = z * (p * (1 - p) / N + z2 / (4 * N * N)).squareRoot() / denominator
        return (max(0, centre - half), min(1, centre + half))
    }
}
