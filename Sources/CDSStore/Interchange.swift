import CDSCore
import GRDB
#if canImport(Glibc)
import Glibc
#endif

extension Store {
    /// Runs `body` in one write transaction, as `batch` does (each call it makes is a
    /// savepoint of it), then commits only if `keep` says so of the result; otherwise rolls
    /// everything back. Either way it answers the result: a dry run does all the work of
    /// an import, then writes nothing.
    public func rehearse<T>(keep: (T) -> Bool, _ body: () throws(CDSError) -> T) throws(CDSError) -> T {
        guard batchContext.database() == nil else { throw CDSError(.conflict, "an import cannot run inside a batch") }
        do {
            var result: T?
            try writer.writeWithoutTransaction { db in
                // A large import's transaction outgrows SQLite's default 2 MiB page cache, and every page it spills is
                // written to the WAL and read again: 64 MiB for the import's length keeps memory bounded and the disk quiet.
                let cache = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
                try db.execute(sql: "PRAGMA cache_size = -65536")
                defer { try? db.execute(sql: "PRAGMA cache_size = \(cache)") }
                try db.inTransaction {
                    batchContext.enter(db)
                    defer { batchContext.leave() }
                    let r = try body()
                    result = r
                    return keep(r) ? .commit : .rollback
                }
            }
            guard let result else { throw CDSError(.internal, "an import answered nothing") }
            return result
        } catch {
            throw Store.translate(error)
        }
    }

    /// Inside `rehearse` (or a batch): runs `body` in a savepoint, kept only when it answers
    /// `keep` true (an update that changes nothing is rolled back, leaving no event).
    public func savepoint<T>(_ body: () throws(CDSError) -> (T, keep: Bool)) throws(CDSError) -> T {
        guard let db = batchContext.database() else { throw CDSError(.internal, "a savepoint needs the transaction of an import") }
        do {
            var result: T?
            try db.inSavepoint {
                let (r, keep) = try body()
                result = r
                return keep ? .commit : .rollback
            }
            guard let result else { throw CDSError(.internal, "a savepoint answered nothing") }
            return result
        } catch {
            throw Store.translate(error)
        }
    }

    /// The id an external `ref` of `entity` (`member`, `offer`…) stands for, if an import bound it.
    public func externalRef(_ entity: String, _ ref: String) throws(CDSError) -> String? {
        try read { db in
            try Store.storedRow(db, "external_ref", sql: "SELECT id FROM external_ref WHERE entity = ? AND ref = ?", arguments: [entity, ref])?.text("id")
        }
    }

    /// The external ref bound to an entity's id, if any (for exports).
    public func externalRef(_ entity: String, id: String) throws(CDSError) -> String? {
        try read { db in
            try Store.storedRow(db, "external_ref", sql: "SELECT ref FROM external_ref WHERE entity = ? AND id = ?", arguments: [entity, id])?.text("ref")
        }
    }

    /// True when `id` is a row of the entity's table (`member`, `organization`, `offer`, `need`, `project`).
    public func entityExists(_ entity: String, _ id: String) throws(CDSError) -> Bool {
        guard ["member", "organization", "offer", "need", "project"].contains(entity) else { return false }
        return try read { db in try Store.exists(db, entity, id) }
    }

    /// The id of the project whose code is `code`, if any.
    public func projectID(code: String) throws(CDSError) -> String? {
        try read { db in try Store.storedRow(db, "project", sql: "SELECT id FROM project WHERE code = ?", arguments: [code])?.text("id") }
    }

    /// Binds an external `ref` to the entity `id` it created, in the import's transaction;
    /// logs nothing on its own (the import's `import.completed` event counts the rows).
    public func bindExternalRef(_ entity: String, _ ref: String, id: String) throws(CDSError) {
        _ = try write { db in
            try Store.exec(db, sql: "INSERT INTO external_ref(entity, ref, id) VALUES (?, ?, ?)", arguments: [entity, ref, id])
        }
    }

    /// Logs `import.completed` with what the import did, in its transaction.
    public func logImport(_ payload: JSON, change: Change) throws(CDSError) {
        let now = self.now
        _ = try write { db in
            try Store.checkActor(db, change)
            try Store.appendEvent(db, type: .importCompleted, subject: "import", change: change, recordedAt: now, payload: payload)
        }
    }

    /// Copies the database, while it is in use, to a new file at `path` with SQLite's online
    /// backup (a consistent snapshot: what was committed when the copy began), then opens the
    /// copy and verifies its hash chain. Refuses a path that exists.
    public func backup(to path: String) throws(CDSError) -> AuditReport {
        guard !path.isEmpty, !path.utf8.contains(0) else { throw CDSError.invalid("path", "must be a file path") }
        guard path != ":memory:" else { throw CDSError.invalid("path", "must be a file path, not :memory:") }
        guard access(path, F_OK) != 0 else { throw CDSError(.conflict, "\(path) exists: a backup never overwrites a file", details: ["field": "path"]) }
        do {
            let target = try DatabaseQueue(path: path)
            try writer.backup(to: target)
            try target.close()
        } catch {
            throw Store.translate(error)
        }
        let copy = try Store(path: path, options: StoreOptions(readOnly: true, live: false))
        return try copy.verifyAuditChain()
    }
}
