/// How a campaign pays out: all-or-nothing (Ulule, KissKissBankBank, Kickstarter) keeps
/// the money only if the goal is reached by the deadline; keep-it-all (HelloAsso) keeps
/// whatever was collected.
public enum CampaignModel: String, Vocabulary {
    case allOrNothing = "all_or_nothing"
    case keepItAll = "keep_it_all"
    public var labels: Labels {
        switch self {
        case .allOrNothing: Labels(fr: "Tout ou rien", ar: "الكل أو لا شيء", en: "All or nothing")
        case .keepItAll: Labels(fr: "Tout compte", ar: "الاحتفاظ بكل ما جمع", en: "Keep it all")
        }
    }
}

/// Where a campaign stands: draft → open → succeeded or failed (all-or-nothing) or closed (keep-it-all).
public enum CampaignStatus: String, Vocabulary {
    case draft, open, succeeded, failed, closed
    public var labels: Labels {
        switch self {
        case .draft: Labels(fr: "Brouillon", ar: "مسودة", en: "Draft")
        case .open: Labels(fr: "Ouverte", ar: "مفتوحة", en: "Open")
        case .succeeded: Labels(fr: "Réussie", ar: "ناجحة", en: "Succeeded")
        case .failed: Labels(fr: "Échouée", ar: "فاشلة", en: "Failed")
        case .closed: Labels(fr: "Clôturée", ar: "مغلقة", en: "Closed")
        }
    }
    /// Settled at the deadline: no gift any more.
    public var isSettled: Bool { self == .succeeded || self == .failed || self == .closed }
}

/// A solidarity-finance campaign for a project or one of its finance needs.
public struct Campaign: Sendable, Equatable {
    public var id: String
    /// The project's id.
    public var project: String
    /// The finance need it raises money for, if any.
    public var need: String?
    /// Its title, by language.
    public var title: LocalizedText
    /// All-or-nothing or keep-it-all.
    public var model: CampaignModel
    /// The goal, in the campaign's currency.
    public var goal: Money
    /// The first and the last day gifts are taken.
    public var opensOn: LocalDate
    public var closesOn: LocalDate
    public var status: CampaignStatus
    /// The day it was settled.
    public var settledOn: LocalDate?
    public var createdAt: Instant
    public var updatedAt: Instant

    /// Days after the deadline in which a pledge made in time may still be collected (a failed payment retried).
    public static let graceDays = 14

    /// A draft campaign.
    public init(id: String, project: String, need: String?, title: LocalizedText, model: CampaignModel, goal: Money, opensOn: LocalDate, closesOn: LocalDate, at: Instant) {
        self.id = id; self.project = project; self.need = need; self.title = title; self.model = model; self.goal = goal
        self.opensOn = opensOn; self.closesOn = closesOn; status = .draft; createdAt = at; updatedAt = at
    }

    /// A positive goal, a title, a closing day on or after the opening day.
    public func validate() throws(CDSError) {
        guard !title.isEmpty else { throw CDSError.invalid("title", "needs a text in at least one language") }
        guard goal.minor > 0 else { throw CDSError.invalid("goal.minor", "must be positive") }
        guard closesOn >= opensOn else { throw CDSError.invalid("closes_on", "must not be before opens_on") }
    }

    /// Refuses a gift on `day` unless the campaign is open and the day in its window.
    public func checkTakesGift(on day: LocalDate) throws(CDSError) {
        guard status == .open else {
            throw CDSError(.conflict, "campaign \(id) is \(status.rawValue): it takes no gift", details: ["field": "campaign", "status": .string(status.rawValue)])
        }
        guard day >= opensOn else { throw CDSError.invalid("on", "the campaign opens on \(opensOn)") }
        guard day <= closesOn else { throw CDSError.invalid("on", "the campaign closed on \(closesOn): a gift after the deadline is refused") }
    }

    /// The last day a pledge made in time may be collected.
    public var lastCollectionDay: LocalDate { LocalDate(daysSinceEpoch: closesOn.daysSinceEpoch + Campaign.graceDays) }

    /// The gifts among `gifts` that can no longer be collected on `day`, once the grace period
    /// has passed: an errored gift (a failed collection is retried until `lastCollectionDay`)
    /// is dropped from the next day, or the day it failed if later; a pledge never collected is
    /// released (cancelled) from the next day. A gift that failed after `day` is left.
    public func lapsed(_ gifts: [Gift], on day: LocalDate) throws(CDSError) -> [Gift] {
        let firstDayAfterGrace = LocalDate(daysSinceEpoch: lastCollectionDay.daysSinceEpoch + 1)
        guard day >= firstDayAfterGrace else { return [] }
        var out: [Gift] = []
        for g in gifts where g.campaign == id {
            var x = g
            switch g.status {
            case .errored:
                guard let failed = g.erroredOn, failed <= day else { continue }
                try x.move(to: .dropped, on: max(firstDayAfterGrace, failed))
            case .pledged:
                try x.move(to: .cancelled, on: max(firstDayAfterGrace, g.pledgedOn))
            case .collected, .cancelled, .dropped, .refunded: continue
            }
            out.append(x)
        }
        return out
    }

