/// A person of the CDS: diaspora member, ADC, local actor, facilitator or admin (several
/// roles at once).
public struct Member: Sendable, Equatable {
    /// The opaque id (`mbr_…`).
    public var id: String
    /// Full name.
    public var name: String
    /// E-mail.
    public var email: String?
    /// Phone.
    public var phone: String?
    /// Gender.
    public var gender: Gender
    /// Roles, at least one, in a stable order.
    public var roles: [Role]
    /// ISO 3166-1 alpha-2 country of residence.
    public var residenceCountry: String
    /// City of residence.
    public var residenceCity: String?
    /// Territory of origin in Morocco (commune, province or region).
    public var origin: String?
    /// A friend of the territory with no Moroccan origin ("diaspora de cœur").
    public var heartDiaspora: Bool
    /// Languages spoken (ISO 639 codes).
    public var languages: [String]
    /// Skills (ISCO-08 or ESCO codes).
    public var skills: [String]
    /// For an ADC: the commune served.
    public var adcCommune: String?
    /// The member who brought this one in.
    public var invitedBy: String?
    /// Organizations the member belongs to, with the role held there.
    public var organizations: [Membership]
    /// Consents, one per purpose.
    public var consents: [Consent]
    /// Attested competences.
    public var competences: [Competence]
    /// When the member was created.
    public var createdAt: Instant
    /// When the member last changed.
    public var updatedAt: Instant
    /// When the member's personal data was erased (nil for a member in full).
    public var erasedAt: Instant? = nil

    /// A member.
    public init(id: String, name: String, email: String? = nil, phone: String? = nil, gender: Gender, roles: [Role],
                residenceCountry: String, residenceCity: String? = nil, origin: String? = nil, heartDiaspora: Bool = false,
                languages: [String] = [], skills: [String] = [], adcCommune: String? = nil, invitedBy: String? = nil,
                organizations: [Membership] = [], consents: [Consent] = [], competences: [Competence] = [],
                createdAt: Instant, updatedAt: Instant) {
        self.id = id; self.name = name; self.email = email; self.phone = phone; self.gender = gender; self.roles = roles
        self.residenceCountry = residenceCountry; self.residenceCity = residenceCity; self.origin = origin
        self.heartDiaspora = heartDiaspora; self.languages = languages; self.skills = skills; self.adcCommune = adcCommune
        self.invitedBy = invitedBy; self.organizations = organizations; self.consents = consents
        self.competences = competences; self.createdAt = createdAt; self.updatedAt = updatedAt
    }

    /// Counts as diaspora for the indicators: the diaspora role, heart diaspora included.
    public var isDiaspora: Bool { roles.contains(.diaspora) || heartDiaspora }

    /// True when the member currently consents to `purpose`.
    public func consents(to purpose: ConsentPurpose) -> Bool {
        consents.contains { $0.purpose == purpose && $0.withdrawnAt == nil }
    }

    /// The profile fields that identify a person, wiped by an erasure and redacted from
    /// the event log. What indicators count (roles, gender, country of residence, origin,
    /// heart diaspora, the commune served, who invited her, consents, competences) stays.
    public static let personalFields = ["name", "email", "phone", "residence_city", "languages", "skills", "organizations"]

    /// The member as an erasure leaves her: a surrogate name, no identifying field, every
    /// consent withdrawn at `at`.
    public func erased(surrogate: String, at: Instant) -> Member {
        var m = self
        m.name = surrogate
        m.email = nil; m.phone = nil; m.residenceCity = nil
        m.languages = []; m.skills = []; m.organizations = []
        m.consents = consents.map { c in var c = c; if c.withdrawnAt == nil { c.withdrawnAt = max(at, c.givenAt) }; return c }
        m.erasedAt = at
        m.updatedAt = at
        return m
    }

