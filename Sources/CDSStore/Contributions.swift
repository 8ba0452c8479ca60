import CDSCore
import GRDB

extension Store {
    static func fetchContribution(_ db: Database, _ id: String) throws -> Contribution? {
        try document(db, "contribution", id: id) { j throws(CDSError) in try Contribution(json: j) }
    }

    /// The contribution `id`, or `not_found`.
    public func contribution(_ id: String) throws(CDSError) -> Contribution {
        let c = try read { db in try Store.fetchContribution(db, id) }
        guard let c else { throw CDSError.notFound("contribution", id) }
        return c
    }

    static func save(_ c: Contribution, _ db: Database, insert: Bool) throws {
        if insert {
            try Store.exec(db, sql: """
                INSERT INTO contribution(id, project, need, member, organization, kind, status, doc, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [c.id, c.project, c.need, c.member, c.organization, c.kind.rawValue, c.status.rawValue, c.json.text,
                                 c.createdAt.millisecondsSinceEpoch, c.updatedAt.millisecondsSinceEpoch])
        } else {
            try Store.exec(db, sql: "UPDATE contribution SET status = ?, doc = ?, updated_at = ? WHERE id = ?",
                           arguments: [c.status.rawValue, c.json.text, c.updatedAt.millisecondsSinceEpoch, c.id])
        }
    }

    /// Sets a need's status from the contributions that answer it (confirmed or delivered
    /// against its quantity), unless the need was cancelled; logs `need.updated` if it changes.
    static func recomputeNeed(_ db: Database, _ needID: String, change: Change, recordedAt: Instant) throws {
        guard let before = try fetchNeed(db, needID), before.status != .cancelled else { return }
        var total: Int64 = 0
        for c in try documents(db, "contribution", sql: "SELECT doc FROM contribution WHERE need = ? AND status IN ('confirmed', 'delivered')",
                               arguments: [needID], { j throws(CDSError) in try Contribution(json: j) }) {
            total = total.addingSaturated(c.quantity.amount)
        }
        var after = before
        after.status = total >= before.quantity.amount ? .covered : total > 0 ? .partlyCovered : .open
        guard after.status != before.status else { return }
        after.updatedAt = change.at ?? recordedAt
        try save(after, db, insert: false)
        try appendEvent(db, type: .needUpdated, subject: needID, change: change, recordedAt: recordedAt, payload: NeedEvents.updated(before: before, after: after))
    }

    /// Records a pledge to a project, filled by `edit` (who gives, its kind and quantity;
    /// optionally the need it answers); logs `contribution.pledged`.
    public func createContribution(project: String, change: Change = Change(), _ edit: (inout Contribution) throws(CDSError) -> Void) throws(CDSError) -> Contribution {
        let now = self.now
        return try write { db in try Store.pledge(db, project: project, change: change, now: now, edit) }
    }

    /// Checks and stores a pledge in the caller's transaction; logs `contribution.pledged`.
    static func pledge(_ db: Database, project: String, change: Change, now: Instant, _ edit: (inout Contribution) throws(CDSError) -> Void) throws -> Contribution {
        try Store.checkActor(db, change)
        guard let p = try Store.fetchProject(db, project) else { throw CDSError.invalid("project", "no project \"\(project)\"") }
        guard p.stage != .rejected, p.stage != .abandoned, p.stage != .capitalized else {
            throw CDSError(.conflict, "project \(p.code) is \(p.stage.rawValue): it takes no contribution")
        }
        let at = change.at ?? now
        let id = Identifier.make("ctb")
        var c = Contribution(id: id, project: project, need: nil, member: nil, organization: nil, kind: .finance,
                             quantity: Quantity(unit: .money, amount: 0), pledgedOn: at.date, note: nil, at: at)
        try edit(&c)
        let pledgedOn = c.pledgedOn
        c = Contribution(id: id, project: project, need: c.need, member: c.member, organization: c.organization, kind: c.kind, quantity: c.quantity,
                         pledgedOn: pledgedOn, note: try Validate.optionalText(c.note, field: "note", max: Limits.note), match: c.match, at: at)
        if let n = c.need {
            guard let need = try Store.fetchNeed(db, n) else { throw CDSError.invalid("need", "no need \"\(n)\"") }
            guard need.project == project else { throw CDSError.invalid("need", "need \(n) belongs to another project") }
            guard need.kind == c.kind else { throw CDSError.invalid("kind", "the need asks for \(need.kind.rawValue)") }
            guard need.quantity.unit == c.quantity.unit, need.quantity.currency == c.quantity.currency else {
                throw CDSError.invalid("quantity", "must be counted like the need: \(need.quantity.unit.rawValue) \(need.quantity.currency ?? "")")
            }
        }
        if let m = c.member, try !Store.exists(db, "member", m) { throw CDSError.invalid("member", "no member \"\(m)\"") }
        if let o = c.organization, try !Store.exists(db, "organization", o) { throw CDSError.invalid("organization", "no organization \"\(o)\"") }
        if let cur = c.quantity.currency { try Store.checkCodes(db, [cur], dataset: "currencies", field: "quantity.currency") }
        try c.validate()
        try Store.save(c, db, insert: true)
        try Store.appendEvent(db, type: ContributionPledged.type, subject: c.id, change: change, recordedAt: now, payload: ContributionPledged.payload(c))
        return c
    }

    /// Moves a contribution to `status` on a day (default: the day of `at`); logs
    /// `contribution.<status>` and updates the status of the need it answers.
    public func moveContribution(_ id: String, to status: ContributionStatus, on day: LocalDate?, note: String?, change: Change = Change()) throws(CDSError) -> Contribution {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard let before = try Store.fetchContribution(db, id) else { throw CDSError.notFound("contribution", id) }
            try Store.checkChronology(db, subject: id, at: change.at)
            var after = before
            try after.move(to: status, on: day ?? (change.at ?? now).date)
            if let n = try Validate.optionalText(note, field: "note", max: Limits.note) { after.note = n }
            after.updatedAt = change.at ?? now
            try Store.save(after, db, insert: false)
            try Store.appendEvent(db, type: .contributionMoved(to: status), subject: id, change: change, recordedAt: now, payload: ContributionMoved.payload(before: before, after: after))
            if let need = after.need { try Store.recomputeNeed(db, need, change: change, recordedAt: now) }
            return after
        }
    }

    /// Contributions by project, member, organization and status, in pledge order.
    public func contributions(project: String? = nil, member: String? = nil, organization: String? = nil, status: ContributionStatus? = nil,
                              limit: Int = 100, cursor: Int64 = 0) throws(CDSError) -> Page<Contribution> {
        try read { db in
            var w: [(String, [any DatabaseValueConvertible])] = []
            if let project { w.append(("project = ?", [project])) }
            if let member { w.append(("member = ?", [member])) }
            if let organization { w.append(("organization = ?", [organization])) }
            if let status { w.append(("status = ?", [status.rawValue])) }
            return try Store.documentPage(db, table: "contribution", where: w, limit: limit, cursor: cursor) { j throws(CDSError) in try Contribution(json: j) }
        }
    }

    /// Finance confirmed or delivered by contributions to a project, in `currency`.
    static func contributedFinance(_ db: Database, project: String, currency: String) throws -> Int64 {
        var total: Int64 = 0
        for c in try documents(db, "contribution", sql: "SELECT doc FROM contribution WHERE project = ? AND kind IN ('finance', 'investment') AND status IN ('confirmed', 'delivered')",
                               arguments: [project], { j throws(CDSError) in try Contribution(json: j) }) {
            guard c.quantity.currency == currency else { continue }
            total = total.addingSaturated(c.quantity.amount)
        }
        return total
    }

    /// Records an exchange between a diaspora member or association and a Moroccan actor;
    /// logs `interaction.recorded`.
    public func recordInteraction(kind: InteractionKind, on day: LocalDate, member: String?, diasporaOrganization: String?, organization: String,
                                  localMember: String?, project: String?, note: String?, change: Change = Change()) throws(CDSError) -> Interaction {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard (member == nil) != (diasporaOrganization == nil) else {
                throw CDSError.invalid("member", "give the diaspora member or the diaspora association, not both")
            }
            if let member {
                guard let m = try Store.fetchMember(db, member) else { throw CDSError.invalid("member", "no member \"\(member)\"") }
                guard m.isDiaspora else { throw CDSError.invalid("member", "\(m.name) is not a diaspora member") }
            }
            if let d = diasporaOrganization {
                guard let o = try Store.fetchOrganization(db, d) else { throw CDSError.invalid("diaspora_organization", "no organization \"\(d)\"") }
                guard o.kind == .diasporaAssociation else { throw CDSError.invalid("diaspora_organization", "\(o.name) is not a diaspora association") }
            }
            guard let actor = try Store.fetchOrganization(db, organization) else { throw CDSError.invalid("organization", "no organization \"\(organization)\"") }
            guard actor.isMoroccanActor else { throw CDSError.invalid("organization", "\(actor.name) is not a Moroccan actor (an organization in Morocco other than the facilitator)") }
            if let l = localMember, try !Store.exists(db, "member", l) { throw CDSError.invalid("local_member", "no member \"\(l)\"") }
            if let p = project, try !Store.exists(db, "project", p) { throw CDSError.invalid("project", "no project \"\(p)\"") }
            let i = Interaction(id: Identifier.make("int"), kind: kind, on: day, member: member, diasporaOrganization: diasporaOrganization,
                                organization: organization, localMember: localMember, project: project,
                                note: try Validate.optionalText(note, field: "note", max: Limits.note), createdAt: change.at ?? now)
            try Store.exec(db, sql: """
                INSERT INTO interaction(id, kind, on_day, member, diaspora_organization, organization, local_member, project, doc, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [i.id, kind.rawValue, day.description, member, diasporaOrganization, organization, localMember, project, i.json.text,
                                 i.createdAt.millisecondsSinceEpoch])
            try Store.appendEvent(db, type: InteractionRecorded.type, subject: i.id, change: change, recordedAt: now, payload: InteractionRecorded.payload(i))
            return i
        }
    }

    /// Interactions by Moroccan actor, diaspora member and project, in recording order.
    public func interactions(organization: String? = nil, member: String? = nil, project: String? = nil, limit: Int = 100, cursor: Int64 = 0) throws(CDSError) -> Page<Interaction> {
        try read { db in
            var w: [(String, [any DatabaseValueConvertible])] = []
            if let organization { w.append(("organization = ?", [organization])) }
            if let member { w.append(("member = ?", [member])) }
            if let project { w.append(("project = ?", [project])) }
            return try Store.documentPage(db, table: "interaction", where: w, limit: limit, cursor: cursor) { j throws(CDSError) in try Interaction(json: j) }
        }
    }
}
