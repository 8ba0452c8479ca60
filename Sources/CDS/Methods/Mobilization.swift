import CDSCore
import CDSStore

/// Invitations and the circles of who brought whom.
enum InvitationMethods {
    static let profile = Schema.object(MemberMethods.fields.properties(update: false)
        + [.init("consents", .array(MemberMethods.consent, maxItems: 10), "consents given on registration")])

    static func json(_ i: Invitation, _ c: Call) -> JSON { i.json(at: c.db.store.now) }

    /// What a mobilization report is asked for: the day (`as_of`, default today), the territory (checked; "" for the CDS), `provenance`.
    static func scope(_ c: Call) throws(CDSError) -> (day: Int, territory: String, provenance: Bool) {
        let p = c.params
        if let t = p.string("territory") { _ = try c.db.store.territoryForField(t, field: "territory") }
        return ((try p.date("as_of") ?? c.db.store.now.date).daysSinceEpoch, p.string("territory") ?? "", p.bool("provenance") ?? false)
    }

    static let all: [Method] = [
        // access: a member (by: herself), the ADC or a facilitator of the inviting organization, an admin; the code is seen only by the inviter and admins.
        Method("invitation.create", "Invites a person on behalf of a member or an organization (a commune…): a single-use code, the channel, an expiry (default 30 days).",
               mutating: true,
               [.init("by", .id, "the inviting member (or organization)"), .init("organization", .id, "the inviting organization (or member)"),
                .init("channel", .vocabulary(InvitationChannel.self), required: true, "email, sms, messaging, in_person or link"),
                .init("name", .text(maxLength: Limits.name), "the name of the person invited"),
                .init("email", .string(maxLength: Limits.email), "her e-mail (refused if a member has it)"),
                .init("phone", .string(maxLength: Limits.phone), "her phone (refused if a member has it)"),
                .init("note", .text(maxLength: Limits.note), "a note of the inviter"),
                .init("expires_at", .instant, "when the code stops being accepted (default: 30 days; at most a year)")]) { c throws(CDSError) in
            let p = c.params
            return json(try c.db.store.createInvitation(by: p.string("by"), organization: p.string("organization"),
                                                        channel: try p.term("channel", InvitationChannel.self) ?? .email, name: p.text("name"),
                                                        email: p.string("email"), phone: p.string("phone"), note: p.text("note"),
                                                        expiresAt: try p.instant("expires_at"), change: c.change), c)
        },
        // access: anonymous with the code (a new member), or the member herself (member); nobody else.
        Method("invitation.accept", "Accepts an invitation by its code: creates the new member (profile) or links an existing one (member) to who invited her.",
               mutating: true,
               [.init("code", .string(maxLength: 40), required: true, "the invitation's code"), .init("member", .id, "an existing member who accepts"),
                .init("profile", profile, "the new member's profile, as member.create takes it (name, e-mail and phone default to the invitation's)")]) { c throws(CDSError) in
            let p = c.params
            let edit: ((inout Member) throws(CDSError) -> Void)?
            var consents: [(purpose: ConsentPurpose, version: String)] = []
            if let o = p.value("profile")?.objectValue {
                let profile = Params(o)
                consents = try MemberMethods.consents(profile)
                edit = { (m: inout Member) throws(CDSError) in try MemberMethods.fields.apply(profile, to: &m) }
            } else {
                guard p.string("member") != nil else { throw CDSError.invalid("member", "give the existing member or the profile of the new one") }
                edit = nil
            }
            let r = try c.db.store.acceptInvitation(code: try p.requiredString("code"), member: p.string("member"), consents: consents, change: c.change, edit)
            return ["invitation": json(r.invitation, c), "member": r.member.json, "linked": .bool(r.linked)]
        },
        // access: the inviter, the ADC of the inviting commune, a facilitator, an admin; the invitee's contact is hidden from others.
        Method("invitation.get", "An invitation by id, with its status today (pending, accepted, expired, revoked).",
               [.init("id", .id, required: true, "the invitation's id")]) { c throws(CDSError) in
            json(try c.db.store.invitation(try c.params.requiredString("id")), c)
        },
        // access: the inviter (her own), a facilitator, an admin; codes and contacts of others' invitations hidden.
        Method("invitation.list", "Invitations by inviting member or organization and status, in creation order.",
               [.init("by", .id, "only this member's"), .init("organization", .id, "only this organization's"),
                .init("status", .vocabulary(InvitationStatus.self), "only this status (expired: pending past its expiry)"),
                Paging.limit, Paging.cursor]) { c throws(CDSError) in
            let p = c.params
            return Paging.json(try c.db.store.invitations(by: p.string("by"), organization: p.string("organization"), status: try p.term("status", InvitationStatus.self),
                                                          limit: p.limit, cursor: try p.sequenceCursor())) { json($0, c) }
        },
        // access: the inviter, a facilitator, an admin.
        Method("invitation.revoke", "Revokes a pending invitation: its code is refused from now on.", mutating: true,
               [.init("id", .id, required: true, "the invitation's id")]) { c throws(CDSError) in
            json(try c.db.store.revokeInvitation(try c.params.requiredString("id"), change: c.change), c)
        },
        // access: the member herself, a facilitator, an admin.
        Method("circle.get", "A member's place in the circles on a date: her circle (0: she joined on her own), who brought her, the chain to the root, whom she brought.",
               [.init("member", .id, required: true, "the member's id"), .init("as_of", .date, "the date (default: today)")]) { c throws(CDSError) in
            let id = try c.params.requiredString("member")
            _ = try c.db.store.member(id)
            let day = (try c.params.date("as_of") ?? c.db.store.now.date).daysSinceEpoch
            return try c.db.store.withIndicatorEngine { $0.circlePath(of: id, day: day) }
        },
        // access: anyone for the figures; the ids (provenance) for facilitators and admins.
        Method("circle.indicators", "Members and migrants mobilized per circle and per inviter as of a date, for a territory, each person once, with provenance.",
               [.init("as_of", .date, "the date (default: today)"),
                .init("territory", .string(maxLength: 20), "members by their origin, migrants by their projects' communes, in this territory"),
                .init("provenance", .boolean, "list the ids behind each figure")]) { c throws(CDSError) in
            let q = try scope(c)
            return try c.db.store.withIndicatorEngine { $0.circleReport(day: q.day, territory: q.territory, provenance: q.provenance) }
        },
    ]
}

