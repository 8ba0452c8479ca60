/// Where a source of a funding plan comes from, as co-financing programmes classify it
/// (public or not, local or not).
public enum SourceOrigin: String, Vocabulary {
    /// A commune, a provincial or a regional council (a collectivité territoriale).
    case localAuthority = "local_authority"
    /// The national public budget: the State, INDH, a public agency.
    case state
    /// A foreign public funder or a programme it pays for (AFD, FORIM's PRA/OSIM, a French collectivité).
    case foreignPublic = "foreign_public"
    /// A partner of the territory that is not public: a local association, a cooperative.
    case localPartner = "local_partner"
    /// A diaspora association or diaspora members.
    case diaspora
    /// An enterprise, a foundation, private donors.
    case privateFunds = "private"
    /// The lead organization's own funds.
    case own

    public var labels: Labels {
        switch self {
        case .localAuthority: Labels(fr: "Collectivité territoriale", ar: "جماعة ترابية", en: "Local authority")
        case .state: Labels(fr: "État et établissements publics", ar: "الدولة والمؤسسات العمومية", en: "State and public bodies")
        case .foreignPublic: Labels(fr: "Bailleur public étranger", ar: "ممول عمومي أجنبي", en: "Foreign public funder")
        case .localPartner: Labels(fr: "Partenaire local", ar: "شريك محلي", en: "Local partner")
        case .diaspora: Labels(fr: "Diaspora", ar: "مغاربة العالم", en: "Diaspora")
        case .privateFunds: Labels(fr: "Fonds privés", ar: "أموال خاصة", en: "Private funds")
        case .own: Labels(fr: "Fonds propres", ar: "أموال ذاتية", en: "Own funds")
        }
    }

    /// The origin of a source given by an organization of this kind.
    public static func of(_ kind: OrganizationKind) -> SourceOrigin {
        switch kind {
        case .commune, .provincialCouncil, .regionalCouncil: .localAuthority
        case .publicAgency: .state
        case .localAssociation, .cooperative: .localPartner
        case .diasporaAssociation: .diaspora
        case .ngo, .enterprise, .funder, .facilitator: .privateFunds
        }
    }
}

/// The kinds of contributions in kind a funding plan may hold.
public enum InKindKind: String, Vocabulary {
    /// Volunteer time, in days.
    case volunteerTime = "volunteer_time"
    /// Material, in units.
    case material
    public var labels: Labels {
        switch self {
        case .volunteerTime: Labels(fr: "Temps bénévole", ar: "وقت تطوعي", en: "Volunteer time")
        case .material: Labels(fr: "Don en nature", ar: "تبرع عيني", en: "In-kind gift")
        }
    }
}

/// How a programme counts a kind of contribution in kind.
public enum InKindPolicy: String, Vocabulary {
    /// Counted at its value, valued by the CDS's rate or as declared.
    case counted
    /// Counted only when valued at a rate the CDS set.
    case whenValued = "when_valued"
    /// Never counted.
    case excluded
    public var labels: Labels {
        switch self {
        case .counted: Labels(fr: "Compté", ar: "محتسب", en: "Counted")
        case .whenValued: Labels(fr: "Compté s'il est valorisé", ar: "محتسب إذا تم تقييمه", en: "Counted when valued")
        case .excluded: Labels(fr: "Non compté", ar: "غير محتسب", en: "Not counted")
        }
    }
}

/// A rate at which the CDS values a contribution in kind: so much per day of volunteer
/// time or per unit of a material, from a day on.
public struct ValuationRate: Sendable, Equatable {
    /// The rate's key, named by funding sources (`volunteer_day`, `cement_bag`…).
    public var key: String
    /// Volunteer time or material.
    public var kind: InKindKind
    /// The value of one day or one unit.
    public var unitValue: Money
    /// The day it applies from.
    public var from: LocalDate
    /// Where the figure comes from (a minimum wage, a price list).
    public var note: String?

