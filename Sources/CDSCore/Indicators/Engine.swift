/// One event as the indicator engine reads it: its day (UTC date of `occurred_at`),
/// subject, actor and the typed facts of its payload.
public struct IndicatorEvent: Sendable {
    /// The UTC day it occurred, in days since 1970-01-01.
    public var day: Int
    /// The id of the entity it happened to.
    public var subject: String
    /// The member who acted.
    public var actor: String?
    /// What it records.
    public var event: LoggedEvent
    /// An event.
    public init(day: Int, subject: String, actor: String?, event: LoggedEvent) {
        self.day = day; self.subject = subject; self.actor = actor; self.event = event
    }
}

/// Facts that later changes overwrite field by field (a member's, a project's…).
protocol FoldableFacts { init(); mutating func merge(_ c: Self) }
extension MemberFacts: FoldableFacts {}
extension OrganizationFacts: FoldableFacts {}
extension ProjectEventFacts: FoldableFacts {}
extension NeedFacts: FoldableFacts {}
extension OfferFacts: FoldableFacts {}

/// Values over time: each point holds from its day until the next point's day.
struct Timeline<T> {
    var points: [(day: Int, value: T)] = []

    mutating func set(_ day: Int, _ v: T) {
        if let last = points.last, last.day == day { points[points.count - 1].value = v } else { points.append((day, v)) }
    }

    func at(_ day: Int) -> T? {
        var lo = 0, hi = points.count
        while lo < hi { let mid = (lo + hi) / 2; if points[mid].day <= day { lo = mid + 1 } else { hi = mid } }
        return lo == 0 ? nil : points[lo - 1].value
    }

    /// The pieces of [from, to) with the value that holds on each.
    func segments(_ from: Int, _ to: Int) -> [(from: Int, to: Int, value: T)] {
        guard from < to else { return [] }
        var out: [(Int, Int, T)] = []
        for (i, p) in points.enumerated() {
            let end = i + 1 < points.count ? points[i + 1].day : Int.max
            let a = max(from, p.day), b = min(to, end)
            if a < b { out.append((a, b, p.value)) }
        }
        return out
    }
}

/// What the indicators need to know of a member at a time.
struct MemberAttrs {
    var diaspora = false, adc = false, facilitator = false
    /// The member who brought her in (`invited_by`).
    var invitedBy: String? = nil
    var gender = "undisclosed", country = ""
    var origin: String? = nil, adcCommune: String? = nil
}

/// What the indicators need to know of an organization at a time.
struct OrgAttrs {
    var kind = "", country = "", territory: String? = nil
    var isCollectivity: Bool { kind == "commune" || kind == "provincial_council" || kind == "regional_council" }
    var isMoroccanActor: Bool { country == "MA" && kind != "facilitator" && kind != "diaspora_association" }
    var isDiasporaAssociation: Bool { kind == "diaspora_association" }
}

struct ProjectHistory {
    var created = Int.max
    var ready: Int? = nil
    var communes = Timeline<[String]>()
    var orgs = Timeline<[String]>()
    var stage = Timeline<String>()
    /// The territory keys of its communes (each once, the CDS included), over time.
    var keys = Timeline<[String]>()
}

struct ContributionFact {
    var id = "", project = "", member: String? = nil, organization: String? = nil
    var money = false, currency: String? = nil, amount: Int64 = 0
    var pledged = Int.max, confirmed: Int? = nil, delivered: Int? = nil, cancelled: Int? = nil
    var countsFrom: Int? { confirmed }
    var countsUntil: Int { cancelled ?? Int.max }
    func status(at d: Int) -> String? {
        if let c = cancelled, c <= d { return "cancelled" }
        if let x = delivered, x <= d { return "delivered" }
        if let x = confirmed, x <= d { return "confirmed" }
        return pledged <= d ? "pledged" : nil
    }
}

