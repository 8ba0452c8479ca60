import CDSCore
import CDSStore

/// The JSON shapes of a project's parts, for the params schemas.
enum ProjectSchemas {
    /// The editable fields of a project (`update` adds the implementation ones).
    static func fields(update: Bool) -> [Schema.Property] {
        func opt(_ s: Schema) -> Schema { update ? .nullable(s) : s }
        var f: [Schema.Property] = [
            .init("code", .text(maxLength: Limits.reference), "a short unique code (default P-<year>-<n>)"),
            .init("title", LocalizedText.schema(max: Limits.name), required: !update, "the title by language: {\"fr\": \"…\", \"ar\": \"…\"}"),
            .init("summary", opt(LocalizedText.schema(max: Limits.note)), "the summary by language"),
            .init("communes", .array(.string(maxLength: 20), maxItems: 50), "commune codes (HCP)"),
            .init("sector", opt(.string(maxLength: 16)), "PAC sector code (reference.list dataset pac_sectors)"),
            .init("dac_code", opt(.string(maxLength: 16)), "OECD DAC 5-digit code (default: the sector's first)"),
            .init("pac_reference", opt(.text(maxLength: Limits.name)), "the PAC/PCD action it belongs to"),
            .init("pac_absence_reason", opt(.text(maxLength: Limits.note)), "why it is in no PAC/PCD"),
            .init("lead_organization", opt(.id), "the lead organization's id"),
            .init("partners", .array(Partner.schema, maxItems: 50), "partners with their IATI roles"),
            .init("adc", opt(.id), "the ADC (member id) who brings it to maturity"),
            .init("proposer", opt(.id), "who proposed it: a member or organization id"),
            .init("beneficiaries", opt(Beneficiaries.schema), "who benefits"),
            .init("start_on", opt(.date), "planned start"), .init("end_on", opt(.date), "planned end"),
            .init("identification_note", opt(.text(maxLength: Limits.note)), "the ADC's identification note"),
            .init("logframe", opt(Logframe.schema), "the logical framework"),
            .init("budget", opt(Budget.schema), "the budget, in one currency"),
            .init("funding_plan", .array(FundingSource.schema, maxItems: 50), "the sources of funding"),
            .init("note", .text(maxLength: Limits.note), "a note to append"),
        ]
        if update {
            f += [
                .init("started_on", .nullable(.date), "the actual start"),
                .init("progress_report", ProgressReport.schema, "a progress report to append (sets the progress)"),
                .init("final_report", .nullable(.text(maxLength: Limits.note)), "the final report"),
                .init("lessons_learned", .nullable(.text(maxLength: Limits.note)), "the lessons learned"),
            ]
        }
        return f
    }

    /// Applies the fields present in the params to a project (null clears an optional one).
    static func apply(_ p: Params, to x: inout Project, note: ProjectNote?) throws(CDSError) {
        let o = p.object
        func value(_ k: String) -> JSON? { o[k].flatMap { v -> JSON? in v.isNull ? nil : v } }
        if let v = p.text("code") { x.code = v }
        if let v = o["title"] { x.title = try LocalizedText(json: v, field: "title", max: Limits.name) }
        if o["summary"] != nil { x.summary = try LocalizedText(json: o["summary"], field: "summary", max: Limits.note) }
        if let v = p.strings("communes") { x.communes = v }
        if p.has("sector") { x.sector = p.string("sector"); if !p.has("dac_code") { x.dacCode = nil } }
        if p.has("dac_code") { x.dacCode = p.string("dac_code") }
        if p.has("pac_reference") { x.pacReference = p.text("pac_reference") }
        if p.has("pac_absence_reason") { x.pacAbsenceReason = p.text("pac_absence_reason") }
        if p.has("lead_organization") { x.leadOrganization = p.string("lead_organization") }
        if let v = o["partners"]?.arrayValue {
            x.partners = []
            for (n, e) in v.enumerated() { x.partners.append(try Partner(json: e, path: "partners[\(n)]")) }
        }
        if p.has("adc") { x.adc = p.string("adc") }
        if p.has("proposer") { x.proposer = p.string("proposer") }
        if p.has("beneficiaries") { x.beneficiaries = try value("beneficiaries").map { v throws(CDSError) in try Beneficiaries(json: v, path: "beneficiaries") } }
        if p.has("start_on") { x.startOn = try p.date("start_on") }
        if p.has("end_on") { x.endOn = try p.date("end_on") }
        if p.has("started_on") { x.startedOn = try p.date("started_on") }
        if p.has("identification_note") { x.identificationNote = p.text("identification_note") }
        if p.has("logframe") { x.logframe = try value("logframe").map { v throws(CDSError) in try Logframe(json: v, path: "logframe") } }
        if p.has("budget") { x.budget = try value("budget").map { v throws(CDSError) in try Budget(json: v, path: "budget") } }
        if let v = o["funding_plan"]?.arrayValue {
            x.fundingPlan = []
            for (n, e) in v.enumerated() { x.fundingPlan.append(try FundingSource(json: e, path: "funding_plan[\(n)]")) }
        }
        if let r = o["progress_report"] { x.reports.append(try ProgressReport(json: r, path: "progress_report")) }
        if p.has("final_report") { x.finalReport = p.text("final_report") }
        if p.has("lessons_learned") { x.lessonsLearned = p.text("lessons_learned") }
        if let note { x.notes.append(note) }
    }

