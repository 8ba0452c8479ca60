/// Where a contribution stands: pledged → confirmed → delivered, or cancelled.
public enum ContributionStatus: String, Vocabulary {
    case pledged, confirmed, delivered, cancelled
    public var labels: Labels {
        switch self {
        case .pledged: Labels(fr: "Promise", ar: "موعود بها", en: "Pledged")
        case .confirmed: Labels(fr: "Confirmée", ar: "مؤكدة", en: "Confirmed")
        case .delivered: Labels(fr: "Réalisée", ar: "منجزة", en: "Delivered")
        case .cancelled: Labels(fr: "Annulée", ar: "ملغاة", en: "Cancelled")
        }
    }
    /// Confirmed or delivered: what indicators count.
    public var counts: Bool { self == .confirmed || self == .delivered }
    /// The statuses it may move to.
    public var next: [ContributionStatus] {
        switch self {
        case .pledged: [.confirmed, .cancelled]
        case .confirmed: [.delivered, .cancelled]
        case .delivered, .cancelled: []
        }
    }
}

/// An engagement of a member or an organization in a project: information, skills,
/// network, finance, investment or material.
public struct Contribution: Sendable, Equatable {
    public var id: String
    /// The project's id.
    public var project: String
    /// The need it answers, if any.
    public var need: String?
    /// The contributing member …
    public var member: String?
    /// … or organization (exactly one of the two).
    public var organization: String?
    public var kind: ResourceKind
    public var quantity: Quantity
    public var status: ContributionStatus
    /// The day of each status.
    public var pledgedOn: LocalDate
    public var confirmedOn: LocalDate?
    public var deliveredOn: LocalDate?
    public var cancelledOn: LocalDate?
    public var note: String?
    /// The match it came from, if any.
    public var match: String?
    public var createdAt: Instant
    public var updatedAt: Instant

    /// A pledged contribution.
    public init(id: String, project: String, need: String?, member: String?, organization: String?, kind: ResourceKind, quantity: Quantity,
                pledgedOn: LocalDate, note: String?, match: String? = nil, at: Instant) {
        self.id = id; self.project = project; self.need = need; self.member = member; self.organization = organization; self.kind = kind
        self.quantity = quantity; status = .pledged; self.pledgedOn = pledgedOn; self.note = note; self.match = match; createdAt = at; updatedAt = at
    }

    /// The rules that need no database: one contributor, money exactly for finance.
    public func validate() throws(CDSError) {
        guard (member == nil) != (organization == nil) else { throw CDSError.invalid("member", "give the contributing member or organization, not both") }
        try quantity.validate(path: "quantity")
        if kind.isMoney, quantity.unit != .money { throw CDSError.invalid("quantity.unit", "a \(kind.rawValue) contribution is counted in money") }
        if !kind.isMoney, quantity.unit == .money { throw CDSError.invalid("quantity.unit", "only finance and investment are counted in money") }
    }

    /// Moves to `to` on `day`: only forward (pledged → confirmed → delivered, or cancelled),
    /// never before the previous status's day.
    public mutating func move(to: ContributionStatus, on day: LocalDate) throws(CDSError) {
        guard status.next.contains(to) else {
            throw CDSError(.conflict, "a \(status.rawValue) contribution cannot become \(to.rawValue)",
                           details: ["from": .string(status.rawValue), "to": .string(to.rawValue)])
        }
        let last = [pledgedOn, confirmedOn].compactMap { $0 }.max() ?? pledgedOn
        guard day >= last else { throw CDSError.invalid("on", "must not be before \(last)") }
        switch to {
        case .confirmed: confirmedOn = day
        case .delivered: deliveredOn = day
        case .cancelled: cancelledOn = day
        case .pledged: break
        }
        status = to
    }

    /// The JSON shape.
    public var json: JSON {
        .object(JSONObject([
            ("id", .string(id)), ("project", .string(project)), ("need", .optional(need)), ("member", .optional(member)),
            ("organization", .optional(organization)), ("kind", .string(kind.rawValue)), ("quantity", quantity.json), ("status", .string(status.rawValue)),
            ("pledged_on", .string(pledgedOn.description)), ("confirmed_on", .optional(confirmedOn?.description)),
            ("delivered_on", .optional(deliveredOn?.description)), ("cancelled_on", .optional(cancelledOn?.description)),
            ("note", .optional(note)), ("match", .optional(match)),
            ("created_at", .string(createdAt.description)), ("updated_at", .string(updatedAt.description)),
        ]))
    }