    /// The status at the deadline: an all-or-nothing campaign succeeds when what it received
    /// (collected gifts and their matches) reaches the goal, else fails; keep-it-all closes.
    public func outcome(received: Int64) -> CampaignStatus {
        switch model {
        case .allOrNothing: received >= goal.minor ? .succeeded : .failed
        case .keepItAll: .closed
        }
    }

    /// The JSON shape.
    public var json: JSON {
        .object(JSONObject([
            ("id", .string(id)), ("project", .string(project)), ("need", .optional(need)), ("title", title.json), ("model", .string(model.rawValue)),
            ("goal", goal.json), ("opens_on", .string(opensOn.description)), ("closes_on", .string(closesOn.description)), ("status", .string(status.rawValue)),
            ("settled_on", .optional(settledOn?.description)), ("created_at", .string(createdAt.description)), ("updated_at", .string(updatedAt.description)),
        ]))
    }

    /// Reads the stored shape back.
    public init(json: JSON) throws(CDSError) {
        let r = try JSONReader(json, path: "", known: ["id", "project", "need", "title", "model", "goal", "opens_on", "closes_on", "status", "settled_on", "created_at", "updated_at"])
        guard let model = try r.term("model", CampaignModel.self), let opens = try r.date("opens_on"), let closes = try r.date("closes_on"),
              let status = try r.term("status", CampaignStatus.self) else { throw CDSError.invalid("model", "model, opens_on, closes_on and status are required") }
        self.init(id: try r.requiredText("id", max: 100), project: try r.requiredText("project", max: 100), need: try r.text("need", max: 100),
                  title: try LocalizedText(json: r.object["title"], field: "title", max: Limits.name), model: model,
                  goal: try Money(json: r.object["goal"], field: "goal"), opensOn: opens, closesOn: closes, at: try r.instant("created_at"))
        self.status = status
        settledOn = try r.date("settled_on")
        updatedAt = try r.instant("updated_at")
    }
}

/// Where a gift stands: pledged → collected (→ refunded), or cancelled (released); a
/// collection that failed is errored, retried in the grace period, else dropped.
public enum GiftStatus: String, Vocabulary {
    case pledged, collected, cancelled, errored, dropped, refunded
    public var labels: Labels {
        switch self {
        case .pledged: Labels(fr: "Promis", ar: "موعود به", en: "Pledged")
        case .collected: Labels(fr: "Encaissé", ar: "محصل", en: "Collected")
        case .cancelled: Labels(fr: "Annulé (libéré)", ar: "ملغى (محرر)", en: "Cancelled (released)")
        case .errored: Labels(fr: "Paiement en échec", ar: "دفع فاشل", en: "Payment failed")
        case .dropped: Labels(fr: "Abandonné", ar: "متخلى عنه", en: "Dropped")
        case .refunded: Labels(fr: "Remboursé", ar: "مسترجع", en: "Refunded")
        }
    }
    /// The statuses it may move to.
    public var next: [GiftStatus] {
        switch self {
        case .pledged: [.collected, .cancelled, .errored]
        case .errored: [.collected, .dropped, .cancelled]
        case .collected: [.refunded]
        case .cancelled, .dropped, .refunded: []
        }
    }
    /// The event of a gift moving to this status.
    public var event: EventType {
        switch self {
        case .pledged: .giftPledged
        case .collected: .giftCollected
        case .cancelled: .giftCancelled
        case .errored: .giftErrored
        case .dropped: .giftDropped
        case .refunded: .giftRefunded
        }
    }
}

/// A part of a gift matched by a pool: how much, how much the pool's rate alone would have
/// given, and why it is less (a cap, the pool's end), stated on the gift.
public struct GiftMatch: Sendable, Equatable {
    /// The pool's id.
    public var pool: String
    /// The amount matched.
    public var amount: Int64
    /// What the rate alone would have matched.
    public var wanted: Int64
    /// Why less than wanted (`cap_per_gift`, `cap_per_donor`, `cap_per_project`, `pool_exhausted`), if so.
    public var limitedBy: MatchLimit?
    /// The day a refund released it back to the pool.
    public var releasedOn: LocalDate?

    /// A match.
    public init(pool: String, amount: Int64, wanted: Int64, limitedBy: MatchLimit?, releasedOn: LocalDate? = nil) {
        self.pool = pool; self.amount = amount; self.wanted = wanted; self.limitedBy = limitedBy; self.releasedOn = releasedOn
    }

