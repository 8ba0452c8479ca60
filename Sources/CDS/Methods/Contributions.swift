import CDSCore
import CDSStore

enum ContributionMethods {
    /// The fields of a pledge, declared once.
    static let fields: [Field<Contribution>] = [
        .string("need", \.need, .id, "the need it answers"),
        .string("member", \.member, .id, "the contributing member (or organization)"),
        .string("organization", \.organization, .id, "the contributing organization (or member)"),
        .term("kind", \.kind, required: true, "information, skill, network, finance, investment, material"),
        .decoded("quantity", \.quantity, Quantity.schema, required: true, "how much: person-days, units, or money in minor units") { j, path throws(CDSError) in
            try Quantity(json: j, path: path)
        },
        .day("on", \.pledgedOn, "the day of the pledge (default: the day of at)"),
        .text("note", \.note, max: Limits.note, "a note"),
    ]

    static let all: [Method] = [
        Method("contribution.create", "Records a pledge of a member or organization to a project, optionally answering one of its needs.", mutating: true,
               [.init("project", .id, required: true, "the project's id")] + fields.properties(update: false)) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.createContribution(project: try p.requiredString("project"), change: c.change) { (x: inout Contribution) throws(CDSError) in
                try fields.apply(p, to: &x)
            }.json
        },
        Method("contribution.update", "Moves a contribution: pledged → confirmed → delivered, or cancelled, on a day; the need it answers follows.", mutating: true,
               [.init("id", .id, required: true, "the contribution's id"),
                .init("status", .vocabulary(ContributionStatus.self), required: true, "confirmed, delivered or cancelled"),
                .init("on", .date, "the day (default: the day of at)"), .init("note", .text(maxLength: Limits.note), "a note")]) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.moveContribution(try p.requiredString("id"), to: try p.term("status", ContributionStatus.self) ?? .confirmed,
                                                   on: try p.date("on"), note: p.string("note"), change: c.change).json
        },
        Method("contribution.get", "A contribution by id.", [.init("id", .id, required: true, "the contribution's id")]) { c throws(CDSError) in
            let x = try c.db.store.contribution(try c.params.requiredString("id"))
            guard try Sight(c).sees(x) else { throw Visibility.forbidden("contribution.unpublished", "contribution \(x.id) is not public", details: ["contribution": .string(x.id)]) }
            return x.json
        },
        Method("contribution.list", "Contributions by project, member, organization and status.",
               [.init("project", .id, "only to this project"), .init("member", .id, "only by this member"), .init("organization", .id, "only by this organization"),
                .init("status", .vocabulary(ContributionStatus.self), "only this status"), Paging.limit, Paging.cursor]) { c throws(CDSError) in
            let p = c.params
            let sight = Sight(c)
            return try Paging.visible(try c.db.store.contributions(project: p.string("project"), member: p.string("member"), organization: p.string("organization"),
                                                                   status: try p.term("status", ContributionStatus.self), limit: p.limit, cursor: try p.sequenceCursor())) { (x: Contribution) throws(CDSError) in
                try sight.sees(x) ? x.json : nil
            }
        },
        Method("interaction.create", "Records an exchange between a diaspora member (or association) and a Moroccan actor.", mutating: true,
               [.init("kind", .vocabulary(InteractionKind.self), required: true, "meeting, call, message, visit, mission, webinar"),
                .init("on", .date, required: true, "the day it took place"),
                .init("member", .id, "the diaspora member (or diaspora_organization)"), .init("diaspora_organization", .id, "the diaspora association (or member)"),
                .init("organization", .id, required: true, "the Moroccan actor (an organization in Morocco)"),
                .init("local_member", .id, "who spoke for the Moroccan actor"), .init("project", .id, "the project it was about"),
                .init("note", .text(maxLength: Limits.note), "a note")]) { c throws(CDSError) in
            let p = c.params
            return try c.db.store.recordInteraction(kind: try p.term("kind", InteractionKind.self) ?? .meeting, on: try p.requiredDate("on"),
                                                    member: p.string("member"), diasporaOrganization: p.string("diaspora_organization"),
                                                    organization: try p.requiredString("organization"), localMember: p.string("local_member"),
                                                    project: p.string("project"), note: p.string("note"), change: c.change).json
        },
        Method("interaction.list", "Interactions by Moroccan actor, diaspora member and project.",
               [.init("organization", .id, "only with this Moroccan actor"), .init("member", .id, "only with this diaspora member"),
                .init("project", .id, "only about this project"), Paging.limit, Paging.cursor]) { c throws(CDSError) in
            let p = c.params
            return Paging.json(try c.db.store.interactions(organization: p.string("organization"), member: p.string("member"), project: p.string("project"),
                                                           limit: p.limit, cursor: try p.sequenceCursor())) { $0.json }
        },
    ]
}
