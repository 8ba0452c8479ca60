import CDSCore
import CDSStore

/// Learning events (webinars, workshops, field visits), their sessions, registrations and attendance.
enum LearningEventMethods {
    static let session = Schema.object([
        .init("on", .date, required: true, "the day it takes place"),
        .init("place", .text(maxLength: Limits.name), "where (a place or a link is required)"),
        .init("link", .string(maxLength: Limits.url), "the link of a webinar"),
    ])

    static let all: [Method] = [
        Method("learning_event.create", "Creates a webinar, workshop or field visit, with its sessions (a day, and a place or a link).", mutating: true,
               [.init("kind", .vocabulary(LearningEventKind.self), required: true, "webinar, workshop or field_visit"),
                .init("title", .text(maxLength: Limits.name), required: true, "its title"),
                .init("space", .id, "the learning space it belongs to"),
                .init("sessions", .array(session, maxItems: Limits.listItems), "its sessions")]) { c throws(CDSError) in
            let p = c.params
            var sessions: [(on: LocalDate, place: String?, link: String?)] = []
            for (n, o) in (p.objects("sessions") ?? []).enumerated() {
                let r = try JSONReader(.object(o), path: "sessions[\(n)]", schema: session)
                guard let on = try r.date("on") else { throw CDSError.invalid("sessions[\(n)].on", "is required") }
                sessions.append((on, try r.text("place"), r.object["link"]?.stringValue))
            }
            return try c.db.store.createLearningEvent(space: p.string("space"), kind: try p.term("kind", LearningEventKind.self) ?? .webinar,
                                                      title: p.text("title") ?? "", sessions: sessions, change: c.change).json
        },
        Method("learning_event.add_session", "Adds a session to a learning event; answers the session and the event with all its sessions.", mutating: true,
               [.init("event", .id, required: true, "the learning event's id"), .init("on", .date, required: true, "the day it takes place"),
                .init("place", .text(maxLength: Limits.name), "where (a place or a link is required)"),
                .init("link", .string(maxLength: Limits.url), "the link of a webinar")]) { c throws(CDSError) in
            let p = c.params
            let s = try c.db.store.addSession(event: try p.requiredString("event"), on: try p.requiredDate("on"), place: p.text("place"), link: p.string("link"),
                                              change: c.change)
            return ["session": s.json, "event": try c.db.store.learningEvent(s.event).json]
        },
        Method("learning_event.get", "A learning event by id, with its sessions.", [.init("id", .id, required: true, "the learning event's id")]) { c throws(CDSError) in
            try c.db.store.learningEvent(try c.params.requiredString("id")).json
        },
        Method("learning_event.list", "Learning events by space and kind, in creation order.",
               [.init("space", .id, "only this space's"), .init("kind", .vocabulary(LearningEventKind.self), "only this kind"),
                Paging.limit, Paging.cursor]) { c throws(CDSError) in
            let p = c.params
            return Paging.json(try c.db.store.learningEvents(space: p.string("space"), kind: try p.term("kind", LearningEventKind.self), limit: p.limit,
                                                             cursor: try p.sequenceCursor())) { $0.json }
        },
        Method("learning_event.register", "Registers a member for a learning event.", mutating: true,
               [.init("event", .id, required: true, "the learning event's id"), .init("member", .id, required: true, "the member's id")]) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.register(event: try p.requiredString("event"), member: try p.requiredString("member"), change: c.change)
        },
        Method("attendance.record", "Records a registered member's attendance at a session that has taken place: present, absent or excused.", mutating: true,
               [.init("session", .id, required: true, "the session's id"), .init("member", .id, required: true, "the member's id"),
                .init("status", .string(maxLength: 16, values: ["present", "absent", "excused"]), required: true, "present, absent or excused")]) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.recordAttendance(session: try p.requiredString("session"), member: try p.requiredString("member"),
                                                   status: try p.term("status", AttendanceStatus.self) ?? .notRecorded, change: c.change)
        },
        Method("attendance.list", "The attendance of a session: every registered member, not_recorded for those without a record.",
               [.init("session", .id, required: true, "the session's id")]) { c throws(CDSError) in
            let rows = try c.db.store.attendance(session: try c.params.requiredString("session"))
            return ["items": .array(rows.map { ["member": .string($0.member), "status": .string($0.status.rawValue)] }), "next_cursor": .null]
        },
    ]
}

