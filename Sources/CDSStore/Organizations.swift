import CDSCore
import GRDB

extension Store {
    /// An organization as stored, or the `storage` error of its damaged column.
    static func organization(_ r: StoredRow) throws(CDSError) -> Organization {
        guard let list = try r.json("sectors").arrayValue else { throw r.damage("sectors", "not a JSON array") }
        let sectors = try list.map { s throws(CDSError) in
            guard let code = s.stringValue else { throw r.damage("sectors", "\(s.text) is not a sector code") }
            return code
        }
        var o = Organization(id: try r.text("id"), kind: try r.code("kind", OrganizationKind.self), name: try r.text("name"),
                            country: try r.text("country"), territory: try r.optionalText("territory"), city: try r.optionalText("city"),
                            email: try r.optionalText("email"), website: try r.optionalText("website"), sectors: sectors,
                            createdAt: try r.instant("created_at"), updatedAt: try r.instant("updated_at"))
        o.iatiRef = try r.optionalText("iati_ref")
        return o
    }

    static func fetchOrganization(_ db: Database, _ id: String) throws -> Organization? {
        try storedRow(db, "organization", sql: "SELECT * FROM organization WHERE id = ?", arguments: [id]).map { r throws(CDSError) in try Store.organization(r) }
    }

    /// The organization `id`, or `not_found`.
    public func organization(_ id: String) throws(CDSError) -> Organization {
        let o = try read { db in try Store.fetchOrganization(db, id) }
        guard let o else { throw CDSError.notFound("organization", id) }
        return o
    }

    /// Cleans and checks an organization against the rules and the reference data.
    static func checked(_ o: Organization, _ db: Database) throws -> Organization {
        var o = o
        let level = try o.territory.map { try territoryLevel(db, $0, field: "territory") }
        try o.validate(seatLevel: level)
        o.name = try Validate.text(o.name, field: "name", max: Limits.name)
        o.city = try Validate.optionalText(o.city, field: "city", max: Limits.city)
        o.email = try Validate.email(o.email)
        o.website = try Validate.optionalText(o.website, field: "website", max: Limits.url)
        o.sectors = try Validate.unique(o.sectors, field: "sectors")
        o.iatiRef = try Validate.optionalText(o.iatiRef, field: "iati_ref", max: 100)
        try checkCodes(db, [o.country], dataset: "countries", field: "country")
        try checkCodes(db, o.sectors, dataset: "pac_sectors", field: "sectors")
        if o.kind.isCollectivity, let t = o.territory,
            let other = try storedRow(db, "organization", sql: "SELECT id FROM organization WHERE kind = ? AND territory = ? AND id != ?",
                                      arguments: [o.kind.rawValue, t, o.id])?.text("id") {
            throw CDSError(.conflict, "territory \(t) already has its \(o.kind.rawValue): \(other)", details: ["existing": .string(other)])
        }
        return o
    }

    static func save(_ o: Organization, _ db: Database, insert: Bool) throws {
        let search = Text.fold(o.name) + " " + Text.fold(o.city ?? "")
        let args: StatementArguments = [o.kind.rawValue, o.name, o.country, o.territory, o.city, o.email, o.website,
                                        JSON.strings(o.sectors).text, o.iatiRef, search, o.updatedAt.millisecondsSinceEpoch, o.id]
        if insert {
            try Store.exec(db, sql: """
                INSERT INTO organization(kind, name, country, territory, city, email, website, sectors, iati_ref, search, updated_at, id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: args + [o.createdAt.millisecondsSinceEpoch])
        } else {
            try Store.exec(db, sql: """
                UPDATE organization SET kind = ?, name = ?, country = ?, territory = ?, city = ?, email = ?, website = ?, sectors = ?,
                  iati_ref = ?, search = ?, updated_at = ? WHERE id = ?
                """, arguments: args)
        }
    }

    /// Creates an organization filled by `edit` (its kind, and its name unless it is a commune,
    /// whose name defaults to "Commune de" and its territory's name); logs `organization.created`.
    public func createOrganization(change: Change = Change(), _ edit: (inout Organization) throws(CDSError) -> Void) throws(CDSError) -> Organization {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            let at = change.at ?? now
            let id = Identifier.make("org")
            var o = Organization(id: id, kind: .ngo, name: "", country: "MA", territory: nil, city: nil, email: nil, website: nil, sectors: [],
                                 createdAt: at, updatedAt: at)
            try edit(&o)
            o.id = id
            o.createdAt = at
            o.updatedAt = at
            if Validate.trimmed(o.name).isEmpty, o.kind == .commune, let t = o.territory,
                let fr = try Store.storedRow(db, "territory", sql: "SELECT name_fr FROM territory WHERE code = ?", arguments: [t])?.text("name_fr") {
                o.name = Organization.communeName(fr)
            }
            if Validate.trimmed(o.name).isEmpty, o.kind != .commune { throw CDSError.invalid("name", "is required") }
            o = try Store.checked(o, db)
            try Store.save(o, db, insert: true)
            try Store.appendEvent(db, type: .organizationCreated, subject: o.id, change: change, recordedAt: now, payload: OrganizationEvents.created(o))
            return o
        }
    }

    /// Applies `edit` to the organization, checks the result, stores it and logs the
    /// changed fields (`organization.updated`). Nothing is stored if a rule fails.
    public func updateOrganization(_ id: String, change: Change = Change(), _ edit: (inout Organization) throws(CDSError) -> Void) throws(CDSError) -> Organization {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard let before = try Store.fetchOrganization(db, id) else { throw CDSError.notFound("organization", id) }
            var after = before
            try edit(&after)
            after.id = before.id
            after.createdAt = before.createdAt
            after.updatedAt = change.at ?? now
            after = try Store.checked(after, db)
            try Store.save(after, db, insert: false)
            try Store.appendEvent(db, type: .organizationUpdated, subject: id, change: change, recordedAt: now,
                                  payload: OrganizationEvents.updated(before: before, after: after))
            return after
        }
    }

    /// Organizations by kind, country, territory (a region or province includes what lies
    /// below it) and a name search, in creation order.
    public func organizations(kind: OrganizationKind? = nil, country: String? = nil, territory: String? = nil, query: String? = nil,
                              limit: Int = 100, cursor: Int64 = 0) throws(CDSError) -> Page<Organization> {
        try read { db in
            var sql = "SELECT * FROM organization WHERE seq > ?"
            var args: [any DatabaseValueConvertible] = [cursor]
            if let kind { sql += " AND kind = ?"; args.append(kind.rawValue) }
            if let country { sql += " AND country = ?"; args.append(country) }
            if let territory {
                _ = try Store.territoryLevel(db, territory, field: "territory")
                sql += " AND (territory = ? OR territory LIKE ?)"; args.append(territory); args.append(territory + ".%")
            }
            if let query { sql += " AND search LIKE ? ESCAPE '\\'"; args.append(Store.likePattern(query)) }
            sql += " ORDER BY seq LIMIT ?"
            args.append(limit + 1)
            let rows = try Store.storedRows(db, "organization", sql: sql, arguments: StatementArguments(args))
                .map { r throws(CDSError) in (seq: try r.value("seq", Int64.self), organization: try Store.organization(r)) }
            let page = Store.page(rows, limit: limit) { String($0.seq) }
            return Page(items: page.items.map(\.organization), nextCursor: page.nextCursor)
        }
    }
}
