import CDS
import CDSCore
import Testing

@Suite("Contributions and interactions")
struct ContributionTests {
    @Test("a contribution goes pledged → confirmed → delivered, never back; the need it answers follows")
    func lifecycle() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let f = try ProjectFixture(facadeDoor(db))
        let p = try f.formulated()
        f.makePrecise(p)
        let need = try db.ok("need.list", #"{"project": "\#(p)"}"#)["items"]?.arrayValue?.first?["id"]?.stringValue ?? ""
        let c = try f.id("contribution.create", #"{"project": "\#(p)", "need": "\#(need)", "member": "\#(f.outsider)", "kind": "skill", "quantity": {"unit": "person_days", "amount": 6}, "on": "2026-06-10"}"#)
        #expect(try db.ok("contribution.update", #"{"id": "\#(c)", "status": "confirmed", "on": "2026-06-20"}"#)["confirmed_on"] == "2026-06-20")
        #expect(try db.ok("need.get", #"{"id": "\#(need)"}"#)["status"] == "partly_covered")
        let c2 = try f.id("contribution.create", #"{"project": "\#(p)", "need": "\#(need)", "member": "\#(f.outsider)", "kind": "skill", "quantity": {"unit": "person_days", "amount": 4}}"#)
        try db.ok("contribution.update", #"{"id": "\#(c2)", "status": "confirmed"}"#)
        #expect(try db.ok("need.get", #"{"id": "\#(need)"}"#)["status"] == "covered")
        try db.ok("contribution.update", #"{"id": "\#(c2)", "status": "cancelled"}"#)
        #expect(try db.ok("need.get", #"{"id": "\#(need)"}"#)["status"] == "partly_covered", "a cancelled contribution stops covering")
        #expect(try db.err("contribution.update", #"{"id": "\#(c2)", "status": "confirmed"}"#)["code"] == "conflict")
        #expect(try db.err("contribution.update", #"{"id": "\#(c)", "status": "delivered", "on": "2026-06-01"}"#)["details"]?["field"] == "on")
        #expect(try db.ok("contribution.update", #"{"id": "\#(c)", "status": "delivered", "on": "2026-08-30"}"#)["status"] == "delivered")
        #expect(try db.ok("contribution.list", #"{"member": "\#(f.outsider)", "status": "delivered"}"#)["items"]?.arrayValue?.count == 1)
    }

    @Test("confirmed finance contributions count toward funded")
    func financeCountsTowardFunded() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let f = try ProjectFixture(facadeDoor(db))
        let p = try f.formulated()
        f.makePrecise(p)
        #expect(f.move(p, "ready").ok)
        #expect(f.move(p, "mobilization").ok)
        let need = try db.ok("need.list", #"{"project": "\#(p)"}"#)["items"]?.arrayValue?.first?["id"]?.stringValue ?? ""
        try db.ok("need.update", #"{"id": "\#(need)", "status": "covered"}"#)
        // The plan confirms 500,000 MAD of 1,250,000; diaspora finance confirms the rest.
        let c = try f.id("contribution.create", #"{"project": "\#(p)", "organization": "\#(f.lead)", "kind": "finance", "quantity": {"unit": "money", "amount": 75000000, "currency": "MAD"}}"#)
        #expect(!f.move(p, "funded").ok)
        try db.ok("contribution.update", #"{"id": "\#(c)", "status": "confirmed"}"#)
        #expect(f.move(p, "funded").ok)
    }

    @Test("bad contributions are refused and store nothing")
    func badContributions() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let f = try ProjectFixture(facadeDoor(db))
        let p = try f.formulated()
        let before = try db.eventCount()
        #expect(try db.err("contribution.create", #"{"project": "\#(p)", "member": "\#(f.outsider)", "organization": "\#(f.lead)", "kind": "skill", "quantity": {"unit": "person_days", "amount": 1}}"#)["details"]?["field"] == "member")
        #expect(try db.err("contribution.create", #"{"project": "\#(p)", "member": "\#(f.outsider)", "kind": "finance", "quantity": {"unit": "person_days", "amount": 1}}"#)["details"]?["field"] == "quantity.unit")
        #expect(try db.err("contribution.create", #"{"project": "\#(p)", "member": "\#(f.outsider)", "kind": "skill", "quantity": {"unit": "person_days", "amount": 0}}"#)["details"]?["field"] == "quantity.amount")
        #expect(try db.err("contribution.create", #"{"project": "prj_none", "member": "\#(f.outsider)", "kind": "skill", "quantity": {"unit": "units", "amount": 1}}"#)["details"]?["field"] == "project")
        #expect(try db.eventCount() == before)
    }

    @Test("an interaction links a diaspora member or association with a Moroccan actor, nobody else")
    func interactions() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let f = try ProjectFixture(facadeDoor(db))
        let i = try db.ok("interaction.create", #"{"kind": "visit", "on": "2026-08-12", "member": "\#(f.outsider)", "organization": "\#(f.lead)", "local_member": "\#(f.representative)"}"#)
        #expect(i["kind"] == "visit")
        #expect(try db.err("interaction.create", #"{"kind": "call", "on": "2026-08-12", "member": "\#(f.adc)", "organization": "\#(f.lead)"}"#)["details"]?["field"] == "member")
        let assoc = try f.id("organization.create", #"{"kind": "diaspora_association", "name": "Tafraoutis", "country": "FR"}"#)
        #expect(try db.err("interaction.create", #"{"kind": "call", "on": "2026-08-12", "member": "\#(f.outsider)", "organization": "\#(assoc)"}"#)["details"]?["field"] == "organization")
        try db.ok("interaction.create", #"{"kind": "webinar", "on": "2026-09-01", "diaspora_organization": "\#(assoc)", "organization": "\#(f.commune)"}"#)
        #expect(try db.ok("interaction.list", #"{"organization": "\#(f.commune)"}"#)["items"]?.arrayValue?.count == 1)
        #expect(try db.ok("member.export", #"{"id": "\#(f.outsider)"}"#)["interactions"]?.arrayValue?.count == 1)
    }
}
