/// Who is calling, as the library sees it once the host has authenticated a person: the
/// trusted system (a handle opened with `trusted`), an anonymous visitor, or a member with
/// her roles. The host authenticates people; the library decides what they may do.
public struct Viewer: Sendable, Equatable {
    /// The three kinds of caller.
    public enum Kind: String, Sendable { case system, anonymous, member }

    /// The kind.
    public let kind: Kind
    /// The acting member's id (a member; the system when a trusted host names one for the log).
    public let id: String?
    /// The acting member's roles (none for the system and an anonymous visitor).
    public let roles: Set<Role>
    /// The commune an acting ADC serves.
    public let commune: String?
    /// The communes the acting member represents (she belongs to the commune's organization).
    public let represents: Set<String>

    /// The trusted system: imports, jobs, an operator on the file. It may do everything.
    public static let system = Viewer(kind: .system, id: nil, roles: [], commune: nil, represents: [])
    /// An anonymous visitor.
    public static let anonymous = Viewer(kind: .anonymous, id: nil, roles: [], commune: nil, represents: [])
    /// A member with her roles (and, for an ADC, the commune she serves; for a commune's
    /// representative, the communes she represents).
    public static func member(_ id: String, roles: Set<Role>, commune: String? = nil, represents: Set<String> = []) -> Viewer {
        Viewer(kind: .member, id: id, roles: roles, commune: commune, represents: represents)
    }

    /// A viewer.
    public init(kind: Kind, id: String?, roles: Set<Role>, commune: String?, represents: Set<String>) {
        self.kind = kind; self.id = id; self.roles = roles; self.commune = commune; self.represents = represents
    }

    /// The system, a facilitator or an admin: who sees every member's data and every project.
    public var isStaff: Bool { kind == .system || roles.contains(.facilitator) || roles.contains(.admin) }

    /// True when the viewer is the member `id`.
    public func isMember(_ member: String?) -> Bool { kind == .member && member != nil && id == member }

    /// Whether the viewer may give or take away each role that differs between `before` and
    /// `after`: `diaspora` and `local_actor` are a member's own to declare; the `adc` role is
    /// granted by a facilitator or an admin; `facilitator` and `admin` only by an admin or the
    /// trusted system. Refuses with the rule `member.roles`.
    public func checkRoleChange(from before: [Role], to after: [Role]) throws(CDSError) {
        let changed = Set(before).symmetricDifference(after)
        for role in Role.allCases where changed.contains(role) {
            let ok: Bool
            switch role {
            case .diaspora, .localActor: ok = true
            case .adc: ok = isStaff
            case .facilitator, .admin: ok = kind == .system || roles.contains(.admin)
            }
            guard ok else {
                let who = role == .adc ? "a facilitator or an admin" : "an admin or the trusted system"
                throw CDSError(.forbidden, "only \(who) grants or removes the \(role.rawValue) role",
                               details: ["rule": "member.roles", "field": "roles", "role": .string(role.rawValue)])
            }
        }
    }
}

/// A relation between the acting member and what a call names, by the param that names it.
public enum Relation: Sendable, Hashable {
    /// The param names the actor herself (a member id).
    case isActor(String)
    /// The param names an offer of the actor.
    case ownsOffer(String)
    /// The param names a project whose ADC is the actor.
    case adcOfProject(String)
    /// The param names a need of a project whose ADC is the actor.
    case adcOfNeed(String)
    /// The param names a contribution to a project whose ADC is the actor.
    case adcOfContribution(String)
    /// The param names a match whose offer is the actor's, or whose need's project she is the ADC of.
    case partyToMatch(String)
    /// The param names a project one of whose communes the actor represents (a member of the commune).
    case representsCommuneOf(String)
    /// The param names an organization the actor belongs to.
    case belongsTo(String)
    /// The param names an invitation the actor made.
    case invited(String)
    /// The param names an outbox message to the actor.
    case recipientOf(String)
    /// The param names an enrollment of the actor in a training module.
    case learnerOf(String)
    /// The param names a competence record of the actor.
    case holdsCompetence(String)
    /// The param names a campaign of a project whose ADC is the actor.
    case adcOfCampaign(String)
    /// The param names a gift to a campaign of a project whose ADC is the actor.
    case adcOfGift(String)
    /// The param names a gift the actor gave.
    case giverOf(String)

