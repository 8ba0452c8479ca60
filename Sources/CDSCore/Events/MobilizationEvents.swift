/// `invitation.created`, v1: `{"after": <the invitation without its code and the invitee's contact>}`.
/// The log keeps who invited, when, how and until when; the person invited is not a member
/// yet, so her name and contact stay in the invitation's row, which an erasure wipes.
public enum InvitationCreated {
    /// The event type.
    public static let type = EventType.invitationCreated
    /// The v1 payload.
    public static func payload(_ i: Invitation) -> JSON {
        ["after": .object(JSONObject([
            ("id", .string(i.id)), ("by", .optional(i.inviterMember)), ("organization", .optional(i.inviterOrganization)),
            ("channel", .string(i.channel.rawValue)), ("created_at", .string(i.createdAt.description)), ("expires_at", .string(i.expiresAt.description)),
        ]))]
    }
}

/// `invitation.accepted`, v1: `{"after": {"id", "member", "by", "organization", "linked", "accepted_at"}}`;
/// `linked` is false when the member had been brought in already (she keeps her first inviter).
public enum InvitationAccepted {
    /// The event type.
    public static let type = EventType.invitationAccepted
    /// The v1 payload.
    public static func payload(_ i: Invitation, member: String, linked: Bool, at: Instant) -> JSON {
        ["after": .object(JSONObject([
            ("id", .string(i.id)), ("member", .string(member)), ("by", .optional(i.inviterMember)), ("organization", .optional(i.inviterOrganization)),
            ("linked", .bool(linked)), ("accepted_at", .string(at.description)),
        ]))]
    }
    /// The member, who brought her and whether the invitation linked her.
    public static func decode(_ r: PayloadReader) throws(CDSError) -> (member: String, inviter: Inviter, linked: Bool) {
        let a = try r.part("after")
        let by = try a.optionalString("by"), org = try a.optionalString("organization")
        let inviter: Inviter
        switch (by, org) {
        case (let m?, nil): inviter = .member(m)
        case (nil, let o?): inviter = .organization(o)
        default: throw a.failure("by", "an invitation has one inviter: a member (by) or an organization")
        }
        return (try a.string("member"), inviter, try a.bool("linked"))
    }
}

/// `invitation.revoked`, v1: `{"after": {"id", "status": "revoked"}}`.
public enum InvitationRevoked {
    /// The v1 payload.
    public static func payload(_ i: Invitation) -> JSON { ["after": ["id": .string(i.id), "status": "revoked"]] }
}

/// The events of the outbox, v1: `message.queued` (`{"after": <the message's facts, without its parameters>}`),
/// `message.taken`, `message.delivered`, `message.failed`, `message.cancelled` (`{"after": {"id", "member", "channel", "status", "reason", "attempts"}}`).
public enum MessageEvents {
    /// The v1 payload of `message.queued`.
    public static func queued(id: String, member: String, channel: OutreachChannel, language: Locale, template: String, need: String?, project: String?,
                              notBefore: Instant, status: MessageStatus, digest: String?) -> JSON {
        ["after": .object(JSONObject([
            ("id", .string(id)), ("member", .string(member)), ("channel", .string(channel.rawValue)), ("language", .string(language.rawValue)),
            ("template", .string(template)), ("need", .optional(need)), ("project", .optional(project)), ("not_before", .string(notBefore.description)),
            ("status", .string(status.rawValue)), ("digest", .optional(digest)),
        ]))]
    }

    /// The v1 payload of a change of status.
    public static func moved(id: String, member: String, channel: OutreachChannel, status: MessageStatus, reason: String?, attempts: Int64) -> JSON {
        ["after": .object(JSONObject([
            ("id", .string(id)), ("member", .string(member)), ("channel", .string(channel.rawValue)), ("status", .string(status.rawValue)),
            ("reason", .optional(reason)), ("attempts", .int(attempts)),
        ]))]
    }

    /// The member and channel of `message.delivered`.
    public static func decodeDelivered(_ r: PayloadReader) throws(CDSError) -> (member: String, channel: String) {
        let a = try r.part("after")
        return (try a.string("member"), try a.string("channel"))
    }
}
