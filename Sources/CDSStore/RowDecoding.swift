import CDSCore
import Foundation
import GRDB

/// A stored row read column by column: a value that is NULL where the schema forbids it, of
/// the wrong type, or not a valid code, date, instant or JSON text is damage, answered as a
/// `storage` error naming the table and the column, never a trap (GRDB's subscripts trap)
/// and never a default standing in for what was stored.
struct StoredRow {
    /// The row as SQLite answered it.
    let row: Row
    /// The table it was read from, for the error's message.
    let table: String

    /// The row `row` of `table`.
    init(_ row: Row, of table: String) { self.row = row; self.table = table }

    /// The error of a damaged value: `damaged row in member.gender: "w" is not a gender…`.
    static func damage(_ table: String, _ column: String, _ why: String) -> CDSError {
        CDSError(.storage, "damaged row in \(table).\(column): \(why)",
                 details: ["table": .string(table), "column": .string(column), "reason": .string(why)])
    }

    /// The error of a damaged value of this row.
    func damage(_ column: String, _ why: String) -> CDSError { StoredRow.damage(table, column, why) }

    /// The stored value of a column (NULL when the query did not select it is damage too).
    func databaseValue(_ column: String) throws(CDSError) -> DatabaseValue {
        guard row.hasColumn(column) else { throw damage(column, "the column is missing") }
        do { return try row.decode(DatabaseValue.self, forColumn: column) } catch { throw damage(column, "unreadable value") }
    }

    /// A NOT NULL column of type `T`.
    func value<T: DatabaseValueConvertible>(_ column: String, _ type: T.Type = T.self) throws(CDSError) -> T {
        guard let v = try optional(column, type) else { throw damage(column, "NULL where a value is required") }
        return v
    }

    /// A nullable column of type `T`: NULL is nil, a value of another type is damage.
    func optional<T: DatabaseValueConvertible>(_ column: String, _ type: T.Type = T.self) throws(CDSError) -> T? {
        let dbValue = try databaseValue(column)
        if dbValue.isNull { return nil }
        guard let v = StoredRow.strict(T.self, dbValue) else {
            throw damage(column, "\(StoredRow.describe(dbValue)) is not \(StoredRow.kind(T.self))")
        }
        return v
    }

    /// A TEXT column.
    func text(_ column: String) throws(CDSError) -> String { try value(column, String.self) }

    /// A nullable TEXT column.
    func optionalText(_ column: String) throws(CDSError) -> String? { try optional(column, String.self) }

    /// A column holding a code of a vocabulary.
    func code<V: Vocabulary>(_ column: String, _ type: V.Type) throws(CDSError) -> V {
        try StoredRow.code(try text(column), V.self, table: table, column: column)
    }

    /// An INTEGER column holding 0 or 1.
    func flag(_ column: String) throws(CDSError) -> Bool {
        switch try value(column, Int64.self) {
        case 0: return false
        case 1: return true
        case let n: throw damage(column, "\(n) is not 0 or 1")
        }
    }

    /// A TEXT column holding a date `YYYY-MM-DD`.
    func date(_ column: String) throws(CDSError) -> LocalDate {
        let t = try text(column)
        guard let d = LocalDate(t) else { throw damage(column, "\(StoredRow.quoted(t)) is not a date (YYYY-MM-DD)") }
        return d
    }

    /// A nullable TEXT column holding a date.
    func optionalDate(_ column: String) throws(CDSError) -> LocalDate? {
        guard try optionalText(column) != nil else { return nil }
        return try date(column)
    }

    /// An INTEGER column holding an instant in milliseconds since the epoch, in years 1…9999.
    func instant(_ column: String) throws(CDSError) -> Instant {
        try StoredRow.instant(try value(column, Int64.self), table: table, column: column)
    }

    /// A nullable INTEGER column holding an instant.
    func optionalInstant(_ column: String) throws(CDSError) -> Instant? {
        guard let ms = try optional(column, Int64.self) else { return nil }
        return try StoredRow.instant(ms, table: table, column: column)
    }

    /// A TEXT column holding a JSON text.
    func json(_ column: String) throws(CDSError) -> JSON {
        try StoredRow.json(try text(column), table: table, column: column)
    }

    /// A TEXT column holding the JSON document of an entity, decoded by `decode`: a document
    /// the entity refuses is damage too, not the caller's invalid params.
    func document<T>(_ column: String = "doc", as decode: (JSON) throws(CDSError) -> T) throws(CDSError) -> T {
        let j = try json(column)
        do { return try decode(j) } catch { throw damage(column, "the stored document does not read back: \(error.message)") }
    }

