/// A text in several languages (`{"fr": "…", "ar": "…"}`), keys ISO 639 codes.
public struct LocalizedText: Sendable, Equatable {
    /// The texts by language, in the order given.
    public var entries: [(language: String, text: String)]

    /// No text.
    public init() { entries = [] }

    /// True when there is no text.
    public var isEmpty: Bool { entries.isEmpty }

    /// The text in `locale`, else French, else the first.
    public func text(_ locale: Locale) -> String? {
        entries.first { $0.language == locale.rawValue }?.text ?? entries.first { $0.language == "fr" }?.text ?? entries.first?.text
    }

    /// The declared shape of a text of at most `max` characters in each of up to 10 languages.
    public static func schema(max: Int) -> Schema { .map(.text(maxLength: max), maxItems: 10) }

    /// Reads `{"fr": "…", "ar": "…"}`: language codes of 2 or 3 letters, texts of at most `max` characters.
    public init(json: JSON?, field: String, max: Int) throws(CDSError) {
        entries = []
        guard let json, !json.isNull else { return }
        guard let o = json.objectValue else { throw CDSError.invalid(field, "must be an object keyed by language, e.g. {\"fr\": \"…\", \"ar\": \"…\"}") }
        for (k, v) in o {
            guard (2...3).contains(k.count), k.utf8.allSatisfy({ $0 >= 97 && $0 <= 122 }) else {
                throw CDSError.invalid("\(field).\(k)", "must be an ISO 639 language code such as fr, ar, en, zgh")
            }
            guard let s = v.stringValue else { throw CDSError.invalid("\(field).\(k)", "must be a string") }
            if let t = try Validate.optionalText(s, field: "\(field).\(k)", max: max) { entries.append((k, t)) }
        }
    }

    public static func == (a: LocalizedText, b: LocalizedText) -> Bool {
        a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0.language == $1.language && $0.text == $1.text }
    }

    /// The JSON object.
    public var json: JSON { .object(JSONObject(entries.map { ($0.language, JSON.string($0.text)) })) }
}

/// IATI organisation roles of a project's partners.
public enum PartnerRole: String, Vocabulary {
    case funding, accountable, extending, implementing
    /// The IATI 2.03 OrganisationRole code.
    public var iatiCode: Int { switch self { case .funding: 1; case .accountable: 2; case .extending: 3; case .implementing: 4 } }
    public var labels: Labels {
        switch self {
        case .funding: Labels(fr: "Financement", ar: "تمويل", en: "Funding")
        case .accountable: Labels(fr: "Responsabilité", ar: "مسؤولية", en: "Accountable")
        case .extending: Labels(fr: "Octroi", ar: "تدبير التمويل", en: "Extending")
        case .implementing: Labels(fr: "Mise en œuvre", ar: "تنفيذ", en: "Implementing")
        }
    }
}

/// Categories of budget lines.
public enum BudgetCategory: String, Vocabulary {
    case works, equipment, studies, training, personnel, operations, communication, contingency, other
    public var labels: Labels {
        switch self {
        case .works: Labels(fr: "Travaux", ar: "أشغال", en: "Works")
        case .equipment: Labels(fr: "Équipements", ar: "تجهيزات", en: "Equipment")
        case .studies: Labels(fr: "Études", ar: "دراسات", en: "Studies")
        case .training: Labels(fr: "Formation", ar: "تكوين", en: "Training")
        case .personnel: Labels(fr: "Personnel", ar: "موارد بشرية", en: "Personnel")
        case .operations: Labels(fr: "Fonctionnement", ar: "تسيير", en: "Operations")
        case .communication: Labels(fr: "Communication", ar: "تواصل", en: "Communication")
        case .contingency: Labels(fr: "Imprévus", ar: "نفقات طارئة", en: "Contingency")
        case .other: Labels(fr: "Autre", ar: "أخرى", en: "Other")
        }
    }
}

/// Whether a source of the funding plan is expected or confirmed.
public enum FundingStatus: String, Vocabulary {
    case expected, confirmed
    public var labels: Labels {
        switch self {
        case .expected: Labels(fr: "Attendu", ar: "متوقع", en: "Expected")
        case .confirmed: Labels(fr: "Confirmé", ar: "مؤكد", en: "Confirmed")
        }
    }
}

