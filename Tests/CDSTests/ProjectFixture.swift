import CDS
import CDSCore
import Testing

/// A CDS with what a project needs to go all the way: an ADC of Anzi, a facilitator, the
/// commune of Anzi with its representative, a lead organization. Calls go through `call`,
/// so the same walk runs by the Swift facade or the C door.
struct ProjectFixture {
    typealias Door = (_ method: String, _ params: String) -> (ok: Bool, json: JSON)
    let call: Door
    var adc = "", facilitator = "", representative = "", commune = "", lead = "", outsider = ""

    init(_ call: @escaping Door) throws {
        self.call = call
        facilitator = try id("member.create", #"{"name": "Samira", "gender": "f", "roles": ["facilitator"], "residence_country": "MA"}"#)
        adc = try id("member.create", #"{"name": "Youssef", "gender": "m", "roles": ["adc"], "residence_country": "MA", "adc_commune": "09.581.03.03"}"#)
        commune = try id("organization.create", #"{"kind": "commune", "territory": "09.581.03.03"}"#)
        representative = try id("member.create", #"{"name": "Le président", "gender": "m", "roles": ["local_actor"], "residence_country": "MA", "organizations": [{"organization": "\#(commune)", "role": "président"}]}"#)
        lead = try id("organization.create", #"{"kind": "local_association", "name": "Association Ait Ali pour l'eau", "territory": "09.581.03.03"}"#)
        outsider = try id("member.create", #"{"name": "Brahim", "gender": "m", "roles": ["diaspora"], "residence_country": "FR"}"#)
    }

    /// Calls and answers `result.id`, recording an issue on an error.
    func id(_ method: String, _ params: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let r = call(method, params)
        #expect(r.ok, "\(method): \(r.json.text.prefix(400))", sourceLocation: sourceLocation)
        return r.json["result"]?["id"]?.stringValue ?? ""
    }

    /// Calls, expecting success, and answers the result.
    @discardableResult
    func ok(_ method: String, _ params: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSON {
        let r = call(method, params)
        #expect(r.ok, "\(method): \(r.json.text.prefix(600))", sourceLocation: sourceLocation)
        return r.json["result"] ?? .null
    }

    /// Calls, expecting an error, and answers it.
    func refused(_ method: String, _ params: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSON {
        let r = call(method, params)
        #expect(!r.ok, "\(method) should fail: \(r.json.text.prefix(300))", sourceLocation: sourceLocation)
        return r.json["error"] ?? .null
    }

    func move(_ p: String, _ to: String, by actor: String? = nil, note: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) -> (ok: Bool, json: JSON) {
        let n = note.map { #", "note": "\#($0)""# } ?? ""
        return call("project.transition", #"{"id": "\#(p)", "to": "\#(to)", "actor": "\#(actor ?? adc)"\#(n)}"#)
    }

    static let identification = #""communes": ["09.581.03.03"], "sector": "EAU", "summary": {"fr": "Raccorder 60 foyers du douar Ait Ali au réseau d'eau potable", "ar": "ربط 60 أسرة بشبكة الماء الصالح للشرب"}"#
    static let formulation = #""identification_note": "Source captée à 2 km; la commune a inscrit l'action au PAC 2023-2028", "beneficiaries": {"total": 420, "women": 210, "youth": 120}, "pac_reference": "PAC Anzi 2023-2028, axe 2, action 4""#
    static let budget = #""budget": {"currency": "MAD", "lines": [{"category": "works", "label": "Conduites et branchements", "amount": {"minor": 95000000, "currency": "MAD"}}, {"category": "studies", "label": "Étude hydraulique", "amount": {"minor": 30000000, "currency": "MAD"}}]}"#
    static let fundingExpected = #""funding_plan": [{"label": "Commune d'Anzi", "amount": {"minor": 50000000, "currency": "MAD"}, "status": "confirmed"}, {"label": "INDH", "amount": {"minor": 43750000, "currency": "MAD"}, "status": "expected"}, {"label": "Diaspora", "amount": {"minor": 31250000, "currency": "MAD"}, "status": "expected"}]"#
    static let fundingConfirmed = #""funding_plan": [{"label": "Commune d'Anzi", "amount": {"minor": 50000000, "currency": "MAD"}, "status": "confirmed"}, {"label": "INDH", "amount": {"minor": 43750000, "currency": "MAD"}, "status": "confirmed"}, {"label": "Diaspora", "amount": {"minor": 31250000, "currency": "MAD"}, "status": "confirmed"}]"#
    static let logframe = #""logframe": {"goal": "Améliorer l'accès à l'eau potable à Anzi", "specific_objective": "60 foyers raccordés", "results": [{"title": "Réseau posé", "indicators": [{"name": "Foyers raccordés", "unit": "foyers", "baseline": 0, "target": 60}]}], "activities": [{"title": "Pose des conduites", "start_on": "2026-09-01", "end_on": "2026-12-15", "responsible": "Association Ait Ali"}], "risks": ["Retard des autorisations"]}"#

    /// Creates a project and brings it to `formulation`, ready to be made precise.
    func formulated() throws -> String {
        let p = try id("project.create", #"{"title": {"fr": "Eau potable du douar Ait Ali"}, "adc": "\#(adc)", "proposer": "\#(commune)", "actor": "\#(adc)"}"#)
        ok("project.update", #"{"id": "\#(p)", \#(Self.identification)}"#)
        #expect(move(p, "identification").ok)
        ok("project.update", #"{"id": "\#(p)", \#(Self.formulation)}"#)
        #expect(move(p, "formulation").ok)
        return p
    }

    /// Fills everything `ready` needs.
    func makePrecise(_ p: String) {
        ok("project.update", #"{"id": "\#(p)", \#(Self.logframe), \#(Self.budget), \#(Self.fundingExpected), "lead_organization": "\#(lead)", "start_on": "2026-09-01", "end_on": "2027-06-30", "partners": [{"organization": "\#(lead)", "role": "implementing"}, {"organization": "\#(commune)", "role": "funding"}]}"#)
        ok("need.create", #"{"project": "\#(p)", "kind": "skill", "description": "Conception hydraulique, sur place en août", "skills": ["2142"], "quantity": {"unit": "person_days", "amount": 10}, "from": "2026-08-01", "until": "2026-08-31", "mode": "on_site", "languages": ["shi"], "critical": true}"#)
        ok("project.endorse", #"{"id": "\#(p)", "on": "2026-05-20", "reference": "Délibération 12/2026", "actor": "\#(representative)"}"#)
    }

    /// Walks a project through every stage of the main line, with a refused transition
    /// that lists several missing items on the way; answers the project id.
    func walkEveryStage() throws -> String {
        let p = try formulated()
        let refused = move(p, "ready")
        #expect(!refused.ok)
        #expect(refused.json["error"]?["code"] == "transition_not_allowed")
        let keys = refused.json["error"]?["details"]?["missing"]?.arrayValue?.compactMap { $0["key"]?.stringValue } ?? []
        #expect(keys.count >= 5, "every unmet requirement at once: \(keys)")
        #expect(keys.contains("funding_plan.covers_budget") && keys.contains("endorsement.recorded") && keys.contains("needs.itemized"))
        makePrecise(p)
        #expect(move(p, "ready").ok)
        #expect(move(p, "mobilization").ok)
        let notFunded = move(p, "funded")
        let fundedKeys = notFunded.json["error"]?["details"]?["missing"]?.arrayValue?.compactMap { $0["key"]?.stringValue } ?? []
        #expect(Set(fundedKeys) == ["finance.confirmed_covers_budget", "needs.critical_covered"])
        ok("project.update", #"{"id": "\#(p)", \#(Self.fundingConfirmed)}"#)
        let need = ok("need.list", #"{"project": "\#(p)"}"#)["items"]?.arrayValue?.first?["id"]?.stringValue ?? ""
        ok("need.update", #"{"id": "\#(need)", "status": "covered"}"#)
        #expect(move(p, "funded").ok)
        #expect(!move(p, "implementation").ok)
        ok("project.update", #"{"id": "\#(p)", "started_on": "2026-09-07"}"#)
        #expect(move(p, "implementation").ok)
        ok("project.update", #"{"id": "\#(p)", "progress_report": {"on": "2026-12-20", "progress": 100, "text": "60 foyers raccordés"}, "final_report": "Réseau livré et réceptionné"}"#)
        #expect(move(p, "completed").ok)
        ok("project.update", #"{"id": "\#(p)", "lessons_learned": "Associer tôt l'association d'usagers"}"#)
        #expect(move(p, "capitalized").ok)
        #expect(ok("project.get", #"{"id": "\#(p)"}"#)["stage"] == "capitalized")
        return p
    }
}
