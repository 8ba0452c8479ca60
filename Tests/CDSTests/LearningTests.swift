import CDS
import CDSCore
import CDSStore
import PropertyBased
import Testing

/// A small CDS that trains its ADCs: a facilitator, three ADCs (Tafraout, Anzi, Talmakante),
/// webinars and modules, on a clock that reads mid-December.
struct LearningWorld {
    let db: CDSDatabase
    let facilitator: String
    var adcs: [String] = []
    static let communes = ["09.581.01.05", "09.581.03.03", "09.541.11.33"]
    static let now = Instant("2026-12-15T10:00:00Z") ?? Instant(millisecondsSinceEpoch: 0)

    init(path: String = ":memory:") throws {
        db = try CDSDatabase(path: path, options: OpenOptions(store: StoreOptions(now: LearningWorld.now), trusted: true))
        facilitator = try db.ok("member.create", #"{"name": "Samira", "gender": "f", "roles": ["facilitator"], "residence_country": "MA", "at": "2026-01-05T09:00:00Z"}"#)["id"]?.stringValue ?? ""
        for (n, c) in Self.communes.enumerated() {
            adcs.append(try db.ok("member.create", #"{"name": "ADC \#(n)", "gender": "\#(n == 1 ? "f" : "m")", "roles": ["adc"], "residence_country": "MA", "adc_commune": "\#(c)", "at": "2026-01-10T09:00:00Z"}"#)["id"]?.stringValue ?? "")
        }
    }

    /// A webinar with a session on each day; answers the session ids.
    func webinar(_ days: [String], title: String = "Webinaire", at: String = "2026-01-15T09:00:00Z") throws -> [String] {
        let sessions = days.map { #"{"on": "\#($0)", "link": "https://visio.example.org/cds"}"# }.joined(separator: ", ")
        let e = try db.ok("learning_event.create", #"{"kind": "webinar", "title": "\#(title)", "sessions": [\#(sessions)], "at": "\#(at)"}"#)
        return e["sessions"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
    }

    /// A module attesting `competence` on those sessions (and an assignment); answers its id.
    func module(_ competence: String, sessions: [String], maxMissed: Int = 0, assignment: Bool = true, at: String = "2026-01-20T09:00:00Z") throws -> String {
        let list = sessions.map { "\"\($0)\"" }.joined(separator: ", ")
        let a = assignment ? #", "assignment": "Une fiche projet""# : ""
        return try db.ok("module.create", #"{"title": "Module \#(competence)", "competence": "\#(competence)", "criteria": {"sessions": [\#(list)], "max_missed": \#(maxMissed)\#(a)}, "at": "\#(at)"}"#)["id"]?.stringValue ?? ""
    }

    /// Enrolls a learner and registers her for the sessions' events; answers the enrollment.
    func enroll(_ member: String, in module: String, sessions: [String], at: String = "2026-02-01T09:00:00Z") throws -> String {
        var events = Set<String>()
        for s in sessions {
            for e in try db.ok("learning_event.list", "{}")["items"]?.arrayValue ?? [] where e["sessions"]?.arrayValue?.contains(where: { $0["id"]?.stringValue == s }) == true {
                events.insert(e["id"]?.stringValue ?? "")
            }
        }
        for e in events.sorted() {
            let r = db.call("learning_event.register", #"{"event": "\#(e)", "member": "\#(member)", "at": "\#(at)"}"#)
            if !r.ok { #expect(r.text.contains("already"), "\(r.text)") }
        }
        return try db.ok("enrollment.create", #"{"module": "\#(module)", "member": "\#(member)", "at": "\#(at)"}"#)["id"]?.stringValue ?? ""
    }

    /// Records `status` for the learner at each session, on the session's evening.
    func attend(_ member: String, _ sessions: [String], status: String = "present") throws {
        for s in sessions {
            let day = try sessionDay(s)
            try db.ok("attendance.record", #"{"session": "\#(s)", "member": "\#(member)", "status": "\#(status)", "at": "\#(day)T18:00:00Z", "actor": "\#(facilitator)"}"#)
        }
    }

    func sessionDay(_ s: String) throws -> String {
        for e in try db.ok("learning_event.list", "{}")["items"]?.arrayValue ?? [] {
            if let x = e["sessions"]?.arrayValue?.first(where: { $0["id"]?.stringValue == s }) { return x["on"]?.stringValue ?? "" }
        }
        return ""
    }

    /// Submits and accepts the assignment on the day given.
    func passAssignment(_ enrollment: String, on day: String = "2026-02-20") throws {
        try db.ok("enrollment.submit", #"{"id": "\#(enrollment)", "submission": "https://docs.example.org/fiche", "at": "\#(day)T08:00:00Z"}"#)
        try db.ok("enrollment.review", #"{"id": "\#(enrollment)", "status": "accepted", "at": "\#(day)T16:00:00Z", "actor": "\#(facilitator)"}"#)
    }

    /// The whole path through a module; answers the completion (`at` nil: recorded today, without a past instant).
    @discardableResult
    func complete(_ member: String, _ competence: String, sessions: [String], at: String? = "2026-02-20T17:00:00Z") throws -> JSON {
        let m = try module(competence, sessions: sessions)
        let e = try enroll(member, in: m, sessions: sessions)
        try attend(member, sessions)
        try passAssignment(e)
        let when = at.map { #", "at": "\#($0)""# } ?? ""
        return try db.ok("enrollment.complete", #"{"id": "\#(e)", "actor": "\#(facilitator)"\#(when)}"#)
    }

    /// The seed indicator on a day, with provenance.
    func competentCommunes(_ day: String, territory: String? = nil) throws -> JSON {
        let t = territory.map { #", "territory": "\#($0)""# } ?? ""
        let r = try db.ok("indicators.compute", #"{"as_of": "\#(day)", "indicators": ["collectivities_with_competent_adc"], "provenance": true\#(t)}"#)
        return r["indicators"]?.arrayValue?.first ?? .null
    }
}

@Suite("Learning: modules, events and competences")
struct LearningTests {
    @Test("a module completed under criteria v1 stays completed when v2 is published; a learner enrolling after v2 is held to v2")
    func completionSurvivesANewVersion() throws {
        let w = try LearningWorld()
        let s = try w.webinar(["2026-02-05", "2026-02-12"])
        let m = try w.module("communication", sessions: s)
        let first = try w.enroll(w.adcs[0], in: m, sessions: s)
        let second = try w.enroll(w.adcs[1], in: m, sessions: s)
        try w.attend(w.adcs[0], s)
        try w.passAssignment(first)
        try w.db.ok("enrollment.complete", #"{"id": "\#(first)", "at": "2026-02-21T09:00:00Z"}"#)
        // v2 asks for a field visit instead (sessions past on the day it is published could not be attended by those
        // who enroll under it); the second learner enrolled under v1 and is held to v1 too.
        let visit = try w.webinar(["2026-03-10"], title: "Visite", at: "2026-03-01T09:00:00Z")
        let v2 = try w.db.ok("module.publish", #"{"id": "\#(m)", "criteria": {"sessions": ["\#(visit[0])"], "assignment": "Une fiche projet"}, "at": "2026-03-01T10:00:00Z"}"#)
        #expect(try w.db.err("module.publish", #"{"id": "\#(m)", "criteria": {"sessions": ["\#(s[0])"]}, "at": "2026-03-01T10:00:00Z"}"#)["details"]?["field"] == "criteria.sessions[0]")
        #expect(v2["version"] == 2 && v2["versions"]?.arrayValue?.count == 2)
        let done = try w.db.ok("enrollment.get", #"{"id": "\#(first)"}"#)
        #expect(done["completed"] == true && done["criteria_version"] == 1 && done["completed_on"] == "2026-02-20")
        #expect(done["progress"]?["complete"] == true)
        try w.attend(w.adcs[1], s)
        try w.passAssignment(second, on: "2026-03-05")
        #expect(try w.db.ok("enrollment.get", #"{"id": "\#(second)"}"#)["criteria_version"] == 1)
        try w.db.ok("enrollment.complete", #"{"id": "\#(second)", "at": "2026-03-05T17:00:00Z"}"#)
        // A third, enrolled after v2, must also attend the visit.
        let third = try w.enroll(w.adcs[2], in: m, sessions: s + visit, at: "2026-03-02T09:00:00Z")
        try w.attend(w.adcs[2], s)
        try w.passAssignment(third, on: "2026-03-06")
        let refused = try w.db.err("enrollment.complete", #"{"id": "\#(third)", "at": "2026-03-06T17:00:00Z"}"#)
        #expect(refused["code"] == "transition_not_allowed" && refused["details"]?["criteria_version"] == 2)
        #expect(refused["details"]?["missing"]?.arrayValue?.map { $0["subject"] } == [.string(visit[0])])
    }

    @Test("a learner with an unrecorded session has not completed; absences beyond what may be missed keep her from completing")
    func unrecordedSessionIsNotCompleted() throws {
        let w = try LearningWorld()
        let s = try w.webinar(["2026-02-05", "2026-02-12", "2026-02-19"])
        let m = try w.module("project_engineering", sessions: s, maxMissed: 1, assignment: false)
        let e = try w.enroll(w.adcs[0], in: m, sessions: s)
        try w.attend(w.adcs[0], [s[0], s[1]])
        let before = try w.db.eventCount()
        let refused = try w.db.err("enrollment.complete", #"{"id": "\#(e)"}"#)
        #expect(refused["code"] == "transition_not_allowed")
        #expect(refused["details"]?["missing"]?.arrayValue?.map { $0["key"] } == ["session.not_recorded"])
        #expect(try w.db.eventCount() == before)
        #expect(try w.db.ok("member.get", #"{"id": "\#(w.adcs[0])"}"#)["competences"] == [])
        let list = try w.db.ok("attendance.list", #"{"session": "\#(s[2])"}"#)["items"]?.arrayValue ?? []
        #expect(list.map { $0["status"] } == ["not_recorded"])
        // Excused counts as missed: one may be missed, so present, present, excused completes.
        try w.attend(w.adcs[0], [s[2]], status: "excused")
        let done = try w.db.ok("enrollment.complete", #"{"id": "\#(e)", "at": "2026-02-20T09:00:00Z"}"#)
        #expect(done["enrollment"]?["completed_on"] == "2026-02-12")
        // Two missed of three is one too many.
        let other = try w.enroll(w.adcs[1], in: m, sessions: s)
        try w.attend(w.adcs[1], [s[0]])
        try w.attend(w.adcs[1], [s[1], s[2]], status: "absent")
        #expect(try w.db.err("enrollment.complete", #"{"id": "\#(other)"}"#)["details"]?["missing"]?.arrayValue?.map { $0["key"] } == ["sessions.too_many_missed"])
    }

    @Test("a returned assignment carries its note and must be submitted again and accepted before the module completes")
    func returnedAssignment() throws {
        let w = try LearningWorld()
        let s = try w.webinar(["2026-02-05"])
        let m = try w.module("communication", sessions: s)
        let e = try w.enroll(w.adcs[0], in: m, sessions: s)
        try w.attend(w.adcs[0], s)
        try w.db.ok("enrollment.submit", #"{"id": "\#(e)", "submission": "Premier jet", "at": "2026-02-10T08:00:00Z"}"#)
        #expect(try w.db.err("enrollment.review", #"{"id": "\#(e)", "status": "returned"}"#)["details"]?["field"] == "note")
        let back = try w.db.ok("enrollment.review", #"{"id": "\#(e)", "status": "returned", "note": "Ajoutez le budget", "actor": "\#(w.facilitator)", "at": "2026-02-11T08:00:00Z"}"#)
        #expect(back["assignment"]?["status"] == "returned" && back["assignment"]?["note"] == "Ajoutez le budget")
        #expect(try w.db.err("enrollment.complete", #"{"id": "\#(e)"}"#)["details"]?["missing"]?.arrayValue?.map { $0["key"] } == ["assignment.returned"])
        // An ADC may not review.
        try w.db.ok("enrollment.submit", #"{"id": "\#(e)", "submission": "Avec le budget", "at": "2026-02-12T08:00:00Z"}"#)
        #expect(try w.db.err("enrollment.review", #"{"id": "\#(e)", "status": "accepted", "actor": "\#(w.adcs[1])"}"#)["code"] == "forbidden")
        try w.db.ok("enrollment.review", #"{"id": "\#(e)", "status": "accepted", "actor": "\#(w.facilitator)", "at": "2026-02-13T08:00:00Z"}"#)
        #expect(try w.db.ok("enrollment.complete", #"{"id": "\#(e)"}"#)["enrollment"]?["completed_on"] == "2026-02-13")
    }

    @Test("a completion attests the competence through module.completed, carrying the criteria version, the day completed and the day recorded")
    func completionIsEvidence() throws {
        let w = try LearningWorld()
        let s = try w.webinar(["2026-02-05", "2026-02-12"])
        let done = try w.complete(w.adcs[0], "communication", sessions: s, at: nil)
        #expect(done["enrollment"]?["completed_on"] == "2026-02-20" && done["enrollment"]?["recorded_on"] == "2026-12-15")
        #expect(done["competence"]?["origin"] == "module" && done["competence"]?["attested_on"] == "2026-02-20")
        let events = try w.db.ok("event.list", #"{"type": "module.completed"}"#)["items"]?.arrayValue ?? []
        #expect(events.count == 1)
        let after = events.first?["payload"]?["after"]
        #expect(after?["criteria_version"] == 1 && after?["completed_on"] == "2026-02-20" && after?["recorded_on"] == "2026-12-15")
        #expect(events.first?["subject"] == .string(w.adcs[0]))
        // Completed once: a second completion is a conflict.
        let e = done["enrollment"]?["id"]?.stringValue ?? ""
        #expect(try w.db.err("enrollment.complete", #"{"id": "\#(e)"}"#)["code"] == "conflict")
    }

    @Test("a completion imported late counts from the day it was completed; one recorded today without a past instant counts from today")
    func lateImportCountsFromCompletion() throws {
        let w = try LearningWorld()
        let s = try w.webinar(["2026-02-05", "2026-02-12"])
        // Imported in December with the instant it happened.
        try w.complete(w.adcs[0], "communication", sessions: s, at: "2026-02-20T17:00:00Z")
        try w.complete(w.adcs[0], "project_engineering", sessions: s, at: "2026-02-20T17:00:00Z")
        #expect(try w.competentCommunes("2026-02-19")["value"] == 0)
        #expect(try w.competentCommunes("2026-02-20")["value"] == 1)
        // Recorded today without saying when: the engine's rule counts it from the day it is known.
        try w.complete(w.adcs[1], "communication", sessions: s, at: nil)
        try w.complete(w.adcs[1], "project_engineering", sessions: s, at: nil)
        #expect(try w.competentCommunes("2026-06-30")["ids"] == .strings([LearningWorld.communes[0]]))
        #expect(try w.competentCommunes("2026-12-15")["ids"] == .strings([LearningWorld.communes[0], LearningWorld.communes[1]].sorted()))
    }

    @Test("a revoked competence stops counting from its revocation day and not before")
    func revocationStopsCounting() throws {
        let w = try LearningWorld()
        let s = try w.webinar(["2026-02-05", "2026-02-12"])
        try w.complete(w.adcs[0], "communication", sessions: s)
        try w.complete(w.adcs[0], "project_engineering", sessions: s)
        #expect(try w.db.err("competence.revoke", #"{"member": "\#(w.adcs[0])", "competence": "communication", "revoked_on": "2026-06-01", "reason": " "}"#)["details"]?["field"] == "reason")
        let r = try w.db.ok("competence.revoke", #"{"member": "\#(w.adcs[0])", "competence": "communication", "revoked_on": "2026-06-01", "reason": "A quitté la fonction d'ADC puis formation à refaire", "at": "2026-06-01T09:00:00Z", "actor": "\#(w.facilitator)"}"#)
        #expect(r["revoked"]?.arrayValue?.first?["revoked_on"] == "2026-06-01")
        #expect(try w.competentCommunes("2026-05-31")["value"] == 1)
        #expect(try w.competentCommunes("2026-06-01")["value"] == 0)
        #expect(try w.competentCommunes("2026-12-15")["value"] == 0)
        // Nothing left to revoke; a revocation is not scheduled ahead.
        #expect(try w.db.err("competence.revoke", #"{"member": "\#(w.adcs[0])", "competence": "communication", "revoked_on": "2026-07-01", "reason": "x"}"#)["code"] == "conflict")
        #expect(try w.db.err("competence.revoke", #"{"member": "\#(w.adcs[0])", "competence": "project_engineering", "revoked_on": "2027-01-01", "reason": "x"}"#)["details"]?["field"] == "revoked_on")
        // Attested again by hand later, she counts again from that day.
        try w.db.ok("competence.attest", #"{"member": "\#(w.adcs[0])", "competence": "communication", "attested_on": "2026-09-01", "at": "2026-09-01T09:00:00Z"}"#)
        #expect(try w.competentCommunes("2026-08-31")["value"] == 0)
        #expect(try w.competentCommunes("2026-09-01")["value"] == 1)
    }

    @Test("the seed indicator is the same whether the attestations come from modules or by hand, each with its origin in the provenance")
    func seedIndicatorByModuleOrByHand() throws {
        let byModule = try LearningWorld(), byHand = try LearningWorld()
        let s = try byModule.webinar(["2026-02-05", "2026-02-12"])
        for n in 0..<2 {
            try byModule.complete(byModule.adcs[n], "project_engineering", sessions: s)
            try byModule.complete(byModule.adcs[n], "communication", sessions: s)
            for c in ["project_engineering", "communication"] {
                try byHand.db.ok("competence.attest", #"{"member": "\#(byHand.adcs[n])", "competence": "\#(c)", "attested_on": "2026-02-20", "by": "\#(byHand.facilitator)", "at": "2026-02-20T17:00:00Z"}"#)
            }
        }
        try byModule.complete(byModule.adcs[2], "communication", sessions: s)
        try byHand.db.ok("competence.attest", #"{"member": "\#(byHand.adcs[2])", "competence": "communication", "attested_on": "2026-02-20", "at": "2026-02-20T17:00:00Z"}"#)
        for day in ["2026-02-19", "2026-02-20", "2026-12-31"] {
            for t in [nil, "09.581", "09.541"] as [String?] {
                let a = try byModule.competentCommunes(day, territory: t), b = try byHand.competentCommunes(day, territory: t)
                #expect(a["value"] == b["value"] && a["ids"] == b["ids"], "\(day) \(t ?? "CDS")")
            }
        }
        let figure = try byModule.db.ok("learning.indicators", #"{"as_of": "2026-12-31", "provenance": true}"#)["competent_adcs"] ?? .null
        let seedIds = try byModule.competentCommunes("2026-12-31")["ids"]
        #expect(figure["value"] == 2 && figure["ids"] == seedIds)
        var origins: [JSON] = []
        for adc in figure["evidence"]?.arrayValue ?? [] {
            for (_, list) in adc["competences"]?.objectValue ?? JSONObject() { origins += list.arrayValue ?? [] }
        }
        #expect(origins.count == 4 && origins.allSatisfy { $0["origin"] == "module" && $0["criteria_version"] == 1 })
        let manual = try byHand.db.ok("learning.indicators", #"{"as_of": "2026-12-31", "provenance": true}"#)["competent_adcs"]?["evidence"]?.arrayValue ?? []
        #expect(manual.count == 2 && manual.allSatisfy { $0["competences"]?["communication"]?.arrayValue?.first?["origin"] == "manual" })
    }

    @Test("erasing a member changes no learning indicator")
    func erasureChangesNoLearningIndicator() throws {
        let w = try LearningWorld()
        let s = try w.webinar(["2026-02-05", "2026-02-12"])
        try w.complete(w.adcs[0], "project_engineering", sessions: s)
        try w.complete(w.adcs[0], "communication", sessions: s)
        try w.complete(w.adcs[1], "communication", sessions: s)
        let all = #"{"as_of": "2026-12-31", "provenance": true, "disaggregate": "gender"}"#
        let before = try w.db.ok("indicators.compute", all)
        try w.db.ok("member.erase", #"{"id": "\#(w.adcs[0])"}"#)
        try w.db.ok("member.erase", #"{"id": "\#(w.adcs[1])"}"#)
        #expect(try w.db.ok("indicators.compute", all) == before)
        #expect(try w.competentCommunes("2026-12-31")["value"] == 1)
    }

    @Test("bad input is refused with a clear error and stores nothing: a session that has not happened, a module without a competence, criteria that cannot be met")
    func badInputStoresNothing() throws {
        let w = try LearningWorld()
        let s = try w.webinar(["2026-02-05", "2027-01-20"])
        let m = try w.module("communication", sessions: s)
        _ = try w.enroll(w.adcs[0], in: m, sessions: s)
        let before = try w.db.eventCount()
        let future = try w.db.err("attendance.record", #"{"session": "\#(s[1])", "member": "\#(w.adcs[0])", "status": "present"}"#)
        #expect(future["code"] == "invalid_params" && future["details"]?["field"] == "session" && (future["message"]?.stringValue ?? "").contains("has not taken place"))
        let early = try w.db.err("attendance.record", #"{"session": "\#(s[0])", "member": "\#(w.adcs[0])", "status": "present", "at": "2026-02-04T10:00:00Z"}"#)
        #expect(early["details"]?["field"] == "session")
        #expect(try w.db.err("attendance.record", #"{"session": "\#(s[0])", "member": "\#(w.adcs[1])", "status": "present"}"#)["details"]?["field"] == "member")
        let noCompetence = try w.db.err("module.create", #"{"title": "Sans compétence", "criteria": {"sessions": ["\#(s[1])"]}}"#)
        #expect(noCompetence["code"] == "invalid_params" && noCompetence["details"]?["field"] == "competence")
        let cases: [(String, String)] = [
            (#"{}"#, "criteria"),
            (#"{"sessions": ["ses_nowhere"]}"#, "criteria.sessions[0]"),
            (#"{"sessions": ["\#(s[0])"]}"#, "criteria.sessions[0]"),
            (#"{"sessions": ["\#(s[1])"], "max_missed": 1}"#, "criteria.max_missed"),
            (#"{"assignment": "x", "max_missed": 2}"#, "criteria.max_missed"),
            (#"{"sessions": ["\#(s[1])", "\#(s[1])"]}"#, "criteria.sessions"),
            (#"{"resources": ["res_nowhere"]}"#, "criteria.resources[0]"),
        ]
        for (criteria, field) in cases {
            let e = try w.db.err("module.create", #"{"title": "Impossible", "competence": "fundraising", "criteria": \#(criteria)}"#)
            #expect(e["code"] == "invalid_params" && e["details"]?["field"] == .string(field), "\(criteria): \(e)")
            #expect((e["message"]?.stringValue ?? "").contains("cannot be met") || field == "criteria.sessions", "\(criteria)")
            #expect(try w.db.err("module.publish", #"{"id": "\#(m)", "criteria": \#(criteria)}"#)["details"]?["field"] == .string(field))
        }
        #expect(try w.db.err("learning_event.create", #"{"kind": "webinar", "title": "Sans lieu", "sessions": [{"on": "2027-02-01"}]}"#)["details"]?["field"] == "sessions[0]")
        #expect(try w.db.eventCount() == before)
        #expect(try w.db.ok("module.list", "{}")["items"]?.arrayValue?.count == 1)
        #expect(try w.db.ok("module.get", #"{"id": "\#(m)"}"#)["versions"]?.arrayValue?.count == 1)
    }

    @Test("completion holds exactly when every session is recorded, the missed ones stay within what is allowed and the assignment is accepted")
    func completionRuleForAllRecords() async {
        let statuses: [AttendanceStatus?] = [nil, .present, .absent, .excused]
        let reviews: [AssignmentStatus?] = [nil, .submitted, .accepted, .returned]
        await propertyCheck(count: 200, input: Gen.int(in: 0...3).array(of: 1...6), Gen.int(in: 0...5), Gen.int(in: 0...3)) { picks, maxMissed, review in
            let marks = picks.map { statuses[$0 & 3] }
            let assignment = reviews[review & 3]
            let sessions = marks.indices.map { "ses_\($0)" }
            let criteria = ModuleCriteria(sessions: sessions, maxMissed: Int64(min(maxMissed, marks.count - 1)), assignment: "brief")
            var record = LearnerRecord()
            for (n, s) in sessions.enumerated() {
                record.sessionDays[s] = LocalDate(daysSinceEpoch: 20_500 + n)
                if let m = marks[n] { record.attendance[s] = m }
            }
            if let a = assignment { record.assignment = (a, LocalDate(daysSinceEpoch: 20_490)) }
            let v = Completion.evaluate(criteria, record)
            let recorded = marks.allSatisfy { $0 != nil }
            let missed = marks.filter { $0 == .absent || $0 == .excused }.count
            let expected = recorded && missed <= Int(criteria.maxMissed) && assignment == .accepted && missed < marks.count
            #expect(v.complete == expected, "\(marks) max \(criteria.maxMissed) \(String(describing: assignment))")
            if v.complete {
                let lastPresent = marks.indices.filter { marks[$0] == .present }.map { 20_500 + $0 }.max() ?? 0
                #expect(v.completedOn == LocalDate(daysSinceEpoch: max(lastPresent, 20_490)))
            }
        }
    }
}
