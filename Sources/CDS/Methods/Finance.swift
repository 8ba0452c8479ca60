import CDSCore
import CDSStore

/// The params of `names` the caller gave, as one object: the shape a core reader
/// (``MatchingPool``, ``FundingProgramme``, ``ValuationRate``) validates as a whole.
private func given(_ p: Params, _ names: [String]) -> JSONObject {
    var o = JSONObject()
    for n in names { if let v = p.value(n) { o[n] = v } }
    return o
}

/// The property declarations of an object schema.
private func properties(_ s: Schema) -> [Schema.Property] {
    if case .object(let props) = s { return props }
    return []
}

/// The day a finance fact happened: `on`, else the day of `at`, else today.
private func day(_ c: Call, _ key: String = "on") throws(CDSError) -> LocalDate {
    try c.params.date(key) ?? (c.change.at ?? c.db.store.now).date
}

/// Campaigns for a project or one of its finance needs: all-or-nothing or keep-it-all.
enum CampaignMethods {
    /// The campaign with its totals and its pools.
    static func json(_ v: CampaignView, _ c: Call) throws(CDSError) -> JSON {
        var o = v.json.objectValue ?? JSONObject()
        o["pools"] = .array(try c.db.store.pools(campaign: v.campaign.id, project: nil).map(\.json))
        return .object(o)
    }

    static let all: [Method] = [
        Method("campaign.create", "Creates a draft campaign for a project or one of its finance needs: all_or_nothing (collects only if the goal is reached by the deadline, refunds otherwise) or keep_it_all.",
               mutating: true,
               [.init("project", .id, required: true, "the project's id"), .init("need", .id, "one of its finance needs"),
                .init("title", LocalizedText.schema(max: Limits.name), required: true, "the title by language"),
                .init("model", .vocabulary(CampaignModel.self), required: true, "all_or_nothing or keep_it_all"),
                .init("goal", Money.schema, required: true, "the goal, in the campaign's currency"),
                .init("opens_on", .date, required: true, "the first day it takes gifts"), .init("closes_on", .date, required: true, "its deadline")]) { c throws(CDSError) in
            let p = c.params
            guard let model = try p.term("model", CampaignModel.self) else { throw CDSError.invalid("model", "is required") }
            return try c.db.store.createCampaign(project: try p.requiredString("project"), need: p.string("need"),
                                                 title: try LocalizedText(json: p.value("title"), field: "title", max: Limits.name), model: model,
                                                 goal: try Money(json: p.value("goal"), field: "goal"), opensOn: try p.requiredDate("opens_on"),
                                                 closesOn: try p.requiredDate("closes_on"), change: c.change).json
        },
        Method("campaign.open", "Opens a draft campaign to gifts.", mutating: true, [.init("id", .id, required: true, "the campaign's id")]) { c throws(CDSError) in
            try c.db.store.openCampaign(try c.params.requiredString("id"), change: c.change).json
        },
        Method("campaign.settle", "Settles an open campaign after its deadline: all_or_nothing succeeds if collected gifts and their matches reach the goal, else refunds every collected gift and releases every pledge; keep_it_all confirms what was collected. Each change is a compensating event.",
               mutating: true, [.init("id", .id, required: true, "the campaign's id"), .init("on", .date, "the day it is settled, after the deadline (default: the day of at, or today)")]) { c throws(CDSError) in
            try json(try c.db.store.settleCampaign(try c.params.requiredString("id"), on: try day(c), change: c.change), c)
        },
        Method("campaign.get", "A campaign with its totals (collected: what was actually received; pledged beside it) and its matching pools.",
               [.init("id", .id, required: true, "the campaign's id")]) { c throws(CDSError) in
            let v = try c.db.store.campaign(try c.params.requiredString("id"))
            try Sight(c).requireProject(v.campaign.project)
            return try json(v, c)
        },
        Method("campaign.list", "Campaigns by project and status, in creation order, each with its totals.",
               [.init("project", .id, "only this project's"), .init("status", .vocabulary(CampaignStatus.self), "only this status")]) { c throws(CDSError) in
            let p = c.params
            let status = try p.term("status", CampaignStatus.self)
            let sight = Sight(c)
            let all = try c.db.store.campaigns(project: p.string("project")).filter { status == nil || $0.campaign.status == status }
            return try Paging.visible(Page(items: all)) { (v: CampaignView) throws(CDSError) in try sight.sees(project: v.campaign.project) ? v.json : nil }
        },
    ]
}

