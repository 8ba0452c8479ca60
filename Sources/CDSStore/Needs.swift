import CDSCore
import GRDB

/// What a new need is made of (the store gives the id, status and times).
public struct NewNeed: Sendable {
    public var project: String
    public var kind: ResourceKind
    public var description: String
    public var skills: [String]
    public var quantity: Quantity
    public var from: LocalDate?
    public var until: LocalDate?
    public var mode: WorkMode
    public var languages: [String]
    public var critical: Bool

    /// A new need of a project.
    public init(project: String, kind: ResourceKind, description: String, skills: [String] = [], quantity: Quantity,
                from: LocalDate? = nil, until: LocalDate? = nil, mode: WorkMode = .either, languages: [String] = [], critical: Bool = false) {
        self.project = project; self.kind = kind; self.description = description; self.skills = skills; self.quantity = quantity
        self.from = from; self.until = until; self.mode = mode; self.languages = languages; self.critical = critical
    }
}

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
            try db.execute(sql: "INSERT INTO need(kind, status, critical, doc, updated_at, id, project, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           arguments: args + [n.project, n.createdAt.millisecondsSinceEpoch])
        } else {
            try db.execute(sql: "UPDATE need SET kind = ?, status = ?, critical = ?, doc = ?, updated_at = ? WHERE id = ?", arguments: args)
            try db.execute(sql: "DELETE FROM need_skill WHERE need = ?", arguments: [n.id])
        }
        for s in n.skills { try db.execute(sql: "INSERT INTO need_skill(need, skill) VALUES (?, ?)", arguments: [n.id, s]) }
    }

    /// Declares a need of a project that is not closed; logs `need.created`.
    public func createNeed(_ new: NewNeed, change: Change = Change()) throws(CDSError) -> Need {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard let p = try Store.fetchProject(db, new.project) else { throw CDSError.invalid("project", "no project \"\(new.project)\"") }
            guard !p.stage.isTerminal else { throw CDSError(.conflict, "project \(p.code) is \(p.stage.rawValue): it takes no new need") }
            let at = change.at ?? now
            let n = try Store.checked(Need(id: Identifier.make("ned"), project: new.project, kind: new.kind, description: new.description,
                                           skills: new.skills, quantity: new.quantity, from: new.from, until: new.until, mode: new.mode,
                                           languages: new.languages, critical: new.critical, createdAt: at, updatedAt: at), db)
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
