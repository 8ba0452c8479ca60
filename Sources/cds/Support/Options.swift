import ArgumentParser
import CDS
import CDSCore

#if canImport(Glibc)
import Glibc
#endif

/// The database a command works on: `--db PATH`, else `$CDS_DB`. It must exist; `cds init PATH` creates one.
/// An operator on the file acts as the trusted system; `--as mbr_…` acts as that member instead,
/// with what the access table allows her.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The database file (default: $CDS_DB); it must exist: cds init PATH creates one.", valueName: "path"))
    var db: String?

    @Option(name: .customLong("as"), help: ArgumentHelp("Act as this member (mbr_…), with what the access table allows her (default: the trusted system, an operator on the file).", valueName: "id"))
    var asMember: String?

    /// `--db`, else a non-empty `$CDS_DB`, else `fallback`.
    func path(fallback: String? = nil) -> String? {
        if let db { return db }
        if let env = getenv("CDS_DB").map({ String(cString: $0) }), !env.isEmpty { return env }
        return fallback
    }

    /// Opens the existing database given, or `fallback` when none is (`:memory:` where reference data suffices).
    func open(fallback: String? = nil) throws -> CDSDatabase {
        guard let path = path(fallback: fallback) else {
            throw ValidationError("give the database with --db PATH (or set CDS_DB)")
        }
        return try Session.open(path, as: asMember)
    }
}

/// How a command prints: a table for people, or the method's JSON answer for scripts.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print the method's JSON answer instead of a table.")
    var json = false

    @Option(help: "The language of labels.")
    var locale: Locale?

    /// Prints the JSON answer and answers true when `--json` asks for it; the caller prints its table otherwise.
    func printedJSON(_ answer: JSON) -> Bool {
        if json { print(answer.text) }
        return json
    }
}

/// The member who acts, recorded in the event log (absent: an anonymous visitor, as the access table sees it).
struct ActorOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The acting member's id (mbr_…).", valueName: "id"))
    var actor: String?
}

/// A quantity (`{"unit", "amount", "currency"}`): what a need lacks, an offer holds or a contribution brings.
struct QuantityOptions: ParsableArguments {
    @Option(help: "The unit of the quantity.")
    var unit: QuantityUnit?

    @Option(help: "How many: person-days, units, or minor units of money (centimes).")
    var amount: Int64?

    @Option(help: ArgumentHelp("For money: the ISO 4217 currency (MAD, EUR…).", valueName: "code"))
    var currency: String?

    /// `--unit` and `--amount` come together; a currency only with them.
    func validate() throws {
        if (unit == nil) != (amount == nil) { throw ValidationError("--unit and --amount go together") }
        if currency != nil && unit == nil { throw ValidationError("--currency goes with --unit money and --amount") }
    }

    /// The quantity object, or nil when none is given.
    var json: JSON? {
        guard let unit, let amount else { return nil }
        var q: JSONObject = ["unit": .string(unit.rawValue), "amount": .int(amount)]
        q.put("currency", currency)
        return .object(q)
    }
}

/// Paging of lists: at most `--limit` items (the method bounds it).
struct PageOptions: ParsableArguments {
    @Option(help: "At most this many.")
    var limit: Int = 100

    /// Puts `limit` into a list's params.
    func apply(to params: inout JSONObject) { params.put("limit", limit) }
}
