/// The levels of Morocco's administrative tree.
public enum TerritoryLevel: String, Vocabulary {
    case region, province, commune
    public var labels: Labels {
        switch self {
        case .region: Labels(fr: "Région", ar: "جهة", en: "Region")
        case .province: Labels(fr: "Province ou préfecture", ar: "إقليم أو عمالة", en: "Province or prefecture")
        case .commune: Labels(fr: "Commune", ar: "جماعة", en: "Commune")
        }
    }
}

/// A node of Morocco's administrative tree, keyed by its dotted HCP code (`09.541.11.33`).
public struct Territory: Sendable, Equatable {
    /// The HCP code: `09` (region), `09.541` (province), `09.541.11.33` (commune).
    public var code: String
    /// Region, province or commune.
    public var level: TerritoryLevel
    /// The parent's code (nil for a region).
    public var parent: String?
    /// The French name.
    public var nameFr: String
    /// The Arabic name.
    public var nameAr: String
    /// region, province, prefecture, urban or rural.
    public var kind: String
    /// The population of the 2024 census.
    public var population: Int64?
    /// In the former Souss-Massa-Drâa region (2009–2015).
    public var formerRegionSMD: Bool

    /// A territory.
    public init(code: String, level: TerritoryLevel, parent: String?, nameFr: String, nameAr: String, kind: String, population: Int64?, formerRegionSMD: Bool) {
        self.code = code; self.level = level; self.parent = parent; self.nameFr = nameFr; self.nameAr = nameAr
        self.kind = kind; self.population = population; self.formerRegionSMD = formerRegionSMD
    }

    /// True when `code` is this territory or lies below it (`09.541` contains `09.541.11.33`).
    public func contains(_ code: String) -> Bool { Territory.code(code, isWithin: self.code) }

    /// True when `code` equals `ancestor` or is one of its descendants.
    public static func code(_ code: String, isWithin ancestor: String) -> Bool {
        code == ancestor || code.hasPrefix(ancestor + ".")
    }

    /// The contract's shape: `{"code", "level", "parent", "name": {"fr", "ar"}, "kind", "population", "former_region_smd"}`.
    public var json: JSON {
        .object(JSONObject([
            ("code", .string(code)), ("level", .string(level.rawValue)), ("parent", .optional(parent)),
            ("name", ["fr": .string(nameFr), "ar": .string(nameAr)]), ("kind", .string(kind)),
            ("population", .optional(population)), ("former_region_smd", .bool(formerRegionSMD)),
        ]))
    }
}