/// The indicator engine: it replays the event log once into timelines, turns every
/// counted fact into day intervals per territory (a commune, its province, its region and
/// the whole CDS), and then answers any date by counting the intervals that contain it.
/// A fact known on day e with a business date b counts from max(b, e): the value on a
/// date is what the facts recorded up to that date give, even after later changes.
public final class IndicatorEngine: @unchecked Sendable {
    var members: [String: Timeline<MemberAttrs>] = [:]
    var orgs: [String: Timeline<OrgAttrs>] = [:]
    /// The changes of members, organizations, projects and needs, in log order, to fold
    /// into timelines once every event is read (an imported fact may carry an earlier day).
    var memberChanges: [String: [(day: Int, after: MemberFacts)]] = [:]
    var orgChanges: [String: [(day: Int, after: OrganizationFacts)]] = [:]
    var projectChanges: [String: [(day: Int, after: ProjectEventFacts)]] = [:]
    var needChanges: [String: [(day: Int, after: NeedFacts)]] = [:]
    var offerChanges: [String: [(day: Int, after: OfferFacts)]] = [:]
    var agreements: [String: (org: String, from: Int, until: Int)] = [:]
    /// Attestations (with their origin) and revocations (nil), member → competence → in log order.
    var competenceChanges: [String: [String: [(day: Int, grant: CompetenceOrigin?)]]] = [:]
    /// The ADCs behind each commune counted by `collectivities_with_competent_adc`, with the
    /// attestations that made them competent, over the days they count, per member.
    var competentADCs: [String: [(commune: String, from: Int, to: Int, origins: [String: [CompetenceOrigin]])]] = [:]
    var contributions: [String: ContributionFact] = [:]
    var interactions: [(member: String?, dorg: String?, org: String, local: String?, from: Int)] = []
    var projects: [String: ProjectHistory] = [:]
    var needs: [String: (project: String, created: Int, status: Timeline<String>)] = [:]
    var activity: [String: [Int]] = [:]
    /// Matches: the project, the day proposed, and the day and outcome of the decision.
    var matches: [String: (project: String, proposed: Int, decided: Int?, accepted: Bool, member: String?)] = [:]
    /// Who brought each member in, by invitation, from the day it was accepted (CircleIndicators.swift).
    var circleLinks: [String: [(day: Int, inviter: Inviter)]] = [:]
    /// The messages delivered: member, channel, day.
    var deliveries: [(member: String, channel: String, day: Int)] = []
    /// The days a member responded: an offer made, a match accepted.
    var responses: [String: [Int]] = [:]
    /// What the learning indicators read (LearningIndicators.swift).
    var learning = LearningFacts()
    /// The counted intervals of the count indicators, per source (SpanSource).
    var spans = LiveSpans<IndicatorID, SpanSource>()
    /// The same for the learning indicators, all from one source (their facts are few).
    var learningSpans = LiveSpans<LearningIndicatorID, Int>()
    /// Which sources read which entity: the contributions of a member, an organization (as
    /// giver) and a project; the projects an organization was ever a partner or lead of; the
    /// agreements of an organization; the offers and interactions of a member or organization.
    /// A changed entity emits these sources again. Supersets are harmless: a source emitted
    /// again with the same rows changes nothing.
    var contributionsOf: [String: Set<String>] = [:]
    var projectsOfOrg: [String: Set<String>] = [:]
    var agreementsOf: [String: Set<String>] = [:]
    var offersOf: [String: Set<String>] = [:]
    var interactionsOf: [String: [Int]] = [:]
    /// The projects that ever had a commune under each territory key (the CDS's "" included).
    var projectsUnder: [String: Set<String>] = [:]
    /// The needs and the matches of each project (the steering figures of a territory read
    /// its projects' only), and each contribution's place in the log.
    var needsOf: [String: Set<String>] = [:]
    var matchesOf: [String: Set<String>] = [:]
    var contributionRank: [String: Int] = [:]
    /// Each project's money contributions as steps over days (MoneySteps).
    var moneyOf: [String: MoneySteps] = [:]
    /// Each project's needs (not cancelled, covered) and matches (proposed, accepted, declined) as counts over days.
    var needStepsOf: [String: DaySteps] = [:]
    var matchStepsOf: [String: DaySteps] = [:]
    /// What the events applied since the last `refresh` changed.
    var dirty = Dirty()
    struct Dirty {
        var members = Set<String>(), orgs = Set<String>(), projects = Set<String>(), needs = Set<String>(), offers = Set<String>()
        var contributions = Set<String>(), agreements = Set<String>(), interactions = Set<Int>(), activity = Set<String>()
        var matches = Set<String>()
        var learning = false
    }

    /// Builds the engine from the event log, oldest event first.
    public init<S: Sequence>(events: S) where S.Element == IndicatorEvent {
        extend(with: events)
    }

    /// Extends this engine, in place, with the events appended to the log since: their facts
    /// join the ones already read (a late import with an earlier day counts from that day),
    /// then the timelines of the entities they changed are folded again, and the sources that
    /// read those entities replace their counted intervals. The answers are those of an
    /// engine built from the whole log. Not to be called while another thread reads it.
    public func extend<S: Sequence>(with events: S) where S.Element == IndicatorEvent {
        for e in events { apply(e) }
        refresh()
    }

    /// The sources of counted intervals: each emits its rows from the facts it reads.
    enum SpanSource: Hashable {
        case contribution(String), agreement(String), offer(String), member(String), interaction(Int), activity(String)
    }

    /// Whether the engine was built once: until then every entity is new, nothing is marked.
    var built = false

    /// Marks an entity changed by the event being applied (once built).
    @inline(__always) func mark<T: Hashable>(_ set: WritableKeyPath<Dirty, Set<T>>, _ x: T) {
        if built { dirty[keyPath: set].insert(x) }
    }