    static func note(_ c: Call) throws(CDSError) -> ProjectNote? {
        guard let text = c.params.text("note") else { return nil }
        return ProjectNote(at: c.change.at ?? c.db.store.now, by: c.change.actor, text: text)
    }

    static func checklistJSON(_ k: Checklist, _ locale: Locale) -> JSON {
        ["project": .string(k.project.id), "code": .string(k.project.code), "stage": .string(k.project.stage.rawValue),
         "target": .optional(k.target?.rawValue), "ready": .bool(k.target != nil && k.missing.isEmpty),
         "missing": .array(k.missing.map { $0.json(locale) }), "met": .array(k.met.map { $0.json(locale) }),
         "readiness": .double(k.readiness)]
    }

    static func historyItem(_ e: EventRecord) -> JSON {
        var o = e.json.objectValue ?? JSONObject()
        o["from"] = e.payload["from"] ?? .null
        o["to"] = e.payload["to"] ?? .null
        o["note"] = e.payload["note"] ?? .null
        o["changes"] = e.payload["after"] ?? .null
        return .object(o)
    }
}

enum ProjectMethods {
    static let all: [Method] = [
        Method("project.create", "Creates a project at the idea stage, with whatever is known of it already.", mutating: true,
               ProjectSchemas.fields(update: false)) { c throws(CDSError) in
            let title = try LocalizedText(json: c.params.object["title"], field: "title", max: Limits.name)
            let note = try ProjectSchemas.note(c)
            return try c.db.store.createProject(code: c.params.string("code"), title: title, change: c.change) { (x: inout Project) throws(CDSError) in
                try ProjectSchemas.apply(c.params, to: &x, note: note)
            }.json
        },
        Method("project.get", "A project, with everything it has and its readiness for the next stage.",
               [.init("id", .id, required: true, "the project's id")]) { c throws(CDSError) in
            let k = try c.db.store.checklist(try c.params.requiredString("id"))
            var o = k.project.json.objectValue ?? JSONObject()
            o["checklist"] = ProjectSchemas.checklistJSON(k, c.locale)
            return .object(o)
        },
        Method("project.update", "Changes the given fields of a project (null clears an optional one); appends a note or a progress report.",
               mutating: true, [.init("id", .id, required: true, "the project's id")] + ProjectSchemas.fields(update: true)) { c throws(CDSError) in
            let note = try ProjectSchemas.note(c)
            return try c.db.store.updateProject(try c.params.requiredString("id"), change: c.change) { (x: inout Project) throws(CDSError) in
                try ProjectSchemas.apply(c.params, to: &x, note: note)
            }.json
        },
        Method("project.list", "Projects by stage, territory (a province or region includes its communes), sector, ADC and title.",
               [.init("stage", .vocabulary(Stage.self), "only at this stage"), .init("territory", .string(maxLength: 20), "only in this territory or below it"),
                .init("sector", .string(maxLength: 16), "only this PAC sector"), .init("adc", .id, "only this ADC's"),
                Paging.query, Paging.limit, Paging.cursor]) { c throws(CDSError) in
            let p = c.params
            let f = ProjectFilter(stage: try p.term("stage", Stage.self), territory: p.string("territory"), sector: p.string("sector"),
                                  adc: p.string("adc"), query: p.string("q"))
            return Paging.json(try c.db.store.projects(f, limit: p.limit, cursor: try p.sequenceCursor())) { $0.json }
        },
        Method("project.checklist", "Everything a project lacks to reach a stage (default: the next), each with a key and a label; changes nothing.",
               [.init("id", .id, required: true, "the project's id"), .init("to", .vocabulary(Stage.self), "the stage to check (default: the next)")]) { c throws(CDSError) in
            ProjectSchemas.checklistJSON(try c.db.store.checklist(try c.params.requiredString("id"), target: try c.params.term("to", Stage.self)), c.locale)
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
            return Paging.json(try c.db.store.projectHistory(try p.requiredString("id"), after: try p.sequenceCursor(), limit: p.limit), ProjectSchemas.historyItem)
        },
    ]
}

