@_spi(Tooling) import CDS
import CDSCore
import CDSStore
import Testing

/// The co-financing rule engine: programmes as data, a funding plan checked against each
/// programme it draws on, every figure in exact minor units.
@Suite("Co-financing rules")
struct FundingRuleTests {
    static let day = LocalDate(year: 2026, month: 6, day: 1) ?? LocalDate(daysSinceEpoch: 0)

    /// A project in EUR with one budget line of `cost` and the given sources (JSON objects).
    static func project(cost: Int64, sources: [String]) throws -> Project {
        var p = Project(id: "prj_t", code: "T-1", title: LocalizedText(), at: Instant(millisecondsSinceEpoch: 0))
        p.budget = try Budget(json: try JSON.parse(#"{"currency": "EUR", "lines": [{"category": "works", "label": "Travaux", "amount": {"minor": \#(cost), "currency": "EUR"}}]}"#), path: "budget")
        p.fundingPlan = try sources.enumerated().map { n, s in try FundingSource(json: try JSON.parse(s), path: "funding_plan[\(n)]") }
        return p
    }

    static func source(_ label: String, _ minor: Int64, programme: String? = nil, origin: String? = nil, inKind: String? = nil) -> String {
        var extra = ""
        if let programme { extra += #", "programme": "\#(programme)""# }
        if let origin { extra += #", "origin": "\#(origin)""# }
        if let inKind { extra += #", "in_kind": \#(inKind)"# }
        return #"{"label": "\#(label)", "amount": {"minor": \#(minor), "currency": "EUR"}\#(extra)}"#
    }

    /// The shipped programmes, read from a fresh database.
    static func shipped() throws -> [String: FundingProgramme] {
        let tmp = TempDB()
        return Dictionary(uniqueKeysWithValues: try tmp.open().store.programmes().map { ($0.id, $0) })
    }

    /// The outcome of `rule` when a plan asks `grant` of PRA/OSIM for a project of `cost`.
    static func praOsim(cost: Int64, grant: Int64, _ rule: ProgrammeRule, _ programmes: [String: FundingProgramme]) throws -> RuleOutcome? {
        let p = try project(cost: cost, sources: [source("PRA/OSIM", grant, programme: "pra_osim"), source("Association", max(0, cost - grant), origin: "diaspora")])
        return FundingCheck.check(p, FundingContext(programmes: programmes, on: day)).first?.outcomes.first { $0.rule == rule }
    }

    @Test("PRA/OSIM ships as data with its source and the day it was read: 15,000 EUR, 70 %, a total of 120,000 EUR")
    func shippedProgrammes() throws {
        let all = try Self.shipped()
        let pra = try #require(all["pra_osim"])
        #expect(pra.maxAmount == 1_500_000 && pra.maxShareBP == 7000 && pra.maxTotal == 12_000_000 && pra.currency == "EUR" && pra.builtin)
        #expect(pra.source.contains("http") && pra.readOn.description == "2026-12-04")
        #expect(all["fdva"]?.maxPublicShareBP == 8000 && all["fdva"]?.volunteerTime == .whenValued && all["fdva"]?.material == .whenValued)
        #expect(all["afd_ficol"]?.minLocalShareBP == 3000)
    }

    @Test("the total of at most 120,000 EUR: met at and just under the bound, broken one cent over, with its figures")
    func totalCeiling() throws {
        let all = try Self.shipped()
        #expect(try Self.praOsim(cost: 12_000_000, grant: 1_000_000, .totalCeiling, all)?.met == true)
        #expect(try Self.praOsim(cost: 11_999_999, grant: 1_000_000, .totalCeiling, all)?.met == true)
        let over = try #require(try Self.praOsim(cost: 12_000_001, grant: 1_000_000, .totalCeiling, all))
        #expect(!over.met && over.asked == 12_000_001 && over.allowed == 12_000_000 && over.key == "programme.pra_osim.total_ceiling")
        #expect(over.labels.en.contains("120000.00 EUR") && over.labels.fr.contains("120000.01 EUR") && !over.labels.ar.isEmpty)
    }

    @Test("the grant of at most 15,000 EUR: met at and just under the bound, broken one cent over")
    func amountCap() throws {
        let all = try Self.shipped()
        #expect(try Self.praOsim(cost: 10_000_000, grant: 1_500_000, .amountCap, all)?.met == true)
        #expect(try Self.praOsim(cost: 10_000_000, grant: 1_499_999, .amountCap, all)?.met == true)
        let over = try #require(try Self.praOsim(cost: 10_000_000, grant: 1_500_001, .amountCap, all))
        #expect(!over.met && over.asked == 1_500_001 && over.allowed == 1_500_000)
    }

    @Test("the grant of at most 70 % of the total: met at and just under the bound, broken one cent over")
    func shareCap() throws {
        let all = try Self.shipped()
        // 70 % of 20,000.00 EUR is 14,000.00 EUR.
        #expect(try Self.praOsim(cost: 2_000_000, grant: 1_400_000, .shareCap, all)?.met == true)
        #expect(try Self.praOsim(cost: 2_000_000, grant: 1_399_999, .shareCap, all)?.met == true)
        let over = try #require(try Self.praOsim(cost: 2_000_000, grant: 1_400_001, .shareCap, all))
        #expect(!over.met && over.asked == 1_400_001 && over.allowed == 1_400_000)
        // A cost whose 70 % is not whole cents: 70 % of 0.03 EUR is 0.021, so 0.02 is allowed and 0.03 is not.
        #expect(try Self.praOsim(cost: 3, grant: 2, .shareCap, all)?.met == true)
        #expect(try Self.praOsim(cost: 3, grant: 3, .shareCap, all)?.met == false)
    }

    @Test("all public funds at most 80 % of the cost: volunteer time counts only when valued at the CDS's rate")
    func publicCapWithValuedInKind() throws {
        let all = try Self.shipped()
        let days = #"{"kind": "volunteer_time", "quantity": 50, "rate": "volunteer_day"}"#
        // 10,000.00 EUR of costs; the commune 3,000.00 and the FDVA 5,500.00: 8,500.00 public.
        let p = try Self.project(cost: 1_000_000, sources: [
            Self.source("Commune", 300_000, origin: "local_authority"), Self.source("FDVA", 550_000, programme: "fdva"),
            Self.source("Association", 150_000, origin: "diaspora"), Self.source("Bénévoles", 99_999, origin: "diaspora", inKind: days),
        ])
        let unvalued = try #require(FundingCheck.check(p, FundingContext(programmes: all, on: Self.day)).first)
        let cap = try #require(unvalued.outcomes.first { $0.rule == .publicCap })
        #expect(!cap.met && cap.asked == 850_000 && cap.allowed == 800_000 && unvalued.cost == 1_000_000 && unvalued.inKindCounted == 0)
        // 50 days at 25.00 EUR: 1,250.00 EUR valued, a cost and a resource; 80 % of 11,250.00 is 9,000.00.
        let rate = ValuationRate(key: "volunteer_day", kind: .volunteerTime, unitValue: Money(minor: 2_500, currency: "EUR"),
                                 from: LocalDate(year: 2026, month: 1, day: 1) ?? Self.day)
        let valued = try #require(FundingCheck.check(p, FundingContext(programmes: all, valuations: [rate], on: Self.day)).first)
        let met = try #require(valued.outcomes.first { $0.rule == .publicCap })
        #expect(met.met && met.asked == 850_000 && met.allowed == 900_000 && valued.cost == 1_125_000 && valued.inKindCounted == 125_000)
        // A rate that applies only later values nothing today.
        let later = ValuationRate(key: "volunteer_day", kind: .volunteerTime, unitValue: rate.unitValue, from: LocalDate(year: 2026, month: 7, day: 1) ?? Self.day)
        #expect(FundingCheck.check(p, FundingContext(programmes: all, valuations: [later], on: Self.day)).first?.inKindCounted == 0)
    }

    @Test("at least 30 % from the local authorities and partners, rounded up to the cent")
    func localMinimum() throws {
        let all = try Self.shipped()
        func local(_ commune: Int64) throws -> RuleOutcome? {
            let p = try Self.project(cost: 1_000_001, sources: [Self.source("Commune", commune, origin: "local_authority"), Self.source("AFD", 1_000_001 - commune, programme: "afd_ficol")])
            return FundingCheck.check(p, FundingContext(programmes: all, on: Self.day)).first?.outcomes.first { $0.rule == .localMinimum }
        }
        #expect(try local(300_001)?.met == true)
        let short = try #require(try local(300_000))
        #expect(!short.met && short.asked == 300_000 && short.allowed == 300_001)
    }

    @Test("a programme whose caps contradict each other is refused, naming both fields; nothing is stored")
    func contradictoryProgramme() throws {
        let tmp = TempDB()
        let db = try tmp.open()
        let before = try db.store.programmes().count
        let base = #""id": "commune_x", "name": {"fr": "Abondement communal"}, "funder": "Commune", "currency": "EUR", "source": "délibération 3/2026", "read_on": "2026-03-01""#
        for (extra, field, other) in [(#""max_amount": 2000000, "max_total": 1000000"#, "max_amount", "max_total"),
                                      (#""max_share_bp": 9000, "max_public_share_bp": 8000"#, "max_share_bp", "max_public_share_bp"),
                                      (#""min_local_share_bp": 9000, "max_public_share_bp": 8000, "local_origins": ["local_authority"]"#, "min_local_share_bp", "max_public_share_bp")] {
            #expect(throws: CDSError.self) { _ = try FundingProgramme(json: try JSON.parse("{\(base), \(extra)}")) }
            do {
                _ = try FundingProgramme(json: try JSON.parse("{\(base), \(extra)}"))
            } catch let e as CDSError {
                #expect(e.code == .invalidParams && e.details["field"] == .string(field) && e.details["contradicts"] == .string(other), "\(e)")
            }
        }
        #expect(throws: CDSError.self) { _ = try FundingProgramme(json: try JSON.parse("{\(base)}")) }
        #expect(try db.store.programmes().count == before)
        // A consistent one is a new programme; defining it again is its version 2.
        let p = try FundingProgramme(json: try JSON.parse("{\(base), \"max_share_bp\": 5000}"))
        #expect(try db.store.defineProgramme(p).version == 1)
        #expect(try db.store.defineProgramme(p).version == 2)
        #expect(try db.store.programme("commune_x", version: 1).version == 1 && db.store.programme("commune_x").version == 2)
    }

    @Test("ready requires every rule of every programme the plan draws on: each broken rule is a checklist item with its key and figures")
    func readyRequiresEveryRule() throws {
        let tmp = TempDB()
        let db = try tmp.open()
        let f = try ProjectFixture(facadeDoor(db))
        let p = try f.formulated()
        f.makePrecise(p)
        // The water project (1,250,000 MAD): 200,000 MAD asked of PRA/OSIM, the rest from the commune and the diaspora.
        let plan = #""funding_plan": [{"label": "Commune d'Anzi", "amount": {"minor": 50000000, "currency": "MAD"}, "origin": "local_authority"}, {"label": "PRA/OSIM", "amount": {"minor": 20000000, "currency": "MAD"}, "programme": "pra_osim"}, {"label": "Diaspora", "amount": {"minor": 55000000, "currency": "MAD"}, "origin": "diaspora"}]"#
        f.ok("project.update", #"{"id": "\#(p)", \#(plan)}"#)
        let noRate = f.move(p, "ready")
        let keys = noRate.json["error"]?["details"]?["missing"]?.arrayValue?.compactMap { $0["key"]?.stringValue } ?? []
        #expect(!noRate.ok && keys.contains("programme.pra_osim.rate_known"), "\(keys)")
        _ = try db.store.setExchangeRate(try ExchangeRate(from: "EUR", to: "MAD", rate: "10.85", on: LocalDate(year: 2026, month: 1, day: 2) ?? Self.day))
        let refused = f.move(p, "ready")
        let missing = refused.json["error"]?["details"]?["missing"]?.arrayValue ?? []
        let cap = missing.first { $0["key"] == "programme.pra_osim.amount_cap" }
        // 15,000.00 EUR at 10.85 is 162,750.00 MAD.
        #expect(cap?["asked"] == .int(20_000_000) && cap?["allowed"] == .int(16_275_000) && cap?["currency"] == "MAD", "\(missing)")
        #expect(cap?["label"]?.stringValue?.hasPrefix("PRA/OSIM") == true && missing.count == 1, "the label in the locale asked (fr)")
        let checklist = f.ok("project.checklist", #"{"id": "\#(p)", "to": "ready", "locale": "en"}"#)
        #expect(checklist["ready"] == false && checklist["missing"]?.arrayValue?.first?["label"]?.stringValue?.contains("162750.00 MAD") == true)
        f.ok("project.update", #"{"id": "\#(p)", "funding_plan": [{"label": "Commune d'Anzi", "amount": {"minor": 50000000, "currency": "MAD"}, "origin": "local_authority"}, {"label": "PRA/OSIM", "amount": {"minor": 16275000, "currency": "MAD"}, "programme": "pra_osim"}, {"label": "Diaspora", "amount": {"minor": 58725000, "currency": "MAD"}, "origin": "diaspora"}]}"#)
        #expect(f.move(p, "ready").ok)
        // A plan that names a programme the CDS does not define is refused when written.
        let unknown = f.refused("project.update", #"{"id": "\#(p)", "funding_plan": [{"label": "X", "amount": {"minor": 1, "currency": "MAD"}, "programme": "nowhere"}]}"#)
        #expect(unknown["details"]?["field"] == "funding_plan[0].programme")
    }
}
