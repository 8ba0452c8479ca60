import CDSCore
import CDSStore

/// What the caller of one call may see of the records it answers (``Visibility`` decides;
/// this reads, once per call, the facts it needs: the members matched to an ADC, projects,
/// who consents to publication).
final class Sight {
    let viewer: Viewer
    let store: Store
    private var matched: Set<String>?
    /// Each project read in this call: whether the caller sees it, and its ADC.
    private var projects: [String: (seen: Bool, adc: String?)] = [:]
    private var publishing: [String: Bool] = [:]

    init(_ c: Call) { viewer = c.viewer; store = c.db.store }

    /// True when an ADC caller has an accepted match with `member` on one of her projects.
    func matchedADC(_ member: String) throws(CDSError) -> Bool {
        guard viewer.kind == .member, viewer.roles.contains(.adc), let me = viewer.id else { return false }
        if let m = matched { return m.contains(member) }
        let m = try store.matchedMembers(adc: me)
        matched = m
        return m.contains(member)
    }

    /// The member as the caller may see her, or nil when she may not see her at all.
    func member(_ m: Member) throws(CDSError) -> JSON? {
        if viewer.kind == .system { return m.json }
        let related = try matchedADC(m.id)
        guard Visibility.seesProfile(of: m, viewer: viewer, matchedADC: related) else { return nil }
        return Visibility.member(m, viewer: viewer, matchedADC: related)
    }

    /// The member, or `forbidden` (rule `member.unpublished`).
    func requireMember(_ m: Member) throws(CDSError) -> JSON {
        guard let j = try member(m) else {
            throw Visibility.forbidden("member.unpublished", "member \(m.id) does not consent to publication", details: ["member": .string(m.id)])
        }
        return j
    }

    /// True when the caller sees the project.
    func sees(_ p: Project) -> Bool {
        let v = Visibility.seesProject(p, viewer: viewer)
        projects[p.id] = (v, p.adc)
        return v
    }

    /// What the caller knows of the project `id` (read once per call).
    private func project(_ id: String) throws(CDSError) -> (seen: Bool, adc: String?) {
        if let known = projects[id] { return known }
        let p = try store.project(id)
        return (sees(p), p.adc)
    }

    /// True when the caller sees the project `id` (read once per call).
    func sees(project id: String) throws(CDSError) -> Bool {
        if viewer.isStaff { return true }
        return try project(id).seen
    }

    /// The project's id, or `forbidden` (rule `project.unpublished`) when the caller may not see it.
    func requireProject(_ id: String) throws(CDSError) {
        guard try sees(project: id) else {
            throw Visibility.forbidden("project.unpublished", "project \(id) is not published yet", details: ["project": .string(id)])
        }
    }

    /// True when `member` consents to publication now (read once per call).
    func publishes(_ member: String) throws(CDSError) -> Bool {
        if let v = publishing[member] { return v }
        let v = try store.publishing([member]).contains(member)
        publishing[member] = v
        return v
    }

    /// True when the caller sees an offer: an organization's, or a member's who publishes, or
    /// she is its offerer, an ADC or staff.
    func sees(_ o: Offer) throws(CDSError) -> Bool {
        guard let owner = o.member else { return true }
        if viewer.isStaff || viewer.roles.contains(.adc) || viewer.isMember(owner) { return true }
        return try publishes(owner)
    }

    /// True when the caller sees a contribution: she sees its project, and it is an
    /// organization's, or its contributor publishes, or she is the contributor, the
    /// project's ADC or staff.
    func sees(_ x: Contribution) throws(CDSError) -> Bool {
        if viewer.isStaff { return true }
        guard try sees(project: x.project) else { return false }
        guard let who = x.member else { return true }
        if viewer.isMember(who) { return true }
        if viewer.isMember(try project(x.project).adc) { return true }
        return try publishes(who)
    }

    /// True when the caller sees a match: staff, its offerer, or the ADC of its project.
    func sees(_ m: Match) throws(CDSError) -> Bool {
        if viewer.isStaff { return true }
        guard viewer.kind == .member else { return false }
        if viewer.isMember(m.member) { return true }
        return viewer.isMember(try project(m.project).adc)
    }
}