/// Gifts and pledges to campaigns, their states and their matches.
enum GiftMethods {
    static let all: [Method] = [
        Method("gift.create", "Takes a gift or a pledge from a member or an organization while the campaign is open and before its deadline; in another currency, converted at the CDS's newest rate on or before the day (refused without one). collected: true collects it at once and applies the matching pools.",
               mutating: true,
               [.init("campaign", .id, required: true, "the campaign's id"), .init("member", .id, "the giving member"), .init("organization", .id, "or the giving organization"),
                .init("amount", Money.schema, required: true, "the gift, in its own currency"),
                .init("on", .date, "the day it is pledged (default: the day of at, or today)"),
                .init("collected", .boolean, "the money is received now (default false: a pledge)")]) { c throws(CDSError) in
            let p = c.params
            guard (p.string("member") == nil) != (p.string("organization") == nil) else { throw CDSError.invalid("member", "give the giving member or organization, not both") }
            let amount = try Money(json: p.value("amount"), field: "amount")
            guard amount.minor > 0 else { throw CDSError.invalid("amount.minor", "must be positive") }
            return try c.db.store.pledgeGift(campaign: try p.requiredString("campaign"), member: p.string("member"), organization: p.string("organization"),
                                             amount: amount, on: try day(c), collected: p.bool("collected") ?? false, change: c.change).json
        },
        Method("gift.move", "Moves a gift: collected (matched by the pools, partial when a cap or the pool's end is reached, stated on the gift), errored (retried in the grace period; past it, the campaign's errored gifts are dropped and its pledges released when it is settled or one of its gifts moves), cancelled, dropped, or refunded (releasing its matches).",
               mutating: true,
               [.init("id", .id, required: true, "the gift's id"), .init("to", .vocabulary(GiftStatus.self), required: true, "collected, errored, cancelled, dropped or refunded"),
                .init("on", .date, "the day it happened (default: the day of at, or today)")]) { c throws(CDSError) in
            let p = c.params
            guard let to = try p.term("to", GiftStatus.self) else { throw CDSError.invalid("to", "is required") }
            return try c.db.store.moveGift(try p.requiredString("id"), to: to, on: try day(c), change: c.change).json
        },
        Method("gift.get", "A gift by id, with its states' dates and its matches.", [.init("id", .id, required: true, "the gift's id")]) { c throws(CDSError) in
            try c.db.store.gift(try c.params.requiredString("id")).json
        },
        Method("gift.list", "The gifts of a campaign, in the order they came.", [.init("campaign", .id, required: true, "the campaign's id")]) { c throws(CDSError) in
            ["items": .array(try c.db.store.gifts(campaign: try c.params.requiredString("campaign")).map(\.json)), "next_cursor": .null]
        },
    ]
}

/// Matching pools: a funder matches a rate of each gift collected, within caps, until it runs out.
enum PoolMethods {
    static let all: [Method] = [
        Method("pool.create", "Creates a matching pool for a campaign or a project: a rate (or tiers) of each gift collected in its window, first come first served, within a minimum gift and caps per gift, donor and project, until the amount runs out.",
               mutating: true, MatchingPool.properties) { c throws(CDSError) in
            var o = given(c.params, MatchingPool.properties.map(\.name))
            o["id"] = .string("pending")
            o["created_at"] = .string((c.change.at ?? c.db.store.now).description)
            return try c.db.store.createPool(try MatchingPool(json: .object(o)), change: c.change).json
        },
        Method("pool.get", "A matching pool with what it matched (and still holds) and what is left.", [.init("id", .id, required: true, "the pool's id")]) { c throws(CDSError) in
            let v = try c.db.store.pool(try c.params.requiredString("id"))
            let sight = Sight(c)
            if let project = v.pool.project { try sight.requireProject(project) }
            if let campaign = v.pool.campaign { try sight.requireProject(try c.db.store.campaign(campaign).campaign.project) }
            return v.json
        },
        Method("pool.list", "The matching pools of a campaign or a project (or all), first created first.",
               [.init("campaign", .id, "only this campaign's"), .init("project", .id, "only those matching this project's campaigns")]) { c throws(CDSError) in
            let p = c.params
            let sight = Sight(c)
            return try Paging.visible(Page(items: try c.db.store.pools(campaign: p.string("campaign"), project: p.string("project")))) { (v: PoolView) throws(CDSError) in
                var project = v.pool.project
                if project == nil, let campaign = v.pool.campaign { project = try c.db.store.campaign(campaign).campaign.project }
                if let project, try !sight.sees(project: project) { return nil }
                return v.json
            }
        },
    ]
}

/// Co-financing programmes, valuation and exchange rates, and the check of a project's funding plan.
enum ProgrammeMethods {
    static let rateProperties: [Schema.Property] = [
        .init("from", .string(maxLength: 3), required: true, "the currency converted (ISO 4217)"),
        .init("to", .string(maxLength: 3), required: true, "the currency it converts into"),
        .init("rate", .string(maxLength: 30), required: true, "units of to for one unit of from, a decimal text with up to 6 places: \"10.85\""),
        .init("on", .date, required: true, "the day it applies from"),
    ]

