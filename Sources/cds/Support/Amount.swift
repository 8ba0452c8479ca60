import ArgumentParser
import CDSCore

/// Amounts as people type them: a decimal in major units (`150`, `150.5`, `150.00`) read
/// into minor units exactly, with integer arithmetic only (never floating point).
enum Amount {
    /// `text` in minor units (2 decimals, as every amount of the library): `"150.05"` → 15005.
    /// Refuses a sign, more than 2 decimals, anything but ASCII digits and one point, and an
    /// amount over `Limits.amount`, each with a message naming `option`.
    static func minor(_ text: String, option: String) throws -> Int64 {
        let parts = text.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        let digits: (Substring) -> Bool = { !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }
        guard let whole = parts.first, digits(whole), parts.count <= 2 else {
            throw ValidationError("--\(option) takes an amount in major units such as 150 or 150.00, not '\(text)'")
        }
        let fraction = parts.count == 2 ? parts[1] : "00"
        guard digits(fraction) else { throw ValidationError("--\(option) takes an amount such as 150.00: digits after the point, not '\(text)'") }
        guard fraction.count <= 2 else { throw ValidationError("--\(option) takes at most 2 decimals (minor units are centimes), not '\(text)'") }
        let maxWhole = Limits.amount / 100
        // Leading zeros aside, more digits than the bound's cannot fit; Int64 then reads what is left.
        let significant = whole.drop { $0 == "0" }
        guard significant.count <= String(maxWhole).count, let units = significant.isEmpty ? 0 : Int64(significant), units <= maxWhole,
              let cents = Int64(fraction.count == 1 ? fraction + "0" : fraction) else {
            throw ValidationError("--\(option) is too large: at most \(Format.grouped(maxWhole)) in major units")
        }
        let (scaled, overflow) = units.multipliedReportingOverflow(by: 100)
        guard !overflow, scaled <= Limits.amount - cents else { throw ValidationError("--\(option) is too large: at most \(Format.grouped(maxWhole)) in major units") }
        return scaled + cents
    }

    /// `{"minor", "currency"}` from a typed amount and its currency.
    static func money(_ text: String, currency: String, option: String) throws -> JSON {
        ["minor": .int(try minor(text, option: option)), "currency": .string(currency)]
    }
}
