import CDSCore
import GRDB

/// A campaign with what it shows: what was received beside what was pledged.
public struct CampaignView: Sendable {
    /// The campaign.
    public var campaign: Campaign
    /// Its totals, from its gifts.
    public var totals: CampaignTotals
    /// The JSON shape of `campaign.get`.
    public var json: JSON {
        var o = campaign.json.objectValue ?? JSONObject()
        o["totals"] = totals.json(currency: campaign.goal.currency)
        return .object(o)
    }
}

/// A pool with what it has matched and what is left.
public struct PoolView: Sendable {
    /// The pool.
    public var pool: MatchingPool
    /// Matched and held (not released by refunds).
    public var used: Int64
    /// What is left: never below zero.
    public var left: Int64 { max(0, pool.amount.minor - used) }
    /// The JSON shape of `pool.get`.
    public var json: JSON {
        var o = pool.json.objectValue ?? JSONObject()
        o["used"] = Money(minor: used, currency: pool.amount.currency).json
        o["left"] = Money(minor: left, currency: pool.amount.currency).json
        return .object(o)
    }
}

extension Store {
    static func fetchCampaign(_ db: Database, _ id: String) throws -> Campaign? {
        try document(db, "campaign", id: id) { j throws(CDSError) in try Campaign(json: j) }
    }

    static func saveCampaign(_ c: Campaign, _ db: Database, insert: Bool) throws {
        if insert {
            try exec(db, sql: "INSERT INTO campaign(id, project, need, status, doc, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     arguments: [c.id, c.project, c.need, c.status.rawValue, c.json.text, c.createdAt.millisecondsSinceEpoch, c.updatedAt.millisecondsSinceEpoch])
        } else {
            try exec(db, sql: "UPDATE campaign SET status = ?, doc = ?, updated_at = ? WHERE id = ?",
                     arguments: [c.status.rawValue, c.json.text, c.updatedAt.millisecondsSinceEpoch, c.id])
        }
    }

    static func giftsOf(_ db: Database, campaign: String) throws -> [Gift] {
        try documents(db, "gift", sql: "SELECT doc FROM gift WHERE campaign = ? ORDER BY seq", arguments: [campaign]) { j throws(CDSError) in try Gift(json: j) }
    }

    static func saveGift(_ g: Gift, _ db: Database, insert: Bool) throws {
        if insert {
            try exec(db, sql: "INSERT INTO gift(id, campaign, member, organization, status, doc, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     arguments: [g.id, g.campaign, g.member, g.organization, g.status.rawValue, g.json.text, g.createdAt.millisecondsSinceEpoch, g.updatedAt.millisecondsSinceEpoch])
        } else {
            try exec(db, sql: "UPDATE gift SET status = ?, doc = ?, updated_at = ? WHERE id = ?", arguments: [g.status.rawValue, g.json.text, g.updatedAt.millisecondsSinceEpoch, g.id])
        }
    }

    /// Creates a draft campaign for a project (or one of its finance needs); logs `campaign.created`.
    public func createCampaign(project: String, need: String?, title: LocalizedText, model: CampaignModel, goal: Money, opensOn: LocalDate, closesOn: LocalDate,
                               change: Change = Change()) throws(CDSError) -> Campaign {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard let p = try Store.fetchProject(db, project) else { throw CDSError.invalid("project", "no project \"\(project)\"") }
            guard !p.stage.isTerminal else { throw CDSError(.conflict, "project \(p.code) is \(p.stage.rawValue): it raises no money", details: ["field": "project"]) }
            if let need {
                guard let n = try Store.document(db, "need", id: need, { j throws(CDSError) in try Need(json: j) }), n.project == project else {
                    throw CDSError.invalid("need", "no need \"\(need)\" of project \(project)")
                }
                guard n.kind.isMoney else { throw CDSError.invalid("need", "a campaign raises money: need \(need) is \(n.kind.rawValue)") }
            }
            try Store.checkCodes(db, [goal.currency], dataset: "currencies", field: "goal.currency")
            let c = Campaign(id: Identifier.make("cmp"), project: project, need: need, title: title, model: model, goal: goal, opensOn: opensOn, closesOn: closesOn,
                             at: change.at ?? now)
            try c.validate()
            try Store.saveCampaign(c, db, insert: true)
            try Store.appendEvent(db, type: .campaignCreated, subject: c.id, change: change, recordedAt: now, payload: FinanceEvents.payload(c.json))
            return c
        }
    }

    /// Opens a draft campaign to gifts; logs `campaign.opened`.
    public func openCampaign(_ id: String, change: Change = Change()) throws(CDSError) -> Campaign {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard var c = try Store.fetchCampaign(db, id) else { throw CDSError.notFound("campaign", id) }
            guard c.status == .draft else { throw CDSError(.conflict, "campaign \(id) is \(c.status.rawValue): only a draft opens", details: ["status": .string(c.status.rawValue)]) }
            c.status = .open
            c.updatedAt = change.at ?? now
            try Store.saveCampaign(c, db, insert: false)
            try Store.appendEvent(db, type: .campaignOpened, subject: id, change: change, recordedAt: now, payload: FinanceEvents.payload(c.json))
            return c
        }
    }