    /// The rules that need no database.
    public func validate(adcCommuneLevel: TerritoryLevel?) throws(CDSError) {
        guard !roles.isEmpty else { throw CDSError.invalid("roles", "a member has at least one role") }
        _ = try Validate.unique(roles, field: "roles")
        _ = try Validate.unique(languages, field: "languages")
        _ = try Validate.unique(skills, field: "skills")
        _ = try Validate.unique(organizations.map(\.organization), field: "organizations")
        if heartDiaspora, !roles.contains(.diaspora) {
            throw CDSError.invalid("heart_diaspora", "a heart-diaspora member has the diaspora role")
        }
        if adcCommune != nil {
            guard roles.contains(.adc) else { throw CDSError.invalid("adc_commune", "only a member with the adc role serves a commune") }
            guard adcCommuneLevel == .commune else { throw CDSError.invalid("adc_commune", "must be a commune code") }
        }
        if invitedBy == id { throw CDSError.invalid("invited_by", "a member cannot invite herself") }
    }

    /// The JSON shape of `member.get`.
    public var json: JSON {
        .object(JSONObject([
            ("id", .string(id)), ("name", .string(name)), ("email", .optional(email)), ("phone", .optional(phone)),
            ("gender", .string(gender.rawValue)), ("roles", .strings(roles.map(\.rawValue))),
            ("residence_country", .string(residenceCountry)), ("residence_city", .optional(residenceCity)),
            ("origin", .optional(origin)), ("heart_diaspora", .bool(heartDiaspora)),
            ("languages", .strings(languages)), ("skills", .strings(skills)), ("adc_commune", .optional(adcCommune)),
            ("invited_by", .optional(invitedBy)),
            ("organizations", .array(organizations.map(\.json))),
            ("consents", .array(consents.map(\.json))),
            ("competences", .array(competences.map(\.json))),
            ("created_at", .string(createdAt.description)), ("updated_at", .string(updatedAt.description)),
            ("erased_at", erasedAt.map { .string($0.description) } ?? .null),
        ]))
    }
}

/// A member's belonging to an organization, with the role held there (president, member…).
public struct Membership: Sendable, Equatable {
    /// The organization's id.
    public var organization: String
    /// The role held, free text (president, treasurer, member…).
    public var role: String
    /// A membership.
    public init(organization: String, role: String) { self.organization = organization; self.role = role }
    /// `{"organization", "role"}`.
    public var json: JSON { ["organization": .string(organization), "role": .string(role)] }

    /// The declared shape: `{"organization", "role"}`, both required.
    public static let schema = Schema.object([
        .init("organization", .id, required: true, "the organization's id"),
        .init("role", .text(maxLength: Limits.reference), required: true, "the role held there: president, treasurer, member…"),
    ])

    /// Reads `{"organization", "role"}` as `schema` declares it.
    public init(json: JSON, path: String) throws(CDSError) {
        let r = try JSONReader(json, path: path, schema: Membership.schema)
        guard let o = r.object["organization"]?.stringValue else { throw CDSError.invalid(r.at("organization"), "is required") }
        self.init(organization: o, role: try r.requiredText("role"))
    }
}

/// A consent given by a member, for one purpose, to one version of the text.
public struct Consent: Sendable, Equatable {
    /// What is consented to.
    public var purpose: ConsentPurpose
    /// The version of the text agreed to.
    public var version: String
    /// When it was given.
    public var givenAt: Instant
    /// When it was withdrawn (nil while in force).
    public var withdrawnAt: Instant?
    /// A consent record.
    public init(purpose: ConsentPurpose, version: String, givenAt: Instant, withdrawnAt: Instant? = nil) {
        self.purpose = purpose; self.version = version; self.givenAt = givenAt; self.withdrawnAt = withdrawnAt
    }
    /// `{"purpose", "version", "given_at", "withdrawn_at"}`.
    public var json: JSON {
        .object(JSONObject([
            ("purpose", .string(purpose.rawValue)), ("version", .string(version)),
            ("given_at", .string(givenAt.description)), ("withdrawn_at", withdrawnAt.map { .string($0.description) } ?? .null),
        ]))
    }
}

