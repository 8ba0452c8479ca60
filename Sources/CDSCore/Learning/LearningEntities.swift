/// A webinar, workshop or field visit, in a learning space or for the whole CDS, with its sessions.
public struct LearningEvent: Sendable, Equatable {
    /// The opaque id (`lev_…`).
    public var id: String
    /// The learning space it belongs to, if any.
    public var space: String?
    /// Webinar, workshop, field visit.
    public var kind: LearningEventKind
    /// Its title.
    public var title: String
    /// Its sessions, by day.
    public var sessions: [LearningSession]
    /// When it was created.
    public var createdAt: Instant

    /// An event.
    public init(id: String, space: String?, kind: LearningEventKind, title: String, sessions: [LearningSession] = [], createdAt: Instant) {
        self.id = id; self.space = space; self.kind = kind; self.title = title; self.sessions = sessions; self.createdAt = createdAt
    }

    /// `{"id", "space", "kind", "title", "sessions", "created_at"}`.
    public var json: JSON {
        .object(JSONObject([
            ("id", .string(id)), ("space", .optional(space)), ("kind", .string(kind.rawValue)), ("title", .string(title)),
            ("sessions", .array(sessions.map(\.json))), ("created_at", .string(createdAt.description)),
        ]))
    }
}

/// One session of a learning event: a day, and a place or a link (or both).
public struct LearningSession: Sendable, Equatable {
    /// The opaque id (`ses_…`).
    public var id: String
    /// The event.
    public var event: String
    /// The day it takes place.
    public var on: LocalDate
    /// Where (a field visit, a workshop).
    public var place: String?
    /// The link (a webinar).
    public var link: String?

    /// A session.
    public init(id: String, event: String, on: LocalDate, place: String?, link: String?) {
        self.id = id; self.event = event; self.on = on; self.place = place; self.link = link
    }

    /// A session has a place or a link.
    public func validate() throws(CDSError) {
        guard place != nil || link != nil else { throw CDSError.invalid("place", "a session needs a place or a link") }
    }

    /// `{"id", "event", "on", "place", "link"}`.
    public var json: JSON {
        .object(JSONObject([("id", .string(id)), ("event", .string(event)), ("on", .string(on.description)), ("place", .optional(place)), ("link", .optional(link))]))
    }
}

/// A training module: a competence it attests, and its criteria, version after version.
public struct TrainingModule: Sendable, Equatable {
    /// The opaque id (`mod_…`).
    public var id: String
    /// The learning space it belongs to, if any.
    public var space: String?
    /// The competence its completion attests.
    public var competence: CompetenceKind
    /// Its title.
    public var title: String
    /// Every version of its criteria, oldest first (version n at index n - 1).
    public var versions: [(version: Int64, criteria: ModuleCriteria, publishedAt: Instant)]
    /// When it was created.
    public var createdAt: Instant

    /// A module.
    public init(id: String, space: String?, competence: CompetenceKind, title: String,
                versions: [(version: Int64, criteria: ModuleCriteria, publishedAt: Instant)], createdAt: Instant) {
        self.id = id; self.space = space; self.competence = competence; self.title = title; self.versions = versions; self.createdAt = createdAt
    }

    /// The version in force (the newest).
    public var current: (version: Int64, criteria: ModuleCriteria, publishedAt: Instant)? { versions.last }

    /// The criteria of a version.
    public func criteria(_ version: Int64) -> ModuleCriteria? { versions.first { $0.version == version }?.criteria }

    public static func == (a: TrainingModule, b: TrainingModule) -> Bool {
        a.id == b.id && a.space == b.space && a.competence == b.competence && a.title == b.title && a.createdAt == b.createdAt
            && a.versions.map(\.version) == b.versions.map(\.version) && a.versions.map(\.criteria) == b.versions.map(\.criteria)
    }

    /// `{"id", "space", "competence", "title", "version", "criteria", "versions": [{"version", "criteria", "published_at"}], "created_at"}`.
    public var json: JSON {
        .object(JSONObject([
            ("id", .string(id)), ("space", .optional(space)), ("competence", .string(competence.rawValue)), ("title", .string(title)),
            ("version", current.map { .int($0.version) } ?? .null), ("criteria", current?.criteria.json ?? .null),
            ("versions", .array(versions.map { ["version": .int($0.version), "criteria": $0.criteria.json, "published_at": .string($0.publishedAt.description)] })),
            ("created_at", .string(createdAt.description)),
        ]))
    }
}

/// A learner's enrollment in a module, held to the criteria version in force when she enrolled.
public struct Enrollment: Sendable, Equatable {
    /// The opaque id (`enr_…`).
    public var id: String
    /// The module.
    public var module: String
    /// The learner.
    public var member: String
    /// The criteria version she is held to.
    public var criteriaVersion: Int64
    /// When she enrolled.
    public var enrolledAt: Instant
    /// Her assignment's status, if she submitted one.
    public var assignment: AssignmentStatus?
    /// Her submission (a text or a link).
    public var submission: String?
    /// The note of the last review.
    public var reviewNote: String?
    /// Who reviewed it last.
    public var reviewedBy: String?
    /// The day the learning was completed.
    public var completedOn: LocalDate?
    /// The day the completion was recorded.
    public var recordedOn: LocalDate?
    /// The competence record the completion attested.
    public var competence: String?

    /// An enrollment.
    public init(id: String, module: String, member: String, criteriaVersion: Int64, enrolledAt: Instant) {
        self.id = id; self.module = module; self.member = member; self.criteriaVersion = criteriaVersion; self.enrolledAt = enrolledAt
    }

    /// `{"id", "module", "member", "criteria_version", "enrolled_at", "assignment": {"status", "submission", "note", "reviewed_by"} | null,
    /// "completed": bool, "completed_on", "recorded_on", "competence"}`.
    public var json: JSON {
        let a: JSON = assignment.map { s in
            .object(JSONObject([("status", .string(s.rawValue)), ("submission", .optional(submission)), ("note", .optional(reviewNote)),
                                ("reviewed_by", .optional(reviewedBy))]))
        } ?? .null
        return .object(JSONObject([
            ("id", .string(id)), ("module", .string(module)), ("member", .string(member)), ("criteria_version", .int(criteriaVersion)),
            ("enrolled_at", .string(enrolledAt.description)), ("assignment", a), ("completed", .bool(completedOn != nil)),
            ("completed_on", .optional(completedOn?.description)), ("recorded_on", .optional(recordedOn?.description)), ("competence", .optional(competence)),
        ]))
    }
}
