import CDSCore
import CDSStore

enum OfferMethods {
    static let window = Schema.object([
        .init("from", .date, required: true, "first day"), .init("until", .date, required: true, "last day"),
        .init("travel", .boolean, "a stay in Morocco (on-site work possible)"),
    ])

    static func fields(update: Bool) -> [Schema.Property] {
        var f: [Schema.Property] = [
            .init("description", update ? .nullable(.text(maxLength: Limits.note)) : .text(maxLength: Limits.note), "what is offered"),
            .init("skills", .codes, "skill codes (ISCO-08 or ESCO)"),
            .init("capacity", NeedMethods.quantity, required: !update, "person-days (per month for skills), units, or money in minor units"),
            .init("windows", .array(window, maxItems: 50), "when it is available (none: any time)"),
            .init("remote", .boolean, "work at a distance is possible (default true)"),
            .init("on_site", .boolean, "work on site is possible (default false)"),
            .init("languages", .codes, "languages spoken for this offer"),
            .init("territories", .array(.string(maxLength: 20), maxItems: Limits.listItems), "territories of interest (HCP codes)"),
            .init("sectors", .codes, "PAC sectors of interest"),
            .init("contact_consent", .boolean, "the offerer agrees to be contacted about matches"),
        ]
        if update { f.append(.init("status", .vocabulary(OfferStatus.self), "active, paused or withdrawn")) }
        return f
    }

    static func apply(_ p: Params, to o: inout Offer) throws(CDSError) {
        if p.has("description") { o.description = p.string("description") }
        if let v = p.strings("skills") { o.skills = v }
        if let q = p.object["capacity"] { o.capacity = try Quantity(json: q, path: "capacity") }
        if let ws = p.object["windows"]?.arrayValue {
            o.windows = []
            for (n, w) in ws.enumerated() { o.windows.append(try AvailabilityWindow(json: w, path: "windows[\(n)]")) }
        }
        if let v = p.bool("remote") { o.remote = v }
        if let v = p.bool("on_site") { o.onSite = v }
        if let v = p.strings("languages") { o.languages = v }
        if let v = p.strings("territories") { o.territories = v }
        if let v = p.strings("sectors") { o.sectors = v }
        if let v = p.bool("contact_consent") { o.contactConsent = v }
        if let v = try p.term("status", OfferStatus.self) { o.status = v }
    }

    static let all: [Method] = [
        Method("offer.create", "Puts a resource on the table: skills, information, network, finance, investment or material, with windows and interests.",
               mutating: true, [.init("member", .id, "the offering member (or organization)"), .init("organization", .id, "the offering organization (or member)"),
                                .init("kind", .vocabulary(ResourceKind.self), required: true, "information, skill, network, finance, investment, material")]
                   + fields(update: false)) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.createOffer(member: p.string("member"), organization: p.string("organization"), kind: try p.term("kind", ResourceKind.self) ?? .skill,
                                              capacity: try Quantity(json: p.object["capacity"], path: "capacity"), change: c.change) { (o: inout Offer) throws(CDSError) in
                try apply(p, to: &o)
            }.json
        },
        Method("offer.get", "An offer by id.", [.init("id", .id, required: true, "the offer's id")]) { c throws(CDSError) in
            try c.db.store.offer(try c.params.requiredString("id")).json
        },
        Method("offer.update", "Changes the given fields of an offer, its status included.", mutating: true,
               [.init("id", .id, required: true, "the offer's id")] + fields(update: true)) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.updateOffer(try p.requiredString("id"), change: c.change) { (o: inout Offer) throws(CDSError) in try apply(p, to: &o) }.json
        },
        Method("offer.list", "Offers by member, organization, kind, status and skill, in creation order.",
               [.init("member", .id, "only this member's"), .init("organization", .id, "only this organization's"),
                .init("kind", .vocabulary(ResourceKind.self), "only this kind"), .init("status", .vocabulary(OfferStatus.self), "only this status"),
                .init("skill", .string(maxLength: 64), "only with this skill code"), Paging.limit, Paging.cursor]) { c throws(CDSError) in
            let p = c.params
            return Paging.json(try c.db.store.offers(member: p.string("member"), organization: p.string("organization"), kind: try p.term("kind", ResourceKind.self),
                                                     status: try p.term("status", OfferStatus.self), skill: p.string("skill"), limit: p.limit,
                                                     cursor: try p.sequenceCursor())) { $0.json }
        },
    ]
}
