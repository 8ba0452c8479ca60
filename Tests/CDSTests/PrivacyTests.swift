import CDS
import CDSCore
import Foundation
import Testing

@Suite("Data protection: export and erasure")
struct PrivacyTests {
    @Test("an export holds the profile, the projects and every event that names the person")
    func export() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let f = try ProjectFixture(facadeDoor(db))
        _ = try f.formulated()
        let e = try db.ok("member.export", #"{"id": "\#(f.adc)"}"#)
        #expect(e["format"] == "cds.member-export")
        #expect(e["version"] == 1)
        #expect(e["member"]?["name"] == "Youssef")
        #expect(e["projects"]?.arrayValue?.first?["roles"]?.arrayValue?.contains("adc") == true)
        let types = Set(e["events"]?.arrayValue?.compactMap { $0["type"]?.stringValue } ?? [])
        #expect(types.isSuperset(of: ["member.created", "project.created", "project.transitioned"]))
    }

    @Test("after erasure no field of the person is found anywhere in the database file, WAL included")
    func erasureLeavesNoTrace() throws {
        let tmp = TempDB()
        let db = try tmp.open()
        let id = try db.diaspora("Zoubida Tiguemmi", extra: #""email": "zoubida.t@example.org", "phone": "+33 6 12 34 56 78", "residence_city": "Montpellier", "origin": "09.541.11.33", "consents": [{"purpose": "contact", "version": "v1"}]"#)
        try db.ok("member.update", #"{"id": "\#(id)", "name": "Zoubida Tiguemmi-Ouali", "residence_city": "Montpellier-Ouest"}"#)
        for n in 0..<50 { _ = try db.diaspora("Other \(n)") }
        let erased = try db.ok("member.erase", #"{"id": "\#(id)"}"#)
        #expect(erased["erased_at"] != .null)
        #expect(erased["email"] == .null)
        #expect(erased["origin"] == "09.541.11.33", "what indicators count stays")
        #expect(erased["consents"]?.arrayValue?.allSatisfy { $0["withdrawn_at"] != .null } == true)
        #expect(try db.ok("audit.verify")["ok"] == true, "the chain still verifies")
        #expect(try db.err("member.update", #"{"id": "\#(id)", "name": "Back"}"#)["code"] == "conflict")
        var bytes = Data()
        for suffix in ["", "-wal", "-shm"] {
            if let d = FileManager.default.contents(atPath: tmp.path + suffix) { bytes.append(d) }
        }
        #expect(bytes.count > 10_000)
        for needle in ["Zoubida", "zoubida", "Tiguemmi", "tiguemmi", "zoubida.t@example.org", "+33 6 12 34 56 78", "Montpellier", "montpellier"] {
            #expect(bytes.range(of: Data(needle.utf8)) == nil, "\(needle) is still in the file")
        }
    }

    @Test("an erased member can be exported (as the surrogate) and not erased twice")
    func erasedExport() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let id = try db.diaspora("Hanane")
        try db.ok("member.erase", #"{"id": "\#(id)"}"#)
        #expect(try db.ok("member.export", #"{"id": "\#(id)"}"#)["member"]?["name"]?.stringValue?.hasPrefix("Membre effacé") == true)
        #expect(try db.err("member.erase", #"{"id": "\#(id)"}"#)["code"] == "conflict")
    }

    @Test("only an erasure may change an event, and only its payload")
    func redactionOnly() throws {
        let tmp = TempDB()
        do { _ = try tmp.open().diaspora("A") }
        let q = try GRDBQueue(tmp.path)
        #expect(throws: (any Error).self) { try q.execute("UPDATE event SET payload = '{}' WHERE seq = 1") }
        #expect(throws: (any Error).self) { try q.execute("UPDATE event SET type = 'x', redacted = 1 WHERE seq = 1") }
    }
}
