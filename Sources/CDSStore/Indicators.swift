import CDSCore
import GRDB
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The last value built from the database (the indicator engine), with the position of the
/// event log it covers: every write appends an event, so it holds while the log has not
/// grown, and what the log gained since is what the value must catch up with.
final class LogStateCache<Value: Sendable>: Sendable {
    /// The value and the log position it covers; a `Mutex` has a stable address, unlike a stored `pthread_mutex_t`.
    private let state = Mutex<(seq: Int64, value: Value?)>((-1, nil))
    init() {}
    /// The value kept and the log position it covers, if any.
    func latest() -> (seq: Int64, value: Value)? {
        state.withLock { s in s.value.map { (s.seq, $0) } }
    }
    func put(_ s: Int64, _ v: Value) {
        state.withLock { if s >= $0.seq { $0 = (s, v) } }
    }
    /// Held while the value is built or caught up: concurrent first calls (a portal's workers
    /// after it starts) wait for the one build in progress and take its value, instead of each
    /// reading the whole log.
    private let builder = Mutex<Void>(())
    /// How many times the value was built from the whole log (the tests count them).
    let fullBuilds = Atomic<Int>(0)
    /// Runs `body` alone among the builders of this cache.
    func oneBuilder<T: Sendable>(_ body: () throws(CDSError) -> T) throws(CDSError) -> T {
        try builder.withLock { (_: inout Void) throws(CDSError) -> T in try body() }
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

    /// The indicator engine over the whole log. Kept with the last event it covers: when the
    /// log has grown, only the new events are read and the engine is extended with them; an
    /// erasure (which redacts earlier payloads) reads the whole log again. Inside a `batch`
    /// nothing is kept (a rollback would reuse the log's numbers); with `StoreOptions.live`
    /// off, every call builds it from the whole log.
    public func indicatorEngine() throws(CDSError) -> IndicatorEngine {
        guard live, batchContext.database() == nil else {
            return try read { db in IndicatorEngine(events: try Store.indicatorEvents(db, after: 0)) }
        }
        if let cached = engineCache.latest(), try read({ db in try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM event") ?? 0 }) == cached.seq {
            return cached.value
        }
        return try engineCache.oneBuilder { () throws(CDSError) -> IndicatorEngine in
            let (last, engine) = try read { db -> (Int64, IndicatorEngine) in
                let last = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM event") ?? 0
                if let cached = engineCache.latest(), cached.seq <= last {
                    if cached.seq == last { return (last, cached.value) }       // built while this call waited
                    let erased = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM event WHERE seq > ? AND type = ?)",
                                                   arguments: [cached.seq, EventType.memberErased.rawValue]) ?? true
                    if !erased { return (last, cached.value.extended(with: try Store.indicatorEvents(db, after: cached.seq))) }
                }
                engineCache.fullBuilds.add(1, ordering: .relaxed)
                return (last, IndicatorEngine(events: try Store.indicatorEvents(db, after: 0)))
            }
            engineCache.put(last, engine)
            return engine
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
