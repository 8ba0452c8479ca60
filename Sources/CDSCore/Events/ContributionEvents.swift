/// What `contribution.pledged` records and the indicators read.
public struct PledgeFacts: Sendable, Equatable {
    /// The project.
    public var project: String
    /// The contributing member, or nil for an organization.
    public var member: String?
    /// The contributing organization, or nil for a member.
    public var organization: String?
    /// The resource kind code (`finance`, `skill`…).
    public var kind: String
    /// The quantity's currency, for money.
    public var currency: String?
    /// The quantity (minor units for money).
    public var amount: Int64
    /// The day pledged.
    public var pledgedOn: LocalDate
}

/// `contribution.pledged`, v1: `{"after": <every field of the contribution>}`.
public enum ContributionPledged {
    /// The event type.
    public static let type = EventType.contributionPledged
    /// The v1 payload.
    public static func payload(_ c: Contribution) -> JSON { ["after": ContributionEvents.snapshot(c)] }
    /// The facts it records.
    public static func decode(_ r: PayloadReader) throws(CDSError) -> PledgeFacts {
        let a = try r.part("after")
        let q = try a.part("quantity")
        return PledgeFacts(project: try a.string("project"), member: try a.optionalString("member"), organization: try a.optionalString("organization"),
                           kind: try a.string("kind"), currency: try q.optionalString("currency"), amount: try q.int("amount"),
                           pledgedOn: try a.date("pledged_on"))
    }
}

/// `contribution.confirmed`, `.delivered` and `.cancelled`, v1: the changed fields, whose
/// `after` holds the new status's day (`confirmed_on`…).
public enum ContributionMoved {
    /// The v1 payload.
    public static func payload(before: Contribution, after: Contribution) -> JSON {
        PayloadDiff.between(ContributionEvents.snapshot(before), ContributionEvents.snapshot(after))
    }
    /// The day of the new status.
    public static func decode(_ r: PayloadReader, to status: ContributionStatus) throws(CDSError) -> LocalDate {
        try r.part("after").date("\(status.rawValue)_on")
    }
}

/// The contribution's shape in the log.
public enum ContributionEvents {
    /// Every field of the contribution, v1 keys.
    public static func snapshot(_ c: Contribution) -> JSON {
        .object(JSONObject([
            ("id", .string(c.id)), ("project", .string(c.project)), ("need", .optional(c.need)), ("member", .optional(c.member)),
            ("organization", .optional(c.organization)), ("kind", .string(c.kind.rawValue)),
            ("quantity", NeedEvents.quantity(c.quantity)),
            ("status", .string(c.status.rawValue)),
            ("pledged_on", .string(c.pledgedOn.description)), ("confirmed_on", .optional(c.confirmedOn?.description)),
            ("delivered_on", .optional(c.deliveredOn?.description)), ("cancelled_on", .optional(c.cancelledOn?.description)),
            ("note", .optional(c.note)), ("match", .optional(c.match)),
            ("created_at", .string(c.createdAt.description)), ("updated_at", .string(c.updatedAt.description)),
        ]))
    }
}

/// What `interaction.recorded` records and the indicators read.
public struct InteractionFacts: Sendable, Equatable {
    /// The diaspora member, if a person.
    public var member: String?
    /// The diaspora association, if an organization.
    public var diasporaOrganization: String?
    /// The Moroccan organization met.
    public var organization: String
    /// The local member met.
    public var localMember: String?
    /// The day it happened.
    public var on: LocalDate
}

/// `interaction.recorded`, v1: `{"after": <every field of the interaction>}`.
public enum InteractionRecorded {
    /// The event type.
    public static let type = EventType.interactionRecorded
    /// The v1 payload.
    public static func payload(_ i: Interaction) -> JSON {
        ["after": .object(JSONObject([
            ("id", .string(i.id)), ("kind", .string(i.kind.rawValue)), ("on", .string(i.on.description)), ("member", .optional(i.member)),
            ("diaspora_organization", .optional(i.diasporaOrganization)), ("organization", .string(i.organization)),
            ("local_member", .optional(i.localMember)), ("project", .optional(i.project)), ("note", .optional(i.note)),
            ("created_at", .string(i.createdAt.description)),
        ]))]
    }
    /// The facts it records.
    public static func decode(_ r: PayloadReader) throws(CDSError) -> InteractionFacts {
        let a = try r.part("after")
        return InteractionFacts(member: try a.optionalString("member"), diasporaOrganization: try a.optionalString("diaspora_organization"),
                                organization: try a.string("organization"), localMember: try a.optionalString("local_member"), on: try a.date("on"))
    }
}