    func apply(_ e: IndicatorEvent) {
        if let a = e.actor, e.event.isActivity { activity[a, default: []].append(e.day); mark(\.activity, a) }
        if applyLearning(e), built { dirty.learning = true }
        switch e.event {
        case .member(let f, _): memberChanges[e.subject, default: []].append((e.day, f)); mark(\.members, e.subject)
        case .organization(let f): orgChanges[e.subject, default: []].append((e.day, f)); mark(\.orgs, e.subject)
        case .agreementSigned(let org, let signedOn, let endsOn):
            agreements[e.subject] = (org, max(signedOn.daysSinceEpoch, e.day), endsOn.map { $0.daysSinceEpoch + 1 } ?? Int.max)
            agreementsOf[org, default: []].insert(e.subject)
            mark(\.agreements, e.subject)
        case .agreementEnded(let endedOn):
            if var a = agreements[e.subject] {
                a.until = min(a.until, max(endedOn.daysSinceEpoch, e.day))
                agreements[e.subject] = a
                mark(\.agreements, e.subject)
            }
        case .competenceAttested(let kind, let attestedOn, let origin):
            competenceChanges[e.subject, default: [:]][kind, default: []].append((max(attestedOn.daysSinceEpoch, e.day), origin))
            mark(\.members, e.subject)
        case .competenceRevoked(let kind, let revokedOn):
            competenceChanges[e.subject, default: [:]][kind, default: []].append((max(revokedOn.daysSinceEpoch, e.day), nil))
            mark(\.members, e.subject)
        case .contributionPledged(let f):
            var c = ContributionFact()
            c.id = e.subject
            c.project = f.project
            c.member = f.member
            c.organization = f.organization
            c.money = f.kind == "finance" || f.kind == "investment"
            c.currency = f.currency
            c.amount = f.amount
            c.pledged = max(f.pledgedOn.daysSinceEpoch, e.day)
            contributions[e.subject] = c
            if contributionRank[e.subject] == nil { contributionRank[e.subject] = contributionRank.count }
            for x in [c.member, c.organization, c.project].compactMap({ $0 }) { contributionsOf[x, default: []].insert(e.subject) }
            mark(\.contributions, e.subject)
            if let m = c.member { activity[m, default: []].append(e.day); mark(\.activity, m) }
        case .contributionMoved(let status, let on):
            guard var c = contributions[e.subject] else { return }
            let d = max(on.daysSinceEpoch, e.day)
            switch status {
            case .confirmed: c.confirmed = d
            case .delivered: c.delivered = d
            case .cancelled: c.cancelled = d
            case .pledged: break
            }
            contributions[e.subject] = c
            mark(\.contributions, e.subject)
            if let m = c.member { activity[m, default: []].append(e.day); mark(\.activity, m) }
        case .interactionRecorded(let i):
            let n = interactions.count
            interactions.append((i.member, i.diasporaOrganization, i.organization, i.localMember, max(i.on.daysSinceEpoch, e.day)))
            for x in [i.member, i.diasporaOrganization, i.organization].compactMap({ $0 }) { interactionsOf[x, default: []].append(n) }
            mark(\.interactions, n)
            for m in [i.member, i.localMember].compactMap({ $0 }) { activity[m, default: []].append(e.day); mark(\.activity, m) }
        case .project(let f): projectChanges[e.subject, default: []].append((e.day, f)); mark(\.projects, e.subject)
        case .need(let f): needChanges[e.subject, default: []].append((e.day, f)); mark(\.needs, e.subject)
        case .offer(let f):
            offerChanges[e.subject, default: []].append((e.day, f))
            for x in [f.member ?? nil, f.organization ?? nil].compactMap({ $0 }) { offersOf[x, default: []].insert(e.subject) }
            mark(\.offers, e.subject)
            // Only a creation records the offerer.
            if let m = f.member ?? nil { responses[m, default: []].append(e.day) }
        case .matchProposed(let project, let member):
            matches[e.subject] = (project, e.day, nil, false, member)
            matchesOf[project, default: []].insert(e.subject)
            mark(\.matches, e.subject)
        case .matchDecided(let accepted):
            guard var m = matches[e.subject], m.decided == nil else { return }
            m.decided = max(e.day, m.proposed)
            m.accepted = accepted
            matches[e.subject] = m
            mark(\.matches, e.subject)
            if accepted, let member = m.member, let d = m.decided { responses[member, default: []].append(d) }
        case .invitationAccepted(let member, let inviter, let linked):
            if linked { circleLinks[member, default: []].append((e.day, inviter)) }
        case .messageDelivered(let member, let channel): deliveries.append((member, channel, e.day))
        case .postCreated, .postModerated, .heldThread, .resourceCreated, .resourceUsed, .spaceCreated, .learningEventCreated, .attendanceRecorded, .activity: break
        }
    }

    /// The state of an entity on each day it changed: the fold, in log order, of the changes
    /// recorded up to that day (so a fact imported later with an earlier day counts from it).
    static func states<F: FoldableFacts>(_ changes: [(day: Int, after: F)]) -> [(day: Int, state: F)] {
        let days = Set(changes.map(\.day)).sorted()
        let ordered = zip(changes, changes.dropFirst()).allSatisfy { $0.day <= $1.day }
        var out: [(Int, F)] = []
        var running = F()
        var next = 0
        for d in days {
            if ordered {
                while next < changes.count, changes[next].day <= d { running.merge(changes[next].after); next += 1 }
                out.append((d, running))
            } else {
                var s = F()
                for c in changes where c.day <= d { s.merge(c.after) }
                out.append((d, s))
            }
        }
        return out
    }

