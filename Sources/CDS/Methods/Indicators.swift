import CDSCore
import CDSStore

enum IndicatorMethods {
    static let ids = Schema.string(maxLength: 64, values: IndicatorID.codes)

    static let all: [Method] = [
        Method("indicators.definitions", "The built-in indicators: id, label, exact definition, default and current target.", []) { c throws(CDSError) in
            let targets = try c.db.store.indicatorTargets()
            return ["indicators": .array(IndicatorID.allCases.map { id in
                ["id": .string(id.rawValue), "label": .string(id.labels.label(c.locale)), "labels": id.labels.json, "definition": .string(id.definition),
                 "counts": .string(id.counts), "people": .bool(id.countsPeople),
                 "default_target": id.defaultTarget.map(JSON.double) ?? .null, "target": (targets[id] ?? id.defaultTarget).map(JSON.double) ?? .null]
            })]
        },
        Method("indicators.compute", "The indicators as of a date (from the event log), for a territory, as a series per month, quarter or year, disaggregated, with provenance.",
               [.init("as_of", .date, "the date (default: today)"),
                .init("territory", .string(maxLength: 20), "a commune, province or region (a province includes its communes)"),
                .init("indicators", .array(ids, maxItems: 20), "only these (default: all)"),
                .init("period", .vocabulary(Period.self), "a series: month, quarter or year, with from and until"),
                .init("from", .date, "the series' first day"), .init("until", .date, "the series' last day"),
                .init("disaggregate", .string(maxLength: 32, values: ["gender", "country_of_residence"]), "split the people indicators"),
                .init("suppress_small_cells", .boolean, "hide cells of fewer than 5 people"),
                .init("provenance", .boolean, "list the ids behind each figure"),
                .init("reporting_currency", .string(maxLength: 3), "the currency finance is converted into (default MAD)"),
                .init("rates", .array(.object([
                    .init("from", .string(maxLength: 3), required: true, "the currency converted"),
                    .init("rate", .string(maxLength: 24), required: true, "units of the reporting currency for one unit, as a decimal text: \"10.85\""),
                    .init("on", .date, required: true, "the day the rate applies from"),
                ]), maxItems: 1000), "the dated rate table")]) { c throws(CDSError) in
            let p = c.params
            let store = c.db.store
            var q = IndicatorQuery(asOf: try p.date("as_of") ?? store.now.date)
            if let t = p.string("territory") { _ = try store.territoryForField(t, field: "territory"); q.territory = t }
            q.ids = try p.terms("indicators", IndicatorID.self) ?? []
            q.provenance = p.bool("provenance") ?? false
            q.disaggregate = p.string("disaggregate").map { $0 == "gender" ? "gender" : "country" }
            q.suppressSmallCells = p.bool("suppress_small_cells") ?? false
            q.reportingCurrency = p.string("reporting_currency") ?? "MAD"
            for (n, r) in (p.objects("rates") ?? []).enumerated() {
                guard let on = r["on"]?.stringValue.flatMap(LocalDate.init) else { throw CDSError.invalid("rates[\(n)].on", "must be a date") }
                q.rates.append(try ExchangeRate(from: r["from"]?.stringValue ?? "", to: q.reportingCurrency, rate: r["rate"]?.stringValue ?? "", on: on))
            }
            q.targets = try store.indicatorTargets()
            guard let period = try p.term("period", Period.self) else {
                if p.has("from") || p.has("until") { throw CDSError.invalid("period", "is required with from and until") }
                return try store.withIndicatorEngine { $0.report(q, locale: c.locale) }
            }
            guard let from = try p.date("from"), let until = try p.date("until") else { throw CDSError.invalid("from", "a series needs from and until") }
            guard from <= until else { throw CDSError.invalid("from", "must not be after until") }
            let periods = period.periods(from: from, until: until)
            // One report per period, checking for cds_interrupt between them.
            func series(_ periods: [(name: String, end: LocalDate)], _ engine: IndicatorEngine) throws(CDSError) -> [JSON] {
                var out: [JSON] = []
                for (name, end) in periods {
                    try c.stop.check()
                    var qq = q
                    qq.asOf = end
                    var o = engine.report(qq, locale: c.locale).objectValue ?? JSONObject()
                    o["period"] = .string(name)
                    out.append(.object(o))
                }
                return out
            }
            guard periods.count <= 600 else { throw CDSError.invalid("from", "a series has at most 600 periods") }
            return ["period": .string(period.rawValue), "from": .string(from.description), "until": .string(until.description),
                    "territory": q.territory.map(JSON.string) ?? .null,
                    "series": .array(try store.withIndicatorEngine { (engine) throws(CDSError) in try series(periods, engine) })]
        },
        Method("indicators.set_target", "Sets this CDS's target for an indicator.", mutating: true,
               [.init("id", ids, required: true, "the indicator"), .init("target", .number, required: true, "the target, at least 0")]) { c throws(CDSError) in
            guard let id = try c.params.term("id", IndicatorID.self) else { throw CDSError.invalid("id", "is required") }
            let target: Double
            switch c.params.value("target") {
            case .int(let i)?: target = Double(i)
            case .double(let d)?: target = d
            default: throw CDSError.invalid("target", "is required")
            }
            try c.db.store.setIndicatorTarget(id, target: target, change: c.change)
            return ["id": .string(id.rawValue), "target": .double(target)]
        },
    ]
}
