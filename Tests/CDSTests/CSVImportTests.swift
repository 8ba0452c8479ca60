@_spi(Tooling) import CDS
import CDSCore
import CDSDemo
import Foundation
import Synchronization
import Testing

/// The members' sheet of an association, as French Excel saves it: a BOM, `;`, French
/// headers, DD/MM/YYYY dates, Arabic and accented names, quoted cells.
enum MembersSheet {
    static let header = "Réf;Nom;Genre;Rôles;Pays de résidence;Ville;E-mail;Téléphone;Origine;Diaspora de cœur;Langues;Compétences;Commune ADC;Invité par;Date d'inscription;Consentement traitement"
    static let cities = ["Lyon", "Gennevilliers", "Bruxelles", "\"Saint-Denis; Île-de-France\"", "Rotterdam", "Barcelona", "Liège", "Montpellier"]
    static let countries = ["FR", "FR", "BE", "FR", "NL", "ES", "BE", "FR"]
    static let origins = ["09.581.03.03", "09.581.01.05", "09.541.11.33", "09.581.09.07", "09.541", "", "09.581", "09.581.03.03"]

    /// Row `n` (1-based: the file's row n + 1), good.
    static func good(_ n: Int) -> [String] {
        let k = n % 8
        let name = n % 3 == 0 ? "عائشة آيت علي \(n)" : (n % 3 == 1 ? "Brahim Aït Ouarab \(n)" : "Hélène d'Anzi \(n)")
        return ["M-\(n)", name, n % 2 == 0 ? "F" : "m", "diaspora", countries[k], cities[k], "membre\(n)@example.org", n % 5 == 0 ? "+33 6 12 34 56 78" : "",
                origins[k], n % 7 == 0 ? "oui" : "non", "fr|ar", n % 4 == 0 ? "2142|3112" : "", "", n > 10 && n % 10 == 0 ? "M-1" : "",
                "\(String(format: "%02d", (n % 28) + 1))/0\(n % 9 + 1)/2026", "2026-01"]
    }

    /// The 17 bad rows: row number (in the file) → (the row, the column the problem names, or nil for the row).
    static let bad: [Int: (edit: @Sendable ([String]) -> [String], column: String?)] = {
        func set(_ i: Int, _ v: String) -> @Sendable ([String]) -> [String] { { r in var r = r; r[i] = v; return r } }
        return [
            12: (set(8, "09.999.99.99"), "Origine"),                            // unknown commune
            57: (set(2, "w"), "Genre"),                                          // gender w
            103: (set(1, ""), "Nom"),                                            // empty name
            150: (set(14, "30/02/2026"), "Date d'inscription"),                  // 2026-02-30
            201: (set(0, "M-7"), "Réf"),                                         // a duplicate ref (row 8 has M-7)
            250: ({ r in [r.joined(separator: ",")] }, nil),                     // a wrong separator in one row
            301: (set(1, String(repeating: "Aïcha ", count: 40)), "Nom"),        // a field too long (240 characters)
            352: (set(6, "brahim@"), "E-mail"),                                  // an e-mail without domain
            404: (set(4, "XX"), "Pays de résidence"),                            // an unknown country
            455: (set(10, "fr|zz"), "Langues"),                                  // an unknown language
            506: (set(3, "donateur"), "Rôles"),                                  // an unknown role
            557: (set(9, "peut-être"), "Diaspora de cœur"),                      // not a yes or no
            608: (set(6, "membre9@example.org"), "E-mail"),                      // the e-mail of row 10
            659: (set(11, "0000"), "Compétences"),                               // an unknown skill
            710: ({ r in var r = r; r[3] = "adc"; r[12] = "09.581"; return r }, "Commune ADC"),   // an ADC serving a province
            761: (set(13, "M-99999"), "Invité par"),                             // an unknown inviter
            812: (set(7, "appelez-moi"), "Téléphone"),                           // not a phone number
        ]
    }()