    // MARK: - The rules, for values already out of their row

    /// The instants the library writes and reads (years 1…9999, where its dates are defined).
    static let instantRange: ClosedRange<Int64> = -62_135_596_800_000...253_402_300_799_999

    /// `ms` as an instant, or the damage of `table.column`.
    static func instant(_ ms: Int64, table: String, column: String) throws(CDSError) -> Instant {
        guard instantRange.contains(ms) else { throw damage(table, column, "\(ms) is not an instant of years 1 to 9999") }
        return Instant(millisecondsSinceEpoch: ms)
    }

    /// `text` parsed as JSON, or the damage of `table.column`.
    static func json(_ text: String, table: String, column: String) throws(CDSError) -> JSON {
        do { return try JSON.parse(text) } catch {
            throw damage(table, column, "not JSON (\(error.reason) at byte \(error.offset))")
        }
    }

    /// `text` as a code of a vocabulary, or the damage of `table.column`.
    static func code<V: Vocabulary>(_ text: String, _ type: V.Type, table: String, column: String) throws(CDSError) -> V {
        guard let v = V(rawValue: text) else {
            throw damage(table, column, "\(quoted(text)) is not \(kind(V.self)) (\(V.codes.joined(separator: ", ")))")
        }
        return v
    }

    /// The value converted only from its own storage class: SQLite's loose conversions
    /// (text to 0, a real to an integer) would invent a value.
    static func strict<T: DatabaseValueConvertible>(_ type: T.Type, _ v: DatabaseValue) -> T? {
        switch v.storage {
        case .string where T.self == String.self, .int64 where T.self == Int64.self || T.self == Int.self,
             .double where T.self == Double.self, .int64 where T.self == Double.self, .blob where T.self == Data.self:
            return T.fromDatabaseValue(v)
        default:
            return nil
        }
    }

    /// What a value is, for a message: `"w"`, `42`, `a blob of 3 bytes`, `NULL`.
    static func describe(_ v: DatabaseValue) -> String {
        switch v.storage {
        case .null: "NULL"
        case .int64(let n): "the integer \(n)"
        case .double(let d): "the real \(d)"
        case .string(let s): quoted(s)
        case .blob(let b): "a blob of \(b.count) bytes"
        }
    }

    /// A stored text, quoted and cut to a readable length.
    static func quoted(_ s: String) -> String {
        let cut = s.count > 40 ? String(s.prefix(40)) + "…" : s
        return "\"" + cut + "\""
    }

    /// The name of a type for a message: `a text`, `an integer`, `a Gender`.
    static func kind<T>(_ type: T.Type) -> String {
        if T.self == String.self { return "a text" }
        if T.self == Int64.self || T.self == Int.self { return "an integer" }
        if T.self == Double.self { return "a number" }
        return "a " + String(describing: T.self)
    }
}

extension Store {
    /// The rows a query answers, read as stored rows of `table`. The statement is prepared
    /// once per connection and kept (every query here is one of a fixed set of texts, the
    /// values always arguments): compiling it again costs more than many small queries.
    static func storedRows(_ db: Database, _ table: String, sql: String, arguments: StatementArguments = []) throws -> [StoredRow] {
        try Row.fetchAll(try db.cachedStatement(sql: sql), arguments: arguments).map { StoredRow($0, of: table) }
    }

    /// Runs one statement that writes, prepared once per connection (as `storedRows`).
    static func exec(_ db: Database, sql: String, arguments: StatementArguments = []) throws {
        try db.cachedStatement(sql: sql).execute(arguments: arguments)
    }

    /// The first row a query answers, read as a stored row of `table`.
    static func storedRow(_ db: Database, _ table: String, sql: String, arguments: StatementArguments = []) throws -> StoredRow? {
        try Row.fetchOne(try db.cachedStatement(sql: sql), arguments: arguments).map { StoredRow($0, of: table) }
    }

    /// The entity of `table` whose id is `id`, decoded from its `doc` column; nil if none.
    static func document<T>(_ db: Database, _ table: String, id: String, _ decode: (JSON) throws(CDSError) -> T) throws -> T? {
        try storedRow(db, table, sql: "SELECT doc FROM \(table) WHERE id = ?", arguments: [id])?.document(as: decode)
    }

    /// The `doc` column of every row a query of `table` answers, decoded by `decode`.
    static func documents<T>(_ db: Database, _ table: String, sql: String, arguments: StatementArguments = [],
                             _ decode: (JSON) throws(CDSError) -> T) throws -> [T] {
        try storedRows(db, table, sql: sql, arguments: arguments).map { r throws(CDSError) in try r.document(as: decode) }
    }
}
