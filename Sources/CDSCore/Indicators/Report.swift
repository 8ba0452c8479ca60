/// How an indicator report is asked for.
public struct IndicatorQuery: Sendable {
    /// The date of the values.
    public var asOf: LocalDate
    /// The territory ("" or nil for the whole CDS): a commune, province or region code.
    public var territory: String?
    /// Only these indicators (all when empty).
    public var ids: [IndicatorID] = []
    /// List the ids behind each figure.
    public var provenance = false
    /// Disaggregate the people indicators by `gender` or `country_of_residence`.
    public var disaggregate: String? = nil
    /// Cells of fewer than 5 people are suppressed.
    public var suppressSmallCells = false
    /// The reporting currency for finance.
    public var reportingCurrency = "MAD"
    /// The dated rate table for finance.
    public var rates: [ExchangeRate] = []
    /// Targets a CDS set, replacing the defaults.
    public var targets: [IndicatorID: Double] = [:]

    /// A query for a date.
    public init(asOf: LocalDate) { self.asOf = asOf }

    /// The smallest cell shown when suppression is asked.
    public static let smallCell = 5
}

/// The periods of a series.
public enum Period: String, Vocabulary {
    case month, quarter, year
    public var labels: Labels {
        switch self {
        case .month: Labels(fr: "Mois", ar: "شهر", en: "Month")
        case .quarter: Labels(fr: "Trimestre", ar: "فصل", en: "Quarter")
        case .year: Labels(fr: "Année", ar: "سنة", en: "Year")
        }
    }

    /// The periods between two dates: each with its name and its last day (capped at `until`).
    public func periods(from: LocalDate, until: LocalDate) -> [(name: String, end: LocalDate)] {
        var out: [(String, LocalDate)] = []
        var y = from.year, m = from.month
        let step = self == .month ? 1 : self == .quarter ? 3 : 12
        if self == .quarter { m = (m - 1) / 3 * 3 + 1 }
        if self == .year { m = 1 }
        while true {
            var ey = y, em = m + step - 1
            if em > 12 { ey += 1; em -= 12 }
            guard let end = LocalDate(year: ey, month: em, day: LocalDate.daysIn(month: em, year: ey)) else { break }
            let name: String
            switch self {
            case .month: name = "\(y)-" + (m < 10 ? "0" : "") + "\(m)"
            case .quarter: name = "\(y)-Q\((m - 1) / 3 + 1)"
            case .year: name = "\(y)"
            }
            out.append((name, min(end, until)))
            if end >= until { break }
            m += step
            if m > 12 { y += 1; m -= 12 }
        }
        return out
    }
}