    /// The sheet of `count` members, the bad rows included or not.
    static func text(count: Int, withBadRows: Bool) -> String {
        var lines = ["\u{FEFF}" + header]
        for n in 1...count {
            var r = good(n)
            if withBadRows, let b = bad[n + 1] { r = b.edit(r) }
            lines.append(r.joined(separator: ";"))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}

@Suite("CSV import and export")
struct CSVImportTests {
    func importCSV(_ db: CDSDatabase, _ csv: String, dryRun: Bool, extra: JSONObject = [:]) throws -> JSON {
        var p: JSONObject = ["entity": "members", "csv": .string(csv), "dates": "fr", "dry_run": .bool(dryRun)]
        for (k, v) in extra { p[k] = v }
        return try db.call("import.csv", params: .object(p)).get()
    }

    @Test("a sheet of 1,000 members with 17 kinds of bad row answers every problem in one dry run and writes nothing; fixed, it imports exactly; imported again, nothing changes")
    func thousandMembers() throws {
        let db = try CDSDatabase(path: ":memory:", options: OpenOptions(store: .init(now: Instant("2026-12-31T12:00:00Z")), trusted: true))
        let events = try db.eventCount()

        let dry = try importCSV(db, MembersSheet.text(count: 1000, withBadRows: true), dryRun: true)
        let problems = dry["problems"]?.arrayValue ?? []
        #expect(dry["rows"] == 1000)
        #expect(dry["written"] == false)
        #expect(dry["separator"] == ";")
        let byRow = Dictionary(problems.map { (Int($0["row"]?.intValue ?? 0), $0) }, uniquingKeysWith: { a, _ in a })
        #expect(Set(byRow.keys) == Set(MembersSheet.bad.keys), "\(problems)")
        #expect(problems.count == 17, "\(problems)")
        for (row, b) in MembersSheet.bad {
            #expect(byRow[row]?["column"]?.stringValue == b.column, "row \(row): \(byRow[row] ?? .null)")
            #expect(byRow[row]?["reason"]?.stringValue?.isEmpty == false)
        }
        #expect(byRow[150]?["value"] == "30/02/2026")
        #expect(byRow[57]?["value"] == "w")
        #expect(byRow[201]?["reason"]?.stringValue?.contains("row 8") == true)
        #expect(try db.eventCount() == events)
        #expect(try db.ok("member.list")["items"]?.arrayValue?.isEmpty == true)

        // A real import of the faulty sheet is refused whole, with the same problems.
        let refused = try importCSV(db, MembersSheet.text(count: 1000, withBadRows: true), dryRun: false)
        #expect(refused["written"] == false && refused["problem_count"] == 17)
        #expect(try db.eventCount() == events)

        // The sheet fixed imports exactly.
        let fixed = MembersSheet.text(count: 1000, withBadRows: false)
        let done = try importCSV(db, fixed, dryRun: false)
        #expect(done["written"] == true && done["created"] == 1000 && done["problem_count"] == 0, "\(done["problems"] ?? .null)")
        let afterImport = try db.eventCount()
        #expect(afterImport == events + 1001, "1,000 member.created and one import.completed")
        let page = try db.ok("member.list", #"{"limit": 1000, "q": "عائشة آيت علي 3"}"#)["items"]?.arrayValue ?? []
        let aicha = try #require(page.first { $0["name"] == "عائشة آيت علي 3" })
        #expect(aicha["gender"] == "m" && aicha["residence_city"] == "Saint-Denis; Île-de-France" && aicha["origin"] == "09.581.09.07")
        #expect(aicha["created_at"] == "2026-04-04T00:00:00Z")
        let invited = try #require(try db.ok("member.list", #"{"limit": 1000, "q": "Hélène d'Anzi 20"}"#)["items"]?.arrayValue?.first)
        let inviter = try db.ok("member.get", #"{"id": "\#(invited["invited_by"]?.stringValue ?? "")"}"#)
        #expect(inviter["name"] == "Brahim Aït Ouarab 1")

        // Imported again, nothing changes: every row is known by its ref.
        let again = try importCSV(db, fixed, dryRun: false)
        #expect(again["created"] == 0 && again["updated"] == 0 && again["unchanged"] == 1000)
        #expect(try db.eventCount() == afterImport)
        #expect(try db.ok("member.list", #"{"limit": 1000}"#)["items"]?.arrayValue?.count == 1000)

        // A row that changed updates its member, and only it.
        let moved = fixed.replacingOccurrences(of: "membre5@example.org;+33 6 12 34 56 78", with: "membre5@example.org;+33 7 00 00 00 05")
        let update = try importCSV(db, moved, dryRun: false)
        #expect(update["updated"] == 1 && update["unchanged"] == 999)
        #expect(try db.eventCount() == afterImport + 2)
    }

    @Test("a header names its columns in French or English, a mapping names the others, and an unknown column is a problem, never ignored")
    func headerMapping() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let csv = "Full name,Sex,Country,Groupe\nNaima,f,BE,A\n"
        let unknown = try importCSV(db, csv, dryRun: true, extra: ["defaults": ["roles": "diaspora"]])
        #expect(unknown["problems"]?.arrayValue?.map { $0["column"] } == ["Groupe"])
        let mapped = try importCSV(db, csv, dryRun: false, extra: ["defaults": ["roles": "diaspora"], "mapping": ["Groupe": ""]])
        #expect(mapped["created"] == 1 && mapped["separator"] == ",")
        let missing = try importCSV(db, "Nom\nNaima\n", dryRun: true)
        #expect(missing["problems"]?.arrayValue?.contains { $0["reason"]?.stringValue?.contains("gender") == true } == true)
        #expect(try db.err("import.csv", #"{"entity": "members", "csv": "a", "path": "/tmp/x.csv"}"#)["details"]?["field"] == "csv")
        #expect(try db.err("import.csv", #"{"entity": "members", "csv": "a", "defaults": {"nope": "1"}}"#)["details"]?["field"] == "defaults.nope")
    }

    @Test("organizations, offers, needs and projects import from their sheets, offers naming their member by the ref of an earlier import")
    func otherEntities() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        _ = try importCSV(db, "ref;nom;genre;rôles;pays\nM1;Brahim;m;diaspora;FR\n", dryRun: false)
        let orgs = try db.call("import.csv", params: ["entity": "organizations", "csv": "ref,type,nom,pays,ville,identifiant iati\nO1,diaspora_association,Tafraoutis de Gennevilliers,FR,Gennevilliers,FR-RNA-W922000000\n"]).get()
        #expect(orgs["created"] == 1, "\(orgs)")
        let offers = try db.call("import.csv", params: ["entity": "offers", "csv": "ref;membre;type;intitulé;compétences;unité;quantité;du;au;sur place;accepte d'être contacté\nF1;M1;skill;Conception hydraulique;2142;person_days;10;01/08/2026;31/08/2026;oui;oui\n", "dates": "fr"]).get()
        #expect(offers["created"] == 1, "\(offers)")
        let offer = try #require(try db.ok("offer.list")["items"]?.arrayValue?.first)
        #expect(offer["windows"]?.arrayValue?.first?["until"] == "2026-08-31" && offer["on_site"] == true)
        let projects = try db.call("import.csv", params: ["entity": "projects", "csv": "ref,titre,titre ar,commune,secteur,début,fin,bénéficiaires\nP1,Eau potable,الماء الصالح للشرب,09.581.03.03,EAU,2026-09-01,2027-03-31,420\n"]).get()
        #expect(projects["created"] == 1, "\(projects)")
        let project = try #require(try db.ok("project.list")["items"]?.arrayValue?.first)
        #expect(project["title"]?["ar"] == "الماء الصالح للشرب" && project["dac_code"] == "14030")
        let needs = try db.call("import.csv", params: ["entity": "needs", "csv": "ref,projet,type,intitulé,unité,quantité\nN1,P1,skill,Étude du réseau,person_days,5\nN2,P-404,skill,Étude,person_days,5\n", "dry_run": true]).get()
        #expect(needs["problems"]?.arrayValue?.map { $0["column"] } == ["projet"])
        #expect(needs["created"] == 1)
    }

    @Test("what export.csv writes, import.csv reads back: members with their ids and refs, BOM and ; for French Excel; indicators as lines")
    func exportRoundTrip() throws {
        let db = try CDSDatabase(path: ":memory:", options: OpenOptions(store: .init(now: Instant("2026-12-31T12:00:00Z")), trusted: true))
        _ = try importCSV(db, MembersSheet.text(count: 20, withBadRows: false), dryRun: false)
        let out = try db.call("export.csv", params: ["entity": "members", "separator": ";", "bom": true]).get()
        let csv = out["csv"]?.stringValue ?? ""
        #expect(csv.hasPrefix("\u{FEFF}id;ref;name;gender;"))
        #expect(out["rows"] == 20)
        #expect(csv.contains("\"Saint-Denis; Île-de-France\""))
        // Exported, then imported again with its refs: nothing changes (the id column is ignored by mapping it to "").
        let again = try db.call("import.csv", params: ["entity": "members", "csv": .string(csv), "mapping": ["id": ""]]).get()
        #expect(again["unchanged"] == 20 && again["problem_count"] == 0, "\(again["problems"] ?? .null)")

        let (tmp, demo) = (TempDB(), try CDSDatabase(path: ":memory:", options: .trusted))
        _ = tmp
        _ = try Demo.build(demo)
        let indicators = try demo.call("export.csv", params: ["entity": "indicators", "as_of": "2026-12-31", "disaggregate": "gender"]).get()
        let lines = (indicators["csv"]?.stringValue ?? "").split(separator: "\r\n")
        #expect(lines.first == "period,as_of,territory,indicator,label,group,value,target,progress")
        #expect(lines.contains { $0.hasPrefix(",2026-12-31,,migrants_mobilized,") })
        #expect(lines.contains { $0.contains(",migrants_mobilized,") && $0.contains(",f,") })
        let series = try demo.call("export.csv", params: ["entity": "indicators", "period": "quarter", "from": "2026-01-01", "until": "2026-12-31"]).get()
        #expect((series["csv"]?.stringValue ?? "").contains("2026-Q3"))
        #expect(try demo.err("export.csv", #"{"entity": "members", "as_of": "2026-01-01"}"#)["details"]?["field"] == "as_of")
    }

    @Test("a long import tells how far it has come: the bytes read, growing to the file's size, by text or by path; an export the rows written")
    func importAndExportTellTheirProgress() throws {
        let csv = MembersSheet.text(count: 2_500, withBadRows: false)
        let size = Int64(csv.utf8.count)
        #expect(size > 3 * 65_536, "several slices of 64 KiB")
        let seen = Mutex<[(Int64, Int64?)]>([])
        let record: ProgressHandler = { done, total in seen.withLock { $0.append((done, total)) } }
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        _ = try db.call("import.csv", params: ["entity": "members", "csv": .string(csv), "dates": "fr", "dry_run": true], progress: record).get()
        func check(_ what: String) {
            let steps = seen.withLock { $0 }
            #expect(steps.count >= 4, "\(what): \(steps.count) steps")
            #expect(zip(steps, steps.dropFirst()).allSatisfy { $0.0 < $1.0 }, "\(what): the bytes read only grow")
            #expect(steps.allSatisfy { $0.1 == size } && steps.last?.0 == size, "\(what): up to the file's size")
        }
        check("text")
        seen.withLock { $0 = [] }
        let tmp = TempDB()
        let file = tmp.dir.appendingPathComponent("members.csv").path
        try csv.write(toFile: file, atomically: true, encoding: .utf8)
        let imported = try db.call("import.csv", params: ["entity": "members", "path": .string(file), "dates": "fr"], progress: record).get()
        #expect(imported["created"] == 2_500)
        check("path")
        seen.withLock { $0 = [] }
        let exported = try db.call("export.csv", params: ["entity": "members"], progress: record).get()
        let rows = exported["rows"]?.intValue ?? 0
        #expect(rows >= 2_500 && seen.withLock { $0.last?.0 } == rows && seen.withLock { $0.allSatisfy { $0.1 == nil } })
        // Without a handler, nothing changes.
        #expect(try db.call("export.csv", params: ["entity": "members"]).get()["rows"]?.intValue == rows)
    }
}
