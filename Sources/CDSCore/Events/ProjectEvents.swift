/// What the log records of a project and the readers use: every field on
/// `project.created`, the changed ones on the other project events (nil: unchanged).
public struct ProjectEventFacts: Sendable, Equatable {
    /// The project's id, recorded only by its creation.
    public var id: String?
    /// Commune codes.
    public var communes: [String]?
    /// The partners' organization ids.
    public var partners: [String]?
    /// The lead organization (the inner nil: none).
    public var leadOrganization: String??
    /// The stage code.
    public var stage: String?

    /// No facts (the fold's start).
    public init() {}

    /// Reads `after` of a project event; `creation` requires every field.
    public init(_ r: PayloadReader, creation: Bool) throws(CDSError) {
        id = try r.field("id", required: creation, PayloadReader.string)
        communes = try r.field("communes", required: creation, PayloadReader.strings)
        if creation || r.has("partners") {
            var ids: [String] = []
            for p in try r.objects("partners") { ids.append(try p.string("organization")) }
            partners = ids
        }
        leadOrganization = try r.field("lead_organization", required: creation, PayloadReader.optionalString)
        stage = try r.field("stage", required: creation, PayloadReader.string)
    }

    /// These facts, overwritten by those a later change records.
    public mutating func merge(_ c: ProjectEventFacts) {
        if let v = c.id { id = v }
        if let v = c.communes { communes = v }
        if let v = c.partners { partners = v }
        if let v = c.leadOrganization { leadOrganization = v }
        if let v = c.stage { stage = v }
    }
}

/// `project.created`, `.updated`, `.endorsed` and `.transitioned`, v1: the changed fields
/// (`before` and `after`; a creation's `before` is all null); a transition adds `from`, `to`, `note`.
public enum ProjectChanged {
    /// The project's facts it records.
    public static func decode(_ r: PayloadReader, creation: Bool) throws(CDSError) -> ProjectEventFacts {
        try ProjectEventFacts(r.part("after"), creation: creation)
    }
}

extension ProjectChanged {
    /// The changed fields as stored (`after`), for a replay of the project's whole state.
    public static func changedFields(_ r: PayloadReader) throws(CDSError) -> JSONObject { try r.part("after").object }
}

/// What `project.history` shows of one event of a project or of its needs: the move (a
/// transition's from, to and note) and the changed fields.
public struct ProjectHistoryFacts: Sendable, Equatable {
    /// The stage left, for a transition.
    public var from: String?
    /// The stage reached, for a transition.
    public var to: String?
    /// The transition's note.
    public var note: String?
    /// The changed fields (`after`).
    public var changes: JSONObject

    /// Reads a project or need event; any other type, or an unreadable payload, is a storage error naming it.
    public init(seq: Int64, type: String, payload: JSON) throws(CDSError) {
        let projectOrNeed: [EventType] = [.projectCreated, .projectUpdated, .projectTransitioned, .projectEndorsed, .needCreated, .needUpdated]
        guard let t = EventType(rawValue: type), projectOrNeed.contains(t) else {
            throw PayloadReader.failure(seq, type, "type", "is not an event of a project or of its needs")
        }
        let r = try PayloadReader(seq: seq, type: type, payload: payload, newest: t.version)
        changes = try ProjectChanged.changedFields(r)
        if t == .projectTransitioned { (from, to, note) = try ProjectTransitioned.decode(r) }
    }
}

/// `project.transitioned`, v1: the changed fields plus `from`, `to` and `note`.
public enum ProjectTransitioned {
    /// The event type.
    public static let type = EventType.projectTransitioned
    /// The v1 payload: `changes` (the diff of the project) with the move.
    public static func payload(changes: JSON, from: Stage, to: Stage, note: String?) -> JSON {
        var o = changes.objectValue ?? JSONObject()
        o["from"] = .string(from.rawValue)
        o["to"] = .string(to.rawValue)
        o["note"] = .optional(note)
        return .object(o)
    }
    /// The stage left, the stage reached and the note.
    public static func decode(_ r: PayloadReader) throws(CDSError) -> (from: String, to: String, note: String?) {
        (try r.string("from"), try r.string("to"), try r.optionalString("note"))
    }
}

