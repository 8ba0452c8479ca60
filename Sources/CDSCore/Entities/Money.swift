/// An amount of money: integer minor units and an ISO 4217 currency. Never floating point.
public struct Money: Sendable, Equatable {
    /// Minor units (centimes for MAD and EUR).
    public var minor: Int64
    /// ISO 4217 code.
    public var currency: String

    /// An amount.
    public init(minor: Int64, currency: String) { self.minor = minor; self.currency = currency }

    /// `{"minor", "currency"}`.
    public var json: JSON { ["minor": .int(minor), "currency": .string(currency)] }

    /// The declared shape: `{"minor", "currency"}`, minor units from 0 to `Limits.amount`.
    public static let schema = Schema.object([
        .init("minor", .integer(min: 0, max: Limits.amount), required: true, "amount in minor units (centimes), at most \(Limits.amount)"),
        .init("currency", .string(maxLength: 3), required: true, "ISO 4217 code: MAD, EUR…"),
    ])

    /// Reads `{"minor", "currency"}` as `schema` declares it; the currency is three capitals.
    public init(json: JSON?, field: String) throws(CDSError) {
        let r = try JSONReader(json, path: field, schema: Money.schema)
        guard case .int(let m)? = r.object["minor"] else { throw CDSError.invalid(r.at("minor"), "must be an integer number of minor units") }
        guard let c = r.object["currency"]?.stringValue, c.count == 3, c.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) else {
            throw CDSError.invalid(r.at("currency"), "must be an ISO 4217 code such as MAD or EUR")
        }
        minor = m
        currency = c
    }

    /// The sum of amounts all in `currency`; an error names the field of a mismatch or an overflow.
    public static func sum(_ amounts: [(Money, String)], currency: String, field: String) throws(CDSError) -> Int64 {
        var total: Int64 = 0
        for (m, f) in amounts {
            guard m.currency == currency else { throw CDSError.invalid(f, "is in \(m.currency), not in the project's currency \(currency)") }
            let (s, overflow) = total.addingReportingOverflow(m.minor)
            guard !overflow else { throw CDSError.invalid(field, "the total overflows") }
            total = s
        }
        return total
    }
}
