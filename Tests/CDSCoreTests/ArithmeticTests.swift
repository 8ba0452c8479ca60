import CDSCore
import PropertyBased
import Testing

/// Sums and conversions of amounts never trap, whatever the amounts and rates.
@Suite("Sums and conversions that never trap")
struct ArithmeticTests {
    @Test("a saturated sum is the exact sum when it fits and the 64-bit bound when it does not")
    func saturatedSumIsExactOrTheBound() async {
        await propertyCheck(count: 500, input: Gen.int64(in: 0...Int64.max).array(of: 0...20)) { amounts in
            let exact = amounts.reduce(into: (sum: Int64(0), overflow: false)) { acc, a in
                let (s, o) = acc.sum.addingReportingOverflow(a)
                acc = o || acc.overflow ? (.max, true) : (s, false)
            }
            #expect(amounts.saturatedSum() == exact.sum)
        }
    }

    @Test("converting any amount at any rate answers a rounded amount or nil, never a trap")
    func conversionNeverTraps() async throws {
        // The host crash of the issue: 9,223,372,036,854,775 minor units at 0.001.
        let rate = try ExchangeRate(from: "EUR", to: "MAD", rate: "0.001", on: LocalDate(daysSinceEpoch: 0))
        #expect(rate.convert(9_223_372_036_854_775) == 9_223_372_036_855)
        #expect(rate.convert(Int64.max) == 9_223_372_036_854_776)
        await propertyCheck(count: 500, input: Gen.int64(in: 0...Int64.max), Gen.int64(in: 1...9_000_000_000)) { minor, micro in
            let whole = micro / 1_000_000, frac = String(micro % 1_000_000)
            let r = try ExchangeRate(from: "EUR", to: "MAD", rate: "\(whole).\(String(repeating: "0", count: 6 - frac.count) + frac)",
                                     on: LocalDate(daysSinceEpoch: 0))
            let exact = (Double(minor) * Double(r.microRate) / 1_000_000).rounded()
            if let c = r.convert(minor) {
                #expect(abs(Double(c) - exact) <= max(1, exact * 1e-12), "close to the real product (checked in floating point only as a test oracle)")
                if !minor.multipliedReportingOverflow(by: r.microRate).overflow {
                    let p = minor * r.microRate
                    #expect(c == p / 1_000_000 + (p % 1_000_000 >= 500_000 ? 1 : 0))
                }
            } else {
                #expect(exact >= 9.2e18, "nil only when the converted amount does not fit in 64 bits")
            }
        }
    }
}