    /// The param the relation reads.
    public var param: String {
        switch self {
        case .isActor(let p), .ownsOffer(let p), .adcOfProject(let p), .adcOfNeed(let p), .adcOfContribution(let p),
             .partyToMatch(let p), .representsCommuneOf(let p), .belongsTo(let p), .invited(let p), .recipientOf(let p), .learnerOf(let p), .holdsCompetence(let p),
             .adcOfCampaign(let p), .adcOfGift(let p), .giverOf(let p): p
        }
    }

    /// The relation's key in `meta.methods`.
    public var key: String {
        switch self {
        case .isActor: "is_actor"
        case .ownsOffer: "owns_offer"
        case .adcOfProject: "adc_of_project"
        case .adcOfNeed: "adc_of_need"
        case .adcOfContribution: "adc_of_contribution"
        case .partyToMatch: "party_to_match"
        case .representsCommuneOf: "represents_commune_of"
        case .belongsTo: "belongs_to"
        case .invited: "invited"
        case .recipientOf: "recipient_of"
        case .learnerOf: "learner_of"
        case .holdsCompetence: "holds_competence"
        case .adcOfCampaign: "adc_of_campaign"
        case .adcOfGift: "adc_of_gift"
        case .giverOf: "giver_of"
        }
    }

    /// Words for the table.
    public var text: String {
        switch self {
        case .isActor(let p): "the member named by `\(p)` herself"
        case .ownsOffer(let p): "the owner of the offer `\(p)`"
        case .adcOfProject(let p): "the ADC of the project `\(p)`"
        case .adcOfNeed(let p): "the ADC of the project of the need `\(p)`"
        case .adcOfContribution(let p): "the ADC of the project of the contribution `\(p)`"
        case .partyToMatch(let p): "the offerer or the need's ADC of the match `\(p)`"
        case .representsCommuneOf(let p): "a representative of a commune of the project `\(p)`"
        case .belongsTo(let p): "a member of the organization `\(p)`"
        case .invited(let p): "the member who made the invitation `\(p)`"
        case .recipientOf(let p): "the member the message `\(p)` is to"
        case .learnerOf(let p): "the learner of the enrollment `\(p)`"
        case .holdsCompetence(let p): "the member whose competence record `\(p)` is"
        case .adcOfCampaign(let p): "the ADC of the project of the campaign `\(p)`"
        case .adcOfGift(let p): "the ADC of the project the gift `\(p)` goes to"
        case .giverOf(let p): "the member who gave the gift `\(p)`"
        }
    }
}

/// One way of being allowed a call.
public enum Grant: Sendable, Hashable {
    /// Anyone, an anonymous visitor included.
    case anyone
    /// Any member who exists and is not erased.
    case signedIn
    /// A member with this role.
    case role(Role)
    /// A member in this relation to what the call names.
    case relation(Relation)

    /// Words for the table.
    public var text: String {
        switch self {
        case .anyone: "anyone (anonymous included)"
        case .signedIn: "any member"
        case .role(let r): "a member with the role \(r.rawValue)"
        case .relation(let r): r.text
        }
    }

    /// `{"grant": …, "role"|"relation"|"param": …}` for `meta.methods`.
    public var json: JSON {
        var o = JSONObject()
        switch self {
        case .anyone: o["grant"] = .string("anyone")
        case .signedIn: o["grant"] = .string("member")
        case .role(let r): o["grant"] = .string("role"); o["role"] = .string(r.rawValue)
        case .relation(let r):
            o["grant"] = .string("relation")
            o["relation"] = .string(r.key)
            o["param"] = .string(r.param)
        }
        return .object(o)
    }
}

/// Who may call one method: any of its grants suffices (the trusted system always may), and
/// a param that only some may use (`provenance`) has grants of its own. What else the caller
/// is held to (what a read leaves out or redacts, which roles a write may grant) is stated in
/// `limits`.
public struct AccessRule: Sendable {
    /// The grants, any of which admits a caller.
    public let grants: [Grant]
    /// Params that need more: when the param is given (and not `false`), one of these grants too.
    public let params: [(name: String, grants: [Grant])]
    /// What else the caller is held to, in words: what the answer leaves out or redacts, which
    /// roles a write may grant (empty: nothing).
    public let limits: String

