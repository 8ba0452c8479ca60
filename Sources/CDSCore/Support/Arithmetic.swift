/// Sums of amounts that never trap. Every amount is bounded (`Limits.amount`), so a sum
/// reaches the 64-bit limit only past thousands of the largest amounts; there it stays at
/// `Int64.max`, which reads as "more than enough" (capacity taken, a need covered).
extension Int64 {
    /// `self + other`, or `Int64.max` (or `.min`) where the exact sum does not fit.
    public func addingSaturated(_ other: Int64) -> Int64 {
        let (s, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : s
    }
}

extension Sequence where Element == Int64 {
    /// The sum of the elements, saturated at the 64-bit bounds.
    public func saturatedSum() -> Int64 { reduce(0) { $0.addingSaturated($1) } }
}