/// A partner of a project with its IATI role.
public struct Partner: Sendable, Equatable {
    /// The organization's id.
    public var organization: String
    /// Its role.
    public var role: PartnerRole
    /// `{"organization", "role"}`.
    public var json: JSON { ["organization": .string(organization), "role": .string(role.rawValue)] }
    /// The declared shape.
    public static let schema = Schema.object([
        .init("organization", .id, required: true, "the partner organization's id"),
        .init("role", .vocabulary(PartnerRole.self), required: true, "IATI role: funding, accountable, extending, implementing"),
    ])
    /// Reads a partner.
    public init(json: JSON, path: String) throws(CDSError) {
        let r = try JSONReader(json, path: path, schema: Partner.schema)
        organization = try r.requiredText("organization", max: 100)
        guard let role = try r.term("role", PartnerRole.self) else { throw CDSError.invalid(r.at("role"), "is required") }
        self.role = role
    }
}

/// Who benefits: total, women and youth.
public struct Beneficiaries: Sendable, Equatable {
    /// Everyone.
    public var total: Int64
    /// Women among them.
    public var women: Int64
    /// Young people among them.
    public var youth: Int64
    /// `{"total", "women", "youth"}`.
    public var json: JSON { ["total": .int(total), "women": .int(women), "youth": .int(youth)] }
    /// The declared shape: counts from 0 to `Limits.people`.
    public static let schema = Schema.object([
        .init("total", .integer(min: 0, max: Limits.people), required: true, "everyone who benefits"),
        .init("women", .integer(min: 0, max: Limits.people), "women among them"),
        .init("youth", .integer(min: 0, max: Limits.people), "young people among them"),
    ])
    /// Reads the counts; women and youth are part of the total.
    public init(json: JSON, path: String) throws(CDSError) {
        let r = try JSONReader(json, path: path, schema: Beneficiaries.schema)
        guard let t = try r.integer("total", in: 0...Limits.people) else { throw CDSError.invalid(r.at("total"), "is required") }
        total = t
        women = try r.integer("women", in: 0...Limits.people) ?? 0
        youth = try r.integer("youth", in: 0...Limits.people) ?? 0
        guard women <= total else { throw CDSError.invalid(r.at("women"), "cannot exceed the total") }
        guard youth <= total else { throw CDSError.invalid(r.at("youth"), "cannot exceed the total") }
    }
}

/// The logical framework of a project.
public struct Logframe: Sendable, Equatable {
    /// An indicator of a result: what is measured, in what unit, from where to where.
    public struct Indicator: Sendable, Equatable {
        public var name: String
        public var unit: String?
        public var baseline: Double?
        public var target: Double?
        /// The value reached so far (what an IATI result reports as actual).
        public var actual: Double?
    }
    /// A result with its indicators.
    public struct Result: Sendable, Equatable {
        public var title: String
        public var indicators: [Indicator]
    }
    /// An activity with its dates and who is responsible.
    public struct Activity: Sendable, Equatable {
        public var title: String
        public var startOn: LocalDate?
        public var endOn: LocalDate?
        public var responsible: String?
    }

    /// The overall goal.
    public var goal: String?
    /// The specific objective.
    public var specificObjective: String?
    /// The expected results.
    public var results: [Result]
    /// The activities.
    public var activities: [Activity]
    /// Assumptions.
    public var assumptions: [String]
    /// Risks.
    public var risks: [String]

    /// The declared shape of an indicator.
    static let indicatorSchema = Schema.object([
        .init("name", .text(maxLength: Limits.name), required: true, "what is measured"),
        .init("unit", .nullable(.text(maxLength: Limits.reference)), "its unit"),
        .init("baseline", .nullable(.number), "the value at the start"),
        .init("target", .nullable(.number), "the value to reach"),
        .init("actual", .nullable(.number), "the value reached so far"),
    ])
    /// The declared shape of a result.
    static let resultSchema = Schema.object([
        .init("title", .text(maxLength: Limits.note), required: true, "the expected result"),
        .init("indicators", .array(indicatorSchema, maxItems: 20), "its indicators"),
    ])
    /// The declared shape of an activity.
    static let activitySchema = Schema.object([
        .init("title", .text(maxLength: Limits.note), required: true, "what is done"),
        .init("start_on", .nullable(.date), "start"), .init("end_on", .nullable(.date), "end"),
        .init("responsible", .nullable(.text(maxLength: Limits.name)), "who is responsible"),
    ])
    /// The declared shape of a logframe.
    public static let schema = Schema.object([
        .init("goal", .nullable(.text(maxLength: Limits.note)), "the overall goal"),
        .init("specific_objective", .nullable(.text(maxLength: Limits.note)), "the specific objective"),
        .init("results", .array(resultSchema, maxItems: 50), "expected results"),
        .init("activities", .array(activitySchema, maxItems: 200), "activities"),
        .init("assumptions", .array(.text(maxLength: Limits.note), maxItems: 50), "assumptions"),
        .init("risks", .array(.text(maxLength: Limits.note), maxItems: 50), "risks"),
    ])

