import CDSCore
import GRDB

/// Filters of `member.list`.
public struct MemberFilter: Sendable {
    /// Holds this role.
    public var role: Role?
    /// Lives in this country.
    public var residenceCountry: String?
    /// Comes from this territory or one below it.
    public var origin: String?
    /// Serves this commune as ADC.
    public var adcCommune: String?
    /// Has this skill.
    public var skill: String?
    /// Speaks this language.
    public var language: String?
    /// Name or city contains this (accents ignored).
    public var query: String?
    /// Filters; nil fields do not filter.
    public init(role: Role? = nil, residenceCountry: String? = nil, origin: String? = nil, adcCommune: String? = nil,
                skill: String? = nil, language: String? = nil, query: String? = nil) {
        self.role = role; self.residenceCountry = residenceCountry; self.origin = origin; self.adcCommune = adcCommune
        self.skill = skill; self.language = language; self.query = query
    }
}

extension Store {
    /// The member `id` with her roles, languages, skills, memberships, consents and
    /// competences, or nil; a damaged row of any of them is a `storage` error.
    static func fetchMember(_ db: Database, _ id: String) throws -> Member? {
        guard let r = try storedRow(db, "member", sql: "SELECT * FROM member WHERE id = ?", arguments: [id]) else { return nil }
        let roles = try storedRows(db, "member_role", sql: "SELECT role FROM member_role WHERE member = ? ORDER BY position", arguments: [id])
            .map { r throws(CDSError) in try r.code("role", Role.self) }
        let languages = try storedRows(db, "member_language", sql: "SELECT language FROM member_language WHERE member = ? ORDER BY position", arguments: [id])
            .map { r throws(CDSError) in try r.text("language") }
        let skills = try storedRows(db, "member_skill", sql: "SELECT skill FROM member_skill WHERE member = ? ORDER BY position", arguments: [id])
            .map { r throws(CDSError) in try r.text("skill") }
        let orgs = try storedRows(db, "membership", sql: """
            SELECT m.organization AS organization, m.role AS role, o.id AS found FROM membership m LEFT JOIN organization o ON o.id = m.organization
            WHERE m.member = ? ORDER BY m.position
            """, arguments: [id]).map { r throws(CDSError) in
                let org = try r.text("organization")
                // A membership of an organization the foreign key no longer finds is damage.
                guard try r.optionalText("found") != nil else { throw r.damage("organization", "no organization \"\(org)\"") }
                return Membership(organization: org, role: try r.text("role"))
            }
        let consents = try storedRows(db, "consent", sql: "SELECT * FROM consent WHERE member = ? ORDER BY purpose", arguments: [id]).map { c throws(CDSError) in
            Consent(purpose: try c.code("purpose", ConsentPurpose.self), version: try c.text("version"), givenAt: try c.instant("given_at"),
                    withdrawnAt: try c.optionalInstant("withdrawn_at"))
        }
        let competences = try storedRows(db, "competence", sql: "SELECT * FROM competence WHERE member = ? ORDER BY attested_on, seq", arguments: [id])
            .map { r throws(CDSError) in try Store.competence(r) }
        var m = Member(id: id, name: try r.text("name"), email: try r.optionalText("email"), phone: try r.optionalText("phone"),
                       gender: try r.code("gender", Gender.self), roles: roles, residenceCountry: try r.text("residence_country"),
                       residenceCity: try r.optionalText("residence_city"), origin: try r.optionalText("origin"), heartDiaspora: try r.flag("heart_diaspora"),
                       languages: languages, skills: skills, adcCommune: try r.optionalText("adc_commune"), invitedBy: try r.optionalText("invited_by"),
                       organizations: orgs, consents: consents, competences: competences,
                       createdAt: try r.instant("created_at"), updatedAt: try r.instant("updated_at"))
        m.erasedAt = try r.optionalInstant("erased_at")
        return m
    }

    /// A competence as stored.
    static func competence(_ r: StoredRow) throws(CDSError) -> Competence {
        Competence(id: try r.text("id"), member: try r.text("member"), competence: try r.code("competence", CompetenceKind.self),
                   attestedOn: try r.date("attested_on"), attestedBy: try r.optionalText("attested_by"), module: try r.optionalText("module"),
                   enrollment: try r.optionalText("enrollment"), revokedOn: try r.optionalDate("revoked_on"), revocationReason: try r.optionalText("revocation_reason"))
    }

