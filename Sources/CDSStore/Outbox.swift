import CDSCore
import GRDB

/// One member worth contacting about a need or a project: the matcher's best score of her
/// offers, why (the match explanation), her language and the channels she can be reached on.
public struct AudienceEntry: Sendable {
    /// The member.
    public var member: String
    /// The need her best match is for.
    public var need: String
    /// The project of the need.
    public var project: String
    /// Her offer that matches; nil when her profile does (she has no matchable offer).
    public var offer: String?
    /// The match score, in [0, 1].
    public var score: Double
    /// The language she is written to.
    public var language: Locale
    /// The channels she can be reached on (an address for each).
    public var channels: [OutreachChannel]
    /// Why: the match explanation's components.
    public var reasons: [MatchReason]

    /// The reason as one line in `language`: the components that score, best first.
    public var reasonText: String {
        reasons.filter { ($0.value ?? 0) > 0 }.sorted { ($0.weight ?? 0) * ($0.value ?? 0) > ($1.weight ?? 0) * ($1.value ?? 0) }
            .prefix(3).map { $0.labels.label(language) }.joined(separator: "; ")
    }

    /// The JSON shape of `outreach.audience`, labels in `locale`.
    public func json(locale: Locale) -> JSON {
        .object(JSONObject([
            ("member", .string(member)), ("need", .string(need)), ("project", .string(project)), ("offer", .optional(offer)), ("source", .string(offer == nil ? "profile" : "offer")), ("score", .double(score)),
            ("language", .string(language.rawValue)), ("channels", .strings(channels.map(\.rawValue))),
            ("reason", .string(reasons.filter { ($0.value ?? 0) > 0 }.prefix(3).map { $0.labels.label(locale) }.joined(separator: "; "))),
            ("components", .array(reasons.map(\.json))),
        ]))
    }
}

/// A message of the outbox.
public struct OutboxMessage: Sendable {
    public var id: String, member: String, channel: OutreachChannel, language: Locale, template: String
    public var params: JSON, reason: JSON, need: String?, project: String?, digest: String?
    public var status: MessageStatus, notBefore: Instant, createdAt: Instant, takenAt: Instant?, attempts: Int64, doneAt: Instant?, outcome: String?

    /// The JSON shape of `outbox.list` and `outreach.send`.
    public var json: JSON {
        .object(JSONObject([
            ("id", .string(id)), ("member", .string(member)), ("channel", .string(channel.rawValue)), ("language", .string(language.rawValue)),
            ("template", .string(template)), ("params", params), ("reason", reason), ("need", .optional(need)), ("project", .optional(project)),
            ("digest", .optional(digest)), ("status", .string(status.rawValue)), ("not_before", .string(notBefore.description)),
            ("created_at", .string(createdAt.description)), ("taken_at", .optional(takenAt?.description)), ("attempts", .int(attempts)),
            ("done_at", .optional(doneAt?.description)), ("outcome", .optional(outcome)),
        ]))
    }
}

/// What `outreach.send` did for each member of the audience.
public struct SendReport: Sendable {
    /// Messages queued for their own delivery.
    public var queued: [OutboxMessage] = []
    /// Messages past the weekly cap, folded into a digest (with the digest's id).
    public var digested: [OutboxMessage] = []
    /// Members left out, with why.
    public var skipped: [(member: String, reason: String)] = []
}

extension Store {
    /// How long the host holds a message taken before `outbox.next` gives it again (a host that died mid-delivery).
    public static let outboxLease: Int64 = 15 * 60_000

    static func message(_ r: StoredRow) throws(CDSError) -> OutboxMessage {
        OutboxMessage(id: try r.text("id"), member: try r.text("member"), channel: try r.code("channel", OutreachChannel.self),
                      language: try r.code("language", Locale.self), template: try r.text("template"), params: try r.json("params"), reason: try r.json("reason"),
                      need: try r.optionalText("need"), project: try r.optionalText("project"), digest: try r.optionalText("digest"),
                      status: try r.code("status", MessageStatus.self), notBefore: try r.instant("not_before"), createdAt: try r.instant("created_at"),
                      takenAt: try r.optionalInstant("taken_at"), attempts: try r.value("attempts"), doneAt: try r.optionalInstant("done_at"),
                      outcome: try r.optionalText("outcome"))
    }

