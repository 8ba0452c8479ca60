import PropertyBased
import Testing

@testable import CDSCore

/// The finance figure reads each project's money as steps over days instead of walking its
/// contributions on every call: the steps must say what the walk says, on every day.
@Suite("A project's money as steps")
struct MoneyStepsTests {
    @Test("on every day, a project's money steps give the sums by status and currency of its contributions' statuses that day (cancelled counts nothing)",
          .tags(.property))
    func stepsEqualTheSumOfEachContributionsStatus() async {
        // Each contribution: money or not and currency, amount, then the days of its pledge, confirmation, delivery and cancellation (negative: none).
        await propertyCheck(count: 300, input: Gen.int(in: -8...20).array(of: 6...6).array(of: 0...8)) { rows in
            let facts: [ContributionFact] = rows.map { r in
                var c = ContributionFact()
                c.money = r[0] % 3 != 0
                c.currency = r[0] % 2 == 0 ? "EUR" : "MAD"
                c.amount = Int64(abs(r[1])) * 100
                c.pledged = r[2] < 0 ? Int.max : r[2]
                c.confirmed = r[3] < 0 ? nil : r[3]
                c.delivered = r[4] < 0 ? nil : r[4]
                c.cancelled = r[5] < 0 ? nil : r[5]
                return c
            }
            let steps = MoneySteps(facts)
            for d in -2...24 {
                var got: [String: [String: Int64]] = [:]
                steps.add(at: d, into: &got)
                var want: [String: [String: Int64]] = [:]
                for c in facts where c.money {
                    guard let cur = c.currency, let status = c.status(at: d), status != "cancelled" else { continue }
                    want[status, default: [:]][cur, default: 0] += c.amount
                }
                #expect(got == want, "day \(d)")
            }
        }
    }
}
