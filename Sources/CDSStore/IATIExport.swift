import CDSCore
import GRDB

extension Store {
    /// The shipped IATI code lists, from the reference data.
    static func iatiCodeLists(_ db: Database) throws -> IATI.CodeLists {
        func codes(_ dataset: String) throws -> Set<String> {
            Set(try storedRows(db, "reference_item", sql: "SELECT code FROM reference_item WHERE dataset = ?", arguments: [dataset])
                .map { r throws(CDSError) in try r.text("code") })
        }
        return IATI.CodeLists(activityStatuses: try codes("iati_activity_statuses"), organisationRoles: try codes("iati_organisation_roles"),
                              transactionTypes: try codes("iati_transaction_types"), sectorVocabularies: try codes("iati_sector_vocabularies"),
                              dacSectors: try codes("dac_sectors"), currencies: try codes("iati_currencies"))
    }

    /// The reporting organization: `id` when given (it must have an IATI ref), else the one
    /// facilitator organization that has one.
    static func reportingOrganization(_ db: Database, _ id: String?) throws -> Organization {
        if let id {
            guard let o = try fetchOrganization(db, id) else { throw CDSError.invalid("reporting_org", "no organization \"\(id)\"") }
            guard o.iatiRef != nil else {
                throw CDSError.invalid("reporting_org", "organization \(id) has no IATI organisation identifier: set its iati_ref (organization.update)")
            }
            return o
        }
        let found = try storedRows(db, "organization", sql: "SELECT * FROM organization WHERE kind = 'facilitator' AND iati_ref IS NOT NULL ORDER BY seq LIMIT 2")
            .map { r throws(CDSError) in try Store.organization(r) }
        guard found.count == 1, let o = found.first else {
            throw CDSError.invalid("reporting_org", found.isEmpty
                ? "is required: no facilitator organization has an IATI organisation identifier (iati_ref)"
                : "is required: several facilitator organizations have an IATI organisation identifier")
        }
        return o
    }

    /// The day a project reached its end (completed, capitalized, rejected or abandoned), from its log.
    static func projectEnd(_ db: Database, _ p: Project) throws -> LocalDate? {
        guard [.completed, .capitalized, .rejected, .abandoned].contains(p.stage) else { return nil }
        let rows = try storedRows(db, "event", sql: "SELECT occurred_at, payload FROM event WHERE subject = ? AND type = 'project.transitioned' ORDER BY seq",
                                  arguments: [p.id])
        var end: LocalDate?
        for r in rows {
            let to = try r.json("payload")["to"]?.stringValue
            if to == Stage.completed.rawValue || to == Stage.rejected.rawValue || to == Stage.abandoned.rawValue { end = try r.instant("occurred_at").date }
        }
        return end
    }

    /// The IATI activities of the projects `ids` (in that order), reported by `reportingOrg`
    /// (or the CDS's facilitator organization), with the code lists to check them against.
    public func iatiActivities(_ ids: [String], reportingOrg: String?) throws(CDSError) -> (activities: [IATI.Activity], codes: IATI.CodeLists) {
        try read { db in
            let reporting = try Store.reportingOrganization(db, reportingOrg)
            var activities: [IATI.Activity] = []
            for (n, id) in ids.enumerated() {
                guard let p = try Store.fetchProject(db, id) else { throw CDSError(.notFound, "no project \"\(id)\"", details: ["entity": "project", "id": .string(id), "field": .string("projects[\(n)]")]) }
                let contributions = try Store.documents(db, "contribution", sql: "SELECT doc FROM contribution WHERE project = ? ORDER BY seq", arguments: [id]) { j throws(CDSError) in
                    try Contribution(json: j)
                }
                var orgIDs = p.partners.map(\.organization) + [p.leadOrganization].compactMap { $0 }
                orgIDs += contributions.compactMap(\.organization)
                var orgs: [String: Organization] = [:]
                for o in orgIDs where orgs[o] == nil { orgs[o] = try Store.fetchOrganization(db, o) }
                let communes = try p.communes.compactMap { c in try Store.territories(db, sql: "SELECT * FROM territory WHERE code = ?", arguments: [c]).first }
                activities.append(IATI.activity(IATI.Sources(project: p, reporting: reporting, organizations: orgs, communes: communes,
                                                             contributions: contributions, endedOn: try Store.projectEnd(db, p))))
            }
            return (activities, try Store.iatiCodeLists(db))
        }
    }

    /// The ids of the projects a filter selects, in creation order (at most `limit`).
    public func projectIDs(_ f: ProjectFilter, limit: Int) throws(CDSError) -> [String] {
        var ids: [String] = []
        var cursor: Int64 = 0
        while ids.count < limit {
            let page = try projects(f, limit: min(Limits.page, limit - ids.count), cursor: cursor)
            ids += page.items.map(\.id)
            guard let next = page.nextCursor, let c = Int64(next) else { break }
            cursor = c
        }
        return ids
    }
}
