/// What a training module asks of a learner, as one version of data: the sessions to
/// attend and how many of them may be missed (absent or excused), the resources to use,
/// and an assignment a facilitator reviews. A version is never edited: a change is a new
/// version, and a learner is held to the version in force when she enrolled.
public struct ModuleCriteria: Sendable, Equatable {
    /// The sessions to attend (ids of learning sessions).
    public var sessions: [String]
    /// How many of those sessions may be missed (absent or excused).
    public var maxMissed: Int64
    /// The resources to use (viewed or downloaded), by id.
    public var resources: [String]
    /// The brief of the assignment a facilitator reviews; nil: no assignment.
    public var assignment: String?

    /// Criteria.
    public init(sessions: [String] = [], maxMissed: Int64 = 0, resources: [String] = [], assignment: String? = nil) {
        self.sessions = sessions; self.maxMissed = maxMissed; self.resources = resources; self.assignment = assignment
    }

    /// The JSON Schema of criteria in params.
    public static let schema = Schema.object([
        .init("sessions", .array(.id, maxItems: Limits.listItems), "the sessions to attend (ids)"),
        .init("max_missed", .integer(min: 0, max: Int64(Limits.listItems)), "how many of them may be missed, absent or excused (default 0)"),
        .init("resources", .array(.id, maxItems: Limits.listItems), "the resources to use, viewed or downloaded (ids)"),
        .init("assignment", .text(maxLength: Limits.note), "the brief of an assignment a facilitator reviews (absent: none)"),
    ])

    /// Criteria read from params already checked against ``schema``, at `path`.
    public init(params json: JSON, path: String) throws(CDSError) {
        let r = try JSONReader(json, path: path, schema: Self.schema)
        func ids(_ key: String) throws(CDSError) -> [String] {
            try r.list(key, max: Limits.listItems) { (v, p) throws(CDSError) in
                guard let s = v.stringValue else { throw CDSError.invalid(p, "must be an id") }
                return s
            }
        }
        self.init(sessions: try ids("sessions"), maxMissed: try r.integer("max_missed", in: 0...Int64(Limits.listItems)) ?? 0,
                  resources: try ids("resources"), assignment: try r.text("assignment"))
    }

    /// Criteria as stored: a damaged one is an error naming what is wrong (the store makes it a `storage` error).
    public init(stored json: JSON) throws(CDSError) {
        guard let o = json.objectValue, let s = o["sessions"]?.arrayValue, let m = o["max_missed"]?.intValue, let r = o["resources"]?.arrayValue,
              let a = o["assignment"] else { throw CDSError.invalid("criteria", "is not a criteria document") }
        let sessions = s.compactMap(\.stringValue), resources = r.compactMap(\.stringValue)
        guard sessions.count == s.count, resources.count == r.count, a.isNull || a.stringValue != nil else {
            throw CDSError.invalid("criteria", "holds a value of the wrong type")
        }
        self.init(sessions: sessions, maxMissed: m, resources: resources, assignment: a.stringValue)
    }

    /// `{"sessions", "max_missed", "resources", "assignment"}` (the stored shape too).
    public var json: JSON {
        .object(JSONObject([
            ("sessions", .strings(sessions)), ("max_missed", .int(maxMissed)), ("resources", .strings(resources)), ("assignment", .optional(assignment)),
        ]))
    }

    /// Refuses criteria that cannot be met or would prove nothing: nothing to do at all, a
    /// session or resource named twice, more sessions allowed to be missed than there are
    /// (or all of them: at least one must be attended). Unknown or past sessions are the
    /// store's to refuse, which knows them.
    public func validate(field: String = "criteria") throws(CDSError) {
        guard !sessions.isEmpty || !resources.isEmpty || assignment != nil else {
            throw CDSError.invalid(field, "cannot be met: it asks for no session, no resource and no assignment, so completing it would prove nothing")
        }
        _ = try Validate.unique(sessions, field: field + ".sessions")
        _ = try Validate.unique(resources, field: field + ".resources")
        guard maxMissed >= 0 else { throw CDSError.invalid(field + ".max_missed", "must be at least 0") }
        if sessions.isEmpty {
            guard maxMissed == 0 else { throw CDSError.invalid(field + ".max_missed", "cannot be met: it allows missing sessions but names none") }
        } else {
            guard maxMissed < Int64(sessions.count) else {
                throw CDSError.invalid(field + ".max_missed", "cannot be met as meant: \(maxMissed) of \(sessions.count) sessions may be missed, so none need be attended")
            }
        }
    }
}

