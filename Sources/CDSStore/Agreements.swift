import CDSCore
import GRDB

extension Store {
    /// An agreement as stored, or the `storage` error of its damaged column.
    static func agreement(_ r: StoredRow) throws(CDSError) -> Agreement {
        Agreement(id: try r.text("id"), organization: try r.text("organization"), signedOn: try r.date("signed_on"),
                  endsOn: try r.optionalDate("ends_on"), endedOn: try r.optionalDate("ended_on"),
                  endReason: try r.optionalText("end_reason"), reference: try r.optionalText("reference"))
    }

    /// The agreements a query of the agreement table answers.
    static func agreements(_ db: Database, sql: String, arguments: StatementArguments) throws -> [Agreement] {
        try storedRows(db, "agreement", sql: sql, arguments: arguments).map { r throws(CDSError) in try Store.agreement(r) }
    }

    /// Signs an agreement between the CDS and a collectivité; logs `agreement.signed`.
    /// A collectivité has at most one agreement in force on a day.
    public func signAgreement(organization: String, signedOn: LocalDate, endsOn: LocalDate? = nil, reference: String? = nil,
                              change: Change = Change()) throws(CDSError) -> Agreement {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard let org = try Store.fetchOrganization(db, organization) else { throw CDSError.invalid("organization", "no organization \"\(organization)\"") }
            guard org.kind.isCollectivity else {
                throw CDSError.invalid("organization", "agreements are signed with a collectivité (commune, provincial or regional council), not a \(org.kind.rawValue)")
            }
            let a = Agreement(id: Identifier.make("agr"), organization: organization, signedOn: signedOn, endsOn: endsOn,
                              reference: try Validate.optionalText(reference, field: "reference", max: Limits.reference))
            try a.validate()
            let existing = try Store.agreements(db, sql: "SELECT * FROM agreement WHERE organization = ?", arguments: [organization])
            if let overlap = existing.first(where: { $0.isInForce(on: signedOn) || a.isInForce(on: $0.signedOn) }) {
                throw CDSError(.conflict, "\(org.name) already has an agreement in force then: \(overlap.id)", details: ["existing": .string(overlap.id)])
            }
            try Store.exec(db, sql: "INSERT INTO agreement(id, organization, signed_on, ends_on, reference) VALUES (?, ?, ?, ?, ?)",
                           arguments: [a.id, organization, signedOn.description, endsOn?.description, a.reference])
            try Store.appendEvent(db, type: AgreementSigned.type, subject: a.id, change: change, recordedAt: now, payload: AgreementSigned.payload(a))
            return a
        }
    }

    /// Ends an agreement on a day (it is no longer in force from that day); logs `agreement.ended`.
    public func endAgreement(_ id: String, endedOn: LocalDate, reason: String? = nil, change: Change = Change()) throws(CDSError) -> Agreement {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard var a = try Store.agreements(db, sql: "SELECT * FROM agreement WHERE id = ?", arguments: [id]).first else {
                throw CDSError.notFound("agreement", id)
            }
            guard a.endedOn == nil else { throw CDSError(.conflict, "agreement \(id) already ended on \(a.endedOn?.description ?? "")") }
            a.endedOn = endedOn
            a.endReason = try Validate.optionalText(reason, field: "reason", max: Limits.note)
            try a.validate()
            try Store.exec(db, sql: "UPDATE agreement SET ended_on = ?, end_reason = ? WHERE id = ?", arguments: [endedOn.description, a.endReason, id])
            try Store.appendEvent(db, type: AgreementEnded.type, subject: id, change: change, recordedAt: now,
                                  payload: AgreementEnded.payload(endedOn: endedOn, reason: a.endReason))
            return a
        }
    }

    /// The agreement `id`, or `not_found`.
    public func agreement(_ id: String) throws(CDSError) -> Agreement {
        let a = try read { db in try Store.agreements(db, sql: "SELECT * FROM agreement WHERE id = ?", arguments: [id]).first }
        guard let a else { throw CDSError.notFound("agreement", id) }
        return a
    }

    /// Agreements of an organization, or in force on a day, in signing order.
    public func agreements(organization: String? = nil, inForceOn: LocalDate? = nil, limit: Int = 100, cursor: Int64 = 0) throws(CDSError) -> Page<Agreement> {
        try read { db in
            var sql = "SELECT * FROM agreement WHERE seq > ?"
            var args: [any DatabaseValueConvertible] = [cursor]
            if let organization { sql += " AND organization = ?"; args.append(organization) }
            sql += " ORDER BY seq"
            var rows = try Store.storedRows(db, "agreement", sql: sql, arguments: StatementArguments(args))
                .map { r throws(CDSError) in (try r.value("seq", Int64.self), try Store.agreement(r)) }
            if let day = inForceOn { rows = rows.filter { $0.1.isInForce(on: day) } }
            let page = Store.page(Array(rows.prefix(limit + 1)), limit: limit) { String($0.0) }
            return Page(items: page.items.map(\.1), nextCursor: page.nextCursor)
        }
    }
}
