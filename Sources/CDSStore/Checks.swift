import CDSCore
import GRDB

/// The checks every write shares: the actor, that an id exists, that codes are in the reference data.
extension Store {
    /// Checks that the actor of a change is a member.
    static func checkActor(_ db: Database, _ change: Change) throws {
        if let actor = change.actor, try !exists(db, "member", actor) {
            throw CDSError.invalid("actor", "no member \"\(actor)\"")
        }
    }

    /// True when a row with this id exists in `table` (a fixed table name, never input).
    static func exists(_ db: Database, _ table: String, _ id: String) throws -> Bool {
        try Bool.fetchOne(try db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM \(table) WHERE id = ?)"), arguments: [id]) ?? false
    }

    /// Checks that every code is in a reference dataset, or `invalid_params` naming the field.
    static func checkCodes(_ db: Database, _ codes: [String], dataset: String, field: String) throws {
        for c in codes where try Bool.fetchOne(try db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM reference_item WHERE dataset = ? AND code = ?)"), arguments: [dataset, c]) != true {
            throw CDSError.invalid(field, "unknown code \"\(c)\" (see reference.list with dataset \(dataset))")
        }
    }
}
