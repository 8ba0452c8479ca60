import CDSCore
import GRDB

extension Store {
    /// An invitation as stored.
    static func invitation(_ r: StoredRow) throws(CDSError) -> Invitation {
        let status = try r.code("status", InvitationStatus.self)
        guard status != .expired else { throw r.damage("status", "\"expired\" is not stored: it is read from expires_at") }
        return Invitation(id: try r.text("id"), code: try r.text("code"), inviterMember: try r.optionalText("inviter_member"),
                          inviterOrganization: try r.optionalText("inviter_organization"), channel: try r.code("channel", InvitationChannel.self),
                          name: try r.optionalText("name"), email: try r.optionalText("email"), phone: try r.optionalText("phone"), note: try r.optionalText("note"),
                          status: status, createdAt: try r.instant("created_at"), expiresAt: try r.instant("expires_at"),
                          acceptedAt: try r.optionalInstant("accepted_at"), member: try r.optionalText("member"))
    }

    static func fetchInvitation(_ db: Database, id: String) throws -> Invitation? {
        try storedRow(db, "invitation", sql: "SELECT * FROM invitation WHERE id = ?", arguments: [id]).map { r throws(CDSError) in try invitation(r) }
    }

    /// The invitation `id`, or `not_found`.
    public func invitation(_ id: String) throws(CDSError) -> Invitation {
        guard let i = try read({ db in try Store.fetchInvitation(db, id: id) }) else { throw CDSError.notFound("invitation", id) }
        return i
    }

    /// Who brought `member` in, among members: her circle link's inviter, else her `invited_by`
    /// (nil for a root, or for one brought in by an organization).
    static func circleParent(_ db: Database, _ member: String) throws -> String? {
        if let link = try storedRow(db, "circle_link", sql: "SELECT inviter_member, inviter_organization FROM circle_link WHERE member = ?", arguments: [member]) {
            return try link.optionalText("inviter_member")
        }
        return try storedRow(db, "member", sql: "SELECT invited_by FROM member WHERE id = ?", arguments: [member])?.optionalText("invited_by")
    }

    /// `invited_by` given to a member must keep the forest: no cycle, and not another inviter
    /// than the one her accepted invitation names.
    static func checkInvitedBy(_ db: Database, _ m: Member) throws {
        if let link = try storedRow(db, "circle_link", sql: "SELECT inviter_member FROM circle_link WHERE member = ?", arguments: [m.id]),
           try link.optionalText("inviter_member") != m.invitedBy {
            throw CDSError(.conflict, "member \(m.id) was brought in by an accepted invitation: one inviter each", details: ["field": "invited_by"])
        }
        guard let inviter = m.invitedBy else { return }
        do {
            try CircleRule.checkNoCycle(member: m.id, inviter: inviter) { x throws(CDSError) in
                do { return try circleParent(db, x) } catch { throw Store.translate(error) }
            }
        } catch {
            throw CDSError(.conflict, error.message, details: ["field": "invited_by", "reason": "cycle"])
        }
    }

    /// Refuses to invite a person who is a member already (same e-mail or phone).
    static func refuseExistingMember(_ db: Database, email: String?, phone: String?) throws {
        if let e = email, let r = try storedRow(db, "member", sql: "SELECT id FROM member WHERE email = ? AND erased_at IS NULL", arguments: [e]) {
            throw CDSError(.conflict, "\(e) is the e-mail of a member already: she needs no invitation", details: ["field": "email", "existing": .string(try r.text("id"))])
        }
        if let p = phone, let r = try storedRow(db, "member", sql: "SELECT id FROM member WHERE phone = ? AND erased_at IS NULL", arguments: [p]) {
            throw CDSError(.conflict, "\(p) is the phone of a member already: she needs no invitation", details: ["field": "phone", "existing": .string(try r.text("id"))])
        }
    }