/// A competence attested to a member on a date, by a facilitator or admin.
public struct Competence: Sendable, Equatable {
    /// The opaque id (`cmp_…`).
    public var id: String
    /// The member.
    public var member: String
    /// The competence.
    public var competence: CompetenceKind
    /// The day it was attested.
    public var attestedOn: LocalDate
    /// Who attested it.
    public var attestedBy: String?
    /// The training module completed, if any.
    public var module: String?
    /// The enrollment whose completion attested it (nil: attested by hand).
    public var enrollment: String?
    /// The day it was revoked, if it was.
    public var revokedOn: LocalDate?
    /// Why it was revoked.
    public var revocationReason: String?
    /// A competence record.
    public init(id: String, member: String, competence: CompetenceKind, attestedOn: LocalDate, attestedBy: String?, module: String?,
                enrollment: String? = nil, revokedOn: LocalDate? = nil, revocationReason: String? = nil) {
        self.id = id; self.member = member; self.competence = competence; self.attestedOn = attestedOn
        self.attestedBy = attestedBy; self.module = module
        self.enrollment = enrollment; self.revokedOn = revokedOn; self.revocationReason = revocationReason
    }
    /// `{"id", "member", "competence", "attested_on", "by", "module"}`, with `"origin": "module"` and
    /// `enrollment` for a module's attestation, and `revoked_on` and `revocation_reason` once
    /// revoked (only when they apply, so a record of release 0.1.0 reads as it did).
    public var json: JSON {
        var o = JSONObject([
            ("id", .string(id)), ("member", .string(member)), ("competence", .string(competence.rawValue)),
            ("attested_on", .string(attestedOn.description)), ("by", .optional(attestedBy)), ("module", .optional(module)),
        ])
        if let e = enrollment { o["origin"] = "module"; o["enrollment"] = .string(e) }
        if let r = revokedOn { o["revoked_on"] = .string(r.description); o["revocation_reason"] = .optional(revocationReason) }
        return .object(o)
    }
}

/// A partnership convention between the CDS and a collectivité.
public struct Agreement: Sendable, Equatable {
    /// The opaque id (`agr_…`).
    public var id: String
    /// The collectivité's organization id.
    public var organization: String
    /// The day it was signed.
    public var signedOn: LocalDate
    /// The day it is due to end, if set when signing.
    public var endsOn: LocalDate?
    /// The day it was ended early, with `agreement.end`.
    public var endedOn: LocalDate?
    /// Why it was ended.
    public var endReason: String?
    /// The convention's own reference.
    public var reference: String?

    /// An agreement.
    public init(id: String, organization: String, signedOn: LocalDate, endsOn: LocalDate?, endedOn: LocalDate? = nil,
                endReason: String? = nil, reference: String? = nil) {
        self.id = id; self.organization = organization; self.signedOn = signedOn; self.endsOn = endsOn
        self.endedOn = endedOn; self.endReason = endReason; self.reference = reference
    }

    /// In force on `day`: signed on or before it, and neither due to end nor ended before it.
    /// An agreement ended on a day is no longer in force that day.
    public func isInForce(on day: LocalDate) -> Bool {
        guard signedOn <= day else { return false }
        if let endsOn, day > endsOn { return false }
        if let endedOn, day >= endedOn { return false }
        return true
    }

    /// The rules that need no database.
    public func validate() throws(CDSError) {
        try Validate.order(signedOn, endsOn, field: "ends_on", startField: "signed_on")
        try Validate.order(signedOn, endedOn, field: "ended_on", startField: "signed_on")
    }

    /// The JSON shape of an agreement, with `in_force` on `today`.
    public func json(today: LocalDate) -> JSON {
        .object(JSONObject([
            ("id", .string(id)), ("organization", .string(organization)), ("signed_on", .string(signedOn.description)),
            ("ends_on", .optional(endsOn?.description)), ("ended_on", .optional(endedOn?.description)),
            ("end_reason", .optional(endReason)), ("reference", .optional(reference)), ("in_force", .bool(isInForce(on: today))),
        ]))
    }
}