    /// A rule.
    public init(_ grants: [Grant], params: [(name: String, grants: [Grant])] = [], limits: String = "") {
        self.grants = grants; self.params = params; self.limits = limits
    }

    /// Staff only: a facilitator or an admin.
    public static let staff = AccessRule([.role(.facilitator), .role(.admin)])

    /// Whether `viewer` is admitted by one of `grants`, asking `holds` for each relation
    /// (in order, only as far as needed).
    public static func admits<E: Error>(_ grants: [Grant], _ viewer: Viewer, holds: (Relation) throws(E) -> Bool) throws(E) -> Bool {
        if viewer.kind == .system { return true }
        for g in grants {
            switch g {
            case .anyone: return true
            case .signedIn: if viewer.kind == .member { return true }
            case .role(let r): if viewer.roles.contains(r) { return true }
            case .relation(let r): if viewer.kind == .member, try holds(r) { return true }
            }
        }
        return false
    }

    /// `{"grants": [...], "params": {...}, "limits": "…"}` for `meta.methods`.
    public var json: JSON {
        var o = JSONObject([("grants", .array(grants.map(\.json)))])
        if !params.isEmpty { o["params"] = .object(JSONObject(params.map { ($0.name, JSON.array($0.grants.map(\.json))) })) }
        if !limits.isEmpty { o["limits"] = .string(limits) }
        return .object(o)
    }
}

/// What a caller may see of a record, decided once here for every method that answers it.
public enum Visibility {
    /// A member's contact fields, withheld from whoever may not see them.
    public static let contactFields = ["email", "phone", "residence_city"]

    /// Whether the viewer sees a member's contact fields: herself, staff, and the ADC of a
    /// project where she has an accepted match (`matchedADC`).
    public static func seesContact(of member: String, viewer: Viewer, matchedADC: Bool) -> Bool {
        viewer.isStaff || viewer.isMember(member) || matchedADC
    }

    /// Whether the viewer sees a member's profile at all: when she consents to publication,
    /// or the viewer sees her contact, or the viewer is an ADC (who works with members).
    public static func seesProfile(of member: Member, viewer: Viewer, matchedADC: Bool) -> Bool {
        member.consents(to: .publication) || seesContact(of: member.id, viewer: viewer, matchedADC: matchedADC) || viewer.roles.contains(.adc)
    }

    /// A project is public once published (from mobilization on the main line).
    public static func isPublished(_ stage: Stage) -> Bool {
        guard let i = Stage.mainLine.firstIndex(of: stage), let m = Stage.mainLine.firstIndex(of: .mobilization) else { return false }
        return i >= m
    }

    /// Whether the viewer sees a project: when published, or to staff, its ADC, its proposer,
    /// the ADCs of its communes and their representatives (who endorse it before it is published).
    public static func seesProject(_ p: Project, viewer: Viewer) -> Bool {
        if isPublished(p.stage) || viewer.isStaff { return true }
        guard viewer.kind == .member else { return false }
        if viewer.isMember(p.adc) || viewer.isMember(p.proposer) { return true }
        if viewer.roles.contains(.adc), let c = viewer.commune, p.communes.contains(c) { return true }
        return p.communes.contains(where: viewer.represents.contains)
    }

    /// The member's JSON as the viewer may see it: the contact fields removed and named in
    /// `redacted` when she may not see them.
    public static func member(_ m: Member, viewer: Viewer, matchedADC: Bool) -> JSON {
        var json = m.json
        guard !seesContact(of: m.id, viewer: viewer, matchedADC: matchedADC), var o = json.objectValue else { return json }
        for f in contactFields { o[f] = nil }
        o["redacted"] = .strings(contactFields)
        json = .object(o)
        return json
    }

    /// A refusal under a rule, with its key in `details.rule`.
    public static func forbidden(_ rule: String, _ message: String, details: JSONObject = JSONObject()) -> CDSError {
        var d = details
        d["rule"] = .string(rule)
        return CDSError(.forbidden, message, details: d)
    }
}
