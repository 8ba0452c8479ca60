/// Every event type of the log, named once: the raw value is the event's `type` column,
/// and `version` the payload version this release writes (and the newest it reads).
public enum EventType: String, CaseIterable, Sendable {
    case memberCreated = "member.created", memberUpdated = "member.updated", memberErased = "member.erased"
    case consentGiven = "consent.given", consentWithdrawn = "consent.withdrawn", competenceAttested = "competence.attested"
    case organizationCreated = "organization.created", organizationUpdated = "organization.updated"
    case agreementSigned = "agreement.signed", agreementEnded = "agreement.ended"
    case contributionPledged = "contribution.pledged", contributionConfirmed = "contribution.confirmed"
    case contributionDelivered = "contribution.delivered", contributionCancelled = "contribution.cancelled"
    case interactionRecorded = "interaction.recorded"
    case projectCreated = "project.created", projectUpdated = "project.updated"
    case projectTransitioned = "project.transitioned", projectEndorsed = "project.endorsed"
    case needCreated = "need.created", needUpdated = "need.updated"
    case offerCreated = "offer.created", offerUpdated = "offer.updated"
    case matchProposed = "match.proposed", matchAccepted = "match.accepted", matchDeclined = "match.declined"
    case matchWeightsSet = "match.weights_set", indicatorTargetSet = "indicator.target_set"
    case invitationCreated = "invitation.created", invitationAccepted = "invitation.accepted", invitationRevoked = "invitation.revoked"
    case messageQueued = "message.queued", messageTaken = "message.taken", messageDelivered = "message.delivered"
    case messageFailed = "message.failed", messageCancelled = "message.cancelled", outreachConfigured = "outreach.configured"
    case learningEventCreated = "learning_event.created", sessionScheduled = "session.scheduled", registrationRecorded = "registration.recorded"
    case attendanceRecorded = "attendance.recorded", moduleCreated = "module.created", criteriaPublished = "module.criteria_published"
    case enrollmentCreated = "enrollment.created", assignmentSubmitted = "assignment.submitted", assignmentReviewed = "assignment.reviewed"
    case moduleCompleted = "module.completed", competenceRevoked = "competence.revoked"
    case spaceCreated = "space.created", spaceMemberAdded = "space.member_added", threadCreated = "thread.created"
    case postCreated = "post.created", postModerated = "post.moderated", postFlagged = "post.flagged"
    case programmeDefined = "programme.defined", valuationSet = "valuation.set", rateSet = "rate.set"
    case campaignCreated = "campaign.created", campaignOpened = "campaign.opened", campaignSettled = "campaign.settled"
    case giftPledged = "gift.pledged", giftCollected = "gift.collected", giftCancelled = "gift.cancelled"
    case giftErrored = "gift.errored", giftDropped = "gift.dropped", giftRefunded = "gift.refunded"
    case poolCreated = "pool.created"
    case resourceCreated = "resource.created", resourceUsed = "resource.used"
    /// A CSV import committed: its entity and counts (each row logged its own creation or update).
    case importCompleted = "import.completed"

    /// The payload version written now. Version 1 is release 0.1.0's shape and carries no
    /// version key (so its hashes stay valid); a later version adds `"version": n` at the top.
    public var version: Int64 { 1 }

    /// The event of a contribution moving to `status` (`contribution.confirmed`…).
    public static func contributionMoved(to status: ContributionStatus) -> EventType {
        switch status {
        case .pledged: .contributionPledged
        case .confirmed: .contributionConfirmed
        case .delivered: .contributionDelivered
        case .cancelled: .contributionCancelled
        }
    }
}
