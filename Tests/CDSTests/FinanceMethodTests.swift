@_spi(Tooling) import CDS
import CDSCore
import CDSDemo
import Testing

/// Solidarity finance through the JSON methods: what a portal calls. The rules themselves
/// are proved on the core and the store (CampaignTests, FundingRuleTests); these prove what
/// the methods add: who may say money was received, what a campaign shows, clear refusals
/// with nothing stored, and the funding check a portal shows an ADC.
@Suite("Finance methods")
struct FinanceMethodTests {
    /// A commune, its ADC, a diaspora giver, a project with its ADC and an open all-or-nothing campaign of 1,000.00 EUR.
    struct World {
        let file = TempDB()
        /// The trusted handle that built it, and a portal's handle, whose `actor` the access table checks.
        let db: CDSDatabase, portal: CDSDatabase
        var ids: [String: String] = [:]

        init() throws {
            db = try file.open()
            portal = try file.open(OpenOptions())
            ids["org"] = try db.ok("organization.create", #"{"kind": "commune", "territory": "09.581.03.03"}"#)["id"]?.stringValue
            ids["adc"] = try db.ok("member.create", #"{"name": "Youssef", "gender": "m", "roles": ["adc"], "residence_country": "MA", "adc_commune": "09.581.03.03"}"#)["id"]?.stringValue
            ids["giver"] = try db.diaspora("Brahim")
            ids["project"] = try db.ok("project.create", fill(#"{"title": {"fr": "Réseau d'eau potable"}, "communes": ["09.581.03.03"], "sector": "EAU", "adc": "$adc"}"#))["id"]?.stringValue
            ids["campaign"] = try db.ok("campaign.create", fill(#"{"project": "$project", "title": {"fr": "Le réseau d'eau"}, "model": "all_or_nothing", "goal": {"minor": 100000, "currency": "EUR"}, "opens_on": "2026-06-01", "closes_on": "2026-06-30"}"#))["id"]?.stringValue
            try db.ok("campaign.open", fill(#"{"id": "$campaign"}"#))
        }

        func fill(_ text: String) -> String {
            var t = text
            for (k, v) in ids.sorted(by: { $0.key.count > $1.key.count }) { t = t.replacingOccurrences(of: "$" + k, with: v) }
            return t
        }

        /// Through the portal's handle when the call names an actor, else the trusted one.
        func ok(_ method: String, _ params: String) throws -> JSON { try (params.contains("\"actor\"") ? portal : db).ok(method, fill(params)) }
        func err(_ method: String, _ params: String) throws -> JSON { try (params.contains("\"actor\"") ? portal : db).err(method, fill(params)) }
    }

    @Test("a giver pledges for herself; only the campaign's ADC or staff records money as collected")
    func onlyTheADCRecordsMoneyReceived() throws {
        let w = try World()
        let pledged = try w.ok("gift.create", #"{"campaign": "$campaign", "member": "$giver", "amount": {"minor": 5000, "currency": "EUR"}, "on": "2026-06-02", "actor": "$giver"}"#)
        #expect(pledged["status"] == "pledged")
        let refused = try w.err("gift.create", #"{"campaign": "$campaign", "member": "$giver", "amount": {"minor": 5000, "currency": "EUR"}, "on": "2026-06-02", "collected": true, "actor": "$giver"}"#)
        #expect(refused["code"] == "forbidden")
        let id = pledged["id"]?.stringValue ?? ""
        #expect(try w.err("gift.move", #"{"id": "\#(id)", "to": "collected", "on": "2026-06-03", "actor": "$giver"}"#)["code"] == "forbidden")
        let collected = try w.ok("gift.move", #"{"id": "\#(id)", "to": "collected", "on": "2026-06-03", "actor": "$adc"}"#)
        #expect(collected["status"] == "collected" && collected["collected_on"] == "2026-06-03")
        // The giver reads her gift; another member does not.
        let other = try w.db.diaspora("Naima")
        #expect(try w.ok("gift.get", #"{"id": "\#(id)", "actor": "$giver"}"#)["id"]?.stringValue == id)
        #expect(try w.err("gift.get", #"{"id": "\#(id)", "actor": "\#(other)"}"#)["code"] == "forbidden")
    }

    @Test("a campaign shows what was actually collected beside what was pledged, and its pool with what is left")
    func campaignShowsCollectedBesidePledged() throws {
        let w = try World()
        let pool = try w.ok("pool.create", #"{"organization": "$org", "name": "Abondement d'Anzi", "amount": {"minor": 3000, "currency": "EUR"}, "campaign": "$campaign", "rate_bp": 10000, "opens_on": "2026-06-01", "closes_on": "2026-06-30"}"#)
        try w.ok("gift.create", #"{"campaign": "$campaign", "member": "$giver", "amount": {"minor": 5000, "currency": "EUR"}, "on": "2026-06-02", "collected": true}"#)
        try w.ok("gift.create", #"{"campaign": "$campaign", "member": "$giver", "amount": {"minor": 7000, "currency": "EUR"}, "on": "2026-06-04"}"#)
        let c = try w.ok("campaign.get", #"{"id": "$campaign"}"#)
        let totals = try #require(c["totals"])
        #expect(totals["collected"]?["minor"] == 5000 && totals["pledged"]?["minor"] == 7000 && totals["matched"]?["minor"] == 3000, "\(totals.text)")
        #expect(c["pools"]?.arrayValue?.first?["left"]?["minor"] == 0)
        #expect(try w.ok("pool.get", #"{"id": "\#(pool["id"]?.stringValue ?? "")"}"#)["used"]?["minor"] == 3000)
        // The gift states its partial match: the pool ran out.
        let gift = try #require(try w.ok("gift.list", #"{"campaign": "$campaign"}"#)["items"]?.arrayValue?.first)
        #expect(gift["matches"]?.arrayValue?.first?["limited_by"] == "pool_exhausted", "\(gift.text)")
    }

    @Test("an all-or-nothing campaign settled one unit short refunds every collected gift through the door")
    func settlingShortRefunds() throws {
        let w = try World()
        let g = try w.ok("gift.create", #"{"campaign": "$campaign", "member": "$giver", "amount": {"minor": 99999, "currency": "EUR"}, "on": "2026-06-02", "collected": true}"#)
        #expect(try w.err("campaign.settle", #"{"id": "$campaign", "on": "2026-06-30"}"#)["code"] == "invalid_params")
        let settled = try w.ok("campaign.settle", #"{"id": "$campaign", "on": "2026-07-01", "actor": "$adc"}"#)
        #expect(settled["status"] == "failed" && settled["totals"]?["collected"]?["minor"] == 0 && settled["totals"]?["refunded"]?["minor"] == 99999, "\(settled.text)")
        #expect(try w.ok("gift.get", #"{"id": "\#(g["id"]?.stringValue ?? "")"}"#)["status"] == "refunded")
        let figures = try w.ok("finance.indicators", #"{"as_of": "2026-07-31"}"#)
        #expect(figures["campaigns"]?["failed"] == 1 && figures["per_currency"]?.arrayValue?.first?["refunded"] == 99999, "\(figures.text)")
    }

    @Test("bad input is refused with the field named, and nothing is stored")
    func badInputIsRefusedAndNothingStored() throws {
        let w = try World()
        let before = try w.db.eventCount()
        let cases: [(method: String, params: String, field: String)] = [
            ("gift.create", #"{"campaign": "$campaign", "member": "$giver", "amount": {"minor": 5000, "currency": "MAD"}, "on": "2026-06-02"}"#, "amount.currency"),
            ("gift.create", #"{"campaign": "$campaign", "member": "$giver", "amount": {"minor": 5000, "currency": "EUR"}, "on": "2026-07-01"}"#, "on"),
            ("gift.create", #"{"campaign": "$campaign", "member": "$giver", "organization": "$org", "amount": {"minor": 5000, "currency": "EUR"}}"#, "member"),
            ("pool.create", #"{"organization": "$org", "name": "Trop", "amount": {"minor": 3000, "currency": "EUR"}, "campaign": "$campaign", "rate_bp": 20000, "opens_on": "2026-06-01", "closes_on": "2026-06-30"}"#, "rate_bp"),
            ("programme.define", #"{"id": "contradiction", "name": {"fr": "Contradictoire"}, "funder": "X", "currency": "EUR", "max_amount": 2000000, "max_total": 1000000, "source": "https://example.org", "read_on": "2026-03-01"}"#, "max_amount"),
            ("rate.set", #"{"from": "EUR", "to": "MAD", "rate": "dix", "on": "2026-01-01"}"#, "rate"),
            ("rate.set", #"{"from": "EUR", "to": "EUR", "rate": "1", "on": "2026-01-01"}"#, "to"),
            ("finance.indicators", #"{"reporting_currency": "XYZ"}"#, "reporting_currency"),
        ]
        for x in cases {
            let e = try w.err(x.method, x.params)
            #expect(e["code"] == "invalid_params" && e["details"]?["field"]?.stringValue == x.field, "\(x.method): \(e.text)")
        }
        #expect(try w.db.eventCount() == before, "a refused call stores nothing")
        // A rate over 100 % is taken when declared.
        #expect(try w.ok("pool.create", #"{"organization": "$org", "name": "Double", "amount": {"minor": 3000, "currency": "EUR"}, "campaign": "$campaign", "rate_bp": 20000, "over_one_for_one": true, "opens_on": "2026-06-01", "closes_on": "2026-06-30"}"#)["rate_bp"] == 20000)
    }

    @Test("project.funding_check answers each programme's rules with their checklist keys, what is asked and what is allowed")
    func fundingCheckThroughTheDoor() throws {
        let w = try World()
        try w.ok("project.update", #"{"id": "$project", "budget": {"currency": "EUR", "lines": [{"category": "works", "label": "Réseau", "amount": {"minor": 10000000, "currency": "EUR"}}]}, "funding_plan": [{"label": "PRA/OSIM", "amount": {"minor": 2000000, "currency": "EUR"}, "programme": "pra_osim"}, {"label": "Association", "amount": {"minor": 8000000, "currency": "EUR"}, "origin": "diaspora"}]}"#)
        let check = try w.ok("project.funding_check", #"{"id": "$project", "on": "2026-06-01", "locale": "en"}"#)
        #expect(check["met"] == false && check["currency"] == "EUR")
        let rules = check["programmes"]?.arrayValue?.first?["rules"]?.arrayValue ?? []
        let cap = try #require(rules.first { $0["key"] == "programme.pra_osim.amount_cap" }, "\(check.text)")
        #expect(cap["met"] == false && cap["asked"] == 2000000 && cap["allowed"] == 1500000 && cap["label"]?.stringValue?.isEmpty == false, "\(cap.text)")
        #expect(rules.first { $0["key"] == "programme.pra_osim.total_ceiling" }?["met"] == true)
    }

    @Test("a what-if check reads the plan against a programme it does not draw on: its grant is nought, its public cap still applies; an unknown one is refused")
    func whatIfCheck() throws {
        let w = try World()
        try w.ok("project.update", #"{"id": "$project", "budget": {"currency": "EUR", "lines": [{"category": "works", "label": "Réseau", "amount": {"minor": 10000000, "currency": "EUR"}}]}, "funding_plan": [{"label": "Commune", "amount": {"minor": 8000001, "currency": "EUR"}, "origin": "local_authority"}, {"label": "Association", "amount": {"minor": 1999999, "currency": "EUR"}, "origin": "diaspora"}]}"#)
        let check = try w.ok("project.funding_check", #"{"id": "$project", "on": "2026-06-01", "programmes": ["fdva"]}"#)
        let fdva = try #require(check["programmes"]?.arrayValue?.first)
        #expect(fdva["what_if"] == true && fdva["grant"]?["minor"] == 0 && check["met"] == false, "\(check.text)")
        let cap = try #require(fdva["rules"]?.arrayValue?.first { $0["rule"] == "public_cap" })
        #expect(cap["met"] == false && cap["asked"] == 8000001 && cap["allowed"] == 8000000)
        #expect(try w.err("project.funding_check", #"{"id": "$project", "programmes": ["fdva", "nope"]}"#)["details"]?["field"] == "programmes[1]")
        // A plan that draws on no programme and is checked against none answers no programme.
        #expect(try w.ok("project.funding_check", #"{"id": "$project"}"#)["programmes"]?.arrayValue?.isEmpty == true)
    }

    @Test("the demo's all-or-nothing campaign reaches its goal only with the commune's matching fund; the argan one misses it and refunds every gift")
    func demoCampaigns() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let report = try Demo.build(db)
        let campaigns = try db.ok("campaign.list")["items"]?.arrayValue ?? []
        #expect(campaigns.count == 2)
        let solar = try #require(campaigns.first { $0["project"]?.stringValue == report.ids["project.solar.talmakante"] })
        let collected = solar["totals"]?["collected"]?["minor"]?.intValue ?? 0, goal = solar["goal"]?["minor"]?.intValue ?? 0
        #expect(solar["status"] == "succeeded" && collected < goal && solar["totals"]?["received"]?["minor"]?.intValue ?? 0 >= goal, "\(solar.text)")
        let argan = try #require(campaigns.first { $0["project"]?.stringValue == report.ids["project.argan.tafraout"] })
        #expect(argan["status"] == "failed" && argan["totals"]?["collected"]?["minor"] == 0 && argan["totals"]?["pledged"]?["minor"] == 0, "\(argan.text)")
        let gifts = try db.ok("gift.list", #"{"campaign": "\#(argan["id"]?.stringValue ?? "")"}"#)["items"]?.arrayValue ?? []
        #expect(Set(gifts.compactMap { $0["status"]?.stringValue }) == ["refunded", "cancelled"])
        // The water plan draws on PRA/OSIM and meets it; FDVA's 80 % cap would be broken.
        let check = try db.ok("project.funding_check", #"{"id": "\#(report.ids["project.water.anzi"] ?? "")", "programmes": ["fdva"]}"#)
        let byID = Dictionary(uniqueKeysWithValues: (check["programmes"]?.arrayValue ?? []).compactMap { p in p["programme"]?.stringValue.map { ($0, p) } })
        #expect(byID["pra_osim"]?["met"] == true && byID["fdva"]?["met"] == false)
    }

    @Test("a valuation rate set without a note reads back: its stored note is null, not a damaged row")
    func valuationWithoutNoteReadsBack() throws {
        let w = try World()
        let set = try w.ok("valuation.set", #"{"key": "volunteer_day", "kind": "volunteer_time", "unit_value": {"minor": 20000, "currency": "EUR"}, "from": "2026-01-01"}"#)
        #expect(set["note"] == .null)
        #expect(try w.ok("valuation.list", "{}")["items"]?.arrayValue?.first?["unit_value"]?["minor"] == 20000)
        try w.ok("project.update", #"{"id": "$project", "budget": {"currency": "EUR", "lines": [{"category": "works", "label": "Réseau", "amount": {"minor": 10000000, "currency": "EUR"}}]}, "funding_plan": [{"label": "FDVA", "amount": {"minor": 5800000, "currency": "EUR"}, "programme": "fdva"}, {"label": "Commune", "amount": {"minor": 3000000, "currency": "EUR"}, "origin": "local_authority"}, {"label": "Association", "amount": {"minor": 2000000, "currency": "EUR"}, "origin": "diaspora"}, {"label": "Bénévolat", "amount": {"minor": 0, "currency": "EUR"}, "origin": "diaspora", "in_kind": {"kind": "volunteer_time", "quantity": 50, "rate": "volunteer_day"}}]}"#)
        // 50 days at 200.00 raise the cost to 110,000.00: public funds of 88,000.00 are exactly the 80 % cap.
        let fdva = try #require(try w.ok("project.funding_check", #"{"id": "$project", "on": "2026-06-01"}"#)["programmes"]?.arrayValue?.first)
        #expect(fdva["cost"]?["minor"] == 11000000 && fdva["in_kind_counted"]?["minor"] == 1000000 && fdva["met"] == true, "\(fdva.text)")
        let cap = try #require(fdva["rules"]?.arrayValue?.first { $0["key"] == "programme.fdva.public_cap" })
        #expect(cap["asked"] == 8800000 && cap["allowed"] == 8800000 && cap["met"] == true)
    }

    @Test("the share of plans meeting every rule reads each plan as it stood on the day, not as it stands now")
    func plansAsOfTheDay() throws {
        var w = try World()
        w.ids["dated"] = try w.ok("project.create", #"{"title": {"fr": "Citerne du douar"}, "communes": ["09.581.03.03"], "sector": "EAU", "at": "2026-01-15T09:00:00Z"}"#)["id"]?.stringValue
        let plan = { (grant: Int64) in #"{"id": "$dated", "budget": {"currency": "EUR", "lines": [{"category": "works", "label": "Réseau", "amount": {"minor": 10000000, "currency": "EUR"}}]}, "funding_plan": [{"label": "PRA/OSIM", "amount": {"minor": \#(grant), "currency": "EUR"}, "programme": "pra_osim"}, {"label": "Association", "amount": {"minor": \#(10000000 - grant), "currency": "EUR"}, "origin": "diaspora"}], "at": "\#(grant == 1500000 ? "2026-03-01" : "2026-06-01")T09:00:00Z"}"# }
        try w.ok("project.update", plan(1_500_000))     // at the cap on 1 March
        try w.ok("project.update", plan(1_500_001))     // one cent over from 1 June
        func plans(_ day: String) throws -> (Int64?, Int64?) {
            let p = try w.ok("finance.indicators", #"{"as_of": "\#(day)"}"#)["plans"]
            return (p?["checked"]?.intValue, p?["meeting_every_rule"]?.intValue)
        }
        #expect(try plans("2026-02-01") == (0, 0))
        #expect(try plans("2026-04-01") == (1, 1))
        #expect(try plans("2026-07-01") == (1, 0))
    }

    @Test("a plan's programme, origin and contribution in kind are written to the log: replaying the project gives them back")
    func planFieldsReplayFromTheLog() throws {
        let w = try World()
        try w.ok("project.update", #"{"id": "$project", "budget": {"currency": "EUR", "lines": [{"category": "works", "label": "Réseau", "amount": {"minor": 10000000, "currency": "EUR"}}]}, "funding_plan": [{"label": "PRA/OSIM", "amount": {"minor": 1500000, "currency": "EUR"}, "programme": "pra_osim"}, {"label": "Commune", "amount": {"minor": 8500000, "currency": "EUR"}, "origin": "local_authority", "organization": "$org"}, {"label": "Bénévolat", "amount": {"minor": 0, "currency": "EUR"}, "origin": "diaspora", "in_kind": {"kind": "volunteer_time", "quantity": 50, "rate": "volunteer_day"}}]}"#)
        var state = try w.ok("project.get", #"{"id": "$project"}"#).objectValue ?? JSONObject()
        state["checklist"] = nil
        state["updated_at"] = nil
        #expect(try w.db.store.replayProject(w.ids["project"] ?? "") == .object(state))
    }
}
