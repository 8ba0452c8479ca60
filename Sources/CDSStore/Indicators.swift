import CDSCore
import GRDB

#if canImport(Glibc)
import Glibc
#endif

/// The last value built from the database (an indicator engine, a matcher), with the
/// position of the event log it covers: every write appends an event, so it holds while
/// the log has not grown.
final class LogStateCache<Value>: @unchecked Sendable {
    private var lock = pthread_mutex_t()
    private var seq: Int64 = -1
    private var value: Value?
    init() { pthread_mutex_init(&lock, nil) }
    deinit { pthread_mutex_destroy(&lock) }
    func get(_ s: Int64) -> Value? {
        pthread_mutex_lock(&lock); defer { pthread_mutex_unlock(&lock) }
        return s == seq ? value : nil
    }
    func put(_ s: Int64, _ v: Value) {
        pthread_mutex_lock(&lock); defer { pthread_mutex_unlock(&lock) }
        if s >= seq { seq = s; value = v }
    }
}

extension Store {
    /// The events of the log as the indicator engine reads them, oldest first, each
    /// decoded into its typed facts (an unreadable payload is a `storage` error naming it).
    public func indicatorEvents() throws(CDSError) -> [IndicatorEvent] {
        try read { db in
            var out: [IndicatorEvent] = []
            let cursor = try Row.fetchCursor(db, sql: "SELECT seq, occurred_at, type, subject, actor, payload FROM event ORDER BY seq")
            while let r = try cursor.next() {
                let ms: Int64 = r["occurred_at"] ?? 0
                let day = Int((ms >= 0 ? ms : ms - 86_399_999) / 86_400_000)
                let event = try LoggedEvent.decode(seq: r["seq"] ?? 0, type: r["type"] ?? "", payload: r["payload"] ?? "")
                out.append(IndicatorEvent(day: day, subject: r["subject"] ?? "", actor: r["actor"], event: event))
            }
            return out
        }
    }

    /// The indicator engine over the whole log (built once per state of the log).
    public func indicatorEngine() throws(CDSError) -> IndicatorEngine {
        let last = try read { db in try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM event") ?? 0 }
        if let e = engineCache.get(last) { return e }
        let events = try indicatorEvents()
        let engine = IndicatorEngine(events: events)
        engineCache.put(last, engine)
        return engine
    }

    /// The targets this CDS set (the others keep their defaults).
    public func indicatorTargets() throws(CDSError) -> [IndicatorID: Double] {
        try read { db in
            var out: [IndicatorID: Double] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT id, target FROM indicator_target") {
                if let id = IndicatorID(rawValue: r["id"] ?? "") { out[id] = r["target"] }
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
            try db.execute(sql: "INSERT INTO indicator_target(id, target) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET target = excluded.target",
                           arguments: [id.rawValue, target])
            try Store.appendEvent(db, type: IndicatorTargetSet.type, subject: id.rawValue, change: change, recordedAt: now, payload: IndicatorTargetSet.payload(target: target))
        }
    }
}