    /// A rate.
    public init(key: String, kind: InKindKind, unitValue: Money, from: LocalDate, note: String? = nil) {
        self.key = key; self.kind = kind; self.unitValue = unitValue; self.from = from; self.note = note
    }

    /// The largest value of one day or unit, in minor units: times the largest quantity, it stays a bounded amount.
    public static let maxUnitValue: Int64 = 1_000_000_000

    /// The declared shape.
    public static let schema = Schema.object([
        .init("key", .text(maxLength: 40), required: true, "the rate's key, which funding sources name: volunteer_day, cement_bag…"),
        .init("kind", .vocabulary(InKindKind.self), required: true, "volunteer_time or material"),
        .init("unit_value", Money.schema, required: true, "the value of one day or one unit"),
        .init("from", .date, required: true, "the day it applies from"),
        .init("note", .nullable(.text(maxLength: Limits.note)), "where the figure comes from"),
    ])

    /// Reads a rate: a key of lowercase letters, digits and `_`, a positive value.
    public init(json: JSON?, path: String) throws(CDSError) {
        let r = try JSONReader(json, path: path, schema: ValuationRate.schema)
        key = try ProgrammeID.check(try r.requiredText("key", max: 40), field: r.at("key"))
        guard let kind = try r.term("kind", InKindKind.self), let from = try r.date("from") else { throw CDSError.invalid(r.at("kind"), "kind and from are required") }
        self.kind = kind
        self.from = from
        unitValue = try Money(json: r.object["unit_value"], field: r.at("unit_value"))
        guard (1...ValuationRate.maxUnitValue).contains(unitValue.minor) else {
            throw CDSError.invalid(r.at("unit_value.minor"), "must be from 1 to \(ValuationRate.maxUnitValue) (so that a valuation stays inside 64 bits)")
        }
        note = try r.text("note", max: Limits.note)
    }

    /// The JSON shape.
    public var json: JSON {
        .object(JSONObject([("key", .string(key)), ("kind", .string(kind.rawValue)), ("unit_value", unitValue.json),
                            ("from", .string(from.description)), ("note", .optional(note))]))
    }

    /// The rate of `key` in force on `day` (the latest from on or before it).
    public static func inForce(_ rates: [ValuationRate], key: String, on day: LocalDate) -> ValuationRate? {
        rates.filter { $0.key == key && $0.from <= day }.max { $0.from < $1.from }
    }
}

/// Ids of programmes and rate keys: 2 to 40 lowercase letters, digits and `_`.
public enum ProgrammeID {
    /// The id, or `invalid_params` naming `field`.
    public static func check(_ id: String, field: String) throws(CDSError) -> String {
        guard (2...40).contains(id.utf8.count), id.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }) else {
            throw CDSError.invalid(field, "must be 2 to 40 lowercase letters, digits or _ (e.g. pra_osim)")
        }
        return id
    }
}

/// Shares are integer basis points: 7000 is 70 %, 10000 the whole. Never floating point.
public enum BasisPoints {
    /// The whole, 100 %.
    public static let whole: Int64 = 10_000
    /// `amount × bp / 10000`, rounded down (`up`: rounded up), computed in 128 bits; nil when it does not fit.
    public static func share(of amount: Int64, _ bp: Int64, up: Bool = false) -> Int64? {
        guard amount >= 0, (0...whole).contains(bp) else { return nil }
        let (hi, lo) = amount.multipliedFullWidth(by: bp)
        let (q, r) = whole.dividingFullWidth((hi, lo))
        return up && r > 0 ? q.addingReportingOverflow(1).overflow ? nil : q + 1 : q
    }
    /// True when `part × 10000 ≤ total × bp` (in 128 bits: never overflows).
    public static func within(_ part: Int64, of total: Int64, _ bp: Int64) -> Bool {
        let a = part.multipliedFullWidth(by: whole), b = total.multipliedFullWidth(by: bp)
        return a.high < b.high || (a.high == b.high && a.low <= b.low)
    }
    /// `"70 %"`, `"12.5 %"`.
    public static func text(_ bp: Int64) -> String {
        let whole = bp / 100, frac = bp % 100
        if frac == 0 { return "\(whole) %" }
        return frac % 10 == 0 ? "\(whole).\(frac / 10) %" : "\(whole).\(frac < 10 ? "0" : "")\(frac) %"
    }
}

