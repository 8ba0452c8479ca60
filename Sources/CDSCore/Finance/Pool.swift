/// A matching pool (a commune's *abondement*, GlobalGiving's bonus days): a funder puts an
/// amount on the table and matches a rate of each gift collected in its window, first come
/// first served, within its caps, until it runs out.
public struct MatchingPool: Sendable, Equatable {
    public var id: String
    /// The funding organization …
    public var organization: String?
    /// … or member (exactly one).
    public var member: String?
    /// Its name.
    public var name: String
    /// What the funder puts in.
    public var amount: Money
    /// The campaign it matches the gifts of …
    public var campaign: String?
    /// … or the project whose campaigns it matches (exactly one).
    public var project: String?
    /// The rate, in basis points of a gift (10000 matches one for one).
    public var rateBP: Int64
    /// Tiers: the part of a gift up to `upTo` (minor units, increasing) matched at its rate; beyond the last, `rateBP`.
    public var tiers: [Tier]
    /// A rate over 100 % is taken only when declared.
    public var overOneForOne: Bool
    /// The smallest gift matched.
    public var minGift: Int64?
    /// The most matched per gift, per donor and per project.
    public var capPerGift: Int64?
    public var capPerDonor: Int64?
    public var capPerProject: Int64?
    /// The days gifts collected are matched.
    public var opensOn: LocalDate
    public var closesOn: LocalDate
    public var createdAt: Instant

    /// A tier of a pool.
    public struct Tier: Sendable, Equatable {
        /// The part of a gift up to this amount (minor units).
        public var upTo: Int64
        /// Its rate in basis points.
        public var rateBP: Int64
        /// A tier.
        public init(upTo: Int64, rateBP: Int64) { self.upTo = upTo; self.rateBP = rateBP }
        /// `{"up_to", "rate_bp"}`.
        public var json: JSON { ["up_to": .int(upTo), "rate_bp": .int(rateBP)] }
    }

    /// The highest rate a declared pool may have: five for one.
    public static let maxRateBP: Int64 = 50_000

    /// A pool.
    public init(id: String, organization: String?, member: String?, name: String, amount: Money, campaign: String?, project: String?, rateBP: Int64,
                tiers: [Tier] = [], overOneForOne: Bool = false, minGift: Int64? = nil, capPerGift: Int64? = nil, capPerDonor: Int64? = nil,
                capPerProject: Int64? = nil, opensOn: LocalDate, closesOn: LocalDate, at: Instant) {
        self.id = id; self.organization = organization; self.member = member; self.name = name; self.amount = amount; self.campaign = campaign
        self.project = project; self.rateBP = rateBP; self.tiers = tiers; self.overOneForOne = overOneForOne; self.minGift = minGift
        self.capPerGift = capPerGift; self.capPerDonor = capPerDonor; self.capPerProject = capPerProject; self.opensOn = opensOn; self.closesOn = closesOn
        createdAt = at
    }

    /// One funder, one scope, a positive amount, rates from 1 basis point to 100 % (up to
    /// `maxRateBP` when declared), tiers increasing, caps positive, a window in order.
    public func validate() throws(CDSError) {
        guard (organization == nil) != (member == nil) else { throw CDSError.invalid("organization", "give the funding organization or member, not both") }
        guard (campaign == nil) != (project == nil) else { throw CDSError.invalid("campaign", "give the campaign or the project it matches, not both") }
        guard amount.minor > 0 else { throw CDSError.invalid("amount.minor", "must be positive") }
        func checkRate(_ bp: Int64, _ field: String) throws(CDSError) {
            guard bp >= 1 else { throw CDSError.invalid(field, "must be at least 1 basis point") }
            if bp > BasisPoints.whole && !overOneForOne {
                throw CDSError.invalid(field, "a rate over 100 % (\(BasisPoints.text(bp))) is taken only when declared with over_one_for_one: true")
            }
            guard bp <= MatchingPool.maxRateBP else { throw CDSError.invalid(field, "must be at most \(BasisPoints.text(MatchingPool.maxRateBP))") }
        }
        try checkRate(rateBP, "rate_bp")
        var last: Int64 = 0
        for (n, t) in tiers.enumerated() {
            try checkRate(t.rateBP, "tiers[\(n)].rate_bp")
            guard t.upTo > last else { throw CDSError.invalid("tiers[\(n)].up_to", "tiers must go up: more than \(last)") }
            last = t.upTo
        }
        for (v, f) in [(minGift, "min_gift"), (capPerGift, "cap_per_gift"), (capPerDonor, "cap_per_donor"), (capPerProject, "cap_per_project")] {
            if let v, v <= 0 { throw CDSError.invalid(f, "must be positive") }
        }
        guard closesOn >= opensOn else { throw CDSError.invalid("closes_on", "must not be before opens_on") }
    }

