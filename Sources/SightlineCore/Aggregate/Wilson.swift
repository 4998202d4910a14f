/// The Wilson score interval for a proportion: well behaved for small
/// samples and for proportions near 0 or 1, where the normal approximation
/// is not.
public enum Wilson {
    /// The 95% interval (z = 1.959964) for n successes out of total; nil when total is 0.
    public static func interval(_ n: Int, of total: Int, z: Double = 1.959964) -> (low: Double, high: Double)? {
        guard total > 0 else { return nil }
        let count = Double(total)
        let p = Double(n) / count
        let z2 = z * z
        let denominator = 1 + z2 / count
        let centre = (p + z2 / (2 * count)) / denominator
        let half = z * (p * (1 - p) / count + z2 / (4 * count * count)).squareRoot() / denominator
        return (max(0, centre - half), min(1, centre + half))
    }
}
