import CDSCore
import GRDB

extension Store {
    static func fetchNeed(_ db: Database, _ id: String) throws -> Need? {
        try document(db, "need", id: id) { j throws(CDSError) in try Need(json: j) }
    }

    /// The need `id`, or `not_found`.
    public func need(_ id: String) throws(CDSError) -> Need {
        let n = try read { db in try Store.fetchNeed(db, id) }
        guard let n else { throw CDSError.notFound("need", id) }
        return n
    }

    static func checked(_ n: Need, _ db: Database) throws -> Need {
        var n = n
        n.description = try Validate.text(n.description, field: "description", max: Limits.note)
        try n.validate()
        try checkCodes(db, n.skills, dataset: "skills", field: "skills")
        try checkCodes(db, n.languages, dataset: "languages", field: "languages")
        if let c = n.quantity.currency { try checkCodes(db, [c], dataset: "currencies", field: "quantity.currency") }
        return n
    }

    static func save(_ n: Need, _ db: Database, insert: Bool) throws {
        let args: StatementArguments = [n.kind.rawValue, n.status.rawValue, n.critical ? 1 : 0, n.json.text, n.updatedAt.millisecondsSinceEpoch, n.id]
        if insert {
            try Store.exec(db, sql: "INSERT INTO need(kind, status, critical, doc, updated_at, id, project, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           arguments: args + [n.project, n.createdAt.millisecondsSinceEpoch])
        } else {
            try Store.exec(db, sql: "UPDATE need SET kind = ?, status = ?, critical = ?, doc = ?, updated_at = ? WHERE id = ?", arguments: args)
            try Store.exec(db, sql: "DELETE FROM need_skill WHERE need = ?", arguments: [n.id])
        }
        for s in n.skills { try Store.exec(db, sql: "INSERT INTO need_skill(need, skill) VALUES (?, ?)", arguments: [n.id, s]) }
    }

    /// Declares a need of a project that is not closed, filled by `edit` (its description and
    /// quantity at least: a draft has none); logs `need.created`.
    public func createNeed(project: String, change: Change = Change(), _ edit: (inout Need) throws(CDSError) -> Void) throws(CDSError) -> Need {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard let p = try Store.fetchProject(db, project) else { throw CDSError.invalid("project", "no project \"\(project)\"") }
            guard !p.stage.isTerminal else { throw CDSError(.conflict, "project \(p.code) is \(p.stage.rawValue): it takes no new need") }
            let at = change.at ?? now
            let id = Identifier.make("ned")
            var n = Need(id: id, project: project, kind: .skill, description: "", quantity: Quantity(unit: .personDays, amount: 0),
                         createdAt: at, updatedAt: at)
            try edit(&n)
            n.id = id
            n.project = project
            n.status = .open
            n.createdAt = at
            n.updatedAt = at
            n = try Store.checked(n, db)
            try Store.save(n, db, insert: true)
            try Store.appendEvent(db, type: .needCreated, subject: n.id, change: change, recordedAt: now, payload: NeedEvents.created(n))
            return n
        }
    }

    /// Applies `edit` to a need (its status included) and stores it if every rule holds;
    /// logs `need.updated` with the changed fields.
    public func updateNeed(_ id: String, change: Change = Change(), _ edit: (inout Need) throws(CDSError) -> Void) throws(CDSError) -> Need {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard let before = try Store.fetchNeed(db, id) else { throw CDSError.notFound("need", id) }
            var after = before
            try edit(&after)
            after.id = before.id
            after.project = before.project
            after.createdAt = before.createdAt
            after.updatedAt = change.at ?? now
            after = try Store.checked(after, db)
            try Store.save(after, db, insert: false)
            try Store.appendEvent(db, type: .needUpdated, subject: id, change: change, recordedAt: now, payload: NeedEvents.updated(before: before, after: after))
            return after
        }
    }

    /// Needs by project, status and kind, in creation order.
    public func needs(project: String? = nil, status: NeedStatus? = nil, kind: ResourceKind? = nil, limit: Int = 100, cursor: Int64 = 0) throws(CDSError) -> Page<Need> {
        try read { db in
            var w: [(String, [any DatabaseValueConvertible])] = []
            if let project { w.append(("project = ?", [project])) }
            if let status { w.append(("status = ?", [status.rawValue])) }
            if let kind { w.append(("kind = ?", [kind.rawValue])) }
            return try Store.documentPage(db, table: "need", where: w, limit: limit, cursor: cursor) { j throws(CDSError) in try Need(json: j) }
        }
    }
}
