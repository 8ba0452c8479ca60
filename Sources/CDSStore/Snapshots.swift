import CDSCore
import Dispatch
import Foundation
import GRDB
import GRDBSQLite

/// The snapshots of the indicator engine and of the matcher's inputs, kept in the database
/// beside the log they were built from.
///
/// A snapshot is a cache, never a source: it is read only when its layout is this release's
/// and the log still holds, at the position it covers, the event hash it was written with;
/// what it holds is then brought up to date with the events after that position. A snapshot
/// that is damaged, of another layout, or of another log is left and the engine is built from
/// the database, which then writes a new one. Erasing a member deletes them in the same
/// transaction (they hold facts about her), and a snapshot written across an erasure is not stored.
extension Store {
    static let schemaSnapshots = """
    CREATE TABLE engine_snapshot (
      engine TEXT PRIMARY KEY CHECK (engine IN ('indicators', 'matcher')),
      seq INTEGER NOT NULL CHECK (seq > 0),
      hash TEXT NOT NULL CHECK (length(hash) = 64),
      layout TEXT NOT NULL,
      data BLOB NOT NULL
    ) STRICT
    """

    /// A snapshot to store: which engine, its layout, the function that makes its bytes (from
    /// values captured under the engine's lock, made outside it), the last event they cover and its hash.
    struct EngineSnapshot {
        var engine: String
        var layout: String
        var data: () -> [UInt8]
        var seq: Int64
        var hash: String

        /// The indicator engine's.
        static let indicators = "indicators", indicatorLayout = "indicators \(IndicatorEngine.snapshotLayout)"
        /// The matcher's inputs.
        static let matcher = "matcher", matcherLayout = "matcher \(MatchSnapshot.layout)"
    }

    /// The bytes of the stored snapshot of `engine` and the last event they cover, if it has
    /// `layout` and covers the log whose last event is `now`; `read` reads them (its error,
    /// damage, leaves the snapshot unread).
    static func storedSnapshot<T>(_ db: Database, _ engine: String, layout: String, upTo now: Int64, _ read: ([UInt8]) throws(CDSError) -> T) throws -> (T, Int64)? {
        guard let r = try storedRows(db, "engine_snapshot", sql: "SELECT rowid, seq, hash, layout, length(data) AS size FROM engine_snapshot WHERE engine = ?",
                                     arguments: [engine]).first else { return nil }
        do {
            let seq: Int64 = try r.value("seq"), hash = try r.text("hash")
            guard try r.text("layout") == layout, seq <= now, try eventHash(db, seq) == hash,
                  let bytes = blob(db, rowid: try r.value("rowid"), size: try r.value("size")) else { return nil }
            return (try read(bytes), seq)
        } catch {
            return nil   // damaged: built again from the database
        }
    }

    /// The bytes of a snapshot, read from the file straight into one buffer (a column read
    /// would copy its hundred megabytes twice more); nil when they cannot be read.
    private static func blob(_ db: Database, rowid: Int64, size: Int) -> [UInt8]? {
        guard size > 0, size <= Int(Int32.max), let connection = db.sqliteConnection else { return nil }
        var handle: OpaquePointer? = nil
        defer { sqlite3_blob_close(handle) }
        guard sqlite3_blob_open(connection, "main", "engine_snapshot", "data", rowid, 0, &handle) == SQLITE_OK, let handle,
              Int(sqlite3_blob_bytes(handle)) == size else { return nil }
        var ok = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            ok = sqlite3_blob_read(handle, buffer.baseAddress, Int32(size), 0) == SQLITE_OK
            count = ok ? size : 0
        }
        return ok ? bytes : nil
    }

    /// The snapshot whose bytes `data` makes, which covers the log up to `seq`.
    static func snapshot(_ db: Database, _ engine: String, layout: String, seq: Int64, _ data: @escaping () -> [UInt8]) throws -> EngineSnapshot? {
        guard let hash = try eventHash(db, seq) else { return nil }
        return EngineSnapshot(engine: engine, layout: layout, data: data, seq: seq, hash: hash)
    }

    /// The chain hash of the event at `seq`: what ties a snapshot to this log.
    static func eventHash(_ db: Database, _ seq: Int64) throws -> String? {
        try String.fetchOne(db, sql: "SELECT hash FROM event WHERE seq = ?", arguments: [seq])
    }

    /// Whether a snapshot is due: the log grew by `snapshotAfterEvents`, and by a quarter,
    /// since the one stored (at `stored`, 0 for none).
    func snapshotDue(now: Int64, stored: Int64) -> Bool {
        snapshotAfterEvents > 0 && now - max(0, stored) >= max(Int64(snapshotAfterEvents), stored / 4)
    }

    /// Runs the two pieces of work on two threads (a snapshot's sections), returning when both are done.
    static func concurrently(_ first: () -> Void, _ second: () -> Void) {
        withoutActuallyEscaping(first) { first in
            withoutActuallyEscaping(second) { second in
                let work = TwoPieces(first: first, second: second)
                DispatchQueue.concurrentPerform(iterations: 2) { i in if i == 0 { work.first() } else { work.second() } }
            }
        }
    }

    /// Two closures that write to distinct places, handed to two threads.
    private struct TwoPieces: @unchecked Sendable {
        let first: () -> Void, second: () -> Void
    }

    /// Makes the bytes of `s` (outside every lock) and stores them, unless a newer snapshot is
    /// stored or a member was erased after its position.
    func store(_ s: EngineSnapshot) throws(CDSError) {
        let data = Data(s.data())
        do {
            try writer.write { db in
                try db.execute(sql: """
                    INSERT INTO engine_snapshot(engine, seq, hash, layout, data) SELECT ?, ?, ?, ?, ?
                    WHERE NOT EXISTS (SELECT 1 FROM event WHERE seq > ? AND type = ?)
                    ON CONFLICT(engine) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, layout = excluded.layout, data = excluded.data
                    WHERE excluded.seq > engine_snapshot.seq
                    """, arguments: [s.engine, s.seq, s.hash, s.layout, data, s.seq, EventType.memberErased.rawValue])
            }
        } catch {
            throw Store.translate(error)
        }
    }
}
