/// Where an attested competence comes from: typed in by hand (`competence.attest`, the
/// competence record's id) or a completed training module (the enrollment and the module).
public struct CompetenceOrigin: Sendable, Hashable {
    /// `manual` or `module`.
    public var kind: String
    /// The competence record (manual) or the enrollment (module).
    public var id: String
    /// The module, for a completion.
    public var module: String?
    /// The criteria version, for a completion.
    public var criteriaVersion: Int64?

    /// An origin.
    public init(kind: String, id: String, module: String? = nil, criteriaVersion: Int64? = nil) {
        self.kind = kind; self.id = id; self.module = module; self.criteriaVersion = criteriaVersion
    }

    /// `{"origin", "id", "module", "criteria_version"}`.
    public var json: JSON {
        .object(JSONObject([("origin", .string(kind)), ("id", .string(id)), ("module", .optional(module)),
                            ("criteria_version", criteriaVersion.map(JSON.int) ?? .null)]))
    }
}

/// `module.completed`, v1 (subject: the learner): the append-only evidence that a module's
/// completion attests its competence: `{"after": {"enrollment", "module", "competence",
/// "criteria_version", "completed_on", "recorded_on", "record"}}`: the criteria version she
/// was held to, the day the learning was completed and the day it was recorded.
public enum ModuleCompleted {
    /// The event type.
    public static let type = EventType.moduleCompleted
    /// The v1 payload.
    public static func payload(_ e: Enrollment, competence: CompetenceKind, completedOn: LocalDate, recordedOn: LocalDate, record: String) -> JSON {
        ["after": .object(JSONObject([
            ("enrollment", .string(e.id)), ("module", .string(e.module)), ("competence", .string(competence.rawValue)),
            ("criteria_version", .int(e.criteriaVersion)), ("completed_on", .string(completedOn.description)),
            ("recorded_on", .string(recordedOn.description)), ("record", .string(record)),
        ]))]
    }
    /// The competence, the day completed and the origin.
    public static func decode(_ r: PayloadReader) throws(CDSError) -> (competence: String, completedOn: LocalDate, origin: CompetenceOrigin) {
        let a = try r.part("after")
        let origin = CompetenceOrigin(kind: "module", id: try a.string("enrollment"), module: try a.string("module"), criteriaVersion: try a.int("criteria_version"))
        _ = try a.date("recorded_on")
        return (try a.string("competence"), try a.date("completed_on"), origin)
    }
}

/// `competence.revoked`, v1 (subject: the member): `{"after": {"competence", "revoked_on", "reason"}}`;
/// she no longer holds the competence from that day.
public enum CompetenceRevoked {
    /// The event type.
    public static let type = EventType.competenceRevoked
    /// The v1 payload.
    public static func payload(competence: CompetenceKind, revokedOn: LocalDate, reason: String) -> JSON {
        ["after": ["competence": .string(competence.rawValue), "revoked_on": .string(revokedOn.description), "reason": .string(reason)]]
    }
    /// The competence and the day.
    public static func decode(_ r: PayloadReader) throws(CDSError) -> (competence: String, revokedOn: LocalDate) {
        let a = try r.part("after")
        guard !(try a.string("reason")).isEmpty else { throw a.failure("reason", "is empty: a revocation gives its reason") }
        return (try a.string("competence"), try a.date("revoked_on"))
    }
}

/// The events of learning events and modules that count only as their actor's activity, v1:
/// `{"after": <the facts>}`.
public enum LearningEvents {
    /// `learning_event.created`: the event with its sessions.
    public static func eventCreated(_ e: LearningEvent) -> JSON { ["after": e.json] }
    /// `session.scheduled`: the session.
    public static func sessionScheduled(_ s: LearningSession) -> JSON { ["after": s.json] }
    /// `registration.recorded`: the event and the member.
    public static func registered(event: String, member: String) -> JSON { ["after": ["event": .string(event), "member": .string(member)]] }
    /// `attendance.recorded`: the session, its event and day, the member and the status.
    public static func attendance(_ s: LearningSession, member: String, status: AttendanceStatus) -> JSON {
        ["after": .object(JSONObject([("session", .string(s.id)), ("event", .string(s.event)), ("on", .string(s.on.description)),
                                      ("member", .string(member)), ("status", .string(status.rawValue))]))]
    }
    /// `module.created`: the module without its criteria (each version has its own event).
    public static func moduleCreated(_ m: TrainingModule) -> JSON {
        ["after": .object(JSONObject([("id", .string(m.id)), ("space", .optional(m.space)), ("competence", .string(m.competence.rawValue)), ("title", .string(m.title))]))]
    }
    /// `module.criteria_published`: a version of the criteria.
    public static func criteriaPublished(module: String, version: Int64, criteria: ModuleCriteria) -> JSON {
        ["after": .object(JSONObject([("module", .string(module)), ("version", .int(version)), ("criteria", criteria.json)]))]
    }
    /// `enrollment.created`: the enrollment and the version it holds the learner to.
    public static func enrolled(_ e: Enrollment) -> JSON {
        ["after": .object(JSONObject([("id", .string(e.id)), ("module", .string(e.module)), ("member", .string(e.member)), ("criteria_version", .int(e.criteriaVersion))]))]
    }
    /// `assignment.submitted` and `assignment.reviewed`: the status, and a review's note (the submission stays in its row).
    public static func assignment(enrollment: String, status: AssignmentStatus, note: String?) -> JSON {
        ["after": .object(JSONObject([("enrollment", .string(enrollment)), ("status", .string(status.rawValue)), ("note", .optional(note))]))]
    }
}

