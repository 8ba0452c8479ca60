import CDSCore
import CDSStore

/// The JSON shapes of a project's parts, for the params schemas.
enum ProjectSchemas {
    /// A localized text of at most `max` characters per language; null clears it (an empty text).
    static func localized(_ name: String, _ key: any WritableKeyPath<Project, LocalizedText> & Sendable, max: Int, required: Bool = false, _ doc: String) -> Field<Project> {
        Field(name: name, schema: LocalizedText.schema(max: max), required: required, clearable: !required, doc: doc) { v, x throws(CDSError) in
            x[keyPath: key] = try LocalizedText(json: v, field: name, max: max)
        }
    }

    /// The editable fields of a project, declared once for `project.create` and `project.update`.
    /// Fields are written in this order: `sector` clears the DAC code, which a `dac_code` given too sets again.
    static let fields: [Field<Project>] = [
        .text("code", \.code, max: Limits.reference, "a short unique code (default P-<year>-<n>)"),
        localized("title", \.title, max: Limits.name, required: true, "the title by language: {\"fr\": \"…\", \"ar\": \"…\"}"),
        localized("summary", \.summary, max: Limits.note, "the summary by language"),
        .codes("communes", \.communes, of: .array(.string(maxLength: 20), maxItems: 50), "commune codes (HCP)"),
        Field(name: "sector", schema: .string(maxLength: 16), required: false, clearable: true, doc: "PAC sector code (reference.list dataset pac_sectors)") { v, x in
            x.sector = v?.stringValue
            x.dacCode = nil
        },
        .string("dac_code", \.dacCode, .string(maxLength: 16), "OECD DAC 5-digit code (default: the sector's first)"),
        .text("pac_reference", \.pacReference, max: Limits.name, "the PAC/PCD action it belongs to"),
        .text("pac_absence_reason", \.pacAbsenceReason, max: Limits.note, "why it is in no PAC/PCD"),
        .string("lead_organization", \.leadOrganization, .id, "the lead organization's id"),
        .list("partners", \.partners, of: Partner.schema, maxItems: 50, "partners with their IATI roles") { j, path throws(CDSError) in try Partner(json: j, path: path) },
        .string("adc", \.adc, .id, "the ADC (member id) who brings it to maturity"),
        .string("proposer", \.proposer, .id, "who proposed it: a member or organization id"),
        .optional("beneficiaries", \.beneficiaries, Beneficiaries.schema, "who benefits") { j, path throws(CDSError) in try Beneficiaries(json: j, path: path) },
        .date("start_on", \.startOn, "planned start"), .date("end_on", \.endOn, "planned end"),
        .text("identification_note", \.identificationNote, max: Limits.note, "the ADC's identification note"),
        .optional("logframe", \.logframe, Logframe.schema, "the logical framework") { j, path throws(CDSError) in try Logframe(json: j, path: path) },
        .optional("budget", \.budget, Budget.schema, "the budget, in one currency") { j, path throws(CDSError) in try Budget(json: j, path: path) },
        .list("funding_plan", \.fundingPlan, of: FundingSource.schema, maxItems: 50, "the sources of funding") { j, path throws(CDSError) in
            try FundingSource(json: j, path: path)
        },
    ]

    /// The implementation fields, which only `project.update` takes.
    static let implementation: [Field<Project>] = [
        .date("started_on", \.startedOn, "the actual start"),
        Field(name: "progress_report", schema: ProgressReport.schema, required: false, clearable: false, doc: "a progress report to append (sets the progress)") { v, x throws(CDSError) in
            x.reports.append(try ProgressReport(json: v ?? .null, path: "progress_report"))
        },
        .text("final_report", \.finalReport, max: Limits.note, "the final report"),
        .text("lessons_learned", \.lessonsLearned, max: Limits.note, "the lessons learned"),
    ]

    /// `note`: appended to the project's notes, with who and when.
    static let noteProperty = Schema.Property("note", .text(maxLength: Limits.note), "a note to append")

    /// The params of `project.create` (update false) or `project.update` (true).
    static func properties(update: Bool) -> [Schema.Property] {
        (update ? fields + implementation : fields).properties(update: update) + [noteProperty]
    }

    /// Applies the fields present in the params to a project, then appends the note.
    static func apply(_ p: Params, to x: inout Project, update: Bool, note: ProjectNote?) throws(CDSError) {
        try (update ? fields + implementation : fields).apply(p, to: &x)
        if let note { x.notes.append(note) }
    }

