import CDSCore
import GRDB

/// One entry of the append-only event log.
public struct EventRecord: Sendable, Equatable {
    /// The position in the log, from 1.
    public var seq: Int64
    /// When the library wrote it.
    public var recordedAt: Instant
    /// When the fact happened (the call's `at`, or the clock).
    public var occurredAt: Instant
    /// The member who acted, if the host said.
    public var actor: String?
    /// What happened: `member.created`, `agreement.signed`…
    public var type: String
    /// The id (or code) of the entity it happened to.
    public var subject: String
    /// The facts: `after` for a creation, `before` and `after` (changed fields) for a change.
    public var payload: JSON
    /// The hash of this event, chained to the previous one.
    public var hash: String

    /// The JSON shape of `event.list`.
    public var json: JSON {
        .object(JSONObject([
            ("seq", .int(seq)), ("recorded_at", .string(recordedAt.description)), ("occurred_at", .string(occurredAt.description)),
            ("actor", .optional(actor)), ("type", .string(type)), ("subject", .string(subject)), ("payload", payload), ("hash", .string(hash)),
        ]))
    }
}

/// The result of checking the hash chain of the event log.
public struct AuditReport: Sendable, Equatable {
    /// True when every link holds.
    public var ok: Bool
    /// How many events were checked.
    public var events: Int64
    /// The first event whose link is broken.
    public var firstBroken: Int64?
    /// Why it is broken.
    public var reason: String?
    /// How many payloads were redacted by erasures (their hashes still chain).
    public var redacted: Int64 = 0

    /// `{"ok", "events", "first_broken", "reason"}`.
    public var json: JSON {
        .object(JSONObject([("ok", .bool(ok)), ("events", .int(events)), ("first_broken", .optional(firstBroken)), ("reason", .optional(reason)),
                           ("redacted", .int(redacted))]))
    }
}

extension Store {
    /// Appends one event in the caller's transaction, chained to the last one.
    @discardableResult
    static func appendEvent(_ db: Database, type: EventType, subject: String, change: Change, recordedAt: Instant, payload: JSON) throws -> Int64 {
        let last = try Store.storedRow(db, "event", sql: "SELECT seq, hash FROM event ORDER BY seq DESC LIMIT 1")
        let (seq, overflow) = try (last?.value("seq", Int64.self) ?? 0).addingReportingOverflow(1)
        guard !overflow else { throw StoredRow.damage("event", "seq", "the log is full (the last sequence number is the largest integer)") }
        let prev = try last?.text("hash") ?? EventChain.genesis
        let text = payload.text
        let payloadHash = EventChain.payloadHash(text)
        let occurred = (change.at ?? recordedAt).millisecondsSinceEpoch
        let hash = EventChain.hash(prev: prev, seq: seq, recordedAt: recordedAt.millisecondsSinceEpoch, occurredAt: occurred,
                                   actor: change.actor, type: type.rawValue, subject: subject, payloadHash: payloadHash)
        try Store.exec(
            db, sql: """
                INSERT INTO event(seq, recorded_at, occurred_at, actor, type, subject, payload, payload_hash, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [seq, recordedAt.millisecondsSinceEpoch, occurred, change.actor, type.rawValue, subject, text, payloadHash, prev, hash])
        return seq
    }

    /// The events, oldest first, filtered by subject and type, after a sequence number.
    public func events(subject: String? = nil, type: String? = nil, after: Int64 = 0, limit: Int = 100) throws(CDSError) -> Page<EventRecord> {
        try read { db in
            var sql = "SELECT seq, recorded_at, occurred_at, actor, type, subject, payload, hash FROM event WHERE seq > ?"
            var args: [any DatabaseValueConvertible] = [after]
            if let subject { sql += " AND subject = ?"; args.append(subject) }
            if let type { sql += " AND type = ?"; args.append(type) }
            sql += " ORDER BY seq LIMIT ?"
            args.append(limit + 1)
            let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { r throws(CDSError) in try Store.eventRecord(r) }
            return Store.page(rows, limit: limit) { String($0.seq) }
        }
    }

    /// The events whose subject is among those `subjects` (a SELECT of ids) answers.
    func events(subjects: String, arguments: StatementArguments, after: Int64, limit: Int) throws(CDSError) -> Page<EventRecord> {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT seq, recorded_at, occurred_at, actor, type, subject, payload, hash FROM event
                WHERE subject IN (\(subjects)) AND seq > ? ORDER BY seq LIMIT ?
                """, arguments: arguments + [after, limit + 1])
            let page = Store.page(try rows.map { r throws(CDSError) in try Store.eventRecord(r) }, limit: limit) { String($0.seq) }
            return page
        }
    }

    /// An event as stored (`seq`, times, actor, type, subject, payload, hash), or the
    /// `storage` error of its damaged column.
    static func eventRecord(_ row: Row) throws(CDSError) -> EventRecord {
        let r = StoredRow(row, of: "event")
        return EventRecord(seq: try r.value("seq"), recordedAt: try r.instant("recorded_at"), occurredAt: try r.instant("occurred_at"),
                           actor: try r.optionalText("actor"), type: try r.text("type"), subject: try r.text("subject"),
                           payload: try r.json("payload"), hash: try r.text("hash"))
    }

    /// Walks the whole log and checks every link of the hash chain and every payload hash.
    public func verifyAuditChain() throws(CDSError) -> AuditReport {
        try read { db in
            var prev = EventChain.genesis
            var expectedSeq: Int64 = 1
            var redactedCount: Int64 = 0
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM event ORDER BY seq")
            while let row = try cursor.next() {
                let r = StoredRow(row, of: "event")
                func broken(_ why: String, at seq: Int64) -> AuditReport { AuditReport(ok: false, events: expectedSeq - 1, firstBroken: seq, reason: why) }
                // A damaged column breaks the chain where it lies: the audit names it rather than failing.
                do throws(CDSError) {
                    let seq: Int64 = try r.value("seq")
                    guard seq == expectedSeq else { return broken("sequence jumps from \(expectedSeq - 1) to \(seq)", at: seq) }
                    guard try r.text("prev_hash") == prev else { return broken("prev_hash does not match the previous event's hash", at: seq) }
                    let payloadHash = try r.text("payload_hash")
                    let redacted = try r.flag("redacted")
                    let payload = try r.text("payload")
                    guard redacted || EventChain.payloadHash(payload) == payloadHash else { return broken("the payload does not match its hash", at: seq) }
                    if redacted { redactedCount += 1 }
                    let h = EventChain.hash(prev: prev, seq: seq, recordedAt: try r.value("recorded_at"), occurredAt: try r.value("occurred_at"),
                                            actor: try r.optionalText("actor"), type: try r.text("type"), subject: try r.text("subject"), payloadHash: payloadHash)
                    guard try h == r.text("hash") else { return broken("the hash does not match the event's fields", at: seq) }
                    prev = h
                    let (next, overflow) = expectedSeq.addingReportingOverflow(1)
                    guard !overflow else { return broken("the sequence number is the largest integer", at: seq) }
                    expectedSeq = next
                } catch {
                    return broken(error.message, at: expectedSeq)
                }
            }
            return AuditReport(ok: true, events: expectedSeq - 1, firstBroken: nil, reason: nil, redacted: redactedCount)
        }
    }
}