extension Money {
    /// `"15000.00 EUR"`: the amount with two decimals (MAD and EUR), for labels.
    public var text: String {
        let sign = minor < 0 ? "-" : "", m = minor.magnitude
        let cents = m % 100
        return "\(sign)\(m / 100).\(cents < 10 ? "0" : "")\(cents) \(currency)"
    }
}

/// A co-financing programme: a funder's rules for what a project's funding plan may ask
/// of it, as versioned data (a new version supersedes the previous one; none is deleted).
/// Shares are basis points of the project's cost (its budget, plus the contributions in
/// kind the programme counts: a valued contribution in kind is both a cost and a resource).
public struct FundingProgramme: Sendable, Equatable {
    /// A stable id (`pra_osim`): the middle of its checklist keys.
    public var id: String
    /// 1, 2…: each definition of an id is a new version.
    public var version: Int64
    /// Its name.
    public var name: LocalizedText
    /// Who pays.
    public var funder: String
    /// The currency of its absolute caps.
    public var currency: String
    /// The most the grant may be, as a share of the cost (basis points).
    public var maxShareBP: Int64?
    /// The most the grant may be (minor units of `currency`).
    public var maxAmount: Int64?
    /// The most the project's cost may be (minor units of `currency`).
    public var maxTotal: Int64?
    /// The most all public funds together, the grant included, may be as a share of the cost.
    public var maxPublicShareBP: Int64?
    /// The least the own or local contribution must be, as a share of the cost.
    public var minLocalShareBP: Int64?
    /// Origins that count as public funds.
    public var publicOrigins: [SourceOrigin]
    /// Origins that count as the own or local contribution.
    public var localOrigins: [SourceOrigin]
    /// The origin of the programme's own grant.
    public var grantOrigin: SourceOrigin
    /// How volunteer time counts.
    public var volunteerTime: InKindPolicy
    /// How gifts in kind count.
    public var material: InKindPolicy
    /// Where the rules were read (an address or a document).
    public var source: String
    /// The day they were read there.
    public var readOn: LocalDate
    /// Anything else worth knowing.
    public var note: String?
    /// Shipped with the library (true) or added by the CDS.
    public var builtin: Bool

    /// A programme.
    public init(id: String, version: Int64 = 1, name: LocalizedText, funder: String, currency: String, maxShareBP: Int64? = nil, maxAmount: Int64? = nil,
                maxTotal: Int64? = nil, maxPublicShareBP: Int64? = nil, minLocalShareBP: Int64? = nil, publicOrigins: [SourceOrigin] = FundingProgramme.defaultPublic,
                localOrigins: [SourceOrigin] = FundingProgramme.defaultLocal, grantOrigin: SourceOrigin = .foreignPublic, volunteerTime: InKindPolicy = .whenValued,
                material: InKindPolicy = .whenValued, source: String, readOn: LocalDate, note: String? = nil, builtin: Bool = false) {
        self.id = id; self.version = version; self.name = name; self.funder = funder; self.currency = currency; self.maxShareBP = maxShareBP
        self.maxAmount = maxAmount; self.maxTotal = maxTotal; self.maxPublicShareBP = maxPublicShareBP; self.minLocalShareBP = minLocalShareBP
        self.publicOrigins = publicOrigins; self.localOrigins = localOrigins; self.grantOrigin = grantOrigin; self.volunteerTime = volunteerTime
        self.material = material; self.source = source; self.readOn = readOn; self.note = note; self.builtin = builtin
    }

    /// Public funds unless a programme says otherwise: local authorities, the State, foreign public funders.
    public static let defaultPublic: [SourceOrigin] = [.localAuthority, .state, .foreignPublic]
    /// The own or local contribution unless a programme says otherwise.
    public static let defaultLocal: [SourceOrigin] = [.localAuthority, .localPartner, .own]

