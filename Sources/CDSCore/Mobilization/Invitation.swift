/// How an invitation reached the person invited.
public enum InvitationChannel: String, Vocabulary {
    case email, sms, messaging, inPerson = "in_person", link
    public var labels: Labels {
        switch self {
        case .email: Labels(fr: "Courriel", ar: "البريد الإلكتروني", en: "E-mail")
        case .sms: Labels(fr: "SMS", ar: "رسالة قصيرة", en: "SMS")
        case .messaging: Labels(fr: "Messagerie", ar: "تطبيق المراسلة", en: "Messaging app")
        case .inPerson: Labels(fr: "En personne", ar: "شخصيا", en: "In person")
        case .link: Labels(fr: "Lien partagé", ar: "رابط مشترك", en: "Shared link")
        }
    }
}

/// Where an invitation stands. `expired` is not stored: a pending invitation past its
/// expiry reads as expired.
public enum InvitationStatus: String, Vocabulary {
    case pending, accepted, expired, revoked
    public var labels: Labels {
        switch self {
        case .pending: Labels(fr: "En attente", ar: "في الانتظار", en: "Pending")
        case .accepted: Labels(fr: "Acceptée", ar: "مقبولة", en: "Accepted")
        case .expired: Labels(fr: "Expirée", ar: "منتهية الصلاحية", en: "Expired")
        case .revoked: Labels(fr: "Révoquée", ar: "ملغاة", en: "Revoked")
        }
    }
}

/// An invitation to join the CDS: a single-use code, who invites (a member — an ADC, a
/// facilitator, any member — or an organization such as a commune), through which
/// channel, until when. Accepting it links the new member to who brought her.
public struct Invitation: Sendable, Equatable {
    /// The opaque id (`inv_…`).
    public var id: String
    /// The single-use code the person invited types or follows.
    public var code: String
    /// The inviting member …
    public var inviterMember: String?
    /// … or organization (exactly one).
    public var inviterOrganization: String?
    /// The channel it went through.
    public var channel: InvitationChannel
    /// The name of the person invited, as the inviter gave it.
    public var name: String?
    /// Her e-mail, if the inviter gave it.
    public var email: String?
    /// Her phone, if the inviter gave it.
    public var phone: String?
    /// A note of the inviter.
    public var note: String?
    /// Stored status (pending, accepted or revoked).
    public var status: InvitationStatus
    /// When it was made.
    public var createdAt: Instant
    /// When it stops being accepted.
    public var expiresAt: Instant
    /// When it was accepted, and by whom.
    public var acceptedAt: Instant?
    /// The member who accepted it.
    public var member: String?

    /// An invitation.
    public init(id: String, code: String, inviterMember: String?, inviterOrganization: String?, channel: InvitationChannel, name: String?,
                email: String?, phone: String?, note: String?, status: InvitationStatus = .pending, createdAt: Instant, expiresAt: Instant,
                acceptedAt: Instant? = nil, member: String? = nil) {
        self.id = id; self.code = code; self.inviterMember = inviterMember; self.inviterOrganization = inviterOrganization; self.channel = channel
        self.name = name; self.email = email; self.phone = phone; self.note = note; self.status = status; self.createdAt = createdAt
        self.expiresAt = expiresAt; self.acceptedAt = acceptedAt; self.member = member
    }

    /// The longest an invitation stays open: a year.
    public static let longestValidity: Int64 = 366 * 86_400_000
    /// The validity when the inviter gives none: 30 days.
    public static let defaultValidity: Int64 = 30 * 86_400_000

    /// The status on `at`: a pending invitation past its expiry is expired.
    public func status(at: Instant) -> InvitationStatus {
        status == .pending && at >= expiresAt ? .expired : status
    }

    /// The rules that need no database: one inviter, an expiry after the creation and within a year.
    public func validate() throws(CDSError) {
        guard (inviterMember == nil) != (inviterOrganization == nil) else {
            throw CDSError.invalid("by", "give the inviting member (by) or organization, not both")
        }
        guard expiresAt > createdAt else { throw CDSError.invalid("expires_at", "must be after the invitation is made (\(createdAt))") }
        let (span, overflow) = expiresAt.millisecondsSinceEpoch.subtractingReportingOverflow(createdAt.millisecondsSinceEpoch)
        guard !overflow, span <= Invitation.longestValidity else { throw CDSError.invalid("expires_at", "an invitation is valid for at most a year") }
    }

    /// Why the invitation cannot be accepted on `at`, if it cannot: used, revoked or expired.
    public func refusal(at: Instant) -> CDSError? {
        switch status(at: at) {
        case .pending: nil
        case .accepted: CDSError(.conflict, "this invitation code was already used", details: ["field": "code", "reason": "used"])
        case .revoked: CDSError(.conflict, "this invitation was revoked", details: ["field": "code", "reason": "revoked"])
        case .expired: CDSError(.conflict, "this invitation code expired on \(expiresAt)", details: ["field": "code", "reason": "expired"])
        }
    }

    /// A new single-use code: 12 characters of an alphabet without look-alikes, random.
    public static func makeCode() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789".utf8)
        var rng = SystemRandomNumberGenerator()
        var out: [UInt8] = []
        for i in 0..<12 {
            if i == 4 || i == 8 { out.append(UInt8(ascii: "-")) }
            out.append(alphabet[Int(rng.next() % UInt64(alphabet.count))])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The JSON shape, with the status on `at`.
    public func json(at: Instant) -> JSON {
        .object(JSONObject([
            ("id", .string(id)), ("code", .string(code)), ("by", .optional(inviterMember)), ("organization", .optional(inviterOrganization)),
            ("channel", .string(channel.rawValue)), ("name", .optional(name)), ("email", .optional(email)), ("phone", .optional(phone)),
            ("note", .optional(note)), ("status", .string(status(at: at).rawValue)), ("created_at", .string(createdAt.description)),
            ("expires_at", .string(expiresAt.description)), ("accepted_at", .optional(acceptedAt?.description)), ("member", .optional(member)),
        ]))
    }
}

/// Who brought a member in: a member or an organization (a commune, an association…).
public enum Inviter: Sendable, Equatable, Hashable {
    case member(String)
    case organization(String)

    /// The id of the member or organization.
    public var id: String {
        switch self { case .member(let m): m; case .organization(let o): o }
    }

    /// `member` or `organization`.
    public var kind: String {
        switch self { case .member: "member"; case .organization: "organization" }
    }
}

/// The rule of the forest of circles: one inviter each, and no cycle.
public enum CircleRule {
    /// Refuses linking `member` under `inviter` when that would close a cycle: `inviter` is
    /// the member herself or one of those she brought in, directly or not. `parent` answers
    /// the member who brought a member in (nil for a root or an organization).
    public static func checkNoCycle(member: String, inviter: String, parent: (String) throws(CDSError) -> String?) throws(CDSError) {
        var seen: Set<String> = []
        var at: String? = inviter
        while let x = at {
            if x == member {
                throw CDSError(.conflict, "\(inviter) was brought in by \(member), directly or not: the circles would form a cycle",
                               details: ["field": "member", "reason": "cycle"])
            }
            // A loop already stored (damage) ends the walk rather than running for ever.
            guard seen.insert(x).inserted else { return }
            at = try parent(x)
        }
    }
}