    /// The campaign `id` and its totals, or `not_found`.
    public func campaign(_ id: String) throws(CDSError) -> CampaignView {
        try read { db in
            guard let c = try Store.fetchCampaign(db, id) else { throw CDSError.notFound("campaign", id) }
            return CampaignView(campaign: c, totals: CampaignTotals(try Store.giftsOf(db, campaign: id)))
        }
    }

    /// The campaigns of a project (or all), in creation order.
    public func campaigns(project: String?) throws(CDSError) -> [CampaignView] {
        try read { db in
            try Store.documents(db, "campaign", sql: "SELECT doc FROM campaign WHERE ? IS NULL OR project = ? ORDER BY seq", arguments: [project, project]) { j throws(CDSError) in
                try Campaign(json: j)
            }.map { c in CampaignView(campaign: c, totals: CampaignTotals(try Store.giftsOf(db, campaign: c.id))) }
        }
    }

    /// The gifts of a campaign, in the order they came.
    public func gifts(campaign: String) throws(CDSError) -> [Gift] {
        try read { db in
            guard try Store.exists(db, "campaign", campaign) else { throw CDSError.notFound("campaign", campaign) }
            return try Store.giftsOf(db, campaign: campaign)
        }
    }

    /// The gift `id`, or `not_found`.
    public func gift(_ id: String) throws(CDSError) -> Gift {
        guard let g = try read({ db in try Store.document(db, "gift", id: id) { j throws(CDSError) in try Gift(json: j) } }) else { throw CDSError.notFound("gift", id) }
        return g
    }

