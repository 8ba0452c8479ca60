/// An attested competence as an Open Badges 3.0 `OpenBadgeCredential` (a W3C verifiable
/// credential): the CDS as issuer, the member as subject, the module and its criteria as
/// the achievement, valid from the day attested. It is **unsigned**: it carries no `proof`,
/// so it is not verifiable until the host signs it (Data Integrity or VC-JWT) with the CDS's key.
public enum OpenBadge {
    /// The JSON-LD contexts of Open Badges 3.0.
    public static let contexts = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]

    /// The criteria of a module version, in words, for the achievement's `criteria.narrative`.
    public static func narrative(_ c: ModuleCriteria, sessions: Int) -> String {
        var parts: [String] = []
        if sessions > 0 { parts.append("attend \(sessions - Int(c.maxMissed)) of \(sessions) sessions (at most \(c.maxMissed) missed, none left unrecorded)") }
        if !c.resources.isEmpty { parts.append("use \(c.resources.count) resource(s)") }
        if let a = c.assignment { parts.append("have an assignment accepted by a facilitator: \(a)") }
        return "To complete the module: " + parts.joined(separator: "; ") + "."
    }

    /// The credential of a competence record: from a module's completion (`module` with the
    /// version held to) or attested by hand (`module` nil). `issuer` is the CDS's identifier
    /// (a URL the host controls, or a URN).
    public static func credential(_ c: Competence, module: TrainingModule?, version: Int64?, issuer: String, issuerName: String) -> JSON {
        let achievement: JSON
        if let m = module, let v = version, let criteria = m.criteria(v) {
            achievement = .object(JSONObject([
                ("id", .string("urn:cds:module:\(m.id):v\(v)")), ("type", .strings(["Achievement"])), ("achievementType", "Competency"),
                ("name", .string(m.title)), ("description", .string("Training module attesting the competence \(c.competence.labels.en) (\(c.competence.rawValue)), criteria version \(v).")),
                ("criteria", ["narrative": .string(narrative(criteria, sessions: criteria.sessions.count))]),
                ("tag", .strings([c.competence.rawValue])),
            ]))
        } else {
            achievement = .object(JSONObject([
                ("id", .string("urn:cds:competence:\(c.competence.rawValue)")), ("type", .strings(["Achievement"])), ("achievementType", "Competency"),
                ("name", .string(c.competence.labels.en)), ("description", .string("The competence \(c.competence.rawValue), attested by a facilitator of the CDS.")),
                ("criteria", ["narrative": "Attested by a facilitator or an admin of the CDS, without a training module."]),
                ("tag", .strings([c.competence.rawValue])),
            ]))
        }
        var evidence: [JSON] = []
        if let e = c.enrollment {
            evidence.append(.object(JSONObject([("id", .string("urn:cds:enrollment:\(e)")), ("type", .strings(["Evidence"])),
                                                ("narrative", .string("Completion of the module on \(c.attestedOn), recorded in the CDS's append-only event log (module.completed)."))])))
        }
        var o = JSONObject([
            ("@context", .strings(contexts)), ("id", .string("urn:cds:credential:\(c.id)")), ("type", .strings(["VerifiableCredential", "OpenBadgeCredential"])),
            ("issuer", .object(JSONObject([("id", .string(issuer)), ("type", .strings(["Profile"])), ("name", .string(issuerName))]))),
            ("validFrom", .string("\(c.attestedOn)T00:00:00Z")), ("name", .string(c.competence.labels.en)),
            ("credentialSubject", .object(JSONObject([("id", .string("urn:cds:member:\(c.member)")), ("type", .strings(["AchievementSubject"])), ("achievement", achievement)]))),
        ])
        if !evidence.isEmpty { o["evidence"] = .array(evidence) }
        return .object(o)
    }
}