/// The events of learning spaces and discussions, v1: `space.created` (`{"after": <the space>}`),
/// `space.member_added` (`{"after": {"space", "member", "role"}}`), `thread.created`
/// (`{"after": {"id", "space", "title", "held"}}`), `post.created` (`{"after": {"id", "thread", "space",
/// "parent", "author", "state"}}`: the text stays in its row), `post.moderated` (`{"after":
/// {"id", "state", "reason"}, "before": {"state"}}`), `post.flagged` (`{"after": {"post", "member"}}`).
public enum PostEvents {
    /// `space.created`.
    public static func spaceCreated(_ s: LearningSpace) -> JSON { ["after": s.json] }
    /// `space.member_added`.
    public static func memberAdded(space: String, member: String, role: SpaceRole) -> JSON {
        ["after": ["space": .string(space), "member": .string(member), "role": .string(role.rawValue)]]
    }
    /// `thread.created`; `held` when its first post is held for a facilitator.
    public static func threadCreated(id: String, space: String, title: String, held: Bool) -> JSON {
        ["after": ["id": .string(id), "space": .string(space), "title": .string(title), "held": .bool(held)]]
    }
    /// Whether a thread was opened by a post held for a facilitator.
    public static func decodeThreadHeld(_ r: PayloadReader) throws(CDSError) -> Bool { try r.part("after").bool("held") }
    /// `post.created`.
    public static func created(_ p: Post, space: String) -> JSON {
        ["after": .object(JSONObject([("id", .string(p.id)), ("thread", .string(p.thread)), ("space", .string(space)), ("parent", .optional(p.parent)),
                                      ("author", .string(p.author)), ("state", .string(p.state.rawValue))]))]
    }
    /// `post.moderated`.
    public static func moderated(id: String, from: PostState, to: PostState, reason: String?) -> JSON {
        ["before": ["state": .string(from.rawValue)], "after": ["id": .string(id), "state": .string(to.rawValue), "reason": .optional(reason)]]
    }
    /// `post.flagged`.
    public static func flagged(post: String, member: String) -> JSON { ["after": ["post": .string(post), "member": .string(member)]] }

    static func state(_ a: PayloadReader) throws(CDSError) -> PostState {
        let s = try a.string("state")
        guard let v = PostState(rawValue: s) else { throw a.failure("state", "is \"\(s)\", not a post state") }
        return v
    }
    /// The space, author and first state of `post.created`.
    public static func decodeCreated(_ r: PayloadReader) throws(CDSError) -> (space: String, author: String, state: PostState) {
        let a = try r.part("after")
        return (try a.string("space"), try a.string("author"), try state(a))
    }
    /// The new state of `post.moderated`.
    public static func decodeModerated(_ r: PayloadReader) throws(CDSError) -> PostState { try state(r.part("after")) }
}

/// `resource.created` (`{"after": {"id", "space", "kind", "language", "original", "sector", "tags"}}`) and
/// `resource.used` (`{"after": {"resource", "member", "action", "language"}}`), v1.
public enum ResourceEvents {
    /// `resource.created`: what the indicators read of it (its title and url stay in its row).
    public static func created(_ r: LearningResource) -> JSON {
        ["after": .object(JSONObject([("id", .string(r.id)), ("space", .string(r.space)), ("kind", .string(r.kind.rawValue)), ("language", .string(r.language)),
                                      ("original", .optional(r.original)), ("sector", .optional(r.sector)), ("tags", .strings(r.tags))]))]
    }
    /// `resource.used`.
    public static func used(_ r: LearningResource, member: String, action: ResourceUse) -> JSON {
        ["after": .object(JSONObject([("resource", .string(r.id)), ("member", .string(member)), ("action", .string(action.rawValue)), ("language", .string(r.language))]))]
    }
    /// The space and language of `resource.created`.
    public static func decodeCreated(_ r: PayloadReader) throws(CDSError) -> (space: String, language: String) {
        let a = try r.part("after")
        return (try a.string("space"), try a.string("language"))
    }
    /// The member of `resource.used`.
    public static func decodeUsed(_ r: PayloadReader) throws(CDSError) -> String {
        let a = try r.part("after")
        let action = try a.string("action")
        guard ResourceUse(rawValue: action) != nil else { throw a.failure("action", "is \"\(action)\", not viewed or downloaded") }
        return try a.string("member")
    }
}

/// What an erasure leaves of what a member wrote in learning: the rows stay, so every count
/// stays, but her posts' bodies, her flags' reasons, her submissions and the notes of their
/// reviews are blanked, and her threads' titles (never empty) read ``title``; the payloads of
/// the events about her threads, posts and enrollments lose their texts.
public enum LearningErasure {
    /// The title an erased member's thread keeps.
    public static let title = "—"

    /// The fields of those payloads that carry text: a thread's title, a moderation's reason, a review's note.
    public static let textFields = ["title", "reason", "note"]

    /// A payload of an event about her thread, post or enrollment without its texts (in `after`), marked redacted.
    public static func redacted(_ r: PayloadReader) throws(CDSError) -> JSON {
        var o = r.object
        if r.has("after") {
            var inner = try r.part("after").object
            for k in textFields { inner[k] = nil }
            o["after"] = .object(inner)
        }
        o["redacted"] = true
        return .object(o)
    }
}