    /// Settles a campaign after its deadline: an all-or-nothing one that missed its goal
    /// refunds every collected gift (releasing its matches) and releases every pledge; one
    /// that reached it succeeds; a keep-it-all one confirms what was collected and releases
    /// the pledges. Each change is a compensating gift event; nothing is deleted. Logs `campaign.settled`.
    public func settleCampaign(_ id: String, on day: LocalDate, change: Change = Change()) throws(CDSError) -> CampaignView {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard var c = try Store.fetchCampaign(db, id) else { throw CDSError.notFound("campaign", id) }
            guard c.status == .open else { throw CDSError(.conflict, "campaign \(id) is \(c.status.rawValue): only an open campaign is settled", details: ["status": .string(c.status.rawValue)]) }
            guard day > c.closesOn else { throw CDSError.invalid("on", "the campaign closes on \(c.closesOn): it is settled after its deadline") }
            let gifts = try Store.giftsOf(db, campaign: id)
            let outcome = c.outcome(received: CampaignTotals(gifts).received)
            let at = change.at ?? now
            for var g in gifts {
                let to: GiftStatus?
                switch (outcome, g.status) {
                case (.failed, .collected): to = .refunded
                case (.failed, .pledged), (.closed, .pledged): to = .cancelled
                case (.failed, .errored), (.closed, .errored): to = .dropped
                default: to = nil
                }
                guard let to else { continue }
                try g.move(to: to, on: day)
                g.updatedAt = at
                try Store.saveGift(g, db, insert: false)
                try Store.appendEvent(db, type: to.event, subject: g.id, change: change, recordedAt: now, payload: FinanceEvents.payload(g.json))
            }
            c.status = outcome
            c.settledOn = day
            c.updatedAt = at
            _ = try Store.dropLapsed(db, c, on: day, change: change, now: now)
            try Store.saveCampaign(c, db, insert: false)
            try Store.appendEvent(db, type: .campaignSettled, subject: id, change: change, recordedAt: now, payload: FinanceEvents.payload(c.json))
            return CampaignView(campaign: c, totals: CampaignTotals(try Store.giftsOf(db, campaign: id)))
        }
    }

    /// Takes a gift or a pledge on `day` while the campaign is open and in its window, from a
    /// member or an organization; in another currency, converted at the CDS's newest rate on
    /// or before the day (refused without one). `collected` collects it at once (matching it).
    public func pledgeGift(campaign: String, member: String?, organization: String?, amount: Money, on day: LocalDate, collected: Bool,
                           change: Change = Change()) throws(CDSError) -> Gift {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard let c = try Store.fetchCampaign(db, campaign) else { throw CDSError.invalid("campaign", "no campaign \"\(campaign)\"") }
            if let member, try !Store.exists(db, "member", member) { throw CDSError.invalid("member", "no member \"\(member)\"") }
            if let organization, try !Store.exists(db, "organization", organization) { throw CDSError.invalid("organization", "no organization \"\(organization)\"") }
            try c.checkTakesGift(on: day)
            try Store.checkCodes(db, [amount.currency], dataset: "currencies", field: "amount.currency")
            var inCampaign = amount, original: Money?, rate: ExchangeRate?
            if amount.currency != c.goal.currency {
                guard let r = ExchangeRate.newest(try Store.exchangeRates(db), from: amount.currency, to: c.goal.currency, on: day) else {
                    throw CDSError.invalid("amount.currency", "the campaign is in \(c.goal.currency): no rate from \(amount.currency) on or before \(day) (see rate.set)")
                }
                guard let converted = r.convert(amount.minor), converted > 0 else { throw CDSError.invalid("amount.minor", "does not convert to a positive amount") }
                inCampaign = Money(minor: converted, currency: c.goal.currency)
                original = amount
                rate = r
            }
            let at = change.at ?? now
            var g = Gift(id: Identifier.make("gft"), campaign: campaign, member: member, organization: organization, amount: inCampaign, original: original,
                         rate: rate, pledgedOn: day, at: at)
            try g.validate()
            try Store.saveGift(g, db, insert: true)
            try Store.appendEvent(db, type: .giftPledged, subject: g.id, change: change, recordedAt: now, payload: FinanceEvents.payload(g.json))
            if collected { g = try Store.moveGift(db, g, c, to: .collected, on: day, change: change, now: now) }
            return g
        }
    }

    /// Moves a gift: collected (matched by the pools of its campaign, first come first
    /// served), errored, cancelled, dropped or refunded (releasing its matches).
    public func moveGift(_ id: String, to: GiftStatus, on day: LocalDate, change: Change = Change()) throws(CDSError) -> Gift {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard let g = try Store.document(db, "gift", id: id, { j throws(CDSError) in try Gift(json: j) }) else { throw CDSError.notFound("gift", id) }
            guard let c = try Store.fetchCampaign(db, g.campaign) else { throw StoredRow.damage("gift", "campaign", "names no campaign") }
            return try Store.moveGift(db, g, c, to: to, on: day, change: change, now: now)
        }
    }

    static func moveGift(_ db: Database, _ gift: Gift, _ c: Campaign, to: GiftStatus, on day: LocalDate, change: Change, now: Instant) throws -> Gift {
        var g = gift
        if to == .collected {
            guard c.status == .open || c.status == .succeeded || c.status == .closed else {
                throw CDSError(.conflict, "campaign \(c.id) is \(c.status.rawValue): its gifts are not collected", details: ["status": .string(c.status.rawValue)])
            }
            guard day <= c.lastCollectionDay else { throw CDSError.invalid("on", "a pledge is collected at the latest \(Campaign.graceDays) days after the deadline, \(c.lastCollectionDay)") }
        }
        try g.move(to: to, on: day)
        if to == .collected { g.matches = try matches(db, for: g, c, on: day) }
        g.updatedAt = change.at ?? now
        try saveGift(g, db, insert: false)
        try appendEvent(db, type: to.event, subject: g.id, change: change, recordedAt: now, payload: FinanceEvents.payload(g.json))
        return try dropLapsed(db, c, on: day, change: change, now: now).first { $0.id == g.id } ?? g
    }

    /// Drops the campaign's errored gifts and releases its pledges once the grace period has
    /// passed on `day` (``Campaign/lapsed(_:on:)``), each with its `gift.dropped` or
    /// `gift.cancelled` event; answers them.
    static func dropLapsed(_ db: Database, _ c: Campaign, on day: LocalDate, change: Change, now: Instant) throws -> [Gift] {
        let dropped = try c.lapsed(try giftsOf(db, campaign: c.id), on: day)
        for var g in dropped {
            g.updatedAt = change.at ?? now
            try saveGift(g, db, insert: false)
            try appendEvent(db, type: g.status.event, subject: g.id, change: change, recordedAt: now, payload: FinanceEvents.payload(g.json))
        }
        return dropped
    }

    /// The pools of a campaign (its own and its project's), first created first.
    static func poolsFor(_ db: Database, _ c: Campaign) throws -> [MatchingPool] {
        try documents(db, "pool", sql: "SELECT doc FROM pool WHERE campaign = ? OR project = ? ORDER BY seq", arguments: [c.id, c.project]) { j throws(CDSError) in
            try MatchingPool(json: j)
        }
    }

    /// Every gift a pool may have matched: those of its campaign, or of its project's campaigns.
    static func giftsInScope(_ db: Database, _ p: MatchingPool) throws -> [(gift: Gift, project: String)] {
        try storedRows(db, "gift", sql: """
            SELECT g.doc AS doc, c.project AS project FROM gift g JOIN campaign c ON c.id = g.campaign
            WHERE c.id = ? OR c.project = ? ORDER BY g.seq
            """, arguments: [p.campaign, p.project]).map { r throws(CDSError) in (try r.document(as: { j throws(CDSError) in try Gift(json: j) }), try r.text("project")) }
    }

    /// What a pool matched and still holds (refunds released the rest).
    static func poolUsed(_ db: Database, _ p: MatchingPool) throws -> Int64 {
        try giftsInScope(db, p).flatMap { $0.gift.matches.filter { $0.pool == p.id && $0.holds }.map(\.amount) }.saturatedSum()
    }

    /// What each pool of the campaign matches of a gift collected now, in the pools' order.
    static func matches(_ db: Database, for g: Gift, _ c: Campaign, on day: LocalDate) throws -> [GiftMatch] {
        var out: [GiftMatch] = []
        for p in try poolsFor(db, c) where p.amount.currency == g.amount.currency {
            let held = try giftsInScope(db, p).filter { $0.gift.id != g.id }
                .flatMap { x in x.gift.matches.filter { $0.pool == p.id && $0.holds }.map { (gift: x.gift, project: x.project, amount: $0.amount) } }
            let used = held.map(\.amount).saturatedSum()
            let donor = held.filter { $0.gift.member == g.member && $0.gift.organization == g.organization }.map(\.amount).saturatedSum()
            let project = held.filter { $0.project == c.project }.map(\.amount).saturatedSum()
            if let m = p.match(gift: g.amount.minor, on: day, donorSoFar: donor, projectSoFar: project, left: max(0, p.amount.minor - used)) { out.append(m) }
        }
        return out
    }

    /// Creates a matching pool for a campaign or a project; logs `pool.created`.
    public func createPool(_ pool: MatchingPool, change: Change = Change()) throws(CDSError) -> PoolView {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            var p = pool
            p.id = Identifier.make("pol")
            p.createdAt = change.at ?? now
            try p.validate()
            if let o = p.organization, try !Store.exists(db, "organization", o) { throw CDSError.invalid("organization", "no organization \"\(o)\"") }
            if let m = p.member, try !Store.exists(db, "member", m) { throw CDSError.invalid("member", "no member \"\(m)\"") }
            try Store.checkCodes(db, [p.amount.currency], dataset: "currencies", field: "amount.currency")
            if let cid = p.campaign {
                guard let c = try Store.fetchCampaign(db, cid) else { throw CDSError.invalid("campaign", "no campaign \"\(cid)\"") }
                guard c.goal.currency == p.amount.currency else { throw CDSError.invalid("amount.currency", "the campaign is in \(c.goal.currency)") }
                guard !c.status.isSettled else { throw CDSError(.conflict, "campaign \(cid) is \(c.status.rawValue)", details: ["field": "campaign"]) }
            }
            if let pid = p.project, try !Store.exists(db, "project", pid) { throw CDSError.invalid("project", "no project \"\(pid)\"") }
            try Store.exec(db, sql: "INSERT INTO pool(id, campaign, project, doc, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [p.id, p.campaign, p.project, p.json.text, p.createdAt.millisecondsSinceEpoch, p.createdAt.millisecondsSinceEpoch])
            try Store.appendEvent(db, type: .poolCreated, subject: p.id, change: change, recordedAt: now, payload: FinanceEvents.payload(p.json))
            return PoolView(pool: p, used: 0)
        }
    }

    /// The pool `id`, what it matched and what is left, or `not_found`.
    public func pool(_ id: String) throws(CDSError) -> PoolView {
        try read { db in
            guard let p = try Store.document(db, "pool", id: id, { j throws(CDSError) in try MatchingPool(json: j) }) else { throw CDSError.notFound("pool", id) }
            return PoolView(pool: p, used: try Store.poolUsed(db, p))
        }
    }
}

