/// What the co-financing check needs besides the project: the programmes of the CDS (the
/// newest version of each), its valuation rates, its exchange rates, the kinds of the
/// organizations a plan names, and the day the check is made for.
public struct FundingContext: Sendable {
    /// The programmes, by id (the newest version of each).
    public var programmes: [String: FundingProgramme]
    /// The CDS's valuation rates for contributions in kind.
    public var valuations: [ValuationRate]
    /// The CDS's dated exchange rates.
    public var rates: [ExchangeRate]
    /// The kind of each organization the plan names.
    public var organizationKinds: [String: OrganizationKind]
    /// The day rates are read for.
    public var on: LocalDate

    /// A context.
    public init(programmes: [String: FundingProgramme] = [:], valuations: [ValuationRate] = [], rates: [ExchangeRate] = [],
                organizationKinds: [String: OrganizationKind] = [:], on: LocalDate) {
        self.programmes = programmes; self.valuations = valuations; self.rates = rates; self.organizationKinds = organizationKinds; self.on = on
    }
}

/// One rule of one programme checked against a plan: met or not, with its figures (what
/// the plan asks or gives, what the rule allows or requires) in the plan's currency.
public struct RuleOutcome: Sendable, Equatable {
    /// The programme's id.
    public var programme: String
    /// Its name in French, for labels (the id when the programme is unknown).
    public var programmeName: String
    /// The rule.
    public var rule: ProgrammeRule
    /// True when the plan meets it.
    public var met: Bool
    /// What the plan asks (the grant, the cost, public funds) or gives (the local contribution).
    public var asked: Int64?
    /// What the rule allows (or, for a minimum, requires).
    public var allowed: Int64?
    /// The currency of the figures (the plan's).
    public var currency: String

    /// The stable checklist key: `programme.<id>.<rule>`.
    public var key: String { "programme.\(programme).\(rule.rawValue)" }

    /// The rule's labels with the programme's name and the figures.
    public var labels: Labels {
        let base = rule.labels
        guard let a = asked, let b = allowed else {
            return Labels(fr: "\(programmeName) : \(base.fr)", ar: "\(programmeName): \(base.ar)", en: "\(programmeName): \(base.en)")
        }
        if rule == .originsKnown {
            return Labels(fr: "\(programmeName) : \(base.fr) (\(a) source(s) sans origine)", ar: "\(programmeName): \(base.ar) (\(a) مصدر بدون أصل)",
                          en: "\(programmeName): \(base.en) (\(a) source(s) without an origin)")
        }
        let x = Money(minor: a, currency: currency).text, y = Money(minor: b, currency: currency).text
        if rule == .localMinimum {
            return Labels(fr: "\(programmeName) : \(base.fr) (apporté \(x), requis \(y))", ar: "\(programmeName): \(base.ar) (المقدم \(x)، المطلوب \(y))",
                          en: "\(programmeName): \(base.en) (given \(x), required \(y))")
        }
        return Labels(fr: "\(programmeName) : \(base.fr) (demandé \(x), admis \(y))", ar: "\(programmeName): \(base.ar) (المطلوب \(x)، المسموح به \(y))",
                      en: "\(programmeName): \(base.en) (asked \(x), allowed \(y))")
    }

    /// `{"key", "label", "programme", "rule", "met", "asked", "allowed", "currency"}` in `locale`.
    public func json(_ locale: Locale) -> JSON {
        .object(JSONObject([
            ("key", .string(key)), ("label", .string(labels.label(locale))), ("programme", .string(programme)), ("rule", .string(rule.rawValue)),
            ("met", .bool(met)), ("asked", .optional(asked)), ("allowed", .optional(allowed)), ("currency", .string(currency)),
        ]))
    }
}

/// A plan checked against one programme: the figures it counted and each rule's outcome.
public struct ProgrammeCheck: Sendable, Equatable {
    /// The programme's id.
    public var programme: String
    /// Its version (nil when unknown).
    public var version: Int64?
    /// The cost the shares are of: the budget plus the contributions in kind the programme counts.
    public var cost: Int64
    /// The grant asked of the programme.
    public var grant: Int64
    /// All public funds, the grant included.
    public var publicFunds: Int64
    /// The own or local contribution.
    public var localFunds: Int64
    /// The contributions in kind counted (their value).
    public var inKindCounted: Int64
    /// The exchange rate that converted the programme's caps, if one did.
    public var rateUsed: ExchangeRate?
    /// Each rule, met or not, in checklist order.
    public var outcomes: [RuleOutcome]