    /// The member `id` with consents and competences, or `not_found`.
    public func member(_ id: String) throws(CDSError) -> Member {
        let m = try read { db in try Store.fetchMember(db, id) }
        guard let m else { throw CDSError.notFound("member", id) }
        return m
    }

    /// Cleans and checks a member against the rules and the reference data.
    static func checked(_ m: Member, _ db: Database) throws -> Member {
        var m = m
        m.name = try Validate.text(m.name, field: "name", max: Limits.name)
        m.email = try Validate.email(m.email)
        m.phone = try Validate.phone(m.phone)
        m.residenceCity = try Validate.optionalText(m.residenceCity, field: "residence_city", max: Limits.city)
        m.organizations = try m.organizations.map { o throws in
            Membership(organization: o.organization, role: try Validate.text(o.role, field: "organizations.role", max: Limits.reference))
        }
        try checkCodes(db, [m.residenceCountry], dataset: "countries", field: "residence_country")
        try checkCodes(db, m.languages, dataset: "languages", field: "languages")
        try checkCodes(db, m.skills, dataset: "skills", field: "skills")
        if let o = m.origin { _ = try territoryLevel(db, o, field: "origin") }
        let adcLevel = try m.adcCommune.map { try territoryLevel(db, $0, field: "adc_commune") }
        try m.validate(adcCommuneLevel: adcLevel)
        if let inviter = m.invitedBy, try !exists(db, "member", inviter) { throw CDSError.invalid("invited_by", "no member \"\(inviter)\"") }
        try checkInvitedBy(db, m)
        for o in m.organizations where try !exists(db, "organization", o.organization) {
            throw CDSError.invalid("organizations", "no organization \"\(o.organization)\"")
        }
        if let e = m.email, let other = try storedRow(db, "member", sql: "SELECT id FROM member WHERE email = ? AND id != ?", arguments: [e, m.id])?.text("id") {
            throw CDSError(.conflict, "another member has the e-mail \(e)", details: ["field": "email", "existing": .string(other)])
        }
        return m
    }

