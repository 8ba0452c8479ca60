/// The components of a match score.
public enum MatchComponent: String, Vocabulary {
    case skills, territory, time, capacity, sector
    public var labels: Labels {
        switch self {
        case .skills: Labels(fr: "Compétences", ar: "الكفاءات", en: "Skills")
        case .territory: Labels(fr: "Attache territoriale", ar: "الارتباط الترابي", en: "Territorial affinity")
        case .time: Labels(fr: "Disponibilité", ar: "التوفر", en: "Availability")
        case .capacity: Labels(fr: "Capacité", ar: "القدرة", en: "Capacity")
        case .sector: Labels(fr: "Secteur", ar: "القطاع", en: "Sector")
        }
    }
}

/// The weights of the score's components; the score is their weighted mean, in [0, 1].
/// Stored per database (`match.set_weights`); integers keep the arithmetic exact and the
/// results the same on every machine.
public struct MatchWeights: Sendable, Equatable {
    public var skills: Int
    public var territory: Int
    public var time: Int
    public var capacity: Int
    public var sector: Int

    /// The defaults: skills 40, territory 25, time 15, capacity 10, sector 10.
    public static let standard = MatchWeights(skills: 40, territory: 25, time: 15, capacity: 10, sector: 10)

    /// Weights; each in 0...1000, their sum above 0 (checked by `validate`).
    public init(skills: Int, territory: Int, time: Int, capacity: Int, sector: Int) {
        self.skills = skills; self.territory = territory; self.time = time; self.capacity = capacity; self.sector = sector
    }

    /// The weight of a component.
    public subscript(_ c: MatchComponent) -> Int {
        switch c {
        case .skills: skills
        case .territory: territory
        case .time: time
        case .capacity: capacity
        case .sector: sector
        }
    }

    /// The sum of the weights.
    public var total: Int { skills + territory + time + capacity + sector }

    /// Each weight in 0...1000 and at least one above 0.
    public func validate() throws(CDSError) {
        for c in MatchComponent.allCases where !(0...1000).contains(self[c]) {
            throw CDSError.invalid("weights.\(c.rawValue)", "must be an integer from 0 to 1000")
        }
        guard total > 0 else { throw CDSError.invalid("weights", "at least one weight must be above 0") }
    }

    /// Reads `{"skills", "territory", "time", "capacity", "sector"}`; a missing one keeps `base`'s.
    public init(json: JSON, base: MatchWeights) throws(CDSError) {
        let r = try JSONReader(json, path: "weights", known: MatchComponent.codes)
        func w(_ c: MatchComponent) throws(CDSError) -> Int {
            guard let v = try r.integer(c.rawValue, in: 0...1000) else { return base[c] }
            return Int(v)
        }
        self.init(skills: try w(.skills), territory: try w(.territory), time: try w(.time), capacity: try w(.capacity), sector: try w(.sector))
        try validate()
    }

    /// `{"skills": 40, …}`.
    public var json: JSON { .object(JSONObject(MatchComponent.allCases.map { ($0.rawValue, JSON.int(Int64(self[$0]))) })) }
}

/// An offer as the matcher sees it: only eligible offers are given (active, contact
/// consent of the offerer, capacity left).
public struct MatchOffer: Sendable, Equatable {
    public var id: String
    /// The member or organization that offers.
    public var owner: String
    /// The owner is a member (else an organization).
    public var ownerIsMember: Bool
    public var kind: ResourceKind
    /// The offer's skills and, for a member, the member's own.
    public var skills: [String]
    /// Capacity left (the capacity less what accepted matches already pledged).
    public var capacity: Quantity
    public var windows: [AvailabilityWindow]
    public var remote: Bool
    public var onSite: Bool
    /// Languages spoken (the offer's and the member's).
    public var languages: [String]
    /// The commune of origin of a member, or the territory of an organization.
    public var origin: String?
    /// Territories of interest.
    public var interests: [String]
    /// PAC sectors of interest (none: open to all).
    public var sectors: [String]
    /// A member who lives abroad: on site only within a travel window.
    public var abroad: Bool

    /// An offer for the matcher.
    public init(id: String, owner: String, ownerIsMember: Bool, kind: ResourceKind, skills: [String], capacity: Quantity, windows: [AvailabilityWindow],
                remote: Bool, onSite: Bool, languages: [String], origin: String?, interests: [String], sectors: [String], abroad: Bool) {
        self.id = id; self.owner = owner; self.ownerIsMember = ownerIsMember; self.kind = kind; self.skills = skills; self.capacity = capacity
        self.windows = windows; self.remote = remote; self.onSite = onSite; self.languages = languages; self.origin = origin
        self.interests = interests; self.sectors = sectors; self.abroad = abroad
    }
}

/// An open need as the matcher sees it, with its project's communes and sector.
public struct MatchNeed: Sendable, Equatable {
    public var id: String
    public var project: String
    public var kind: ResourceKind
    public var skills: [String]
    /// What is left to cover.
    public var remaining: Quantity
    public var from: LocalDate?
    public var until: LocalDate?
    public var mode: WorkMode
    /// Languages required (all of them).
    public var languages: [String]
    /// The project's communes.
    public var communes: [String]
    /// The project's PAC sector.
    public var sector: String?
    /// Offers declined before for this need.
    public var declined: [String]

    /// A need for the matcher.
    public init(id: String, project: String, kind: ResourceKind, skills: [String], remaining: Quantity, from: LocalDate?, until: LocalDate?,
                mode: WorkMode, languages: [String], communes: [String], sector: String?, declined: [String] = []) {
        self.id = id; self.project = project; self.kind = kind; self.skills = skills; self.remaining = remaining; self.from = from
        self.until = until; self.mode = mode; self.languages = languages; self.communes = communes; self.sector = sector; self.declined = declined
    }
}

/// What the matcher knows of the reference data: the skill taxonomy (parent groups),
/// the territories (parents, levels) and the names it puts in its explanations.
public struct MatchTaxonomy: Sendable {
    /// Skill code → its parent group in ISCO-08 or ESCO.
    public var skillParent: [String: String]
    /// Territory code → (level, parent).
    public var territories: [String: (level: TerritoryLevel, parent: String?)]
    /// Names of skills, territories, languages and sectors, by code, for explanations.
    public var names: [String: Labels]

    /// A taxonomy.
    public init(skillParent: [String: String], territories: [String: (level: TerritoryLevel, parent: String?)], names: [String: Labels]) {
        self.skillParent = skillParent; self.territories = territories; self.names = names
    }

    /// The province and the region of a territory (itself when it is one).
    func ancestors(_ code: String) -> (commune: String?, province: String?, region: String?) {
        guard let t = territories[code] else { return (nil, nil, nil) }
        switch t.level {
        case .region: return (nil, nil, code)
        case .province: return (nil, code, t.parent)
        case .commune:
            let p = t.parent
            return (code, p, p.flatMap { territories[$0]?.parent })
        }
    }

    /// The name of a code in a locale (the code itself when unknown; French for a territory in English).
    func name(_ code: String) -> Labels { names[code] ?? Labels(fr: code, ar: code, en: code) }
}