extension Store {
    /// Every gift as the event log last recorded it (each gift event carries the whole gift):
    /// the state rebuilt from the log alone, to check it against the live rows.
    public func giftsFromLog() throws(CDSError) -> [Gift] {
        try read { db in
            var last: [String: Gift] = [:], order: [String] = []
            for r in try Store.storedRows(db, "event", sql: "SELECT seq, type, subject, payload FROM event WHERE type LIKE 'gift.%' ORDER BY seq") {
                let payload = try PayloadReader(seq: try r.value("seq", Int64.self), type: try r.text("type"), text: try r.text("payload"))
                let g = try FinanceEvents.gift(payload)
                if last[g.id] == nil { order.append(g.id) }
                last[g.id] = g
            }
            return order.compactMap { last[$0] }
        }
    }
}

extension Store {
    /// The figures of solidarity finance as of `asOf` (``FinanceIndicators``), from the live
    /// rows, or (`fromLog`) from the gifts the event log last recorded: both must agree.
    public func financeIndicators(asOf: LocalDate, territory: String?, reportingCurrency: String?, fromLog: Bool = false) throws(CDSError) -> FinanceIndicators {
        let logged = fromLog ? try giftsFromLog() : nil
        return try read { db in
            if let t = territory { _ = try Store.territoryLevel(db, t, field: "territory") }
            if let cur = reportingCurrency { try Store.checkCodes(db, [cur], dataset: "currencies", field: "reporting_currency") }
            let campaigns = try Store.documents(db, "campaign", sql: "SELECT doc FROM campaign ORDER BY seq") { j throws(CDSError) in try Campaign(json: j) }
            let gifts = try logged ?? Store.documents(db, "gift", sql: "SELECT doc FROM gift ORDER BY seq") { j throws(CDSError) in try Gift(json: j) }
            var givers: [String: Giver] = [:]
            for r in try Store.storedRows(db, "gift", sql: """
                SELECT g.id AS id, m.gender AS gender, m.residence_country AS country, o.country AS seat FROM gift g
                LEFT JOIN member m ON m.id = g.member LEFT JOIN organization o ON o.id = g.organization
                """) {
                let gender = try r.optionalText("gender")
                givers[try r.text("id")] = Giver(gender: gender ?? "organization", country: gender == nil ? try r.optionalText("seat") : try r.optionalText("country"))
            }
            var communes: [String: [String]] = [:], checked: [String] = [], meeting: [String] = []
            for p in try Store.documents(db, "project", sql: "SELECT doc FROM project ORDER BY seq", { j throws(CDSError) in try Project(json: j) }) {
                communes[p.id] = p.communes
                // The plan as it stood on the day (its events up to then), checked against the programmes' rules.
                guard let then = try Store.projectAsOf(db, p.id, day: asOf), then.budget != nil,
                      then.fundingPlan.contains(where: { $0.programme != nil }) else { continue }
                checked.append(p.id)
                if FundingCheck.breaches(then, try Store.fundingContext(db, then, on: asOf)).isEmpty { meeting.append(p.id) }
            }
            return FinanceIndicators(asOf: asOf, gifts: gifts, campaigns: campaigns, projectCommunes: communes, givers: givers, plansChecked: checked,
                                     plansMeeting: meeting, territory: territory, reportingCurrency: reportingCurrency, rates: try Store.exchangeRates(db))
        }
    }
}

