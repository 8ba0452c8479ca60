@_spi(Tooling) import CDS
import CDSCore
import CDSStore
import PropertyBased
import Testing

/// Campaigns, gifts and matching pools: every figure in exact minor units, every change an
/// event, nothing deleted.
@Suite("Campaigns and matching pools")
struct CampaignTests {
    static func d(_ s: String) -> LocalDate { LocalDate(s) ?? LocalDate(daysSinceEpoch: 0) }

    /// A CDS with a project, two givers (a member and an organization) and a commune.
    final class World {
        let tmp = TempDB()
        let db: CDSDatabase
        let project: String, member: String, other: String, commune: String
        var store: Store { db.store }

        init() throws {
            db = try tmp.open()
            let f = try ProjectFixture(facadeDoor(db))
            project = try f.id("project.create", #"{"title": {"fr": "Eau potable du douar Ait Ali"}, "communes": ["09.581.03.03"], "adc": "\#(f.adc)"}"#)
            member = try db.diaspora("Brahim")
            other = try db.diaspora("Naima")
            commune = f.commune
        }

        /// An open campaign of `goal` EUR cents from 1 to 30 June 2026.
        func campaign(_ model: CampaignModel, goal: Int64, currency: String = "EUR") throws -> Campaign {
            let c = try store.createCampaign(project: project, need: nil, title: try LocalizedText(json: ["fr": "Campagne"], field: "title", max: 100), model: model,
                                             goal: Money(minor: goal, currency: currency), opensOn: d("2026-06-01"), closesOn: d("2026-06-30"))
            return try store.openCampaign(c.id)
        }

        func give(_ c: Campaign, _ minor: Int64, by who: String? = nil, currency: String = "EUR", on day: String = "2026-06-10", collected: Bool = true) throws -> Gift {
            try store.pledgeGift(campaign: c.id, member: who ?? member, organization: nil, amount: Money(minor: minor, currency: currency), on: d(day), collected: collected)
        }

        func pool(_ c: Campaign, amount: Int64, rate: Int64, over: Bool = false, capPerGift: Int64? = nil, capPerDonor: Int64? = nil) throws -> PoolView {
            try store.createPool(MatchingPool(id: "", organization: commune, member: nil, name: "Abondement de la commune d'Anzi", amount: Money(minor: amount, currency: "EUR"),
                                              campaign: c.id, project: nil, rateBP: rate, overOneForOne: over, capPerGift: capPerGift, capPerDonor: capPerDonor,
                                              opensOn: d("2026-06-01"), closesOn: d("2026-06-30"), at: Instant(millisecondsSinceEpoch: 0)))
        }
    }

    @Test("an all-or-nothing campaign that misses its goal by one unit refunds every collected gift and releases every pledge, each as an event, nothing deleted")
    func missByOneUnitRefundsEverything() throws {
        let w = try World()
        let c = try w.campaign(.allOrNothing, goal: 100_000)
        let a = try w.give(c, 60_000), b = try w.give(c, 39_999, by: w.other)
        let promise = try w.give(c, 5_000, collected: false)
        #expect(try w.store.campaign(c.id).totals.received == 99_999)
        let events = try w.db.eventCount()
        let settled = try w.store.settleCampaign(c.id, on: Self.d("2026-07-01"))
        #expect(settled.campaign.status == .failed)
        #expect(settled.totals.collected == 0 && settled.totals.refunded == 99_999 && settled.totals.pledged == 0 && settled.totals.gifts == 3)
        #expect(try w.store.gift(a.id).status == .refunded && (try w.store.gift(b.id)).status == .refunded && (try w.store.gift(promise.id)).status == .cancelled)
        #expect(try w.db.eventCount() == events + 4, "three compensating gift events and the settlement")
        // The same campaign one unit richer succeeds and keeps everything.
        let w2 = try World()
        let c2 = try w2.campaign(.allOrNothing, goal: 100_000)
        _ = try w2.give(c2, 60_000)
        _ = try w2.give(c2, 40_000, by: w2.other)
        let ok = try w2.store.settleCampaign(c2.id, on: Self.d("2026-07-01"))
        #expect(ok.campaign.status == .succeeded && ok.totals.collected == 100_000 && ok.totals.refunded == 0)
    }

