import CDSCore
import GRDB

extension Store {
    /// True when the member holds the facilitator or the admin role: who attests competences
    /// and reviews assignments.
    static func isFacilitatorOrAdmin(_ db: Database, _ member: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM member_role WHERE member = ? AND role IN ('facilitator', 'admin'))", arguments: [member]) ?? false
    }

    /// A member who may take part: she exists and is not erased (`field` names the param).
    static func requireLiveMember(_ db: Database, _ id: String, field: String) throws {
        guard let r = try storedRow(db, "member", sql: "SELECT erased_at FROM member WHERE id = ?", arguments: [id]) else {
            throw CDSError.notFound("member", id)
        }
        guard try r.optionalInstant("erased_at") == nil else { throw CDSError(.conflict, "member \(id) was erased", details: ["field": .string(field)]) }
    }

    // MARK: Learning events and sessions

    static func session(_ r: StoredRow) throws(CDSError) -> LearningSession {
        LearningSession(id: try r.text("id"), event: try r.text("event"), on: try r.date("held_on"), place: try r.optionalText("place"), link: try r.optionalText("link"))
    }

    static func fetchSession(_ db: Database, _ id: String) throws -> LearningSession? {
        try storedRow(db, "learning_session", sql: "SELECT * FROM learning_session WHERE id = ?", arguments: [id]).map { r throws(CDSError) in try session(r) }
    }

    static func fetchLearningEvent(_ db: Database, _ id: String) throws -> LearningEvent? {
        guard let r = try storedRow(db, "learning_event", sql: "SELECT * FROM learning_event WHERE id = ?", arguments: [id]) else { return nil }
        let sessions = try storedRows(db, "learning_session", sql: "SELECT * FROM learning_session WHERE event = ? ORDER BY held_on, seq", arguments: [id])
            .map { r throws(CDSError) in try session(r) }
        return LearningEvent(id: id, space: try r.optionalText("space"), kind: try r.code("kind", LearningEventKind.self), title: try r.text("title"),
                             sessions: sessions, createdAt: try r.instant("created_at"))
    }

    /// The learning event `id` with its sessions, or `not_found`.
    public func learningEvent(_ id: String) throws(CDSError) -> LearningEvent {
        guard let e = try read({ db in try Store.fetchLearningEvent(db, id) }) else { throw CDSError.notFound("learning event", id) }
        return e
    }

    static func insertSession(_ db: Database, event: String, on: LocalDate, place: String?, link: String?, field: String, change: Change, now: Instant) throws -> LearningSession {
        let s = LearningSession(id: Identifier.make("ses"), event: event, on: on, place: try Validate.optionalText(place, field: field + ".place", max: Limits.name),
                                link: try Validate.optionalText(link, field: field + ".link", max: Limits.url))
        do { try s.validate() } catch { throw CDSError.invalid(field, error.message) }
        try exec(db, sql: "INSERT INTO learning_session(id, event, held_on, place, link) VALUES (?, ?, ?, ?, ?)", arguments: [s.id, event, on.description, s.place, s.link])
        try appendEvent(db, type: .sessionScheduled, subject: s.id, change: change, recordedAt: now, payload: LearningEvents.sessionScheduled(s))
        return s
    }

    /// Creates a webinar, workshop or field visit with its sessions; logs `learning_event.created`
    /// and `session.scheduled` for each session.
    public func createLearningEvent(space: String?, kind: LearningEventKind, title: String, sessions: [(on: LocalDate, place: String?, link: String?)],
                                    change: Change = Change()) throws(CDSError) -> LearningEvent {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            if let space, try !Store.exists(db, "learning_space", space) { throw CDSError.invalid("space", "no learning space \"\(space)\"") }
            let e = LearningEvent(id: Identifier.make("lev"), space: space, kind: kind, title: try Validate.text(title, field: "title", max: Limits.name),
                                  createdAt: change.at ?? now)
            try Store.exec(db, sql: "INSERT INTO learning_event(id, space, kind, title, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [e.id, space, kind.rawValue, e.title, e.createdAt.millisecondsSinceEpoch])
            try Store.appendEvent(db, type: .learningEventCreated, subject: e.id, change: change, recordedAt: now, payload: LearningEvents.eventCreated(e))
            for (n, s) in sessions.enumerated() {
                _ = try Store.insertSession(db, event: e.id, on: s.on, place: s.place, link: s.link, field: "sessions[\(n)]", change: change, now: now)
            }
            guard let stored = try Store.fetchLearningEvent(db, e.id) else { throw CDSError(.internal, "the event just created is not found") }
            return stored
        }
    }

    /// Adds a session to a learning event; logs `session.scheduled`.
    public func addSession(event: String, on: LocalDate, place: String?, link: String?, change: Change = Change()) throws(CDSError) -> LearningSession {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard try Store.exists(db, "learning_event", event) else { throw CDSError.notFound("learning event", event) }
            return try Store.insertSession(db, event: event, on: on, place: place, link: link, field: "session", change: change, now: now)
        }
    }

    /// Learning events by space and kind, in creation order.
    public func learningEvents(space: String?, kind: LearningEventKind?, limit: Int = 100, cursor: Int64 = 0) throws(CDSError) -> Page<LearningEvent> {
        try read { db in
            var w: [(String, [any DatabaseValueConvertible])] = []
            if let space { w.append(("space = ?", [space])) }
            if let kind { w.append(("kind = ?", [kind.rawValue])) }
            let page = try Store.rowPage(db, table: "learning_event", columns: "seq, id", where: w, limit: limit, cursor: cursor) { r throws(CDSError) in try r.text("id") }
            return Page(items: try page.items.compactMap { id throws in try Store.fetchLearningEvent(db, id) }, nextCursor: page.nextCursor)
        }
    }

    /// Registers a member for a learning event; logs `registration.recorded`. Registering twice is a `conflict`.
    public func register(event: String, member: String, change: Change = Change()) throws(CDSError) -> JSON {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard try Store.exists(db, "learning_event", event) else { throw CDSError.notFound("learning event", event) }
            try Store.requireLiveMember(db, member, field: "member")
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM registration WHERE event = ? AND member = ?)", arguments: [event, member]) == true {
                throw CDSError(.conflict, "member \(member) is registered for \(event) already")
            }
            let at = change.at ?? now
            try Store.exec(db, sql: "INSERT INTO registration(event, member, registered_at) VALUES (?, ?, ?)", arguments: [event, member, at.millisecondsSinceEpoch])
            try Store.appendEvent(db, type: .registrationRecorded, subject: event, change: change, recordedAt: now, payload: LearningEvents.registered(event: event, member: member))
            return ["event": .string(event), "member": .string(member), "registered_at": .string(at.description)]
        }
    }

    /// Records a registered member's attendance at a session that has taken place (on the
    /// day of the change or before); a later record replaces an earlier one. Logs `attendance.recorded`.
    public func recordAttendance(session: String, member: String, status: AttendanceStatus, change: Change = Change()) throws(CDSError) -> JSON {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard let s = try Store.fetchSession(db, session) else { throw CDSError.notFound("session", session) }
            guard status != .notRecorded else { throw CDSError.invalid("status", "not_recorded is what a session without a record reads as: record present, absent or excused") }
            let at = change.at ?? now
            guard s.on <= at.date else {
                throw CDSError.invalid("session", "the session of \(s.on) has not taken place yet (the attendance is recorded on \(at.date)): no attendance before it happens")
            }
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM registration WHERE event = ? AND member = ?)", arguments: [s.event, member]) == true else {
                guard try Store.exists(db, "member", member) else { throw CDSError.notFound("member", member) }
                throw CDSError.invalid("member", "member \(member) is not registered for the event of this session")
            }
            try Store.exec(db, sql: """
                INSERT INTO attendance(session, member, status, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(session, member) DO UPDATE SET status = excluded.status, recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by
                """, arguments: [session, member, status.rawValue, at.millisecondsSinceEpoch, change.actor])
            try Store.appendEvent(db, type: .attendanceRecorded, subject: session, change: change, recordedAt: now, payload: LearningEvents.attendance(s, member: member, status: status))
            return ["session": .string(session), "event": .string(s.event), "on": .string(s.on.description), "member": .string(member), "status": .string(status.rawValue)]
        }
    }

    /// The attendance of a session: every registered member, `not_recorded` for those without a record.
    public func attendance(session: String) throws(CDSError) -> [(member: String, status: AttendanceStatus)] {
        try read { db in
            guard let s = try Store.fetchSession(db, session) else { throw CDSError.notFound("session", session) }
            return try Store.storedRows(db, "registration", sql: """
                SELECT r.member AS member, a.status AS status FROM registration r LEFT JOIN attendance a ON a.session = ? AND a.member = r.member
                WHERE r.event = ? ORDER BY r.registered_at, r.member
                """, arguments: [session, s.event]).map { r throws(CDSError) in
                    (try r.text("member"), try r.optionalText("status").map { t throws(CDSError) in try StoredRow.code(t, AttendanceStatus.self, table: "attendance", column: "status") } ?? .notRecorded)
                }
        }
    }

    // MARK: Modules and criteria

    static func fetchModule(_ db: Database, _ id: String) throws -> TrainingModule? {
        guard let r = try storedRow(db, "module", sql: "SELECT * FROM module WHERE id = ?", arguments: [id]) else { return nil }
        let versions = try storedRows(db, "module_criteria", sql: "SELECT * FROM module_criteria WHERE module = ? ORDER BY version", arguments: [id])
            .map { v throws(CDSError) -> (version: Int64, criteria: ModuleCriteria, publishedAt: Instant) in
                let criteria: ModuleCriteria
                let stored = try v.json("criteria")
                do throws(CDSError) { criteria = try ModuleCriteria(stored: stored) } catch { throw v.damage("criteria", error.message) }
                return (try v.value("version", Int64.self), criteria, try v.instant("published_at"))
            }
        return TrainingModule(id: id, space: try r.optionalText("space"), competence: try r.code("competence", CompetenceKind.self), title: try r.text("title"),
                              versions: versions, createdAt: try r.instant("created_at"))
    }

    /// The module `id` with every version of its criteria, or `not_found`.
    public func module(_ id: String) throws(CDSError) -> TrainingModule {
        guard let m = try read({ db in try Store.fetchModule(db, id) }) else { throw CDSError.notFound("module", id) }
        return m
    }

    /// Refuses criteria that cannot be met: the core's rule, then sessions and resources that
    /// do not exist, and sessions that took place before the day the criteria are published
    /// (nobody enrolling under them could attend).
    static func checkCriteria(_ db: Database, _ c: ModuleCriteria, publishedOn: LocalDate) throws {
        try c.validate()
        for (n, s) in c.sessions.enumerated() {
            guard let session = try fetchSession(db, s) else { throw CDSError.invalid("criteria.sessions[\(n)]", "cannot be met: no session \"\(s)\"") }
            guard session.on >= publishedOn else {
                throw CDSError.invalid("criteria.sessions[\(n)]", "cannot be met: the session took place on \(session.on), before these criteria are published (\(publishedOn))")
            }
        }
        for (n, r) in c.resources.enumerated() where try !exists(db, "resource", r) {
            throw CDSError.invalid("criteria.resources[\(n)]", "cannot be met: no resource \"\(r)\"")
        }
    }

    static func insertCriteria(_ db: Database, module: String, version: Int64, criteria: ModuleCriteria, change: Change, now: Instant) throws {
        let at = change.at ?? now
        try checkCriteria(db, criteria, publishedOn: at.date)
        try exec(db, sql: "INSERT INTO module_criteria(module, version, criteria, published_at) VALUES (?, ?, ?, ?)",
                 arguments: [module, version, criteria.json.text, at.millisecondsSinceEpoch])
        try appendEvent(db, type: .criteriaPublished, subject: module, change: change, recordedAt: now,
                        payload: LearningEvents.criteriaPublished(module: module, version: version, criteria: criteria))
    }

    /// Creates a training module tied to a competence, with version 1 of its criteria; logs
    /// `module.created` and `module.criteria_published`.
    public func createModule(space: String?, competence: CompetenceKind, title: String, criteria: ModuleCriteria, change: Change = Change()) throws(CDSError) -> TrainingModule {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            if let space, try !Store.exists(db, "learning_space", space) { throw CDSError.invalid("space", "no learning space \"\(space)\"") }
            let m = TrainingModule(id: Identifier.make("mod"), space: space, competence: competence, title: try Validate.text(title, field: "title", max: Limits.name),
                                   versions: [], createdAt: change.at ?? now)
            try Store.exec(db, sql: "INSERT INTO module(id, space, competence, title, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [m.id, space, competence.rawValue, m.title, m.createdAt.millisecondsSinceEpoch])
            try Store.appendEvent(db, type: .moduleCreated, subject: m.id, change: change, recordedAt: now, payload: LearningEvents.moduleCreated(m))
            try Store.insertCriteria(db, module: m.id, version: 1, criteria: criteria, change: change, now: now)
            guard let stored = try Store.fetchModule(db, m.id) else { throw CDSError(.internal, "the module just created is not found") }
            return stored
        }
    }

    /// Publishes a new version of a module's criteria: those who enroll from now on are held
    /// to it; those enrolled before keep theirs. Logs `module.criteria_published`.
    public func publishCriteria(module: String, criteria: ModuleCriteria, change: Change = Change()) throws(CDSError) -> TrainingModule {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard let m = try Store.fetchModule(db, module) else { throw CDSError.notFound("module", module) }
            let (next, overflow) = (m.current?.version ?? 0).addingReportingOverflow(1)
            guard !overflow else { throw CDSError(.conflict, "module \(module) has no version number left") }
            if let at = change.at, let last = m.current?.publishedAt, at < last {
                throw CDSError.invalid("at", "a version cannot be published before the one in force (\(last))")
            }
            try Store.insertCriteria(db, module: module, version: next, criteria: criteria, change: change, now: now)
            guard let stored = try Store.fetchModule(db, module) else { throw CDSError(.internal, "the module is not found") }
            return stored
        }
    }

    /// Modules by space and competence, in creation order.
    public func modules(space: String?, competence: CompetenceKind?, limit: Int = 100, cursor: Int64 = 0) throws(CDSError) -> Page<TrainingModule> {
        try read { db in
            var w: [(String, [any DatabaseValueConvertible])] = []
            if let space { w.append(("space = ?", [space])) }
            if let competence { w.append(("competence = ?", [competence.rawValue])) }
            let page = try Store.rowPage(db, table: "module", columns: "seq, id", where: w, limit: limit, cursor: cursor) { r throws(CDSError) in try r.text("id") }
            return Page(items: try page.items.compactMap { id throws in try Store.fetchModule(db, id) }, nextCursor: page.nextCursor)
        }
    }

    // MARK: Enrollments

    static func enrollment(_ r: StoredRow) throws(CDSError) -> Enrollment {
        var e = Enrollment(id: try r.text("id"), module: try r.text("module"), member: try r.text("member"), criteriaVersion: try r.value("criteria_version", Int64.self),
                           enrolledAt: try r.instant("enrolled_at"))
        e.assignment = try r.optionalText("assignment").map { t throws(CDSError) in try StoredRow.code(t, AssignmentStatus.self, table: "enrollment", column: "assignment") }
        e.submission = try r.optionalText("submission")
        e.reviewNote = try r.optionalText("review_note")
        e.reviewedBy = try r.optionalText("reviewed_by")
        e.completedOn = try r.optionalDate("completed_on")
        e.recordedOn = try r.optionalDate("recorded_on")
        e.competence = try r.optionalText("competence")
        return e
    }

    static func fetchEnrollment(_ db: Database, _ id: String) throws -> Enrollment? {
        try storedRow(db, "enrollment", sql: "SELECT * FROM enrollment WHERE id = ?", arguments: [id]).map { r throws(CDSError) in try enrollment(r) }
    }

    /// What the learner of `e` did that the criteria read.
    static func learnerRecord(_ db: Database, _ e: Enrollment, _ c: ModuleCriteria) throws -> LearnerRecord {
        var rec = LearnerRecord()
        for s in c.sessions {
            guard let session = try fetchSession(db, s) else { throw StoredRow.damage("module_criteria", "criteria", "no session \"\(s)\"") }
            rec.sessionDays[s] = session.on
            if let a = try storedRow(db, "attendance", sql: "SELECT status FROM attendance WHERE session = ? AND member = ?", arguments: [s, e.member]) {
                rec.attendance[s] = try a.code("status", AttendanceStatus.self)
            }
        }
        for res in c.resources {
            if let u = try storedRow(db, "resource_use", sql: "SELECT MIN(used_at) AS first FROM resource_use WHERE resource = ? AND member = ? HAVING COUNT(*) > 0",
                                     arguments: [res, e.member]) {
                rec.resourceUses[res] = try u.instant("first").date
            }
        }
        if let status = e.assignment, let r = try storedRow(db, "enrollment", sql: "SELECT assignment_on FROM enrollment WHERE id = ?", arguments: [e.id]) {
            rec.assignment = (status, try r.date("assignment_on"))
        }
        return rec
    }

    /// The enrollment with the verdict of its criteria version on what the learner did.
    static func progress(_ db: Database, _ e: Enrollment) throws -> (enrollment: Enrollment, criteria: ModuleCriteria, verdict: CompletionVerdict) {
        guard let m = try fetchModule(db, e.module), let c = m.criteria(e.criteriaVersion) else {
            throw StoredRow.damage("enrollment", "criteria_version", "module \(e.module) has no version \(e.criteriaVersion)")
        }
        return (e, c, Completion.evaluate(c, try learnerRecord(db, e, c)))
    }

    /// The enrollment `id` with its criteria and the verdict on them, or `not_found`.
    public func enrollment(_ id: String) throws(CDSError) -> (enrollment: Enrollment, criteria: ModuleCriteria, verdict: CompletionVerdict) {
        try read { db in
            guard let e = try Store.fetchEnrollment(db, id) else { throw CDSError.notFound("enrollment", id) }
            return try Store.progress(db, e)
        }
    }

    /// Enrolls a member in a module under the criteria version in force; logs `enrollment.created`.
    public func enroll(module: String, member: String, change: Change = Change()) throws(CDSError) -> Enrollment {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard let m = try Store.fetchModule(db, module) else { throw CDSError.notFound("module", module) }
            try Store.requireLiveMember(db, member, field: "member")
            let at = change.at ?? now
            // The version in force on the day she enrolls (an import of history may enroll before a later version).
            guard let version = m.versions.last(where: { $0.publishedAt <= at }) else {
                throw CDSError.invalid("at", "module \(module) had no criteria published yet on \(at)")
            }
            if let other = try Store.storedRow(db, "enrollment", sql: "SELECT id FROM enrollment WHERE module = ? AND member = ?", arguments: [module, member]) {
                throw CDSError(.conflict, "member \(member) is enrolled in \(module) already", details: ["existing": .string(try other.text("id"))])
            }
            let e = Enrollment(id: Identifier.make("enr"), module: module, member: member, criteriaVersion: version.version, enrolledAt: at)
            try Store.exec(db, sql: "INSERT INTO enrollment(id, module, member, criteria_version, enrolled_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [e.id, module, member, e.criteriaVersion, at.millisecondsSinceEpoch])
            try Store.appendEvent(db, type: .enrollmentCreated, subject: e.id, change: change, recordedAt: now, payload: LearningEvents.enrolled(e))
            return e
        }
    }

    /// The enrollment `id`, open (not completed), or an error.
    static func openEnrollment(_ db: Database, _ id: String) throws -> Enrollment {
        guard let e = try fetchEnrollment(db, id) else { throw CDSError.notFound("enrollment", id) }
        guard e.completedOn == nil else { throw CDSError(.conflict, "enrollment \(id) was completed on \(e.completedOn?.description ?? "")") }
        return e
    }

    /// Submits (or submits again, after a return) the learner's assignment; logs `assignment.submitted`.
    public func submitAssignment(enrollment id: String, submission: String, change: Change = Change()) throws(CDSError) -> Enrollment {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            var e = try Store.openEnrollment(db, id)
            guard try Store.progress(db, e).criteria.assignment != nil else {
                throw CDSError(.conflict, "the criteria of enrollment \(id) (version \(e.criteriaVersion)) ask for no assignment")
            }
            guard e.assignment != .accepted else { throw CDSError(.conflict, "the assignment of enrollment \(id) was accepted already") }
            let text = try Validate.text(submission, field: "submission", max: Limits.note)
            let at = change.at ?? now
            try Store.exec(db, sql: "UPDATE enrollment SET assignment = 'submitted', submission = ?, assignment_on = ? WHERE id = ?", arguments: [text, at.date.description, id])
            try Store.appendEvent(db, type: .assignmentSubmitted, subject: id, change: change, recordedAt: now,
                                  payload: LearningEvents.assignment(enrollment: id, status: .submitted, note: nil))
            e.assignment = .submitted
            e.submission = text
            return e
        }
    }

    /// A facilitator's review of a submitted assignment: accepted, or returned with a note
    /// (required); logs `assignment.reviewed`. The reviewer is the actor, a facilitator or an admin.
    public func reviewAssignment(enrollment id: String, status: AssignmentStatus, note: String?, change: Change = Change()) throws(CDSError) -> Enrollment {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            var e = try Store.openEnrollment(db, id)
            guard e.assignment == .submitted else { throw CDSError(.conflict, "enrollment \(id) has no assignment awaiting review") }
            guard status != .submitted else { throw CDSError.invalid("status", "a review accepts or returns: accepted or returned") }
            let n = try Validate.optionalText(note, field: "note", max: Limits.note)
            if status == .returned, n == nil { throw CDSError.invalid("note", "a returned assignment says why: a note is required") }
            if let by = change.actor, try !Store.isFacilitatorOrAdmin(db, by) {
                throw CDSError(.forbidden, "only a facilitator or an admin reviews assignments", details: ["rule": "assignment.reviewer", "field": "actor"])
            }
            let at = change.at ?? now
            try Store.exec(db, sql: "UPDATE enrollment SET assignment = ?, review_note = ?, reviewed_by = ?, assignment_on = ? WHERE id = ?",
                           arguments: [status.rawValue, n, change.actor, at.date.description, id])
            try Store.appendEvent(db, type: .assignmentReviewed, subject: id, change: change, recordedAt: now,
                                  payload: LearningEvents.assignment(enrollment: id, status: status, note: n))
            e.assignment = status
            e.reviewNote = n
            e.reviewedBy = change.actor
            return e
        }
    }

    /// Completes an enrollment whose criteria version is met: records the day the learning
    /// was completed (the last requirement met) and the day it was recorded, attests the
    /// module's competence and logs the evidence, `module.completed`. Unmet criteria are a
    /// `transition_not_allowed` error listing every gap.
    public func completeEnrollment(_ id: String, change: Change = Change()) throws(CDSError) -> (enrollment: Enrollment, competence: Competence) {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            var e = try Store.openEnrollment(db, id)
            let (_, _, verdict) = try Store.progress(db, e)
            guard verdict.complete, let completedOn = verdict.completedOn else {
                throw CDSError(.transitionNotAllowed, "enrollment \(id) does not meet version \(e.criteriaVersion) of its criteria: \(verdict.missing.count) requirement(s) unmet",
                               details: ["criteria_version": .int(e.criteriaVersion), "missing": .array(verdict.missing.map { $0.json(.fr) })])
            }
            if let by = change.actor, try !Store.isFacilitatorOrAdmin(db, by) {
                throw CDSError(.forbidden, "only a facilitator or an admin attests competences", details: ["rule": "competence.attester", "field": "actor"])
            }
            guard let m = try Store.fetchModule(db, e.module) else { throw StoredRow.damage("enrollment", "module", "no module \"\(e.module)\"") }
            let recordedOn = now.date
            let record: Competence
            if let same = try Store.storedRow(db, "competence", sql: "SELECT * FROM competence WHERE member = ? AND competence = ? AND attested_on = ?",
                                              arguments: [e.member, m.competence.rawValue, completedOn.description]) {
                // Attested by hand the same day: the completion links to that record.
                record = try Store.competence(same)
                try Store.exec(db, sql: "UPDATE competence SET enrollment = coalesce(enrollment, ?) WHERE id = ?", arguments: [id, record.id])
            } else {
                record = Competence(id: Identifier.make("cmp"), member: e.member, competence: m.competence, attestedOn: completedOn, attestedBy: change.actor,
                                    module: m.title, enrollment: id)
                try Store.exec(db, sql: "INSERT INTO competence(id, member, competence, attested_on, attested_by, module, enrollment) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               arguments: [record.id, e.member, m.competence.rawValue, completedOn.description, change.actor, m.title, id])
            }
            try Store.exec(db, sql: "UPDATE enrollment SET completed_on = ?, recorded_on = ?, competence = ? WHERE id = ?",
                           arguments: [completedOn.description, recordedOn.description, record.id, id])
            try Store.appendEvent(db, type: ModuleCompleted.type, subject: e.member, change: change, recordedAt: now,
                                  payload: ModuleCompleted.payload(e, competence: m.competence, completedOn: completedOn, recordedOn: recordedOn, record: record.id))
            e.completedOn = completedOn
            e.recordedOn = recordedOn
            e.competence = record.id
            return (e, record)
        }
    }

    /// Enrollments by module and member, in enrollment order.
    public func enrollments(module: String?, member: String?, limit: Int = 100, cursor: Int64 = 0) throws(CDSError) -> Page<Enrollment> {
        try read { db in
            var w: [(String, [any DatabaseValueConvertible])] = []
            if let module { w.append(("module = ?", [module])) }
            if let member { w.append(("member = ?", [member])) }
            return try Store.rowPage(db, table: "enrollment", where: w, limit: limit, cursor: cursor) { r throws(CDSError) in try Store.enrollment(r) }
        }
    }

    // MARK: Credentials

    /// A competence record as an unsigned Open Badges 3.0 credential; a revoked one is a `conflict`.
    public func competenceCredential(_ id: String, issuer: String, issuerName: String) throws(CDSError) -> JSON {
        try read { db in
            guard let r = try Store.storedRow(db, "competence", sql: "SELECT * FROM competence WHERE id = ?", arguments: [id]) else { throw CDSError.notFound("competence", id) }
            let c = try Store.competence(r)
            if let d = c.revokedOn { throw CDSError(.conflict, "competence \(id) was revoked on \(d): no credential is issued for it") }
            var module: TrainingModule? = nil, version: Int64? = nil
            if let e = c.enrollment, let enrollment = try Store.fetchEnrollment(db, e) {
                module = try Store.fetchModule(db, enrollment.module)
                version = enrollment.criteriaVersion
            }
            return OpenBadge.credential(c, module: module, version: version, issuer: issuer, issuerName: issuerName)
        }
    }

    // MARK: Revocation

    /// Revokes a competence a member holds on `day` (attested on or before it, not revoked):
    /// she no longer holds it from that day; logs `competence.revoked` with the reason.
    public func revokeCompetence(member: String, competence: CompetenceKind, on day: LocalDate, reason: String, change: Change = Change()) throws(CDSError) -> [Competence] {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard try Store.exists(db, "member", member) else { throw CDSError.notFound("member", member) }
            let why = try Validate.text(reason, field: "reason", max: Limits.note)
            let at = change.at ?? now
            guard day <= at.date else { throw CDSError.invalid("revoked_on", "must not be after the day it is recorded (\(at.date)): a revocation is not scheduled") }
            let held = try Store.storedRows(db, "competence", sql: "SELECT * FROM competence WHERE member = ? AND competence = ? AND attested_on <= ? AND revoked_on IS NULL ORDER BY seq",
                                            arguments: [member, competence.rawValue, day.description]).map { r throws(CDSError) in try Store.competence(r) }
            guard !held.isEmpty else { throw CDSError(.conflict, "member \(member) does not hold \(competence.rawValue) on \(day): nothing to revoke") }
            try Store.exec(db, sql: "UPDATE competence SET revoked_on = ?, revocation_reason = ? WHERE member = ? AND competence = ? AND attested_on <= ? AND revoked_on IS NULL",
                           arguments: [day.description, why, member, competence.rawValue, day.description])
            try Store.appendEvent(db, type: CompetenceRevoked.type, subject: member, change: change, recordedAt: now,
                                  payload: CompetenceRevoked.payload(competence: competence, revokedOn: day, reason: why))
            return held.map { Competence(id: $0.id, member: $0.member, competence: $0.competence, attestedOn: $0.attestedOn, attestedBy: $0.attestedBy,
                                         module: $0.module, enrollment: $0.enrollment, revokedOn: day, revocationReason: why) }
        }
    }
}