    /// True when every rule is met.
    public var met: Bool { outcomes.allSatisfy(\.met) }

    /// The JSON shape in `locale`.
    public func json(_ locale: Locale, currency: String) -> JSON {
        .object(JSONObject([
            ("programme", .string(programme)), ("version", .optional(version)), ("met", .bool(met)),
            ("cost", Money(minor: cost, currency: currency).json), ("grant", Money(minor: grant, currency: currency).json),
            ("public_funds", Money(minor: publicFunds, currency: currency).json), ("local_funds", Money(minor: localFunds, currency: currency).json),
            ("in_kind_counted", Money(minor: inKindCounted, currency: currency).json), ("rate_used", rateUsed?.json ?? .null),
            ("rules", .array(outcomes.map { $0.json(locale) })),
        ]))
    }
}

/// The co-financing rule engine: a project's funding plan checked against every programme
/// it draws on (a source whose `programme` names it).
public enum FundingCheck {
    /// The value of a contribution in kind valued at the CDS's rate in force, or nil when
    /// no rate of its key, kind and the plan's currency applies.
    public static func valuation(_ k: FundingSource.InKind, currency: String, _ ctx: FundingContext) -> Int64? {
        guard let key = k.rate, let rate = ValuationRate.inForce(ctx.valuations, key: key, on: ctx.on),
              rate.kind == k.kind, rate.unitValue.currency == currency else { return nil }
        let (v, overflow) = k.quantity.multipliedReportingOverflow(by: rate.unitValue.minor)
        return overflow ? nil : v
    }

    /// Each programme the plan draws on, checked, in the order the plan first names them;
    /// then each of `also` it does not draw on, as if it applied (a what-if before applying:
    /// its grant is nought, its other rules read the plan as it stands).
    /// A plan without a budget is not checked (the checklist asks for the budget first).
    public static func check(_ p: Project, _ ctx: FundingContext, also: [String] = []) -> [ProgrammeCheck] {
        guard let budget = p.budget else { return [] }
        var ids: [String] = []
        for s in p.fundingPlan { if let id = s.programme, !ids.contains(id) { ids.append(id) } }
        for id in also where !ids.contains(id) { ids.append(id) }
        return ids.map { check(p, budget: budget, programme: $0, ctx) }
    }

    /// Every rule not met of every programme the plan draws on.
    public static func breaches(_ p: Project, _ ctx: FundingContext) -> [RuleOutcome] {
        check(p, ctx).flatMap { $0.outcomes.filter { !$0.met } }
    }

    static func origin(_ s: FundingSource, _ ctx: FundingContext) -> SourceOrigin? {
        if let o = s.origin { return o }
        if let id = s.programme, let prog = ctx.programmes[id] { return prog.grantOrigin }
        return s.organization.flatMap { ctx.organizationKinds[$0] }.map(SourceOrigin.of)
    }

