/// `organization.created` (`{"after": <every field>}`) and `organization.updated` (the changed fields), v1.
public enum OrganizationEvents {
    /// Every field of the organization, v1 keys (release 0.1.0's).
    public static func snapshot(_ o: Organization) -> JSON {
        var j = JSONObject([
            ("id", .string(o.id)), ("kind", .string(o.kind.rawValue)), ("name", .string(o.name)), ("country", .string(o.country)),
            ("territory", .optional(o.territory)), ("city", .optional(o.city)), ("email", .optional(o.email)),
            ("website", .optional(o.website)), ("sectors", .strings(o.sectors)),
            ("created_at", .string(o.createdAt.description)), ("updated_at", .string(o.updatedAt.description)),
        ])
        // Added after 0.1.0: present only when set, so the payloads of older organizations keep their shape.
        if let r = o.iatiRef { j["iati_ref"] = .string(r) }
        return .object(j)
    }
    /// The v1 payload of `organization.created`.
    public static func created(_ o: Organization) -> JSON { ["after": snapshot(o)] }
    /// The v1 payload of `organization.updated`.
    public static func updated(before: Organization, after: Organization) -> JSON { PayloadDiff.between(snapshot(before), snapshot(after)) }
}

/// `need.created` (`{"after": <every field>}`) and `need.updated` (the changed fields), v1.
public enum NeedEvents {
    /// Every field of the need, v1 keys.
    public static func snapshot(_ n: Need) -> JSON {
        .object(JSONObject([
            ("id", .string(n.id)), ("project", .string(n.project)), ("kind", .string(n.kind.rawValue)), ("description", .string(n.description)),
            ("skills", .strings(n.skills)), ("quantity", quantity(n.quantity)), ("from", .optional(n.from?.description)),
            ("until", .optional(n.until?.description)), ("mode", .string(n.mode.rawValue)), ("languages", .strings(n.languages)),
            ("critical", .bool(n.critical)), ("status", .string(n.status.rawValue)),
            ("created_at", .string(n.createdAt.description)), ("updated_at", .string(n.updatedAt.description)),
        ]))
    }
    /// A quantity, v1 keys (needs, offers and contributions share it).
    public static func quantity(_ q: Quantity) -> JSON { ["unit": .string(q.unit.rawValue), "amount": .int(q.amount), "currency": .optional(q.currency)] }
    /// The v1 payload of `need.created`.
    public static func created(_ n: Need) -> JSON { ["after": snapshot(n)] }
    /// The v1 payload of `need.updated`.
    public static func updated(before: Need, after: Need) -> JSON { PayloadDiff.between(snapshot(before), snapshot(after)) }
}

/// `offer.created` (`{"after": <every field>}`) and `offer.updated` (the changed fields), v1.
public enum OfferEvents {
    /// Every field of the offer, v1 keys.
    public static func snapshot(_ o: Offer) -> JSON {
        .object(JSONObject([
            ("id", .string(o.id)), ("member", .optional(o.member)), ("organization", .optional(o.organization)), ("kind", .string(o.kind.rawValue)),
            ("description", .optional(o.description)), ("skills", .strings(o.skills)), ("capacity", NeedEvents.quantity(o.capacity)),
            ("windows", .array(o.windows.map { ["from": .string($0.from.description), "until": .string($0.until.description), "travel": .bool($0.travel)] })),
            ("remote", .bool(o.remote)), ("on_site", .bool(o.onSite)),
            ("languages", .strings(o.languages)), ("territories", .strings(o.territories)), ("sectors", .strings(o.sectors)),
            ("contact_consent", .bool(o.contactConsent)), ("status", .string(o.status.rawValue)),
            ("created_at", .string(o.createdAt.description)), ("updated_at", .string(o.updatedAt.description)),
        ]))
    }
    /// The v1 payload of `offer.created`.
    public static func created(_ o: Offer) -> JSON { ["after": snapshot(o)] }
    /// The v1 payload of `offer.updated`.
    public static func updated(before: Offer, after: Offer) -> JSON { PayloadDiff.between(snapshot(before), snapshot(after)) }
}

/// `match.proposed`, `.accepted` and `.declined`, v1: `{"after": <the match's facts>}`,
/// without its explanation (whose labels name places of a person).
public enum MatchEvents {
    /// The v1 payload.
    public static func payload(_ m: Match) -> JSON {
        ["after": .object(JSONObject([
            ("id", .string(m.id)), ("need", .string(m.need)), ("offer", .string(m.offer)), ("project", .string(m.project)),
            ("member", .optional(m.member)), ("organization", .optional(m.organization)), ("status", .string(m.status.rawValue)),
            ("score", .double(m.score)), ("contribution", .optional(m.contribution)),
        ]))]
    }
}