    /// Reads the stored JSON shape back.
    public init(json: JSON) throws(CDSError) {
        let r = try JSONReader(json, path: "", known: ["id", "project", "need", "member", "organization", "kind", "quantity", "status", "pledged_on",
                                                      "confirmed_on", "delivered_on", "cancelled_on", "note", "match", "created_at", "updated_at"])
        guard let kind = try r.term("kind", ResourceKind.self), let pledged = try r.date("pledged_on") else { throw CDSError.invalid("kind", "is required") }
        self.init(id: try r.requiredText("id", max: 100), project: try r.requiredText("project", max: 100), need: try r.text("need", max: 100),
                  member: try r.text("member", max: 100), organization: try r.text("organization", max: 100), kind: kind,
                  quantity: try Quantity(json: r.object["quantity"], path: "quantity"), pledgedOn: pledged, note: try r.text("note", max: Limits.note),
                  match: try r.text("match", max: 100), at: try r.instant("created_at"))
        status = try r.term("status", ContributionStatus.self) ?? .pledged
        confirmedOn = try r.date("confirmed_on")
        deliveredOn = try r.date("delivered_on")
        cancelledOn = try r.date("cancelled_on")
        updatedAt = try r.instant("updated_at")
    }
}

/// The kinds of recorded exchanges.
public enum InteractionKind: String, Vocabulary {
    case meeting, call, message, visit, mission, webinar
    public var labels: Labels {
        switch self {
        case .meeting: Labels(fr: "Réunion", ar: "اجتماع", en: "Meeting")
        case .call: Labels(fr: "Appel", ar: "مكالمة", en: "Call")
        case .message: Labels(fr: "Message", ar: "رسالة", en: "Message")
        case .visit: Labels(fr: "Visite", ar: "زيارة", en: "Visit")
        case .mission: Labels(fr: "Mission", ar: "مهمة", en: "Mission")
        case .webinar: Labels(fr: "Webinaire", ar: "ندوة عن بعد", en: "Webinar")
        }
    }
}

/// A recorded exchange between a diaspora member (or diaspora association) and a
/// Moroccan actor (an organization in Morocco).
public struct Interaction: Sendable, Equatable {
    public var id: String
    public var kind: InteractionKind
    /// The day it took place.
    public var on: LocalDate
    /// The diaspora member …
    public var member: String?
    /// … or the diaspora association.
    public var diasporaOrganization: String?
    /// The Moroccan actor.
    public var organization: String
    /// The person who spoke for the Moroccan actor, if a member.
    public var localMember: String?
    /// The project it was about.
    public var project: String?
    public var note: String?
    public var createdAt: Instant

    /// An interaction.
    public init(id: String, kind: InteractionKind, on: LocalDate, member: String?, diasporaOrganization: String?, organization: String,
                localMember: String?, project: String?, note: String?, createdAt: Instant) {
        self.id = id; self.kind = kind; self.on = on; self.member = member; self.diasporaOrganization = diasporaOrganization
        self.organization = organization; self.localMember = localMember; self.project = project; self.note = note; self.createdAt = createdAt
    }

    /// The JSON shape.
    public var json: JSON {
        .object(JSONObject([
            ("id", .string(id)), ("kind", .string(kind.rawValue)), ("on", .string(on.description)), ("member", .optional(member)),
            ("diaspora_organization", .optional(diasporaOrganization)), ("organization", .string(organization)),
            ("local_member", .optional(localMember)), ("project", .optional(project)), ("note", .optional(note)),
            ("created_at", .string(createdAt.description)),
        ]))
    }

    /// Reads the stored JSON shape back.
    public init(json: JSON) throws(CDSError) {
        let r = try JSONReader(json, path: "", known: ["id", "kind", "on", "member", "diaspora_organization", "organization", "local_member", "project", "note", "created_at"])
        guard let kind = try r.term("kind", InteractionKind.self), let on = try r.date("on"),
              let s = r.object["created_at"]?.stringValue, let at = Instant(s) else { throw CDSError.invalid("kind", "is required") }
        self.init(id: try r.requiredText("id", max: 100), kind: kind, on: on, member: try r.text("member", max: 100),
                  diasporaOrganization: try r.text("diaspora_organization", max: 100), organization: try r.requiredText("organization", max: 100),
                  localMember: try r.text("local_member", max: 100), project: try r.text("project", max: 100), note: try r.text("note", max: Limits.note), createdAt: at)
    }
}