    /// The policy for a kind of contribution in kind.
    public func policy(_ kind: InKindKind) -> InKindPolicy { kind == .volunteerTime ? volunteerTime : material }

    /// The rules it states, in checklist order.
    public var rules: [ProgrammeRule] {
        var out: [ProgrammeRule] = []
        if maxTotal != nil { out.append(.totalCeiling) }
        if maxAmount != nil { out.append(.amountCap) }
        if maxShareBP != nil { out.append(.shareCap) }
        if maxPublicShareBP != nil { out.append(.publicCap) }
        if minLocalShareBP != nil { out.append(.localMinimum) }
        return out
    }

    /// The declared shape of a definition (`programme.define`).
    public static let schema = Schema.object([
        .init("id", .text(maxLength: 40), required: true, "a stable id of lowercase letters, digits and _ (pra_osim): the middle of its checklist keys"),
        .init("name", LocalizedText.schema(max: Limits.name), required: true, "its name, by language"),
        .init("funder", .text(maxLength: Limits.name), required: true, "who pays"),
        .init("currency", .string(maxLength: 3), required: true, "the currency of its absolute caps"),
        .init("max_share_bp", .nullable(.integer(min: 1, max: BasisPoints.whole)), "the most the grant may be, in basis points of the cost (7000 = 70 %)"),
        .init("max_amount", .nullable(.integer(min: 1, max: Limits.amount)), "the most the grant may be, in minor units"),
        .init("max_total", .nullable(.integer(min: 1, max: Limits.amount)), "the most the project's cost may be, in minor units"),
        .init("max_public_share_bp", .nullable(.integer(min: 1, max: BasisPoints.whole)), "the most all public funds together, the grant included, may be, in basis points of the cost"),
        .init("min_local_share_bp", .nullable(.integer(min: 1, max: BasisPoints.whole)), "the least the own or local contribution must be, in basis points of the cost"),
        .init("public_origins", .array(.vocabulary(SourceOrigin.self), maxItems: 10), "origins that count as public (default local_authority, state, foreign_public)"),
        .init("local_origins", .array(.vocabulary(SourceOrigin.self), maxItems: 10), "origins that count as own or local (default local_authority, local_partner, own)"),
        .init("grant_origin", .vocabulary(SourceOrigin.self), "the origin of the programme's own grant (default foreign_public)"),
        .init("volunteer_time", .vocabulary(InKindPolicy.self), "how volunteer time counts: counted, when_valued (default), excluded"),
        .init("material", .vocabulary(InKindPolicy.self), "how gifts in kind count: counted, when_valued (default), excluded"),
        .init("source", .text(maxLength: Limits.url), required: true, "where the rules were read"),
        .init("read_on", .date, required: true, "the day they were read"),
        .init("note", .text(maxLength: Limits.note), "anything else worth knowing"),
    ])

