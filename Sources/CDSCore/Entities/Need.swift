/// The kinds of resources needs, offers and contributions are about.
public enum ResourceKind: String, Vocabulary {
    case information, skill, network, finance, investment, material
    public var labels: Labels {
        switch self {
        case .information: Labels(fr: "Information", ar: "معلومات", en: "Information")
        case .skill: Labels(fr: "Compétences", ar: "كفاءات", en: "Skills")
        case .network: Labels(fr: "Réseau", ar: "شبكة علاقات", en: "Network")
        case .finance: Labels(fr: "Finance solidaire", ar: "تمويل تضامني", en: "Solidarity finance")
        case .investment: Labels(fr: "Investissement", ar: "استثمار", en: "Investment")
        case .material: Labels(fr: "Matériel", ar: "معدات", en: "Material")
        }
    }
    /// Finance and investment are counted in money.
    public var isMoney: Bool { self == .finance || self == .investment }
}

/// The units a quantity is counted in.
public enum QuantityUnit: String, Vocabulary {
    case personDays = "person_days", units, money
    public var labels: Labels {
        switch self {
        case .personDays: Labels(fr: "Jours-personne", ar: "أيام عمل", en: "Person-days")
        case .units: Labels(fr: "Unités", ar: "وحدات", en: "Units")
        case .money: Labels(fr: "Montant", ar: "مبلغ", en: "Amount")
        }
    }
}

/// Where the work of a need is done.
public enum WorkMode: String, Vocabulary {
    case onSite = "on_site", remote, either
    public var labels: Labels {
        switch self {
        case .onSite: Labels(fr: "Sur place", ar: "في عين المكان", en: "On site")
        case .remote: Labels(fr: "À distance", ar: "عن بعد", en: "Remote")
        case .either: Labels(fr: "Sur place ou à distance", ar: "في عين المكان أو عن بعد", en: "On site or remote")
        }
    }
}

/// Where a need stands.
public enum NeedStatus: String, Vocabulary {
    case open
    case partlyCovered = "partly_covered"
    case covered, cancelled
    public var labels: Labels {
        switch self {
        case .open: Labels(fr: "Ouvert", ar: "مفتوح", en: "Open")
        case .partlyCovered: Labels(fr: "Partiellement couvert", ar: "مغطى جزئيا", en: "Partly covered")
        case .covered: Labels(fr: "Couvert", ar: "مغطى", en: "Covered")
        case .cancelled: Labels(fr: "Annulé", ar: "ملغى", en: "Cancelled")
        }
    }
}

/// A quantity: person-days, units, or an amount of money.
public struct Quantity: Sendable, Equatable {
    /// The unit.
    public var unit: QuantityUnit
    /// Person-days, units, or minor units of money.
    public var amount: Int64
    /// The currency, for money.
    public var currency: String?

    /// A quantity.
    public init(unit: QuantityUnit, amount: Int64, currency: String? = nil) { self.unit = unit; self.amount = amount; self.currency = currency }

    /// The declared shape: `{"unit", "amount", "currency"}`, an amount from 1 to `Limits.amount`.
    public static let schema = Schema.object([
        .init("unit", .vocabulary(QuantityUnit.self), required: true, "person_days, units or money"),
        .init("amount", .integer(min: 1, max: Limits.amount), required: true, "person-days, units, or minor units of money, at most \(Limits.amount)"),
        .init("currency", .nullable(.string(maxLength: 3)), "ISO 4217 code, for money"),
    ])

    /// Reads `{"unit", "amount", "currency"}` as `schema` declares it; a currency exactly for money.
    public init(json: JSON?, path: String) throws(CDSError) {
        let r = try JSONReader(json, path: path, schema: Quantity.schema)
        guard let u = try r.term("unit", QuantityUnit.self) else { throw CDSError.invalid(r.at("unit"), "is required") }
        guard let a = try r.integer("amount", in: 1...Limits.amount) else { throw CDSError.invalid(r.at("amount"), "is required, at least 1") }
        unit = u; amount = a; currency = try r.text("currency", max: 3)
        try validate(path: path)
    }