enum NeedMethods {
    static let quantity = Quantity.schema

    static func fields(update: Bool) -> [Schema.Property] {
        func opt(_ s: Schema) -> Schema { update ? .nullable(s) : s }
        var f: [Schema.Property] = [
            .init("kind", .vocabulary(ResourceKind.self), required: !update, "information, skill, network, finance, investment, material"),
            .init("description", .text(maxLength: Limits.note), required: !update, "what is needed"),
            .init("skills", .codes, "skill codes (ISCO-08 or ESCO)"),
            .init("quantity", quantity, required: !update, "how much"),
            .init("from", opt(.date), "needed from"), .init("until", opt(.date), "needed until"),
            .init("mode", .vocabulary(WorkMode.self), "on_site, remote or either (default)"),
            .init("languages", .codes, "languages the work requires"),
            .init("critical", .boolean, "must be covered before the project is funded"),
        ]
        if update { f.append(.init("status", .vocabulary(NeedStatus.self), "open, partly_covered, covered, cancelled")) }
        return f
    }

    static let all: [Method] = [
        Method("need.create", "Declares something a project lacks.", mutating: true,
               [.init("project", .id, required: true, "the project's id")] + fields(update: false)) { c throws(CDSError) in
            let p = c.params
            let new = NewNeed(project: try p.requiredString("project"), kind: try p.term("kind", ResourceKind.self) ?? .skill,
                              description: try p.requiredString("description"), skills: p.strings("skills") ?? [],
                              quantity: try Quantity(json: p.object["quantity"], path: "quantity"), from: try p.date("from"), until: try p.date("until"),
                              mode: try p.term("mode", WorkMode.self) ?? .either, languages: p.strings("languages") ?? [], critical: p.bool("critical") ?? false)
            return try c.db.store.createNeed(new, change: c.change).json
        },
        Method("need.get", "A need by id.", [.init("id", .id, required: true, "the need's id")]) { c throws(CDSError) in
            try c.db.store.need(try c.params.requiredString("id")).json
        },
        Method("need.update", "Changes the given fields of a need, its status included.", mutating: true,
               [.init("id", .id, required: true, "the need's id")] + fields(update: true)) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.updateNeed(try p.requiredString("id"), change: c.change) { (n: inout Need) throws(CDSError) in
                if let v = try p.term("kind", ResourceKind.self) { n.kind = v }
                if let v = p.string("description") { n.description = v }
                if let v = p.strings("skills") { n.skills = v }
                if let q = p.object["quantity"] { n.quantity = try Quantity(json: q, path: "quantity") }
                if p.has("from") { n.from = try p.date("from") }
                if p.has("until") { n.until = try p.date("until") }
                if let v = try p.term("mode", WorkMode.self) { n.mode = v }
                if let v = p.strings("languages") { n.languages = v }
                if let v = p.bool("critical") { n.critical = v }
                if let v = try p.term("status", NeedStatus.self) { n.status = v }
            }.json
        },
        Method("need.list", "Needs by project, status and kind, in creation order.",
               [.init("project", .id, "only this project's"), .init("status", .vocabulary(NeedStatus.self), "only this status"),
                .init("kind", .vocabulary(ResourceKind.self), "only this kind"), Paging.limit, Paging.cursor]) { c throws(CDSError) in
            let p = c.params
            return Paging.json(try c.db.store.needs(project: p.string("project"), status: try p.term("status", NeedStatus.self),
                                                    kind: try p.term("kind", ResourceKind.self), limit: p.limit, cursor: try p.sequenceCursor())) { $0.json }
        },
    ]
}
