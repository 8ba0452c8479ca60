import CDSCore
import CDSStore

enum OrganizationMethods {
    /// The fields of an organization, declared once for `organization.create` and `organization.update`.
    static let fields: [Field<Organization>] = [
        .term("kind", \.kind, required: true, "what kind of organization"),
        .text("name", \.name, max: Limits.name, "its name (required, except for a commune: \"Commune de\" and the territory's name)"),
        .string("country", \.country, .string(maxLength: 2), "ISO 3166-1 alpha-2 country of its seat (default MA)"),
        .string("territory", \.territory, .string(maxLength: 20), "seat territory in Morocco (HCP code); a commune's is a commune"),
        .text("city", \.city, max: Limits.city, "city, for a seat abroad"),
        .string("email", \.email, .string(maxLength: Limits.email), "contact e-mail"),
        .string("website", \.website, .string(maxLength: Limits.url), "web site"),
        .codes("sectors", \.sectors, "PAC sector codes (reference.list dataset pac_sectors)"),
        .string("iati_ref", \.iatiRef, .string(maxLength: 100), "its IATI organisation identifier (XM-DAC-41114, MA-ICE-…): its ref in IATI exports"),
    ]

    static let all: [Method] = [
        Method("organization.create", "Creates an organization: a commune, council, association, cooperative, diaspora association, funder…",
               mutating: true, fields.properties(update: false)) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.createOrganization(change: c.change) { (o: inout Organization) throws(CDSError) in try fields.apply(p, to: &o) }.json
        },
        Method("organization.get", "An organization by id.", [.init("id", .id, required: true, "the organization's id")]) { c throws(CDSError) in
            try c.db.store.organization(try c.params.requiredString("id")).json
        },
        Method("organization.update", "Changes the given fields of an organization (null clears an optional one).",
               mutating: true, [.init("id", .id, required: true, "the organization's id")] + fields.properties(update: true)) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.updateOrganization(try p.requiredString("id"), change: c.change) { (o: inout Organization) throws(CDSError) in
                try fields.apply(p, to: &o)
            }.json
        },
        Method("organization.list", "Organizations by kind, country, territory (with what lies below it) and name, in creation order.",
               [.init("kind", .vocabulary(OrganizationKind.self), "only this kind"), .init("country", .string(maxLength: 2), "only seated in this country"),
                .init("territory", .string(maxLength: 20), "only seated in this territory or below it"),
                Paging.query, Paging.limit, Paging.cursor]) { c throws(CDSError) in
            let p = c.params
            let page = try c.db.store.organizations(kind: try p.term("kind", OrganizationKind.self), country: p.string("country"),
                                                    territory: p.string("territory"), query: p.string("q"), limit: p.limit, cursor: try p.sequenceCursor())
            return Paging.json(page) { $0.json }
        },
    ]
}

enum MemberMethods {
    /// The profile fields of a member, declared once for `member.create` and `member.update`.
    static let fields: [Field<Member>] = [
        .text("name", \.name, max: Limits.name, required: true, "full name"),
        .term("gender", \.gender, required: true, "f, m, x or undisclosed"),
        .terms("roles", \.roles, maxItems: 5, required: true, "diaspora, adc, local_actor, facilitator, admin (one or more)"),
        .string("residence_country", \.residenceCountry, .string(maxLength: 2), required: true, "ISO 3166-1 alpha-2 country of residence"),
        .text("residence_city", \.residenceCity, max: Limits.city, "city of residence"),
        .string("email", \.email, .string(maxLength: Limits.email), "e-mail (unique)"),
        .string("phone", \.phone, .string(maxLength: Limits.phone), "phone"),
        .string("origin", \.origin, .string(maxLength: 20), "territory of origin in Morocco (HCP code)"),
        .bool("heart_diaspora", \.heartDiaspora, "a friend of the territory with no Moroccan origin (diaspora de cœur)"),
        .codes("languages", \.languages, "ISO 639 codes (reference.list dataset languages)"),
        .codes("skills", \.skills, "ISCO-08 or ESCO skill-group codes (reference.list dataset skills)"),
        .string("adc_commune", \.adcCommune, .string(maxLength: 20), "for an ADC: the commune served"),
        .string("invited_by", \.invitedBy, .id, "the member who brought this one in"),
        .list("organizations", \.organizations, of: Membership.schema, maxItems: Limits.listItems, "organizations the member belongs to") { j, path throws(CDSError) in
            try Membership(json: j, path: path)
        },
    ]