    /// True while it counts (not released).
    public var holds: Bool { releasedOn == nil }

    /// The JSON shape, with `partial` when less than wanted.
    public var json: JSON {
        .object(JSONObject([("pool", .string(pool)), ("amount", .int(amount)), ("wanted", .int(wanted)), ("partial", .bool(amount < wanted)),
                            ("limited_by", .optional(limitedBy?.rawValue)), ("released_on", .optional(releasedOn?.description))]))
    }

    /// Reads the stored shape.
    public init(json: JSON, path: String) throws(CDSError) {
        let r = try JSONReader(json, path: path, known: ["pool", "amount", "wanted", "partial", "limited_by", "released_on"])
        guard let a = try r.integer("amount", in: 0...Limits.amount), let w = try r.integer("wanted", in: 0...Limits.amount) else {
            throw CDSError.invalid(r.at("amount"), "amount and wanted are required")
        }
        self.init(pool: try r.requiredText("pool", max: 100), amount: a, wanted: w, limitedBy: try r.term("limited_by", MatchLimit.self), releasedOn: try r.date("released_on"))
    }
}

/// Why a match is less than the pool's rate gives.
public enum MatchLimit: String, Vocabulary {
    case capPerGift = "cap_per_gift", capPerDonor = "cap_per_donor", capPerProject = "cap_per_project", poolExhausted = "pool_exhausted"
    public var labels: Labels {
        switch self {
        case .capPerGift: Labels(fr: "Plafond par don atteint", ar: "تم بلوغ السقف لكل تبرع", en: "Cap per gift reached")
        case .capPerDonor: Labels(fr: "Plafond par donateur atteint", ar: "تم بلوغ السقف لكل متبرع", en: "Cap per donor reached")
        case .capPerProject: Labels(fr: "Plafond par projet atteint", ar: "تم بلوغ السقف لكل مشروع", en: "Cap per project reached")
        case .poolExhausted: Labels(fr: "Fonds d'abondement épuisé", ar: "نفد صندوق المطابقة", en: "Matching pool used up")
        }
    }
}

/// A gift or a pledge to a campaign, from a member or an organization, in the campaign's
/// currency (converted at the CDS's rate of the day when given in another).
public struct Gift: Sendable, Equatable {
    public var id: String
    public var campaign: String
    /// The giving member …
    public var member: String?
    /// … or organization (exactly one).
    public var organization: String?
    /// The amount in the campaign's currency.
    public var amount: Money
    /// The amount as given, when in another currency, and the rate used.
    public var original: Money?
    public var rate: ExchangeRate?
    public var status: GiftStatus
    /// The day of each status.
    public var pledgedOn: LocalDate
    public var collectedOn: LocalDate?
    public var cancelledOn: LocalDate?
    public var erroredOn: LocalDate?
    public var droppedOn: LocalDate?
    public var refundedOn: LocalDate?
    /// What pools matched when it was collected.
    public var matches: [GiftMatch]
    public var createdAt: Instant
    public var updatedAt: Instant

    /// A pledged gift.
    public init(id: String, campaign: String, member: String?, organization: String?, amount: Money, original: Money? = nil, rate: ExchangeRate? = nil,
                pledgedOn: LocalDate, at: Instant) {
        self.id = id; self.campaign = campaign; self.member = member; self.organization = organization; self.amount = amount
        self.original = original; self.rate = rate; status = .pledged; self.pledgedOn = pledgedOn; matches = []; createdAt = at; updatedAt = at
    }

    /// One giver, a positive amount.
    public func validate() throws(CDSError) {
        guard (member == nil) != (organization == nil) else { throw CDSError.invalid("member", "give the giving member or organization, not both") }
        guard amount.minor > 0 else { throw CDSError.invalid("amount.minor", "must be positive") }
    }

    /// The amount matched and still held by pools.
    public var matched: Int64 { matches.filter(\.holds).map(\.amount).saturatedSum() }

    /// The day it reached `status`, if it did.
    public func day(of status: GiftStatus) -> LocalDate? {
        switch status {
        case .pledged: pledgedOn
        case .collected: collectedOn
        case .cancelled: cancelledOn
        case .errored: erroredOn
        case .dropped: droppedOn
        case .refunded: refundedOn
        }
    }

