import CDSCore
import CDSStore

enum ContributionMethods {
    static let all: [Method] = [
        Method("contribution.create", "Records a pledge of a member or organization to a project, optionally answering one of its needs.", mutating: true,
               [.init("project", .id, required: true, "the project's id"), .init("need", .id, "the need it answers"),
                .init("member", .id, "the contributing member (or organization)"), .init("organization", .id, "the contributing organization (or member)"),
                .init("kind", .vocabulary(ResourceKind.self), required: true, "information, skill, network, finance, investment, material"),
                .init("quantity", NeedMethods.quantity, required: true, "how much: person-days, units, or money in minor units"),
                .init("on", .date, "the day of the pledge (default: the day of at)"), .init("note", .text(maxLength: Limits.note), "a note")]) { c throws(CDSError) in
            let p = c.params
            let new = NewContribution(project: try p.requiredString("project"), need: p.string("need"), member: p.string("member"),
                                      organization: p.string("organization"), kind: try p.term("kind", ResourceKind.self) ?? .finance,
                                      quantity: try Quantity(json: p.object["quantity"], path: "quantity"), on: try p.date("on"), note: p.string("note"))
            return try c.db.store.createContribution(new, change: c.change).json
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
            try c.db.store.contribution(try c.params.requiredString("id")).json
        },
        Method("contribution.list", "Contributions by project, member, organization and status.",
               [.init("project", .id, "only to this project"), .init("member", .id, "only by this member"), .init("organization", .id, "only by this organization"),
                .init("status", .vocabulary(ContributionStatus.self), "only this status"), Paging.limit, Paging.cursor]) { c throws(CDSError) in
            let p = c.params
            return Paging.json(try c.db.store.contributions(project: p.string("project"), member: p.string("member"), organization: p.string("organization"),
                                                            status: try p.term("status", ContributionStatus.self), limit: p.limit, cursor: try p.sequenceCursor())) { $0.json }
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