/// Training modules, their versioned criteria, enrollments, assignments, completion and revocation.
enum ModuleMethods {
    /// The enrollment with what its criteria version says of it.
    static func progress(_ r: (enrollment: Enrollment, criteria: ModuleCriteria, verdict: CompletionVerdict), _ locale: Locale) -> JSON {
        var o = r.enrollment.json.objectValue ?? JSONObject()
        o["criteria"] = r.criteria.json
        o["progress"] = .object(JSONObject([
            ("complete", .bool(r.verdict.complete)), ("attended", .int(r.verdict.attended)), ("missed", .int(r.verdict.missed)),
            ("would_complete_on", .optional(r.verdict.completedOn?.description)), ("missing", .array(r.verdict.missing.map { $0.json(locale) })),
        ]))
        return .object(o)
    }

    static let all: [Method] = [
        Method("module.create", "Creates a training module tied to a competence, with version 1 of its criteria (sessions, missed allowed, resources, an assignment).",
               mutating: true,
               [.init("title", .text(maxLength: Limits.name), required: true, "its title"),
                .init("competence", .vocabulary(CompetenceKind.self), required: true, "the competence its completion attests"),
                .init("space", .id, "the learning space it belongs to"),
                .init("criteria", ModuleCriteria.schema, required: true, "what a learner must do")]) { c throws(CDSError) in
            let p = c.params
            guard let competence = try p.term("competence", CompetenceKind.self) else { throw CDSError.invalid("competence", "is required: a module attests a competence") }
            return try c.db.store.createModule(space: p.string("space"), competence: competence, title: p.text("title") ?? "",
                                               criteria: try ModuleCriteria(params: p.value("criteria") ?? .null, path: "criteria"), change: c.change).json
        },
        Method("module.publish", "Publishes a new version of a module's criteria: new enrollments are held to it, earlier ones keep theirs.", mutating: true,
               [.init("id", .id, required: true, "the module's id"), .init("criteria", ModuleCriteria.schema, required: true, "the new criteria")]) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.publishCriteria(module: try p.requiredString("id"), criteria: try ModuleCriteria(params: p.value("criteria") ?? .null, path: "criteria"),
                                                  change: c.change).json
        },
        Method("module.get", "A training module by id, with every version of its criteria.", [.init("id", .id, required: true, "the module's id")]) { c throws(CDSError) in
            try c.db.store.module(try c.params.requiredString("id")).json
        },
        Method("module.list", "Training modules by space and competence, in creation order.",
               [.init("space", .id, "only this space's"), .init("competence", .vocabulary(CompetenceKind.self), "only those attesting this competence"),
                Paging.limit, Paging.cursor]) { c throws(CDSError) in
            let p = c.params
            return Paging.json(try c.db.store.modules(space: p.string("space"), competence: try p.term("competence", CompetenceKind.self), limit: p.limit,
                                                      cursor: try p.sequenceCursor())) { $0.json }
        },
        Method("enrollment.create", "Enrolls a member in a module, held to the criteria version in force that day.", mutating: true,
               [.init("module", .id, required: true, "the module's id"), .init("member", .id, required: true, "the learner's id")]) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.enroll(module: try p.requiredString("module"), member: try p.requiredString("member"), change: c.change).json
        },
        Method("enrollment.get", "An enrollment with its criteria version and what is still missing to complete it.",
               [.init("id", .id, required: true, "the enrollment's id")]) { c throws(CDSError) in
            progress(try c.db.store.enrollment(try c.params.requiredString("id")), c.locale)
        },
        Method("enrollment.list", "Enrollments by module and learner, in enrollment order.",
               [.init("module", .id, "only this module's"), .init("member", .id, "only this learner's"), Paging.limit, Paging.cursor]) { c throws(CDSError) in
            let p = c.params
            return Paging.json(try c.db.store.enrollments(module: p.string("module"), member: p.string("member"), limit: p.limit, cursor: try p.sequenceCursor())) { $0.json }
        },
        Method("enrollment.submit", "Submits the learner's assignment (again, after it was returned).", mutating: true,
               [.init("id", .id, required: true, "the enrollment's id"),
                .init("submission", .text(maxLength: Limits.note), required: true, "the work, or a link to it")]) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.submitAssignment(enrollment: try p.requiredString("id"), submission: p.text("submission") ?? "", change: c.change).json
        },
        Method("enrollment.review", "A facilitator's review of a submitted assignment: accepted, or returned with a note.", mutating: true,
               [.init("id", .id, required: true, "the enrollment's id"),
                .init("status", .string(maxLength: 16, values: ["accepted", "returned"]), required: true, "accepted or returned"),
                .init("note", .text(maxLength: Limits.note), "the facilitator's note (required when returned)")]) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.reviewAssignment(enrollment: try p.requiredString("id"), status: try p.term("status", AssignmentStatus.self) ?? .submitted,
                                                   note: p.text("note"), change: c.change).json
        },
        Method("enrollment.complete", "Completes an enrollment that meets its criteria version and attests the module's competence (evidence: module.completed); unmet criteria answer transition_not_allowed with every gap.",
               mutating: true, [.init("id", .id, required: true, "the enrollment's id")]) { c throws(CDSError) in
            let r = try c.db.store.completeEnrollment(try c.params.requiredString("id"), change: c.change)
            return ["enrollment": r.enrollment.json, "competence": r.competence.json]
        },
        Method("competence.credential", "An attested competence as an Open Badges 3.0 OpenBadgeCredential (issuer: the CDS, subject: the member, achievement: the module and its criteria, valid from the day attested). UNSIGNED: it has no proof; the host signs it before anyone can verify it.",
               [.init("id", .id, required: true, "the competence record's id (member.get lists them)"),
                .init("issuer", .string(maxLength: Limits.url), "the CDS's identifier as issuer: a URL the host controls (default urn:cds:issuer)"),
                .init("issuer_name", .text(maxLength: Limits.name), "the issuer's name (default: Communauté de Développement Solidaire)")]) { c throws(CDSError) in
            let p = c.params
            let credential = try c.db.store.competenceCredential(try p.requiredString("id"), issuer: p.string("issuer") ?? "urn:cds:issuer",
                                                                 issuerName: p.text("issuer_name") ?? "Communauté de Développement Solidaire")
            return ["credential": credential, "signed": false,
                    "note": "unsigned: the credential carries no proof and is not verifiable as it is; sign it (Data Integrity or VC-JWT) with the issuer's key before handing it out"]
        },
        Method("learning.indicators", "The learning indicators as of a date, for a territory: participants in learning (by gender or country), ADCs trained per commune, resources by language, active spaces; and the communes with competent ADCs with the origin of each attestation.",
               [.init("as_of", .date, "the date (default: today)"),
                .init("territory", .string(maxLength: 20), "a commune, province or region"),
                .init("disaggregate", .string(maxLength: 32, values: ["gender", "country_of_residence"]), "split the people indicators"),
                .init("suppress_small_cells", .boolean, "hide cells of fewer than 5 people"),
                .init("provenance", .boolean, "list the ids behind each figure, and the origin of each attestation")]) { c throws(CDSError) in
            let p = c.params
            if let t = p.string("territory") { _ = try c.db.store.territoryForField(t, field: "territory") }
            let day = (try p.date("as_of") ?? c.db.store.now.date).daysSinceEpoch
            return try c.db.store.withIndicatorEngine { $0.learningReport(day: day, territory: p.string("territory") ?? "", provenance: p.bool("provenance") ?? false,
                                                                   disaggregate: p.string("disaggregate").map { $0 == "gender" ? "gender" : "country" },
                                                                   suppressSmallCells: p.bool("suppress_small_cells") ?? false, locale: c.locale) }
        },
        Method("competence.revoke", "Revokes a competence a member holds: she no longer holds it from that day (an event, with the reason).", mutating: true,
               [.init("member", .id, required: true, "the member's id"), .init("competence", .vocabulary(CompetenceKind.self), required: true, "the competence"),
                .init("revoked_on", .date, required: true, "the day it stops holding"),
                .init("reason", .text(maxLength: Limits.note), required: true, "why")]) { c throws(CDSError) in
            let p = c.params
            let revoked = try c.db.store.revokeCompetence(member: try p.requiredString("member"), competence: try p.term("competence", CompetenceKind.self) ?? .communication,
                                                          on: try p.requiredDate("revoked_on"), reason: p.text("reason") ?? "", change: c.change)
            return ["revoked": .array(revoked.map(\.json))]
        },
    ]
}