    /// What the rate (and its tiers) match of a gift of `g` minor units, rounded down.
    public func wanted(_ g: Int64) -> Int64 {
        var total: Int64 = 0, below: Int64 = 0
        for t in tiers where below < g {
            let part = min(g, t.upTo) - below
            total = total.addingSaturated(BasisPoints.scaled(part, t.rateBP))
            below = t.upTo
        }
        if g > below { total = total.addingSaturated(BasisPoints.scaled(g - below, rateBP)) }
        return total
    }

    /// The match of a gift of `g` collected on `day` by a donor this pool matched `donorSoFar`
    /// for, in a project it matched `projectSoFar` for, with `left` in the pool: nil when the
    /// pool does not match it at all (outside its window, under its minimum, nothing left).
    public func match(gift g: Int64, on day: LocalDate, donorSoFar: Int64, projectSoFar: Int64, left: Int64) -> GiftMatch? {
        guard day >= opensOn, day <= closesOn, g >= (minGift ?? 1), left > 0 else { return nil }
        let wanted = wanted(g)
        var m = wanted, limit: MatchLimit?
        func cap(_ c: Int64?, _ why: MatchLimit) { if let c, m > c { m = max(0, c); limit = why } }
        cap(capPerGift, .capPerGift)
        cap(capPerDonor.map { $0 - donorSoFar }, .capPerDonor)
        cap(capPerProject.map { $0 - projectSoFar }, .capPerProject)
        cap(left, .poolExhausted)
        guard m > 0 else { return nil }
        return GiftMatch(pool: id, amount: m, wanted: wanted, limitedBy: limit)
    }

    /// The JSON shape.
    public var json: JSON {
        .object(JSONObject([
            ("id", .string(id)), ("organization", .optional(organization)), ("member", .optional(member)), ("name", .string(name)), ("amount", amount.json),
            ("campaign", .optional(campaign)), ("project", .optional(project)), ("rate_bp", .int(rateBP)), ("tiers", .array(tiers.map(\.json))),
            ("over_one_for_one", .bool(overOneForOne)), ("min_gift", .optional(minGift)), ("cap_per_gift", .optional(capPerGift)),
            ("cap_per_donor", .optional(capPerDonor)), ("cap_per_project", .optional(capPerProject)),
            ("opens_on", .string(opensOn.description)), ("closes_on", .string(closesOn.description)), ("created_at", .string(createdAt.description)),
        ]))
    }

