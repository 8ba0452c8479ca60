import CDSCore
import GRDB

/// Filters of `project.list`.
public struct ProjectFilter: Sendable {
    /// Only projects at this stage.
    public var stage: Stage?
    /// Only projects in this territory (a province or region includes its communes).
    public var territory: String?
    /// Only this PAC sector.
    public var sector: String?
    /// Only projects of this ADC.
    public var adc: String?
    /// Title or code contains.
    public var query: String?
    /// Filters; nil fields do not filter.
    public init(stage: Stage? = nil, territory: String? = nil, sector: String? = nil, adc: String? = nil, query: String? = nil) {
        self.stage = stage; self.territory = territory; self.sector = sector; self.adc = adc; self.query = query
    }
}

/// The answer of `project.checklist`.
public struct Checklist: Sendable {
    /// The project.
    public var project: Project
    /// The stage checked (nil when the project is closed).
    public var target: Stage?
    /// Every requirement of the target not met, in order.
    public var missing: [Requirement]
    /// The requirements of the target that are met.
    public var met: [Requirement]
    /// Share of the requirements of the next stage that are met.
    public var readiness: Double
    /// The co-financing rules the plan breaks that keep it from the target (`ready`, `funded`).
    public var brokenRules: [RuleOutcome] = []
}

/// A transition refused: every unmet requirement at once, labelled in fr, ar and en.
func refusedTransition(_ from: Stage, _ to: Stage, _ missing: [Requirement], broken: [RuleOutcome] = []) -> CDSError {
    let rules: [JSON] = broken.map { b in
        var o = b.json(.fr).objectValue ?? JSONObject()
        o["labels"] = b.labels.json
        return .object(o)
    }
    return CDSError(.transitionNotAllowed, "the project cannot move from \(from.rawValue) to \(to.rawValue): \(missing.count + broken.count) requirement(s) unmet",
                    details: ["from": .string(from.rawValue), "to": .string(to.rawValue),
                              "missing": .array(missing.map { ["key": .string($0.rawValue), "label": .string($0.labels.fr), "labels": $0.labels.json] } + rules)])
}

extension Store {
    static func fetchProject(_ db: Database, _ id: String) throws -> Project? {
        try document(db, "project", id: id) { j throws(CDSError) in try Project(json: j) }
    }

    /// The project `id`, or `not_found`.
    public func project(_ id: String) throws(CDSError) -> Project {
        let p = try read { db in try Store.fetchProject(db, id) }
        guard let p else { throw CDSError.notFound("project", id) }
        return p
    }

    /// Checks a project's references against the database and fills what follows from them.
    static func checked(_ p: Project, _ db: Database) throws -> Project {
        var p = p
        try p.validate()
        for (n, c) in p.communes.enumerated() where try territoryLevel(db, c, field: "communes[\(n)]") != .commune {
            throw CDSError.invalid("communes[\(n)]", "\(c) is not a commune")
        }
        if let s = p.sector {
            try checkCodes(db, [s], dataset: "pac_sectors", field: "sector")
            if p.dacCode == nil,
                let extra = try storedRow(db, "reference_item", sql: "SELECT extra FROM reference_item WHERE dataset = 'pac_sectors' AND code = ?", arguments: [s])?.json("extra") {
                // A sector without DAC codes leaves the project's DAC code to the caller.
                p.dacCode = extra["dac5_codes"]?.arrayValue?.first?.stringValue
            }
        }
        if let d = p.dacCode { try checkCodes(db, [d], dataset: "dac_sectors", field: "dac_code") }
        if let o = p.leadOrganization, try !exists(db, "organization", o) { throw CDSError.invalid("lead_organization", "no organization \"\(o)\"") }
        for (n, x) in p.partners.enumerated() where try !exists(db, "organization", x.organization) {
            throw CDSError.invalid("partners[\(n)].organization", "no organization \"\(x.organization)\"")
        }
        for (n, s) in p.fundingPlan.enumerated() {
            if let o = s.organization, try !exists(db, "organization", o) { throw CDSError.invalid("funding_plan[\(n)].organization", "no organization \"\(o)\"") }
            try checkCodes(db, [s.amount.currency], dataset: "currencies", field: "funding_plan[\(n)].amount.currency")
        }
        if let b = p.budget { try checkCodes(db, [b.currency], dataset: "currencies", field: "budget.currency") }
        try checkProgrammes(db, p)
        if let a = p.adc {
            guard try exists(db, "member", a) else { throw CDSError.invalid("adc", "no member \"\(a)\"") }
            guard try roles(db, a).contains(.adc) else { throw CDSError.invalid("adc", "member \(a) is not an ADC") }
        }
        if let who = p.proposer, try !exists(db, "member", who), try !exists(db, "organization", who) {
            throw CDSError.invalid("proposer", "no member or organization \"\(who)\"")
        }
        if let other = try storedRow(db, "project", sql: "SELECT id FROM project WHERE code = ? AND id != ?", arguments: [p.code, p.id])?.text("id") {
            throw CDSError(.conflict, "another project has the code \(p.code)", details: ["field": "code", "existing": .string(other)])
        }
        // An endorsement belongs to a commune of the project.
        p.endorsements = p.endorsements.filter { p.communes.contains($0.commune) }
        return p
    }

