import CDSCore
import GRDB

extension Store {
    /// The newest version of every programme, by id.
    static func latestProgrammes(_ db: Database) throws -> [String: FundingProgramme] {
        let all = try documents(db, "programme", sql: """
            SELECT p.doc FROM programme p WHERE p.version = (SELECT max(version) FROM programme q WHERE q.id = p.id) ORDER BY p.id
            """) { j throws(CDSError) in try FundingProgramme(stored: j) }
        return Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    static func insertProgramme(_ db: Database, _ p: FundingProgramme, at: Instant) throws {
        try exec(db, sql: "INSERT INTO programme(id, version, builtin, doc, defined_at) VALUES (?, ?, ?, ?, ?)",
                 arguments: [p.id, p.version, p.builtin ? 1 : 0, p.json.text, at.millisecondsSinceEpoch])
    }

    /// Adds each shipped programme whose definition is not the newest builtin version of
    /// its id (a first open, or a release that changed it); a CDS's own newer version stays newest.
    static func loadBuiltinProgrammes(_ db: Database, at: Instant) throws {
        for text in BuiltinProgrammes.definitions {
            var p = try FundingProgramme(json: try JSON.parse(text))
            p.builtin = true
            let latest = try latestProgrammes(db)[p.id]
            if let l = latest {
                guard l.builtin else { continue }
                var same = l
                same.version = p.version
                if same == p { continue }
            }
            p.version = (latest?.version ?? 0) + 1
            try insertProgramme(db, p, at: at)
        }
    }

    /// Defines a programme, or a new version of one (the versions before stay); logs `programme.defined`.
    public func defineProgramme(_ p: FundingProgramme, change: Change = Change()) throws(CDSError) -> FundingProgramme {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            try p.validate()
            var x = p
            x.builtin = false
            let last = try Int64.fetchOne(db, sql: "SELECT max(version) FROM programme WHERE id = ?", arguments: [p.id]) ?? 0
            x.version = last.addingSaturated(1)
            let at = change.at ?? now
            try Store.insertProgramme(db, x, at: at)
            try Store.appendEvent(db, type: .programmeDefined, subject: x.id, change: change, recordedAt: now, payload: FinanceEvents.payload(x.json))
            return x
        }
    }

    /// The programme `id` (its newest version, or `version`), or `not_found`.
    public func programme(_ id: String, version: Int64? = nil) throws(CDSError) -> FundingProgramme {
        let p = try read { db in
            try Store.documents(db, "programme", sql: "SELECT doc FROM programme WHERE id = ? AND (? IS NULL OR version = ?) ORDER BY version DESC LIMIT 1",
                                arguments: [id, version, version]) { j throws(CDSError) in try FundingProgramme(stored: j) }.first
        }
        guard let p else { throw CDSError.notFound("programme", version.map { "\(id) v\($0)" } ?? id) }
        return p
    }

    /// The newest version of every programme, by id.
    public func programmes() throws(CDSError) -> [FundingProgramme] {
        try read { db in try Store.latestProgrammes(db).values.sorted { $0.id < $1.id } }
    }

