import CDSCore
import GRDB

extension Store {
    static func resource(_ r: StoredRow) throws(CDSError) -> LearningResource {
        let tags = try r.json("tags")
        guard let list = tags.arrayValue?.compactMap(\.stringValue), list.count == tags.arrayValue?.count else { throw r.damage("tags", "is not a list of tags") }
        return LearningResource(id: try r.text("id"), space: try r.text("space"), kind: try r.code("kind", LearningResourceKind.self), title: try r.text("title"),
                                description: try r.optionalText("description"), url: try r.optionalText("url"), language: try r.text("language"),
                                original: try r.optionalText("original"), sector: try r.optionalText("sector"), tags: list, createdBy: try r.optionalText("created_by"),
                                createdAt: try r.instant("created_at"))
    }

    static func fetchResource(_ db: Database, _ id: String) throws -> LearningResource? {
        try storedRow(db, "resource", sql: "SELECT * FROM resource WHERE id = ?", arguments: [id]).map { r throws(CDSError) in try resource(r) }
    }

    /// The resource `id` and its translations (or, for a translation, the other ones of its original), or `not_found`.
    public func learningResource(_ id: String) throws(CDSError) -> (resource: LearningResource, translations: [LearningResource]) {
        try read { db in
            guard let r = try Store.fetchResource(db, id) else { throw CDSError.notFound("resource", id) }
            let root = r.original ?? r.id
            let family = try Store.storedRows(db, "resource", sql: "SELECT * FROM resource WHERE (id = ? OR original = ?) AND id != ? ORDER BY seq",
                                              arguments: [root, root, id]).map { x throws(CDSError) in try Store.resource(x) }
            return (r, family)
        }
    }

    /// Adds a resource to a space, by a facilitator of the space or staff: its language, sector
    /// and the original it translates are checked; one translation per language. Logs `resource.created`.
    public func createResource(_ draft: LearningResource, by reader: Reader, change: Change = Change()) throws(CDSError) -> LearningResource {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            var r = draft
            r.id = Identifier.make("res")
            r.createdAt = change.at ?? now
            r.createdBy = change.actor
            r.title = try Validate.text(r.title, field: "title", max: Limits.name)
            r.description = try Validate.optionalText(r.description, field: "description", max: Limits.note)
            r.url = try Validate.optionalText(r.url, field: "url", max: Limits.url)
            r.tags = try r.tags.map { t throws(CDSError) in try Validate.text(t, field: "tags", max: 64) }
            try r.validate()
            guard try Store.exists(db, "learning_space", r.space) else { throw CDSError.invalid("space", "no learning space \"\(r.space)\"") }
            guard try Store.moderates(db, space: r.space, reader) else {
                throw CDSError(.forbidden, "only a facilitator of the space or staff adds its resources", details: ["rule": "space.facilitator", "space": .string(r.space)])
            }
            try Store.checkCodes(db, [r.language], dataset: "languages", field: "language")
            if let s = r.sector { try Store.checkCodes(db, [s], dataset: "pac_sectors", field: "sector") }
            if let o = r.original {
                guard let original = try Store.fetchResource(db, o) else { throw CDSError.invalid("original", "no resource \"\(o)\"") }
                try r.checkTranslation(of: original)
                if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM resource WHERE original = ? AND language = ?)", arguments: [o, r.language]) == true {
                    throw CDSError(.conflict, "resource \(o) has a translation in \(r.language) already", details: ["field": "language"])
                }
            }
            try Store.exec(db, sql: """
                INSERT INTO resource(id, space, kind, title, description, url, language, original, sector, tags, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [r.id, r.space, r.kind.rawValue, r.title, r.description, r.url, r.language, r.original, r.sector, JSON.strings(r.tags).text,
                                 r.createdBy, r.createdAt.millisecondsSinceEpoch])
            try Store.appendEvent(db, type: .resourceCreated, subject: r.id, change: change, recordedAt: now, payload: ResourceEvents.created(r))
            return r
        }
    }

    /// Resources by space, kind, language, sector and tag, in creation order.
    public func learningResources(space: String?, kind: LearningResourceKind?, language: String?, sector: String?, tag: String?,
                                  limit: Int = 100, cursor: Int64 = 0) throws(CDSError) -> Page<LearningResource> {
        try read { db in
            var sql = "SELECT * FROM resource WHERE seq > ?"
            var args: [any DatabaseValueConvertible] = [cursor]
            if let space { sql += " AND space = ?"; args.append(space) }
            if let kind { sql += " AND kind = ?"; args.append(kind.rawValue) }
            if let language { sql += " AND language = ?"; args.append(language) }
            if let sector { sql += " AND sector = ?"; args.append(sector) }
            if let tag { sql += " AND EXISTS (SELECT 1 FROM json_each(tags) WHERE value = ?)"; args.append(tag) }
            sql += " ORDER BY seq LIMIT ?"
            args.append(limit + 1)
            let rows = try Store.storedRows(db, "resource", sql: sql, arguments: StatementArguments(args))
                .map { r throws(CDSError) in (seq: try r.value("seq", Int64.self), resource: try Store.resource(r)) }
            let page = Store.page(rows, limit: limit) { String($0.seq) }
            return Page(items: page.items.map(\.resource), nextCursor: page.nextCursor)
        }
    }

    /// Records that a member viewed or downloaded a resource (of a space by invitation: a
    /// member of it, or staff); logs `resource.used`.
    public func useResource(_ id: String, member: String, action: ResourceUse, by reader: Reader, change: Change = Change()) throws(CDSError) -> JSON {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard let r = try Store.fetchResource(db, id) else { throw CDSError.notFound("resource", id) }
            try Store.requireLiveMember(db, member, field: "member")
            guard let s = try Store.fetchSpace(db, r.space) else { throw StoredRow.damage("resource", "space", "no learning space \"\(r.space)\"") }
            if s.access == .invitation, try !Store.moderates(db, space: s.id, reader) { try Store.requireInSpace(db, space: s.id, member: member) }
            let at = change.at ?? now
            try Store.exec(db, sql: "INSERT INTO resource_use(resource, member, action, used_at) VALUES (?, ?, ?, ?)", arguments: [id, member, action.rawValue, at.millisecondsSinceEpoch])
            try Store.appendEvent(db, type: .resourceUsed, subject: id, change: change, recordedAt: now, payload: ResourceEvents.used(r, member: member, action: action))
            return ["resource": .string(id), "member": .string(member), "action": .string(action.rawValue), "at": .string(at.description)]
        }
    }
}