extension Store {
    /// The project `id` as its creation and its changes up to the end of `day` (business
    /// time) made it, or nil when it was created after the day; an event that does not replay
    /// is a storage error.
    static func projectAsOf(_ db: Database, _ id: String, day: LocalDate) throws -> Project? {
        let (end, overflow) = Int64(day.daysSinceEpoch + 1).multipliedReportingOverflow(by: 86_400_000)
        guard !overflow else { throw CDSError.invalid("as_of", "is out of range") }
        guard var state = try projectState(db, id, before: end) else { return nil }
        if state["updated_at"] == nil { state["updated_at"] = state["created_at"] }
        do throws(CDSError) { return try Project(json: .object(state)) } catch {
            throw StoredRow.damage("event", "payload", "the events of project \(id) do not replay: \(error.message)")
        }
    }

    /// The pools of a campaign or of a project (or all), first created first, each with what it matched and what is left.
    public func pools(campaign: String?, project: String?) throws(CDSError) -> [PoolView] {
        try read { db in
            let pools = try Store.documents(db, "pool", sql: "SELECT doc FROM pool WHERE (?1 IS NULL OR campaign = ?1) AND (?2 IS NULL OR project = ?2) ORDER BY seq",
                                            arguments: [campaign, project]) { j throws(CDSError) in try MatchingPool(json: j) }
            return try pools.map { p in PoolView(pool: p, used: try Store.poolUsed(db, p)) }
        }
    }
}
