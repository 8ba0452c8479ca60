import CDS
import CDSCore
import Testing

/// The `batch` method: many calls in one transaction, all or nothing.
@Suite("The batch method")
struct BatchMethodTests {
    static func member(_ name: String, country: String = "FR") -> String {
        #"{"method": "member.create", "params": {"name": "\#(name)", "gender": "f", "roles": ["diaspora"], "residence_country": "\#(country)"}}"#
    }

    @Test("a batch answers every call's result in order, and stores them in one transaction")
    func answersEveryResult() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let facilitator = try db.ok("member.create", #"{"name": "Samira", "gender": "f", "roles": ["facilitator"], "residence_country": "MA"}"#)["id"]?.stringValue ?? ""
        let before = try db.eventCount()
        let calls = (0..<50).map { Self.member("Membre \($0)") } + [#"{"method": "member.list", "params": {"limit": 1000}}"#]
        let r = try db.ok("batch", #"{"actor": "\#(facilitator)", "calls": [\#(calls.joined(separator: ","))]}"#)
        let results = r["results"]?.arrayValue ?? []
        #expect(results.count == 51)
        #expect(results.first?["name"] == "Membre 0")
        #expect(results.last?["items"]?.arrayValue?.count == 51, "a read inside the batch sees the batch's own writes")
        #expect(try db.eventCount() == before + 50)
        let events = try db.ok("event.list", #"{"type": "member.created", "limit": 1000}"#)["items"]?.arrayValue ?? []
        #expect(events.suffix(50).allSatisfy { $0["actor"]?.stringValue == facilitator }, "the batch's actor acts for every call that gives none")
    }

    @Test("a failing call in the middle stores nothing of the batch and names its index and method")
    func allOrNothing() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let before = try db.eventCount()
        let calls = [Self.member("Un"), Self.member("Deux"), Self.member("Trois", country: "XX"), Self.member("Quatre")]
        let e = try db.err("batch", #"{"calls": [\#(calls.joined(separator: ","))]}"#)
        #expect(e["code"] == "invalid_params")
        #expect(e["details"]?["index"] == 2)
        #expect(e["details"]?["method"] == "member.create")
        #expect(e["details"]?["field"] == "residence_country")
        #expect(try db.eventCount() == before, "nothing of the batch was stored")
        #expect(try db.ok("member.list")["items"]?.arrayValue?.isEmpty == true)
        #expect(try db.ok("audit.verify")["ok"] == true)
    }

    @Test("a batch refuses a nested batch, an unknown method and a call with bad params, storing nothing")
    func badCalls() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        #expect(try db.err("batch", #"{"calls": [\#(Self.member("A")), {"method": "batch", "params": {"calls": []}}]}"#)["details"]?["index"] == 1)
        #expect(try db.err("batch", #"{"calls": [{"method": "member.nope"}]}"#)["code"] == "unknown_method")
        #expect(try db.err("batch", #"{"calls": [{"method": "member.create", "params": {"nme": "x"}}]}"#)["details"]?["field"] == "nme")
        #expect(try db.err("batch", #"{"calls": [{"method": "member.create", "params": 3}]}"#)["details"]?["field"] == "calls[0].params")
        #expect(try db.ok("member.list")["items"]?.arrayValue?.isEmpty == true)
        #expect(try db.ok("batch", #"{"calls": []}"#)["results"] == [])
    }
}