    static func roles(_ db: Database, _ member: String) throws -> [Role] {
        try storedRows(db, "member_role", sql: "SELECT role FROM member_role WHERE member = ? ORDER BY position", arguments: [member])
            .map { r throws(CDSError) in try r.code("role", Role.self) }
    }

    static func save(_ p: Project, _ db: Database, insert: Bool) throws {
        let search = ([p.code] + p.title.entries.map(\.text)).map(Text.fold).joined(separator: " ")
        let args: StatementArguments = [p.code, p.stage.rawValue, p.sector, p.adc, p.leadOrganization, p.json.text, search,
                                        p.updatedAt.millisecondsSinceEpoch, p.id]
        if insert {
            try Store.exec(db, sql: """
                INSERT INTO project(code, stage, sector, adc, lead_organization, doc, search, updated_at, id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: args + [p.createdAt.millisecondsSinceEpoch])
        } else {
            try Store.exec(db, sql: """
                UPDATE project SET code = ?, stage = ?, sector = ?, adc = ?, lead_organization = ?, doc = ?, search = ?, updated_at = ?
                WHERE id = ?
                """, arguments: args)
            try Store.exec(db, sql: "DELETE FROM project_commune WHERE project = ?", arguments: [p.id])
        }
        for c in p.communes {
            try Store.exec(db, sql: "INSERT INTO project_commune(project, commune) VALUES (?, ?)", arguments: [p.id, c])
        }
    }

    /// Refuses an `at` that would put an event before the last one about the same subject.
    static func checkChronology(_ db: Database, subject: String, at: Instant?) throws {
        guard let at else { return }
        if let last = try storedRow(db, "event", sql: "SELECT MAX(occurred_at) AS occurred_at FROM event WHERE subject = ?", arguments: [subject])?
            .optionalInstant("occurred_at"), at < last {
            throw CDSError.invalid("at", "would put this event before the previous one of \(subject) (\(last))")
        }
    }

    /// A free project code: `P-2026-001`, then the next number.
    static func freeCode(_ db: Database, year: Int) throws -> String {
        var n = (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM project") ?? 0) + 1
        while true {
            let digits = String(n)
            let code = "P-\(year)-" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM project WHERE code = ?)", arguments: [code]) != true { return code }
            n += 1
        }
    }

    /// Creates a project at the idea stage, filled by `edit`; logs `project.created`.
    public func createProject(change: Change = Change(), _ edit: (inout Project) throws(CDSError) -> Void) throws(CDSError) -> Project {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            let at = change.at ?? now
            let id = Identifier.make("prj")
            var p = Project(id: id, code: "", title: LocalizedText(), at: at)
            try edit(&p)
            if Validate.trimmed(p.code).isEmpty { p.code = try Store.freeCode(db, year: at.date.year) }
            p.id = id
            p.createdAt = at
            p.updatedAt = at
            p.progress = 0
            p.reports = []
            p.stage = .idea
            p.onHoldFrom = nil
            p.closedReason = nil
            p.endorsements = []
            p = try Store.checked(p, db)
            try Store.save(p, db, insert: true)
            try Store.appendEvent(db, type: .projectCreated, subject: p.id, change: change, recordedAt: now, payload: ProjectEvents.created(p))
            return p
        }
    }

    /// Applies `edit` to the project and stores it if every rule holds; logs the changed
    /// fields (`project.updated`). The stage, endorsements and closing reason change only
    /// through their methods; notes and progress reports are only appended.
    public func updateProject(_ id: String, change: Change = Change(), _ edit: (inout Project) throws(CDSError) -> Void) throws(CDSError) -> Project {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard let before = try Store.fetchProject(db, id) else { throw CDSError.notFound("project", id) }
            guard !before.stage.isTerminal else { throw CDSError(.conflict, "project \(before.code) is \(before.stage.rawValue): it can no longer change") }
            try Store.checkChronology(db, subject: id, at: change.at)
            var after = before
            try edit(&after)
            guard after.notes.starts(with: before.notes), after.reports.starts(with: before.reports) else {
                throw CDSError.invalid("notes", "notes and progress reports are only appended")
            }
            after.id = before.id
            after.stage = before.stage
            after.onHoldFrom = before.onHoldFrom
            after.closedReason = before.closedReason
            after.endorsements = before.endorsements
            after.createdAt = before.createdAt
            after.updatedAt = change.at ?? now
            if let last = after.reports.last, after.reports.count > before.reports.count { after.progress = last.progress }
            after = try Store.checked(after, db)
            try Store.save(after, db, insert: false)
            try Store.appendEvent(db, type: .projectUpdated, subject: id, change: change, recordedAt: now, payload: ProjectEvents.changed(before: before, after: after))
            return after
        }
    }

    static func facts(_ db: Database, _ p: Project, on day: LocalDate) throws -> ProjectFacts {
        let breaches = FundingCheck.breaches(p, try fundingContext(db, p, on: day))
        let needs = try documents(db, "need", sql: "SELECT doc FROM need WHERE project = ? AND status != 'cancelled' ORDER BY seq", arguments: [p.id],
                                  { j throws(CDSError) in try Need(json: j) })
        let contributed = try p.budget.map { try contributedFinance(db, project: p.id, currency: $0.currency) } ?? 0
        return ProjectFacts(project: p, needs: needs, contributedFinance: contributed, programmeBreaches: breaches)
    }

    /// What the project lacks to reach `target` (default: the next stage, or the stage an
    /// on-hold project left), and its readiness score. Changes nothing.
    public func checklist(_ id: String, target: Stage? = nil) throws(CDSError) -> Checklist {
        try read { db in
            guard let p = try Store.fetchProject(db, id) else { throw CDSError.notFound("project", id) }
            let facts = try Store.facts(db, p, on: now.date)
            let t = target ?? (p.stage == .onHold ? p.onHoldFrom : p.stage.next)
            let missing = t.map { p.stage.isTerminal ? [.stageTerminal] : Requirement.unmet(for: $0, facts) } ?? []
            let all = t.map(Requirement.required(for:)) ?? []
            let broken = p.stage.isTerminal ? [] : t.map { Workflow.brokenRules(to: $0, facts) } ?? []
            return Checklist(project: p, target: t, missing: missing, met: all.filter { !missing.contains($0) }, readiness: Workflow.readiness(facts), brokenRules: broken)
        }
    }

    /// Moves the project to `to` if the actor may and every requirement is met; otherwise
    /// `forbidden`, or `transition_not_allowed` with every unmet requirement, and nothing
    /// changes. Logs `project.transitioned` with from, to and the note.
    public func transitionProject(_ id: String, to: Stage, note: String?, change: Change) throws(CDSError) -> Project {
        let now = self.now
        return try write { db in
            guard let actor = change.actor else { throw CDSError.invalid("actor", "is required: the member who moves the project") }
            try Store.checkActor(db, change)
            guard let before = try Store.fetchProject(db, id) else { throw CDSError.notFound("project", id) }
            let roles = try Store.roles(db, actor)
            guard Workflow.mayMove(actorRoles: roles, actorIsProjectADC: before.adc == actor) else {
                throw CDSError(.forbidden, "only the project's ADC, a facilitator or an admin moves a project",
                               details: ["rule": "workflow.mover", "actor": .string(actor), "roles": .strings(roles.map(\.rawValue))])
            }
            try Store.checkChronology(db, subject: id, at: change.at)
            let note = try Validate.optionalText(note, field: "note", max: Limits.note)
            let facts = try Store.facts(db, before, on: (change.at ?? now).date)
            let missing = Workflow.missing(to: to, facts, reason: note)
            let broken = before.stage.isTerminal ? [] : Workflow.brokenRules(to: to, facts)
            guard missing.isEmpty, broken.isEmpty else { throw refusedTransition(before.stage, to, missing, broken: broken) }
            var after = before
            switch to {
            case .onHold: after.onHoldFrom = before.stage
            case .rejected, .abandoned: after.closedReason = note; after.onHoldFrom = nil
            default: after.onHoldFrom = nil
            }
            after.stage = to
            after.updatedAt = change.at ?? now
            try Store.save(after, db, insert: false)
            let payload = ProjectTransitioned.payload(changes: ProjectEvents.changed(before: before, after: after), from: before.stage, to: to, note: note)
            try Store.appendEvent(db, type: ProjectTransitioned.type, subject: id, change: change, recordedAt: now, payload: payload)
            return after
        }
    }

    /// Records a commune's endorsement, by a representative of the commune (a member of
    /// the commune's organization); logs `project.endorsed`.
    public func endorseProject(_ id: String, commune: String?, on day: LocalDate, reference: String?, change: Change) throws(CDSError) -> Project {
        let now = self.now
        return try write { db in
            guard let actor = change.actor else { throw CDSError.invalid("actor", "is required: the commune's representative") }
            try Store.checkActor(db, change)
            guard let before = try Store.fetchProject(db, id) else { throw CDSError.notFound("project", id) }
            guard !before.stage.isTerminal else { throw CDSError(.conflict, "project \(before.code) is \(before.stage.rawValue): it can no longer change") }
            try Store.checkChronology(db, subject: id, at: change.at)
            let represented = try Store.storedRows(db, "organization", sql: """
                SELECT o.territory AS territory FROM membership m JOIN organization o ON o.id = m.organization
                WHERE m.member = ? AND o.kind = 'commune'
                """, arguments: [actor]).map { r throws(CDSError) in try r.text("territory") }.filter(before.communes.contains)
            let c: String
            if let commune {
                guard before.communes.contains(commune) else { throw CDSError.invalid("commune", "\(commune) is not a commune of the project") }
                c = commune
            } else {
                guard let only = represented.first else {
                    throw CDSError(.forbidden, "only a representative of a commune of the project records its endorsement", details: ["rule": "endorsement.representative", "actor": .string(actor)])
                }
                c = only
            }
            guard represented.contains(c) else {
                throw CDSError(.forbidden, "member \(actor) does not represent the commune \(c)", details: ["rule": "endorsement.representative", "actor": .string(actor), "commune": .string(c)])
            }
            var after = before
            after.endorsements.removeAll { $0.commune == c }
            after.endorsements.append(Endorsement(commune: c, by: actor, on: day, reference: try Validate.optionalText(reference, field: "reference", max: Limits.reference)))
            after.updatedAt = change.at ?? now
            try Store.save(after, db, insert: false)
            try Store.appendEvent(db, type: .projectEndorsed, subject: id, change: change, recordedAt: now, payload: ProjectEvents.changed(before: before, after: after))
            return after
        }
    }

    /// Projects by stage, territory (a province or region includes its communes), sector,
    /// ADC and a title search, in creation order.
    public func projects(_ f: ProjectFilter = ProjectFilter(), limit: Int = 100, cursor: Int64 = 0) throws(CDSError) -> Page<Project> {
        try read { db in
            var w: [(String, [any DatabaseValueConvertible])] = []
            if let s = f.stage { w.append(("stage = ?", [s.rawValue])) }
            if let s = f.sector { w.append(("sector = ?", [s])) }
            if let a = f.adc { w.append(("adc = ?", [a])) }
            if let t = f.territory {
                _ = try Store.territoryLevel(db, t, field: "territory")
                w.append(("EXISTS (SELECT 1 FROM project_commune c WHERE c.project = project.id AND (c.commune = ? OR c.commune LIKE ?))", [t, t + ".%"]))
            }
            if let q = f.query { w.append(("search LIKE ? ESCAPE '\\'", [Store.likePattern(q)])) }
            return try Store.documentPage(db, table: "project", where: w, limit: limit, cursor: cursor) { j throws(CDSError) in try Project(json: j) }
        }
    }

    /// The events of a project and of its needs, oldest first.
    public func projectHistory(_ id: String, after: Int64 = 0, limit: Int = 100) throws(CDSError) -> Page<EventRecord> {
        guard try read({ db in try Store.exists(db, "project", id) }) else { throw CDSError.notFound("project", id) }
        return try events(subjects: "SELECT ? UNION SELECT id FROM need WHERE project = ?", arguments: [id, id], after: after, limit: limit)
    }

    /// The project's state rebuilt from its events alone (every field but `updated_at`).
    public func replayProject(_ id: String) throws(CDSError) -> JSON {
        try read { db in
            guard let state = try Store.projectState(db, id, before: nil) else { throw CDSError.notFound("project", id) }
            return .object(state)
        }
    }

    /// The fields of project `id` folded from its events, oldest first: all of them, or (`before`,
    /// milliseconds of business time) its creation and the changes that happened before then.
    /// Nil when it has no event, or was not created before `before`.
    static func projectState(_ db: Database, _ id: String, before end: Int64?) throws -> JSONObject? {
        let rows = try storedRows(db, "event", sql: "SELECT seq, type, occurred_at, payload FROM event WHERE subject = ? AND type LIKE 'project.%' ORDER BY seq",
                                  arguments: [id])
        guard let first = rows.first else { return nil }
        if let end {
            guard try first.text("type") == EventType.projectCreated.rawValue, try first.value("occurred_at", Int64.self) < end else { return nil }
        }
        var state = JSONObject()
        for r in rows {
            if let end, try r.value("occurred_at", Int64.self) >= end { continue }
            let payload = try PayloadReader(seq: try r.value("seq", Int64.self), type: try r.text("type"), text: try r.text("payload"))
            for (k, v) in try ProjectChanged.changedFields(payload) { state[k] = v }
        }
        return state
    }
}
