/// What the log records of a member and the readers use, as typed fields: every field on
/// `member.created`, the changed ones on `member.updated` (nil: unchanged).
public struct MemberFacts: Sendable, Equatable {
    /// Role codes (`diaspora`, `adc`…).
    public var roles: [String]?
    /// A friend of the territory with no Moroccan origin.
    public var heartDiaspora: Bool?
    /// Gender code.
    public var gender: String?
    /// Country of residence.
    public var residenceCountry: String?
    /// Territory of origin (the inner nil: none).
    public var origin: String??
    /// For an ADC, the commune served (the inner nil: none).
    public var adcCommune: String??
    /// The member who brought this one in (the inner nil: none).
    public var invitedBy: String??

    /// No facts (the fold's start).
    public init() {}

    /// Reads `after` of a member event; `creation` requires every field.
    public init(_ r: PayloadReader, creation: Bool) throws(CDSError) {
        roles = try r.field("roles", required: creation, PayloadReader.strings)
        heartDiaspora = try r.field("heart_diaspora", required: creation, PayloadReader.bool)
        gender = try r.field("gender", required: creation, PayloadReader.string)
        residenceCountry = try r.field("residence_country", required: creation, PayloadReader.string)
        origin = try r.field("origin", required: creation, PayloadReader.optionalString)
        adcCommune = try r.field("adc_commune", required: creation, PayloadReader.optionalString)
        invitedBy = try r.field("invited_by", required: creation, PayloadReader.optionalString)
    }

    /// These facts, overwritten by those a later change records.
    public mutating func merge(_ c: MemberFacts) {
        if let v = c.roles { roles = v }
        if let v = c.heartDiaspora { heartDiaspora = v }
        if let v = c.gender { gender = v }
        if let v = c.residenceCountry { residenceCountry = v }
        if let v = c.origin { origin = v }
        if let v = c.adcCommune { adcCommune = v }
        if let v = c.invitedBy { invitedBy = v }
    }
}

/// `member.created`, v1: `{"after": <every field of the member>}`.
public enum MemberCreated {
    /// The event type.
    public static let type = EventType.memberCreated
    /// The v1 payload.
    public static func payload(_ m: Member) -> JSON { ["after": MemberEvents.snapshot(m)] }
    /// The facts it records.
    public static func decode(_ r: PayloadReader) throws(CDSError) -> MemberFacts { try MemberFacts(r.part("after"), creation: true) }
}

/// `member.updated`, v1: the changed fields, `before` and `after`.
public enum MemberUpdated {
    /// The event type.
    public static let type = EventType.memberUpdated
    /// The v1 payload.
    public static func payload(before: Member, after: Member) -> JSON {
        PayloadDiff.between(MemberEvents.snapshot(before), MemberEvents.snapshot(after))
    }
    /// The facts it changes.
    public static func decode(_ r: PayloadReader) throws(CDSError) -> MemberFacts { try MemberFacts(r.part("after"), creation: false) }
}

/// `member.erased`, v1: `{"after": {"erased_at": instant}}`; it changes no counted fact.
public enum MemberErased {
    /// The event type.
    public static let type = EventType.memberErased
    /// The v1 payload.
    public static func payload(erasedAt: Instant) -> JSON { ["after": ["erased_at": .string(erasedAt.description)]] }
    /// Checks the payload and answers the facts it changes (none).
    public static func decode(_ r: PayloadReader) throws(CDSError) -> MemberFacts {
        let after = try r.part("after")
        guard Instant(try after.string("erased_at")) != nil else { throw after.failure("erased_at", "is not an RFC 3339 instant") }
        return MemberFacts()
    }
}

/// The member's shape in the log, written here so that renaming an API field leaves history alone.
public enum MemberEvents {
    /// Every field of the member, v1 keys (release 0.1.0's).
    public static func snapshot(_ m: Member) -> JSON {
        .object(JSONObject([
            ("id", .string(m.id)), ("name", .string(m.name)), ("email", .optional(m.email)), ("phone", .optional(m.phone)),
            ("gender", .string(m.gender.rawValue)), ("roles", .strings(m.roles.map(\.rawValue))),
            ("residence_country", .string(m.residenceCountry)), ("residence_city", .optional(m.residenceCity)),
            ("origin", .optional(m.origin)), ("heart_diaspora", .bool(m.heartDiaspora)),
            ("languages", .strings(m.languages)), ("skills", .strings(m.skills)), ("adc_commune", .optional(m.adcCommune)),
            ("invited_by", .optional(m.invitedBy)),
            ("organizations", .array(m.organizations.map { ["organization": .string($0.organization), "role": .string($0.role)] })),
            ("consents", .array(m.consents.map(consent))),
            ("competences", .array(m.competences.map(competence))),
            ("created_at", .string(m.createdAt.description)), ("updated_at", .string(m.updatedAt.description)),
            ("erased_at", m.erasedAt.map { .string($0.description) } ?? .null),
        ]))
    }

