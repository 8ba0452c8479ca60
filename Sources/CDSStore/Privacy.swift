import CDSCore
import GRDB

extension Store {
    /// Everything the CDS holds about one person, as versioned JSON (GDPR arts. 15 and 20,
    /// Moroccan law 09-08): the profile with consents, competences and memberships, the
    /// projects she is part of, and every event that names her.
    public func exportMember(_ id: String) throws(CDSError) -> JSON {
        let now = self.now
        return try read { db in
            guard let m = try Store.fetchMember(db, id) else { throw CDSError.notFound("member", id) }
            let projects = try Store.documents(db, "project", sql: "SELECT doc FROM project WHERE doc LIKE ? ORDER BY seq", arguments: ["%\"\(id)\"%"],
                                               { j throws(CDSError) in try Project(json: j) }).map { p -> JSON in
                var roles: [String] = []
                if p.adc == id { roles.append("adc") }
                if p.proposer == id { roles.append("proposer") }
                if p.endorsements.contains(where: { $0.by == id }) { roles.append("endorsed") }
                if p.notes.contains(where: { $0.by == id }) { roles.append("notes") }
                return ["id": .string(p.id), "code": .string(p.code), "title": p.title.json, "stage": .string(p.stage.rawValue), "roles": .strings(roles)]
            }
            let events = try Row.fetchAll(db, sql: """
                SELECT seq, recorded_at, occurred_at, actor, type, subject, payload, hash FROM event
                WHERE subject = ? OR actor = ? OR payload LIKE ? ORDER BY seq
                """, arguments: [id, id, "%\"\(id)\"%"]).map { r throws(CDSError) in try Store.eventRecord(r) }
            // The stored documents as they are: the export shows what the CDS holds.
            let asStored = { (j: JSON) throws(CDSError) -> JSON in j }
            let contributions = try Store.documents(db, "contribution", sql: "SELECT doc FROM contribution WHERE member = ? ORDER BY seq", arguments: [id], asStored)
            let interactions = try Store.documents(db, "interaction", sql: "SELECT doc FROM interaction WHERE member = ? OR local_member = ? ORDER BY seq",
                                                   arguments: [id, id], asStored)
            let offers = try Store.documents(db, "offer", sql: "SELECT doc FROM offer WHERE member = ? ORDER BY seq", arguments: [id], asStored)
            let matches = try Store.documents(db, "match", sql: "SELECT doc FROM match WHERE member = ? ORDER BY seq", arguments: [id], asStored)
            return .object(JSONObject([
                ("format", "cds.member-export"), ("version", 1), ("exported_at", .string(now.description)),
                ("member", m.json), ("offers", .array(offers)), ("matches", .array(matches)), ("projects", .array(projects)), ("contributions", .array(contributions)),
                ("interactions", .array(interactions)), ("events", .array(events.map(\.json))),
            ]))
        }
    }

    /// Erases a person (GDPR art. 17): wipes her identifying fields, gives her a random
    /// surrogate name, withdraws her consents, removes her memberships, blanks what she wrote
    /// in learning, redacts her data from the event log, then checkpoints the WAL so no copy of it is left on disk.
    /// What indicators count stays, so no indicator changes. Logs `member.erased`.
    public func eraseMember(_ id: String, change: Change = Change()) throws(CDSError) -> Member {
        let now = self.now
        let erased: Member = try write { db in
            try Store.checkActor(db, change)
            guard let before = try Store.fetchMember(db, id) else { throw CDSError.notFound("member", id) }
            guard before.erasedAt == nil else { throw CDSError(.conflict, "member \(id) was already erased") }
            let at = max(change.at ?? now, before.updatedAt)
            let after = before.erased(surrogate: "Membre effacé " + Identifier.token(8), at: at)
            try Store.save(after, db, insert: false)
            try Store.exec(db, sql: "UPDATE member SET erased_at = ? WHERE id = ?", arguments: [at.millisecondsSinceEpoch, id])
            try Store.exec(db, sql: "UPDATE consent SET withdrawn_at = MAX(?, given_at) WHERE member = ? AND withdrawn_at IS NULL",
                           arguments: [at.millisecondsSinceEpoch, id])
            // A match's explanation names her places of origin and interest.
            try Store.exec(db, sql: "UPDATE match SET doc = json_set(doc, '$.explanation', json('null')) WHERE member = ?", arguments: [id])
            try Store.redactEvents(db, where: "subject = ?", arguments: [id]) { r throws(CDSError) in try MemberEvents.redacted(r) }
            // Her pending messages are cancelled and emptied, her invitations' contact wiped.
            try Store.eraseFromOutreach(db, member: id, change: change, now: now)
            // What she wrote in learning spaces and assignments is blanked; the rows stay for the counts.
            try Store.eraseFromLearning(db, member: id)
            // The snapshots of the indicator engine and the matcher hold facts about her: built again from the database.
            try Store.exec(db, sql: "DELETE FROM engine_snapshot")
            try Store.appendEvent(db, type: MemberErased.type, subject: id, change: change, recordedAt: now, payload: MemberErased.payload(erasedAt: at))
            return after
        }
        guard batchContext.database() == nil else { return erased }  // the batch's owner checkpoints after it commits
        do {
            try writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        } catch {
            throw Store.translate(error)
        }
        return erased
    }

    /// Redacts the payloads of the events `condition` selects that are not redacted yet: each
    /// is replaced by what `redact` makes of it and marked redacted; its hash stays, so the
    /// chain still verifies (only an erasure does this).
    static func redactEvents(_ db: Database, where condition: String, arguments: StatementArguments,
                             _ redact: (PayloadReader) throws(CDSError) -> JSON) throws {
        for r in try storedRows(db, "event", sql: "SELECT seq, type, payload FROM event WHERE redacted = 0 AND (\(condition))", arguments: arguments) {
            let seq = try r.value("seq", Int64.self)
            let redacted = try redact(PayloadReader(seq: seq, type: try r.text("type"), text: try r.text("payload")))
            try exec(db, sql: "UPDATE event SET payload = ?, redacted = 1 WHERE seq = ?", arguments: [redacted.text, seq])
        }
    }
}
