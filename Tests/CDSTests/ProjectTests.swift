@_spi(Tooling) import CDS
import CDSC
import CDSCore
import CDSHeader
import GRDB
import PropertyBased
import Testing

/// The facade's JSON text door as a fixture door.
func facadeDoor(_ db: CDSDatabase) -> ProjectFixture.Door {
    { method, params in
        let a = db.call(method, params)
        return (a.ok, (try? JSON.parse(a.text)) ?? .null)
    }
}

@Suite("Projects and their maturation")
struct ProjectTests {
    @Test("a project walks through every stage by the Swift facade, replaying its history gives its state")
    func everyStageByFacade() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let f = try ProjectFixture(facadeDoor(db))
        let p = try f.walkEveryStage()
        var state = try db.ok("project.get", #"{"id": "\#(p)"}"#).objectValue ?? JSONObject()
        state["checklist"] = nil
        state["updated_at"] = nil
        #expect(try db.store.replayProject(p) == .object(state))
        let history = try db.ok("project.history", #"{"id": "\#(p)", "limit": 1000}"#)["items"]?.arrayValue ?? []
        let moves = history.filter { $0["type"] == "project.transitioned" }.compactMap { $0["to"]?.stringValue }
        #expect(moves == ["identification", "formulation", "ready", "mobilization", "funded", "implementation", "completed", "capitalized"])
        #expect(history.contains { $0["type"] == "need.created" })
    }

    @Test("a project walks through every stage by the C door")
    func everyStageByCDoor() throws {
        var handle: OpaquePointer? = nil
        #expect(cds_open(":memory:", #"{"trusted": true}"#, &handle, nil) == CDS_OK)
        defer { cds_close(handle) }
        let door: ProjectFixture.Door = { method, params in
            var out: UnsafeMutablePointer<CChar>? = nil
            let s = cds_call(handle, method, params, &out)
            defer { cds_free(out) }
            return (s == CDS_OK, (try? JSON.parse(out.map { String(cString: $0) } ?? "")) ?? .null)
        }
        let f = try ProjectFixture(door)
        _ = try f.walkEveryStage()
    }

    @Test("a refused transition lists its items in the locale asked")
    func localizedChecklist() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let f = try ProjectFixture(facadeDoor(db))
        let p = try f.formulated()
        let e = try db.err("project.transition", #"{"id": "\#(p)", "to": "ready", "actor": "\#(f.adc)", "locale": "ar"}"#)
        let item = e["details"]?["missing"]?.arrayValue?.first { $0["key"] == "funding_plan.covers_budget" }
        #expect(item?["label"] == "خطة التمويل تغطي الميزانية")
        let k = try db.ok("project.checklist", #"{"id": "\#(p)", "locale": "en"}"#)
        #expect(k["target"] == "ready")
        #expect(k["missing"]?.arrayValue?.contains { $0["label"] == "The funding plan covers the budget" } == true)
        #expect((k["readiness"]?.intValue.map(Double.init) ?? { if case .double(let d)? = k["readiness"] { return d } else { return -1 } }()) > 0)
    }

    @Test("on hold resumes to the stage it left, with its requirements checked again")
    func onHold() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let f = try ProjectFixture(facadeDoor(db))
        let p = try f.formulated()
        #expect(f.move(p, "on_hold", note: "élections communales").ok)
        #expect(try db.ok("project.get", #"{"id": "\#(p)"}"#)["on_hold_from"] == "formulation")
        #expect(try db.err("project.transition", #"{"id": "\#(p)", "to": "identification", "actor": "\#(f.adc)"}"#)["code"] == "transition_not_allowed")
        try db.ok("project.update", #"{"id": "\#(p)", "beneficiaries": null}"#)
        let e = try db.err("project.transition", #"{"id": "\#(p)", "to": "formulation", "actor": "\#(f.adc)"}"#)
        #expect(e["details"]?["missing"]?.arrayValue?.map { $0["key"] } == ["beneficiaries.estimated"])
        try db.ok("project.update", #"{"id": "\#(p)", "beneficiaries": {"total": 420}}"#)
        #expect(f.move(p, "formulation").ok)
        #expect(try db.ok("project.get", #"{"id": "\#(p)"}"#)["on_hold_from"] == .null)
    }

    @Test("rejected and abandoned need a reason and are terminal")
    func terminal() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let f = try ProjectFixture(facadeDoor(db))
        let p = try f.id("project.create", #"{"title": {"fr": "Piste"}, "adc": "\#(f.adc)"}"#)
        let e = try db.err("project.transition", #"{"id": "\#(p)", "to": "rejected", "actor": "\#(f.facilitator)"}"#)
        #expect(e["details"]?["missing"]?.arrayValue?.map { $0["key"] } == ["reason.given"])
        #expect(f.move(p, "rejected", by: f.facilitator, note: "hors compétence communale").ok)
        #expect(try db.ok("project.get", #"{"id": "\#(p)"}"#)["closed_reason"] == "hors compétence communale")
        let again = try db.err("project.transition", #"{"id": "\#(p)", "to": "identification", "actor": "\#(f.facilitator)"}"#)
        #expect(again["details"]?["missing"]?.arrayValue?.map { $0["key"] } == ["stage.not_terminal"])
        #expect(try db.err("project.update", #"{"id": "\#(p)", "note": "x"}"#)["code"] == "conflict")
        let q = try f.formulated()
        #expect(f.move(q, "abandoned", note: "source tarie").ok)
    }

    @Test("only the project's ADC, a facilitator or an admin moves it; only the commune's representative endorses")
    func roles() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let f = try ProjectFixture(facadeDoor(db))
        let p = try f.formulated()
        #expect(try db.err("project.transition", #"{"id": "\#(p)", "to": "on_hold", "actor": "\#(f.outsider)"}"#)["code"] == "forbidden")
        #expect(try db.err("project.transition", #"{"id": "\#(p)", "to": "on_hold"}"#)["details"]?["field"] == "actor")
        #expect(try db.err("project.endorse", #"{"id": "\#(p)", "on": "2026-05-20", "actor": "\#(f.adc)"}"#)["code"] == "forbidden")
        #expect(try db.ok("project.endorse", #"{"id": "\#(p)", "on": "2026-05-20", "actor": "\#(f.representative)"}"#)["endorsements"]?.arrayValue?.count == 1)
    }

    @Test("bad project input is a clear error and stores nothing")
    func badInput() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let f = try ProjectFixture(facadeDoor(db))
        let p = try f.formulated()
        let before = try db.eventCount()
        func field(_ params: String) throws -> String? { try db.err("project.update", #"{"id": "\#(p)", \#(params)}"#)["details"]?["field"]?.stringValue }
        #expect(try field(#""budget": {"currency": "MAD", "lines": [{"category": "works", "label": "x", "amount": {"minor": -5, "currency": "MAD"}}]}"#) == "budget.lines[0].amount.minor")
        #expect(try field(#""budget": {"currency": "MAD", "lines": [{"category": "works", "label": "a", "amount": {"minor": 9223372036854775807, "currency": "MAD"}}, {"category": "works", "label": "b", "amount": {"minor": 1, "currency": "MAD"}}]}"#) == "budget.lines[0].amount.minor",
                "an amount past Limits.amount is refused, so no budget's total can overflow")
        #expect(try field(#""budget": {"currency": "MAD", "lines": [{"category": "works", "label": "x", "amount": {"minor": 5, "currency": "EUR"}}]}"#) == "budget.lines[0].amount.currency")
        #expect(try field(#"\#(ProjectFixture.budget), "funding_plan": [{"label": "x", "amount": {"minor": 5, "currency": "EUR"}}]"#) == "funding_plan[0].amount.currency")
        #expect(try field(#""start_on": "2026-09-01", "end_on": "2026-08-01""#) == "end_on")
        #expect(try field(#""communes": ["09.581"]"#) == "communes[0]")
        #expect(try field(#""sector": "XYZ""#) == "sector")
        #expect(try field(#""adc": "\#(f.outsider)""#) == "adc")
        #expect(try field(#""beneficiaries": {"total": 10, "women": 11}"#) == "beneficiaries.women")
        #expect(try field(#""logframe": {"activities": [{"title": "a", "start_on": "2026-02-01", "end_on": "2026-01-01"}]}"#) == "logframe.activities[0].end_on")
        #expect(try db.err("project.transition", #"{"id": "\#(p)", "to": "finished", "actor": "\#(f.adc)"}"#)["details"]?["field"] == "to")
        #expect(try db.err("need.create", #"{"project": "prj_none", "kind": "skill", "description": "x", "quantity": {"unit": "units", "amount": 1}}"#)["details"]?["field"] == "project")
        #expect(try db.err("need.create", #"{"project": "\#(p)", "kind": "finance", "description": "x", "quantity": {"unit": "units", "amount": 1}}"#)["details"]?["field"] == "quantity.unit")
        #expect(try db.err("need.create", #"{"project": "\#(p)", "kind": "skill", "description": "x", "skills": ["0000x"], "quantity": {"unit": "units", "amount": 1}}"#)["details"]?["field"] == "skills")
        #expect(try db.err("need.create", #"{"project": "\#(p)", "kind": "skill", "description": "x", "quantity": {"unit": "units", "amount": 1}, "from": "2026-05-01", "until": "2026-04-01"}"#)["details"]?["field"] == "until")
        #expect(try db.eventCount() == before, "nothing was logged")
    }

    @Test("an imported fact cannot be put before the project's previous event")
    func chronology() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let f = try ProjectFixture(facadeDoor(db))
        let p = try f.id("project.create", #"{"title": {"fr": "Transport scolaire"}, "at": "2026-03-10T09:00:00Z"}"#)
        #expect(try db.err("project.update", #"{"id": "\#(p)", "note": "x", "at": "2026-03-01T09:00:00Z"}"#)["details"]?["field"] == "at")
        try db.ok("project.update", #"{"id": "\#(p)", "note": "réunion avec les parents", "at": "2026-03-12T09:00:00Z"}"#)
    }

    @Test("projects are listed by stage, territory (a province includes its communes) and sector")
    func listing() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let f = try ProjectFixture(facadeDoor(db))
        let p = try f.formulated()
        _ = try f.id("project.create", #"{"title": {"fr": "Pompage solaire"}, "communes": ["09.541.11.33"], "sector": "AGR"}"#)
        #expect(try db.ok("project.list", #"{"territory": "09.581"}"#)["items"]?.arrayValue?.map { $0["id"] } == [.string(p)])
        #expect(try db.ok("project.list", #"{"territory": "09"}"#)["items"]?.arrayValue?.count == 2)
        #expect(try db.ok("project.list", #"{"stage": "formulation"}"#)["items"]?.arrayValue?.count == 1)
        #expect(try db.ok("project.list", #"{"sector": "AGR"}"#)["items"]?.arrayValue?.first?["dac_code"] == "31120")
        #expect(try db.ok("project.list", #"{"q": "solaire"}"#)["items"]?.arrayValue?.count == 1)
    }

    /// The rows of the project tables, as text, to compare byte for byte.
    static func projectRows(_ path: String) throws -> String {
        let q = try DatabaseQueue(path: path)
        defer { try? q.close() }
        return try q.read { db in
            try ["project", "project_commune", "need", "need_skill"].map { t in
                try Row.fetchAll(db, sql: "SELECT * FROM \(t) ORDER BY 1, 2").map { $0.description }.joined(separator: "\n")
            }.joined(separator: "\n--\n")
        }
    }

    /// One random step on a project: a change of data or a transition.
    static let steps = ["identify", "formulate", "precise", "endorse", "need", "cover", "fund", "start", "finish", "learn", "drop-budget",
                        "drop-beneficiaries", "hold", "resume", "abandon"] + Stage.codes.map { "to:" + $0 }

    @Test("no sequence of calls reaches a stage whose requirements are unmet; a refused move changes no project row; replay equals state",
          .tags(.property))
    func workflowProperties() async throws {
        await propertyCheck(count: 25, input: Gen.element(of: Self.steps).map { $0 ?? "to:idea" }.array(of: 1...30)) { steps in
            let tmp = TempDB()
            guard let db = try? tmp.open(), let f = try? ProjectFixture(facadeDoor(db)),
                  let p = try? f.id("project.create", #"{"title": {"fr": "Eau"}, "adc": "\#(f.adc)"}"#) else {
                Issue.record("fixture")
                return
            }
            for step in steps {
                let stage = (try? db.ok("project.get", #"{"id": "\#(p)"}"#))?["stage"]?.stringValue ?? ""
                var target: String? = nil
                switch step {
                case "identify": _ = db.call("project.update", #"{"id": "\#(p)", \#(ProjectFixture.identification)}"#)
                case "formulate": _ = db.call("project.update", #"{"id": "\#(p)", \#(ProjectFixture.formulation)}"#)
                case "precise": _ = db.call("project.update", #"{"id": "\#(p)", \#(ProjectFixture.logframe), \#(ProjectFixture.budget), \#(ProjectFixture.fundingExpected), "lead_organization": "\#(f.lead)", "start_on": "2026-09-01", "end_on": "2027-06-30"}"#)
                case "endorse": _ = db.call("project.endorse", #"{"id": "\#(p)", "on": "2026-05-20", "actor": "\#(f.representative)"}"#)
                case "need": _ = db.call("need.create", #"{"project": "\#(p)", "kind": "skill", "description": "étude", "quantity": {"unit": "person_days", "amount": 5}, "critical": true}"#)
                case "cover":
                    for n in (try? db.ok("need.list", #"{"project": "\#(p)"}"#))?["items"]?.arrayValue ?? [] {
                        _ = db.call("need.update", #"{"id": "\#(n["id"]?.stringValue ?? "")", "status": "covered"}"#)
                    }
                case "fund": _ = db.call("project.update", #"{"id": "\#(p)", \#(ProjectFixture.fundingConfirmed)}"#)
                case "start": _ = db.call("project.update", #"{"id": "\#(p)", "started_on": "2026-09-07"}"#)
                case "finish": _ = db.call("project.update", #"{"id": "\#(p)", "progress_report": {"on": "2026-12-20", "progress": 100, "text": "fini"}, "final_report": "ok"}"#)
                case "learn": _ = db.call("project.update", #"{"id": "\#(p)", "lessons_learned": "leçons"}"#)
                case "drop-budget": _ = db.call("project.update", #"{"id": "\#(p)", "budget": null}"#)
                case "drop-beneficiaries": _ = db.call("project.update", #"{"id": "\#(p)", "beneficiaries": null}"#)
                case "hold": target = "on_hold"
                case "resume": target = (try? db.ok("project.get", #"{"id": "\#(p)"}"#))?["on_hold_from"]?.stringValue ?? "idea"
                case "abandon": target = "abandoned"
                default: target = String(step.dropFirst(3))
                }
                guard let target else { continue }
                let rowsBefore = (try? Self.projectRows(tmp.path)) ?? "?"
                let moved = f.move(p, target, note: "raison")
                if moved.ok {
                    // The stage reached has every requirement met.
                    if let s = Stage(rawValue: target), Stage.mainLine.contains(s) {
                        let k = try? db.ok("project.checklist", #"{"id": "\#(p)", "to": "\#(target)"}"#)
                        #expect(k?["missing"]?.arrayValue?.isEmpty == true, "reached \(target) from \(stage) with \(k?["missing"]?.text ?? "")")
                    }
                } else {
                    #expect((try? Self.projectRows(tmp.path)) == rowsBefore, "a refused move changed project rows")
                }
            }
            var state = ((try? db.ok("project.get", #"{"id": "\#(p)"}"#))?.objectValue) ?? JSONObject()
            state["checklist"] = nil
            state["updated_at"] = nil
            #expect((try? db.store.replayProject(p)) == .object(state))
        }
    }
}