    /// A consent, v1 keys.
    public static func consent(_ c: Consent) -> JSON {
        .object(JSONObject([
            ("purpose", .string(c.purpose.rawValue)), ("version", .string(c.version)),
            ("given_at", .string(c.givenAt.description)), ("withdrawn_at", c.withdrawnAt.map { .string($0.description) } ?? .null),
        ]))
    }

    /// A competence, v1 keys.
    public static func competence(_ c: Competence) -> JSON {
        .object(JSONObject([
            ("id", .string(c.id)), ("member", .string(c.member)), ("competence", .string(c.competence.rawValue)),
            ("attested_on", .string(c.attestedOn.description)), ("by", .optional(c.attestedBy)), ("module", .optional(c.module)),
        ]))
    }

    /// A payload of one of her events without the personal fields (in `after` and `before`), marked redacted.
    public static func redacted(_ r: PayloadReader) throws(CDSError) -> JSON {
        var o = r.object
        for part in ["before", "after"] where r.has(part) {
            var inner = try r.part(part).object
            for k in Member.personalFields { inner[k] = nil }
            o[part] = .object(inner)
        }
        o["redacted"] = true
        return .object(o)
    }
}

/// `consent.given` and `consent.withdrawn`, v1: `{"after": <the consent>}`.
public enum ConsentRecorded {
    /// The v1 payload.
    public static func payload(_ c: Consent) -> JSON { ["after": MemberEvents.consent(c)] }
}

/// `competence.attested`, v1: `{"after": <the competence>}`.
public enum CompetenceAttested {
    /// The event type.
    public static let type = EventType.competenceAttested
    /// The v1 payload.
    public static func payload(_ c: Competence) -> JSON { ["after": MemberEvents.competence(c)] }
    /// The record's id, the competence code and the day attested.
    public static func decode(_ r: PayloadReader) throws(CDSError) -> (id: String, competence: String, attestedOn: LocalDate) {
        let a = try r.part("after")
        return (try a.string("id"), try a.string("competence"), try a.date("attested_on"))
    }
}

/// `agreement.signed`, v1: `{"after": <the agreement, with in_force on the signing day>}`.
public enum AgreementSigned {
    /// The event type.
    public static let type = EventType.agreementSigned
    /// The v1 payload.
    public static func payload(_ a: Agreement) -> JSON {
        ["after": .object(JSONObject([
            ("id", .string(a.id)), ("organization", .string(a.organization)), ("signed_on", .string(a.signedOn.description)),
            ("ends_on", .optional(a.endsOn?.description)), ("ended_on", .optional(a.endedOn?.description)),
            ("end_reason", .optional(a.endReason)), ("reference", .optional(a.reference)), ("in_force", .bool(a.isInForce(on: a.signedOn))),
        ]))]
    }
    /// The collectivité, the day signed and the day it is due to end.
    public static func decode(_ r: PayloadReader) throws(CDSError) -> (organization: String, signedOn: LocalDate, endsOn: LocalDate?) {
        let a = try r.part("after")
        return (try a.string("organization"), try a.date("signed_on"), try a.optionalDate("ends_on"))
    }
}

/// `agreement.ended`, v1: `{"after": {"ended_on", "end_reason"}}`.
public enum AgreementEnded {
    /// The event type.
    public static let type = EventType.agreementEnded
    /// The v1 payload.
    public static func payload(endedOn: LocalDate, reason: String?) -> JSON {
        ["after": ["ended_on": .string(endedOn.description), "end_reason": .optional(reason)]]
    }
    /// The day it ended.
    public static func decode(_ r: PayloadReader) throws(CDSError) -> LocalDate { try r.part("after").date("ended_on") }
}