    static let consent = Schema.object([
        .init("purpose", .vocabulary(ConsentPurpose.self), required: true, "what is consented to"),
        .init("version", .text(maxLength: Limits.reference), required: true, "the version of the text agreed to"),
    ])

    /// The consents given on registration (`consents` of `member.create`, and of a profile accepting an invitation).
    static func consents(_ p: Params) throws(CDSError) -> [(purpose: ConsentPurpose, version: String)] {
        var out: [(purpose: ConsentPurpose, version: String)] = []
        for (n, o) in (p.value("consents")?.arrayValue ?? []).enumerated() {
            let r = try JSONReader(o, path: "consents[\(n)]", schema: consent)
            out.append((try ConsentPurpose.parse(r.object["purpose"]?.stringValue ?? "", field: r.at("purpose")), try r.requiredText("version")))
        }
        return out
    }

    static let all: [Method] = [
        Method("member.create", "Registers a member (diaspora, ADC, local actor, facilitator, admin) with the consents given.",
               mutating: true, fields.properties(update: false) + [.init("consents", .array(consent, maxItems: 10), "consents given on registration")]) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.createMember(consents: try consents(p), change: c.change) { (m: inout Member) throws(CDSError) in
                try fields.apply(p, to: &m)
                try c.viewer.checkRoleChange(from: [], to: m.roles)
            }.json
        },
        Method("member.get", "A member by id, with consents and competences.", [.init("id", .id, required: true, "the member's id")]) { c throws(CDSError) in
            try Sight(c).requireMember(try c.db.store.member(try c.params.requiredString("id")))
        },
        Method("member.update", "Changes the given profile fields of a member (null clears an optional one).",
               mutating: true, [.init("id", .id, required: true, "the member's id")] + fields.properties(update: true)) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.updateMember(try p.requiredString("id"), change: c.change) { (m: inout Member) throws(CDSError) in
                let before = m.roles
                try fields.apply(p, to: &m)
                try c.viewer.checkRoleChange(from: before, to: m.roles)
            }.json
        },
        Method("member.list", "Members by role, residence, origin (with what lies below it), ADC commune, skill, language and name.",
               [.init("role", .vocabulary(Role.self), "only members with this role"),
                .init("residence_country", .string(maxLength: 2), "only members living in this country"),
                .init("origin", .string(maxLength: 20), "only members from this territory or below it"),
                .init("adc_commune", .string(maxLength: 20), "only the ADCs of this commune"),
                .init("skill", .string(maxLength: 64), "only members with this skill code"),
                .init("language", .string(maxLength: 16), "only members speaking this language"),
                Paging.query, Paging.limit, Paging.cursor]) { c throws(CDSError) in
            let p = c.params
            let f = MemberFilter(role: try p.term("role", Role.self), residenceCountry: p.string("residence_country"), origin: p.string("origin"),
                                 adcCommune: p.string("adc_commune"), skill: p.string("skill"), language: p.string("language"), query: p.string("q"))
            let sight = Sight(c)
            return try Paging.visible(try c.db.store.members(f, limit: p.limit, cursor: try p.sequenceCursor())) { (m: Member) throws(CDSError) in try sight.member(m) }
        },
        Method("member.export", "Everything the CDS holds about one person, as versioned JSON (GDPR arts. 15 and 20, law 09-08).",
               [.init("id", .id, required: true, "the member's id")]) { c throws(CDSError) in
            try c.db.store.exportMember(try c.params.requiredString("id"))
        },
        Method("member.erase", "Erases a person's identifying data (GDPR art. 17); what indicators count stays, anonymous.", mutating: true,
               [.init("id", .id, required: true, "the member's id")]) { c throws(CDSError) in
            try c.db.store.eraseMember(try c.params.requiredString("id"), change: c.change).json
        },
        Method("consent.give", "Records (or renews) a member's consent to a purpose, for a version of the text.", mutating: true,
               [.init("member", .id, required: true, "the member's id"), .init("purpose", .vocabulary(ConsentPurpose.self), required: true, "what is consented to"),
                .init("version", .text(maxLength: Limits.reference), required: true, "the version of the text agreed to")]) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.giveConsent(member: try p.requiredString("member"), purpose: try p.term("purpose", ConsentPurpose.self) ?? .processing,
                                              version: try p.requiredString("version"), change: c.change).json
        },
        Method("consent.withdraw", "Withdraws a member's consent to a purpose, at once.", mutating: true,
               [.init("member", .id, required: true, "the member's id"), .init("purpose", .vocabulary(ConsentPurpose.self), required: true, "the purpose")]) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.withdrawConsent(member: try p.requiredString("member"), purpose: try p.term("purpose", ConsentPurpose.self) ?? .processing,
                                                  change: c.change).json
        },
        Method("competence.attest", "Attests a competence of a member (an ADC's project engineering, communication…) on a date.", mutating: true,
               [.init("member", .id, required: true, "the member's id"),
                .init("competence", .vocabulary(CompetenceKind.self), required: true, "the competence"),
                .init("attested_on", .date, required: true, "the day it was attested"),
                .init("by", .id, "the facilitator or admin who attests it"),
                .init("module", .text(maxLength: Limits.name), "the training module completed")]) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.attestCompetence(member: try p.requiredString("member"), competence: try p.term("competence", CompetenceKind.self) ?? .communication,
                                                   on: try p.requiredDate("attested_on"), by: p.string("by"), module: p.string("module"), change: c.change).json
        },
    ]
}