    /// Reads a logframe as `schema` declares it; an activity cannot end before it starts.
    public init(json: JSON, path: String) throws(CDSError) {
        let r = try JSONReader(json, path: path, schema: Logframe.schema)
        goal = try r.text("goal")
        specificObjective = try r.text("specific_objective")
        results = try r.list("results", max: 50) { (v, p) throws(CDSError) in
            let rr = try JSONReader(v, path: p, schema: Logframe.resultSchema)
            return Result(title: try rr.requiredText("title"), indicators: try rr.list("indicators", max: 20) { (iv, ip) throws(CDSError) in
                let ir = try JSONReader(iv, path: ip, schema: Logframe.indicatorSchema)
                return Indicator(name: try ir.requiredText("name"), unit: try ir.text("unit"),
                                 baseline: try ir.number("baseline"), target: try ir.number("target"), actual: try ir.number("actual"))
            })
        }
        activities = try r.list("activities", max: 200) { (v, p) throws(CDSError) in
            let ar = try JSONReader(v, path: p, schema: Logframe.activitySchema)
            let a = Activity(title: try ar.requiredText("title"), startOn: try ar.date("start_on"), endOn: try ar.date("end_on"),
                             responsible: try ar.text("responsible"))
            if let s = a.startOn, let e = a.endOn, e < s { throw CDSError.invalid(ar.at("end_on"), "must not be before start_on") }
            return a
        }
        assumptions = try r.texts("assumptions", max: 50, length: Limits.note)
        risks = try r.texts("risks", max: 50, length: Limits.note)
    }

    /// The JSON shape.
    public var json: JSON {
        func num(_ d: Double?) -> JSON { d.map(JSON.double) ?? .null }
        return .object(JSONObject([
            ("goal", .optional(goal)), ("specific_objective", .optional(specificObjective)),
            ("results", .array(results.map { r in
                ["title": .string(r.title), "indicators": .array(r.indicators.map { i in
                    var o: JSONObject = ["name": .string(i.name), "unit": .optional(i.unit), "baseline": num(i.baseline), "target": num(i.target)]
                    // Added after 0.1.0: present only when known, so older projects answer as they did.
                    if let a = i.actual { o["actual"] = .double(a) }
                    return .object(o)
                })]
            })),
            ("activities", .array(activities.map { a in
                ["title": .string(a.title), "start_on": .optional(a.startOn?.description), "end_on": .optional(a.endOn?.description),
                 "responsible": .optional(a.responsible)]
            })),
            ("assumptions", .strings(assumptions)), ("risks", .strings(risks)),
        ]))
    }
}

/// A budget in one currency, by lines.
public struct Budget: Sendable, Equatable {
    /// A line of the budget.
    public struct Line: Sendable, Equatable {
        public var category: BudgetCategory
        public var label: String
        public var amount: Money
    }
    /// The currency of every line.
    public var currency: String
    /// The lines.
    public var lines: [Line]
    /// The total, in minor units (checked not to overflow).
    public let total: Int64

    /// The declared shape of a line.
    static let lineSchema = Schema.object([
        .init("category", .vocabulary(BudgetCategory.self), required: true, "works, equipment, studies…"),
        .init("label", .text(maxLength: Limits.name), required: true, "what it pays for"),
        .init("amount", Money.schema, required: true, "how much"),
    ])
    /// The declared shape of a budget.
    public static let schema = Schema.object([
        .init("currency", .string(maxLength: 3), required: true, "the one currency of every line"),
        .init("lines", .array(lineSchema, maxItems: 500), required: true, "the lines"),
        .init("total", Money.schema, "the sum of the lines, as answered; when given, it must equal that sum"),
    ])

