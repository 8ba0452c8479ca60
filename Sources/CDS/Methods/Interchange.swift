import CDSCore
import CDSStore

/// `export.iati`: IATI 2.03 activity XML for projects.
enum IATIMethods {
    /// The most projects one export takes.
    static let maxProjects = 1000

    static let all: [Method] = [
        // access: a facilitator or an admin (or a trusted handle); a project's ADC for her own projects. The XML names no person
        // (a member's contribution is "Membre de la diaspora"), so nothing is redacted.
        Method("export.iati", "IATI 2.03 activity XML for one project or a selection (projects, or stage and territory; default every project): "
                   + "the XML with no problem, or the IATI rules broken (conflict, details.problems); check: true answers the problems instead.",
               [.init("projects", .array(.id, maxItems: maxProjects), "the projects, in this order"),
                .init("stage", .vocabulary(Stage.self), "without projects: only the projects at this stage"),
                .init("territory", .string(maxLength: 20), "without projects: only the projects in this territory (a province includes its communes)"),
                .init("reporting_org", .id, "the reporting organization (it needs an iati_ref); default: the facilitator organization that has one"),
                .init("check", .boolean, "answer {ok, activities, problems} without the XML")]) { c throws(CDSError) in
            let p = c.params
            let store = c.db.store
            var ids = p.strings("projects") ?? []
            if p.has("projects") {
                if p.has("stage") || p.has("territory") { throw CDSError.invalid("projects", "give projects, or stage and territory, not both") }
                guard !ids.isEmpty else { throw CDSError.invalid("projects", "must name at least one project") }
                _ = try Validate.unique(ids, field: "projects")
            } else {
                ids = try store.projectIDs(ProjectFilter(stage: try p.term("stage", Stage.self), territory: p.string("territory")), limit: maxProjects + 1)
                guard ids.count <= maxProjects else {
                    throw CDSError.invalid("projects", "the selection has more than \(maxProjects) projects: export a stage or a territory at a time")
                }
            }
            let (activities, codes) = try store.iatiActivities(ids, reportingOrg: p.string("reporting_org"))
            let problems = activities.flatMap { IATI.check($0, codes: codes) }
            if p.bool("check") == true {
                return ["ok": .bool(problems.isEmpty), "activities": .int(Int64(activities.count)), "problems": .array(problems.map(\.json))]
            }
            guard problems.isEmpty else {
                throw CDSError(.conflict, "\(problems.count) IATI rule(s) broken: \(problems.first?.message ?? "")",
                               details: ["problems": .array(problems.map(\.json))])
            }
            return ["xml": .string(IATI.xml(activities, generated: store.now)), "activities": .int(Int64(activities.count)), "problems": .array([])]
        },
    ]
}

/// `backup`: a copy of the database while it is in use.
enum BackupMethods {
    static let all: [Method] = [
        // access: an admin, or a trusted handle (it writes a file of the host, and the copy holds everyone's data).
        Method("backup", "Copies the database to a new file while it is in use (SQLite's online backup: what was committed when it began), "
                   + "then opens the copy and verifies its hash chain: {path, events, verified}.",
               [.init("path", .string(maxLength: 4096), required: true, "the new file (it must not exist)")]) { c throws(CDSError) in
            let path = try c.params.requiredString("path")
            guard c.db.store.path != ":memory:" else { throw CDSError(.conflict, "an in-memory database has no file to back up") }
            let report = try c.db.store.backup(to: path)
            guard report.ok else {
                throw CDSError(.storage, "the copy does not verify: \(report.reason ?? "")", details: ["path": .string(path), "audit": report.json])
            }
            return ["path": .string(path), "events": .int(report.events), "verified": .bool(report.ok)]
        },
    ]
}
