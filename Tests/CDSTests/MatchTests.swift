import CDS
import CDSCore
import Testing

/// The Anzi water project with its need "hydraulic design, on site, August", the engineer
/// of Lyon born in Anzi (the best match), an industrial engineer of Tiznit who can come any
/// time, and a member who did not agree to be contacted.
struct MatchFixture {
    let db: CDSDatabase
    let f: ProjectFixture
    let project: String, need: String, engineer: String, engineerOffer: String, other: String, otherOffer: String, silent: String

    init() throws {
        db = try CDSDatabase(path: ":memory:", options: .trusted)
        f = try ProjectFixture(facadeDoor(db))
        project = try f.formulated()
        need = try f.id("need.create", #"{"project": "\#(project)", "kind": "skill", "description": "Conception hydraulique, sur place en août", "skills": ["2142"], "quantity": {"unit": "person_days", "amount": 10}, "from": "2026-08-03", "until": "2026-08-14", "mode": "on_site", "languages": ["shi"]}"#)
        engineer = try db.diaspora("Brahim", extra: #""residence_city": "Lyon", "origin": "09.581.03.03", "languages": ["shi", "fr"], "skills": ["2142"], "consents": [{"purpose": "contact", "version": "2026-01"}]"#)
        engineerOffer = try f.id("offer.create", #"{"member": "\#(engineer)", "kind": "skill", "skills": ["2142"], "capacity": {"unit": "person_days", "amount": 8}, "windows": [{"from": "2026-08-01", "until": "2026-08-31", "travel": true}], "remote": true, "on_site": true, "languages": ["shi", "fr"], "sectors": ["EAU"], "contact_consent": true}"#)
        other = try db.diaspora("Hassan", extra: #""origin": "09.581.01.07", "languages": ["shi"], "consents": [{"purpose": "contact", "version": "2026-01"}]"#)
        otherOffer = try f.id("offer.create", #"{"member": "\#(other)", "kind": "skill", "skills": ["2141"], "capacity": {"unit": "person_days", "amount": 20}, "remote": false, "on_site": true, "contact_consent": true}"#)
        silent = try db.diaspora("Said", extra: #""origin": "09.581.03.03", "languages": ["shi"]"#)
        _ = try f.id("offer.create", #"{"member": "\#(silent)", "kind": "skill", "skills": ["2142"], "capacity": {"unit": "person_days", "amount": 8}, "on_site": true, "contact_consent": true}"#)
    }

    func top() throws -> [JSON] { try db.ok("match.need", #"{"need": "\#(need)", "k": 10}"#)["matches"]?.arrayValue ?? [] }
}

@Suite("Matching through the door")
struct MatchTests {
    @Test("the engineer born in Anzi comes first for the on-site August need, with his reasons; no consent, no match")
    func needMatches() throws {
        let m = try MatchFixture()
        let top = try m.top()
        #expect(top.map { $0["offer"]?.stringValue ?? "" } == [m.engineerOffer, m.otherOffer])
        let reasons = top.first?["components"]?.arrayValue?.map { $0["reason"]?.stringValue ?? "" }
        #expect(reasons == ["same_skill", "origin_commune", "available_whole_window", "capacity_part", "sector_interest"])
        #expect(top.last?["components"]?.arrayValue?.first?["reason"] == "related_skill")
        #expect(top.first?["constraints"]?.arrayValue?.map { $0["reason"]?.stringValue ?? "" }.contains("on_site_in_travel_window") == true)
        let score = top.first?["score"]?.doubleValue ?? 0
        #expect(score > 0.8 && score <= 1)
        // Both ways: the need is the engineer's best, by offer and by member.
        #expect(try m.db.ok("match.offer", #"{"offer": "\#(m.engineerOffer)"}"#)["matches"]?.arrayValue?.first?["need"]?.stringValue == m.need)
        let mine = try m.db.ok("match.member", #"{"member": "\#(m.engineer)", "k": 3}"#)
        #expect(mine["matches"]?.arrayValue?.first?["offer"]?.stringValue == m.engineerOffer)
        #expect(try m.db.ok("match.all", #"{"k": 1}"#)["needs"]?.arrayValue?.first?["matches"]?.arrayValue?.first?["offer"]?.stringValue == m.engineerOffer)
    }

    @Test("withdrawing consent to be contacted stops matching at once; giving it again brings the match back")
    func consentStopsMatching() throws {
        let m = try MatchFixture()
        _ = try m.db.ok("consent.withdraw", #"{"member": "\#(m.engineer)", "purpose": "contact"}"#)
        #expect(try m.top().map { $0["offer"]?.stringValue ?? "" } == [m.otherOffer])
        #expect(try m.db.err("match.propose", #"{"need": "\#(m.need)", "offer": "\#(m.engineerOffer)"}"#)["code"] == "conflict")
        _ = try m.db.ok("consent.give", #"{"member": "\#(m.engineer)", "purpose": "contact", "version": "2026-02"}"#)
        #expect(try m.top().first?["offer"]?.stringValue == m.engineerOffer)
        _ = try m.db.ok("offer.update", #"{"id": "\#(m.engineerOffer)", "contact_consent": false}"#)
        #expect(try m.top().map { $0["offer"]?.stringValue ?? "" } == [m.otherOffer])
    }

    @Test("accepting a proposal pledges a contribution and uses the offer's capacity; a declined pair is never proposed again")
    func proposeAcceptDecline() throws {
        let m = try MatchFixture()
        let proposed = try m.db.ok("match.propose", #"{"need": "\#(m.need)", "offer": "\#(m.engineerOffer)", "actor": "\#(m.f.adc)"}"#)
        #expect(proposed["status"] == "proposed")
        #expect(proposed["explanation"]?["components"]?.arrayValue?.count == 5)
        let id = proposed["id"]?.stringValue ?? ""
        #expect(try m.db.err("match.propose", #"{"need": "\#(m.need)", "offer": "\#(m.engineerOffer)"}"#)["code"] == "conflict")
        let accepted = try m.db.ok("match.accept", #"{"id": "\#(id)", "actor": "\#(m.engineer)"}"#)
        #expect(accepted["match"]?["status"] == "accepted")
        #expect(accepted["contribution"]?["status"] == "pledged")
        #expect(accepted["contribution"]?["quantity"]?["amount"] == 8)
        #expect(accepted["contribution"]?["match"]?.stringValue == id)
        #expect(try m.db.err("match.accept", #"{"id": "\#(id)"}"#)["code"] == "conflict")
        // The offer's 8 days are pledged: it is no longer a candidate; the need lacks 2 days.
        #expect(try m.top().map { $0["offer"]?.stringValue ?? "" } == [m.otherOffer])
        let second = try m.db.ok("match.propose", #"{"need": "\#(m.need)", "offer": "\#(m.otherOffer)"}"#)["id"]?.stringValue ?? ""
        #expect(try m.db.ok("match.decline", #"{"id": "\#(second)", "reason": "Pas disponible"}"#)["status"] == "declined")
        #expect(try m.top().isEmpty)
        #expect(try m.db.err("match.propose", #"{"need": "\#(m.need)", "offer": "\#(m.otherOffer)"}"#)["code"] == "conflict")
        #expect(try m.db.ok("match.list", #"{"need": "\#(m.need)"}"#)["items"]?.arrayValue?.map { $0["status"]?.stringValue ?? "" } == ["accepted", "declined"])
        #expect(try m.db.ok("match.list", #"{"status": "declined"}"#)["items"]?.arrayValue?.count == 1)
        // The match acceptance rate: one accepted of two decided, in the project's territory only.
        func rate(_ territory: String?) throws -> JSON? {
            let t = territory.map { #", "territory": "\#($0)""# } ?? ""
            return try m.db.ok("indicators.compute", #"{"as_of": "2030-01-01", "provenance": true\#(t)}"#)["indicators"]?.arrayValue?
                .first { $0["id"] == "match_acceptance_rate" }
        }
        #expect(try rate(nil)?["value"] == .double(0.5))
        #expect(try rate(nil)?["ids"] == .array([.string(id)]))
        #expect(try rate("09.581")?["declined"] == 1)
        #expect(try rate("09.541")?["value"] == .null)
        // Cancelling the pledge gives the capacity back.
        let c = accepted["contribution"]?["id"]?.stringValue ?? ""
        _ = try m.db.ok("contribution.update", #"{"id": "\#(c)", "status": "cancelled"}"#)
        #expect(try m.top().first?["offer"]?.stringValue == m.engineerOffer)
        // … and the pair may be proposed again (the same match, reopened).
        let again = try m.db.ok("match.propose", #"{"need": "\#(m.need)", "offer": "\#(m.engineerOffer)"}"#)
        #expect(again["id"]?.stringValue == id && again["status"] == "proposed" && again["contribution"] == .null)
    }

    @Test("the allocation gives each offer to at most one need and maximizes the total score; the fairness cap holds")
    func allocate() throws {
        let m = try MatchFixture()
        // A second need the engineer and Hassan both fit: remote advice on the same project.
        let advice = try m.f.id("need.create", #"{"project": "\#(m.project)", "kind": "skill", "description": "Relecture du dossier", "skills": ["2142"], "quantity": {"unit": "person_days", "amount": 2}, "mode": "either"}"#)
        let a = try m.db.ok("match.allocate", "{}")
        let pairs = a["pairs"]?.arrayValue ?? []
        #expect(pairs.count == 2)
        #expect(Set(pairs.map { $0["offer"]?.stringValue ?? "" }).count == 2)
        let total = pairs.map { $0["score"]?.doubleValue ?? 0 }.reduce(0, +)
        #expect(abs(total - (a["objective"]?.doubleValue ?? -1)) < 1e-9)
        // No other assignment of the two offers does better.
        let s = { (n: String, o: String) throws -> Double in
            let list = try m.db.ok(n == m.need ? "match.need" : "match.need", #"{"need": "\#(n)", "k": 10}"#)["matches"]?.arrayValue ?? []
            return list.first { $0["offer"]?.stringValue == o }?["score"]?.doubleValue ?? 0
        }
        let straight = try s(m.need, m.engineerOffer) + s(advice, m.otherOffer)
        let crossed = try s(m.need, m.otherOffer) + s(advice, m.engineerOffer)
        #expect(abs(total - max(straight, crossed)) < 1e-9)
        // Two slots per offer and one need per member: still one need each.
        let fair = try m.db.ok("match.allocate", #"{"offer_slots": 2, "max_per_member": 1}"#)["pairs"]?.arrayValue ?? []
        #expect(fair.count == 2)
        #expect(Set(fair.map { $0["member"]?.stringValue ?? "" }).count == 2)
    }

    @Test("weights are set per database and change the scores")
    func weights() throws {
        let m = try MatchFixture()
        #expect(try m.db.ok("match.weights")["skills"] == 40)
        let before = try m.top().first?["score"]?.doubleValue ?? 0
        #expect(try m.db.ok("match.set_weights", #"{"territory": 0, "sector": 0}"#)["skills"] == 40)
        #expect(try m.db.ok("match.weights")["territory"] == 0)
        #expect(try m.top().first?["score"]?.doubleValue != before)
        #expect(try m.db.err("match.set_weights", #"{"skills": 0, "territory": 0, "time": 0, "capacity": 0, "sector": 0}"#)["code"] == "invalid_params")
    }

    @Test("bad input: unknown project or need, a skill not in the taxonomy, a reversed window, a capacity of 0, k of 0 or 10⁹ — clear errors, nothing stored")
    func badInput() throws {
        let m = try MatchFixture()
        let before = try m.db.eventCount()
        #expect(try m.db.err("need.create", #"{"project": "prj_nope", "kind": "skill", "description": "x", "quantity": {"unit": "person_days", "amount": 1}}"#)["details"]?["field"] == "project")
        #expect(try m.db.err("need.create", #"{"project": "\#(m.project)", "kind": "skill", "description": "x", "skills": ["9999"], "quantity": {"unit": "person_days", "amount": 1}}"#)["details"]?["field"] == "skills")
        #expect(try m.db.err("need.create", #"{"project": "\#(m.project)", "kind": "skill", "description": "x", "from": "2026-08-10", "until": "2026-08-01", "quantity": {"unit": "person_days", "amount": 1}}"#)["details"]?["field"] == "until")
        #expect(try m.db.err("offer.create", #"{"member": "\#(m.engineer)", "kind": "skill", "capacity": {"unit": "person_days", "amount": 0}}"#)["details"]?["field"] == "capacity.amount")
        #expect(try m.db.err("match.need", #"{"need": "\#(m.need)", "k": 0}"#)["code"] == "invalid_params")
        #expect(try m.db.err("match.need", #"{"need": "\#(m.need)", "k": 1000000000}"#)["code"] == "invalid_params")
        #expect(try m.db.err("match.need", #"{"need": "ned_nope"}"#)["code"] == "not_found")
        #expect(try m.db.err("match.offer", #"{"offer": "ofr_nope"}"#)["code"] == "not_found")
        #expect(try m.db.err("match.member", #"{"member": "mbr_nope"}"#)["code"] == "not_found")
        #expect(try m.db.err("match.propose", #"{"need": "ned_nope", "offer": "\#(m.engineerOffer)"}"#)["code"] == "not_found")
        #expect(try m.db.err("match.accept", #"{"id": "mch_nope"}"#)["code"] == "not_found")
        #expect(try m.db.err("match.allocate", #"{"candidates": 0}"#)["code"] == "invalid_params")
        #expect(try m.db.err("match.all", #"{"project": "prj_nope"}"#)["code"] == "not_found")
        #expect(try m.db.eventCount() == before)
    }

    @Test("a member's export lists her matches; erasing her wipes their explanations")
    func privacy() throws {
        let m = try MatchFixture()
        _ = try m.db.ok("match.propose", #"{"need": "\#(m.need)", "offer": "\#(m.engineerOffer)"}"#)
        let export = try m.db.ok("member.export", #"{"id": "\#(m.engineer)"}"#)
        #expect(export["matches"]?.arrayValue?.first?["explanation"]?["components"] != nil)
        _ = try m.db.ok("member.erase", #"{"id": "\#(m.engineer)"}"#)
        let match = try m.db.ok("match.list", #"{"member": "\#(m.engineer)"}"#)["items"]?.arrayValue?.first
        #expect(match?["explanation"] == .null)
        #expect(match?.text.contains("Anzi") == false)
        #expect(try m.top().map { $0["offer"]?.stringValue ?? "" } == [m.otherOffer])
    }
}