    /// Moves to `to` on `day`: only along `GiftStatus.next`, never before the last status's day.
    /// A refund releases every match on the same day.
    public mutating func move(to: GiftStatus, on day: LocalDate) throws(CDSError) {
        guard status.next.contains(to) else {
            throw CDSError(.conflict, "a \(status.rawValue) gift cannot become \(to.rawValue)", details: ["from": .string(status.rawValue), "to": .string(to.rawValue)])
        }
        let last = [pledgedOn, collectedOn, erroredOn].compactMap { $0 }.max() ?? pledgedOn
        guard day >= last else { throw CDSError.invalid("on", "must not be before \(last)") }
        switch to {
        case .collected: collectedOn = day
        case .cancelled: cancelledOn = day
        case .errored: erroredOn = day
        case .dropped: droppedOn = day
        case .refunded:
            refundedOn = day
            matches = matches.map { m in var x = m; if x.releasedOn == nil { x.releasedOn = day }; return x }
        case .pledged: break
        }
        status = to
    }

    /// The JSON shape.
    public var json: JSON {
        .object(JSONObject([
            ("id", .string(id)), ("campaign", .string(campaign)), ("member", .optional(member)), ("organization", .optional(organization)),
            ("amount", amount.json), ("original", original?.json ?? .null), ("rate", rate?.json ?? .null), ("status", .string(status.rawValue)),
            ("pledged_on", .string(pledgedOn.description)), ("collected_on", .optional(collectedOn?.description)),
            ("cancelled_on", .optional(cancelledOn?.description)), ("errored_on", .optional(erroredOn?.description)),
            ("dropped_on", .optional(droppedOn?.description)), ("refunded_on", .optional(refundedOn?.description)),
            ("matched", .int(matched)), ("matches", .array(matches.map(\.json))),
            ("created_at", .string(createdAt.description)), ("updated_at", .string(updatedAt.description)),
        ]))
    }

    /// Reads the stored shape back.
    public init(json: JSON) throws(CDSError) {
        let r = try JSONReader(json, path: "", known: ["id", "campaign", "member", "organization", "amount", "original", "rate", "status", "pledged_on",
                                                      "collected_on", "cancelled_on", "errored_on", "dropped_on", "refunded_on", "matched", "matches", "created_at", "updated_at"])
        guard let status = try r.term("status", GiftStatus.self), let pledged = try r.date("pledged_on") else { throw CDSError.invalid("status", "status and pledged_on are required") }
        var original: Money?, rate: ExchangeRate?
        if let o = r.object["original"], !o.isNull { original = try Money(json: o, field: "original") }
        if let x = r.object["rate"], !x.isNull { rate = try ExchangeRate(json: x, path: "rate") }
        self.init(id: try r.requiredText("id", max: 100), campaign: try r.requiredText("campaign", max: 100), member: try r.text("member", max: 100),
                  organization: try r.text("organization", max: 100), amount: try Money(json: r.object["amount"], field: "amount"), original: original, rate: rate,
                  pledgedOn: pledged, at: try r.instant("created_at"))
        self.status = status
        collectedOn = try r.date("collected_on")
        cancelledOn = try r.date("cancelled_on")
        erroredOn = try r.date("errored_on")
        droppedOn = try r.date("dropped_on")
        refundedOn = try r.date("refunded_on")
        matches = try r.list("matches", max: 100) { (v, p) throws(CDSError) in try GiftMatch(json: v, path: p) }
        updatedAt = try r.instant("updated_at")
    }
}

/// What a campaign shows: what was actually collected (and matched) beside what was pledged.
public struct CampaignTotals: Sendable, Equatable {
    /// Collected and not refunded.
    public var collected: Int64 = 0
    /// Promised, not collected yet.
    public var pledged: Int64 = 0
    /// Refunded.
    public var refunded: Int64 = 0
    /// Matched by pools and still held.
    public var matched: Int64 = 0
    /// Gifts counted in each.
    public var gifts: Int64 = 0

    /// The totals of these gifts.
    public init(_ gifts: [Gift]) {
        for g in gifts {
            self.gifts += 1
            switch g.status {
            case .collected: collected = collected.addingSaturated(g.amount.minor)
            case .pledged, .errored: pledged = pledged.addingSaturated(g.amount.minor)
            case .refunded: refunded = refunded.addingSaturated(g.amount.minor)
            case .cancelled, .dropped: break
            }
            matched = matched.addingSaturated(g.matched)
        }
    }

    /// What was actually received: collected gifts and their matches.
    public var received: Int64 { collected.addingSaturated(matched) }

    /// The JSON shape in `currency`, saying which figure is money received.
    public func json(currency: String) -> JSON {
        .object(JSONObject([
            ("received", Money(minor: received, currency: currency).json), ("collected", Money(minor: collected, currency: currency).json),
            ("matched", Money(minor: matched, currency: currency).json), ("pledged", Money(minor: pledged, currency: currency).json),
            ("refunded", Money(minor: refunded, currency: currency).json), ("gifts", .int(gifts)),
            ("note", "received is what was actually collected, matches included; pledged is promised and not received yet"),
        ]))
    }
}
