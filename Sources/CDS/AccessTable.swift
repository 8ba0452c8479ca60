import CDSCore

/// Who may call each method, by role, relation and consent: the one table the dispatcher
/// checks before every call, `meta.methods` publishes (each method's `access`) and the tests
/// walk cell by cell. The trusted system (a handle opened with `trusted`) may call
/// everything and sees everything. A method the table does not name is refused to all but
/// the system. What a read leaves out for the caller is decided by ``Visibility`` and
/// stated in each rule's `limits`.
public enum AccessTable {
    private static let facilitator = Grant.role(.facilitator), admin = Grant.role(.admin), adc = Grant.role(.adc)
    private static func rel(_ r: Relation) -> Grant { .relation(r) }

    static let memberReads = "members who do not consent to publication are left out (counted in `withheld`) for anonymous visitors and "
        + "other members; contact fields (email, phone, residence_city) only for the member herself, facilitators, admins and the ADC "
        + "of a project where she has an accepted match, and named in `redacted` when removed"
    static let projectReads = "a project not yet published (before mobilization) only for its ADC, its proposer, the ADCs and the "
        + "representatives of its communes, facilitators and admins; lists leave the others out and count them in `withheld`"
    static let offerReads = "offers of members who do not consent to publication only for the offerer, ADCs, facilitators and admins; "
        + "lists leave the others out and count them in `withheld`"
    static let contributionReads = "contributions of projects the caller may not see, and those of members who do not consent to "
        + "publication (unless the caller is the contributor, the project's ADC or staff), are left out and counted in `withheld`"