    /// Reads a budget: every line in the budget's currency, no negative amount, a total that fits.
    public init(json: JSON, path: String) throws(CDSError) {
        let r = try JSONReader(json, path: path, schema: Budget.schema)
        let currency = try r.requiredText("currency", max: 3)
        self.currency = currency
        lines = try r.list("lines", max: 500) { (v, p) throws(CDSError) in
            let lr = try JSONReader(v, path: p, schema: Budget.lineSchema)
            guard let c = try lr.term("category", BudgetCategory.self) else { throw CDSError.invalid(lr.at("category"), "is required") }
            return Line(category: c, label: try lr.requiredText("label"), amount: try Money(json: lr.object["amount"], field: lr.at("amount")))
        }
        total = try Money.sum(lines.enumerated().map { ($1.amount, "\(r.at("lines"))[\($0)].amount.currency") }, currency: currency, field: r.at("lines"))
        if let given = r.object["total"], try Money(json: given, field: r.at("total")) != Money(minor: total, currency: currency) {
            throw CDSError.invalid(r.at("total"), "must equal the sum of the lines, \(total) \(currency)")
        }
    }

    /// The JSON shape, with the total.
    public var json: JSON {
        ["currency": .string(currency),
         "lines": .array(lines.map { ["category": .string($0.category.rawValue), "label": .string($0.label), "amount": $0.amount.json] }),
         "total": Money(minor: total, currency: currency).json]
    }
}

/// A source of the funding plan.
public struct FundingSource: Sendable, Equatable {
    /// Who funds, in words (commune, INDH, diaspora…).
    public var label: String
    /// The funding organization, when it is one of the CDS.
    public var organization: String?
    /// How much.
    public var amount: Money
    /// Expected or confirmed.
    public var status: FundingStatus
    /// The co-financing programme this source is a grant of (its id), if any.
    public var programme: String?
    /// Where it comes from, as programmes classify it (else read from the organization's kind).
    public var origin: SourceOrigin?
    /// A contribution in kind (volunteer time or material): `amount` is then its declared value.
    public var inKind: InKind?

    /// A contribution in kind in a funding plan: so many days or units, valued at a rate of the CDS when it names one.
    public struct InKind: Sendable, Equatable {
        /// Volunteer time or material.
        public var kind: InKindKind
        /// Days of volunteer time, or units of material.
        public var quantity: Int64
        /// The key of the CDS's valuation rate, if valued.
        public var rate: String?
        /// The most days or units one source may hold (keeps its valuation inside 64 bits).
        public static let maxQuantity: Int64 = 1_000_000
        /// An in-kind contribution.
        public init(kind: InKindKind, quantity: Int64, rate: String?) { self.kind = kind; self.quantity = quantity; self.rate = rate }
        /// The declared shape.
        public static let schema = Schema.object([
            .init("kind", .vocabulary(InKindKind.self), required: true, "volunteer_time or material"),
            .init("quantity", .integer(min: 1, max: InKind.maxQuantity), required: true, "days of volunteer time or units of material"),
            .init("rate", .nullable(.string(maxLength: 40)), "the key of the CDS's valuation rate (valuation.set) that values it"),
        ])
        /// `{"kind", "quantity", "rate"}`.
        public var json: JSON { ["kind": .string(kind.rawValue), "quantity": .int(quantity), "rate": .optional(rate)] }
    }

