/// Where a proposed match stands: proposed → accepted (a pledged contribution) or declined.
public enum MatchStatus: String, Vocabulary {
    case proposed, accepted, declined
    public var labels: Labels {
        switch self {
        case .proposed: Labels(fr: "Proposée", ar: "مقترحة", en: "Proposed")
        case .accepted: Labels(fr: "Acceptée", ar: "مقبولة", en: "Accepted")
        case .declined: Labels(fr: "Déclinée", ar: "مرفوضة", en: "Declined")
        }
    }
}

/// A pairing of a need and an offer put to the offerer, with the explanation it had when
/// proposed. Accepting it pledges a contribution; a declined pair is never proposed again.
public struct Match: Sendable, Equatable {
    public var id: String
    public var need: String
    public var offer: String
    public var project: String
    /// The offering member …
    public var member: String?
    /// … or organization.
    public var organization: String?
    public var status: MatchStatus
    /// The score in [0, 1] when proposed.
    public var score: Double
    /// The explanation when proposed (`MatchExplanation.json`); null once the member is erased.
    public var explanation: JSON
    /// The contribution pledged on acceptance.
    public var contribution: String?
    /// Why it was declined.
    public var reason: String?
    public var createdAt: Instant
    public var updatedAt: Instant

    /// A proposed match.
    public init(id: String, need: String, offer: String, project: String, member: String?, organization: String?, score: Double,
                explanation: JSON, at: Instant) {
        self.id = id; self.need = need; self.offer = offer; self.project = project; self.member = member; self.organization = organization
        status = .proposed; self.score = score; self.explanation = explanation; createdAt = at; updatedAt = at
    }

    /// The JSON shape.
    public var json: JSON {
        .object(JSONObject([
            ("id", .string(id)), ("need", .string(need)), ("offer", .string(offer)), ("project", .string(project)),
            ("member", .optional(member)), ("organization", .optional(organization)), ("status", .string(status.rawValue)),
            ("score", .double(score)), ("explanation", explanation), ("contribution", .optional(contribution)), ("reason", .optional(reason)),
            ("created_at", .string(createdAt.description)), ("updated_at", .string(updatedAt.description)),
        ]))
    }

    /// Reads the stored JSON shape back.
    public init(json: JSON) throws(CDSError) {
        let r = try JSONReader(json, path: "", known: ["id", "need", "offer", "project", "member", "organization", "status", "score", "explanation",
                                                      "contribution", "reason", "created_at", "updated_at"])
        self.init(id: try r.requiredText("id", max: 100), need: try r.requiredText("need", max: 100), offer: try r.requiredText("offer", max: 100),
                  project: try r.requiredText("project", max: 100), member: try r.text("member", max: 100), organization: try r.text("organization", max: 100),
                  score: try r.number("score") ?? 0, explanation: r.object["explanation"] ?? .null, at: try r.instant("created_at"))
        status = try r.term("status", MatchStatus.self) ?? .proposed
        contribution = try r.text("contribution", max: 100)
        reason = try r.text("reason", max: Limits.note)
        updatedAt = try r.instant("updated_at")
    }
}
