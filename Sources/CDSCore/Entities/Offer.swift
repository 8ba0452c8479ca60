/// Whether an offer is on the table.
public enum OfferStatus: String, Vocabulary {
    case active, paused, withdrawn
    public var labels: Labels {
        switch self {
        case .active: Labels(fr: "Active", ar: "نشط", en: "Active")
        case .paused: Labels(fr: "En pause", ar: "معلق", en: "Paused")
        case .withdrawn: Labels(fr: "Retirée", ar: "مسحوب", en: "Withdrawn")
        }
    }
}

/// A period in which an offer is available; `travel` marks a stay in Morocco.
public struct AvailabilityWindow: Sendable, Equatable {
    public var from: LocalDate
    public var until: LocalDate
    /// A travel window: the member is in Morocco then (on-site work is possible).
    public var travel: Bool

    /// A window.
    public init(from: LocalDate, until: LocalDate, travel: Bool) { self.from = from; self.until = until; self.travel = travel }

    /// Reads `{"from", "until", "travel"}`; a window cannot end before it starts.
    public init(json: JSON, path: String) throws(CDSError) {
        let r = try JSONReader(json, path: path, known: ["from", "until", "travel"])
        guard let f = try r.date("from") else { throw CDSError.invalid(r.at("from"), "is required") }
        guard let u = try r.date("until") else { throw CDSError.invalid(r.at("until"), "is required") }
        guard u >= f else { throw CDSError.invalid(r.at("until"), "must not be before from") }
        self.init(from: f, until: u, travel: try r.bool("travel") ?? false)
    }

    /// `{"from", "until", "travel"}`.
    public var json: JSON { ["from": .string(from.description), "until": .string(until.description), "travel": .bool(travel)] }
}

/// A resource a member or an organization puts on the table for the CDS's projects.
public struct Offer: Sendable, Equatable {
    public var id: String
    /// The offering member …
    public var member: String?
    /// … or organization (exactly one).
    public var organization: String?
    public var kind: ResourceKind
    public var description: String?
    /// Skill codes (ISCO-08 or ESCO).
    public var skills: [String]
    /// Person-days (per month for skills), units, or an amount of money.
    public var capacity: Quantity
    /// When it is available (none: any time).
    public var windows: [AvailabilityWindow]
    /// Work at a distance is possible.
    public var remote: Bool
    /// Work on site is possible (within a travel window for a member abroad).
    public var onSite: Bool
    public var languages: [String]
    /// Territories of interest (communes, provinces, regions).
    public var territories: [String]
    /// PAC sectors of interest.
    public var sectors: [String]
    /// The offerer agrees to be contacted about matches.
    public var contactConsent: Bool
    public var status: OfferStatus
    public var createdAt: Instant
    public var updatedAt: Instant

    /// An offer.
    public init(id: String, member: String?, organization: String?, kind: ResourceKind, description: String?, skills: [String], capacity: Quantity,
                windows: [AvailabilityWindow], remote: Bool, onSite: Bool, languages: [String], territories: [String], sectors: [String],
                contactConsent: Bool, status: OfferStatus = .active, createdAt: Instant, updatedAt: Instant) {
        self.id = id; self.member = member; self.organization = organization; self.kind = kind; self.description = description
        self.skills = skills; self.capacity = capacity; self.windows = windows; self.remote = remote; self.onSite = onSite
        self.languages = languages; self.territories = territories; self.sectors = sectors; self.contactConsent = contactConsent
        self.status = status; self.createdAt = createdAt; self.updatedAt = updatedAt
    }

    /// The rules that need no database: one offerer, a way of working, money exactly for finance.
    public func validate() throws(CDSError) {
        guard (member == nil) != (organization == nil) else { throw CDSError.invalid("member", "give the offering member or organization, not both") }
        guard remote || onSite else { throw CDSError.invalid("remote", "an offer is remote, on site, or both") }
        try capacity.validate(path: "capacity")
        if kind.isMoney, capacity.unit != .money { throw CDSError.invalid("capacity.unit", "a \(kind.rawValue) offer is counted in money") }
        if !kind.isMoney, capacity.unit == .money { throw CDSError.invalid("capacity.unit", "only finance and investment are counted in money") }
        _ = try Validate.unique(skills, field: "skills")
        _ = try Validate.unique(languages, field: "languages")
        _ = try Validate.unique(territories, field: "territories")
        _ = try Validate.unique(sectors, field: "sectors")
        guard windows.count <= 50 else { throw CDSError.invalid("windows", "must have at most 50 items") }
    }

    /// The JSON shape.
    public var json: JSON {
        .object(JSONObject([
            ("id", .string(id)), ("member", .optional(member)), ("organization", .optional(organization)), ("kind", .string(kind.rawValue)),
            ("description", .optional(description)), ("skills", .strings(skills)), ("capacity", capacity.json),
            ("windows", .array(windows.map(\.json))), ("remote", .bool(remote)), ("on_site", .bool(onSite)),
            ("languages", .strings(languages)), ("territories", .strings(territories)), ("sectors", .strings(sectors)),
            ("contact_consent", .bool(contactConsent)), ("status", .string(status.rawValue)),
            ("created_at", .string(createdAt.description)), ("updated_at", .string(updatedAt.description)),
        ]))
    }

    /// Reads the stored JSON shape back.
    public init(json: JSON) throws(CDSError) {
        let r = try JSONReader(json, path: "", known: ["id", "member", "organization", "kind", "description", "skills", "capacity", "windows", "remote",
                                                      "on_site", "languages", "territories", "sectors", "contact_consent", "status", "created_at", "updated_at"])
        guard let kind = try r.term("kind", ResourceKind.self) else { throw CDSError.invalid("kind", "is required") }
        self.init(id: try r.requiredText("id", max: 100), member: try r.text("member", max: 100), organization: try r.text("organization", max: 100),
                  kind: kind, description: try r.text("description", max: Limits.note), skills: try r.texts("skills", max: Limits.listItems, length: 64),
                  capacity: try Quantity(json: r.object["capacity"], path: "capacity"),
                  windows: try r.list("windows", max: 50) { (v, p) throws(CDSError) in try AvailabilityWindow(json: v, path: p) },
                  remote: try r.bool("remote") ?? false, onSite: try r.bool("on_site") ?? false,
                  languages: try r.texts("languages", max: Limits.listItems, length: 16), territories: try r.texts("territories", max: Limits.listItems, length: 20),
                  sectors: try r.texts("sectors", max: Limits.listItems, length: 16), contactConsent: try r.bool("contact_consent") ?? false,
                  status: try r.term("status", OfferStatus.self) ?? .active, createdAt: try r.instant("created_at"), updatedAt: try r.instant("updated_at"))
    }
}