    /// Folds again the timelines of the members, organizations, projects and needs that changed.
    func buildTimelines() {
        for m in dirty.members {
            guard let changes = memberChanges[m] else { continue }
            var t = Timeline<MemberAttrs>()
            for (d, s) in Self.states(changes) {
                var a = MemberAttrs()
                if let roles = s.roles { a.diaspora = roles.contains("diaspora"); a.adc = roles.contains("adc"); a.facilitator = roles.contains("facilitator") }
                if let i = s.invitedBy { a.invitedBy = i }
                if s.heartDiaspora == true { a.diaspora = true }
                if let g = s.gender { a.gender = g }
                if let c = s.residenceCountry { a.country = c }
                if let o = s.origin { a.origin = o }
                if let c = s.adcCommune { a.adcCommune = c }
                t.set(d, a)
            }
            members[m] = t
        }
        for o in dirty.orgs {
            guard let changes = orgChanges[o] else { continue }
            var t = Timeline<OrgAttrs>()
            for (d, s) in Self.states(changes) {
                var a = OrgAttrs()
                if let k = s.kind { a.kind = k }
                if let c = s.country { a.country = c }
                if let t = s.territory { a.territory = t }
                t.set(d, a)
            }
            orgs[o] = t
        }
        for id in dirty.projects {
            guard let changes = projectChanges[id] else { continue }
            var p = ProjectHistory()
            for (d, s) in Self.states(changes) {
                if s.id != nil { p.created = min(p.created, d) }
                let communes = s.communes ?? []
                p.communes.set(d, communes)
                var keys: [String] = []
                for c in communes { for k in Self.keys(c) where !keys.contains(k) { keys.append(k) } }
                if !keys.contains("") { keys.append("") }
                p.keys.set(d, keys)
                for k in keys { projectsUnder[k, default: []].insert(id) }
                var o = s.partners ?? []
                if let lead = s.leadOrganization ?? nil { o.append(lead) }
                p.orgs.set(d, o)
                for x in o { projectsOfOrg[x, default: []].insert(id) }
                let stage = s.stage ?? Stage.idea.rawValue
                p.stage.set(d, stage)
                if stage == "ready", p.ready == nil { p.ready = d }
            }
            projects[id] = p
            projectsUnder["", default: []].insert(id)
        }
        for id in dirty.needs {
            guard let changes = needChanges[id] else { continue }
            let states = Self.states(changes)
            var t = Timeline<String>()
            var project = "", created = Int.max
            for (d, s) in states {
                if let p = s.project { project = p; created = min(created, d) }
                if let st = s.status { t.set(d, st) }
            }
            needs[id] = (project, created, t)
            needsOf[project, default: []].insert(id)
        }
    }

    /// The keys a territory code counts under: itself, its province, its region, the CDS ("").
    static func keys(_ code: String?) -> [String] {
        guard let code, !code.isEmpty else { return [""] }
        let parts = code.split(separator: ".")
        var out = [code]
        if parts.count >= 4 { out.append(parts[0] + "." + parts[1]) }
        if parts.count >= 2 { out.append(String(parts[0])) }
        out.append("")
        return out
    }

    static func isCommune(_ code: String) -> Bool { code.split(separator: ".").count == 4 }

    func memberSegments(_ m: String?, _ from: Int, _ to: Int, _ keep: (MemberAttrs) -> Bool) -> [(Int, Int, MemberAttrs)] {
        guard let m, let t = members[m] else { return [] }
        return t.segments(from, to).filter { keep($0.value) }.map { ($0.from, $0.to, $0.value) }
    }

    func orgSegments(_ o: String?, _ from: Int, _ to: Int, _ keep: (OrgAttrs) -> Bool) -> [(Int, Int, OrgAttrs)] {
        guard let o, let t = orgs[o] else { return [] }
        return t.segments(from, to).filter { keep($0.value) }.map { ($0.from, $0.to, $0.value) }
    }

    /// The intervals in which a contribution comes from the diaspora: a diaspora member or association.
    func diasporaSegments(_ c: ContributionFact, _ from: Int, _ to: Int) -> [(Int, Int)] {
        if c.member != nil { return memberSegments(c.member, from, to) { $0.diaspora }.map { ($0.0, $0.1) } }
        return orgSegments(c.organization, from, to) { $0.isDiasporaAssociation }.map { ($0.0, $0.1) }
    }