/// What a learner did that a module's criteria read: the day of each session, her
/// attendance, the first day she used each resource, and her assignment's state.
public struct LearnerRecord: Sendable, Equatable {
    /// The day of each session (those the criteria name).
    public var sessionDays: [String: LocalDate]
    /// Her recorded attendance, by session (a session absent from it is not recorded).
    public var attendance: [String: AttendanceStatus]
    /// The first day she used each resource.
    public var resourceUses: [String: LocalDate]
    /// Her assignment: its status and the day of its last step (submission or review).
    public var assignment: (status: AssignmentStatus, on: LocalDate)?

    /// A record.
    public init(sessionDays: [String: LocalDate] = [:], attendance: [String: AttendanceStatus] = [:], resourceUses: [String: LocalDate] = [:],
                assignment: (status: AssignmentStatus, on: LocalDate)? = nil) {
        self.sessionDays = sessionDays; self.attendance = attendance; self.resourceUses = resourceUses; self.assignment = assignment
    }

    public static func == (a: LearnerRecord, b: LearnerRecord) -> Bool {
        a.sessionDays == b.sessionDays && a.attendance == b.attendance && a.resourceUses == b.resourceUses
            && a.assignment?.status == b.assignment?.status && a.assignment?.on == b.assignment?.on
    }
}

/// The verdict of a module's criteria on a learner's record.
public struct CompletionVerdict: Sendable, Equatable {
    /// One unmet requirement: its key and what it is about (a session or resource id).
    public struct Gap: Sendable, Equatable {
        /// The requirement.
        public var gap: CompletionGap
        /// The session or resource it names, if any.
        public var subject: String?
        /// `{"key", "label", "labels", "subject"}`.
        public func json(_ locale: Locale) -> JSON {
            .object(JSONObject([("key", .string(gap.rawValue)), ("label", .string(gap.labels.label(locale))), ("labels", gap.labels.json),
                                ("subject", .optional(subject))]))
        }
    }

    /// Every requirement not met, in the criteria's order; empty when completed.
    public var missing: [Gap]
    /// Sessions missed (absent or excused).
    public var missed: Int64
    /// Sessions attended.
    public var attended: Int64
    /// The day the learning was completed: the last day a requirement was met (nil until completed).
    public var completedOn: LocalDate?

    /// True when every requirement is met.
    public var complete: Bool { missing.isEmpty && completedOn != nil }
}

/// The completion rule of a training module.
public enum Completion {
    /// Judges a learner's record by one version of criteria. Every session must have a
    /// record (not recorded: not completed, as attendance certificates require); at most
    /// `maxMissed` may be absent or excused; every resource used; the assignment accepted by
    /// a facilitator. The completion day is the last day one of them was met.
    public static func evaluate(_ c: ModuleCriteria, _ r: LearnerRecord) -> CompletionVerdict {
        var missing: [CompletionVerdict.Gap] = []
        var missed: Int64 = 0, attended: Int64 = 0
        var last: LocalDate? = nil
        func met(_ d: LocalDate?) { if let d, last.map({ d > $0 }) ?? true { last = d } }
        for s in c.sessions {
            switch r.attendance[s] ?? .notRecorded {
            case .present: attended += 1; met(r.sessionDays[s])
            case .absent, .excused: missed += 1
            case .notRecorded: missing.append(.init(gap: .sessionNotRecorded, subject: s))
            }
        }
        if missed > c.maxMissed { missing.append(.init(gap: .sessionsMissed, subject: nil)) }
        for res in c.resources {
            if let d = r.resourceUses[res] { met(d) } else { missing.append(.init(gap: .resourceNotUsed, subject: res)) }
        }
        if c.assignment != nil {
            switch r.assignment?.status {
            case nil: missing.append(.init(gap: .assignmentNotSubmitted, subject: nil))
            case .submitted?: missing.append(.init(gap: .assignmentUnderReview, subject: nil))
            case .returned?: missing.append(.init(gap: .assignmentReturned, subject: nil))
            case .accepted?: met(r.assignment?.on)
            }
        }
        return CompletionVerdict(missing: missing, missed: missed, attended: attended, completedOn: missing.isEmpty ? last : nil)
    }
}
