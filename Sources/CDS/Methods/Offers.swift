import CDSCore
import CDSStore

enum OfferMethods {
    static let window = Schema.object([
        .init("from", .date, required: true, "first day"), .init("until", .date, required: true, "last day"),
        .init("travel", .boolean, "a stay in Morocco (on-site work possible)"),
    ])

    /// The fields of an offer, declared once for `offer.create` and `offer.update` (`status` is the update's only).
    static let fields: [Field<Offer>] = [
        .text("description", \.description, max: Limits.note, "what is offered"),
        .codes("skills", \.skills, "skill codes (ISCO-08 or ESCO)"),
        .decoded("capacity", \.capacity, Quantity.schema, required: true, "person-days (per month for skills), units, or money in minor units") { j, path throws(CDSError) in
            try Quantity(json: j, path: path)
        },
        .list("windows", \.windows, of: window, maxItems: 50, "when it is available (none: any time)") { j, path throws(CDSError) in
            try AvailabilityWindow(json: j, path: path)
        },
        .bool("remote", \.remote, "work at a distance is possible (default true)"),
        .bool("on_site", \.onSite, "work on site is possible (default false)"),
        .codes("languages", \.languages, "languages spoken for this offer"),
        .codes("territories", \.territories, of: .array(.string(maxLength: 20), maxItems: Limits.listItems), "territories of interest (HCP codes)"),
        .codes("sectors", \.sectors, "PAC sectors of interest"),
        .bool("contact_consent", \.contactConsent, "the offerer agrees to be contacted about matches"),
    ]

    /// What only `offer.update` takes.
    static let status: [Field<Offer>] = [.term("status", \.status, "active, paused or withdrawn")]

    static let all: [Method] = [
        Method("offer.create", "Puts a resource on the table: skills, information, network, finance, investment or material, with windows and interests.",
               mutating: true, [.init("member", .id, "the offering member (or organization)"), .init("organization", .id, "the offering organization (or member)"),
                                .init("kind", .vocabulary(ResourceKind.self), required: true, "information, skill, network, finance, investment, material")]
                   + fields.properties(update: false)) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.createOffer(member: p.string("member"), organization: p.string("organization"), kind: try p.term("kind", ResourceKind.self) ?? .skill,
                                              change: c.change) { (o: inout Offer) throws(CDSError) in try fields.apply(p, to: &o) }.json
        },
        Method("offer.get", "An offer by id.", [.init("id", .id, required: true, "the offer's id")]) { c throws(CDSError) in
            let o = try c.db.store.offer(try c.params.requiredString("id"))
            guard try Sight(c).sees(o) else { throw Visibility.forbidden("offer.unpublished", "offer \(o.id) is not public", details: ["offer": .string(o.id)]) }
            return o.json
        },
        Method("offer.update", "Changes the given fields of an offer, its status included.", mutating: true,
               [.init("id", .id, required: true, "the offer's id")] + (fields + status).properties(update: true)) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.updateOffer(try p.requiredString("id"), change: c.change) { (o: inout Offer) throws(CDSError) in
                try (fields + status).apply(p, to: &o)
            }.json
        },
        Method("offer.list", "Offers by member, organization, kind, status and skill, in creation order.",
               [.init("member", .id, "only this member's"), .init("organization", .id, "only this organization's"),
                .init("kind", .vocabulary(ResourceKind.self), "only this kind"), .init("status", .vocabulary(OfferStatus.self), "only this status"),
                .init("skill", .string(maxLength: 64), "only with this skill code"), Paging.limit, Paging.cursor]) { c throws(CDSError) in
            let p = c.params
            let sight = Sight(c)
            return try Paging.visible(try c.db.store.offers(member: p.string("member"), organization: p.string("organization"), kind: try p.term("kind", ResourceKind.self),
                                                            status: try p.term("status", OfferStatus.self), skill: p.string("skill"), limit: p.limit,
                                                            cursor: try p.sequenceCursor())) { (o: Offer) throws(CDSError) in try sight.sees(o) ? o.json : nil }
        },
    ]
}