/// What the log records of an organization and the indicators read (nil: unchanged).
public struct OrganizationFacts: Sendable, Equatable {
    /// The kind code.
    public var kind: String?
    /// The country code.
    public var country: String?
    /// The territory (the inner nil: none).
    public var territory: String??

    /// No facts (the fold's start).
    public init() {}

    /// Reads `after` of an organization event; `creation` requires every field.
    public init(_ r: PayloadReader, creation: Bool) throws(CDSError) {
        kind = try r.field("kind", required: creation, PayloadReader.string)
        country = try r.field("country", required: creation, PayloadReader.string)
        territory = try r.field("territory", required: creation, PayloadReader.optionalString)
    }

    /// These facts, overwritten by those a later change records.
    public mutating func merge(_ c: OrganizationFacts) {
        if let v = c.kind { kind = v }
        if let v = c.country { country = v }
        if let v = c.territory { territory = v }
    }
}

/// What the log records of a need and the indicators read (nil: unchanged).
public struct NeedFacts: Sendable, Equatable {
    /// The project, recorded by the creation.
    public var project: String?
    /// The status code.
    public var status: String?

    /// No facts (the fold's start).
    public init() {}

    /// Reads `after` of a need event; `creation` requires every field.
    public init(_ r: PayloadReader, creation: Bool) throws(CDSError) {
        project = try r.field("project", required: creation, PayloadReader.string)
        status = try r.field("status", required: creation, PayloadReader.string)
    }

    /// These facts, overwritten by those a later change records.
    public mutating func merge(_ c: NeedFacts) {
        if let v = c.project { project = v }
        if let v = c.status { status = v }
    }
}

/// What the log records of an offer and the indicators read (nil: unchanged).
public struct OfferFacts: Sendable, Equatable {
    /// The offering member (the inner nil: an organization offers).
    public var member: String??
    /// The offering organization (the inner nil: a member offers).
    public var organization: String??
    /// The territories of interest.
    public var territories: [String]?
    /// The status code.
    public var status: String?

    /// No facts (the fold's start).
    public init() {}

    /// Reads `after` of an offer event; `creation` requires every field.
    public init(_ r: PayloadReader, creation: Bool) throws(CDSError) {
        member = try r.field("member", required: creation, PayloadReader.optionalString)
        organization = try r.field("organization", required: creation, PayloadReader.optionalString)
        territories = try r.field("territories", required: creation, PayloadReader.strings)
        status = try r.field("status", required: creation, PayloadReader.string)
    }

    /// These facts, overwritten by those a later change records.
    public mutating func merge(_ c: OfferFacts) {
        if let v = c.member { member = v }
        if let v = c.organization { organization = v }
        if let v = c.territories { territories = v }
        if let v = c.status { status = v }
    }
}

/// The project's shape in the log, written here so that renaming an API field leaves history alone.
public enum ProjectEvents {
    /// The v1 payload of `project.created`: every field but `updated_at`, `before` all null.
    public static func created(_ p: Project) -> JSON { PayloadDiff.between(.object(JSONObject()), snapshot(p)) }
    /// The v1 payload of `project.updated` and `project.endorsed` (and a transition's changes): the changed fields.
    public static func changed(before: Project, after: Project) -> JSON { PayloadDiff.between(snapshot(before), snapshot(after)) }