    @Test("a keep-it-all campaign confirms what was collected and releases what was only pledged")
    func keepItAll() throws {
        let w = try World()
        let c = try w.campaign(.keepItAll, goal: 1_000_000)
        _ = try w.give(c, 12_345)
        let p = try w.give(c, 500, by: w.other, collected: false)
        let v = try w.store.settleCampaign(c.id, on: Self.d("2026-07-01"))
        let released = try w.store.gift(p.id).status
        #expect(v.campaign.status == .closed && v.totals.collected == 12_345 && v.totals.pledged == 0 && released == .cancelled)
    }

    @Test("a gift after the deadline, and one in another currency without a rate, are refused and store nothing")
    func badGifts() throws {
        let w = try World()
        let c = try w.campaign(.allOrNothing, goal: 100_000)
        #expect(throws: CDSError.self) { _ = try w.give(c, 1_000, on: "2026-07-01") }
        #expect(throws: CDSError.self) { _ = try w.give(c, 1_000, on: "2026-05-31") }
        do { _ = try w.give(c, 10_000, currency: "MAD"); Issue.record("accepted") } catch let error as CDSError { #expect(error.code == .invalidParams && error.details["field"] == "amount.currency", "\(error)") }
        #expect(try w.store.gifts(campaign: c.id).isEmpty)
        // With the CDS's rate of the day, the gift is converted and says so.
        _ = try w.store.setExchangeRate(try ExchangeRate(from: "MAD", to: "EUR", rate: "0.092", on: Self.d("2026-06-01")))
        let g = try w.give(c, 10_000, currency: "MAD")
        #expect(g.amount == Money(minor: 920, currency: "EUR") && g.original == Money(minor: 10_000, currency: "MAD") && g.rate?.microRate == 92_000)
        // A settled campaign takes nothing; a draft takes nothing either.
        _ = try w.store.settleCampaign(c.id, on: Self.d("2026-07-01"))
        #expect(throws: CDSError.self) { _ = try w.give(c, 1_000, on: "2026-06-20") }
    }

    @Test("a pool that runs out in the middle of a gift matches it partly and says so on the gift; a refunded gift releases its match")
    func poolRunsOutAndRefundReleases() throws {
        let w = try World()
        let c = try w.campaign(.allOrNothing, goal: 100_000)
        let pool = try w.pool(c, amount: 30_000, rate: 10_000)
        let first = try w.give(c, 20_000)
        #expect(first.matches == [GiftMatch(pool: pool.pool.id, amount: 20_000, wanted: 20_000, limitedBy: nil)])
        let second = try w.give(c, 15_000, by: w.other)
        #expect(second.matches == [GiftMatch(pool: pool.pool.id, amount: 10_000, wanted: 15_000, limitedBy: .poolExhausted)])
        #expect(second.json["matches"]?.arrayValue?.first?["partial"] == true)
        #expect(try w.give(c, 5_000).matches.isEmpty, "nothing left")
        #expect(try w.store.pool(pool.pool.id).left == 0)
        let refunded = try w.store.moveGift(first.id, to: .refunded, on: Self.d("2026-06-15"))
        #expect(refunded.matched == 0 && refunded.matches.first?.releasedOn == Self.d("2026-06-15"))
        #expect(try w.store.pool(pool.pool.id).left == 20_000)
        #expect(try w.give(c, 7_000, by: w.other).matches.first?.amount == 7_000, "the released match serves the next gift")
        #expect(try w.store.campaign(c.id).totals.matched == 17_000)
    }

    @Test("caps per gift and per donor, a minimum gift, and a rate over 100 % refused unless declared")
    func capsAndRates() throws {
        let w = try World()
        let c = try w.campaign(.keepItAll, goal: 100_000)
        #expect(throws: CDSError.self) { _ = try w.pool(c, amount: 100_000, rate: 20_000) }
        #expect(try w.pool(c, amount: 100_000, rate: 20_000, over: true, capPerGift: 3_000, capPerDonor: 5_000).pool.rateBP == 20_000)
        let g1 = try w.give(c, 2_000)
        #expect(g1.matches.first == GiftMatch(pool: g1.matches.first?.pool ?? "", amount: 3_000, wanted: 4_000, limitedBy: .capPerGift))
        let g2 = try w.give(c, 2_000)
        #expect(g2.matches.first?.amount == 2_000 && g2.matches.first?.limitedBy == .capPerDonor)
        #expect(try w.give(c, 2_000).matches.isEmpty, "the donor's cap is reached")
        let tiered = MatchingPool(id: "p", organization: "o", member: nil, name: "t", amount: Money(minor: 1, currency: "EUR"), campaign: "c", project: nil, rateBP: 5_000,
                                  tiers: [.init(upTo: 1_000, rateBP: 10_000)], opensOn: Self.d("2026-01-01"), closesOn: Self.d("2026-12-31"), at: Instant(millisecondsSinceEpoch: 0))
        #expect(tiered.wanted(3_001) == 2_000, "1,000 at 100 % and 2,001 at 50 %, rounded down")
        let small = MatchingPool(id: "p", organization: "o", member: nil, name: "t", amount: Money(minor: 10_000, currency: "EUR"), campaign: "c", project: nil, rateBP: 10_000,
                                 minGift: 1_000, opensOn: Self.d("2026-06-01"), closesOn: Self.d("2026-06-30"), at: Instant(millisecondsSinceEpoch: 0))
        #expect(small.match(gift: 999, on: Self.d("2026-06-10"), donorSoFar: 0, projectSoFar: 0, left: 10_000) == nil)
        #expect(small.match(gift: 1_000, on: Self.d("2026-07-01"), donorSoFar: 0, projectSoFar: 0, left: 10_000) == nil, "outside the window")
    }

    @Test("finance indicators as of a day: collected until the refund, matched while held, campaigns settled, per territory and by the givers' gender and country")
    func indicators() throws {
        let w = try World()
        let c = try w.campaign(.allOrNothing, goal: 100_000)
        _ = try w.pool(c, amount: 10_000, rate: 5_000)
        _ = try w.give(c, 8_000, on: "2026-06-05")
        _ = try w.give(c, 2_000, by: w.other, on: "2026-06-12")
        _ = try w.store.settleCampaign(c.id, on: Self.d("2026-07-02"))
        func report(_ day: String, territory: String? = nil) throws -> JSON {
            try w.store.financeIndicators(asOf: Self.d(day), territory: territory, reportingCurrency: nil).json(provenance: true)
        }
        let june = try report("2026-06-20")
        #expect(june["per_currency"]?.arrayValue?.first?["collected"] == .int(10_000) && june["per_currency"]?.arrayValue?.first?["matched"] == .int(5_000) && june["campaigns"]?["failed"] == .int(0))
        #expect(june["by_gender"]?["m"]?.arrayValue?.first?["collected"] == .int(10_000) && june["by_country_of_residence"]?["FR"]?.arrayValue?.first?["gifts"]?.arrayValue?.count == 2)
        let july = try report("2026-07-02")
        #expect(july["per_currency"]?.arrayValue?.first?["collected"] == .int(0) && july["per_currency"]?.arrayValue?.first?["refunded"] == .int(10_000) && july["per_currency"]?.arrayValue?.first?["matched"] == .int(0))
        #expect(july["campaigns"]?["failed"] == .int(1) && july["campaigns"]?["failed_ids"] == .strings([c.id]))
        #expect(try report("2026-06-20", territory: "09.541")["per_currency"]?.arrayValue?.isEmpty == true, "Taroudannt has none of Tiznit's gifts")
        #expect(try report("2026-06-20", territory: "09.581")["per_currency"]?.arrayValue?.first?["collected"] == .int(10_000))
    }

    @Test("an errored gift is retried in the grace period and dropped from the day after it, a pledge never collected is released then; a collected gift stays")
    func erroredGiftLapsesAfterTheGracePeriod() throws {
        let c = Campaign(id: "cmp_x", project: "prj_x", need: nil, title: try LocalizedText(json: ["fr": "C"], field: "title", max: 100), model: .keepItAll,
                         goal: Money(minor: 1000, currency: "EUR"), opensOn: Self.d("2026-06-01"), closesOn: Self.d("2026-06-30"), at: Instant(millisecondsSinceEpoch: 0))
        func gift(_ id: String, _ to: [(GiftStatus, String)]) throws -> Gift {
            var g = Gift(id: id, campaign: "cmp_x", member: "mbr_x", organization: nil, amount: Money(minor: 500, currency: "EUR"), pledgedOn: Self.d("2026-06-10"), at: Instant(millisecondsSinceEpoch: 0))
            for (status, day) in to { try g.move(to: status, on: Self.d(day)) }
            return g
        }
        let failed = try gift("gft_a", [(.errored, "2026-06-20")]), lateFailure = try gift("gft_b", [(.errored, "2026-07-20")])
        let pledged = try gift("gft_c", []), collected = try gift("gft_d", [(.collected, "2026-06-12")])
        var elsewhere = failed
        elsewhere.campaign = "cmp_y"
        let all = [failed, lateFailure, pledged, collected, elsewhere]
        #expect(c.lastCollectionDay == Self.d("2026-07-14"))
        #expect(try c.lapsed(all, on: Self.d("2026-07-14")).isEmpty, "the last day of grace: still retried")
        let lapsed = try c.lapsed(all, on: Self.d("2026-07-15"))
        #expect(lapsed.map(\.id) == ["gft_a", "gft_c"] && lapsed.first?.status == .dropped && lapsed.first?.droppedOn == Self.d("2026-07-15"))
        #expect(lapsed.last?.status == .cancelled && lapsed.last?.cancelledOn == Self.d("2026-07-15"), "the pledge is released")
        // A collection that failed after the grace period is dropped the day it failed; one not failed yet on the day is left.
        #expect(try c.lapsed(all, on: Self.d("2026-07-19")).map(\.id) == ["gft_a", "gft_c"])
        let later = try c.lapsed(all, on: Self.d("2026-08-01"))
        #expect(later.map(\.id) == ["gft_a", "gft_b", "gft_c"] && later.dropFirst().first?.droppedOn == Self.d("2026-07-20"))
    }

    @Test("settling a campaign past the grace period, or moving one of its gifts, drops its errored gifts with an event each; in the grace period they are still collected")
    func lapsedGiftsAreDroppedBySettlingOrMoving() throws {
        let w = try World()
        let c = try w.campaign(.allOrNothing, goal: 10_000)
        _ = try w.give(c, 10_000)
        let retried = try w.give(c, 2_000, collected: false), lost = try w.give(c, 3_000, by: w.other, collected: false)
        for g in [retried, lost] { _ = try w.store.moveGift(g.id, to: .errored, on: Self.d("2026-06-25")) }
        let settled = try w.store.settleCampaign(c.id, on: Self.d("2026-07-01"))
        #expect(settled.campaign.status == .succeeded && settled.totals.pledged == 5_000, "in the grace period an errored gift is still promised")
        #expect(try w.store.moveGift(retried.id, to: .collected, on: Self.d("2026-07-14")).status == .collected)
        let events = try w.db.eventCount()
        // A refund past the grace period drops the other errored gift in the same transaction.
        let refunded = try w.store.moveGift(retried.id, to: .refunded, on: Self.d("2026-07-20"))
        #expect(refunded.status == .refunded)
        let dropped = try w.store.gift(lost.id)
        #expect(dropped.status == .dropped && dropped.droppedOn == Self.d("2026-07-15"))
        #expect(try w.db.eventCount() == events + 2, "the refund and the drop")
        #expect(try w.store.campaign(c.id).totals.pledged == 0)
        // Settling after the grace period drops at once.
        let d = try w.campaign(.allOrNothing, goal: 1_000)
        _ = try w.give(d, 1_000)
        let e = try w.give(d, 500, collected: false)
        _ = try w.store.moveGift(e.id, to: .errored, on: Self.d("2026-06-29"))
        #expect(try w.store.settleCampaign(d.id, on: Self.d("2026-08-01")).totals.pledged == 0)
        #expect(try w.store.gift(e.id).status == .dropped)
        #expect(try w.store.giftsFromLog().first { $0.id == e.id }?.status == .dropped, "the drop is an event")
    }

    @Test("for random campaigns, gifts, refunds and pools: collected is what was collected less refunds, no pool goes below zero, the log rebuilds the live state",
          .tags(.property))
    func financeProperties() async throws {
        let ops = Gen.int(in: 0...999).array(of: 5...40)
        await propertyCheck(count: 12, input: ops) { script in
            let w: World
            do { w = try World() } catch { Issue.record("world: \(error)"); return }
            var campaigns: [Campaign] = [], pools: [String] = [], gifts: [String] = []
            var collectedEver: [String: Int64] = [:], refundedEver: [String: Int64] = [:]
            for op in script {
                let day = "2026-06-\(10 + op % 15)"
                switch op % 6 {
                case 0:
                    if let c = try? w.campaign(op % 2 == 0 ? .allOrNothing : .keepItAll, goal: Int64(1 + op * 97)) { campaigns.append(c) }
                case 1:
                    guard let c = campaigns.last else { continue }
                    if let p = try? w.pool(c, amount: Int64(op * 13), rate: Int64(1 + op * 7), over: true, capPerGift: op % 3 == 0 ? Int64(op) : nil) { pools.append(p.pool.id) }
                case 2, 3:
                    guard !campaigns.isEmpty else { continue }
                    let c = campaigns[op % campaigns.count]
                    if let g = try? w.give(c, Int64(1 + op * 31), by: op % 2 == 0 ? w.member : w.other, on: day, collected: op % 4 != 3) {
                        gifts.append(g.id)
                        if g.status == .collected { collectedEver[c.id, default: 0] += g.amount.minor }
                    }
                case 4:
                    guard !gifts.isEmpty, let g = try? w.store.gift(gifts[op % gifts.count]) else { continue }
                    if g.status == .collected, (try? w.store.moveGift(g.id, to: .refunded, on: Self.d("2026-06-30"))) != nil {
                        refundedEver[g.campaign, default: 0] += g.amount.minor
                    } else if g.status == .pledged, (try? w.store.moveGift(g.id, to: .collected, on: Self.d("2026-06-30"))) != nil {
                        collectedEver[g.campaign, default: 0] += g.amount.minor
                    }
                default:
                    guard !campaigns.isEmpty else { continue }
                    let c = campaigns[op % campaigns.count]
                    if let before = try? w.store.campaign(c.id), before.campaign.status == .open, let after = try? w.store.settleCampaign(c.id, on: Self.d("2026-07-01")) {
                        refundedEver[c.id, default: 0] += after.totals.refunded - before.totals.refunded
                    }
                }
            }
            for c in campaigns {
                guard let v = try? w.store.campaign(c.id) else { Issue.record("campaign"); continue }
                #expect(v.totals.collected == collectedEver[c.id, default: 0] - refundedEver[c.id, default: 0], "collected = Σ collected − refunds")
                #expect(v.totals.refunded == refundedEver[c.id, default: 0])
            }
            for p in pools {
                guard let v = try? w.store.pool(p) else { Issue.record("pool"); continue }
                #expect(v.used >= 0 && v.used <= v.pool.amount.minor, "the pool \(p) never goes below zero: used \(v.used) of \(v.pool.amount.minor)")
            }
            let live = campaigns.flatMap { (try? w.store.gifts(campaign: $0.id)) ?? [] }
            let logged = (try? w.store.giftsFromLog()) ?? []
            #expect(live.sorted { $0.id < $1.id }.map(\.json) == logged.sorted { $0.id < $1.id }.map(\.json), "the log rebuilds every gift")
            for day in ["2026-06-15", "2026-06-30", "2026-07-01"] {
                let a = try? w.store.financeIndicators(asOf: Self.d(day), territory: nil, reportingCurrency: "EUR").json(provenance: true)
                let b = try? w.store.financeIndicators(asOf: Self.d(day), territory: nil, reportingCurrency: "EUR", fromLog: true).json(provenance: true)
                #expect(a != nil && a == b, "indicators as of \(day) recomputed from the log equal the live ones")
            }
        }
    }
}