extension IndicatorEngine {
    /// The report of the query: every indicator with its label, value, target and progress.
    public func report(_ q: IndicatorQuery, locale: Locale) -> JSON {
        let day = q.asOf.daysSinceEpoch
        let key = q.territory ?? ""
        let wanted = q.ids.isEmpty ? IndicatorID.allCases : q.ids
        var items: [JSON] = []
        for id in wanted {
            var o: JSONObject = ["id": .string(id.rawValue), "label": .string(id.labels.label(locale))]
            let target = q.targets[id] ?? id.defaultTarget
            var value: JSON = .null
            var ids: [String] = []
            switch id {
            case .migrantsMobilized, .collectivitiesEngaged, .collectivitiesWithCompetentADC, .actorsLinked, .territoriesConnected, .activeMembers:
                // The ids only when they are asked for (provenance) or needed (disaggregation): a count is two binary searches.
                if q.provenance || (id.countsPeople && q.disaggregate != nil) {
                    ids = counted(id, day: day, territory: key)
                    value = .int(Int64(ids.count))
                } else {
                    value = .int(Int64(count(id, day: day, territory: key)))
                }
                if id.countsPeople, let by = q.disaggregate { o["disaggregation"] = disaggregation(ids, by: by, day: day, suppress: q.suppressSmallCells) }
            case .projectsByStage:
                let byStage = projectsByStage(day: day, key: key)
                var breakdown = JSONObject()
                for s in Stage.allCases { breakdown[s.rawValue] = .int(Int64(byStage[s.rawValue]?.count ?? 0)) }
                o["breakdown"] = .object(breakdown)
                ids = byStage.filter { $0.key != "rejected" && $0.key != "abandoned" }.flatMap(\.value).sorted()
                value = .int(Int64(ids.count))
            case .medianDaysIdeaToReady:
                // Ties by id: the projects come from a dictionary, whose order changes from run to run.
                let days = daysToReady(day: day, key: key).sorted { ($0.days, $0.project) < ($1.days, $1.project) }
                ids = days.map(\.project)
                if !days.isEmpty {
                    let n = days.count
                    value = n % 2 == 1 ? .int(Int64(days[n / 2].days)) : .double(Double(days[n / 2 - 1].days + days[n / 2].days) / 2)
                }
            case .financeConfirmed:
                let sums = finance(day: day, key: key)
                if q.provenance { ids = inPledgeOrder(financeIDs(day: day, key: key)) }
                var byStatus = JSONObject()
                for s in ["pledged", "confirmed", "delivered"] {
                    byStatus[s] = .array((sums[s] ?? [:]).sorted { $0.key < $1.key }.map { Money(minor: $0.value, currency: $0.key).json })
                }
                o["breakdown"] = .object(byStatus)
                var total: Int64 = 0
                var used: [JSON] = []
                var unconverted: [String] = []
                for s in ["confirmed", "delivered"] {
                    for (cur, minor) in (sums[s] ?? [:]).sorted(by: { $0.key < $1.key }) {
                        var converted: Int64? = cur == q.reportingCurrency ? minor : nil
                        if converted == nil, let rate = q.rates.filter({ $0.from == cur && $0.to == q.reportingCurrency && $0.on <= q.asOf }).max(by: { $0.on < $1.on }) {
                            converted = rate.convert(minor)
                            if !used.contains(rate.json) { used.append(rate.json) }
                        }
                        if let c = converted { total = total.addingSaturated(c) } else { unconverted.append(cur) }
                    }
                }
                value = .int(total)
                o["money"] = Money(minor: total, currency: q.reportingCurrency).json
                o["rates_used"] = .array(used)
                o["unconverted"] = .strings(Array(Set(unconverted)).sorted())
            case .needsCovered:
                let n = needCounts(day: day, key: key)
                if q.provenance { ids = needsCovered(day: day, key: key).covered.sorted() }
                value = n.total == 0 ? .null : .double(Double(n.covered) / Double(n.total))
                o["covered"] = .int(Int64(n.covered))
                o["needs"] = .int(Int64(n.total))
            case .matchAcceptanceRate:
                let m = matchCounts(day: day, key: key)
                if q.provenance { ids = matchDecisions(day: day, key: key).accepted.sorted() }
                let decided = m.accepted + m.declined
                value = decided == 0 ? .null : .double(Double(m.accepted) / Double(decided))
                o["proposed"] = .int(Int64(m.proposed))
                o["accepted"] = .int(Int64(m.accepted))
                o["declined"] = .int(Int64(m.declined))
            }
            o["value"] = value
            o["target"] = target.map(JSON.double) ?? .null
            var progress: JSON = .null
            if let t = target, t > 0 {
                switch value {
                case .int(let v): progress = .double(Double(v) / t)
                case .double(let v): progress = .double(v / t)
                default: break
                }
            }
            o["progress"] = progress
            o["counts"] = .string(id.counts)
            if q.provenance { o["ids"] = .strings(ids) }
            items.append(.object(o))
        }
        return ["as_of": .string(q.asOf.description), "territory": q.territory.map(JSON.string) ?? .null, "indicators": .array(items)]
    }

    /// Counts of the people by gender or country on a day; small cells suppressed on request.
    func disaggregation(_ members: [String], by: String, day: Int, suppress: Bool) -> JSON {
        var cells: [String: Int] = [:]
        for m in members {
            let p = memberProfile(m, day: day)
            let k = by == "gender" ? (p?.gender ?? "undisclosed") : (p?.country ?? "")
            cells[k, default: 0] += 1
        }
        return .array(cells.sorted { $0.key < $1.key }.map { k, n in
            let hidden = suppress && n < IndicatorQuery.smallCell
            return ["key": .string(k), "value": hidden ? .null : .int(Int64(n)), "suppressed": .bool(hidden)]
        })
    }
}