    /// The rules of every quantity, read or built in Swift: an amount from 1 to `Limits.amount`
    /// (so that sums stay inside 64 bits), a currency exactly for money.
    public func validate(path: String) throws(CDSError) {
        func at(_ key: String) -> String { path.isEmpty ? key : path + "." + key }
        guard (1...Limits.amount).contains(amount) else { throw CDSError.invalid(at("amount"), "must be from 1 to \(Limits.amount)") }
        if unit == .money, currency == nil { throw CDSError.invalid(at("currency"), "is required for money") }
        if unit != .money, currency != nil { throw CDSError.invalid(at("currency"), "only money has a currency") }
    }

    /// `{"unit", "amount", "currency"}`.
    public var json: JSON { ["unit": .string(unit.rawValue), "amount": .int(amount), "currency": .optional(currency)] }
}

/// Something a project lacks.
public struct Need: Sendable, Equatable {
    public var id: String
    /// The project's id.
    public var project: String
    public var kind: ResourceKind
    public var description: String
    /// Skill codes (ISCO-08 or ESCO).
    public var skills: [String]
    public var quantity: Quantity
    /// The window in which it is needed.
    public var from: LocalDate?
    public var until: LocalDate?
    public var mode: WorkMode
    /// Languages the work requires (all of them).
    public var languages: [String]
    /// A critical need must be covered before the project is funded.
    public var critical: Bool
    public var status: NeedStatus
    public var createdAt: Instant
    public var updatedAt: Instant

    /// A need.
    public init(id: String, project: String, kind: ResourceKind, description: String, skills: [String] = [], quantity: Quantity,
                from: LocalDate? = nil, until: LocalDate? = nil, mode: WorkMode = .either, languages: [String] = [], critical: Bool = false,
                status: NeedStatus = .open, createdAt: Instant, updatedAt: Instant) {
        self.id = id; self.project = project; self.kind = kind; self.description = description; self.skills = skills
        self.quantity = quantity; self.from = from; self.until = until; self.mode = mode; self.languages = languages
        self.critical = critical; self.status = status; self.createdAt = createdAt; self.updatedAt = updatedAt
    }

    /// The rules that need no database: a window in order, money for finance, no duplicates.
    public func validate() throws(CDSError) {
        _ = try Validate.text(description, field: "description", max: Limits.note)
        if let f = from, let u = until, u < f { throw CDSError.invalid("until", "must not be before from") }
        try quantity.validate(path: "quantity")
        if kind.isMoney, quantity.unit != .money { throw CDSError.invalid("quantity.unit", "a \(kind.rawValue) need is counted in money") }
        if !kind.isMoney, quantity.unit == .money { throw CDSError.invalid("quantity.unit", "only finance and investment needs are counted in money") }
        _ = try Validate.unique(skills, field: "skills")
        _ = try Validate.unique(languages, field: "languages")
    }

    /// Reads the stored JSON shape back.
    public init(json: JSON) throws(CDSError) {
        let r = try JSONReader(json, path: "", known: ["id", "project", "kind", "description", "skills", "quantity", "from", "until", "mode",
                                                      "languages", "critical", "status", "created_at", "updated_at"])
        guard let kind = try r.term("kind", ResourceKind.self) else { throw CDSError.invalid("kind", "is required") }
        self.init(id: try r.requiredText("id", max: 100), project: try r.requiredText("project", max: 100), kind: kind,
                  description: try r.requiredText("description", max: Limits.note), skills: try r.texts("skills", max: Limits.listItems, length: 64),
                  quantity: try Quantity(json: r.object["quantity"], path: "quantity"), from: try r.date("from"), until: try r.date("until"),
                  mode: try r.term("mode", WorkMode.self) ?? .either, languages: try r.texts("languages", max: Limits.listItems, length: 16),
                  critical: try r.bool("critical") ?? false, status: try r.term("status", NeedStatus.self) ?? .open,
                  createdAt: try r.instant("created_at"), updatedAt: try r.instant("updated_at"))
    }

    /// The JSON shape.
    public var json: JSON {
        .object(JSONObject([
            ("id", .string(id)), ("project", .string(project)), ("kind", .string(kind.rawValue)), ("description", .string(description)),
            ("skills", .strings(skills)), ("quantity", quantity.json), ("from", .optional(from?.description)),
            ("until", .optional(until?.description)), ("mode", .string(mode.rawValue)), ("languages", .strings(languages)),
            ("critical", .bool(critical)), ("status", .string(status.rawValue)),
            ("created_at", .string(createdAt.description)), ("updated_at", .string(updatedAt.description)),
        ]))
    }
}
