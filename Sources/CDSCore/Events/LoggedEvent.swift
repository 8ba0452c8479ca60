/// One event of the log, decoded from its payload into the typed facts its readers use.
/// Every event type is decoded here, so a reader finds how each one is read in this folder.
public enum LoggedEvent: Sendable, Equatable {
    /// `member.created` (`creation`), `member.updated`, `member.erased`.
    case member(MemberFacts, creation: Bool)
    /// `organization.created`, `organization.updated`.
    case organization(OrganizationFacts)
    /// `agreement.signed`.
    case agreementSigned(organization: String, signedOn: LocalDate, endsOn: LocalDate?)
    /// `agreement.ended`.
    case agreementEnded(endedOn: LocalDate)
    /// `competence.attested` and `module.completed` (subject: the member), with where it comes from.
    case competenceAttested(competence: String, attestedOn: LocalDate, origin: CompetenceOrigin)
    /// `competence.revoked` (subject: the member).
    case competenceRevoked(competence: String, revokedOn: LocalDate)
    /// `contribution.pledged`.
    case contributionPledged(PledgeFacts)
    /// `contribution.confirmed`, `.delivered`, `.cancelled`, with the day of the new status.
    case contributionMoved(ContributionStatus, on: LocalDate)
    /// `interaction.recorded`.
    case interactionRecorded(InteractionFacts)
    /// `project.created`, `.updated`, `.transitioned`, `.endorsed`.
    case project(ProjectEventFacts)
    /// `need.created`, `need.updated`.
    case need(NeedFacts)
    /// `offer.created`, `offer.updated`.
    case offer(OfferFacts)
    /// `match.proposed`, for the project, with the offering member.
    case matchProposed(project: String, member: String?)
    /// `match.accepted` (true) or `match.declined` (false).
    case matchDecided(accepted: Bool)
    /// `invitation.accepted`: the member, who brought her, and whether it linked her (her first inviter).
    case invitationAccepted(member: String, inviter: Inviter, linked: Bool)
    /// `message.delivered`: the member reached and the channel.
    case messageDelivered(member: String, channel: String)
    /// `post.created` (subject: the post): its space, author and first state.
    case postCreated(space: String, author: String, state: PostState)
    /// `space.created` (subject: the space): its territory, for a territorial one.
    case spaceCreated(territory: String?)
    /// `learning_event.created` (subject: the event): its space.
    case learningEventCreated(space: String?)
    /// `attendance.recorded` (subject: the session): the event, the member and the status.
    case attendanceRecorded(event: String, member: String, status: String)
    /// `resource.created` (subject: the resource): its space and language.
    case resourceCreated(space: String, language: String)
    /// `resource.used` (subject: the resource): who used it.
    case resourceUsed(member: String)
    /// `thread.created` whose first post is held: nobody's activity until a facilitator lets it through.
    case heldThread
    /// `post.moderated` (subject: the post): its new state.
    case postModerated(state: PostState)
    /// An event that counts only as its actor's activity (consents, weights, targets).
    case activity

    /// False for what counts as nobody's activity: a post held for a facilitator (a held post counts nowhere).
    public var isActivity: Bool {
        if case .postCreated(_, _, .held) = self { return false }
        if case .heldThread = self { return false }
        return true
    }

