/// A commune, council, association, cooperative, NGO, enterprise, agency, diaspora
/// association, funder or facilitator.
public struct Organization: Sendable, Equatable {
    /// The opaque id (`org_…`).
    public var id: String
    /// What kind of organization it is.
    public var kind: OrganizationKind
    /// Its name.
    public var name: String
    /// ISO 3166-1 alpha-2 country of its seat (`MA` for Moroccan actors).
    public var country: String
    /// Its seat territory in Morocco (required for collectivités, at their level).
    public var territory: String?
    /// The city, for seats abroad.
    public var city: String?
    /// Contact e-mail.
    public var email: String?
    /// Web site.
    public var website: String?
    /// PAC sector codes it works in.
    public var sectors: [String]
    /// Its IATI organisation identifier (`XM-DAC-41114`, `MA-ICE-…`), when it has one: the
    /// `ref` of the organisation in IATI exports (the reporting organisation's makes the
    /// activity identifiers).
    public var iatiRef: String?
    /// When it was created.
    public var createdAt: Instant
    /// When it last changed.
    public var updatedAt: Instant

    /// An organization.
    public init(id: String, kind: OrganizationKind, name: String, country: String, territory: String?, city: String?,
                email: String?, website: String?, sectors: [String], createdAt: Instant, updatedAt: Instant) {
        self.id = id; self.kind = kind; self.name = name; self.country = country; self.territory = territory
        self.city = city; self.email = email; self.website = website; self.sectors = sectors
        self.createdAt = createdAt; self.updatedAt = updatedAt
    }

    /// The default name of a commune's organization: "Commune de Tafraout", "Commune d'Anzi".
    public static func communeName(_ territoryName: String) -> String {
        let elides = territoryName.first.map { "AEIOUYHÉÈaeiouyhéè".contains($0) } ?? false
        return (elides ? "Commune d'" : "Commune de ") + territoryName
    }

    /// A Moroccan actor: seated in Morocco and not the facilitator (the `actors_linked` rule).
    public var isMoroccanActor: Bool { country == "MA" && kind != .facilitator && kind != .diasporaAssociation }

    /// Checks the rules that need no database: texts, and that a collectivité is seated
    /// in Morocco, on a territory of its level (`seatLevel` is the level of `territory`).
    public func validate(seatLevel: TerritoryLevel?) throws(CDSError) {
        if let level = kind.seatLevel {
            guard territory != nil else { throw CDSError.invalid("territory", "a \(kind.rawValue) needs its territory") }
            guard country == "MA" else { throw CDSError.invalid("country", "a \(kind.rawValue) is in Morocco (MA)") }
            guard seatLevel == level else { throw CDSError.invalid("territory", "a \(kind.rawValue) is seated on a \(level.rawValue)") }
        }
        if territory != nil, country != "MA" { throw CDSError.invalid("territory", "a seat territory is in Morocco: country must be MA") }
        if let r = iatiRef, !IATI.isOrganisationIdentifier(r) {
            throw CDSError.invalid("iati_ref", "must be an IATI organisation identifier: an agency prefix, a hyphen and the number (XM-DAC-41114, MA-ICE-001525)")
        }
    }

    /// The JSON shape of `organization.get` (`iati_ref` only when set, so organizations of
    /// release 0.1.0 answer as they did).
    public var json: JSON {
        var o = JSONObject([
            ("id", .string(id)), ("kind", .string(kind.rawValue)), ("name", .string(name)), ("country", .string(country)),
            ("territory", .optional(territory)), ("city", .optional(city)), ("email", .optional(email)),
            ("website", .optional(website)), ("sectors", .strings(sectors)),
            ("created_at", .string(createdAt.description)), ("updated_at", .string(updatedAt.description)),
        ])
        if let iatiRef { o["iati_ref"] = .string(iatiRef) }
        return .object(o)
    }
}