    static func save(_ m: Member, _ db: Database, insert: Bool) throws {
        let search = Text.fold(m.name) + " " + Text.fold(m.residenceCity ?? "")
        let args: StatementArguments = [m.name, m.email, m.phone, m.gender.rawValue, m.residenceCountry, m.residenceCity, m.origin,
                                        m.heartDiaspora ? 1 : 0, m.adcCommune, m.invitedBy, search, m.updatedAt.millisecondsSinceEpoch, m.id]
        if insert {
            try Store.exec(db, sql: """
                INSERT INTO member(name, email, phone, gender, residence_country, residence_city, origin, heart_diaspora, adc_commune,
                  invited_by, search, updated_at, id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: args + [m.createdAt.millisecondsSinceEpoch])
        } else {
            try Store.exec(db, sql: """
                UPDATE member SET name = ?, email = ?, phone = ?, gender = ?, residence_country = ?, residence_city = ?, origin = ?,
                  heart_diaspora = ?, adc_commune = ?, invited_by = ?, search = ?, updated_at = ? WHERE id = ?
                """, arguments: args)
            for t in ["member_role", "member_language", "member_skill", "membership"] {
                try Store.exec(db, sql: "DELETE FROM \(t) WHERE member = ?", arguments: [m.id])
            }
        }
        for (n, r) in m.roles.enumerated() {
            try Store.exec(db, sql: "INSERT INTO member_role(member, role, position) VALUES (?, ?, ?)", arguments: [m.id, r.rawValue, n])
        }
        for (n, l) in m.languages.enumerated() {
            try Store.exec(db, sql: "INSERT INTO member_language(member, language, position) VALUES (?, ?, ?)", arguments: [m.id, l, n])
        }
        for (n, s) in m.skills.enumerated() {
            try Store.exec(db, sql: "INSERT INTO member_skill(member, skill, position) VALUES (?, ?, ?)", arguments: [m.id, s, n])
        }
        for (n, o) in m.organizations.enumerated() {
            try Store.exec(db, sql: "INSERT INTO membership(member, organization, role, position) VALUES (?, ?, ?, ?)", arguments: [m.id, o.organization, o.role, n])
        }
    }

    /// Creates a member filled by `edit` (name, gender, roles and residence at least: a draft
    /// has none), with the consents given on registration, and logs `member.created`.
    public func createMember(consents given: [(purpose: ConsentPurpose, version: String)] = [], change: Change = Change(),
                             _ edit: (inout Member) throws(CDSError) -> Void) throws(CDSError) -> Member {
        let now = self.now
        return try write { db in try Store.insertMember(db, consents: given, change: change, now: now, edit) }
    }

    /// Creates a member in the caller's transaction (`createMember`, and accepting an invitation).
    static func insertMember(_ db: Database, consents given: [(purpose: ConsentPurpose, version: String)], change: Change, now: Instant,
                             _ edit: (inout Member) throws(CDSError) -> Void) throws -> Member {
        try Store.checkActor(db, change)
        let at = change.at ?? now
        var versions: [ConsentPurpose: String] = [:]
        for c in given {
            guard versions[c.purpose] == nil else { throw CDSError.invalid("consents", "must not repeat a purpose") }
            versions[c.purpose] = try Validate.text(c.version, field: "consents.version", max: Limits.reference)
        }
        let consents = ConsentPurpose.allCases.compactMap { p in versions[p].map { Consent(purpose: p, version: $0, givenAt: at) } }
        let id = Identifier.make("mbr")
        var m = Member(id: id, name: "", gender: .undisclosed, roles: [], residenceCountry: "", createdAt: at, updatedAt: at)
        try edit(&m)
        m.id = id
        m.consents = consents
        m.competences = []
        m.erasedAt = nil
        m.createdAt = at
        m.updatedAt = at
        m = try Store.checked(m, db)
        try Store.save(m, db, insert: true)
        for c in consents {
            try Store.exec(db, sql: "INSERT INTO consent(member, purpose, version, given_at) VALUES (?, ?, ?, ?)",
                           arguments: [m.id, c.purpose.rawValue, c.version, c.givenAt.millisecondsSinceEpoch])
        }
        try Store.appendEvent(db, type: MemberCreated.type, subject: m.id, change: change, recordedAt: now, payload: MemberCreated.payload(m))
        return m
    }

    /// Applies `edit` to the member's profile, checks the result, stores it and logs the
    /// changed fields (`member.updated`). Consents and competences have their own methods.
    public func updateMember(_ id: String, change: Change = Change(), _ edit: (inout Member) throws(CDSError) -> Void) throws(CDSError) -> Member {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard let before = try Store.fetchMember(db, id) else { throw CDSError.notFound("member", id) }
            guard before.erasedAt == nil else { throw CDSError(.conflict, "member \(id) was erased: her profile no longer changes") }
            var after = before
            try edit(&after)
            after.id = before.id
            after.erasedAt = nil
            after.consents = before.consents
            after.competences = before.competences
            after.createdAt = before.createdAt
            after.updatedAt = change.at ?? now
            after = try Store.checked(after, db)
            try Store.save(after, db, insert: false)
            try Store.appendEvent(db, type: MemberUpdated.type, subject: id, change: change, recordedAt: now, payload: MemberUpdated.payload(before: before, after: after))
            return after
        }
    }

    /// Members by role, residence, origin (including what lies below it), ADC commune,
    /// skill, language and a name search, in creation order.
    public func members(_ f: MemberFilter = MemberFilter(), limit: Int = 100, cursor: Int64 = 0) throws(CDSError) -> Page<Member> {
        try read { db in
            var sql = "SELECT id, seq FROM member m WHERE seq > ?"
            var args: [any DatabaseValueConvertible] = [cursor]
            if let r = f.role { sql += " AND EXISTS (SELECT 1 FROM member_role x WHERE x.member = m.id AND x.role = ?)"; args.append(r.rawValue) }
            if let c = f.residenceCountry { sql += " AND residence_country = ?"; args.append(c) }
            if let o = f.origin {
                _ = try Store.territoryLevel(db, o, field: "origin")
                sql += " AND (origin = ? OR origin LIKE ?)"; args.append(o); args.append(o + ".%")
            }
            if let a = f.adcCommune { sql += " AND adc_commune = ?"; args.append(a) }
            if let s = f.skill { sql += " AND EXISTS (SELECT 1 FROM member_skill x WHERE x.member = m.id AND x.skill = ?)"; args.append(s) }
            if let l = f.language { sql += " AND EXISTS (SELECT 1 FROM member_language x WHERE x.member = m.id AND x.language = ?)"; args.append(l) }
            if let q = f.query { sql += " AND search LIKE ? ESCAPE '\\'"; args.append(Store.likePattern(q)) }
            sql += " ORDER BY seq LIMIT ?"
            args.append(limit + 1)
            let rows = try Store.storedRows(db, "member", sql: sql, arguments: StatementArguments(args))
                .map { r throws(CDSError) in (seq: try r.value("seq", Int64.self), id: try r.text("id")) }
            let page = Store.page(rows, limit: limit) { String($0.seq) }
            let members = try page.items.compactMap { r throws in try Store.fetchMember(db, r.id) }
            return Page(items: members, nextCursor: page.nextCursor)
        }
    }

    /// Records (or renews) a member's consent to a purpose; logs `consent.given`.
    public func giveConsent(member: String, purpose: ConsentPurpose, version: String, change: Change = Change()) throws(CDSError) -> Consent {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard try Store.exists(db, "member", member) else { throw CDSError.notFound("member", member) }
            let v = try Validate.text(version, field: "version", max: Limits.reference)
            let c = Consent(purpose: purpose, version: v, givenAt: change.at ?? now)
            try Store.exec(db, sql: """
                INSERT INTO consent(member, purpose, version, given_at, withdrawn_at) VALUES (?, ?, ?, ?, NULL)
                ON CONFLICT(member, purpose) DO UPDATE SET version = excluded.version, given_at = excluded.given_at, withdrawn_at = NULL
                """, arguments: [member, purpose.rawValue, v, c.givenAt.millisecondsSinceEpoch])
            try Store.appendEvent(db, type: .consentGiven, subject: member, change: change, recordedAt: now, payload: ConsentRecorded.payload(c))
            return c
        }
    }

    /// Withdraws a member's consent to a purpose, at once; logs `consent.withdrawn`.
    public func withdrawConsent(member: String, purpose: ConsentPurpose, change: Change = Change()) throws(CDSError) -> Consent {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard try Store.exists(db, "member", member) else { throw CDSError.notFound("member", member) }
            guard let r = try Store.storedRow(db, "consent", sql: "SELECT * FROM consent WHERE member = ? AND purpose = ?", arguments: [member, purpose.rawValue]),
                try r.optionalInstant("withdrawn_at") == nil
            else { throw CDSError(.conflict, "member \(member) has no consent in force for \(purpose.rawValue)") }
            let given = try r.instant("given_at")
            let at = change.at ?? now
            guard at >= given else { throw CDSError.invalid("at", "a consent cannot be withdrawn before it was given (\(given))") }
            try Store.exec(db, sql: "UPDATE consent SET withdrawn_at = ? WHERE member = ? AND purpose = ?", arguments: [at.millisecondsSinceEpoch, member, purpose.rawValue])
            let c = Consent(purpose: purpose, version: try r.text("version"), givenAt: given, withdrawnAt: at)
            try Store.appendEvent(db, type: .consentWithdrawn, subject: member, change: change, recordedAt: now, payload: ConsentRecorded.payload(c))
            // No message goes out without the consent to be contacted: the pending ones are cancelled with it.
            if purpose == .contact { try Store.cancelOpenMessages(db, member: member, reason: "consent_withdrawn", change: change, now: now) }
            return c
        }
    }

    /// Attests a competence of a member, by a facilitator or admin; logs `competence.attested`.
    public func attestCompetence(member: String, competence: CompetenceKind, on day: LocalDate, by: String?, module: String?,
                                 change: Change = Change()) throws(CDSError) -> Competence {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard try Store.exists(db, "member", member) else { throw CDSError.notFound("member", member) }
            if let by {
                guard try Store.exists(db, "member", by) else { throw CDSError.invalid("by", "no member \"\(by)\"") }
                guard try Store.isFacilitatorOrAdmin(db, by) else { throw CDSError(.forbidden, "only a facilitator or an admin attests competences", details: ["rule": "competence.attester", "field": "by", "member": .string(by)]) }
            }
            let c = Competence(id: Identifier.make("cmp"), member: member, competence: competence, attestedOn: day, attestedBy: by,
                               module: try Validate.optionalText(module, field: "module", max: Limits.name))
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM competence WHERE member = ? AND competence = ? AND attested_on = ?)",
                                 arguments: [member, competence.rawValue, day.description]) == true {
                throw CDSError(.conflict, "this competence was already attested to \(member) on \(day)")
            }
            try Store.exec(db, sql: "INSERT INTO competence(id, member, competence, attested_on, attested_by, module) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [c.id, member, competence.rawValue, day.description, by, c.module])
            try Store.appendEvent(db, type: CompetenceAttested.type, subject: member, change: change, recordedAt: now, payload: CompetenceAttested.payload(c))
            return c
        }
    }
}