    /// The declared shape.
    public static let schema = Schema.object([
        .init("label", .text(maxLength: Limits.name), required: true, "who funds: commune, INDH, diaspora…"),
        .init("organization", .nullable(.id), "the funding organization, when it is in the CDS"),
        .init("amount", Money.schema, required: true, "how much, in the budget's currency (for a contribution in kind, its declared value)"),
        .init("status", .vocabulary(FundingStatus.self), "expected (default) or confirmed"),
        .init("programme", .nullable(.string(maxLength: 40)), "the co-financing programme this source is a grant of (programme.list): the plan is checked against its rules"),
        .init("origin", .nullable(.vocabulary(SourceOrigin.self)), "where it comes from: local_authority, state, foreign_public, local_partner, diaspora, private, own (default: from the organization's kind)"),
        .init("in_kind", .nullable(InKind.schema), "a contribution in kind, counted by the programmes as they say"),
    ])
    /// Reads a source: a grant of a programme is money, not a contribution in kind.
    public init(json: JSON, path: String) throws(CDSError) {
        let r = try JSONReader(json, path: path, schema: FundingSource.schema)
        label = try r.requiredText("label")
        organization = try r.text("organization", max: 100)
        amount = try Money(json: r.object["amount"], field: r.at("amount"))
        status = try r.term("status", FundingStatus.self) ?? .expected
        if let p = try r.text("programme", max: 40) { programme = try ProgrammeID.check(p, field: r.at("programme")) }
        origin = try r.term("origin", SourceOrigin.self)
        if let k = r.object["in_kind"], !k.isNull {
            let kr = try JSONReader(k, path: r.at("in_kind"), schema: InKind.schema)
            guard let kind = try kr.term("kind", InKindKind.self), let q = try kr.integer("quantity", in: 1...InKind.maxQuantity) else {
                throw CDSError.invalid(kr.at("kind"), "kind and quantity are required")
            }
            inKind = InKind(kind: kind, quantity: q, rate: try kr.text("rate", max: 40).map { s throws(CDSError) in try ProgrammeID.check(s, field: kr.at("rate")) })
            if programme != nil { throw CDSError.invalid(r.at("in_kind"), "a programme's grant is money, not a contribution in kind") }
        }
    }

    /// The JSON shape (the co-financing fields only when set, so a plan without them reads as before).
    public var json: JSON {
        var o: JSONObject = ["label": .string(label), "organization": .optional(organization), "amount": amount.json, "status": .string(status.rawValue)]
        if let programme { o["programme"] = .string(programme) }
        if let origin { o["origin"] = .string(origin.rawValue) }
        if let inKind { o["in_kind"] = inKind.json }
        return .object(o)
    }
}

/// A commune's endorsement of a project, recorded by its representative.
public struct Endorsement: Sendable, Equatable {
    /// The commune's code.
    public var commune: String
    /// The member who represents the commune.
    public var by: String
    /// The day of the council's decision.
    public var on: LocalDate
    /// The decision's reference.
    public var reference: String?
    /// The JSON shape.
    public var json: JSON { ["commune": .string(commune), "by": .string(by), "on": .string(on.description), "reference": .optional(reference)] }
    /// An endorsement.
    public init(commune: String, by: String, on: LocalDate, reference: String?) { self.commune = commune; self.by = by; self.on = on; self.reference = reference }
}

/// A dated note on a project.
public struct ProjectNote: Sendable, Equatable {
    /// When.
    public var at: Instant
    /// Who wrote it.
    public var by: String?
    /// The note.
    public var text: String
    /// The JSON shape.
    public var json: JSON { ["at": .string(at.description), "by": .optional(by), "text": .string(text)] }
    /// A note.
    public init(at: Instant, by: String?, text: String) { self.at = at; self.by = by; self.text = text }
    /// Reads a note.
    public init(json: JSON, path: String) throws(CDSError) {
        let r = try JSONReader(json, path: path, known: ["at", "by", "text"])
        guard let s = r.object["at"]?.stringValue, let at = Instant(s) else { throw CDSError.invalid(r.at("at"), "must be an instant") }
        self.init(at: at, by: try r.text("by", max: 100), text: try r.requiredText("text", max: Limits.note))
    }
}

/// A progress report.
public struct ProgressReport: Sendable, Equatable {
    /// The day of the report.
    public var on: LocalDate
    /// Progress in percent.
    public var progress: Int64
    /// What was done.
    public var text: String
    /// The JSON shape.
    public var json: JSON { ["on": .string(on.description), "progress": .int(progress), "text": .string(text)] }
    /// A report.
    public init(on: LocalDate, progress: Int64, text: String) { self.on = on; self.progress = progress; self.text = text }
    /// The declared shape.
    public static let schema = Schema.object([
        .init("on", .date, required: true, "the day of the report"),
        .init("progress", .integer(min: 0, max: 100), required: true, "progress in percent"),
        .init("text", .text(maxLength: Limits.note), required: true, "what was done"),
    ])
    /// Reads a report: a day, a progress from 0 to 100, a text.
    public init(json: JSON, path: String) throws(CDSError) {
        let r = try JSONReader(json, path: path, schema: ProgressReport.schema)
        guard let on = try r.date("on") else { throw CDSError.invalid(r.at("on"), "is required") }
        guard let progress = try r.integer("progress", in: 0...100) else { throw CDSError.invalid(r.at("progress"), "is required") }
        self.init(on: on, progress: progress, text: try r.requiredText("text"))
    }
}