/// Learning spaces, their members and their discussions.
enum SpaceMethods {
    /// Who reads or writes, for the store's rules of spaces.
    static func reader(_ c: Call) -> Reader { Reader(member: c.viewer.id ?? c.change.actor, staff: c.viewer.isStaff) }

    static let all: [Method] = [
        Method("space.create", "Creates a learning space: thematic (a theme) or territorial (a commune, a province), its languages, open or by invitation.",
               mutating: true,
               [.init("kind", .vocabulary(SpaceKind.self), required: true, "thematic or territorial"),
                .init("name", .text(maxLength: Limits.name), required: true, "its name"),
                .init("description", .text(maxLength: Limits.note), "what it is for"),
                .init("theme", .text(maxLength: Limits.reference), "for a thematic space: its theme (water, argan value chain, project engineering…)"),
                .init("territory", .string(maxLength: 20), "for a territorial space: the commune, province or region (HCP code)"),
                .init("languages", .codes, required: true, "the languages it works in (ISO 639)"),
                .init("access", .vocabulary(SpaceAccess.self), "open (default) or invitation")]) { c throws(CDSError) in
            let p = c.params
            let draft = LearningSpace(id: "", kind: try p.term("kind", SpaceKind.self) ?? .thematic, name: p.text("name") ?? "", description: p.text("description"),
                                      theme: p.text("theme"), territory: p.string("territory"), languages: p.strings("languages") ?? [],
                                      access: try p.term("access", SpaceAccess.self) ?? .open, createdAt: c.db.store.now)
            return try c.db.store.createSpace(draft, change: c.change).json
        },
        Method("space.get", "A learning space by id, with its members and their role.", [.init("id", .id, required: true, "the space's id")]) { c throws(CDSError) in
            let id = try c.params.requiredString("id")
            var o = try c.db.store.learningSpace(id).json.objectValue ?? JSONObject()
            o["members"] = .array(try c.db.store.spaceMembers(id).map { ["member": .string($0.member), "role": .string($0.role.rawValue)] })
            return .object(o)
        },
        Method("space.list", "Learning spaces by kind and territory (with what lies below it), in creation order.",
               [.init("kind", .vocabulary(SpaceKind.self), "only this kind"), .init("territory", .string(maxLength: 20), "only spaces of this territory or below it"),
                Paging.limit, Paging.cursor]) { c throws(CDSError) in
            let p = c.params
            return Paging.json(try c.db.store.learningSpaces(kind: try p.term("kind", SpaceKind.self), territory: p.string("territory"), limit: p.limit,
                                                             cursor: try p.sequenceCursor())) { $0.json }
        },
        Method("space.join", "A member joins an open learning space as a participant.", mutating: true,
               [.init("space", .id, required: true, "the space's id"), .init("member", .id, required: true, "the member who joins")]) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.addSpaceMember(space: try p.requiredString("space"), member: try p.requiredString("member"), role: .participant,
                                                 by: Reader(member: try p.requiredString("member"), staff: c.viewer.isStaff), change: c.change)
        },
        Method("space.add_member", "A facilitator of the space (or staff) adds a member, as facilitator or participant, to an open space or one by invitation.",
               mutating: true,
               [.init("space", .id, required: true, "the space's id"), .init("member", .id, required: true, "the member added"),
                .init("role", .vocabulary(SpaceRole.self), required: true, "facilitator or participant")]) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.addSpaceMember(space: try p.requiredString("space"), member: try p.requiredString("member"),
                                                 role: try p.term("role", SpaceRole.self) ?? .participant, by: reader(c), change: c.change)
        },
        Method("thread.create", "Opens a discussion thread in a space the author is in, with its first post (held for a facilitator if she is new).", mutating: true,
               [.init("space", .id, required: true, "the space's id"), .init("title", .text(maxLength: Limits.name), required: true, "the thread's title"),
                .init("author", .id, required: true, "who writes (a member of the space)"),
                .init("body", .text(maxLength: Limits.note), required: true, "the first post")]) { c throws(CDSError) in
            let p = c.params
            let r = try c.db.store.createThread(space: try p.requiredString("space"), title: p.text("title") ?? "", author: try p.requiredString("author"),
                                                body: p.text("body") ?? "", change: c.change)
            var o = r.thread.objectValue ?? JSONObject()
            o["post"] = r.post.json
            return .object(o)
        },
        Method("thread.get", "A thread with the posts the caller sees: visible ones; her own held ones; every state for a facilitator of the space. A thread whose opening post is held, hidden or removed only for its author and the space's facilitators.",
               [.init("id", .id, required: true, "the thread's id")]) { c throws(CDSError) in
            try c.db.store.thread(try c.params.requiredString("id"), reader: reader(c))
        },
        Method("thread.list", "The threads of a space with their count of visible posts, in creation order; a thread whose opening post is held, hidden or removed only for its author and the space's facilitators (the others count it in withheld).",
               [.init("space", .id, required: true, "the space's id"), Paging.limit, Paging.cursor]) { c throws(CDSError) in
            let p = c.params
            return Paging.visible(try c.db.store.threads(space: try p.requiredString("space"), reader: reader(c), limit: p.limit, cursor: try p.sequenceCursor())) { $0 }
        },
        Method("post.create", "Writes a post in a thread (or a reply to a visible post) of a space the author is in; a new participant's first post is held for a facilitator.",
               mutating: true,
               [.init("thread", .id, required: true, "the thread's id"), .init("parent", .id, "the post it replies to"),
                .init("author", .id, required: true, "who writes (a member of the space)"),
                .init("body", .text(maxLength: Limits.note), required: true, "the text")]) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.createPost(thread: try p.requiredString("thread"), parent: p.string("parent"), author: try p.requiredString("author"),
                                             body: p.text("body") ?? "", change: c.change).json
        },
        Method("post.moderate", "A facilitator of the space moderates a post: a held one is let through (visible) or removed; a visible one hidden or removed, with why.",
               mutating: true,
               [.init("id", .id, required: true, "the post's id"),
                .init("state", .string(maxLength: 16, values: ["visible", "hidden", "removed"]), required: true, "visible, hidden or removed"),
                .init("reason", .text(maxLength: Limits.note), "why (required to hide or remove)")]) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.moderatePost(try p.requiredString("id"), to: try p.term("state", PostState.self) ?? .visible, reason: p.text("reason"),
                                               by: reader(c), change: c.change).json
        },
        Method("post.flag", "A member of the space flags a visible post for its facilitators, once.", mutating: true,
               [.init("id", .id, required: true, "the post's id"), .init("member", .id, required: true, "who flags it"),
                .init("reason", .text(maxLength: Limits.note), required: true, "why")]) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.flagPost(try p.requiredString("id"), member: try p.requiredString("member"), reason: p.text("reason") ?? "", change: c.change).json
        },
    ]
}