    /// The declared shape of `pool.create`'s rules (with `amount`, the funder and the scope).
    public static let properties: [Schema.Property] = [
        .init("organization", .id, "the funding organization (a commune, a funder)"),
        .init("member", .id, "or the funding member"),
        .init("name", .text(maxLength: Limits.name), required: true, "its name: Abondement de la commune d'Anzi"),
        .init("amount", Money.schema, required: true, "what the funder puts in, in the campaign's currency"),
        .init("campaign", .id, "the campaign whose gifts it matches"),
        .init("project", .id, "or the project whose campaigns it matches"),
        .init("rate_bp", .integer(min: 1, max: MatchingPool.maxRateBP), required: true, "the rate in basis points of a gift: 10000 matches one for one, 5000 half"),
        .init("tiers", .array(.object([.init("up_to", .integer(min: 1, max: Limits.amount), required: true, "the part of a gift up to this amount (minor units)"),
                                       .init("rate_bp", .integer(min: 1, max: MatchingPool.maxRateBP), required: true, "its rate")]), maxItems: 10),
              "the parts of a gift matched at other rates, increasing; beyond the last, rate_bp"),
        .init("over_one_for_one", .boolean, "declares a rate over 100 % (refused otherwise)"),
        .init("min_gift", .integer(min: 1, max: Limits.amount), "the smallest gift matched (minor units)"),
        .init("cap_per_gift", .integer(min: 1, max: Limits.amount), "the most matched per gift"),
        .init("cap_per_donor", .integer(min: 1, max: Limits.amount), "the most matched per donor"),
        .init("cap_per_project", .integer(min: 1, max: Limits.amount), "the most matched per project"),
        .init("opens_on", .date, required: true, "the first day gifts collected are matched"),
        .init("closes_on", .date, required: true, "the last day"),
    ]

    /// Reads the stored shape back (or `pool.create`'s params, with `id` and `created_at` given).
    public init(json: JSON) throws(CDSError) {
        let r = try JSONReader(json, path: "", known: ["id", "organization", "member", "name", "amount", "campaign", "project", "rate_bp", "tiers", "over_one_for_one",
                                                      "min_gift", "cap_per_gift", "cap_per_donor", "cap_per_project", "opens_on", "closes_on", "created_at"])
        guard let rate = try r.integer("rate_bp", in: 1...MatchingPool.maxRateBP), let opens = try r.date("opens_on"), let closes = try r.date("closes_on") else {
            throw CDSError.invalid("rate_bp", "rate_bp, opens_on and closes_on are required")
        }
        let tiers = try r.list("tiers", max: 10) { (v, p) throws(CDSError) in
            let tr = try JSONReader(v, path: p, known: ["up_to", "rate_bp"])
            guard let u = try tr.integer("up_to", in: 1...Limits.amount), let b = try tr.integer("rate_bp", in: 1...MatchingPool.maxRateBP) else {
                throw CDSError.invalid(tr.at("up_to"), "up_to and rate_bp are required")
            }
            return Tier(upTo: u, rateBP: b)
        }
        self.init(id: try r.requiredText("id", max: 100), organization: try r.text("organization", max: 100), member: try r.text("member", max: 100),
                  name: try r.requiredText("name", max: Limits.name), amount: try Money(json: r.object["amount"], field: "amount"),
                  campaign: try r.text("campaign", max: 100), project: try r.text("project", max: 100), rateBP: rate, tiers: tiers,
                  overOneForOne: try r.bool("over_one_for_one") ?? false, minGift: try r.integer("min_gift", in: 1...Limits.amount),
                  capPerGift: try r.integer("cap_per_gift", in: 1...Limits.amount), capPerDonor: try r.integer("cap_per_donor", in: 1...Limits.amount),
                  capPerProject: try r.integer("cap_per_project", in: 1...Limits.amount), opensOn: opens, closesOn: closes, at: try r.instant("created_at"))
    }
}

extension BasisPoints {
    /// `amount × bp / 10000` rounded down, for any rate up to `MatchingPool.maxRateBP`, in 128 bits; saturated at the 64-bit bound.
    public static func scaled(_ amount: Int64, _ bp: Int64) -> Int64 {
        guard amount > 0, bp > 0 else { return 0 }
        let (hi, lo) = amount.multipliedFullWidth(by: bp)
        guard hi < whole else { return .max }
        return whole.dividingFullWidth((hi, lo)).quotient
    }
}