/// A development project of one or several communes, and everything a precise project has.
public struct Project: Sendable, Equatable {
    public var id: String
    /// A short human code, unique (`ANZ-2026-01`).
    public var code: String
    public var title: LocalizedText
    public var summary: LocalizedText
    /// Commune codes (at least one before identification).
    public var communes: [String]
    /// PAC sector code.
    public var sector: String?
    /// OECD DAC 5-digit purpose code.
    public var dacCode: String?
    /// The PAC/PCD action it belongs to.
    public var pacReference: String?
    /// Why it is in no PAC/PCD.
    public var pacAbsenceReason: String?
    public var leadOrganization: String?
    public var partners: [Partner]
    /// The ADC (member id) who brings it to maturity.
    public var adc: String?
    /// Who proposed it: a member or an organization id.
    public var proposer: String?
    public var beneficiaries: Beneficiaries?
    /// Planned dates.
    public var startOn: LocalDate?
    public var endOn: LocalDate?
    /// The actual start.
    public var startedOn: LocalDate?
    public var identificationNote: String?
    public var logframe: Logframe?
    public var budget: Budget?
    public var fundingPlan: [FundingSource]
    public var endorsements: [Endorsement]
    /// Progress in percent, from the last report.
    public var progress: Int64
    public var finalReport: String?
    public var lessonsLearned: String?
    public var notes: [ProjectNote]
    public var reports: [ProgressReport]
    public var stage: Stage
    /// The stage an on-hold project left, to resume to.
    public var onHoldFrom: Stage?
    /// Why it was rejected or abandoned.
    public var closedReason: String?
    public var createdAt: Instant
    public var updatedAt: Instant

    /// A new project at the idea stage.
    public init(id: String, code: String, title: LocalizedText, at: Instant) {
        self.id = id; self.code = code; self.title = title; summary = LocalizedText(); communes = []; partners = []
        fundingPlan = []; endorsements = []; progress = 0; notes = []; reports = []; stage = .idea; createdAt = at; updatedAt = at
    }

    /// The total of the funding plan in the budget's currency, of one status or all.
    /// Contributions in kind are left out: they are both a cost and a resource, counted by the programmes.
    public func fundingPlanTotal(status: FundingStatus?) -> Int64 {
        fundingPlan.lazy.filter { $0.inKind == nil && (status == nil || $0.status == status) }.map(\.amount.minor).saturatedSum()
    }

    /// The rules that need no database: dates in order, funding in the budget's currency,
    /// no commune or partner twice, a title.
    public func validate() throws(CDSError) {
        guard !title.isEmpty else { throw CDSError.invalid("title", "needs a text in at least one language") }
        // The stored document is read back with the same rule: a code that could not be read must not be written.
        guard try Validate.text(code, field: "code", max: Limits.reference) == code else {
            throw CDSError.invalid("code", "must not begin or end with spaces")
        }
        _ = try Validate.unique(communes, field: "communes")
        _ = try Validate.unique(partners.map { "\($0.organization)/\($0.role.rawValue)" }, field: "partners")
        if let s = startOn, let e = endOn, e < s { throw CDSError.invalid("end_on", "must not be before start_on") }
        if let b = budget {
            _ = try Money.sum(fundingPlan.enumerated().map { ($1.amount, "funding_plan[\($0)].amount.currency") }, currency: b.currency, field: "funding_plan")
        } else if let first = fundingPlan.first {
            _ = try Money.sum(fundingPlan.enumerated().map { ($1.amount, "funding_plan[\($0)].amount.currency") }, currency: first.amount.currency, field: "funding_plan")
        }
        guard (0...100).contains(progress) else { throw CDSError.invalid("progress", "must be between 0 and 100") }
    }