    /// Brings the timelines and the counted intervals up to the events applied: the entities
    /// they changed are folded again, then every source that reads one of them emits its rows
    /// again (replacing the ones it gave before), and the entities whose rows changed are merged.
    func refresh() {
        if !built {
            // The first build: everything read is new.
            dirty = Dirty(members: Set(memberChanges.keys).union(competenceChanges.keys), orgs: Set(orgChanges.keys), projects: Set(projectChanges.keys),
                          needs: Set(needChanges.keys), offers: Set(offerChanges.keys), contributions: Set(contributions.keys),
                          agreements: Set(agreements.keys), interactions: Set(interactions.indices), activity: Set(activity.keys),
                          matches: Set(matches.keys), learning: true)
        }
        buildTimelines()
        var contributionSources = dirty.contributions, offerSources = dirty.offers, agreementSources = dirty.agreements
        var interactionSources = dirty.interactions
        let memberSources = dirty.members
        var activitySources = dirty.activity.union(dirty.members)
        var projectsChanged = dirty.projects
        for m in built ? dirty.members : [] {
            contributionSources.formUnion(contributionsOf[m] ?? [])
            offerSources.formUnion(offersOf[m] ?? [])
            interactionSources.formUnion(interactionsOf[m] ?? [])
        }
        for o in built ? dirty.orgs : [] {
            contributionSources.formUnion(contributionsOf[o] ?? [])
            offerSources.formUnion(offersOf[o] ?? [])
            agreementSources.formUnion(agreementsOf[o] ?? [])
            interactionSources.formUnion(interactionsOf[o] ?? [])
            projectsChanged.formUnion(projectsOfOrg[o] ?? [])
        }
        for p in built ? projectsChanged : [] { contributionSources.formUnion(contributionsOf[p] ?? []) }
        activitySources = activitySources.filter { activity[$0] != nil }     // not a Set of every key: that is O(members) a write
        for id in contributionSources { emitContribution(id); spans.commit(.contribution(id)) }
        for id in agreementSources { emitAgreement(id); spans.commit(.agreement(id)) }
        for id in offerSources { emitOffer(id); spans.commit(.offer(id)) }
        for m in memberSources { emitMember(m); spans.commit(.member(m)) }
        for n in interactionSources { emitInteraction(n); spans.commit(.interaction(n)) }
        for m in activitySources { emitActivity(m); spans.commit(.activity(m)) }
        spans.finish()
        // The money of the projects whose contributions changed.
        for p in Set(dirty.contributions.compactMap { contributions[$0]?.project }) {
            let steps = MoneySteps((contributionsOf[p] ?? []).compactMap { contributions[$0] }.filter { $0.project == p })
            moneyOf[p] = steps.isEmpty ? nil : steps
        }
        for p in Set(dirty.needs.compactMap { needs[$0]?.project }) {
            let steps = needSteps(p)
            needStepsOf[p] = steps.days.isEmpty ? nil : steps
        }
        for p in Set(dirty.matches.compactMap { matches[$0]?.project }) {
            let steps = matchSteps(p)
            matchStepsOf[p] = steps.days.isEmpty ? nil : steps
        }
        // The learning spans read the members' timelines too; their facts are few: all again.
        if dirty.learning || !dirty.members.isEmpty, !learning.isEmpty {
            buildLearningSpans(&learningSpans)
            learningSpans.commit(0)
            learningSpans.finish()
        }
        dirty = Dirty()
        built = true
    }

    func emitContribution(_ id: String) {
        guard let c = contributions[id], let from = c.countsFrom, let p = projects[c.project] else { return }
        for (a, z) in diasporaSegments(c, from, c.countsUntil) {
            for seg in p.communes.segments(a, z) {
                for k in seg.value {
                    if let m = c.member {
                        spans.add(.migrantsMobilized, under: k, m, seg.from, seg.to)
                    }
                    spans.add(.territoriesConnected, under: k, k, seg.from, seg.to)
                }
            }
            if c.member != nil {
                for seg in p.orgs.segments(a, z) {
                    for o in seg.value {
                        for (x, y, attrs) in orgSegments(o, seg.from, seg.to, { $0.isMoroccanActor }) {
                            spans.add(.actorsLinked, under: attrs.territory, o, x, y)
                        }
                    }
                }
            }
        }
    }

    func emitAgreement(_ id: String) {
        guard let a = agreements[id] else { return }
        for (x, y, attrs) in orgSegments(a.org, a.from, a.until, { $0.isCollectivity && $0.territory != nil }) {
            spans.add(.collectivitiesEngaged, under: attrs.territory, a.org, x, y)
        }
    }

    /// The communes of interest of a diaspora offer while it is not withdrawn.
    func emitOffer(_ id: String) {
        let states = Self.states(offerChanges[id] ?? [])
        for (n, st) in states.enumerated() {
            let (d, s) = st
            let end = n + 1 < states.count ? states[n + 1].day : Int.max
            guard s.status != "withdrawn" else { continue }
            let communes = (s.territories ?? []).filter(Self.isCommune)
            guard !communes.isEmpty else { continue }
            let member = s.member ?? nil
            let sides: [(Int, Int)] = member != nil
                ? memberSegments(member, d, end) { $0.diaspora }.map { ($0.0, $0.1) }
                : orgSegments(s.organization ?? nil, d, end) { $0.isDiasporaAssociation }.map { ($0.0, $0.1) }
            for (a, z) in sides { for k in communes { spans.add(.territoriesConnected, under: k, k, a, z) } }
        }
    }

