import CDSCore
import GRDB

extension Store {
    static func fetchOffer(_ db: Database, _ id: String) throws -> Offer? {
        try document(db, "offer", id: id) { j throws(CDSError) in try Offer(json: j) }
    }

    /// The offer `id`, or `not_found`.
    public func offer(_ id: String) throws(CDSError) -> Offer {
        let o = try read { db in try Store.fetchOffer(db, id) }
        guard let o else { throw CDSError.notFound("offer", id) }
        return o
    }

    /// Checks an offer against the rules and the reference data.
    static func checked(_ o: Offer, _ db: Database) throws -> Offer {
        var o = o
        o.description = try Validate.optionalText(o.description, field: "description", max: Limits.note)
        try o.validate()
        if let m = o.member, try !exists(db, "member", m) { throw CDSError.invalid("member", "no member \"\(m)\"") }
        if let g = o.organization, try !exists(db, "organization", g) { throw CDSError.invalid("organization", "no organization \"\(g)\"") }
        try checkCodes(db, o.skills, dataset: "skills", field: "skills")
        try checkCodes(db, o.languages, dataset: "languages", field: "languages")
        try checkCodes(db, o.sectors, dataset: "pac_sectors", field: "sectors")
        for (n, t) in o.territories.enumerated() { _ = try territoryLevel(db, t, field: "territories[\(n)]") }
        if let c = o.capacity.currency { try checkCodes(db, [c], dataset: "currencies", field: "capacity.currency") }
        return o
    }

    static func save(_ o: Offer, _ db: Database, insert: Bool) throws {
        if insert {
            try Store.exec(db, sql: "INSERT INTO offer(id, member, organization, kind, status, doc, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           arguments: [o.id, o.member, o.organization, o.kind.rawValue, o.status.rawValue, o.json.text,
                                       o.createdAt.millisecondsSinceEpoch, o.updatedAt.millisecondsSinceEpoch])
        } else {
            try Store.exec(db, sql: "UPDATE offer SET kind = ?, status = ?, doc = ?, updated_at = ? WHERE id = ?",
                           arguments: [o.kind.rawValue, o.status.rawValue, o.json.text, o.updatedAt.millisecondsSinceEpoch, o.id])
            try Store.exec(db, sql: "DELETE FROM offer_skill WHERE offer = ?", arguments: [o.id])
        }
        for s in o.skills { try Store.exec(db, sql: "INSERT INTO offer_skill(offer, skill) VALUES (?, ?)", arguments: [o.id, s]) }
    }

    /// Puts an offer on the table, filled by `edit` (its capacity at least: a draft has none); logs `offer.created`.
    public func createOffer(member: String?, organization: String?, kind: ResourceKind, change: Change = Change(),
                            _ edit: (inout Offer) throws(CDSError) -> Void) throws(CDSError) -> Offer {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            let at = change.at ?? now
            let id = Identifier.make("ofr")
            var o = Offer(id: id, member: member, organization: organization, kind: kind, description: nil, skills: [],
                          capacity: Quantity(unit: kind.isMoney ? .money : .personDays, amount: 0), windows: [], remote: true, onSite: false, languages: [], territories: [], sectors: [],
                          contactConsent: false, createdAt: at, updatedAt: at)
            try edit(&o)
            o.id = id
            o.status = .active
            o = try Store.checked(o, db)
            try Store.save(o, db, insert: true)
            try Store.appendEvent(db, type: .offerCreated, subject: o.id, change: change, recordedAt: now, payload: OfferEvents.created(o))
            return o
        }
    }

    /// Applies `edit` to an offer (its status included) and stores it if every rule holds;
    /// logs `offer.updated` with the changed fields.
    public func updateOffer(_ id: String, change: Change = Change(), _ edit: (inout Offer) throws(CDSError) -> Void) throws(CDSError) -> Offer {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard let before = try Store.fetchOffer(db, id) else { throw CDSError.notFound("offer", id) }
            var after = before
            try edit(&after)
            after.id = before.id
            after.member = before.member
            after.organization = before.organization
            after.createdAt = before.createdAt
            after.updatedAt = change.at ?? now
            after = try Store.checked(after, db)
            try Store.save(after, db, insert: false)
            try Store.appendEvent(db, type: .offerUpdated, subject: id, change: change, recordedAt: now, payload: OfferEvents.updated(before: before, after: after))
            return after
        }
    }

    /// Offers by member, organization, kind, status and skill, in creation order.
    public func offers(member: String? = nil, organization: String? = nil, kind: ResourceKind? = nil, status: OfferStatus? = nil, skill: String? = nil,
                       limit: Int = 100, cursor: Int64 = 0) throws(CDSError) -> Page<Offer> {
        try read { db in
            var w: [(String, [any DatabaseValueConvertible])] = []
            if let member { w.append(("member = ?", [member])) }
            if let organization { w.append(("organization = ?", [organization])) }
            if let kind { w.append(("kind = ?", [kind.rawValue])) }
            if let status { w.append(("status = ?", [status.rawValue])) }
            if let skill { w.append(("EXISTS (SELECT 1 FROM offer_skill s WHERE s.offer = offer.id AND s.skill = ?)", [skill])) }
            return try Store.documentPage(db, table: "offer", where: w, limit: limit, cursor: cursor) { j throws(CDSError) in try Offer(json: j) }
        }
    }
}
