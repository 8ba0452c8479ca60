import CDS
import CDSDemo
import CDSCore
import Testing

@Suite("People, organizations, agreements and competences")
struct PeopleTests {
    let db: CDSDatabase
    init() throws { db = try CDSDatabase(path: ":memory:", options: OpenOptions(store: .init(now: Instant("2026-02-10T09:00:00Z")), trusted: true)) }

    @Test("a member is created, read, updated and listed with filters")
    func memberLifecycle() throws {
        let id = try db.diaspora("Brahim Ait Ouarab", extra: #""residence_city": "Lyon", "origin": "09.581.03.03", "languages": ["shi", "ar", "fr"], "skills": ["2142"], "email": "b@example.org", "consents": [{"purpose": "processing", "version": "2026-01"}]"#)
        let m = try db.ok("member.get", #"{"id": "\#(id)"}"#)
        #expect(m["name"] == "Brahim Ait Ouarab")
        #expect(m["languages"] == ["shi", "ar", "fr"])
        #expect(m["consents"]?.arrayValue?.first?["purpose"] == "processing")
        #expect(m["created_at"] == "2026-02-10T09:00:00Z")

        let u = try db.ok("member.update", #"{"id": "\#(id)", "residence_city": "Villeurbanne", "email": null, "skills": ["2142", "S1.5"]}"#)
        #expect(u["residence_city"] == "Villeurbanne")
        #expect(u["email"] == .null)
        #expect(u["skills"] == ["2142", "S1.5"])
        #expect(u["languages"] == ["shi", "ar", "fr"], "fields not given are kept")

        _ = try db.diaspora("Naima", extra: #""origin": "09.541", "languages": ["fr", "nl"]"#)
        let fromTiznit = try db.ok("member.list", #"{"origin": "09.581"}"#)["items"]?.arrayValue ?? []
        #expect(fromTiznit.map { $0["id"] } == [.string(id)], "a province includes its communes")
        #expect(try db.ok("member.list", #"{"language": "shi"}"#)["items"]?.arrayValue?.count == 1)
        #expect(try db.ok("member.list", #"{"skill": "S1.5"}"#)["items"]?.arrayValue?.count == 1)
        #expect(try db.ok("member.list", #"{"q": "ouarab"}"#)["items"]?.arrayValue?.count == 1)
        #expect(try db.ok("member.list", #"{"role": "diaspora"}"#)["items"]?.arrayValue?.count == 2)
        #expect(try db.ok("member.list", #"{"role": "adc"}"#)["items"]?.arrayValue?.count == 0)
    }

    @Test("paging through members visits each once, in creation order")
    func memberPaging() throws {
        var ids: [String] = []
        for n in 0..<23 { ids.append(try db.diaspora("M\(n)")) }
        var seen: [String] = []
        var cursor: JSON = .null
        repeat {
            let c = cursor.stringValue.map { #", "cursor": "\#($0)""# } ?? ""
            let page = try db.ok("member.list", #"{"limit": 5\#(c)}"#)
            seen += page["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            cursor = page["next_cursor"] ?? .null
        } while !cursor.isNull
        #expect(seen == ids)
    }

    @Test("two members cannot share an e-mail")
    func uniqueEmail() throws {
        _ = try db.diaspora("A", extra: #""email": "same@example.org""#)
        #expect(try db.err("member.create", #"{"name": "B", "gender": "f", "roles": ["diaspora"], "residence_country": "FR", "email": "same@example.org"}"#)["code"] == "conflict")
    }

    @Test("a commune organization is tied to a commune and named after it; one per commune")
    func communeOrganization() throws {
        let o = try db.ok("organization.create", #"{"kind": "commune", "territory": "09.581.03.03"}"#)
        #expect(o["name"] == "Commune d'Anzi")
        #expect(o["country"] == "MA")
        #expect(try db.err("organization.create", #"{"kind": "commune", "territory": "09.581.03.03"}"#)["code"] == "conflict")
        #expect(try db.err("organization.create", #"{"kind": "commune", "territory": "09.581"}"#)["details"]?["field"] == "territory")
        #expect(try db.err("organization.create", #"{"kind": "commune"}"#)["details"]?["field"] == "territory")
        let assoc = try db.ok("organization.create", #"{"kind": "diaspora_association", "name": "Tafraoutis de Gennevilliers", "country": "FR", "city": "Gennevilliers", "sectors": ["EAU"]}"#)
        #expect(assoc["sectors"] == ["EAU"])
        #expect(try db.ok("organization.list", #"{"territory": "09.581"}"#)["items"]?.arrayValue?.count == 1)
        let u = try db.ok("organization.update", #"{"id": "\#(assoc["id"]?.stringValue ?? "")", "website": "https://tafraout.example.org"}"#)
        #expect(u["website"] == "https://tafraout.example.org")
    }

    @Test("agreements are signed with collectivités only, one in force at a time, and end on a day")
    func agreements() throws {
        let commune = try db.ok("organization.create", #"{"kind": "commune", "territory": "09.541.11.33"}"#)["id"]?.stringValue ?? ""
        let coop = try db.ok("organization.create", #"{"kind": "cooperative", "name": "Argan", "territory": "09.581.01.05"}"#)["id"]?.stringValue ?? ""
        #expect(try db.err("agreement.sign", #"{"organization": "\#(coop)", "signed_on": "2026-01-15"}"#)["details"]?["field"] == "organization")
        let a = try db.ok("agreement.sign", #"{"organization": "\#(commune)", "signed_on": "2026-01-15", "reference": "CDS/2026/4"}"#)
        #expect(a["in_force"] == true)
        let id = a["id"]?.stringValue ?? ""
        #expect(try db.err("agreement.sign", #"{"organization": "\#(commune)", "signed_on": "2026-02-01"}"#)["code"] == "conflict")
        #expect(try db.err("agreement.end", #"{"id": "\#(id)", "ended_on": "2026-01-01"}"#)["details"]?["field"] == "ended_on")
        let ended = try db.ok("agreement.end", #"{"id": "\#(id)", "ended_on": "2026-02-01", "reason": "council decision"}"#)
        #expect(ended["in_force"] == false)
        #expect(try db.err("agreement.end", #"{"id": "\#(id)", "ended_on": "2026-03-01"}"#)["code"] == "conflict")
        #expect(try db.ok("agreement.list", #"{"in_force_on": "2026-01-20"}"#)["items"]?.arrayValue?.count == 1)
        #expect(try db.ok("agreement.list", #"{"in_force_on": "2026-02-01"}"#)["items"]?.arrayValue?.count == 0)
        // After it ended, a new agreement can be signed.
        _ = try db.ok("agreement.sign", #"{"organization": "\#(commune)", "signed_on": "2026-03-01"}"#)
    }

    @Test("only a facilitator or an admin attests a competence")
    func competenceAttestation() throws {
        let adc = try db.ok("member.create", #"{"name": "Youssef", "gender": "m", "roles": ["adc"], "residence_country": "MA", "adc_commune": "09.581.03.03"}"#)["id"]?.stringValue ?? ""
        let fac = try db.ok("member.create", #"{"name": "Samira", "gender": "f", "roles": ["facilitator"], "residence_country": "MA"}"#)["id"]?.stringValue ?? ""
        let other = try db.diaspora("X")
        #expect(try db.err("competence.attest", #"{"member": "\#(adc)", "competence": "communication", "attested_on": "2026-02-25", "by": "\#(other)"}"#)["code"] == "forbidden")
        let c = try db.ok("competence.attest", #"{"member": "\#(adc)", "competence": "project_engineering", "attested_on": "2026-02-25", "by": "\#(fac)", "module": "Module 1"}"#)
        #expect(c["competence"] == "project_engineering")
        #expect(try db.ok("member.get", #"{"id": "\#(adc)"}"#)["competences"]?.arrayValue?.count == 1)
        #expect(try db.err("competence.attest", #"{"member": "\#(adc)", "competence": "project_engineering", "attested_on": "2026-02-25", "by": "\#(fac)"}"#)["code"] == "conflict")
        #expect(try db.err("competence.attest", #"{"member": "\#(adc)", "competence": "juggling", "attested_on": "2026-02-25"}"#)["details"]?["field"] == "competence")
    }

    @Test("a consent is withdrawn at once and can be given again")
    func consents() throws {
        let id = try db.diaspora("C", extra: #""consents": [{"purpose": "contact", "version": "v1"}]"#)
        let w = try db.ok("consent.withdraw", #"{"member": "\#(id)", "purpose": "contact", "at": "2026-02-11T10:00:00Z"}"#)
        #expect(w["withdrawn_at"] == "2026-02-11T10:00:00Z")
        #expect(try db.err("consent.withdraw", #"{"member": "\#(id)", "purpose": "contact"}"#)["code"] == "conflict")
        let g = try db.ok("consent.give", #"{"member": "\#(id)", "purpose": "contact", "version": "v2"}"#)
        #expect(g["version"] == "v2")
        #expect(g["withdrawn_at"] == .null)
    }

    @Test("an ADC serves a commune, and only an ADC does")
    func adcCommune() throws {
        #expect(try db.err("member.create", #"{"name": "A", "gender": "f", "roles": ["diaspora"], "residence_country": "FR", "adc_commune": "09.541.11.33"}"#)["details"]?["field"] == "adc_commune")
        let adc = try db.ok("member.create", #"{"name": "A", "gender": "f", "roles": ["adc"], "residence_country": "MA", "adc_commune": "09.541.11.33"}"#)
        #expect(try db.ok("member.list", #"{"adc_commune": "09.541.11.33"}"#)["items"]?.arrayValue?.count == 1)
        let lost = try db.ok("member.update", #"{"id": "\#(adc["id"]?.stringValue ?? "")", "adc_commune": null}"#)
        #expect(lost["adc_commune"] == .null)
    }

    @Test("the demo builds the CDS of the scenario and refuses a database that has members")
    func demo() throws {
        let report = try Demo.build(db)
        #expect(report.ids.count >= 20)
        #expect(try db.ok("agreement.list", #"{"in_force_on": "2026-02-01"}"#)["items"]?.arrayValue?.count == 4)
        #expect(try db.ok("member.list", #"{"residence_country": "FR"}"#)["items"]?.arrayValue?.count == 6, "the engineer, the president and four members of his association the circles brought in")
        #expect(try db.ok("audit.verify")["ok"] == true)
        #expect(throws: CDSError.self) { try Demo.build(db) }
    }
}