    /// Decodes one stored event; an unknown type or an unreadable payload is a `storage`
    /// error naming the event.
    public static func decode(seq: Int64, type: String, payload text: String) throws(CDSError) -> LoggedEvent {
        guard let t = EventType(rawValue: type) else {
            throw PayloadReader.failure(seq, type, "type", "is not an event type of this release")
        }
        let r = try PayloadReader(seq: seq, type: type, text: text, newest: t.version)
        switch t {
        case .memberCreated: return .member(try MemberCreated.decode(r), creation: true)
        case .memberUpdated: return .member(try MemberUpdated.decode(r), creation: false)
        case .memberErased: return .member(try MemberErased.decode(r), creation: false)
        case .organizationCreated, .organizationUpdated:
            return .organization(try OrganizationFacts(r.part("after"), creation: t == .organizationCreated))
        case .agreementSigned:
            let a = try AgreementSigned.decode(r)
            return .agreementSigned(organization: a.organization, signedOn: a.signedOn, endsOn: a.endsOn)
        case .agreementEnded: return .agreementEnded(endedOn: try AgreementEnded.decode(r))
        case .competenceAttested:
            let c = try CompetenceAttested.decode(r)
            return .competenceAttested(competence: c.competence, attestedOn: c.attestedOn, origin: CompetenceOrigin(kind: "manual", id: c.id))
        case .moduleCompleted:
            let c = try ModuleCompleted.decode(r)
            return .competenceAttested(competence: c.competence, attestedOn: c.completedOn, origin: c.origin)
        case .competenceRevoked:
            let c = try CompetenceRevoked.decode(r)
            return .competenceRevoked(competence: c.competence, revokedOn: c.revokedOn)
        case .contributionPledged: return .contributionPledged(try ContributionPledged.decode(r))
        case .contributionConfirmed: return .contributionMoved(.confirmed, on: try ContributionMoved.decode(r, to: .confirmed))
        case .contributionDelivered: return .contributionMoved(.delivered, on: try ContributionMoved.decode(r, to: .delivered))
        case .contributionCancelled: return .contributionMoved(.cancelled, on: try ContributionMoved.decode(r, to: .cancelled))
        case .interactionRecorded: return .interactionRecorded(try InteractionRecorded.decode(r))
        case .projectCreated, .projectUpdated, .projectEndorsed: return .project(try ProjectChanged.decode(r, creation: t == .projectCreated))
        case .projectTransitioned:
            _ = try ProjectTransitioned.decode(r)
            return .project(try ProjectChanged.decode(r, creation: false))
        case .needCreated, .needUpdated: return .need(try NeedFacts(r.part("after"), creation: t == .needCreated))
        case .offerCreated, .offerUpdated: return .offer(try OfferFacts(r.part("after"), creation: t == .offerCreated))
        case .matchProposed:
            let a = try r.part("after")
            return .matchProposed(project: try a.string("project"), member: try a.optionalString("member"))
        case .matchAccepted: return .matchDecided(accepted: true)
        case .matchDeclined: return .matchDecided(accepted: false)
        case .consentGiven, .consentWithdrawn, .matchWeightsSet, .indicatorTargetSet, .importCompleted: return .activity
        case .invitationAccepted:
            let a = try InvitationAccepted.decode(r)
            return .invitationAccepted(member: a.member, inviter: a.inviter, linked: a.linked)
        case .messageDelivered:
            let d = try MessageEvents.decodeDelivered(r)
            return .messageDelivered(member: d.member, channel: d.channel)
        case .postCreated:
            let p = try PostEvents.decodeCreated(r)
            return .postCreated(space: p.space, author: p.author, state: p.state)
        case .postModerated: return .postModerated(state: try PostEvents.decodeModerated(r))
        case .resourceCreated:
            let c = try ResourceEvents.decodeCreated(r)
            return .resourceCreated(space: c.space, language: c.language)
        case .resourceUsed: return .resourceUsed(member: try ResourceEvents.decodeUsed(r))
        case .threadCreated: return try PostEvents.decodeThreadHeld(r) ? .heldThread : .activity
        case .programmeDefined, .valuationSet, .rateSet, .campaignCreated, .campaignOpened, .campaignSettled, .giftPledged, .giftCollected,
             .giftCancelled, .giftErrored, .giftDropped, .giftRefunded, .poolCreated:
            _ = try FinanceEvents.decode(r)
            return .activity
        case .spaceCreated: return .spaceCreated(territory: try r.part("after").optionalString("territory"))
        case .learningEventCreated: return .learningEventCreated(space: try r.part("after").optionalString("space"))
        case .attendanceRecorded:
            let a = try r.part("after")
            let status = try a.string("status")
            guard AttendanceStatus(rawValue: status) != nil else { throw a.failure("status", "is \"\(status)\", not an attendance status") }
            return .attendanceRecorded(event: try a.string("event"), member: try a.string("member"), status: status)
        case .spaceMemberAdded, .postFlagged, .sessionScheduled, .registrationRecorded, .moduleCreated, .criteriaPublished,
             .enrollmentCreated, .assignmentSubmitted, .assignmentReviewed,
             .invitationCreated, .invitationRevoked, .messageQueued, .messageTaken, .messageFailed, .messageCancelled, .outreachConfigured:
            _ = try r.part("after")
            return .activity
        }
    }
}