    static func note(_ c: Call) throws(CDSError) -> ProjectNote? {
        guard let text = c.params.text("note") else { return nil }
        return ProjectNote(at: c.change.at ?? c.db.store.now, by: c.change.actor, text: text)
    }

    static func checklistJSON(_ k: Checklist, _ locale: Locale) -> JSON {
        ["project": .string(k.project.id), "code": .string(k.project.code), "stage": .string(k.project.stage.rawValue),
         "target": .optional(k.target?.rawValue), "ready": .bool(k.target != nil && k.missing.isEmpty && k.brokenRules.isEmpty),
         "missing": .array(k.missing.map { $0.json(locale) } + k.brokenRules.map { $0.json(locale) }), "met": .array(k.met.map { $0.json(locale) }),
         "readiness": .double(k.readiness)]
    }

    /// One event of `project.history`, read through its event type (never the payload's keys with defaults).
    static func historyItem(_ e: EventRecord) throws(CDSError) -> JSON {
        let h = try ProjectHistoryFacts(seq: e.seq, type: e.type, payload: e.payload)
        var o = e.json.objectValue ?? JSONObject()
        o["from"] = .optional(h.from)
        o["to"] = .optional(h.to)
        o["note"] = .optional(h.note)
        o["changes"] = .object(h.changes)
        return .object(o)
    }
}

enum ProjectMethods {
    static let all: [Method] = [
        Method("project.create", "Creates a project at the idea stage, with whatever is known of it already.", mutating: true,
               ProjectSchemas.properties(update: false)) { c throws(CDSError) in
            let note = try ProjectSchemas.note(c)
            return try c.db.store.createProject(change: c.change) { (x: inout Project) throws(CDSError) in
                try ProjectSchemas.apply(c.params, to: &x, update: false, note: note)
            }.json
        },
        Method("project.get", "A project, with everything it has and its readiness for the next stage.",
               [.init("id", .id, required: true, "the project's id")]) { c throws(CDSError) in
            let k = try c.db.store.checklist(try c.params.requiredString("id"))
            guard Sight(c).sees(k.project) else { throw Visibility.forbidden("project.unpublished", "project \(k.project.id) is not published yet", details: ["project": .string(k.project.id)]) }
            var o = k.project.json.objectValue ?? JSONObject()
            o["checklist"] = ProjectSchemas.checklistJSON(k, c.locale)
            return .object(o)
        },
        Method("project.update", "Changes the given fields of a project (null clears an optional one); appends a note or a progress report.",
               mutating: true, [.init("id", .id, required: true, "the project's id")] + ProjectSchemas.properties(update: true)) { c throws(CDSError) in
            let note = try ProjectSchemas.note(c)
            return try c.db.store.updateProject(try c.params.requiredString("id"), change: c.change) { (x: inout Project) throws(CDSError) in
                try ProjectSchemas.apply(c.params, to: &x, update: true, note: note)
            }.json
        },
        Method("project.list", "Projects by stage, territory (a province or region includes its communes), sector, ADC and title.",
               [.init("stage", .vocabulary(Stage.self), "only at this stage"), .init("territory", .string(maxLength: 20), "only in this territory or below it"),
                .init("sector", .string(maxLength: 16), "only this PAC sector"), .init("adc", .id, "only this ADC's"),
                Paging.query, Paging.limit, Paging.cursor]) { c throws(CDSError) in
            let p = c.params
            let f = ProjectFilter(stage: try p.term("stage", Stage.self), territory: p.string("territory"), sector: p.string("sector"),
                                  adc: p.string("adc"), query: p.string("q"))
            let sight = Sight(c)
            return Paging.visible(try c.db.store.projects(f, limit: p.limit, cursor: try p.sequenceCursor())) { sight.sees($0) ? $0.json : nil }
        },
        Method("project.checklist", "Everything a project lacks to reach a stage (default: the next), each with a key and a label; changes nothing.",
               [.init("id", .id, required: true, "the project's id"), .init("to", .vocabulary(Stage.self), "the stage to check (default: the next)")]) { c throws(CDSError) in
            let id = try c.params.requiredString("id")
            try Sight(c).requireProject(id)
            return ProjectSchemas.checklistJSON(try c.db.store.checklist(id, target: try c.params.term("to", Stage.self)), c.locale)
        },
        Method("project.transition", "Moves a project to a stage if the actor may and every requirement is met; otherwise lists what is missing.",
               mutating: true, [.init("id", .id, required: true, "the project's id"), .init("to", .vocabulary(Stage.self), required: true, "the stage to move to"),
                                .init("note", .text(maxLength: Limits.note), "why (required to reject or abandon)")]) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.transitionProject(try p.requiredString("id"), to: try p.term("to", Stage.self) ?? .idea, note: p.string("note"), change: c.change).json
        },
        Method("project.endorse", "Records a commune's endorsement of a project; the actor represents the commune.", mutating: true,
               [.init("id", .id, required: true, "the project's id"), .init("commune", .string(maxLength: 20), "the commune (default: the one the actor represents)"),
                .init("on", .date, required: true, "the day of the council's decision"),
                .init("reference", .text(maxLength: Limits.reference), "the decision's reference")]) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.endorseProject(try p.requiredString("id"), commune: p.string("commune"), on: try p.requiredDate("on"),
                                                 reference: p.string("reference"), change: c.change).json
        },
        Method("project.history", "Every event of a project and of its needs, oldest first: who, when, from, to, note, changes.",
               [.init("id", .id, required: true, "the project's id"), Paging.limit, Paging.cursor]) { c throws(CDSError) in
            let p = c.params
            let id = try p.requiredString("id")
            try Sight(c).requireProject(id)
            return try Paging.json(try c.db.store.projectHistory(id, after: try p.sequenceCursor(), limit: p.limit), ProjectSchemas.historyItem)
        },
    ]
}

