import CDS
import CDSCore
import Testing

@Suite("Offers")
struct OfferTests {
    @Test("an engineer's offer: remote all year and on site during a travel window; listed by skill, exported with her data")
    func offer() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let m = try db.diaspora("Brahim", extra: #""origin": "09.581.03.03""#)
        let o = try db.ok("offer.create", #"{"member": "\#(m)", "kind": "skill", "description": "Conception hydraulique", "skills": ["2142"], "capacity": {"unit": "person_days", "amount": 10}, "windows": [{"from": "2026-08-01", "until": "2026-08-31", "travel": true}], "remote": true, "on_site": true, "languages": ["shi", "fr"], "territories": ["09.581"], "sectors": ["EAU"], "contact_consent": true}"#)
        #expect(o["status"] == "active")
        #expect(o["windows"]?.arrayValue?.first?["travel"] == true)
        let id = o["id"]?.stringValue ?? ""
        #expect(try db.ok("offer.list", #"{"skill": "2142"}"#)["items"]?.arrayValue?.count == 1)
        #expect(try db.ok("offer.update", #"{"id": "\#(id)", "status": "paused"}"#)["status"] == "paused")
        #expect(try db.ok("offer.list", #"{"status": "active"}"#)["items"]?.arrayValue?.isEmpty == true)
        #expect(try db.ok("member.export", #"{"id": "\#(m)"}"#)["offers"]?.arrayValue?.count == 1)
    }

    @Test("bad offers are refused and store nothing")
    func badOffers() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let m = try db.diaspora("A")
        let before = try db.eventCount()
        func field(_ extra: String) throws -> String? {
            try db.err("offer.create", #"{"member": "\#(m)", "kind": "skill", "capacity": {"unit": "person_days", "amount": 5}, \#(extra)}"#)["details"]?["field"]?.stringValue
        }
        #expect(try db.err("offer.create", #"{"member": "\#(m)", "kind": "skill", "capacity": {"unit": "person_days", "amount": 0}}"#)["details"]?["field"] == "capacity.amount")
        #expect(try field(#""windows": [{"from": "2026-08-31", "until": "2026-08-01"}]"#) == "windows[0].until")
        #expect(try field(#""skills": ["0000"]"#) == "skills")
        #expect(try field(#""territories": ["99.999"]"#) == "territories[0]")
        #expect(try field(#""remote": false"#) == "remote")
        #expect(try field(#""organization": "org_x""#) == "member")
        #expect(try db.err("offer.create", #"{"member": "\#(m)", "kind": "finance", "capacity": {"unit": "person_days", "amount": 5}}"#)["details"]?["field"] == "capacity.unit")
        #expect(try db.eventCount() == before)
    }
}