    /// Invites a person on behalf of a member (`by`) or an organization, with a new
    /// single-use code; logs `invitation.created`.
    public func createInvitation(by: String?, organization: String?, channel: InvitationChannel, name: String?, email: String?, phone: String?,
                                 note: String?, expiresAt: Instant?, change: Change = Change()) throws(CDSError) -> Invitation {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            let at = change.at ?? now
            let expiry = expiresAt ?? Instant(millisecondsSinceEpoch: at.millisecondsSinceEpoch.addingSaturated(Invitation.defaultValidity))
            var i = Invitation(id: Identifier.make("inv"), code: Invitation.makeCode(), inviterMember: by, inviterOrganization: organization, channel: channel,
                               name: try Validate.optionalText(name, field: "name", max: Limits.name), email: try Validate.email(email),
                               phone: try Validate.phone(phone), note: try Validate.optionalText(note, field: "note", max: Limits.note),
                               createdAt: at, expiresAt: expiry)
            try i.validate()
            if let by {
                guard let r = try Store.storedRow(db, "member", sql: "SELECT erased_at FROM member WHERE id = ?", arguments: [by]) else {
                    throw CDSError.invalid("by", "no member \"\(by)\"")
                }
                guard try r.optionalInstant("erased_at") == nil else { throw CDSError(.conflict, "member \(by) was erased: she invites no one", details: ["field": "by"]) }
            }
            if let organization, try !Store.exists(db, "organization", organization) { throw CDSError.invalid("organization", "no organization \"\(organization)\"") }
            try Store.refuseExistingMember(db, email: i.email, phone: i.phone)
            while try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM invitation WHERE code = ?)", arguments: [i.code]) == true { i.code = Invitation.makeCode() }
            try Store.exec(db, sql: """
                INSERT INTO invitation(id, code, inviter_member, inviter_organization, channel, name, email, phone, note, status, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)
                """, arguments: [i.id, i.code, i.inviterMember, i.inviterOrganization, i.channel.rawValue, i.name, i.email, i.phone, i.note,
                                 at.millisecondsSinceEpoch, expiry.millisecondsSinceEpoch])
            try Store.appendEvent(db, type: InvitationCreated.type, subject: i.id, change: change, recordedAt: now, payload: InvitationCreated.payload(i))
            return i
        }
    }

    /// Accepts an invitation by its code: links `member` (an existing member), or creates the
    /// member `edit` fills (with `consents`), to who invited. A member brought in already keeps
    /// her first inviter (the invitation is used all the same: `linked` is false). An unknown
    /// code is `not_found`; a used, revoked or expired one, a `conflict`; so is a link that
    /// would close a cycle. Logs `invitation.accepted` (and `member.created`).
    public func acceptInvitation(code: String, member existing: String?, consents: [(purpose: ConsentPurpose, version: String)] = [],
                                 change: Change = Change(), _ edit: ((inout Member) throws(CDSError) -> Void)?) throws(CDSError) -> (invitation: Invitation, member: Member, linked: Bool) {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            let at = change.at ?? now
            guard let row = try Store.storedRow(db, "invitation", sql: "SELECT * FROM invitation WHERE code = ?", arguments: [code]) else {
                throw CDSError(.notFound, "no invitation with this code", details: ["field": "code"])
            }
            var i = try Store.invitation(row)
            if let refusal = i.refusal(at: at) { throw refusal }
            guard at >= i.createdAt else { throw CDSError.invalid("at", "an invitation cannot be accepted before it was made (\(i.createdAt))") }
            let member: Member
            var linked = true
            switch (existing, edit) {
            case (let id?, nil):
                guard let m = try Store.fetchMember(db, id) else { throw CDSError.notFound("member", id) }
                guard m.erasedAt == nil else { throw CDSError(.conflict, "member \(id) was erased", details: ["field": "member"]) }
                if m.id == i.inviterMember { throw CDSError(.conflict, "a member cannot accept her own invitation", details: ["field": "member", "reason": "cycle"]) }
                let hasLink = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM circle_link WHERE member = ?)", arguments: [id]) ?? false
                linked = !hasLink && m.invitedBy == nil
                if linked, let inviter = i.inviterMember {
                    try CircleRule.checkNoCycle(member: id, inviter: inviter) { x throws(CDSError) in
                        do { return try Store.circleParent(db, x) } catch { throw Store.translate(error) }
                    }
                    try Store.exec(db, sql: "UPDATE member SET invited_by = ? WHERE id = ?", arguments: [inviter, id])
                }
                member = linked ? Member(copying: m, invitedBy: i.inviterMember ?? m.invitedBy) : m
            case (nil, let edit?):
                let inviter = i.inviterMember
                member = try Store.insertMember(db, consents: consents, change: change, now: now) { (m: inout Member) throws(CDSError) in
                    m.name = i.name ?? ""
                    m.email = i.email
                    m.phone = i.phone
                    try edit(&m)
                    m.invitedBy = inviter
                }
            default:
                throw CDSError.invalid("member", "give the existing member, or the profile of the new one, not both")
            }
            if linked {
                try Store.exec(db, sql: "INSERT INTO circle_link(member, inviter_member, inviter_organization, invitation, linked_at) VALUES (?, ?, ?, ?, ?)",
                               arguments: [member.id, i.inviterMember, i.inviterOrganization, i.id, at.millisecondsSinceEpoch])
            }
            try Store.exec(db, sql: "UPDATE invitation SET status = 'accepted', accepted_at = ?, member = ? WHERE id = ?",
                           arguments: [at.millisecondsSinceEpoch, member.id, i.id])
            i.status = .accepted
            i.acceptedAt = at
            i.member = member.id
            try Store.appendEvent(db, type: InvitationAccepted.type, subject: i.id, change: change, recordedAt: now,
                                  payload: InvitationAccepted.payload(i, member: member.id, linked: linked, at: at))
            return (i, member, linked)
        }
    }

    /// Revokes a pending invitation: its code is refused from now on; logs `invitation.revoked`.
    public func revokeInvitation(_ id: String, change: Change = Change()) throws(CDSError) -> Invitation {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard var i = try Store.fetchInvitation(db, id: id) else { throw CDSError.notFound("invitation", id) }
            if let refusal = i.refusal(at: change.at ?? now) { throw CDSError(.conflict, "only a pending invitation is revoked: \(refusal.message)") }
            try Store.exec(db, sql: "UPDATE invitation SET status = 'revoked' WHERE id = ?", arguments: [id])
            i.status = .revoked
            try Store.appendEvent(db, type: .invitationRevoked, subject: id, change: change, recordedAt: now, payload: InvitationRevoked.payload(i))
            return i
        }
    }

    /// Invitations by inviting member or organization and status (on `at`), in creation order.
    public func invitations(by: String? = nil, organization: String? = nil, status: InvitationStatus? = nil, limit: Int = 100,
                            cursor: Int64 = 0) throws(CDSError) -> Page<Invitation> {
        let now = self.now
        return try read { db in
            var sql = "SELECT * FROM invitation WHERE seq > ?"
            var args: [any DatabaseValueConvertible] = [cursor]
            if let by { sql += " AND inviter_member = ?"; args.append(by) }
            if let organization { sql += " AND inviter_organization = ?"; args.append(organization) }
            switch status {
            case .pending?: sql += " AND status = 'pending' AND expires_at > ?"; args.append(now.millisecondsSinceEpoch)
            case .expired?: sql += " AND status = 'pending' AND expires_at <= ?"; args.append(now.millisecondsSinceEpoch)
            case let s?: sql += " AND status = ?"; args.append(s.rawValue)
            case nil: break
            }
            sql += " ORDER BY seq LIMIT ?"
            args.append(limit + 1)
            let rows = try Store.storedRows(db, "invitation", sql: sql, arguments: StatementArguments(args))
                .map { r throws(CDSError) in (seq: try r.value("seq", Int64.self), invitation: try Store.invitation(r)) }
            let page = Store.page(rows, limit: limit) { String($0.seq) }
            return Page(items: page.items.map(\.invitation), nextCursor: page.nextCursor)
        }
    }
}

extension Member {
    /// The member with another inviter.
    init(copying m: Member, invitedBy: String?) {
        self = m
        self.invitedBy = invitedBy
    }
}