enum NeedMethods {
    static let quantity = Quantity.schema

    /// The fields of a need, declared once for `need.create` and `need.update` (`status` is the update's only).
    static let fields: [Field<Need>] = [
        .term("kind", \.kind, required: true, "information, skill, network, finance, investment, material"),
        .text("description", \.description, max: Limits.note, required: true, "what is needed"),
        .codes("skills", \.skills, "skill codes (ISCO-08 or ESCO)"),
        .decoded("quantity", \.quantity, quantity, required: true, "how much") { j, path throws(CDSError) in try Quantity(json: j, path: path) },
        .date("from", \.from, "needed from"), .date("until", \.until, "needed until"),
        .term("mode", \.mode, "on_site, remote or either (default)"),
        .codes("languages", \.languages, "languages the work requires"),
        .bool("critical", \.critical, "must be covered before the project is funded"),
    ]

    /// What only `need.update` takes.
    static let status: [Field<Need>] = [.term("status", \.status, "open, partly_covered, covered, cancelled")]

    static let all: [Method] = [
        Method("need.create", "Declares something a project lacks.", mutating: true,
               [.init("project", .id, required: true, "the project's id")] + fields.properties(update: false)) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.createNeed(project: try p.requiredString("project"), change: c.change) { (n: inout Need) throws(CDSError) in
                try fields.apply(p, to: &n)
            }.json
        },
        Method("need.get", "A need by id.", [.init("id", .id, required: true, "the need's id")]) { c throws(CDSError) in
            let n = try c.db.store.need(try c.params.requiredString("id"))
            try Sight(c).requireProject(n.project)
            return n.json
        },
        Method("need.update", "Changes the given fields of a need, its status included.", mutating: true,
               [.init("id", .id, required: true, "the need's id")] + (fields + status).properties(update: true)) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.updateNeed(try p.requiredString("id"), change: c.change) { (n: inout Need) throws(CDSError) in
                try (fields + status).apply(p, to: &n)
            }.json
        },
        Method("need.list", "Needs by project, status and kind, in creation order.",
               [.init("project", .id, "only this project's"), .init("status", .vocabulary(NeedStatus.self), "only this status"),
                .init("kind", .vocabulary(ResourceKind.self), "only this kind"), Paging.limit, Paging.cursor]) { c throws(CDSError) in
            let p = c.params
            let sight = Sight(c)
            return try Paging.visible(try c.db.store.needs(project: p.string("project"), status: try p.term("status", NeedStatus.self),
                                                           kind: try p.term("kind", ResourceKind.self), limit: p.limit, cursor: try p.sequenceCursor())) { (n: Need) throws(CDSError) in
                try sight.sees(project: n.project) ? n.json : nil
            }
        },
    ]
}
