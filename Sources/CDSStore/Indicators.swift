import CDSCore
import GRDB
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The indicator engine kept between calls, with the position of the event log it covers:
/// every write appends an event, so it holds while the log has not grown, and what the log
/// gained since is what it catches up with, in place. Readers share it under a read lock;
/// catching up takes the write lock (writers first, so a stream of readers cannot starve it).
final class EngineHolder: @unchecked Sendable {
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>
    /// What the lock guards: the engine, the last event it covers, and the last event the
    /// stored snapshot covers (-1 until the table was read, 0 for none).
    struct State {
        var engine: IndicatorEngine? = nil
        var seq: Int64 = -1
        var snapshotSeq: Int64 = -1
    }
    /// Guarded by `lock`.
    private var state = State()
    /// How many times the engine was built from the whole log, and read from a snapshot (the tests count them).
    let fullBuilds = Atomic<Int>(0)
    let snapshotsRead = Atomic<Int>(0)

    init() {
        lock = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)
        var attr = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attr)
        #if os(Linux)
        pthread_rwlockattr_setkind_np(&attr, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        #endif
        pthread_rwlock_init(lock, &attr)
        pthread_rwlockattr_destroy(&attr)
    }
    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    /// Runs `body` with the engine under the read lock if it covers the log up to `last`.
    func read<T>(covering last: Int64, _ body: (IndicatorEngine) throws(CDSError) -> T) throws(CDSError) -> T? {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        guard let engine = state.engine, state.seq >= last else { return nil }
        return try body(engine)
    }

    /// Brings the engine up to date under the write lock.
    func update<T>(_ body: (inout State) throws(CDSError) -> T) throws(CDSError) -> T {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body(&state)
    }
}

extension Store {
    /// The events of the log as the indicator engine reads them, oldest first, each
    /// decoded into its typed facts (an unreadable payload is a `storage` error naming it);
    /// only those after `seq` when it is given.
    public func indicatorEvents(after seq: Int64 = 0) throws(CDSError) -> [IndicatorEvent] {
        try read { db in try Store.indicatorEvents(db, after: seq) }
    }

    static func indicatorEvents(_ db: Database, after seq: Int64) throws -> [IndicatorEvent] {
        var out: [IndicatorEvent] = []
        let cursor = try Row.fetchCursor(db, sql: "SELECT seq, occurred_at, type, subject, actor, payload FROM event WHERE seq > ? ORDER BY seq", arguments: [seq])
        while let row = try cursor.next() {
            let r = StoredRow(row, of: "event")
            let day = try r.instant("occurred_at").date.daysSinceEpoch
            let event = try LoggedEvent.decode(seq: try r.value("seq", Int64.self), type: try r.text("type"), payload: try r.text("payload"))
            out.append(IndicatorEvent(day: day, subject: try r.text("subject"), actor: try r.optionalText("actor"), event: event))
        }
        return out
    }

    /// Runs `body` with the indicator engine over the whole log. The engine is kept with the
    /// last event it covers: when the log has grown, only the new events are read and the
    /// engine is extended with them in place; an erasure (which redacts earlier payloads)
    /// reads the whole log again. The first call of a handle starts from the stored snapshot
    /// when it is usable (Snapshots.swift), and a call that finds the log grown by
    /// `StoreOptions.snapshotAfterEvents` since the snapshot stores a new one. Inside a
    /// `batch` nothing is kept (a rollback would reuse the log's numbers); with
    /// `StoreOptions.live` off, every call builds it from the whole log.
    /// The engine is not to be kept past `body`.
    public func withIndicatorEngine<T>(_ body: (IndicatorEngine) throws(CDSError) -> T) throws(CDSError) -> T {
        guard live, batchContext.database() == nil else {
            return try body(try read { db in IndicatorEngine(events: try Store.indicatorEvents(db, after: 0)) })
        }
        let last = try read { db in try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM event") ?? 0 }
        while true {
            if let answer = try engineHolder.read(covering: last, body) { return answer }
            let due = try engineHolder.update { (s: inout EngineHolder.State) throws(CDSError) -> EngineSnapshot? in
                try read { db -> EngineSnapshot? in
                    let now = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM event") ?? 0
                    if s.engine == nil, s.snapshotSeq < 0 {
                        s.snapshotSeq = 0
                        if let (engine, seq) = try Store.storedSnapshot(db, EngineSnapshot.indicators, layout: EngineSnapshot.indicatorLayout, upTo: now,
                                                                        { b throws(CDSError) in try IndicatorEngine(snapshot: b, concurrently: Store.concurrently) }) {
                            (s.engine, s.seq, s.snapshotSeq) = (engine, seq, seq)
                            engineHolder.snapshotsRead.add(1, ordering: .relaxed)
                        }
                    }
                    caughtUp: if let engine = s.engine, s.seq <= now {
                        if s.seq == now { break caughtUp }       // caught up while this call waited
                        let erased = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM event WHERE seq > ? AND type = ?)",
                                                       arguments: [s.seq, EventType.memberErased.rawValue]) ?? true
                        if !erased {
                            engine.extend(with: try Store.indicatorEvents(db, after: s.seq))
                            s.seq = now
                            break caughtUp
                        }
                        s.engine = nil
                    }
                    if s.engine == nil || s.seq > now {
                        engineHolder.fullBuilds.add(1, ordering: .relaxed)
                        s.engine = IndicatorEngine(events: try Store.indicatorEvents(db, after: 0))
                        s.seq = now
                        s.snapshotSeq = 0    // none stored that is usable (an erasure deletes it)
                    }
                    guard let engine = s.engine, snapshotDue(now: now, stored: s.snapshotSeq) else { return nil }
                    s.snapshotSeq = now
                    return try Store.snapshot(db, EngineSnapshot.indicators, layout: EngineSnapshot.indicatorLayout, seq: now, engine.snapshotLater())
                }
            }
            // The engine's values are captured under its write lock, encoded and stored outside it
            // (readers and writers go on meanwhile). A snapshot that cannot be stored (a busy or
            // full disk) leaves the one before; the answer does not depend on it.
            if let due { try? store(due) }
        }
    }

    /// The targets this CDS set (the others keep their defaults).
    public func indicatorTargets() throws(CDSError) -> [IndicatorID: Double] {
        try read { db in
            var out: [IndicatorID: Double] = [:]
            for r in try Store.storedRows(db, "indicator_target", sql: "SELECT id, target FROM indicator_target") {
                let target: Double = try r.value("target")
                guard target.isFinite, target >= 0 else { throw r.damage("target", "\(target) is not a target of at least 0") }
                out[try r.code("id", IndicatorID.self)] = target
            }
            return out
        }
    }

    /// Sets the target of an indicator for this CDS; logs `indicator.target_set`.
    public func setIndicatorTarget(_ id: IndicatorID, target: Double, change: Change = Change()) throws(CDSError) {
        guard target.isFinite, target >= 0 else { throw CDSError.invalid("target", "must be a number of at least 0") }
        let now = self.now
        try write { db in
            try Store.checkActor(db, change)
            try Store.exec(db, sql: "INSERT INTO indicator_target(id, target) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET target = excluded.target",
                           arguments: [id.rawValue, target])
            try Store.appendEvent(db, type: IndicatorTargetSet.type, subject: id.rawValue, change: change, recordedAt: now, payload: IndicatorTargetSet.payload(target: target))
        }
    }
}
