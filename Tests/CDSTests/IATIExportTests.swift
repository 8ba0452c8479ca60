@_spi(Tooling) import CDS
import CDSCore
import CDSDemo
import Foundation
import Testing

/// The IATI 2.03 XML Schema of the tests' data (Fixtures/iati-schema-2.03, with its attribution).
let iatiSchema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/iati-schema-2.03/iati-activities-schema.xsd").path

/// Validates XML text against the IATI 2.03 schema with xmllint (Debian's libxml2-utils,
/// which .ci/run installs); answers xmllint's messages when it refuses it.
func validateAgainstIATISchema(_ xml: String, in dir: URL) throws -> (valid: Bool, messages: String) {
    let file = dir.appendingPathComponent("iati-\(UUID().uuidString).xml")
    try xml.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["xmllint", "--noout", "--schema", iatiSchema, file.path]
    let err = Pipe()
    process.standardError = err
    process.standardOutput = Pipe()
    try process.run()
    let messages = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus == 0, messages)
}

@Suite("IATI export")
struct IATIExportTests {
    /// The demo CDS in a file, with its projects' ids.
    static func demo() throws -> (TempDB, CDSDatabase, [String]) {
        let tmp = TempDB()
        let db = try tmp.open(OpenOptions(store: .init(now: Instant("2026-12-31T12:00:00Z")), trusted: true))
        _ = try Demo.build(db)
        let ids = try db.ok("project.list", #"{"limit": 1000}"#)["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        return (tmp, db, ids)
    }

    @Test("every demo project, the idea and the rejected one included, exports to IATI XML that the 2.03 schema accepts and that breaks no IATI rule; a bare draft is refused for what it lacks")
    func demoProjectsValidate() throws {
        let (tmp, db, ids) = try Self.demo()
        #expect(ids.count >= 10)
        for id in ids {
            let project = try db.ok("project.get", #"{"id": "\#(id)"}"#)
            let check = try db.ok("export.iati", #"{"projects": ["\#(id)"], "check": true}"#)
            #expect(check["ok"] == true, "\(project["code"]?.stringValue ?? id) (\(project["stage"]?.stringValue ?? "")): \(check["problems"]?.text ?? "")")
            let xml = try db.ok("export.iati", #"{"projects": ["\#(id)"]}"#)["xml"]?.stringValue ?? ""
            let v = try validateAgainstIATISchema(xml, in: tmp.dir)
            #expect(v.valid, "\(project["code"]?.stringValue ?? id): \(v.messages)")
        }
        let all = ids.map { "\"\($0)\"" }.joined(separator: ", ")
        let answer = try db.ok("export.iati", #"{"projects": [\#(all)]}"#)
        #expect(answer["activities"]?.intValue == Int64(ids.count))
        let v = try validateAgainstIATISchema(answer["xml"]?.stringValue ?? "", in: tmp.dir)
        #expect(v.valid, "\(v.messages)")
        // A draft with a title only: nothing goes out, and the problems say what it lacks, and only that.
        let draft = try db.ok("project.create", #"{"title": {"fr": "Une idée sans rien d'autre"}}"#)["id"]?.stringValue ?? ""
        let check = try db.ok("export.iati", #"{"projects": ["\#(draft)"], "check": true}"#)
        let problems = check["problems"]?.arrayValue ?? []
        #expect(check["ok"] == false && problems.contains { $0["path"] == "activity-date" } && problems.allSatisfy { $0["rule"] == "required" }, "\(problems)")
        let e = try db.err("export.iati", #"{"projects": ["\#(draft)"]}"#)
        #expect(e["code"] == "conflict" && e["details"]?["problems"]?.arrayValue?.count == problems.count)
    }

    @Test("an activity says the project in IATI's terms: identifier, titles in every language, roles, status, dates, commune, DAC sector, budget periods summing to the budget, transactions, results")
    func activityContents() throws {
        let (_, db, _) = try Self.demo()
        let funded = try db.ok("project.list", #"{"stage": "implementation"}"#)["items"]?.arrayValue?.first ?? .null
        let id = funded["id"]?.stringValue ?? ""
        let xml = try db.ok("export.iati", #"{"projects": ["\#(id)"]}"#)["xml"]?.stringValue ?? ""
        #expect(xml.contains("<iati-identifier>XI-IATI-CDSSM-\(funded["code"]?.stringValue ?? "")</iati-identifier>"))
        #expect(xml.contains(#"<reporting-org ref="XI-IATI-CDSSM" type="24">"#))
        #expect(xml.contains(#"<narrative xml:lang="ar">شبكة الماء الصالح للشرب بدوار آيت علي</narrative>"#))
        #expect(xml.contains(#"<activity-status code="2"/>"#))
        #expect(xml.contains(#"<activity-date type="1" iso-date="2026-09-01"/>"#))
        #expect(xml.contains(#"<recipient-country code="MA" percentage="100"/>"#))
        #expect(xml.contains(#"<administrative vocabulary="99" level="3" code="09.581.03.03"/>"#))
        #expect(xml.contains(#"<sector vocabulary="1" code="14030" percentage="100"/>"#))
        #expect(xml.contains(#"role="4""#) && xml.contains(#"type="11""#))
        #expect(xml.contains(#"<transaction-type code="11"/>"#))
        #expect(xml.contains("<baseline year=\"2026\" iso-date=\"2026-09-01\" value=\"0\"/>") && xml.contains(#"<target value="60"/>"#))
        #expect(!xml.contains("Brahim") && !xml.contains("Ouarab"), "a person is never named")
        let total = funded["budget"]?["total"]?["minor"]?.intValue ?? 0
        let (activities, _) = try db.store.iatiActivities([id], reportingOrg: nil)
        let budgets = activities.first?.budgets ?? []
        #expect(!budgets.isEmpty)
        #expect(budgets.reduce(Int64(0)) { $0 + $1.value.minor } == total)
    }

    @Test("a budget over several years is reported in periods of at most a year whose amounts sum to the budget")
    func budgetPeriods() throws {
        let from = try #require(LocalDate("2026-03-01")), until = try #require(LocalDate("2028-08-15"))
        let periods = IATI.budgetPeriods(total: 1_250_000_00, currency: "MAD", from: from, until: until, status: "1")
        #expect(periods.count == 3)
        #expect(periods.map(\.start.description) == ["2026-03-01", "2027-03-01", "2028-03-01"])
        #expect(periods.map(\.end.description) == ["2027-02-28", "2028-02-29", "2028-08-15"])
        #expect(periods.reduce(Int64(0)) { $0 + $1.value.minor } == 1_250_000_00)
        #expect(periods.allSatisfy { $0.end.daysSinceEpoch - $0.start.daysSinceEpoch <= 365 })
    }

    @Test("each IATI rule broken once is reported, with where and which rule")
    func eachRuleBroken() throws {
        let (_, db, _) = try Self.demo()
        let id = try db.ok("project.list", #"{"stage": "implementation"}"#)["items"]?.arrayValue?.first?["id"]?.stringValue ?? ""
        let (activities, codes) = try db.store.iatiActivities([id], reportingOrg: nil)
        let good = try #require(activities.first)
        #expect(IATI.check(good, codes: codes).isEmpty)
        try #require(!good.transactions.isEmpty && !good.budgets.isEmpty && !good.sectors.isEmpty && !good.participatingOrgs.isEmpty)

        func broken(_ edit: (inout IATI.Activity) -> Void) -> [IATI.Problem] {
            var a = good
            edit(&a)
            return IATI.check(a, codes: codes)
        }
        func rules(_ p: [IATI.Problem]) -> [String] { p.map(\.rule) }
        // Codes from the shipped code lists.
        #expect(broken { $0.sectors[0].code = "99999" }.map(\.path) == ["sector[0]/@code"])
        #expect(broken { $0.sectors[0].vocabulary = "42" }.map(\.path) == ["sector[0]/@vocabulary"])
        #expect(broken { $0.status = "9" }.map(\.path) == ["activity-status/@code"])
        #expect(broken { $0.participatingOrgs[0].role = "7" }.map(\.path) == ["participating-org[0]/@role"])
        #expect(broken { $0.transactions[0].type = "99" }.map(\.path) == ["transaction[0]/transaction-type/@code"])
        #expect(broken { $0.budgets[0].value.currency = "XXX" }.map(\.path) == ["budget[0]/value/@currency"])
        #expect(rules(broken { $0.defaultCurrency = "MADX" }) == ["code_list"])
        // Sector percentages summing to 100.
        #expect(rules(broken { $0.sectors = [IATI.Sector(vocabulary: "1", code: "14030", share: 6_000), IATI.Sector(vocabulary: "1", code: "14020", share: 3_000)] })
                == ["sector_percentages"])
        #expect(broken { $0.sectors = [IATI.Sector(vocabulary: "1", code: "14030", share: 6_000), IATI.Sector(vocabulary: "1", code: "14020", share: 4_000)] }.isEmpty)
        // Budget periods of at most a year.
        #expect(rules(broken { $0.budgets[0].end = LocalDate(daysSinceEpoch: $0.budgets[0].start.daysSinceEpoch + 400) }) == ["budget_period"])
        // A currency on every value, or a default currency.
        #expect(rules(broken { $0.defaultCurrency = nil; $0.budgets[0].value.currency = nil }) == ["currency"])
        #expect(broken { $0.budgets[0].value.currency = nil }.isEmpty, "the default currency stands for a value without its own")
        // The identifier from the reporting organization's IATI ref.
        #expect(rules(broken { $0.reportingOrg.ref = nil }) == ["identifier"])
        #expect(rules(broken { $0.identifier = "XX-OTHER-1" }) == ["identifier"])
        // What the schema requires and a draft may lack.
        #expect(rules(broken { $0.dates = [] }) == ["required"])
        #expect(rules(broken { $0.descriptions = [] }) == ["required"])
        #expect(rules(broken { $0.recipientCountry.share = 5_000 }) == ["percentages"])
    }

    @Test("the reporting organization needs an IATI organisation identifier; a malformed one is refused on the organization")
    func reportingOrganization() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let p = try db.ok("project.create", #"{"title": {"fr": "Eau"}, "communes": ["09.581.03.03"], "start_on": "2026-01-01"}"#)["id"]?.stringValue ?? ""
        #expect(try db.err("export.iati", #"{"projects": ["\#(p)"]}"#)["details"]?["field"] == "reporting_org")
        #expect(try db.err("organization.create", #"{"kind": "facilitator", "name": "CDS", "iati_ref": "not an id"}"#)["details"]?["field"] == "iati_ref")
        let org = try db.ok("organization.create", #"{"kind": "facilitator", "name": "CDS", "iati_ref": "MA-ICE-001525"}"#)
        #expect(org["iati_ref"] == "MA-ICE-001525")
        #expect(try db.ok("export.iati", #"{"projects": ["\#(p)"], "check": true}"#)["ok"] == false)
        #expect(try db.err("export.iati", #"{"projects": ["prj_missing"]}"#)["code"] == "not_found")
        #expect(try db.err("export.iati", #"{"projects": ["\#(p)"], "stage": "idea"}"#)["details"]?["field"] == "projects")
    }
}