    /// Sets a valuation rate of the CDS (a new day for a key adds a rate; the same day replaces
    /// nothing: it is a conflict); logs `valuation.set`.
    public func setValuationRate(_ r: ValuationRate, change: Change = Change()) throws(CDSError) -> ValuationRate {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            try Store.checkCodes(db, [r.unitValue.currency], dataset: "currencies", field: "unit_value.currency")
            if try Store.storedRow(db, "valuation_rate", sql: "SELECT seq FROM valuation_rate WHERE key = ? AND from_on = ?", arguments: [r.key, r.from.description]) != nil {
                throw CDSError(.conflict, "the rate \(r.key) from \(r.from) is set already: set it from another day", details: ["field": "from"])
            }
            try Store.exec(db, sql: "INSERT INTO valuation_rate(key, from_on, doc, set_at) VALUES (?, ?, ?, ?)",
                           arguments: [r.key, r.from.description, r.json.text, (change.at ?? now).millisecondsSinceEpoch])
            try Store.appendEvent(db, type: .valuationSet, subject: r.key, change: change, recordedAt: now, payload: FinanceEvents.payload(r.json))
            return r
        }
    }

    static func valuationRates(_ db: Database) throws -> [ValuationRate] {
        try documents(db, "valuation_rate", sql: "SELECT doc FROM valuation_rate ORDER BY key, from_on") { j throws(CDSError) in try ValuationRate(json: j, path: "") }
    }

    /// Every valuation rate, by key and day.
    public func valuationRates() throws(CDSError) -> [ValuationRate] { try read { db in try Store.valuationRates(db) } }

    /// Sets a dated exchange rate of the CDS: conversions of gifts and of programmes' caps use
    /// the newest on or before their day; logs `rate.set`.
    public func setExchangeRate(_ r: ExchangeRate, change: Change = Change()) throws(CDSError) -> ExchangeRate {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            try Store.checkCodes(db, [r.from], dataset: "currencies", field: "from")
            try Store.checkCodes(db, [r.to], dataset: "currencies", field: "to")
            guard r.from != r.to else { throw CDSError.invalid("to", "must differ from from") }
            if try Store.storedRow(db, "exchange_rate", sql: "SELECT seq FROM exchange_rate WHERE from_currency = ? AND to_currency = ? AND on_day = ?",
                                   arguments: [r.from, r.to, r.on.description]) != nil {
                throw CDSError(.conflict, "a rate from \(r.from) to \(r.to) on \(r.on) is set already", details: ["field": "on"])
            }
            try Store.exec(db, sql: "INSERT INTO exchange_rate(from_currency, to_currency, on_day, micro_rate, set_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [r.from, r.to, r.on.description, r.microRate, (change.at ?? now).millisecondsSinceEpoch])
            try Store.appendEvent(db, type: .rateSet, subject: "\(r.from)/\(r.to)", change: change, recordedAt: now, payload: FinanceEvents.payload(r.json))
            return r
        }
    }

    static func exchangeRates(_ db: Database) throws -> [ExchangeRate] {
        try storedRows(db, "exchange_rate", sql: "SELECT from_currency, to_currency, on_day, micro_rate FROM exchange_rate ORDER BY from_currency, to_currency, on_day")
            .map { r throws(CDSError) in
                ExchangeRate(from: try r.text("from_currency"), to: try r.text("to_currency"), microRate: try r.value("micro_rate", Int64.self), on: try r.date("on_day"))
            }
    }

    /// Every exchange rate of the CDS.
    public func exchangeRates() throws(CDSError) -> [ExchangeRate] { try read { db in try Store.exchangeRates(db) } }

    /// What the co-financing check of `p` reads on `day`.
    static func fundingContext(_ db: Database, _ p: Project, on day: LocalDate, whatIf: Bool = false) throws -> FundingContext {
        var kinds: [String: OrganizationKind] = [:]
        for o in Set(p.fundingPlan.compactMap(\.organization)) {
            if let r = try storedRow(db, "organization", sql: "SELECT kind FROM organization WHERE id = ?", arguments: [o]) { kinds[o] = try r.code("kind", OrganizationKind.self) }
        }
        let drawsOnAProgramme = whatIf || p.fundingPlan.contains { $0.programme != nil }
        guard drawsOnAProgramme else { return FundingContext(organizationKinds: kinds, on: day) }
        return FundingContext(programmes: try latestProgrammes(db), valuations: try valuationRates(db), rates: try exchangeRates(db), organizationKinds: kinds, on: day)
    }

    /// Each programme the project's plan draws on, checked on `day`, then each of `also` as
    /// if the plan applied to it (each must be a programme the CDS defines). Changes nothing.
    public func fundingCheck(_ id: String, on day: LocalDate, also: [String] = []) throws(CDSError) -> (project: Project, checks: [ProgrammeCheck]) {
        try read { db in
            guard let p = try Store.fetchProject(db, id) else { throw CDSError.notFound("project", id) }
            let ctx = try Store.fundingContext(db, p, on: day, whatIf: !also.isEmpty)
            for (n, x) in also.enumerated() where ctx.programmes[x] == nil { throw CDSError.invalid("programmes[\(n)]", "no programme \"\(x)\" (see programme.list)") }
            return (p, FundingCheck.check(p, ctx, also: also))
        }
    }

    /// A funding source names a programme the CDS defines.
    static func checkProgrammes(_ db: Database, _ p: Project) throws {
        for (n, s) in p.fundingPlan.enumerated() {
            if let id = s.programme, try storedRow(db, "programme", sql: "SELECT seq FROM programme WHERE id = ? LIMIT 1", arguments: [id]) == nil {
                throw CDSError.invalid("funding_plan[\(n)].programme", "no programme \"\(id)\" (see programme.list)")
            }
        }
    }
}