    static func fetchMessage(_ db: Database, _ id: String) throws -> OutboxMessage? {
        try storedRow(db, "message", sql: "SELECT * FROM message WHERE id = ?", arguments: [id]).map { r throws(CDSError) in try message(r) }
    }

    // MARK: - Settings

    static func outreachSettings(_ db: Database) throws -> OutreachSettings {
        guard let r = try storedRow(db, "setting", sql: "SELECT value FROM setting WHERE key = 'outreach'") else { return OutreachSettings() }
        do { return try OutreachSettings(json: try r.json("value")) } catch { throw r.damage("value", "the outreach settings do not read back: \(error.message)") }
    }

    /// The outbox's rules in force: the weekly cap and the quiet hours.
    public func outreachSettings() throws(CDSError) -> OutreachSettings { try read { db in try Store.outreachSettings(db) } }

    /// Sets the outbox's rules; logs `outreach.configured`.
    public func configureOutreach(_ edit: (inout OutreachSettings) throws(CDSError) -> Void, change: Change = Change()) throws(CDSError) -> OutreachSettings {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            var s = try Store.outreachSettings(db)
            try edit(&s)
            try s.validate()
            try Store.exec(db, sql: "INSERT INTO setting(key, value) VALUES ('outreach', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", arguments: [s.json.text])
            try Store.appendEvent(db, type: .outreachConfigured, subject: "outreach", change: change, recordedAt: now, payload: ["after": s.json])
            return s
        }
    }

    // MARK: - Audiences

    /// The members worth contacting about a need, or about every open need of a project: the
    /// owners of the offers the matcher scores best (so only members whose consent to be
    /// contacted is in force, never an erased one), each once with her best match, score
    /// descending then member id.
    public func audience(need: String?, project: String?, limit: Int) throws(CDSError) -> [AudienceEntry] {
        let needs: [String]
        switch (need, project) {
        case (let n?, nil):
            _ = try self.need(n)
            needs = [n]
        case (nil, let p?):
            let proj = try self.project(p)
            guard !proj.stage.isTerminal else { throw CDSError(.conflict, "project \(p) is \(proj.stage.rawValue): no outreach") }
            needs = try read { db in
                try Store.storedRows(db, "need", sql: "SELECT id FROM need WHERE project = ? AND status IN ('open', 'partly_covered') ORDER BY seq", arguments: [p])
                    .map { r throws(CDSError) in try r.text("id") }
            }
        default:
            throw CDSError.invalid("need", "give a need or a project, not both")
        }
        let view = try matchView(need: needs.count == 1 ? needs.first : nil)
        var best: [String: (pair: ScoredPair, need: String)] = [:]
        for n in needs {
            guard let pairs = try view.topOffers(need: n, k: 1000) else {
                if need != nil { throw try notMatchable(need: n) }
                continue
            }
            for p in pairs {
                let o = p.index.offers[p.hit.offer]
                guard o.ownerIsMember else { continue }
                if let b = best[o.owner], b.pair.hit.score >= p.hit.score { continue }
                best[o.owner] = (p, n)
            }
        }
        return try read { db in
            // Members with no matchable offer, scored by the same matcher from their profile.
            for (member, pair) in try Store.profileMatches(db, needs: needs, excluding: Set(best.keys)) where best[member] == nil {
                best[member] = (pair, pair.index.needs[pair.hit.need].id)
            }
            let ranked = best.sorted { a, b in a.value.pair.hit.score != b.value.pair.hit.score ? a.value.pair.hit.score > b.value.pair.hit.score : a.key < b.key }
                .prefix(max(0, limit))
            var out: [AudienceEntry] = []
            for (member, b) in ranked {
                guard let m = try Store.fetchMember(db, member), m.erasedAt == nil, m.consents(to: .contact) else { continue }
                let p = b.pair
                let e = p.index.explain(need: p.hit.need, offer: p.hit.offer)
                let offer = p.index.offers[p.hit.offer].id
                // A profile's time and capacity are the matcher's assumptions, not reasons to give her.
                let fromProfile = offer.hasPrefix(Store.profileOffer)
                let reasons = (e?.components ?? []).filter { !fromProfile || ($0.component != "time" && $0.component != "capacity") }
                out.append(AudienceEntry(member: member, need: b.need, project: p.index.needs[p.hit.need].project,
                                         offer: fromProfile ? nil : offer, score: Double(p.hit.score) / Double(p.index.scale),
                                         language: MessageLanguage.choose(languages: m.languages, country: m.residenceCountry),
                                         channels: OutreachChannel.reachable(email: m.email, phone: m.phone), reasons: reasons))
            }
            return out
        }
    }

    /// The id prefix of a member's profile scored as an offer.
    static let profileOffer = "profile:"

    /// The members with the consent to be contacted in force whose skills (same group) or
    /// origin (the project's province, or a territory above it) tie them to the needs, scored
    /// by the matcher as if each offered what the need lacks, at a distance or on site, any
    /// time: her best need each, hard constraints (kind, languages) met.
    static func profileMatches(_ db: Database, needs ids: [String], excluding: Set<String>) throws -> [String: ScoredPair] {
        let needs = try matchNeeds(db, ids)
        guard !needs.isEmpty else { return [:] }
        let skills = Set(needs.flatMap(\.skills).map { String($0.prefix(3)) }).sorted()
        let provinces = Set(needs.flatMap(\.communes).map { $0.split(separator: ".").prefix(2).joined(separator: ".") }).sorted()
        let candidates = try storedRows(db, "member", sql: """
            SELECT m.id AS id FROM member m
            WHERE m.erased_at IS NULL
              AND EXISTS (SELECT 1 FROM consent c WHERE c.member = m.id AND c.purpose = 'contact' AND c.withdrawn_at IS NULL)
              AND (EXISTS (SELECT 1 FROM member_skill s WHERE s.member = m.id AND substr(s.skill, 1, 3) IN (SELECT value FROM json_each(?1)))
                   OR (m.origin IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(?2) p
                       WHERE m.origin = p.value OR m.origin LIKE p.value || '.%' OR p.value LIKE m.origin || '.%')))
            ORDER BY m.seq LIMIT 5000
            """, arguments: [JSON.strings(skills).text, JSON.strings(provinces).text]).map { r throws(CDSError) in try r.text("id") }
        var members: [Member] = []
        for id in candidates where !excluding.contains(id) {
            if let m = try fetchMember(db, id) { members.append(m) }
        }
        guard !members.isEmpty else { return [:] }
        let taxonomy = try matchTaxonomy(db), weights = try matchWeights(db)
        var best: [String: ScoredPair] = [:]
        for need in needs {
            let offers = members.map { m in
                MatchOffer(id: profileOffer + m.id, owner: m.id, ownerIsMember: true, kind: need.kind, skills: m.skills, capacity: need.remaining,
                           windows: [], remote: true, onSite: true, languages: m.languages, origin: m.origin, interests: [], sectors: [], abroad: false)
            }
            let index = try MatchIndex(offers: offers, needs: [need], taxonomy: taxonomy, weights: weights)
            for hit in index.topOffers(need: 0, k: offers.count) {
                let owner = index.offers[hit.offer].owner
                if let b = best[owner], b.hit.score >= hit.score { continue }
                best[owner] = ScoredPair(index: index, hit: hit)
            }
        }
        return best
    }

    // MARK: - Sending

    /// Writes a message to each member of the audience of a need or a project (or those of
    /// `members` among it): in her language, on the channel asked (or the first she can be
    /// reached on), not before `notBefore` nor in her quiet hours; past the weekly cap it is
    /// folded into a digest of a later week. A member with an open message about the same
    /// need or project gets no second one. Nothing is written for a need no longer open.
    /// Logs `message.queued` for each message written.
    public func sendOutreach(need: String?, project: String?, template key: String?, hostParams: JSONObject, channel: OutreachChannel?,
                             members only: [String]?, notBefore: Instant?, limit: Int, change: Change = Change()) throws(CDSError) -> SendReport {
        let template = try MessageTemplate.named(key ?? (need != nil ? "need.call" : "project.call"))
        guard template.key != "digest" else { throw CDSError.invalid("template", "a digest is written by the outbox, not sent") }
        if template.key == "need.call", need == nil { throw CDSError.invalid("template", "need.call is about a need: give need") }
        let params = try template.check(hostParams: hostParams)
        let audience = try self.audience(need: need, project: project, limit: limit)
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            let at = change.at ?? now
            if let n = need, let status = try Store.fetchNeed(db, n)?.status, status != .open, status != .partlyCovered {
                throw CDSError(.conflict, "need \(n) is \(status.rawValue): nothing is sent about it")
            }
            let settings = try Store.outreachSettings(db)
            var report = SendReport()
            var wanted = only.map(Set.init)
            for a in audience {
                if let w = wanted, !w.contains(a.member) { continue }
                wanted?.remove(a.member)
                // Inside the write: a consent withdrawn since the audience was read is seen.
                guard let m = try Store.fetchMember(db, a.member), m.erasedAt == nil, m.consents(to: .contact) else {
                    report.skipped.append((a.member, "no_contact_consent")); continue
                }
                let reachable = OutreachChannel.reachable(email: m.email, phone: m.phone)
                guard let ch = channel.map({ reachable.contains($0) ? $0 : nil }) ?? reachable.first else {
                    report.skipped.append((a.member, channel == nil ? "unreachable" : "no_address_for_channel")); continue
                }
                let subject = need ?? project ?? ""
                if try Bool.fetchOne(db, sql: """
                    SELECT EXISTS (SELECT 1 FROM message WHERE member = ? AND status IN ('pending', 'taken', 'digested') AND (need = ? OR (need IS NULL AND project = ?)))
                    """, arguments: [m.id, subject, subject]) == true {
                    report.skipped.append((a.member, "already_queued")); continue
                }
                let zone = ZoneRule.of(country: m.residenceCountry)
                let first = settings.nextAllowed(after: max(notBefore ?? at, at), zone: zone)
                var values = params
                values["reason"] = a.reasonText
                let reason = JSON.array(a.reasons.map(\.json))
                let row = try Store.queue(db, member: m.id, channel: ch, language: a.language, template: template.key, params: values, reason: reason,
                                          need: need == nil ? nil : a.need, project: a.project, notBefore: first, zone: zone, settings: settings,
                                          change: change, now: now, at: at)
                if row.status == .digested { report.digested.append(row) } else { report.queued.append(row) }
            }
            for m in (wanted ?? []).sorted() { report.skipped.append((m, "not_in_audience")) }
            return report
        }
    }

    /// The messages of a member counted in the week that starts at `week` (every one but those cancelled or folded into a digest).
    static func weekCount(_ db: Database, member: String, week: Int64) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message WHERE member = ? AND week = ? AND status NOT IN ('cancelled', 'digested')",
                         arguments: [member, week]) ?? 0
    }

    /// Writes one message, or folds it into a digest of the first later week with room.
    static func queue(_ db: Database, member: String, channel: OutreachChannel, language: Locale, template: String, params: [String: String],
                      reason: JSON, need: String?, project: String?, notBefore: Instant, zone: ZoneRule, settings: OutreachSettings,
                      change: Change, now: Instant, at: Instant) throws -> OutboxMessage {
        let week = OutreachSettings.weekStart(notBefore)
        let paramsJSON = JSON.object(JSONObject(params.sorted { $0.key < $1.key }.map { ($0.key, JSON.string($0.value)) }))
        func insert(_ id: String, template: String, params: JSON, reason: JSON, need: String?, project: String?, status: MessageStatus,
                    notBefore: Instant, week: Int64, digest: String?) throws -> OutboxMessage {
            try Store.exec(db, sql: """
                INSERT INTO message(id, member, channel, language, template, params, reason, need, project, digest, status, not_before, week, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, member, channel.rawValue, language.rawValue, template, params.text, reason.text, need, project, digest, status.rawValue,
                                 notBefore.millisecondsSinceEpoch, week, at.millisecondsSinceEpoch])
            try Store.appendEvent(db, type: .messageQueued, subject: id, change: change, recordedAt: now,
                                  payload: MessageEvents.queued(id: id, member: member, channel: channel, language: language, template: template, need: need,
                                                                project: project, notBefore: notBefore, status: status, digest: digest))
            return OutboxMessage(id: id, member: member, channel: channel, language: language, template: template, params: params, reason: reason, need: need,
                                 project: project, digest: digest, status: status, notBefore: notBefore, createdAt: at, takenAt: nil, attempts: 0, doneAt: nil, outcome: nil)
        }
        if try weekCount(db, member: member, week: week) < settings.weeklyCap {
            return try insert(Identifier.make("msg"), template: template, params: paramsJSON, reason: reason, need: need, project: project, status: .pending,
                              notBefore: notBefore, week: week, digest: nil)
        }
        // Past the cap: the digest of the first later week with room (an open digest there takes the item).
        for n in 1...52 {
            let w = week + Int64(n) * 7 * 86_400_000
            if let d = try storedRow(db, "message", sql: "SELECT id FROM message WHERE member = ? AND week = ? AND template = 'digest' AND status = 'pending'",
                                     arguments: [member, w]) {
                return try insert(Identifier.make("msg"), template: template, params: paramsJSON, reason: reason, need: need, project: project, status: .digested,
                                  notBefore: notBefore, week: week, digest: try d.text("id"))
            }
            guard try weekCount(db, member: member, week: w) < settings.weeklyCap else { continue }
            let monday = settings.nextAllowed(after: Instant(millisecondsSinceEpoch: w + 9 * 3_600_000), zone: zone)
            let digest = try insert(Identifier.make("msg"), template: "digest", params: [:], reason: .array([]), need: nil, project: nil, status: .pending,
                                    notBefore: monday, week: w, digest: nil)
            return try insert(Identifier.make("msg"), template: template, params: paramsJSON, reason: reason, need: need, project: project, status: .digested,
                              notBefore: notBefore, week: week, digest: digest.id)
        }
        throw CDSError(.conflict, "member \(member) has a full outbox for the coming year", details: ["field": "members"])
    }

    // MARK: - The host takes and acknowledges

    /// Why a message must not go out now, if it must not: her consent, an erasure, its need or project.
    static func cancellation(_ db: Database, _ m: OutboxMessage) throws -> String? {
        guard let member = try storedRow(db, "member", sql: "SELECT erased_at FROM member WHERE id = ?", arguments: [m.member]) else {
            throw StoredRow.damage("message", "member", "no member \"\(m.member)\"")
        }
        if try member.optionalInstant("erased_at") != nil { return "member_erased" }
        let consent = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM consent WHERE member = ? AND purpose = 'contact' AND withdrawn_at IS NULL)",
                                        arguments: [m.member]) ?? false
        if !consent { return "consent_withdrawn" }
        if let n = m.need {
            guard let need = try fetchNeed(db, n) else { throw StoredRow.damage("message", "need", "no need \"\(n)\"") }
            if need.status == .covered { return "need_covered" }
            if need.status == .cancelled { return "need_cancelled" }
        }
        if let p = m.project, let project = try fetchProject(db, p), project.stage.isTerminal { return "project_\(project.stage.rawValue)" }
        if m.template == "digest" {
            let items = try storedRows(db, "message", sql: "SELECT * FROM message WHERE digest = ? AND status = 'digested'", arguments: [m.id])
                .map { r throws(CDSError) in try message(r) }
            var live = 0
            for i in items where try cancellation(db, i) == nil { live += 1 }
            if live == 0 { return "digest_empty" }
        }
        return nil
    }

    /// Cancels a message (and, for a digest, its items); logs `message.cancelled`.
    static func cancel(_ db: Database, _ m: OutboxMessage, reason: String, change: Change, now: Instant) throws {
        try exec(db, sql: "UPDATE message SET status = 'cancelled', outcome = ?, done_at = ? WHERE id = ?", arguments: [reason, now.millisecondsSinceEpoch, m.id])
        try appendEvent(db, type: .messageCancelled, subject: m.id, change: change, recordedAt: now,
                        payload: MessageEvents.moved(id: m.id, member: m.member, channel: m.channel, status: .cancelled, reason: reason, attempts: m.attempts))
    }

    /// Cancels every message of a member not delivered yet (pending, taken, in a digest), in the caller's transaction.
    static func cancelOpenMessages(_ db: Database, member: String, reason: String, change: Change, now: Instant) throws {
        let open = try storedRows(db, "message", sql: "SELECT * FROM message WHERE member = ? AND status IN ('pending', 'taken', 'digested') ORDER BY seq",
                                  arguments: [member]).map { r throws(CDSError) in try message(r) }
        for m in open { try cancel(db, m, reason: reason, change: change, now: now) }
    }

    /// An erasure: her open messages cancelled, every message of hers emptied of its
    /// parameters and reasons, her invitations' contact wiped.
    static func eraseFromOutreach(_ db: Database, member: String, change: Change, now: Instant) throws {
        try cancelOpenMessages(db, member: member, reason: "member_erased", change: change, now: now)
        try exec(db, sql: "UPDATE message SET params = '{}', reason = '[]' WHERE member = ?", arguments: [member])
        try exec(db, sql: "UPDATE invitation SET name = NULL, email = NULL, phone = NULL, note = NULL WHERE member = ?", arguments: [member])
    }

    /// The values of a message's placeholders now: the host's, and the member's name, the project, its commune, the need.
    static func values(_ db: Database, _ m: OutboxMessage) throws -> [String: String] {
        var v: [String: String] = [:]
        for (k, x) in m.params.objectValue ?? JSONObject() { if let s = x.stringValue { v[k] = s } }
        guard let member = try fetchMember(db, m.member) else { throw StoredRow.damage("message", "member", "no member \"\(m.member)\"") }
        v["name"] = member.name
        if let p = m.project, let project = try fetchProject(db, p) {
            v["project"] = project.title.text(m.language) ?? project.code
            if let c = project.communes.first, let t = try territories(db, sql: "SELECT * FROM territory WHERE code = ?", arguments: [c]).first {
                v["commune"] = m.language == .ar ? t.nameAr : t.nameFr
            }
        }
        if let n = m.need, let need = try fetchNeed(db, n) { v["need"] = need.description }
        if m.template == "digest" {
            let items = try storedRows(db, "message", sql: "SELECT * FROM message WHERE digest = ? AND status = 'digested' ORDER BY seq", arguments: [m.id])
                .map { r throws(CDSError) in try message(r) }
            var lines: [String] = []
            for i in items where try cancellation(db, i) == nil {
                let iv = try values(db, i)
                lines.append("\n- " + [iv["project"], iv["need"]].compactMap { $0 }.joined(separator: " : "))
            }
            v["count"] = String(lines.count)
            v["items"] = lines.joined()
        }
        return v
    }

    /// Gives the host up to `limit` messages due now (pending and past their time, or taken
    /// and not acknowledged within the lease), oldest first, each with its address, subject
    /// and text rendered in its language. A message whose member withdrew her consent or was
    /// erased, or whose need was covered or cancelled meanwhile, is cancelled instead; one in
    /// the member's quiet hours waits. Logs `message.taken` (and `message.cancelled`).
    public func takeMessages(limit: Int, channel: OutreachChannel?, change: Change = Change()) throws(CDSError) -> [JSON] {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            let t = change.at ?? now
            let settings = try Store.outreachSettings(db)
            var sql = """
                SELECT * FROM message WHERE ((status = 'pending' AND not_before <= ?1) OR (status = 'taken' AND taken_at <= ?2))
                """
            var args: [any DatabaseValueConvertible] = [t.millisecondsSinceEpoch, t.millisecondsSinceEpoch.addingSaturated(-Store.outboxLease)]
            if let channel { sql += " AND channel = ?3"; args.append(channel.rawValue) }
            sql += " ORDER BY not_before, seq LIMIT 1000"
            var out: [JSON] = []
            for r in try Store.storedRows(db, "message", sql: sql, arguments: StatementArguments(args)) {
                guard out.count < limit else { break }
                let m = try Store.message(r)
                if let why = try Store.cancellation(db, m) {
                    try Store.cancel(db, m, reason: why, change: change, now: t)
                    continue
                }
                guard let member = try Store.fetchMember(db, m.member) else { continue }
                if settings.isQuiet(t, zone: ZoneRule.of(country: member.residenceCountry)) { continue }
                let template = try MessageTemplate.named(m.template)
                guard let text = template.render(m.language, try Store.values(db, m)) else {
                    throw StoredRow.damage("message", "params", "message \(m.id) lacks a parameter of template \(m.template)")
                }
                let (attempts, overflow) = m.attempts.addingReportingOverflow(1)
                guard !overflow else { throw StoredRow.damage("message", "attempts", "\(m.attempts) is the largest integer") }
                try Store.exec(db, sql: "UPDATE message SET status = 'taken', taken_at = ?, attempts = ? WHERE id = ?", arguments: [t.millisecondsSinceEpoch, attempts, m.id])
                try Store.appendEvent(db, type: .messageTaken, subject: m.id, change: change, recordedAt: now,
                                      payload: MessageEvents.moved(id: m.id, member: m.member, channel: m.channel, status: .taken, reason: nil, attempts: attempts))
                let address = m.channel == .email ? member.email : member.phone
                out.append(.object(JSONObject([
                    ("id", .string(m.id)), ("member", .string(m.member)), ("channel", .string(m.channel.rawValue)), ("address", .optional(address)),
                    ("language", .string(m.language.rawValue)), ("template", .string(m.template)), ("params", m.params),
                    ("subject", .string(text.subject)), ("text", .string(text.body)), ("reason", m.reason),
                    ("need", .optional(m.need)), ("project", .optional(m.project)), ("attempt", .int(attempts)),
                ])))
            }
            return out
        }
    }

    /// Records the host's delivery (`delivered`) or failure (`failed`, with a reason) of a
    /// message it took. The same acknowledgement again answers the same (a retry); another
    /// one, or one for a message never taken, is a `conflict`. Logs `message.delivered` or `.failed`.
    public func acknowledgeMessage(_ id: String, delivered: Bool, reason: String?, change: Change = Change()) throws(CDSError) -> OutboxMessage {
        let now = self.now
        let reason = try Validate.optionalText(reason, field: "reason", max: Limits.note)
        if !delivered, reason == nil { throw CDSError.invalid("reason", "a failure says why") }
        return try write { db in
            try Store.checkActor(db, change)
            guard var m = try Store.fetchMessage(db, id) else { throw CDSError.notFound("message", id) }
            let wanted: MessageStatus = delivered ? .delivered : .failed
            switch m.status {
            case wanted: return m
            case .pending, .digested:
                throw CDSError(.conflict, "message \(id) was never taken by outbox.next: there is nothing to acknowledge", details: ["field": "id", "status": .string(m.status.rawValue)])
            case .delivered, .failed:
                throw CDSError(.conflict, "message \(id) was acknowledged \(m.status.rawValue) already", details: ["field": "status", "status": .string(m.status.rawValue)])
            case .cancelled:
                throw CDSError(.conflict, "message \(id) was cancelled (\(m.outcome ?? "")) after it was taken", details: ["field": "id", "status": "cancelled"])
            case .taken: break
            }
            let t = change.at ?? now
            try Store.exec(db, sql: "UPDATE message SET status = ?, done_at = ?, outcome = ? WHERE id = ?",
                           arguments: [wanted.rawValue, t.millisecondsSinceEpoch, reason, id])
            try Store.appendEvent(db, type: delivered ? .messageDelivered : .messageFailed, subject: id, change: change, recordedAt: now,
                                  payload: MessageEvents.moved(id: id, member: m.member, channel: m.channel, status: wanted, reason: reason, attempts: m.attempts))
            // A digest delivered delivers its items.
            if delivered, m.template == "digest" {
                try Store.exec(db, sql: "UPDATE message SET done_at = ?, outcome = 'in_digest' WHERE digest = ? AND status = 'digested'", arguments: [t.millisecondsSinceEpoch, id])
            }
            m.status = wanted
            m.doneAt = t
            m.outcome = reason
            return m
        }
    }

    /// The messages of the outbox by member, need and status, in the order written.
    public func messages(member: String?, need: String?, status: MessageStatus?, limit: Int, cursor: Int64) throws(CDSError) -> Page<OutboxMessage> {
        try read { db in
            var sql = "SELECT * FROM message WHERE seq > ?"
            var args: [any DatabaseValueConvertible] = [cursor]
            if let member { sql += " AND member = ?"; args.append(member) }
            if let need { sql += " AND need = ?"; args.append(need) }
            if let status { sql += " AND status = ?"; args.append(status.rawValue) }
            sql += " ORDER BY seq LIMIT ?"
            args.append(limit + 1)
            let rows = try Store.storedRows(db, "message", sql: sql, arguments: StatementArguments(args))
                .map { r throws(CDSError) in (seq: try r.value("seq", Int64.self), message: try Store.message(r)) }
            let page = Store.page(rows, limit: limit) { String($0.seq) }
            return Page(items: page.items.map(\.message), nextCursor: page.nextCursor)
        }
    }

    /// The message `id`, or `not_found`.
    public func message(_ id: String) throws(CDSError) -> OutboxMessage {
        guard let m = try read({ db in try Store.fetchMessage(db, id) }) else { throw CDSError.notFound("message", id) }
        return m
    }
}
