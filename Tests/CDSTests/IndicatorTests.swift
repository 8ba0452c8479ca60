@_spi(Tooling) import CDS
import CDSCore
import CDSStore
import PropertyBased
import Testing

/// Reads one indicator's value (and ids) from `indicators.compute`.
func indicator(_ db: CDSDatabase, _ id: String, asOf: String, territory: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> (value: JSON, ids: [String]) {
    let t = territory.map { #", "territory": "\#($0)""# } ?? ""
    let r = try db.ok("indicators.compute", #"{"as_of": "\#(asOf)", "provenance": true, "indicators": ["\#(id)"]\#(t)}"#, sourceLocation: sourceLocation)
    let i = r["indicators"]?.arrayValue?.first
    return (i?["value"] ?? .null, i?["ids"]?.arrayValue?.compactMap(\.stringValue) ?? [])
}

@Suite("Indicators, counted from the facts as of any date")
struct IndicatorTests {
    /// A CDS built step by step, with dates, whose values are counted by hand below.
    struct Story {
        let db: CDSDatabase
        var ids: [String: String] = [:]
        init() throws {
            db = try CDSDatabase(path: ":memory:", options: .trusted)
            func make(_ key: String, _ method: String, _ params: String) throws { ids[key] = try db.ok(method, params)["id"]?.stringValue ?? "" }
            try make("fac", "member.create", #"{"name": "Fac", "gender": "f", "roles": ["facilitator"], "residence_country": "MA", "at": "2026-01-02T08:00:00Z"}"#)
            // Communes and agreements: Anzi (Tiznit) from Jan 13, Talmakante (Taroudannt) Jan 15 – ended Jun 30.
            try make("anzi", "organization.create", #"{"kind": "commune", "territory": "09.581.03.03", "at": "2026-01-05T08:00:00Z"}"#)
            try make("talmakante", "organization.create", #"{"kind": "commune", "territory": "09.541.11.33", "at": "2026-01-05T08:00:00Z"}"#)
            try make("agr.anzi", "agreement.sign", #"{"organization": "\#(ids["anzi"]!)", "signed_on": "2026-01-13", "at": "2026-01-13T10:00:00Z"}"#)
            try make("agr.talmakante", "agreement.sign", #"{"organization": "\#(ids["talmakante"]!)", "signed_on": "2026-01-15", "at": "2026-01-15T10:00:00Z"}"#)
            try db.ok("agreement.end", #"{"id": "\#(ids["agr.talmakante"]!)", "ended_on": "2026-06-30", "at": "2026-06-30T10:00:00Z"}"#)
            // ADCs: Anzi's becomes competent on Feb 26; Talmakante's too, then loses her commune on Sep 1.
            try make("adc.anzi", "member.create", #"{"name": "A", "gender": "m", "roles": ["adc"], "residence_country": "MA", "adc_commune": "09.581.03.03", "at": "2026-01-20T08:00:00Z"}"#)
            try make("adc.talm", "member.create", #"{"name": "B", "gender": "f", "roles": ["adc"], "residence_country": "MA", "adc_commune": "09.541.11.33", "at": "2026-01-20T08:00:00Z"}"#)
            for (adc, comp, day) in [("adc.anzi", "project_engineering", "2026-02-25"), ("adc.anzi", "communication", "2026-02-26"),
                                     ("adc.talm", "project_engineering", "2026-02-25"), ("adc.talm", "communication", "2026-03-10")] {
                try db.ok("competence.attest", #"{"member": "\#(ids[adc]!)", "competence": "\#(comp)", "attested_on": "\#(day)", "by": "\#(ids["fac"]!)", "at": "\#(day)T16:00:00Z"}"#)
            }
            try db.ok("member.update", #"{"id": "\#(ids["adc.talm"]!)", "adc_commune": null, "at": "2026-09-01T08:00:00Z"}"#)
            // Diaspora: an engineer from Anzi in Lyon, a heart-diaspora teacher in Barcelona, a local actor.
            try make("lyon", "member.create", #"{"name": "Brahim", "gender": "m", "roles": ["diaspora"], "residence_country": "FR", "origin": "09.581.03.03", "at": "2026-02-10T08:00:00Z"}"#)
            try make("bcn", "member.create", #"{"name": "Montse", "gender": "f", "roles": ["diaspora"], "heart_diaspora": true, "residence_country": "ES", "at": "2026-02-11T08:00:00Z"}"#)
            try make("coop", "organization.create", #"{"kind": "cooperative", "name": "Argan", "territory": "09.581.01.05", "at": "2026-02-12T08:00:00Z"}"#)
            try make("lead", "organization.create", #"{"kind": "local_association", "name": "Ait Ali", "territory": "09.581.03.03", "at": "2026-02-12T08:00:00Z"}"#)
            // A project in Anzi led by the association; one in Talmakante.
            try make("water", "project.create", #"{"title": {"fr": "Eau"}, "communes": ["09.581.03.03"], "lead_organization": "\#(ids["lead"]!)", "at": "2026-03-01T08:00:00Z"}"#)
            try make("solar", "project.create", #"{"title": {"fr": "Solaire"}, "communes": ["09.541.11.33"], "at": "2026-03-01T08:00:00Z"}"#)
            // Lyon pledges (Jun 1), confirmed Jun 10, delivered Aug 30. Barcelona confirmed Jul 1, cancelled Oct 15.
            try make("c.lyon", "contribution.create", #"{"project": "\#(ids["water"]!)", "member": "\#(ids["lyon"]!)", "kind": "skill", "quantity": {"unit": "person_days", "amount": 8}, "on": "2026-06-01", "at": "2026-06-01T09:00:00Z"}"#)
            try db.ok("contribution.update", #"{"id": "\#(ids["c.lyon"]!)", "status": "confirmed", "on": "2026-06-10", "at": "2026-06-10T09:00:00Z"}"#)
            try db.ok("contribution.update", #"{"id": "\#(ids["c.lyon"]!)", "status": "delivered", "on": "2026-08-30", "at": "2026-08-30T09:00:00Z"}"#)
            try make("c.bcn", "contribution.create", #"{"project": "\#(ids["solar"]!)", "member": "\#(ids["bcn"]!)", "kind": "finance", "quantity": {"unit": "money", "amount": 500000, "currency": "EUR"}, "on": "2026-06-20", "at": "2026-06-20T09:00:00Z"}"#)
            try db.ok("contribution.update", #"{"id": "\#(ids["c.bcn"]!)", "status": "confirmed", "on": "2026-07-01", "at": "2026-07-01T09:00:00Z"}"#)
            try db.ok("contribution.update", #"{"id": "\#(ids["c.bcn"]!)", "status": "cancelled", "on": "2026-10-15", "at": "2026-10-15T09:00:00Z"}"#)
            // Barcelona meets the cooperative on May 5.
            try db.ok("interaction.create", #"{"kind": "meeting", "on": "2026-05-05", "member": "\#(ids["bcn"]!)", "organization": "\#(ids["coop"]!)", "at": "2026-05-05T18:00:00Z"}"#)
        }
    }

    @Test("every indicator at several dates equals the hand count, edge cases included")
    func handCounted() throws {
        let s = try Story()
        let db = s.db
        func v(_ id: String, _ d: String, _ t: String? = nil) throws -> Int64 { try indicator(db, id, asOf: d, territory: t).value.intValue ?? -1 }
        // Collectivities engaged: none before Jan 13; 2 in spring; the ended agreement no longer engages from Jun 30.
        #expect(try v("collectivities_engaged", "2026-01-12") == 0)
        #expect(try v("collectivities_engaged", "2026-03-31") == 2)
        #expect(try v("collectivities_engaged", "2026-06-29") == 2)
        #expect(try v("collectivities_engaged", "2026-06-30") == 1)
        #expect(try v("collectivities_engaged", "2026-03-31", "09.581") == 1)
        // Competent ADCs: Anzi from Feb 26, Talmakante from Mar 10 until her ADC lost the commune on Sep 1.
        #expect(try v("collectivities_with_competent_adc", "2026-02-25") == 0)
        #expect(try v("collectivities_with_competent_adc", "2026-02-26") == 1)
        #expect(try v("collectivities_with_competent_adc", "2026-03-10") == 2)
        #expect(try v("collectivities_with_competent_adc", "2026-09-01") == 1)
        // Migrants mobilized: Lyon from Jun 10; the heart-diaspora member counts from Jul 1 until her cancellation on Oct 15.
        #expect(try v("migrants_mobilized", "2026-06-09") == 0)
        #expect(try v("migrants_mobilized", "2026-06-10") == 1)
        #expect(try v("migrants_mobilized", "2026-07-01") == 2)
        #expect(try indicator(db, "migrants_mobilized", asOf: "2026-07-01").ids.sorted() == [s.ids["bcn"]!, s.ids["lyon"]!].sorted())
        #expect(try v("migrants_mobilized", "2026-10-14") == 2)
        #expect(try v("migrants_mobilized", "2026-10-15") == 1)
        #expect(try v("migrants_mobilized", "2026-07-01", "09.541") == 1)
        #expect(try v("migrants_mobilized", "2026-07-01", "09") == 2, "a region rolls up its provinces")
        // Actors linked: the cooperative (interaction, May 5), the association leading a project Lyon contributes to (Jun 10).
        #expect(try v("actors_linked", "2026-05-04") == 0)
        #expect(try v("actors_linked", "2026-05-05") == 1)
        #expect(try v("actors_linked", "2026-06-10") == 2)
        // Territories connected: Anzi by the engineer's origin from Feb 10; Talmakante by the contribution Jul 1 – Oct 15.
        #expect(try v("territories_connected", "2026-02-09") == 0)
        #expect(try v("territories_connected", "2026-02-10") == 1)
        #expect(try v("territories_connected", "2026-07-01") == 2)
        #expect(try v("territories_connected", "2026-10-15") == 1)
    }

    @Test("the value on a past date stays what the facts up to that date gave, after later changes")
    func asOfIsStable() throws {
        let s = try Story()
        let before = try indicator(s.db, "collectivities_engaged", asOf: "2026-03-31").value
        try s.db.ok("agreement.end", #"{"id": "\#(s.ids["agr.anzi"]!)", "ended_on": "2026-12-01", "at": "2026-12-01T10:00:00Z"}"#)
        #expect(try indicator(s.db, "collectivities_engaged", asOf: "2026-03-31").value == before)
        #expect(try indicator(s.db, "collectivities_engaged", asOf: "2026-12-01").value == 0)
    }

    @Test("a change imported late counts from its own day, after the changes recorded before it")
    func lateImport() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let m = try db.diaspora("Late", extra: #""origin": "09.581.03.03", "at": "2026-01-10T08:00:00Z""#)
        try db.ok("member.update", #"{"id": "\#(m)", "residence_city": "Lyon", "at": "2026-01-20T08:00:00Z"}"#)
        try db.ok("member.update", #"{"id": "\#(m)", "origin": "09.541.11.33", "at": "2026-01-15T08:00:00Z"}"#)
        #expect(try indicator(db, "territories_connected", asOf: "2026-01-14").ids == ["09.581.03.03"])
        #expect(try indicator(db, "territories_connected", asOf: "2026-01-17").ids == ["09.541.11.33"])
        #expect(try indicator(db, "territories_connected", asOf: "2026-01-25").ids == ["09.541.11.33"])
    }

    @Test("a commune of interest of a diaspora offer connects the territory until the offer is withdrawn")
    func interestConnects() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let m = try db.diaspora("Interest", extra: #""at": "2026-01-10T08:00:00Z""#)
        let o = try db.ok("offer.create", #"{"member": "\#(m)", "kind": "skill", "capacity": {"unit": "person_days", "amount": 2}, "territories": ["09.541.11.33", "09.581"], "at": "2026-02-01T08:00:00Z"}"#)["id"]?.stringValue ?? ""
        try db.ok("offer.update", #"{"id": "\#(o)", "status": "withdrawn", "at": "2026-03-01T08:00:00Z"}"#)
        #expect(try indicator(db, "territories_connected", asOf: "2026-01-31").ids.isEmpty)
        #expect(try indicator(db, "territories_connected", asOf: "2026-02-01").ids == ["09.541.11.33"], "a province of interest links no particular commune")
        #expect(try indicator(db, "territories_connected", asOf: "2026-03-01").ids.isEmpty)
    }

    @Test("series, disaggregation with small-cell suppression, targets, finance converted with the rates named")
    func reportShapes() throws {
        let s = try Story()
        let series = try s.db.ok("indicators.compute", #"{"period": "quarter", "from": "2026-01-01", "until": "2026-12-31", "indicators": ["migrants_mobilized"]}"#)
        #expect(series["series"]?.arrayValue?.map { $0["period"] } == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"])
        #expect(series["series"]?.arrayValue?.map { $0["indicators"]?.arrayValue?.first?["value"] } == [0, 1, 2, 1])
        let g = try s.db.ok("indicators.compute", #"{"as_of": "2026-07-01", "indicators": ["migrants_mobilized"], "disaggregate": "gender", "suppress_small_cells": true}"#)
        let cells = g["indicators"]?.arrayValue?.first?["disaggregation"]?.arrayValue ?? []
        #expect(cells.count == 2)
        #expect(cells.allSatisfy { $0["suppressed"] == true && $0["value"] == .null })
        let c = try s.db.ok("indicators.compute", #"{"as_of": "2026-07-01", "indicators": ["migrants_mobilized"], "disaggregate": "country_of_residence"}"#)
        #expect(c["indicators"]?.arrayValue?.first?["disaggregation"]?.arrayValue?.map { $0["key"] } == ["ES", "FR"])
        try s.db.ok("indicators.set_target", #"{"id": "migrants_mobilized", "target": 4}"#)
        let t = try s.db.ok("indicators.compute", #"{"as_of": "2026-07-01", "indicators": ["migrants_mobilized"]}"#)["indicators"]?.arrayValue?.first
        #expect(t?["target"] == 4)
        #expect(t?["progress"] == 0.5)
        let f = try s.db.ok("indicators.compute", #"{"as_of": "2026-07-01", "indicators": ["finance"], "rates": [{"from": "EUR", "rate": "10.5", "on": "2026-01-01"}, {"from": "EUR", "rate": "10.85", "on": "2026-06-30"}]}"#)["indicators"]?.arrayValue?.first
        #expect(f?["value"] == 5_425_000, "5,000.00 EUR at 10.85 = 54,250.00 MAD")
        #expect(f?["rates_used"]?.arrayValue?.first?["rate"] == "10.85")
    }

    @Test("bad indicator input is a clear error")
    func badInput() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        #expect(try db.err("indicators.compute", #"{"indicators": ["happiness"]}"#)["details"]?["field"] == "indicators[0]")
        #expect(try db.err("indicators.compute", #"{"territory": "99.999"}"#)["details"]?["field"] == "territory")
        #expect(try db.err("indicators.compute", #"{"period": "month", "from": "2026-05-01", "until": "2026-01-01"}"#)["details"]?["field"] == "from")
        #expect(try db.err("indicators.compute", #"{"period": "week", "from": "2026-01-01", "until": "2026-02-01"}"#)["details"]?["field"] == "period")
        #expect(try db.err("indicators.compute", #"{"from": "2026-01-01", "until": "2026-02-01"}"#)["details"]?["field"] == "period")
        #expect(try db.err("indicators.compute", #"{"rates": [{"from": "EUR", "rate": "ten", "on": "2026-01-01"}]}"#)["details"]?["field"] == "rates.rate")
    }

    @Test("every indicator keeps its value when members are erased")
    func erasureKeepsIndicators() throws {
        let s = try Story()
        func all(_ d: String) throws -> JSON {
            try s.db.ok("indicators.compute", #"{"as_of": "\#(d)", "provenance": true}"#)["indicators"] ?? .null
        }
        let dates = ["2026-03-31", "2026-07-01", "2026-12-31"]
        let before = try dates.map(all)
        for m in ["lyon", "bcn", "adc.anzi", "adc.talm"] { try s.db.ok("member.erase", #"{"id": "\#(s.ids[m]!)"}"#) }
        #expect(try dates.map(all) == before)
    }

    // MARK: - The property: the engine equals a brute-force recount from the event log.

    /// Recounts the five seed indicators by replaying the events up to the day, then
    /// reading the definitions literally. Independent of the engine's code.
    static func bruteForce(_ events: [RawEvent], day: Int, territory t: String?) -> [String: Set<String>] {
        func within(_ code: String?) -> Bool { guard let code else { return t == nil }; return t.map { code == $0 || code.hasPrefix($0 + ".") } ?? true }
        func d(_ j: JSON?) -> Int? { j?.stringValue.flatMap(LocalDate.init)?.daysSinceEpoch }
        var members: [String: JSONObject] = [:], orgs: [String: JSONObject] = [:], projects: [String: JSONObject] = [:], contributions: [String: JSONObject] = [:]
        var agreements: [String: (org: String, from: Int, until: Int)] = [:]
        var competences: [String: [String: Int]] = [:]
        var interactions: [(JSONObject, Int)] = []
        var offers: [String: JSONObject] = [:]
        var effective: [String: [String: Int]] = [:]
        for e in events where e.day <= day {
            let after = e.payload["after"]?.objectValue ?? JSONObject()
            func merge(_ into: inout [String: JSONObject]) { var o = into[e.subject] ?? JSONObject(); for (k, v) in after { o[k] = v }; into[e.subject] = o }
            switch e.type {
            case "member.created", "member.updated", "member.erased": merge(&members)
            case "organization.created", "organization.updated": merge(&orgs)
            case "project.created", "project.updated", "project.transitioned", "project.endorsed": merge(&projects)
            case "agreement.signed":
                agreements[e.subject] = (after["organization"]?.stringValue ?? "", max(d(after["signed_on"]) ?? e.day, e.day), d(after["ends_on"]).map { $0 + 1 } ?? Int.max)
            case "agreement.ended":
                if var a = agreements[e.subject] { a.until = min(a.until, max(d(after["ended_on"]) ?? e.day, e.day)); agreements[e.subject] = a }
            case "competence.attested":
                let k = after["competence"]?.stringValue ?? ""
                competences[e.subject, default: [:]][k] = min(competences[e.subject]?[k] ?? Int.max, max(d(after["attested_on"]) ?? e.day, e.day))
            case "contribution.pledged": merge(&contributions)
            case "contribution.confirmed", "contribution.delivered", "contribution.cancelled":
                merge(&contributions)
                let status = String(e.type.dropFirst("contribution.".count))
                effective[e.subject, default: [:]][status] = max(d(after["\(status)_on"]) ?? e.day, e.day)
            case "interaction.recorded": interactions.append((after, max(d(after["on"]) ?? e.day, e.day)))
            case "offer.created", "offer.updated": merge(&offers)
            default: break
            }
        }
        func diaspora(_ m: String?) -> Bool {
            guard let m, let o = members[m] else { return false }
            return o["roles"]?.arrayValue?.contains("diaspora") == true || o["heart_diaspora"]?.boolValue == true
        }
        func kind(_ o: String?) -> String { o.flatMap { orgs[$0]?["kind"]?.stringValue } ?? "" }
        func moroccan(_ o: String) -> Bool { orgs[o]?["country"]?.stringValue == "MA" && kind(o) != "facilitator" && kind(o) != "diaspora_association" }
        func counts(_ c: String) -> Bool {
            guard let conf = effective[c]?["confirmed"], conf <= day else { return false }
            if let cancel = effective[c]?["cancelled"], cancel <= day { return false }
            return true
        }
        var out: [String: Set<String>] = [:]
        for (c, o) in contributions where counts(c) {
            let p = projects[o["project"]?.stringValue ?? ""] ?? JSONObject()
            let communes = p["communes"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let m = o["member"]?.stringValue
            let fromDiaspora = diaspora(m) || kind(o["organization"]?.stringValue) == "diaspora_association"
            if diaspora(m), let m, communes.contains(where: within) { out["migrants_mobilized", default: []].insert(m) }
            if fromDiaspora { for k in communes where within(k) { out["territories_connected", default: []].insert(k) } }
            if diaspora(m) {
                let projectOrgs = (p["partners"]?.arrayValue ?? []).compactMap { $0["organization"]?.stringValue } + [p["lead_organization"]?.stringValue].compactMap { $0 }
                for x in projectOrgs where moroccan(x) && within(orgs[x]?["territory"]?.stringValue) { out["actors_linked", default: []].insert(x) }
            }
        }
        for (_, a) in agreements where a.from <= day && day < a.until {
            let o = orgs[a.org] ?? JSONObject()
            if ["commune", "provincial_council", "regional_council"].contains(kind(a.org)), let t = o["territory"]?.stringValue, within(t) {
                out["collectivities_engaged", default: []].insert(a.org)
            }
        }
        for (m, o) in members {
            if o["roles"]?.arrayValue?.contains("adc") == true, let k = o["adc_commune"]?.stringValue, within(k),
               let pe = competences[m]?["project_engineering"], let co = competences[m]?["communication"], pe <= day, co <= day {
                out["collectivities_with_competent_adc", default: []].insert(k)
            }
            if diaspora(m), let k = o["origin"]?.stringValue, k.split(separator: ".").count == 4, within(k) { out["territories_connected", default: []].insert(k) }
        }
        for (_, o) in offers where o["status"]?.stringValue != "withdrawn" {
            guard diaspora(o["member"]?.stringValue) || kind(o["organization"]?.stringValue) == "diaspora_association" else { continue }
            for k in (o["territories"]?.arrayValue ?? []).compactMap(\.stringValue) where k.split(separator: ".").count == 4 && within(k) {
                out["territories_connected", default: []].insert(k)
            }
        }
        for (i, from) in interactions where from <= day {
            let x = i["organization"]?.stringValue ?? ""
            let side = diaspora(i["member"]?.stringValue) || kind(i["diaspora_organization"]?.stringValue) == "diaspora_association"
            if side, moroccan(x), within(orgs[x]?["territory"]?.stringValue) { out["actors_linked", default: []].insert(x) }
        }
        return out
    }

    static let communes = ["09.581.03.03", "09.581.01.05", "09.541.11.33", "09.541.01.01"]

    @Test("the engine's value equals a brute-force recount from the event log, for random histories, dates and territories; live, and read back from a snapshot taken midway then extended, it answers as built from the whole log", .tags(.property))
    func engineEqualsRecount() async throws {
        let ops = Gen.int(in: 0...99).array(of: 10...60)
        let nonEmpty = Mutex(Set<String>())
        defer { #expect(nonEmpty.withLock { $0.count } == 5, "the random histories reach every indicator: \(nonEmpty.withLock { $0 })") }
        await propertyCheck(count: 30, input: ops, Gen.int(in: 0...400).array(of: 6)) { script, probes in
            guard let db = try? CDSDatabase(path: ":memory:", options: .trusted) else { return }
            var day = LocalDate(year: 2026, month: 1, day: 1)?.daysSinceEpoch ?? 0
            var lateDays: [Int] = []
            var offersToWithdraw: [String] = []
            var members: [String] = [], adcs: [String] = [], orgs: [String] = [], agreements: [String] = [], projects: [String] = [], contributions: [(String, Int)] = []
            let fac = (try? db.ok("member.create", #"{"name": "F", "gender": "f", "roles": ["facilitator"], "residence_country": "MA", "at": "2025-12-31T08:00:00Z"}"#))?["id"]?.stringValue ?? ""
            // A fixed start that can make every seed indicator count, then the random script.
            do {
                let at = "2026-01-01T09:00:00Z"
                func id(_ m: String, _ p: String) -> String { (try? db.call(m, params: JSON.parse(p)).get())?["id"]?.stringValue ?? "" }
                let m0 = id("member.create", #"{"name": "M0", "gender": "f", "roles": ["diaspora"], "residence_country": "FR", "origin": "09.581.03.03", "at": "\#(at)"}"#)
                let a0 = id("member.create", #"{"name": "A0", "gender": "m", "roles": ["adc"], "residence_country": "MA", "adc_commune": "09.541.11.33", "at": "\#(at)"}"#)
                for k in ["project_engineering", "communication"] {
                    _ = db.call("competence.attest", #"{"member": "\#(a0)", "competence": "\#(k)", "attested_on": "2026-01-02", "by": "\#(fac)", "at": "2026-01-02T09:00:00Z"}"#)
                }
                let c0 = id("organization.create", #"{"kind": "commune", "territory": "09.581.01.05", "at": "\#(at)"}"#)
                _ = db.call("agreement.sign", #"{"organization": "\#(c0)", "signed_on": "2026-01-03", "at": "2026-01-03T09:00:00Z"}"#)
                let l0 = id("organization.create", #"{"kind": "cooperative", "name": "L0", "territory": "09.541.01.01", "at": "\#(at)"}"#)
                let p0 = id("project.create", #"{"title": {"fr": "P0"}, "communes": ["09.541.01.01"], "lead_organization": "\#(l0)", "at": "\#(at)"}"#)
                let k0 = id("contribution.create", #"{"project": "\#(p0)", "member": "\#(m0)", "kind": "skill", "quantity": {"unit": "person_days", "amount": 2}, "on": "2026-01-04", "at": "2026-01-04T09:00:00Z"}"#)
                _ = db.call("contribution.update", #"{"id": "\#(k0)", "status": "confirmed", "on": "2026-01-05", "at": "2026-01-05T09:00:00Z"}"#)
                members += [m0, a0]; adcs.append(a0); orgs += [c0, l0]; projects.append(p0); contributions.append((k0, 1))
            }
            // The live engine written as a snapshot midway and read back, with how many events it covers.
            var midway: (engine: IndicatorEngine, events: Int)? = nil
            for (n, op) in script.enumerated() {
                // The live engine follows the log write by write (extended in place, not built again).
                _ = try? db.store.withIndicatorEngine { $0.count(.migrantsMobilized, day: day, territory: "") }
                if n == script.count / 2 {
                    let covered = (try? db.store.indicatorEvents().count) ?? -1
                    midway = try? db.store.withIndicatorEngine { live throws(CDSError) in (try IndicatorEngine(snapshot: live.snapshot()), covered) }
                }
                day += op % 9
                let at = "\(LocalDate(daysSinceEpoch: day))T\(10 + n % 10):00:00Z"
                let biz = LocalDate(daysSinceEpoch: day + (op % 7) - 3).description
                let commune = Self.communes[op % Self.communes.count]
                func id(_ m: String, _ p: String) -> String? { (try? db.call(m, params: JSON.parse(p)).get())?["id"]?.stringValue }
                switch op % 10 {
                case 0, 1:
                    let roles = ["[\"diaspora\"]", "[\"diaspora\"]", "[\"adc\"]", "[\"local_actor\"]"][op % 4]
                    let heart = op % 4 == 1 ? #", "heart_diaspora": true"# : ""
                    let adc = op % 4 == 2 ? #", "adc_commune": "\#(commune)""# : ""
                    let gender = ["f", "m"][op % 2]
                    if let m = id("member.create", #"{"name": "M\#(n)", "gender": "\#(gender)", "roles": \#(roles)\#(heart)\#(adc), "residence_country": "\#(["FR", "BE", "NL", "ES"][op % 4])", "origin": "\#(commune)", "at": "\#(at)"}"#) { members.append(m); if op % 4 == 2 { adcs.append(m) } }
                case 2:
                    let kind = ["commune", "cooperative", "local_association", "diaspora_association"][op % 4]
                    let extra = kind == "diaspora_association" ? #""country": "FR""# : #""territory": "\#(commune)""#
                    if let o = id("organization.create", #"{"kind": "\#(kind)", "name": "O\#(n)", \#(extra), "at": "\#(at)"}"#) { orgs.append(o) }
                case 3:
                    if let o = Self.pick(orgs, op, n), let a = id("agreement.sign", #"{"organization": "\#(o)", "signed_on": "\#(biz)", "at": "\#(at)"}"#) { agreements.append(a) }
                    if let a = agreements.first, op % 3 == 0 { _ = db.call("agreement.end", #"{"id": "\#(a)", "ended_on": "\#(LocalDate(daysSinceEpoch: day + 2))", "at": "\#(at)"}"#) }
                case 4:
                    if let m = Self.pick(op % 3 == 0 ? members : adcs, op, n) {
                        for k in op % 2 == 0 ? ["project_engineering", "communication"] : ["communication"] {
                            _ = db.call("competence.attest", #"{"member": "\#(m)", "competence": "\#(k)", "attested_on": "\#(biz)", "by": "\#(fac)", "at": "\#(at)"}"#)
                        }
                    }
                case 5:
                    // Updates gather on a few members, so that late imports interleave with their other changes.
                    if let m = Self.pick(Array(members.prefix(3)), op, n) {
                        let change = n % 3 == 0 ? #""adc_commune": null"# : n % 3 == 1 ? #""origin": "\#(commune)""# : #""roles": ["\#(["local_actor", "diaspora", "adc"][op % 3])"]"#
                        // Some changes are imported late, with an earlier day than facts already recorded.
                        let back = (op / 10) + 3
                        let when = n % 2 == 0 ? "\(LocalDate(daysSinceEpoch: day - back))T09:00:00Z" : at
                        if n % 2 == 0 { lateDays += [day - back, day - back + 1, day - 1] }
                        _ = db.call("member.update", #"{"id": "\#(m)", \#(change), "at": "\#(when)"}"#)
                    }
                case 6:
                    let lead = Self.pick(orgs, op, n).map { #", "lead_organization": "\#($0)""# } ?? ""
                    if let p = id("project.create", #"{"title": {"fr": "P\#(n)"}, "communes": ["\#(commune)"]\#(lead), "at": "\#(at)"}"#) { projects.append(p) }
                case 7:
                    if let p = Self.pick(projects, op, n) {
                        let who = op % 4 == 3 ? Self.pick(orgs, op, n).map { #""organization": "\#($0)""# } : Self.pick(members, op, n).map { #""member": "\#($0)""# }
                        if let who, let c = id("contribution.create", #"{"project": "\#(p)", \#(who), "kind": "skill", "quantity": {"unit": "person_days", "amount": 2}, "on": "\#(biz)", "at": "\#(at)"}"#) {
                            contributions.append((c, 0))
                        }
                    }
                case 8:
                    if !contributions.isEmpty {
                        let k = op % contributions.count
                        let next = contributions[k].1 == 0 ? (op % 5 == 0 ? "cancelled" : "confirmed") : contributions[k].1 == 1 ? (op % 2 == 0 ? "cancelled" : "delivered") : nil
                        if let next, db.call("contribution.update", #"{"id": "\#(contributions[k].0)", "status": "\#(next)", "on": "\#(LocalDate(daysSinceEpoch: day + op % 4))", "at": "\#(at)"}"#).ok {
                            contributions[k].1 = next == "cancelled" ? 9 : contributions[k].1 + 1
                        }
                    }
                default:
                    if n % 3 == 0, let m = Self.pick(members, op, n) {
                        // An offer with communes of interest, sometimes withdrawn later.
                        let offer = id("offer.create", #"{"member": "\#(m)", "kind": "skill", "capacity": {"unit": "person_days", "amount": 3}, "territories": ["\#(commune)"], "at": "\#(at)"}"#)
                        if let offer, op % 2 == 1 { offersToWithdraw.append(offer) }
                        if let w = offersToWithdraw.first, op % 3 == 0 {
                            _ = db.call("offer.update", #"{"id": "\#(w)", "status": "withdrawn", "at": "\#(at)"}"#)
                            offersToWithdraw.removeFirst()
                        }
                    } else if let m = Self.pick(members, op, n), let o = Self.pick(orgs, op + 1, n) {
                        _ = db.call("interaction.create", #"{"kind": "call", "on": "\#(biz)", "member": "\#(m)", "organization": "\#(o)", "at": "\#(at)"}"#)
                    }
                }
            }
            guard let events = try? Self.rawEvents(db.store), let all = try? db.store.indicatorEvents(), let midway else { Issue.record("engine"); return }
            let fresh = IndicatorEngine(events: all)
            midway.engine.extend(with: all.dropFirst(midway.events))
            let live = try? db.store.withIndicatorEngine { live in
                // What the live engine counts, against the engine built from the whole log (below, against the recount).
                for d in probes.map({ $0 + day - 400 }) + lateDays {
                    for t in ["", "09", "09.581", "09.541"] + Self.communes {
                        var q = IndicatorQuery(asOf: LocalDate(daysSinceEpoch: d))
                        q.territory = t
                        q.provenance = true
                        q.disaggregate = "gender"
                        #expect(live.report(q, locale: .fr) == fresh.report(q, locale: .fr), "live report on \(d) in \(t)")
                        #expect(live.competentADCEvidence(day: d, territory: t) == fresh.competentADCEvidence(day: d, territory: t))
                        #expect(midway.engine.report(q, locale: .fr) == fresh.report(q, locale: .fr), "report on \(d) in \(t) from the snapshot")
                        #expect(midway.engine.competentADCEvidence(day: d, territory: t) == fresh.competentADCEvidence(day: d, territory: t))
                    }
                }
                return true
            }
            #expect(live == true)
            let engine = fresh
            let start = LocalDate(year: 2026, month: 1, day: 1)?.daysSinceEpoch ?? 0
            let territories: [String?] = [nil, "09", "09.581", "09.541"] + Self.communes
            for (n, probe) in (probes + lateDays.map { $0 - start }).enumerated() {
                let d = start + probe
                let t = territories[((probe + n) % territories.count + territories.count) % territories.count]
                let expected = Self.bruteForce(events, day: d, territory: t)
                for id in ["migrants_mobilized", "collectivities_engaged", "collectivities_with_competent_adc", "actors_linked", "territories_connected"] {
                    let got = Set(engine.counted(IndicatorID(rawValue: id) ?? .migrantsMobilized, day: d, territory: t ?? ""))
                    if !got.isEmpty { nonEmpty.withLock { $0.insert(id) } }
                    #expect(got == expected[id, default: []], "\(id) on \(LocalDate(daysSinceEpoch: d)) in \(t ?? "the CDS")")
                }
            }
        }
    }

    /// An event as the log stores it, its payload untyped: the brute force reads it apart from the engine's decoding.
    struct RawEvent { var day: Int; var type: String; var subject: String; var payload: JSON }

    /// The whole log, oldest first, page by page.
    static func rawEvents(_ store: Store) throws -> [RawEvent] {
        var out: [RawEvent] = []
        var after: Int64 = 0
        while true {
            let page = try store.events(after: after, limit: 1000)
            for e in page.items {
                let ms = e.occurredAt.millisecondsSinceEpoch
                out.append(RawEvent(day: Int((ms >= 0 ? ms : ms - 86_399_999) / 86_400_000), type: e.type, subject: e.subject, payload: e.payload))
            }
            guard let c = page.nextCursor, let next = Int64(c) else { return out }
            after = next
        }
    }

    /// A deterministic choice in a list, from the script's numbers.
    static func pick(_ a: [String], _ x: Int, _ y: Int) -> String? { a.isEmpty ? nil : a[(x &* 31 &+ y &* 7) % a.count] }
}