/// Audiences, the outbox the host delivers, and the outreach's indicators.
enum OutreachMethods {
    static let target: [Schema.Property] = [.init("need", .id, "a published need (or project)"), .init("project", .id, "a project: every open need of it (or need)")]

    static func report(_ r: SendReport) -> JSON {
        .object(JSONObject([
            ("queued", .array(r.queued.map(\.json))), ("digested", .array(r.digested.map(\.json))),
            ("skipped", .array(r.skipped.map { ["member": .string($0.member), "reason": .string($0.reason)] })),
        ]))
    }

    static let all: [Method] = [
        // access: anyone.
        Method("outreach.templates", "The message templates, per language (fr, ar, en), with the parameters the host gives.", []) { _ throws(CDSError) in
            ["templates": .array(MessageTemplate.all.map(\.json))]
        },
        // access: anyone.
        Method("outreach.settings", "The outbox's rules: messages per member per week at most, quiet hours (the member's local time).", []) { c throws(CDSError) in
            try c.db.store.outreachSettings().json
        },
        // access: an admin, or the trusted system.
        Method("outreach.configure", "Sets the outbox's rules: the weekly cap per member (1 to 50) and the quiet hours.", mutating: true,
               [.init("weekly_cap", .integer(min: 1, max: 50), "messages per member per week at most (default 2)"),
                .init("quiet_from", .integer(min: 0, max: 23), "quiet hours start at this local hour (default 21)"),
                .init("quiet_until", .integer(min: 0, max: 23), "quiet hours end at this local hour (default 8)")]) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.configureOutreach({ (s: inout OutreachSettings) throws(CDSError) in
                if let v = p.int("weekly_cap") { s.weeklyCap = Int(v) }
                if let v = p.int("quiet_from") { s.quietFrom = Int(v) }
                if let v = p.int("quiet_until") { s.quietUntil = Int(v) }
            }, change: c.change).json
        },
        // access: the project's ADC, a facilitator, an admin; the members' contact fields are not in it.
        Method("outreach.audience", "The members worth contacting about a need or a project: consent to be contacted in force, their language, the match explanation as reason.",
               target + [.init("limit", .integer(min: 1, max: Int64(Limits.page)), "how many at most (default 50)")]) { c throws(CDSError) in
            let p = c.params
            let entries = try c.db.store.audience(need: p.string("need"), project: p.string("project"), limit: Int(p.int("limit") ?? 50))
            return ["need": .optional(p.string("need")), "project": .optional(p.string("project")), "members": .array(entries.map { $0.json(locale: c.locale) })]
        },
        // access: the project's ADC, a facilitator, an admin.
        Method("outreach.send", "Writes a message to each member of the audience (or those named): her language, a channel she can be reached on, "
                   + "outside her quiet hours, within the weekly cap (past it, a digest).", mutating: true,
               target + [.init("template", .string(maxLength: 64, values: MessageTemplate.all.map(\.key).filter { $0 != "digest" }), "need.call (default for a need) or project.call"),
                         .init("params", .map(.text(maxLength: 500), maxItems: 20), "the template's host parameters (link…)"),
                         .init("channel", .vocabulary(OutreachChannel.self), "email, sms or messaging (default: the first she can be reached on)"),
                         .init("members", .array(.id, maxItems: Limits.page), "only these members of the audience"),
                         .init("not_before", .instant, "not before this instant (default: now)"),
                         .init("limit", .integer(min: 1, max: Int64(Limits.page)), "the audience's size at most (default 50)")]) { c throws(CDSError) in
            let p = c.params
            return report(try c.db.store.sendOutreach(need: p.string("need"), project: p.string("project"), template: p.string("template"),
                                                      hostParams: p.value("params")?.objectValue ?? JSONObject(), channel: try p.term("channel", OutreachChannel.self),
                                                      members: p.strings("members"), notBefore: try p.instant("not_before"), limit: Int(p.int("limit") ?? 50),
                                                      change: c.change))
        },
        // access: the trusted system (the host's delivery job) only.
        Method("outbox.next", "Takes up to limit messages due now for the host to deliver, rendered in their language; taken and not acknowledged in 15 minutes, a message is given again.",
               mutating: true,
               [.init("limit", .integer(min: 1, max: 500), "how many at most (default 50)"), .init("channel", .vocabulary(OutreachChannel.self), "only this channel")]) { c throws(CDSError) in
            ["messages": .array(try c.db.store.takeMessages(limit: Int(c.params.int("limit") ?? 50), channel: try c.params.term("channel", OutreachChannel.self), change: c.change))]
        },
        // access: the trusted system only.
        Method("outbox.ack", "Acknowledges a message taken: delivered, or failed with a reason; the same acknowledgement again answers the same.", mutating: true,
               [.init("id", .id, required: true, "the message's id"),
                .init("status", .string(maxLength: 16, values: ["delivered", "failed"]), required: true, "delivered or failed"),
                .init("reason", .text(maxLength: Limits.note), "why it failed")]) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.acknowledgeMessage(try p.requiredString("id"), delivered: p.string("status") == "delivered", reason: p.text("reason"), change: c.change).json
        },
        // access: the member herself (her messages), a facilitator, an admin, the trusted system.
        Method("outbox.get", "A message of the outbox by id.", [.init("id", .id, required: true, "the message's id")]) { c throws(CDSError) in
            try c.db.store.message(try c.params.requiredString("id")).json
        },
        // access: the member herself (her messages), a facilitator, an admin, the trusted system.
        Method("outbox.list", "Messages of the outbox by member, need and status, in the order written.",
               [.init("member", .id, "only to this member"), .init("need", .id, "only about this need"),
                .init("status", .vocabulary(MessageStatus.self), "only this status"), Paging.limit, Paging.cursor]) { c throws(CDSError) in
            let p = c.params
            return Paging.json(try c.db.store.messages(member: p.string("member"), need: p.string("need"), status: try p.term("status", MessageStatus.self),
                                                       limit: p.limit, cursor: try p.sequenceCursor())) { $0.json }
        },
        // access: anyone for the figures; the ids (provenance) for facilitators and admins.
        Method("outreach.indicators", "People reached by a delivered message and those who responded (an offer, a match accepted within 30 days), "
                   + "by circle, channel and country of residence, as of a date.",
               [.init("as_of", .date, "the date (default: today)"), .init("territory", .string(maxLength: 20), "members by their origin in this territory"),
                .init("provenance", .boolean, "list the ids behind each figure")]) { c throws(CDSError) in
            let q = try InvitationMethods.scope(c)
            return try c.db.store.withIndicatorEngine { $0.outreachReport(day: q.day, territory: q.territory, provenance: q.provenance) }
        },
    ]
}