    /// Every field of the project, v1 keys (release 0.1.0's).
    public static func snapshot(_ p: Project) -> JSON {
        func text(_ t: LocalizedText) -> JSON { .object(JSONObject(t.entries.map { ($0.language, JSON.string($0.text)) })) }
        func money(_ m: Money) -> JSON { ["minor": .int(m.minor), "currency": .string(m.currency)] }
        func num(_ d: Double?) -> JSON { d.map(JSON.double) ?? .null }
        let logframe: JSON = p.logframe.map { l in
            .object(JSONObject([
                ("goal", .optional(l.goal)), ("specific_objective", .optional(l.specificObjective)),
                ("results", .array(l.results.map { r in
                    ["title": .string(r.title), "indicators": .array(r.indicators.map { i in
                        var o: JSONObject = ["name": .string(i.name), "unit": .optional(i.unit), "baseline": num(i.baseline), "target": num(i.target)]
                        // Added after 0.1.0: written only when known, so a v1 payload without it stays byte for byte.
                        if let a = i.actual { o["actual"] = .double(a) }
                        return .object(o)
                    })]
                })),
                ("activities", .array(l.activities.map { a in
                    ["title": .string(a.title), "start_on": .optional(a.startOn?.description), "end_on": .optional(a.endOn?.description),
                     "responsible": .optional(a.responsible)]
                })),
                ("assumptions", .strings(l.assumptions)), ("risks", .strings(l.risks)),
            ]))
        } ?? .null
        let budget: JSON = p.budget.map { b in
            ["currency": .string(b.currency),
             "lines": .array(b.lines.map { ["category": .string($0.category.rawValue), "label": .string($0.label), "amount": money($0.amount)] }),
             "total": money(Money(minor: b.total, currency: b.currency))]
        } ?? .null
        return .object(JSONObject([
            ("id", .string(p.id)), ("code", .string(p.code)), ("title", text(p.title)), ("summary", text(p.summary)),
            ("stage", .string(p.stage.rawValue)), ("on_hold_from", .optional(p.onHoldFrom?.rawValue)), ("closed_reason", .optional(p.closedReason)),
            ("communes", .strings(p.communes)), ("sector", .optional(p.sector)), ("dac_code", .optional(p.dacCode)),
            ("pac_reference", .optional(p.pacReference)), ("pac_absence_reason", .optional(p.pacAbsenceReason)),
            ("lead_organization", .optional(p.leadOrganization)),
            ("partners", .array(p.partners.map { ["organization": .string($0.organization), "role": .string($0.role.rawValue)] })),
            ("adc", .optional(p.adc)), ("proposer", .optional(p.proposer)),
            ("beneficiaries", p.beneficiaries.map { ["total": .int($0.total), "women": .int($0.women), "youth": .int($0.youth)] } ?? .null),
            ("start_on", .optional(p.startOn?.description)), ("end_on", .optional(p.endOn?.description)),
            ("started_on", .optional(p.startedOn?.description)), ("identification_note", .optional(p.identificationNote)),
            ("logframe", logframe), ("budget", budget),
            ("funding_plan", .array(p.fundingPlan.map { s in
                var o: JSONObject = ["label": .string(s.label), "organization": .optional(s.organization), "amount": money(s.amount), "status": .string(s.status.rawValue)]
                // Added after 0.1.0: written only when set, so a v1 payload without them stays byte for byte.
                if let x = s.programme { o["programme"] = .string(x) }
                if let x = s.origin { o["origin"] = .string(x.rawValue) }
                if let k = s.inKind { o["in_kind"] = ["kind": .string(k.kind.rawValue), "quantity": .int(k.quantity), "rate": .optional(k.rate)] }
                return .object(o)
            })),
            ("endorsements", .array(p.endorsements.map {
                ["commune": .string($0.commune), "by": .string($0.by), "on": .string($0.on.description), "reference": .optional($0.reference)]
            })),
            ("progress", .int(p.progress)), ("final_report", .optional(p.finalReport)), ("lessons_learned", .optional(p.lessonsLearned)),
            ("notes", .array(p.notes.map { ["at": .string($0.at.description), "by": .optional($0.by), "text": .string($0.text)] })),
            ("reports", .array(p.reports.map { ["on": .string($0.on.description), "progress": .int($0.progress), "text": .string($0.text)] })),
            ("created_at", .string(p.createdAt.description)), ("updated_at", .string(p.updatedAt.description)),
        ]))
    }
}