    /// The JSON shape of `project.get` (without the checklist).
    public var json: JSON {
        .object(JSONObject([
            ("id", .string(id)), ("code", .string(code)), ("title", title.json), ("summary", summary.json),
            ("stage", .string(stage.rawValue)), ("on_hold_from", .optional(onHoldFrom?.rawValue)), ("closed_reason", .optional(closedReason)),
            ("communes", .strings(communes)), ("sector", .optional(sector)), ("dac_code", .optional(dacCode)),
            ("pac_reference", .optional(pacReference)), ("pac_absence_reason", .optional(pacAbsenceReason)),
            ("lead_organization", .optional(leadOrganization)), ("partners", .array(partners.map(\.json))),
            ("adc", .optional(adc)), ("proposer", .optional(proposer)), ("beneficiaries", beneficiaries?.json ?? .null),
            ("start_on", .optional(startOn?.description)), ("end_on", .optional(endOn?.description)),
            ("started_on", .optional(startedOn?.description)), ("identification_note", .optional(identificationNote)),
            ("logframe", logframe?.json ?? .null), ("budget", budget?.json ?? .null),
            ("funding_plan", .array(fundingPlan.map(\.json))), ("endorsements", .array(endorsements.map(\.json))),
            ("progress", .int(progress)), ("final_report", .optional(finalReport)), ("lessons_learned", .optional(lessonsLearned)),
            ("notes", .array(notes.map(\.json))), ("reports", .array(reports.map(\.json))),
            ("created_at", .string(createdAt.description)), ("updated_at", .string(updatedAt.description)),
        ]))
    }

    /// Reads the stored JSON shape back (the store keeps a project as this document).
    public init(json: JSON) throws(CDSError) {
        let r = try JSONReader(json, path: "", known: [
            "id", "code", "title", "summary", "stage", "on_hold_from", "closed_reason", "communes", "sector", "dac_code", "pac_reference",
            "pac_absence_reason", "lead_organization", "partners", "adc", "proposer", "beneficiaries", "start_on", "end_on", "started_on",
            "identification_note", "logframe", "budget", "funding_plan", "endorsements", "progress", "final_report", "lessons_learned",
            "notes", "reports", "created_at", "updated_at",
        ])
        self.init(id: try r.requiredText("id", max: 100), code: try r.requiredText("code", max: Limits.reference),
                  title: try LocalizedText(json: r.object["title"], field: "title", max: Limits.name), at: try r.instant("created_at"))
        updatedAt = try r.instant("updated_at")
        summary = try LocalizedText(json: r.object["summary"], field: "summary", max: Limits.note)
        stage = try r.term("stage", Stage.self) ?? .idea
        onHoldFrom = try r.term("on_hold_from", Stage.self)
        closedReason = try r.text("closed_reason", max: Limits.note)
        communes = try r.texts("communes", max: 50, length: 20)
        sector = try r.text("sector", max: 16)
        dacCode = try r.text("dac_code", max: 16)
        pacReference = try r.text("pac_reference", max: Limits.name)
        pacAbsenceReason = try r.text("pac_absence_reason", max: Limits.note)
        leadOrganization = try r.text("lead_organization", max: 100)
        partners = try r.list("partners", max: 50) { (v, p) throws(CDSError) in try Partner(json: v, path: p) }
        adc = try r.text("adc", max: 100)
        proposer = try r.text("proposer", max: 100)
        if let b = r.object["beneficiaries"], !b.isNull { beneficiaries = try Beneficiaries(json: b, path: "beneficiaries") }
        startOn = try r.date("start_on")
        endOn = try r.date("end_on")
        startedOn = try r.date("started_on")
        identificationNote = try r.text("identification_note", max: Limits.note)
        if let l = r.object["logframe"], !l.isNull { logframe = try Logframe(json: l, path: "logframe") }
        if let b = r.object["budget"], !b.isNull { budget = try Budget(json: b, path: "budget") }
        fundingPlan = try r.list("funding_plan", max: 50) { (v, p) throws(CDSError) in try FundingSource(json: v, path: p) }
        endorsements = try r.list("endorsements", max: 50) { (v, p) throws(CDSError) in
            let er = try JSONReader(v, path: p, known: ["commune", "by", "on", "reference"])
            guard let on = try er.date("on") else { throw CDSError.invalid(er.at("on"), "is required") }
            return Endorsement(commune: try er.requiredText("commune", max: 20), by: try er.requiredText("by", max: 100), on: on,
                               reference: try er.text("reference", max: Limits.reference))
        }
        progress = try r.integer("progress", in: 0...100) ?? 0
        finalReport = try r.text("final_report", max: Limits.note)
        lessonsLearned = try r.text("lessons_learned", max: Limits.note)
        notes = try r.list("notes", max: 10_000) { (v, p) throws(CDSError) in try ProjectNote(json: v, path: p) }
        reports = try r.list("reports", max: 10_000) { (v, p) throws(CDSError) in try ProgressReport(json: v, path: p) }
    }
}
