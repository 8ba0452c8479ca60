import CDSCore
import GRDB
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The last value built from the database (an indicator engine, a matcher), with the
/// position of the event log it covers: every write appends an event, so it holds while
/// the log has not grown.
final class LogStateCache<Value: Sendable>: Sendable {
    /// The value and the log position it covers; a `Mutex` has a stable address, unlike a stored `pthread_mutex_t`.
    private let state = Mutex<(seq: Int64, value: Value?)>((-1, nil))
    init() {}
    func get(_ s: Int64) -> Value? {
        state.withLock { $0.seq == s ? $0.value : nil }
    }
    func put(_ s: Int64, _ v: Value) {
        state.withLock { if s >= $0.seq { $0 = (s, v) } }
    }
}

extension Store {
    /// The event types whose payloads the indicators read (others count only as activity).
    static let indicatorTypes: Set<String> = [
        "member.created", "member.updated", "member.erased", "organization.created", "organization.updated", "agreement.signed", "agreement.ended",
        "competence.attested", "contribution.pledged", "contribution.confirmed", "contribution.delivered", "contribution.cancelled",
        "interaction.recorded", "project.created", "project.updated", "project.transitioned", "project.endorsed", "need.created", "need.updated",
        "offer.created", "offer.updated", "match.proposed", "match.accepted", "match.declined",
    ]

    /// The events of the log as the indicator engine reads them, oldest first.
    public func indicatorEvents() throws(CDSError) -> [IndicatorEvent] {
        try read { db in
            var out: [IndicatorEvent] = []
            let cursor = try Row.fetchCursor(db, sql: "SELECT occurred_at, type, subject, actor, payload FROM event ORDER BY seq")
            while let r = try cursor.next() {
                let type: String = r["type"] ?? ""
                let ms: Int64 = r["occurred_at"] ?? 0
                let day = Int((ms >= 0 ? ms : ms - 86_399_999) / 86_400_000)
                let payload = Store.indicatorTypes.contains(type) ? ((try? JSON.parse(r["payload"] ?? "{}")) ?? .null) : .null
                out.append(IndicatorEvent(day: day, type: type, subject: r["subject"] ?? "", actor: r["actor"], payload: payload))
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
            try Store.appendEvent(db, type: "indicator.target_set", subject: id.rawValue, change: change, recordedAt: now, payload: ["after": ["target": .double(target)]])
        }
    }
}