    static func check(_ p: Project, budget: Budget, programme id: String, _ ctx: FundingContext) -> ProgrammeCheck {
        let currency = budget.currency
        let grant = p.fundingPlan.filter { $0.programme == id }.map(\.amount.minor).saturatedSum()
        guard let prog = ctx.programmes[id] else {
            return ProgrammeCheck(programme: id, version: nil, cost: budget.total, grant: grant, publicFunds: 0, localFunds: 0, inKindCounted: 0, rateUsed: nil,
                                  outcomes: [RuleOutcome(programme: id, programmeName: id, rule: .known, met: false, asked: nil, allowed: nil, currency: currency)])
        }
        let name = prog.name.text(.fr) ?? id
        func outcome(_ rule: ProgrammeRule, _ met: Bool, _ asked: Int64?, _ allowed: Int64?) -> RuleOutcome {
            RuleOutcome(programme: id, programmeName: name, rule: rule, met: met, asked: asked, allowed: allowed, currency: currency)
        }
        // What each source counts for this programme: money at its amount, in kind as the programme says.
        var inKind: Int64 = 0, publicFunds: Int64 = 0, local: Int64 = 0, unknownOrigins: Int64 = 0
        for s in p.fundingPlan {
            var value = s.amount.minor
            if let k = s.inKind {
                let valued = valuation(k, currency: currency, ctx)
                switch prog.policy(k.kind) {
                case .excluded: continue
                case .whenValued:
                    guard let v = valued else { continue }
                    value = v
                case .counted: value = valued ?? s.amount.minor
                }
                inKind = inKind.addingSaturated(value)
            }
            if s.programme == id { publicFunds = publicFunds.addingSaturated(value); continue }  // the grant is public money, always
            guard let o = origin(s, ctx) else { unknownOrigins += 1; continue }
            if prog.publicOrigins.contains(o) { publicFunds = publicFunds.addingSaturated(value) }
            if prog.localOrigins.contains(o) { local = local.addingSaturated(value) }
        }
        let cost = budget.total.addingSaturated(inKind)
        var outcomes: [RuleOutcome] = []
        // Absolute caps are in the programme's currency: converted at the CDS's rate in force.
        var rateUsed: ExchangeRate?
        var convert: (Int64) -> Int64? = { $0 }
        if prog.currency != currency {
            if let rate = ExchangeRate.newest(ctx.rates, from: prog.currency, to: currency, on: ctx.on) {
                rateUsed = rate
                convert = { rate.convert($0) }
            } else if prog.maxAmount != nil || prog.maxTotal != nil {
                outcomes.append(outcome(.rateKnown, false, nil, nil))
                convert = { _ in nil }
            }
        }
        if let t = prog.maxTotal, let cap = convert(t) { outcomes.append(outcome(.totalCeiling, cost <= cap, cost, cap)) }
        if let a = prog.maxAmount, let cap = convert(a) { outcomes.append(outcome(.amountCap, grant <= cap, grant, cap)) }
        if let bp = prog.maxShareBP {
            outcomes.append(outcome(.shareCap, BasisPoints.within(grant, of: cost, bp), grant, BasisPoints.share(of: cost, bp)))
        }
        if (prog.maxPublicShareBP != nil || prog.minLocalShareBP != nil) && unknownOrigins > 0 {
            outcomes.append(outcome(.originsKnown, false, unknownOrigins, 0))
        }
        if let bp = prog.maxPublicShareBP {
            outcomes.append(outcome(.publicCap, BasisPoints.within(publicFunds, of: cost, bp), publicFunds, BasisPoints.share(of: cost, bp)))
        }
        if let bp = prog.minLocalShareBP {
            let required = BasisPoints.share(of: cost, bp, up: true)
            outcomes.append(outcome(.localMinimum, required.map { local >= $0 } ?? false, local, required))
        }
        return ProgrammeCheck(programme: id, version: prog.version, cost: cost, grant: grant, publicFunds: publicFunds, localFunds: local,
                              inKindCounted: inKind, rateUsed: rateUsed, outcomes: outcomes)
    }
}

extension ExchangeRate {
    /// The newest rate from `from` to `to` on or before `day`, if any: the one every finance conversion uses.
    public static func newest(_ rates: [ExchangeRate], from: String, to: String, on day: LocalDate) -> ExchangeRate? {
        rates.filter { $0.from == from && $0.to == to && $0.on <= day }.max { $0.on < $1.on }
    }

    /// A rate as stored: units of `to` per unit of `from`, scaled by 10⁶ (positive).
    public init(from: String, to: String, microRate: Int64, on: LocalDate) {
        self.from = from; self.to = to; self.microRate = microRate; self.on = on
    }
}

extension Workflow {
    /// The co-financing rules the plan breaks that keep the project from `target`:
    /// `ready` and `funded` require every rule of every programme it draws on.
    public static func brokenRules(to target: Stage, _ facts: ProjectFacts) -> [RuleOutcome] {
        target == .ready || target == .funded ? facts.programmeBreaches : []
    }
}