    /// A member's own counts: the commune of a competent ADC, the commune of origin of the diaspora.
    func emitMember(_ m: String) {
        competentADCs[m] = nil
        guard let t = members[m] else { return }
        let pe = Self.holdings(competenceChanges[m]?["project_engineering"] ?? []), co = Self.holdings(competenceChanges[m]?["communication"] ?? [])
        var evidence: [(commune: String, from: Int, to: Int, origins: [String: [CompetenceOrigin]])] = []
        for seg in t.segments(Int.min, Int.max) {
            if seg.value.adc, let k = seg.value.adcCommune {
                for a in pe {
                    for c in co {
                        let from = max(seg.from, a.from, c.from), to = min(seg.to, a.to, c.to)
                        guard from < to else { continue }
                        spans.add(.collectivitiesWithCompetentADC, under: k, k, from, to)
                        evidence.append((k, from, to, ["project_engineering": a.origins, "communication": c.origins]))
                    }
                }
            }
            if seg.value.diaspora, let k = seg.value.origin, Self.isCommune(k) {
                spans.add(.territoriesConnected, under: k, k, seg.from, seg.to)
            }
        }
        if !evidence.isEmpty { competentADCs[m] = evidence }
    }

    func emitInteraction(_ n: Int) {
        guard n >= 0, n < interactions.count else { return }
        let i = interactions[n]
        let sides: [(Int, Int)] = i.member != nil
            ? memberSegments(i.member, i.from, Int.max) { $0.diaspora }.map { ($0.0, $0.1) }
            : orgSegments(i.dorg, i.from, Int.max) { $0.isDiasporaAssociation }.map { ($0.0, $0.1) }
        for (a, z) in sides {
            for (x, y, attrs) in orgSegments(i.org, a, z, { $0.isMoroccanActor }) {
                spans.add(.actorsLinked, under: attrs.territory, i.org, x, y)
            }
        }
    }

    /// A member is active for 90 days after each thing she did, under her origin then.
    func emitActivity(_ m: String) {
        for d in activity[m] ?? [] {
            let origin = members[m]?.at(d)?.origin
            spans.add(.activeMembers, under: origin, m, d, d + 90)
        }
    }

    /// The intervals in which a competence is held, from its attestations and revocations (a
    /// fact counts from its day; on one day, log order decides), each with the attestations
    /// that hold it: from an attestation until the next revocation.
    static func holdings(_ changes: [(day: Int, grant: CompetenceOrigin?)]) -> [(from: Int, to: Int, origins: [CompetenceOrigin])] {
        let ordered = changes.enumerated().sorted { ($0.element.day, $0.offset) < ($1.element.day, $1.offset) }.map(\.element)
        var out: [(from: Int, to: Int, origins: [CompetenceOrigin])] = []
        var open: (from: Int, origins: [CompetenceOrigin])? = nil
        for c in ordered {
            if let g = c.grant {
                if open == nil { open = (c.day, [g]) } else { open?.origins.append(g) }
            } else if let o = open {
                if o.from < c.day { out.append((o.from, c.day, o.origins)) }
                open = nil
            }
        }
        if let o = open { out.append((o.from, Int.max, o.origins)) }
        return out
    }

    /// The ADCs who make each commune count in `collectivities_with_competent_adc` on a day, in
    /// a territory, with the origin of each of their two competences (a module or by hand).
    public func competentADCEvidence(day: Int, territory: String) -> [JSON] {
        competentADCs.flatMap { m, list in list.map { (commune: $0.commune, member: m, from: $0.from, to: $0.to, origins: $0.origins) } }
            .filter { $0.from <= day && day < $0.to && Self.keys($0.commune).contains(territory) }
            .sorted { ($0.commune, $0.member, $0.from) < ($1.commune, $1.member, $1.from) }
            .map { e in
                var competences = JSONObject()
                for (k, origins) in e.origins.sorted(by: { $0.key < $1.key }) {
                    var seen = Set<CompetenceOrigin>()
                    competences[k] = .array(origins.filter { seen.insert($0).inserted }.map(\.json))
                }
                return ["commune": .string(e.commune), "adc": .string(e.member), "competences": .object(competences)]
            }
    }

    /// The ids counted by a count indicator on a day in a territory ("" for the whole CDS).
    public func counted(_ id: IndicatorID, day: Int, territory: String) -> [String] {
        spans.entities(id, territory, at: day)
    }

    /// Each indicator's number in the span sets' keys.
    static let indicatorNumbers = caseNumbers(IndicatorID.self)

    /// How many a count indicator counts on a day in a territory.
    public func count(_ id: IndicatorID, day: Int, territory: String) -> Int {
        // Its fields read one by one, here: a method of `spans` is called on a copy of all of
        // them (it is a class's property), and a function handed the three fields retains each
        // (measured: 5.5 ms against 8.3 ms for 57,420 counts).
        guard let k = spans.keyIndex[territory], let i = spans.setIndex[LiveSpans<IndicatorID, SpanSource>.setNumber(Self.indicatorNumbers[id] ?? 0, k)],
              i < spans.setList.count else { return 0 }
        return spans.setList[i].count(at: day)
    }

    /// Every territory key some count indicator has a value in.
    public var territoryKeys: Set<String> { spans.territoryKeys }

    /// The member's gender and country of residence on a day.
    public func memberProfile(_ m: String, day: Int) -> (gender: String, country: String)? {
        members[m]?.at(day).map { ($0.gender, $0.country) }
    }

