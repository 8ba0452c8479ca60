import CDSCore
import GRDB

/// A page of a list and the cursor of the next one.
public struct Page<Item> {
    /// The items of this page.
    public var items: [Item]
    /// Pass it as `cursor` for the next page; nil on the last page.
    public var nextCursor: String?

    /// A page of `items`; `nextCursor` nil for the last (or only) one.
    public init(items: [Item], nextCursor: String? = nil) { self.items = items; self.nextCursor = nextCursor }
}

extension Page: Sendable where Item: Sendable {}

extension Store {
    /// A page from `limit + 1` fetched rows: the extra row only says there is a next page.
    static func page<T>(_ rows: [T], limit: Int, cursor: (T) -> String) -> Page<T> {
        guard rows.count > limit else { return Page(items: rows, nextCursor: nil) }
        let items = Array(rows.prefix(limit))
        return Page(items: items, nextCursor: items.last.map(cursor))
    }

    /// A page of the rows of a table, in creation order (`seq`), filtered by SQL conditions
    /// with their arguments, each row read by `decode`.
    static func rowPage<T>(_ db: Database, table: String, columns: String = "*", where conditions: [(String, [any DatabaseValueConvertible])],
                           limit: Int, cursor: Int64, decode: (StoredRow) throws(CDSError) -> T) throws -> Page<T> {
        var sql = "SELECT \(columns) FROM \(table) WHERE seq > ?"
        var args: [any DatabaseValueConvertible] = [cursor]
        for (condition, values) in conditions {
            sql += " AND " + condition
            args += values
        }
        sql += " ORDER BY seq LIMIT ?"
        args.append(limit + 1)
        let rows = try storedRows(db, table, sql: sql, arguments: StatementArguments(args))
            .map { r throws(CDSError) in (seq: try r.value("seq", Int64.self), item: try decode(r)) }
        let page = Store.page(rows, limit: limit) { String($0.seq) }
        return Page(items: page.items.map(\.item), nextCursor: page.nextCursor)
    }

    /// A page of the entities of a table that keeps each as a JSON document (`seq`, `doc`),
    /// in creation order, filtered by SQL conditions with their arguments.
    static func documentPage<T>(_ db: Database, table: String, where conditions: [(String, [any DatabaseValueConvertible])],
                                limit: Int, cursor: Int64, decode: (JSON) throws(CDSError) -> T) throws -> Page<T> {
        try rowPage(db, table: table, columns: "seq, doc", where: conditions, limit: limit, cursor: cursor) { r throws(CDSError) in
            try r.document(as: decode)
        }
    }

    /// `%folded query%` with LIKE's wildcards escaped.
    static func likePattern(_ query: String) -> String {
        var out = "%"
        for ch in Text.fold(query) {
            if ch == "%" || ch == "_" || ch == "\\" { out.append("\\") }
            out.append(ch)
        }
        return out + "%"
    }
}