    /// Reads a definition (the version is the store's); every rule checked with `validate`.
    public init(json: JSON?, path: String = "") throws(CDSError) {
        let r = try JSONReader(json, path: path, schema: FundingProgramme.schema)
        let id = try ProgrammeID.check(try r.requiredText("id", max: 40), field: r.at("id"))
        let name = try LocalizedText(json: r.object["name"], field: r.at("name"), max: Limits.name)
        let currency = try r.requiredText("currency", max: 3)
        guard currency.count == 3, currency.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) else { throw CDSError.invalid(r.at("currency"), "must be an ISO 4217 code such as EUR") }
        guard let readOn = try r.date("read_on") else { throw CDSError.invalid(r.at("read_on"), "is required") }
        func origins(_ key: String) throws(CDSError) -> [SourceOrigin]? {
            guard r.object[key] != nil else { return nil }
            let codes = try r.texts(key, max: 10, length: 64)
            var out: [SourceOrigin] = []
            for (n, c) in codes.enumerated() { out.append(try SourceOrigin.parse(c, field: "\(r.at(key))[\(n)]")) }
            return try Validate.unique(out.map(\.rawValue), field: r.at(key)).compactMap(SourceOrigin.init(rawValue:))
        }
        self.init(id: id, name: name, funder: try r.requiredText("funder", max: Limits.name), currency: currency,
                  maxShareBP: try r.integer("max_share_bp", in: 1...BasisPoints.whole), maxAmount: try r.integer("max_amount", in: 1...Limits.amount),
                  maxTotal: try r.integer("max_total", in: 1...Limits.amount), maxPublicShareBP: try r.integer("max_public_share_bp", in: 1...BasisPoints.whole),
                  minLocalShareBP: try r.integer("min_local_share_bp", in: 1...BasisPoints.whole),
                  publicOrigins: try origins("public_origins") ?? FundingProgramme.defaultPublic, localOrigins: try origins("local_origins") ?? FundingProgramme.defaultLocal,
                  grantOrigin: try r.term("grant_origin", SourceOrigin.self) ?? .foreignPublic,
                  volunteerTime: try r.term("volunteer_time", InKindPolicy.self) ?? .whenValued, material: try r.term("material", InKindPolicy.self) ?? .whenValued,
                  source: try r.requiredText("source", max: Limits.url), readOn: readOn, note: try r.text("note", max: Limits.note))
        try validate()
    }

    /// The rules no plan could meet together are refused, each naming the two fields:
    /// a programme with no rule, a grant cap above the cost ceiling, a grant share above
    /// the public cap when the grant is public, a local minimum that leaves nothing for
    /// the grant, or one above the public cap when every local origin is public.
    public func validate() throws(CDSError) {
        guard !rules.isEmpty else { throw CDSError.invalid("max_share_bp", "a programme states at least one rule (a share, an amount, a ceiling, a public cap or a local minimum)") }
        func contradiction(_ a: String, _ b: String, _ why: String) -> CDSError {
            CDSError(.invalidParams, "\(a) contradicts \(b): \(why)", details: ["field": .string(a), "contradicts": .string(b), "reason": .string(why)])
        }
        if let a = maxAmount, let t = maxTotal, a > t {
            throw contradiction("max_amount", "max_total", "a grant of \(Money(minor: a, currency: currency).text) cannot fit in a cost ceiling of \(Money(minor: t, currency: currency).text)")
        }
        if let s = maxShareBP, let p = maxPublicShareBP, s > p {
            throw contradiction("max_share_bp", "max_public_share_bp", "the grant is public money: its share (\(BasisPoints.text(s))) cannot exceed the cap on all public funds (\(BasisPoints.text(p)))")
        }
        if let l = minLocalShareBP, l >= BasisPoints.whole, !localOrigins.contains(grantOrigin) {
            throw contradiction("min_local_share_bp", "max_share_bp", "a local contribution of \(BasisPoints.text(l)) leaves nothing for the grant")
        }
        if let l = minLocalShareBP, let p = maxPublicShareBP, !localOrigins.isEmpty, localOrigins.allSatisfy(publicOrigins.contains), l > p {
            throw contradiction("min_local_share_bp", "max_public_share_bp", "every local origin is public: a local minimum of \(BasisPoints.text(l)) cannot fit under a public cap of \(BasisPoints.text(p))")
        }
        if minLocalShareBP != nil, localOrigins.isEmpty { throw contradiction("min_local_share_bp", "local_origins", "a local minimum needs at least one local origin") }
    }

    /// The JSON shape, with its version and whether it ships with the library.
    public var json: JSON {
        .object(JSONObject([
            ("id", .string(id)), ("version", .int(version)), ("name", name.json), ("funder", .string(funder)), ("currency", .string(currency)),
            ("max_share_bp", .optional(maxShareBP)), ("max_amount", .optional(maxAmount)), ("max_total", .optional(maxTotal)),
            ("max_public_share_bp", .optional(maxPublicShareBP)), ("min_local_share_bp", .optional(minLocalShareBP)),
            ("public_origins", .strings(publicOrigins.map(\.rawValue))), ("local_origins", .strings(localOrigins.map(\.rawValue))),
            ("grant_origin", .string(grantOrigin.rawValue)), ("volunteer_time", .string(volunteerTime.rawValue)), ("material", .string(material.rawValue)),
            ("source", .string(source)), ("read_on", .string(readOn.description)), ("note", .optional(note)), ("builtin", .bool(builtin)),
        ]))
    }

    /// Reads the stored shape back (the definition, its version and `builtin`).
    public init(stored json: JSON) throws(CDSError) {
        guard var o = json.objectValue else { throw CDSError.invalid("programme", "must be an object") }
        let version = o["version"]?.intValue, builtin = o["builtin"]?.boolValue
        o["version"] = nil
        o["builtin"] = nil
        for k in ["max_share_bp", "max_amount", "max_total", "max_public_share_bp", "min_local_share_bp", "note"] where o[k]?.isNull == true { o[k] = nil }
        try self.init(json: .object(o))
        guard let version, version >= 1, let builtin else { throw CDSError.invalid("programme.version", "a stored programme has a version and says whether it is built in") }
        self.version = version
        self.builtin = builtin
    }
}

