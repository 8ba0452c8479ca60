/// Who gave a gift, as development reporting disaggregates it.
public struct Giver: Sendable, Equatable {
    /// The member's gender, or `organization` for a gift of an organization.
    public var gender: String
    /// The country of residence (a member's) or of the seat (an organization's), if known.
    public var country: String?
    /// A giver.
    public init(gender: String, country: String?) { self.gender = gender; self.country = country }
}

/// The figures of solidarity finance as of a day: collected, refunded and matched per
/// currency (and converted, with the rates used), campaigns succeeded and failed, the share
/// of projects whose funding plan meets every rule of the programmes it draws on;
/// for a territory, disaggregated by the givers' gender and country, with the ids behind
/// each figure. A gift counts as the dates it carries say: collected from its collection
/// day until a refund, matched while its match is not released.
public struct FinanceIndicators: Sendable {
    /// The day of the figures.
    public var asOf: LocalDate
    /// Every gift and campaign (the territory filter is applied here).
    public var gifts: [Gift]
    public var campaigns: [Campaign]
    /// The communes of each project.
    public var projectCommunes: [String: [String]]
    /// Each gift's giver, by gift id.
    public var givers: [String: Giver]
    /// The projects whose plan draws on a programme, and those of them that meet every rule.
    public var plansChecked: [String]
    public var plansMeeting: [String]
    /// A territory code (a province or region includes its communes), or nil for all.
    public var territory: String?
    /// The currency to convert into, with the CDS's rates.
    public var reportingCurrency: String?
    public var rates: [ExchangeRate]

    /// The figures' inputs.
    public init(asOf: LocalDate, gifts: [Gift], campaigns: [Campaign], projectCommunes: [String: [String]], givers: [String: Giver],
                plansChecked: [String], plansMeeting: [String], territory: String?, reportingCurrency: String?, rates: [ExchangeRate]) {
        self.asOf = asOf; self.gifts = gifts; self.campaigns = campaigns; self.projectCommunes = projectCommunes; self.givers = givers
        self.plansChecked = plansChecked; self.plansMeeting = plansMeeting; self.territory = territory; self.reportingCurrency = reportingCurrency; self.rates = rates
    }

    func inTerritory(_ project: String) -> Bool {
        guard let t = territory else { return true }
        return (projectCommunes[project] ?? []).contains { $0 == t || $0.hasPrefix(t + ".") }
    }

    /// Collected, refunded and matched of one gift as of the day.
    func figures(_ g: Gift) -> (collected: Int64, refunded: Int64, matched: Int64) {
        let refunded = g.refundedOn.map { $0 <= asOf } ?? false
        let collected = (g.collectedOn.map { $0 <= asOf } ?? false) && !refunded
        let matched = g.collectedOn.map { $0 <= asOf } ?? false
            ? g.matches.filter { $0.releasedOn.map { $0 > asOf } ?? true }.map(\.amount).saturatedSum() : 0
        return (collected ? g.amount.minor : 0, refunded ? g.amount.minor : 0, matched)
    }

    private struct Sums { var collected: Int64 = 0, refunded: Int64 = 0, matched: Int64 = 0, ids: [String] = [] }

    /// The JSON report; `provenance` lists the ids behind each figure.
    public func json(provenance: Bool) -> JSON {
        let campaignByID = Dictionary(campaigns.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var perCurrency: [String: Sums] = [:], byGender: [String: [String: Sums]] = [:], byCountry: [String: [String: Sums]] = [:]
        for g in gifts {
            guard let c = campaignByID[g.campaign], inTerritory(c.project) else { continue }
            let f = figures(g)
            guard f.collected > 0 || f.refunded > 0 || f.matched > 0 else { continue }
            func add(_ s: inout Sums) {
                s.collected = s.collected.addingSaturated(f.collected); s.refunded = s.refunded.addingSaturated(f.refunded)
                s.matched = s.matched.addingSaturated(f.matched); s.ids.append(g.id)
            }
            let cur = g.amount.currency
            add(&perCurrency[cur, default: Sums()])
            let giver = givers[g.id]
            add(&byGender[giver?.gender ?? "unknown", default: [:]][cur, default: Sums()])
            add(&byCountry[giver?.country ?? "unknown", default: [:]][cur, default: Sums()])
        }
        func rows(_ m: [String: Sums]) -> JSON {
            .array(m.keys.sorted().compactMap { cur in
                m[cur].map { s in
                    var o = JSONObject([("currency", .string(cur)), ("collected", .int(s.collected)), ("refunded", .int(s.refunded)), ("matched", .int(s.matched))])
                    if provenance { o["gifts"] = .strings(s.ids) }
                    return .object(o)
                }
            })
        }
        func groups(_ m: [String: [String: Sums]]) -> JSON {
            .object(JSONObject(m.keys.sorted().map { k in (k, rows(m[k] ?? [:])) }))
        }
        var o = JSONObject([("as_of", .string(asOf.description)), ("territory", .optional(territory)), ("per_currency", rows(perCurrency))])
        if let to = reportingCurrency {
            var total = (collected: Int64(0), refunded: Int64(0), matched: Int64(0)), used: [JSON] = [], unconverted: [String] = []
            for cur in perCurrency.keys.sorted() {
                guard let s = perCurrency[cur] else { continue }
                var convert: (Int64) -> Int64? = { $0 }
                if cur != to {
                    guard let rate = ExchangeRate.newest(rates, from: cur, to: to, on: asOf) else { unconverted.append(cur); continue }
                    convert = { rate.convert($0) }
                    used.append(rate.json)
                }
                guard let a = convert(s.collected), let b = convert(s.refunded), let m = convert(s.matched) else { unconverted.append(cur); continue }
                total = (total.collected.addingSaturated(a), total.refunded.addingSaturated(b), total.matched.addingSaturated(m))
            }
            o["converted"] = .object(JSONObject([("currency", .string(to)), ("collected", .int(total.collected)), ("refunded", .int(total.refunded)),
                                                 ("matched", .int(total.matched)), ("rates_used", .array(used)), ("unconverted", .strings(unconverted))]))
        }
        let settled = campaigns.filter { c in inTerritory(c.project) && (c.settledOn.map { $0 <= asOf } ?? false) }
        let succeeded = settled.filter { $0.status == .succeeded }.map(\.id), failed = settled.filter { $0.status == .failed }.map(\.id)
        var camp = JSONObject([("succeeded", .int(Int64(succeeded.count))), ("failed", .int(Int64(failed.count)))])
        if provenance { camp["succeeded_ids"] = .strings(succeeded); camp["failed_ids"] = .strings(failed) }
        o["campaigns"] = .object(camp)
        let checked = plansChecked.filter(inTerritory), meeting = plansMeeting.filter(inTerritory)
        var plans = JSONObject([("checked", .int(Int64(checked.count))), ("meeting_every_rule", .int(Int64(meeting.count))),
                                ("share", checked.isEmpty ? .null : .double(Double(meeting.count) / Double(checked.count)))])
        if provenance { plans["projects"] = .strings(meeting) }
        o["plans"] = .object(plans)
        o["by_gender"] = groups(byGender)
        o["by_country_of_residence"] = groups(byCountry)
        return .object(o)
    }
}