    /// The rule of each method, by name.
    public static let rules: [String: AccessRule] = [
        // Reference data, the contract and the figures are public.
        "meta.version": AccessRule([.anyone]), "meta.methods": AccessRule([.anyone]),
        "territory.get": AccessRule([.anyone]), "territory.list": AccessRule([.anyone]), "reference.list": AccessRule([.anyone]),
        "indicators.definitions": AccessRule([.anyone]),
        "indicators.compute": AccessRule([.anyone], params: [(name: "provenance", grants: [adc, facilitator, admin])],
                                         limits: "provenance (the ids counted) only for ADCs, facilitators and admins"),
        "indicators.set_target": .staff,
        "match.weights": AccessRule([.anyone]), "match.set_weights": AccessRule([admin]),

        // Organizations and agreements are public records.
        "organization.create": AccessRule([.signedIn]),
        "organization.get": AccessRule([.anyone]), "organization.list": AccessRule([.anyone]),
        "organization.update": AccessRule([rel(.belongsTo("id")), facilitator, admin]),
        "agreement.sign": .staff, "agreement.end": .staff,
        "agreement.get": AccessRule([.anyone]), "agreement.list": AccessRule([.anyone]),

        // People: a member's data is hers and the facilitators'.
        "member.create": AccessRule([.anyone], limits: "roles beyond diaspora and local_actor: adc by a facilitator or an admin, facilitator and admin by an admin (rule member.roles)"),
        "member.get": AccessRule([.anyone], limits: memberReads),
        "member.list": AccessRule([.anyone], limits: memberReads),
        "member.update": AccessRule([rel(.isActor("id")), facilitator, admin], limits: "role changes as for member.create (rule member.roles)"),
        "member.export": AccessRule([rel(.isActor("id")), facilitator, admin]),
        "member.erase": AccessRule([rel(.isActor("id")), admin]),
        "consent.give": AccessRule([rel(.isActor("member")), facilitator, admin]),
        "consent.withdraw": AccessRule([rel(.isActor("member")), facilitator, admin]),
        "competence.attest": .staff,
        "interaction.create": AccessRule([adc, facilitator, admin]),
        "interaction.list": AccessRule([adc, facilitator, admin]),

        // Projects: the ADC carries them, facilitators oversee, the commune endorses.
        "project.create": AccessRule([.signedIn]),
        "project.get": AccessRule([.anyone], limits: projectReads), "project.list": AccessRule([.anyone], limits: projectReads),
        "project.checklist": AccessRule([.anyone], limits: projectReads), "project.history": AccessRule([.anyone], limits: projectReads),
        "project.update": AccessRule([rel(.adcOfProject("id")), facilitator, admin]),
        "project.transition": AccessRule([rel(.adcOfProject("id")), facilitator, admin]),
        "project.endorse": AccessRule([rel(.representsCommuneOf("id"))]),
        "need.create": AccessRule([rel(.adcOfProject("project")), facilitator, admin]),
        "need.update": AccessRule([rel(.adcOfNeed("id")), facilitator, admin]),
        "need.get": AccessRule([.anyone], limits: "as its project"), "need.list": AccessRule([.anyone], limits: "needs of projects the caller may not see are left out and counted in `withheld`"),

        // Offers are the offerer's.
        "offer.create": AccessRule([rel(.isActor("member")), rel(.belongsTo("organization")), facilitator, admin]),
        "offer.update": AccessRule([rel(.ownsOffer("id")), facilitator, admin]),
        "offer.get": AccessRule([.anyone], limits: offerReads), "offer.list": AccessRule([.anyone], limits: offerReads),

        // The matcher works for the need's ADC and the offerer.
        "match.need": AccessRule([rel(.adcOfNeed("need")), facilitator, admin]),
        "match.offer": AccessRule([rel(.ownsOffer("offer")), adc, facilitator, admin]),
        "match.member": AccessRule([rel(.isActor("member")), adc, facilitator, admin]),
        "match.all": .staff, "match.allocate": .staff,
        "match.propose": AccessRule([rel(.adcOfNeed("need")), facilitator, admin]),
        "match.accept": AccessRule([rel(.partyToMatch("id")), facilitator, admin]),
        "match.decline": AccessRule([rel(.partyToMatch("id")), facilitator, admin]),
        "match.get": AccessRule([rel(.partyToMatch("id")), facilitator, admin]),
        "match.list": AccessRule([.signedIn], limits: "only the caller's own matches and those of projects she is the ADC of, unless staff; the others are counted in `withheld`"),

        // Contributions: pledged by the contributor or the project's ADC, confirmed by the ADC.
        "contribution.create": AccessRule([rel(.isActor("member")), rel(.adcOfProject("project")), facilitator, admin]),
        "contribution.update": AccessRule([rel(.adcOfContribution("id")), facilitator, admin]),
        "contribution.get": AccessRule([.anyone], limits: contributionReads), "contribution.list": AccessRule([.anyone], limits: contributionReads),

        // Mobilization: who brought whom, and the outbox the host delivers.
        "invitation.create": AccessRule([rel(.isActor("by")), rel(.belongsTo("organization")), adc, facilitator, admin]),
        "invitation.accept": AccessRule([.anyone], params: [(name: "member", grants: [rel(.isActor("member")), facilitator, admin])],
                                        limits: "the code is the credential; linking an existing member only by herself or staff"),
        "invitation.get": AccessRule([rel(.invited("id")), facilitator, admin]),
        "invitation.list": AccessRule([rel(.isActor("by")), facilitator, admin]),
        "invitation.revoke": AccessRule([rel(.invited("id")), facilitator, admin]),
        "circle.get": AccessRule([rel(.isActor("member")), facilitator, admin]),
        "circle.indicators": AccessRule([.anyone], params: [(name: "provenance", grants: [adc, facilitator, admin])]),
        "outreach.templates": AccessRule([.anyone]), "outreach.settings": AccessRule([.anyone]),
        "outreach.configure": AccessRule([admin]),
        "outreach.audience": AccessRule([rel(.adcOfNeed("need")), rel(.adcOfProject("project")), facilitator, admin]),
        "outreach.send": AccessRule([rel(.adcOfNeed("need")), rel(.adcOfProject("project")), facilitator, admin]),
        "outbox.next": AccessRule([], limits: "the host's delivery job: a trusted handle"),
        "outbox.ack": AccessRule([], limits: "the host's delivery job: a trusted handle"),
        "outbox.get": AccessRule([rel(.recipientOf("id")), facilitator, admin]),
        "outbox.list": AccessRule([rel(.isActor("member")), facilitator, admin]),
        "outreach.indicators": AccessRule([.anyone], params: [(name: "provenance", grants: [adc, facilitator, admin])]),

        // Learning: staff run events and modules; a member registers and enrolls herself and submits her own work.
        "space.create": .staff, "space.get": AccessRule([.anyone]), "space.list": AccessRule([.anyone]),
        "space.join": AccessRule([rel(.isActor("member")), facilitator, admin], limits: "an open space only, unless staff (rule space.invitation)"),
        "space.add_member": AccessRule([.signedIn], limits: "a facilitator of the space, or staff (rule space.facilitator)"),
        "thread.create": AccessRule([rel(.isActor("author"))], limits: "the author is a member of the space (rule space.member)"),
        "thread.get": AccessRule([.anyone], limits: "a space by invitation only for its members and staff (rule space.member); a thread whose opening post is held, hidden or removed only for its author, its facilitators and staff (rule thread.moderated); held, hidden and removed posts only for its facilitators and staff, and her own held posts for the author"),
        "thread.list": AccessRule([.anyone], limits: "a space by invitation only for its members and staff (rule space.member); counts visible posts only; a thread whose opening post is held, hidden or removed is left out, and counted in `withheld`, except for its author, the space's facilitators and staff"),
        "post.create": AccessRule([rel(.isActor("author"))], limits: "the author is a member of the space (rule space.member)"),
        "post.moderate": AccessRule([.signedIn], limits: "a facilitator of the space, or staff (rule space.facilitator)"),
        "post.flag": AccessRule([rel(.isActor("member"))], limits: "a member of the space (rule space.member)"),
        "resource.create": AccessRule([.signedIn], limits: "a facilitator of the space, or staff (rule space.facilitator)"),
        "resource.get": AccessRule([.anyone]), "resource.list": AccessRule([.anyone]),
        "resource.use": AccessRule([rel(.isActor("member")), facilitator, admin], limits: "a resource of a space by invitation only for its members (rule space.member)"),
        "learning_event.create": .staff, "learning_event.add_session": .staff,
        "learning_event.get": AccessRule([.anyone]), "learning_event.list": AccessRule([.anyone]),
        "learning_event.register": AccessRule([rel(.isActor("member")), facilitator, admin]),
        "attendance.record": .staff, "attendance.list": .staff,
        "module.create": .staff, "module.publish": .staff, "module.get": AccessRule([.anyone]), "module.list": AccessRule([.anyone]),
        "enrollment.create": AccessRule([rel(.isActor("member")), facilitator, admin]),
        "enrollment.get": AccessRule([rel(.learnerOf("id")), facilitator, admin]),
        "enrollment.list": AccessRule([rel(.isActor("member")), facilitator, admin]),
        "enrollment.submit": AccessRule([rel(.learnerOf("id")), facilitator, admin]),
        "enrollment.review": .staff, "enrollment.complete": .staff, "competence.revoke": .staff,
        "competence.credential": AccessRule([rel(.holdsCompetence("id")), facilitator, admin]),
        "learning.indicators": AccessRule([.anyone], params: [(name: "provenance", grants: [adc, facilitator, admin])],
                                          limits: "provenance (the ids counted and the origins) only for ADCs, facilitators and admins"),

        // Solidarity finance: the project's ADC runs its campaigns; givers give; staff set the programmes and rates.
        "campaign.create": AccessRule([rel(.adcOfProject("project")), facilitator, admin]),
        "campaign.open": AccessRule([rel(.adcOfCampaign("id")), facilitator, admin]),
        "campaign.settle": AccessRule([rel(.adcOfCampaign("id")), facilitator, admin]),
        "campaign.get": AccessRule([.anyone], limits: "as its project"),
        "campaign.list": AccessRule([.anyone], limits: "campaigns of projects the caller may not see are left out and counted in `withheld`"),
        "gift.create": AccessRule([rel(.isActor("member")), rel(.belongsTo("organization")), rel(.adcOfCampaign("campaign")), facilitator, admin],
                                  params: [(name: "collected", grants: [rel(.adcOfCampaign("campaign")), facilitator, admin])],
                                  limits: "collected (the money is received) only for the campaign's ADC and staff: a giver pledges"),
        "gift.move": AccessRule([rel(.adcOfGift("id")), facilitator, admin]),
        "gift.get": AccessRule([rel(.giverOf("id")), rel(.adcOfGift("id")), facilitator, admin]),
        "gift.list": AccessRule([rel(.adcOfCampaign("campaign")), facilitator, admin], limits: "others see a campaign's totals through campaign.get"),
        "pool.create": AccessRule([rel(.belongsTo("organization")), rel(.isActor("member")), facilitator, admin]),
        "pool.get": AccessRule([.anyone], limits: "as the project it matches"),
        "pool.list": AccessRule([.anyone], limits: "pools of projects the caller may not see are left out and counted in `withheld`"),
        "programme.define": .staff, "programme.get": AccessRule([.anyone]), "programme.list": AccessRule([.anyone]),
        "valuation.set": .staff, "valuation.list": AccessRule([.anyone]),
        "rate.set": .staff, "rate.list": AccessRule([.anyone]),
        "project.funding_check": AccessRule([.anyone], limits: projectReads),
        "finance.indicators": AccessRule([.anyone], params: [(name: "provenance", grants: [adc, facilitator, admin])],
                                         limits: "provenance (the ids counted) only for ADCs, facilitators and admins"),

        // Interchange: whole-database reads and writes, for staff; files of the host only for a trusted handle.
        "import.csv": AccessRule([facilitator, admin], params: [(name: "path", grants: [])],
                                 limits: "path (a file of the host) for a trusted handle only"),
        "export.csv": AccessRule([facilitator, admin], params: [(name: "path", grants: [])],
                                 limits: "path (a file of the host) for a trusted handle only"),
        "export.iati": .staff,
        "backup": AccessRule([], limits: "a trusted handle only: it writes a file of the host, and the copy holds everyone's data"),

        // The log holds everyone's history: staff only.
        "event.list": .staff, "audit.verify": .staff,
        "batch": AccessRule([.anyone], limits: "each call is checked as if made alone, by the batch's actor (a call may not name another)"),
    ]

    /// The rule of a method; a method the table misses is the system's only.
    public static func rule(_ method: String) -> AccessRule { rules[method] ?? AccessRule([]) }
}
