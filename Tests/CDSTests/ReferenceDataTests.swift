import CDS
import CDSCore
import Foundation
import GRDB
import Testing

@testable import CDSStore

@Suite("Reference data shipped and loaded on first open")
struct ReferenceDataTests {
    @Test("Talmakante is 09.541.11.33, a rural commune of Taroudannt, with its Arabic name")
    func talmakante() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let t = try db.ok("territory.get", #"{"code": "09.541.11.33"}"#)
        #expect(t["name"]?["fr"] == "Talmakante")
        #expect(t["name"]?["ar"] == "تالماكانت")
        #expect(t["level"] == "commune")
        #expect(t["parent"] == "09.541")
        #expect(t["kind"] == "rural")
        #expect(t["former_region_smd"] == true)
    }

    @Test("Taroudannt has 89 communes; the tree has 12 regions, 75 provinces and 319 communes")
    func counts() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        #expect(try db.ok("territory.list", #"{"level": "commune", "parent": "09.541"}"#)["items"]?.arrayValue?.count == 89)
        #expect(try db.ok("territory.list", #"{"level": "region"}"#)["items"]?.arrayValue?.count == 12)
        #expect(try db.ok("territory.list", #"{"level": "province"}"#)["items"]?.arrayValue?.count == 75)
        #expect(try db.ok("territory.list", #"{"level": "commune", "limit": 1000}"#)["items"]?.arrayValue?.count == 319)
    }

    @Test("paging through territories visits each once")
    func paging() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        var seen: [String] = []
        var cursor: String? = nil
        repeat {
            let c = cursor.map { #", "cursor": "\#($0)""# } ?? ""
            let page = try db.ok("territory.list", #"{"level": "commune", "parent": "09.541", "limit": 10\#(c)}"#)
            seen += page["items"]?.arrayValue?.compactMap { $0["code"]?.stringValue } ?? []
            cursor = page["next_cursor"]?.stringValue
        } while cursor != nil
        #expect(seen.count == 89)
        #expect(Set(seen).count == 89)
    }

    @Test("a name search ignores case and accents, in French or Arabic")
    func search() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let fr = try db.ok("territory.list", #"{"q": "draa"}"#)["items"]?.arrayValue ?? []
        #expect(fr.contains { $0["code"] == "08" })
        let ar = try db.ok("territory.list", #"{"q": "تالماكانت"}"#)["items"]?.arrayValue ?? []
        #expect(ar.map { $0["code"] } == ["09.541.11.33"])
    }

    @Test("the datasets are there: sectors with DAC codes, skills, countries, currencies, languages")
    func datasets() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let eau = try db.ok("reference.list", #"{"dataset": "pac_sectors", "q": "EAU"}"#)["items"]?.arrayValue?.first
        #expect(eau?["dac5_codes"]?.arrayValue?.contains("14030") == true)
        #expect(eau?["labels"]?["ar"] == "الماء الصالح للشرب")
        let skill = try db.ok("reference.list", #"{"dataset": "skills", "q": "civil engineers", "locale": "fr"}"#)["items"]?.arrayValue ?? []
        #expect(skill.contains { $0["code"] == "2142" })
        let s111 = try db.ok("reference.list", #"{"dataset": "skills", "parent": "S1"}"#)["items"]?.arrayValue ?? []
        #expect(s111.contains { $0["code"] == "S1.11" })
        #expect(try db.ok("reference.list", #"{"dataset": "countries", "limit": 1000}"#)["items"]?.arrayValue?.count == 249)
        #expect(try db.ok("reference.list", #"{"dataset": "currencies", "q": "MAD"}"#)["items"]?.arrayValue?.first?["code"] == "MAD")
        #expect(try db.ok("reference.list", #"{"dataset": "languages", "q": "shi"}"#)["items"]?.arrayValue?.first?["code"] == "shi")
        let dac = try db.ok("reference.list", #"{"dataset": "dac_sectors", "q": "14030"}"#)["items"]?.arrayValue?.first
        #expect(dac?["parent"] == "140")
        let roles = try db.ok("reference.list", #"{"dataset": "competences", "locale": "ar"}"#)["items"]?.arrayValue ?? []
        #expect(roles.contains { $0["code"] == "project_engineering" && $0["label"] == "هندسة المشاريع" })
    }

    @Test("the embedded copy equals the files in data/reference")
    func embeddedMatchesFiles() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.appendingPathComponent("data/reference")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".csv") }
        #expect(files.count == EmbeddedReferenceData.files.count)
        for f in files {
            let text = try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8)
            #expect(EmbeddedReferenceData.files[f] == String(text.dropLast(text.hasSuffix("\n") ? 1 : 0)), "\(f) differs: run scripts/embed-reference-data")
        }
    }

    @Test("a newer dataset version is upserted on open without touching members' data")
    func versionedUpgrade() throws {
        let tmp = TempDB()
        var member = ""
        do {
            let db = try tmp.open()
            member = try db.diaspora("Naima", extra: #""origin": "09.541.11.33""#)
        }
        // Pretend the file was written by a release with older territories and a renamed commune.
        let queue = try DatabaseQueue(path: tmp.path)
        try queue.write { db in
            try db.execute(sql: "UPDATE territory SET name_fr = 'Old name' WHERE code = '09.541.11.33'")
            try db.execute(sql: "DELETE FROM reference_version WHERE dataset = 'territories'")
        }
        try queue.close()
        let db = try tmp.open()
        #expect(try db.ok("territory.get", #"{"code": "09.541.11.33"}"#)["name"]?["fr"] == "Talmakante")
        #expect(try db.ok("member.get", #"{"id": "\#(member)"}"#)["origin"] == "09.541.11.33")
        #expect(try db.ok("territory.list", #"{"level": "commune", "limit": 1000}"#)["items"]?.arrayValue?.count == 319)
    }

    @Test("an unknown territory is not_found for territory.get")
    func unknownTerritory() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let e = try db.err("territory.get", #"{"code": "99.999"}"#)
        #expect(e["code"] == "not_found")
        #expect(e["details"]?["entity"] == "territory")
    }
}