enum AgreementMethods {
    static let all: [Method] = [
        Method("agreement.sign", "Signs a partnership agreement between the CDS and a collectivité.", mutating: true,
               [.init("organization", .id, required: true, "the collectivité's organization id"),
                .init("signed_on", .date, required: true, "the day it was signed"),
                .init("ends_on", .date, "the day it is due to end"),
                .init("reference", .text(maxLength: Limits.reference), "the convention's reference")]) { c throws(CDSError) in
            let p = c.params
            let a = try c.db.store.signAgreement(organization: try p.requiredString("organization"), signedOn: try p.requiredDate("signed_on"),
                                                 endsOn: try p.date("ends_on"), reference: p.string("reference"), change: c.change)
            return a.json(today: c.db.store.now.date)
        },
        Method("agreement.end", "Ends an agreement: it is no longer in force from that day.", mutating: true,
               [.init("id", .id, required: true, "the agreement's id"), .init("ended_on", .date, required: true, "the day it ends"),
                .init("reason", .text(maxLength: Limits.note), "why")]) { c throws(CDSError) in
            let p = c.params
            let a = try c.db.store.endAgreement(try p.requiredString("id"), endedOn: try p.requiredDate("ended_on"), reason: p.string("reason"), change: c.change)
            return a.json(today: c.db.store.now.date)
        },
        Method("agreement.get", "An agreement by id.", [.init("id", .id, required: true, "the agreement's id")]) { c throws(CDSError) in
            try c.db.store.agreement(try c.params.requiredString("id")).json(today: c.db.store.now.date)
        },
        Method("agreement.list", "Agreements of an organization, or in force on a day, in signing order.",
               [.init("organization", .id, "only this organization's"), .init("in_force_on", .date, "only those in force on this day"),
                Paging.limit, Paging.cursor]) { c throws(CDSError) in
            let p = c.params
            let today = c.db.store.now.date
            let page = try c.db.store.agreements(organization: p.string("organization"), inForceOn: try p.date("in_force_on"), limit: p.limit,
                                                 cursor: try p.sequenceCursor())
            return Paging.json(page) { $0.json(today: today) }
        },
    ]
}