    /// The keys of the project's communes on a day, each once.
    func projectKeys(_ p: ProjectHistory, _ day: Int) -> [String] { p.keys.at(day) ?? [""] }

    /// Whether a project counts under a territory key on a day (one of its communes is in it).
    func project(_ p: ProjectHistory, isIn key: String, on day: Int) -> Bool { projectKeys(p, day).contains(key) }

    /// The projects created by a day that count under a territory key that day.
    func projects(in key: String, on day: Int) -> [(id: String, history: ProjectHistory)] {
        var out: [(id: String, history: ProjectHistory)] = []
        for id in projectsUnder[key] ?? [] {
            if let p = projects[id], p.created <= day, project(p, isIn: key, on: day) { out.append((id, p)) }
        }
        return out
    }

    /// The ids of the projects in a territory by stage on a day.
    public func projectsByStage(day: Int, key: String) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for (id, p) in projects(in: key, on: day) { out[p.stage.at(day) ?? "idea", default: []].append(id) }
        return out
    }

    /// Days from creation to ready of the projects in a territory that reached ready by the day.
    public func daysToReady(day: Int, key: String) -> [(project: String, days: Int)] {
        projects(in: key, on: day).compactMap { id, p in p.ready.flatMap { $0 <= day ? (id, $0 - p.created) : nil } }
    }

    /// Contribution ids in the log's order of their pledges.
    public func inPledgeOrder(_ ids: [String]) -> [String] {
        ids.map { (contributionRank[$0] ?? Int.max, $0) }.sorted { $0 < $1 }.map(\.1)
    }

    /// Finance and investment in a territory on a day: minor units by status and currency
    /// (each project's steps read at the day, then added).
    public func finance(day: Int, key: String) -> [String: [String: Int64]] {
        var sums: [String: [String: Int64]] = [:]
        for (pid, _) in projects(in: key, on: day) { moneyOf[pid]?.add(at: day, into: &sums) }
        return sums
    }

    /// The ids of the money contributions `finance` counts in a territory on a day, in no
    /// order (`inPledgeOrder` sorts them).
    public func financeIDs(day: Int, key: String) -> [String] {
        var ids: [String] = []
        for (pid, _) in projects(in: key, on: day) {
            for id in contributionsOf[pid] ?? [] {
                guard let c = contributions[id], c.project == pid, c.money, c.currency != nil, let status = c.status(at: day), status != "cancelled" else { continue }
                ids.append(id)
            }
        }
        return ids
    }

    /// Matches proposed, and decided (accepted or declined) by a day, in a territory, as ids.
    public func matchDecisions(day: Int, key: String) -> (proposed: [String], accepted: [String], declined: [String]) {
        var out: (proposed: [String], accepted: [String], declined: [String]) = ([], [], [])
        for (pid, _) in projects(in: key, on: day) {
            for id in matchesOf[pid] ?? [] {
                guard let m = matches[id], m.project == pid, m.proposed <= day else { continue }
                out.proposed.append(id)
                if let d = m.decided, d <= day {
                    if m.accepted { out.accepted.append(id) } else { out.declined.append(id) }
                }
            }
        }
        return out
    }

    /// Needs covered and needs not cancelled in a territory on a day, as ids.
    public func needsCovered(day: Int, key: String) -> (covered: [String], total: [String]) {
        var out: (covered: [String], total: [String]) = ([], [])
        for (pid, _) in projects(in: key, on: day) {
            for id in needsOf[pid] ?? [] {
                guard let n = needs[id], n.project == pid, n.created <= day, let status = n.status.at(day), status != "cancelled" else { continue }
                out.total.append(id)
                if status == "covered" { out.covered.append(id) }
            }
        }
        return out
    }
}

/// Sums and counts over days, in `slots`: from each day in `days`, the values and counts of
/// that step hold until the next day. Built from changes (on a day, an amount and a count
/// added to a slot, or taken away); the amounts' bounds keep every sum inside 64 bits.
struct DaySteps {
    let slots: Int
    var days: [Int] = []
    var values: [Int64] = []
    var counts: [Int] = []

    init(slots: Int, changes: [(day: Int, slot: Int, amount: Int64, count: Int)]) {
        self.slots = slots
        var running = [Int64](repeating: 0, count: slots), runningCount = [Int](repeating: 0, count: slots)
        let changes = changes.sorted { $0.day < $1.day }
        var i = 0
        while i < changes.count {
            let d = changes[i].day
            while i < changes.count, changes[i].day == d {
                let c = changes[i]
                if c.slot >= 0, c.slot < slots {
                    running[c.slot] = running[c.slot] &+ c.amount
                    runningCount[c.slot] += c.count
                }
                i += 1
            }
            days.append(d)
            values += running
            counts += runningCount
        }
    }

    /// The step that holds on day `d`: its first index in `values` and `counts` (nil before the first).
    func step(at d: Int) -> Int? {
        let lo = SpanSet.upperBound(days, d)
        return lo > 0 && lo * slots <= counts.count ? (lo - 1) * slots : nil
    }

    /// The count of `slot` on day `d`.
    func count(_ slot: Int, at d: Int) -> Int {
        guard let base = step(at: d), slot >= 0, slot < slots else { return 0 }
        return counts[base + slot]
    }

