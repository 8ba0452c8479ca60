import CDSCore
import Foundation
import GRDB

/// The indicator engine's snapshot, kept in the database beside the log it was built from.
///
/// A snapshot is a cache, never a source: it is read only when its layout is this release's
/// and the log still holds, at the position it covers, the event hash it was written with;
/// the engine it holds is then extended with the events after that position. A snapshot that
/// is damaged, of another layout, or of another log is left and the engine is built from the
/// log, which then writes a new one. Erasing a member deletes it in the same transaction
/// (it holds facts about her), and a snapshot written across an erasure is not stored.
extension Store {
    static let schemaSnapshots = """
    CREATE TABLE engine_snapshot (
      engine TEXT PRIMARY KEY CHECK (engine IN ('indicators')),
      seq INTEGER NOT NULL CHECK (seq > 0),
      hash TEXT NOT NULL CHECK (length(hash) = 64),
      layout TEXT NOT NULL,
      data BLOB NOT NULL
    ) STRICT
    """

    /// The layout a snapshot must have to be read by this release.
    static var indicatorSnapshotLayout: String { "indicators \(IndicatorEngine.snapshotLayout)" }

    /// A snapshot to store: the engine's bytes, the last event they cover and its hash.
    struct EngineSnapshot {
        var data: [UInt8]
        var seq: Int64
        var hash: String
    }

    /// The engine of the stored snapshot and the last event it covers, if it is usable for a
    /// log whose last event is `now`.
    static func storedIndicatorEngine(_ db: Database, upTo now: Int64) throws -> (IndicatorEngine, Int64)? {
        guard let r = try storedRows(db, "engine_snapshot", sql: "SELECT seq, hash, layout, data FROM engine_snapshot WHERE engine = 'indicators'").first else { return nil }
        do {
            let seq: Int64 = try r.value("seq"), hash = try r.text("hash"), layout = try r.text("layout")
            guard layout == indicatorSnapshotLayout, seq <= now,
                  try String.fetchOne(db, sql: "SELECT hash FROM event WHERE seq = ?", arguments: [seq]) == hash else { return nil }
            let data: Data = try r.value("data")
            return (try IndicatorEngine(snapshot: [UInt8](data)), seq)
        } catch {
            return nil   // damaged: built again from the log
        }
    }

    /// What to store as the snapshot of `engine`, which covers the log up to `seq`.
    static func indicatorSnapshot(_ db: Database, _ engine: IndicatorEngine, seq: Int64) throws -> EngineSnapshot? {
        guard let hash = try String.fetchOne(db, sql: "SELECT hash FROM event WHERE seq = ?", arguments: [seq]) else { return nil }
        return EngineSnapshot(data: engine.snapshot(), seq: seq, hash: hash)
    }

    /// Stores `s` unless a newer snapshot is stored or a member was erased after its position.
    func store(_ s: EngineSnapshot) throws(CDSError) {
        do {
            try writer.write { db in
                try db.execute(sql: """
                    INSERT INTO engine_snapshot(engine, seq, hash, layout, data) SELECT 'indicators', ?, ?, ?, ?
                    WHERE NOT EXISTS (SELECT 1 FROM event WHERE seq > ? AND type = ?)
                    ON CONFLICT(engine) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, layout = excluded.layout, data = excluded.data
                    WHERE excluded.seq > engine_snapshot.seq
                    """, arguments: [s.seq, s.hash, Store.indicatorSnapshotLayout, Data(s.data), s.seq, EventType.memberErased.rawValue])
            }
        } catch {
            throw Store.translate(error)
        }
    }
}