    static let all: [Method] = [
        Method("programme.define", "Defines a co-financing programme, or a new version of one (earlier versions stay): share and amount caps, a cost ceiling, a cap on all public funds, a minimum local share, which origins count as public or local, how volunteer time and material count. Contradictory caps are refused.",
               mutating: true, properties(FundingProgramme.schema)) { c throws(CDSError) in
            try c.db.store.defineProgramme(try FundingProgramme(json: .object(given(c.params, FundingProgramme.schema.propertyNames))), change: c.change).json
        },
        Method("programme.get", "A programme: its newest version, or the version asked.",
               [.init("id", .string(maxLength: 40), required: true, "the programme's id: pra_osim, fdva…"),
                .init("version", .integer(min: 1, max: 1_000_000), "a version (default: the newest)")]) { c throws(CDSError) in
            try c.db.store.programme(try c.params.requiredString("id"), version: c.params.int("version")).json
        },
        Method("programme.list", "The newest version of every programme, those shipped with the library (with their sources and the day they were read) and the CDS's own.", []) { c throws(CDSError) in
            ["items": .array(try c.db.store.programmes().map(\.json)), "next_cursor": .null]
        },
        Method("valuation.set", "Sets the value of a day of volunteer time or a unit of material from a day (the programmes say whether valued contributions count).",
               mutating: true, properties(ValuationRate.schema)) { c throws(CDSError) in
            try c.db.store.setValuationRate(try ValuationRate(json: .object(given(c.params, ValuationRate.schema.propertyNames)), path: ""), change: c.change).json
        },
        Method("valuation.list", "Every valuation rate, by key and day.", []) { c throws(CDSError) in
            ["items": .array(try c.db.store.valuationRates().map(\.json)), "next_cursor": .null]
        },
        Method("rate.set", "Sets a dated exchange rate: conversions of gifts, of programmes' caps and of the finance indicators use the newest on or before their day.",
               mutating: true, rateProperties) { c throws(CDSError) in
            let p = c.params
            let on = try p.requiredDate("on")
            let rate: ExchangeRate
            do throws(CDSError) { rate = try ExchangeRate(from: try p.requiredString("from"), to: try p.requiredString("to"), rate: try p.requiredString("rate"), on: on) } catch {
                throw CDSError.invalid("rate", error.message)
            }
            return try c.db.store.setExchangeRate(rate, change: c.change).json
        },
        Method("rate.list", "Every exchange rate of the CDS.", []) { c throws(CDSError) in
            ["items": .array(try c.db.store.exchangeRates().map(\.json)), "next_cursor": .null]
        },
        Method("project.funding_check", "Checks a project's funding plan against every programme it draws on (and, as a what-if, those named in programmes), as of a day: each rule with what is asked and what it allows; a broken rule is the checklist item programme.<id>.<rule> that keeps the project from ready and funded. Changes nothing.",
               [.init("id", .id, required: true, "the project's id"), .init("on", .date, "the day of the check (default: today)"),
                .init("programmes", .array(.string(maxLength: 40), maxItems: 10), "also check against these programmes, as if the plan applied to them (a what-if: their grant is nought)")]) { c throws(CDSError) in
            let id = try c.params.requiredString("id")
            try Sight(c).requireProject(id)
            let r = try c.db.store.fundingCheck(id, on: try c.params.date("on") ?? c.db.store.now.date, also: c.params.strings("programmes") ?? [])
            let currency = r.project.budget?.currency ?? ""
            return .object(JSONObject([("project", .string(id)), ("currency", .optional(r.project.budget?.currency)),
                                       ("met", .bool(r.checks.allSatisfy(\.met))),
                                       ("programmes", .array(r.checks.map { x in
                                           var o = x.json(c.locale, currency: currency).objectValue ?? JSONObject()
                                           o["what_if"] = .bool(!r.project.fundingPlan.contains { $0.programme == x.programme })
                                           return .object(o)
                                       }))]))
        },
        Method("finance.indicators", "The figures of solidarity finance as of a date, for a territory: collected, refunded and matched per currency (and converted, with the rates used), campaigns succeeded and failed, the share of funding plans meeting every rule, by the givers' gender and country of residence.",
               [.init("as_of", .date, "the date (default: today)"), .init("territory", .string(maxLength: 20), "a commune, province or region"),
                .init("reporting_currency", .string(maxLength: 3), "convert the totals into this currency with the CDS's rates"),
                .init("provenance", .boolean, "list the gifts, campaigns and projects behind each figure")]) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.financeIndicators(asOf: try p.date("as_of") ?? c.db.store.now.date, territory: p.string("territory"),
                                                    reportingCurrency: p.string("reporting_currency")).json(provenance: p.bool("provenance") ?? false)
        },
    ]
}