/// The resources of learning spaces and who used them.
enum ResourceMethods {
    static let all: [Method] = [
        Method("resource.create", "A facilitator of the space (or staff) adds a guide, template, FAQ, recording or link to it, in one language (a translation names its original), with a sector and tags.",
               mutating: true,
               [.init("space", .id, required: true, "the space's id"), .init("kind", .vocabulary(LearningResourceKind.self), required: true, "guide, template, faq, recording or link"),
                .init("title", .text(maxLength: Limits.name), required: true, "its title"), .init("description", .text(maxLength: Limits.note), "what it holds"),
                .init("url", .string(maxLength: Limits.url), "where it is (required for a recording or a link)"),
                .init("language", .string(maxLength: 16), required: true, "its language (ISO 639)"),
                .init("original", .id, "the resource it translates"), .init("sector", .string(maxLength: 64), "its PAC sector (reference.list dataset pac_sectors)"),
                .init("tags", .array(.text(maxLength: 64), maxItems: 20), "free tags")]) { c throws(CDSError) in
            let p = c.params
            let draft = LearningResource(id: "", space: try p.requiredString("space"), kind: try p.term("kind", LearningResourceKind.self) ?? .guide, title: p.text("title") ?? "",
                                         description: p.text("description"), url: p.string("url"), language: try p.requiredString("language"), original: p.string("original"),
                                         sector: p.string("sector"), tags: p.strings("tags") ?? [], createdAt: c.db.store.now)
            return try c.db.store.createResource(draft, by: SpaceMethods.reader(c), change: c.change).json
        },
        Method("resource.get", "A resource by id, with its translations (or its original and the other translations).",
               [.init("id", .id, required: true, "the resource's id")]) { c throws(CDSError) in
            let r = try c.db.store.learningResource(try c.params.requiredString("id"))
            var o = r.resource.json.objectValue ?? JSONObject()
            o["translations"] = .array(r.translations.map { ["id": .string($0.id), "language": .string($0.language), "original": .optional($0.original)] })
            return .object(o)
        },
        Method("resource.list", "Resources by space, kind, language, sector and tag, in creation order.",
               [.init("space", .id, "only this space's"), .init("kind", .vocabulary(LearningResourceKind.self), "only this kind"),
                .init("language", .string(maxLength: 16), "only in this language"), .init("sector", .string(maxLength: 64), "only of this sector"),
                .init("tag", .string(maxLength: 64), "only with this tag"), Paging.limit, Paging.cursor]) { c throws(CDSError) in
            let p = c.params
            return Paging.json(try c.db.store.learningResources(space: p.string("space"), kind: try p.term("kind", LearningResourceKind.self), language: p.string("language"),
                                                                sector: p.string("sector"), tag: p.string("tag"), limit: p.limit, cursor: try p.sequenceCursor())) { $0.json }
        },
        Method("resource.use", "Records that a member viewed or downloaded a resource (a module's criteria may ask for it).", mutating: true,
               [.init("id", .id, required: true, "the resource's id"), .init("member", .id, required: true, "who used it"),
                .init("action", .vocabulary(ResourceUse.self), required: true, "viewed or downloaded")]) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.useResource(try p.requiredString("id"), member: try p.requiredString("member"), action: try p.term("action", ResourceUse.self) ?? .viewed,
                                              by: SpaceMethods.reader(c), change: c.change)
        },
    ]
}