    /// The changes that count one thing in `slot` from `from` (included) to `to` (excluded).
    static func span(_ slot: Int, _ from: Int, _ to: Int, amount: Int64 = 0) -> [(day: Int, slot: Int, amount: Int64, count: Int)] {
        guard from < to else { return [] }
        return to == Int.max ? [(from, slot, amount, 1)] : [(from, slot, amount, 1), (to, slot, 0 &- amount, -1)]
    }
}

/// The money contributions of one project summed by status (pledged, confirmed, delivered)
/// and currency, as steps over days. A contribution's status on a day is the last it reached
/// by then (cancelled ends it), as `ContributionFact.status(at:)` says.
struct MoneySteps {
    static let statuses = ["pledged", "confirmed", "delivered"]
    var currencies: [String] = []
    var steps = DaySteps(slots: 0, changes: [])
    var isEmpty: Bool { steps.days.isEmpty }

    init(_ contributions: [ContributionFact]) {
        var index: [String: Int] = [:]
        var changes: [(day: Int, slot: Int, amount: Int64, count: Int)] = []
        for c in contributions where c.money {
            guard let cur = c.currency else { continue }
            let ci: Int
            if let x = index[cur] { ci = x } else { ci = currencies.count; index[cur] = ci; currencies.append(cur) }
            // The status on a day is the highest reached by then: pledged < confirmed < delivered < cancelled.
            var marks: [(day: Int, rank: Int)] = [(c.pledged, 0)]
            if let x = c.confirmed { marks.append((x, 1)) }
            if let x = c.delivered { marks.append((x, 2)) }
            if let x = c.cancelled { marks.append((x, 3)) }
            marks.sort { $0.day < $1.day }
            var current = -1, from = Int.min
            for m in marks where m.rank > current {
                if current >= 0 { changes += DaySteps.span(ci * 3 + current, from, m.day, amount: c.amount) }
                current = m.rank
                from = m.day
            }
            if current >= 0, current < 3 { changes += DaySteps.span(ci * 3 + current, from, Int.max, amount: c.amount) }
        }
        steps = DaySteps(slots: currencies.count * 3, changes: changes)
    }

    /// Adds the sums that hold on day `d` into `sums` (status → currency → minor units).
    func add(at d: Int, into sums: inout [String: [String: Int64]]) {
        guard let base = steps.step(at: d) else { return }
        for (ci, cur) in currencies.enumerated() {
            for (s, status) in Self.statuses.enumerated() {
                let at = base + ci * 3 + s
                guard at < steps.counts.count, steps.counts[at] > 0 else { continue }
                sums[status, default: [:]][cur, default: 0] = (sums[status]?[cur] ?? 0).addingSaturated(steps.values[at])
            }
        }
    }
}

extension IndicatorEngine {
    /// A project's needs as counts over days: slot 0 those not cancelled, slot 1 those covered
    /// (a need counts from its creation, by the status it has each day).
    func needSteps(_ project: String) -> DaySteps {
        var changes: [(day: Int, slot: Int, amount: Int64, count: Int)] = []
        for id in needsOf[project] ?? [] {
            guard let n = needs[id], n.project == project else { continue }
            let points = n.status.points
            for (i, p) in points.enumerated() {
                let from = max(p.day, n.created), to = i + 1 < points.count ? points[i + 1].day : Int.max
                if p.value != "cancelled" { changes += DaySteps.span(0, from, to) }
                if p.value == "covered" { changes += DaySteps.span(1, from, to) }
            }
        }
        return DaySteps(slots: 2, changes: changes)
    }

    /// A project's matches as counts over days: slot 0 proposed, 1 accepted, 2 declined.
    func matchSteps(_ project: String) -> DaySteps {
        var changes: [(day: Int, slot: Int, amount: Int64, count: Int)] = []
        for id in matchesOf[project] ?? [] {
            guard let m = matches[id], m.project == project else { continue }
            changes += DaySteps.span(0, m.proposed, Int.max)
            if let d = m.decided { changes += DaySteps.span(m.accepted ? 1 : 2, d, Int.max) }
        }
        return DaySteps(slots: 3, changes: changes)
    }

    /// Needs covered and needs not cancelled in a territory on a day, counted from the steps.
    public func needCounts(day: Int, key: String) -> (covered: Int, total: Int) {
        var out = (covered: 0, total: 0)
        for (pid, _) in projects(in: key, on: day) {
            guard let st = needStepsOf[pid] else { continue }
            out.total += st.count(0, at: day)
            out.covered += st.count(1, at: day)
        }
        return out
    }

    /// Matches proposed, accepted and declined by a day in a territory, counted from the steps.
    public func matchCounts(day: Int, key: String) -> (proposed: Int, accepted: Int, declined: Int) {
        var out = (proposed: 0, accepted: 0, declined: 0)
        for (pid, _) in projects(in: key, on: day) {
            guard let st = matchStepsOf[pid] else { continue }
            out.proposed += st.count(0, at: day)
            out.accepted += st.count(1, at: day)
            out.declined += st.count(2, at: day)
        }
        return out
    }
}
