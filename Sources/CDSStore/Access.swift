import CDSCore
import GRDB

/// The facts access control reads: who the actor is, and how she relates to what a call names.
extension Store {
    /// The viewer a call acts as. A trusted handle acts as the system (an actor it names is
    /// only recorded, and must be a member when it changes something); otherwise no actor is
    /// an anonymous visitor, and an actor who does not exist or is erased is refused
    /// (`forbidden`, rules `actor.unknown` and `actor.erased`).
    public func viewer(actor: String?, trusted: Bool) throws(CDSError) -> Viewer {
        if trusted { return .system }
        guard let actor else { return .anonymous }
        let found: (erased: Bool, roles: [Role], commune: String?, represents: [String])? = try read { db in
            guard let r = try Store.storedRow(db, "member", sql: "SELECT erased_at, adc_commune FROM member WHERE id = ?", arguments: [actor]) else { return nil }
            let represents = try String.fetchAll(try db.cachedStatement(sql: """
                SELECT o.territory FROM membership ms JOIN organization o ON o.id = ms.organization
                WHERE ms.member = ? AND o.kind = 'commune' AND o.territory IS NOT NULL
                """), arguments: [actor])
            return (try r.optional("erased_at", Int64.self) != nil, try Store.roles(db, actor), try r.optionalText("adc_commune"), represents)
        }
        guard let found else {
            throw Visibility.forbidden("actor.unknown", "no member \"\(actor)\" may act: the actor must be a member", details: ["actor": .string(actor)])
        }
        guard !found.erased else {
            throw Visibility.forbidden("actor.erased", "member \"\(actor)\" was erased and may not act", details: ["actor": .string(actor)])
        }
        return .member(actor, roles: Set(found.roles), commune: found.commune, represents: Set(found.represents))
    }

    /// True when `actor` stands in `relation` to the record `id` names.
    public func holds(_ relation: Relation, id: String, actor: String) throws(CDSError) -> Bool {
        let sql: String
        switch relation {
        case .isActor: return id == actor
        case .ownsOffer: sql = "SELECT EXISTS (SELECT 1 FROM offer WHERE id = ?1 AND member = ?2)"
        case .adcOfProject: sql = "SELECT EXISTS (SELECT 1 FROM project WHERE id = ?1 AND adc = ?2)"
        case .adcOfNeed: sql = "SELECT EXISTS (SELECT 1 FROM need n JOIN project p ON p.id = n.project WHERE n.id = ?1 AND p.adc = ?2)"
        case .adcOfContribution: sql = "SELECT EXISTS (SELECT 1 FROM contribution c JOIN project p ON p.id = c.project WHERE c.id = ?1 AND p.adc = ?2)"
        case .partyToMatch:
            sql = "SELECT EXISTS (SELECT 1 FROM match m JOIN need n ON n.id = m.need JOIN project p ON p.id = n.project WHERE m.id = ?1 AND (m.member = ?2 OR p.adc = ?2))"
        case .representsCommuneOf:
            sql = """
            SELECT EXISTS (SELECT 1 FROM membership ms JOIN organization o ON o.id = ms.organization AND o.kind = 'commune'
                           JOIN project_commune pc ON pc.commune = o.territory WHERE pc.project = ?1 AND ms.member = ?2)
            """
        case .belongsTo: sql = "SELECT EXISTS (SELECT 1 FROM membership WHERE organization = ?1 AND member = ?2)"
        case .invited: sql = "SELECT EXISTS (SELECT 1 FROM invitation WHERE id = ?1 AND inviter_member = ?2)"
        case .recipientOf: sql = "SELECT EXISTS (SELECT 1 FROM message WHERE id = ?1 AND member = ?2)"
        case .learnerOf: sql = "SELECT EXISTS (SELECT 1 FROM enrollment WHERE id = ?1 AND member = ?2)"
        case .holdsCompetence: sql = "SELECT EXISTS (SELECT 1 FROM competence WHERE id = ?1 AND member = ?2)"
        case .adcOfCampaign: sql = "SELECT EXISTS (SELECT 1 FROM campaign c JOIN project p ON p.id = c.project WHERE c.id = ?1 AND p.adc = ?2)"
        case .adcOfGift:
            sql = "SELECT EXISTS (SELECT 1 FROM gift g JOIN campaign c ON c.id = g.campaign JOIN project p ON p.id = c.project WHERE g.id = ?1 AND p.adc = ?2)"
        case .giverOf: sql = "SELECT EXISTS (SELECT 1 FROM gift WHERE id = ?1 AND member = ?2)"
        }
        return try read { db in try Bool.fetchOne(try db.cachedStatement(sql: sql), arguments: [id, actor]) ?? false }
    }

    /// The members who have an accepted match on a need of a project whose ADC is `adc`:
    /// those whose contact that ADC sees.
    public func matchedMembers(adc: String) throws(CDSError) -> Set<String> {
        try read { db in
            Set(try String.fetchAll(try db.cachedStatement(sql: """
                SELECT DISTINCT m.member FROM match m JOIN need n ON n.id = m.need JOIN project p ON p.id = n.project
                WHERE m.status = 'accepted' AND p.adc = ? AND m.member IS NOT NULL
                """), arguments: [adc]))
        }
    }

    /// Those of `members` who consent to publication now.
    public func publishing(_ members: [String]) throws(CDSError) -> Set<String> {
        guard !members.isEmpty else { return [] }
        return try read { db in
            Set(try String.fetchAll(try db.cachedStatement(sql: """
                SELECT DISTINCT member FROM consent WHERE purpose = 'publication' AND withdrawn_at IS NULL AND member IN (SELECT value FROM json_each(?))
                """), arguments: [JSON.strings(members).text]))
        }
    }
}
