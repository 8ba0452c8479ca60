@_spi(Tooling) import CDS
import CDSStore
import CDSCore
import Foundation
import GRDB
import Testing

@Suite("The event log: every change, chained, kept across reopening")
struct EventLogTests {
    @Test("every change appends an event with its actor, times and changed fields")
    func changesAreLogged() throws {
        let db = try CDSDatabase(path: ":memory:", options: OpenOptions(store: .init(now: Instant("2026-03-01T00:00:00Z")), trusted: true))
        let fac = try db.ok("member.create", #"{"name": "Samira", "gender": "f", "roles": ["facilitator"], "residence_country": "MA"}"#)["id"]?.stringValue ?? ""
        let id = try db.diaspora("Brahim", extra: #""actor": "\#(fac)", "at": "2026-02-10T08:00:00Z""#)
        _ = try db.ok("member.update", #"{"id": "\#(id)", "residence_city": "Lyon", "actor": "\#(fac)"}"#)
        let events = try db.ok("event.list", #"{"subject": "\#(id)"}"#)["items"]?.arrayValue ?? []
        #expect(events.map { $0["type"] } == ["member.created", "member.updated"])
        #expect(events[0]["actor"] == .string(fac))
        #expect(events[0]["occurred_at"] == "2026-02-10T08:00:00Z")
        #expect(events[0]["recorded_at"] == "2026-03-01T00:00:00Z")
        #expect(events[1]["payload"]?["before"] == ["residence_city": .null])
        #expect(events[1]["payload"]?["after"] == ["residence_city": "Lyon"])
    }

    @Test("closing and reopening the file finds everything, event log included")
    func reopen() throws {
        let tmp = TempDB()
        var id = ""
        var events: JSON = .null
        do {
            let db = try tmp.open()
            let org = try db.ok("organization.create", #"{"kind": "commune", "territory": "09.581.01.05"}"#)["id"]?.stringValue ?? ""
            _ = try db.ok("agreement.sign", #"{"organization": "\#(org)", "signed_on": "2026-01-12"}"#)
            id = try db.diaspora("Lahcen", extra: #""origin": "09.581.01.05""#)
            events = try db.ok("event.list")
        }
        let db = try tmp.open()
        #expect(try db.ok("member.get", #"{"id": "\#(id)"}"#)["origin"] == "09.581.01.05")
        #expect(try db.ok("event.list") == events)
        #expect(events["items"]?.arrayValue?.count == 3)
        #expect(try db.ok("audit.verify")["ok"] == true)
    }

    @Test("the log refuses updates and deletes, even from raw SQL")
    func appendOnly() throws {
        let tmp = TempDB()
        do { _ = try tmp.open().diaspora("A") }
        let queue = try DatabaseQueue(path: tmp.path)
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "UPDATE event SET actor = 'x'") } }
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "DELETE FROM event") } }
    }

    @Test("a tampered event breaks the chain, and audit.verify names it")
    func tamperIsFound() throws {
        let tmp = TempDB()
        do {
            let db = try tmp.open()
            for n in 0..<5 { _ = try db.diaspora("M\(n)") }
        }
        let queue = try DatabaseQueue(path: tmp.path)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER event_is_append_only_update")
            try db.execute(sql: "UPDATE event SET payload = replace(payload, 'M2', 'Mallory') WHERE seq = 3")
        }
        try queue.close()
        let report = try tmp.open().ok("audit.verify")
        #expect(report["ok"] == false)
        #expect(report["first_broken"] == 3)
    }

    @Test("a database from a newer schema is refused with a storage error")
    func newerSchema() throws {
        let tmp = TempDB()
        do { _ = try tmp.open() }
        let queue = try DatabaseQueue(path: tmp.path)
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v99-from-the-future')") }
        try queue.close()
        #expect { try tmp.open() } throws: { ($0 as? CDSError)?.code == .storage }
    }

    @Test("a file that is not a database is a storage error")
    func notADatabase() throws {
        let tmp = TempDB()
        try Data(Array("this is not sqlite, just text; ".utf8) + Array(repeating: 65, count: 4096)).write(to: URL(fileURLWithPath: tmp.path))
        #expect { try tmp.open() } throws: { ($0 as? CDSError)?.code == .storage }
    }

    @Test("a read-only database answers reads and refuses writes with a storage error")
    func readOnly() throws {
        let tmp = TempDB()
        do { _ = try tmp.open().diaspora("A") }
        let db = try tmp.open(OpenOptions(store: .init(readOnly: true), trusted: true))
        #expect(try db.ok("member.list")["items"]?.arrayValue?.count == 1)
        #expect(try db.err("member.create", #"{"name": "B", "gender": "f", "roles": ["diaspora"], "residence_country": "FR"}"#)["code"] == "storage")
    }
}

@Suite("Batches: one transaction for many calls")
struct BatchTests {
    @Test("a batch stores every call that succeeded, each atomic; a thrown error rolls the whole batch back")
    func batch() throws {
        let tmp = TempDB()
        let db = try tmp.open()
        try db.store.batch { () throws(CDSError) in
            for n in 0..<200 {
                _ = try db.store.createMember { $0.name = "B\(n)"; $0.gender = .f; $0.roles = [.diaspora]; $0.residenceCountry = "FR" }
            }
            // A call that fails inside the batch leaves nothing of itself and the batch goes on.
            #expect(throws: CDSError.self) { try db.store.createMember { $0.name = "bad"; $0.gender = .f; $0.roles = [.diaspora]; $0.residenceCountry = "XX" } }
            #expect(try db.store.members(limit: 1000).items.count == 200, "reads see the batch's own writes")
        }
        #expect(try db.ok("audit.verify")["events"] == 200)
        #expect(throws: CDSError.self) {
            try db.store.batch { () throws(CDSError) in
                _ = try db.store.createMember { $0.name = "rolled back"; $0.gender = .f; $0.roles = [.diaspora]; $0.residenceCountry = "FR" }
                throw CDSError(.conflict, "stop")
            }
        }
        #expect(try db.ok("member.list", #"{"q": "rolled back"}"#)["items"]?.arrayValue?.isEmpty == true)
        #expect(try db.ok("audit.verify")["ok"] == true)
    }
}