/// The rules a programme may state: the last part of a broken rule's checklist key.
public enum ProgrammeRule: String, Vocabulary {
    /// The project's cost is at most the programme's ceiling.
    case totalCeiling = "total_ceiling"
    /// The grant is at most the programme's absolute cap.
    case amountCap = "amount_cap"
    /// The grant is at most a share of the cost.
    case shareCap = "share_cap"
    /// All public funds together, the grant included, are at most a share of the cost.
    case publicCap = "public_cap"
    /// The own or local contribution is at least a share of the cost.
    case localMinimum = "local_minimum"
    /// The programme the plan names is defined in the CDS.
    case known
    /// A rate converts the programme's currency into the plan's.
    case rateKnown = "rate_known"
    /// Every source the programme's shares depend on says where it comes from.
    case originsKnown = "origins_known"

    public var labels: Labels {
        switch self {
        case .totalCeiling: Labels(fr: "Le coût total du projet ne dépasse pas le plafond du programme", ar: "لا تتجاوز التكلفة الإجمالية للمشروع سقف البرنامج", en: "The project's total cost is within the programme's ceiling")
        case .amountCap: Labels(fr: "La subvention demandée ne dépasse pas le montant maximal du programme", ar: "لا تتجاوز المنحة المطلوبة المبلغ الأقصى للبرنامج", en: "The grant asked is within the programme's maximum amount")
        case .shareCap: Labels(fr: "La subvention demandée ne dépasse pas la part maximale du coût", ar: "لا تتجاوز المنحة المطلوبة الحصة القصوى من التكلفة", en: "The grant asked is within the programme's share of the cost")
        case .publicCap: Labels(fr: "L'ensemble des financements publics, subvention comprise, ne dépasse pas la part maximale du coût", ar: "لا يتجاوز مجموع التمويلات العمومية، بما فيها المنحة، الحصة القصوى من التكلفة", en: "All public funds together, the grant included, are within the cap on the cost")
        case .localMinimum: Labels(fr: "L'apport propre ou local atteint la part minimale du coût", ar: "تبلغ المساهمة الذاتية أو المحلية الحصة الدنيا من التكلفة", en: "The own or local contribution reaches the minimum share of the cost")
        case .known: Labels(fr: "Le programme sollicité est défini dans la CDS", ar: "البرنامج المطلوب معرف في الجماعة", en: "The programme asked is defined in the CDS")
        case .rateKnown: Labels(fr: "Un taux de change convertit la devise du programme dans celle du plan", ar: "يوجد سعر صرف يحول عملة البرنامج إلى عملة الخطة", en: "An exchange rate converts the programme's currency into the plan's")
        case .originsKnown: Labels(fr: "Chaque source du plan indique son origine (publique, locale…)", ar: "كل مصدر في الخطة يبين أصله (عمومي، محلي...)", en: "Every source of the plan states its origin (public, local…)")
        }
    }
}
