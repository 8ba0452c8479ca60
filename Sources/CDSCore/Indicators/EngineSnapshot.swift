/// The indicator engine written as bytes and read back (Snapshot.swift): everything it
/// holds between two `extend` calls, so that an engine read from a snapshot and then
/// extended with the events after it answers as one built from the whole log.
extension IndicatorEngine {
    /// The layout of the bytes; a change of what the engine holds, or of how it folds its
    /// facts, changes it (a snapshot of another layout is built again from the log).
    public static let snapshotLayout = 4

    /// The engine as bytes (`init(snapshot:)` reads them back). Not to be called while
    /// another thread extends it.
    public func snapshot() -> [UInt8] { snapshotLater()() }

    /// What the engine holds now, and a function that writes it as bytes whenever it is called:
    /// the values are captured as they are (copy on write: nothing is copied until the engine
    /// changes), so the bytes can be made outside the engine's lock while it goes on. Not to be
    /// called while another thread extends it; the function it answers may run on any thread.
    public func snapshotLater() -> () -> [UInt8] {
        // Every value the bytes hold is in this list: a property named below without `self`
        // that is not in it does not compile.
        return { [built, members, orgs, memberChanges, orgChanges, projectChanges, needChanges, offerChanges, agreements,
                  competenceChanges, competentADCs, contributions, interactions, projects, needs, activity, matches, circleLinks,
                  deliveries, responses, learning, contributionsOf, projectsOfOrg, agreementsOf, offersOf, projectsUnder, needsOf,
                  matchesOf, interactionsOf, contributionRank, moneyOf, needStepsOf, matchStepsOf, spans, learningSpans] in
            var w = SnapshotWriter()
            w.put(built)
            w.put(members)
            w.put(orgs)
            func changes<F>(_ d: [String: [(day: Int, after: F)]], _ tag: (F) -> Facts) {
                w.dictionary(d) { w, list in w.array(list) { w, c in w.put(c.day); tag(c.after).write(to: &w) } }
            }
            changes(memberChanges, Facts.member)
            changes(orgChanges, Facts.organization)
            changes(projectChanges, Facts.project)
            changes(needChanges, Facts.need)
            changes(offerChanges, Facts.offer)
            w.dictionary(agreements) { w, a in w.put(a.org); w.put(a.from); w.put(a.until) }
            w.dictionary(competenceChanges) { w, kinds in
                w.dictionary(kinds) { w, list in w.array(list) { w, c in w.put(c.day); w.put(c.grant) } }
            }
            w.dictionary(competentADCs) { w, list in
                w.array(list) { w, c in w.put(c.commune); w.put(c.from); w.put(c.to); w.put(c.origins) }
            }
            w.put(contributions)
            w.array(interactions) { w, i in w.put(i.member); w.put(i.dorg); w.put(i.org); w.put(i.local); w.put(i.from) }
            w.put(projects)
            w.dictionary(needs) { w, n in w.put(n.project); w.put(n.created); w.put(n.status) }
            w.put(activity)
            w.dictionary(matches) { w, m in w.put(m.project); w.put(m.proposed); w.put(m.decided); w.put(m.accepted); w.put(m.member) }
            w.dictionary(circleLinks) { w, list in w.array(list) { w, l in w.put(l.day); w.put(l.inviter) } }
            w.array(deliveries) { w, d in w.put(d.member); w.put(d.channel); w.put(d.day) }
            w.put(responses)
            w.put(learning)
            for index in [contributionsOf, projectsOfOrg, agreementsOf, offersOf, projectsUnder, needsOf, matchesOf] { w.put(index) }
            w.put(interactionsOf)
            w.put(contributionRank)
            w.put(moneyOf)
            w.put(needStepsOf)
            w.put(matchStepsOf)
            // The intervals apart, read on a thread of their own (`init(snapshot:concurrently:)`).
            var intervals = SnapshotWriter()
            intervals.put(spans)
            intervals.put(learningSpans)
            return SnapshotWriter.sealed(version: IndicatorEngine.snapshotLayout, sections: [w, intervals])
        }
    }

    /// Runs two pieces of work and returns when both are done, on two threads if it can.
    public typealias Concurrently = (_ first: () -> Void, _ second: () -> Void) -> Void

    /// The engine `snapshot()` wrote. Bytes that are damaged, of another layout, or that
    /// name what they do not hold answer a `storage` error: nothing half-read is answered.
    /// The facts and the intervals are read by the two pieces of work `concurrently` runs.
    public convenience init(snapshot bytes: [UInt8], concurrently: Concurrently = { first, second in first(); second() }) throws(CDSError) {
        self.init(events: [])
        let sections = try SnapshotReader.sections(sealed: bytes, version: Self.snapshotLayout)
        guard sections.count == 2 else { throw SnapshotReader.damage("it holds \(sections.count) sections, not 2") }
        var facts = sections[0], intervals = sections[1]
        var factsError: CDSError? = nil
        var read: Result<(LiveSpans<IndicatorID, SpanSource>, LiveSpans<LearningIndicatorID, Int>), CDSError> = .failure(SnapshotReader.damage("unread"))
        concurrently({
            do throws(CDSError) { try self.readFacts(&facts) } catch { factsError = error }
        }, {
            do throws(CDSError) {
                let spans: LiveSpans<IndicatorID, SpanSource> = try intervals.get()
                let learning: LiveSpans<LearningIndicatorID, Int> = try intervals.get()
                guard intervals.isAtEnd else { throw SnapshotReader.damage("bytes are left after the intervals") }
                read = .success((spans, learning))
            } catch {
                read = .failure(error)
            }
        })
        if let factsError { throw factsError }
        switch read {
        case .success(let (spans, learning)): (self.spans, learningSpans) = (spans, learning)
        case .failure(let error): throw error
        }
    }

    /// Everything but the intervals, from the first section.
    private func readFacts(_ r: inout SnapshotReader) throws(CDSError) {
        built = try r.get()
        members = try r.get()
        orgs = try r.get()
        func changes<F>(_ r: inout SnapshotReader, _ as: (Facts) -> F?) throws(CDSError) -> [String: [(day: Int, after: F)]] {
            try r.dictionary { r throws(CDSError) in
                try r.array { r throws(CDSError) in
                    let day: Int = try r.get()
                    guard let f = `as`(try Facts(from: &r)) else { throw SnapshotReader.damage("facts of another kind") }
                    return (day, f)
                }
            }
        }
        memberChanges = try changes(&r) { if case .member(let f) = $0 { f } else { nil } }
        orgChanges = try changes(&r) { if case .organization(let f) = $0 { f } else { nil } }
        projectChanges = try changes(&r) { if case .project(let f) = $0 { f } else { nil } }
        needChanges = try changes(&r) { if case .need(let f) = $0 { f } else { nil } }
        offerChanges = try changes(&r) { if case .offer(let f) = $0 { f } else { nil } }
        agreements = try r.dictionary { r throws(CDSError) in (try r.get(), try r.get(), try r.get()) }
        competenceChanges = try r.dictionary { r throws(CDSError) in
            try r.dictionary { r throws(CDSError) in try r.array { r throws(CDSError) in (try r.get(), try r.get()) } }
        }
        competentADCs = try r.dictionary { r throws(CDSError) in
            try r.array { r throws(CDSError) in (try r.get(), try r.get(), try r.get(), try r.get()) }
        }
        contributions = try r.get()
        interactions = try r.array { r throws(CDSError) in (try r.get(), try r.get(), try r.get(), try r.get(), try r.get()) }
        projects = try r.get()
        needs = try r.dictionary { r throws(CDSError) in (try r.get(), try r.get(), try r.get()) }
        activity = try r.get()
        matches = try r.dictionary { r throws(CDSError) in (try r.get(), try r.get(), try r.get(), try r.get(), try r.get()) }
        circleLinks = try r.dictionary { r throws(CDSError) in try r.array { r throws(CDSError) in (try r.get(), try r.get()) } }
        deliveries = try r.array { r throws(CDSError) in (try r.get(), try r.get(), try r.get()) }
        responses = try r.get()
        learning = try r.get()
        contributionsOf = try r.get()
        projectsOfOrg = try r.get()
        agreementsOf = try r.get()
        offersOf = try r.get()
        projectsUnder = try r.get()
        needsOf = try r.get()
        matchesOf = try r.get()
        interactionsOf = try r.get()
        contributionRank = try r.get()
        moneyOf = try r.get()
        needStepsOf = try r.get()
        matchStepsOf = try r.get()
        guard r.isAtEnd else { throw SnapshotReader.damage("bytes are left after the facts") }
        // The interactions are read by their place in the list: each must be there.
        for list in interactionsOf.values where list.contains(where: { $0 < 0 || $0 >= interactions.count }) {
            throw SnapshotReader.damage("an interaction is not in the list")
        }
    }

    /// The facts of a change, tagged by kind (the five kinds share one writer).
    enum Facts: Snapshotted {
        case member(MemberFacts), organization(OrganizationFacts), project(ProjectEventFacts), need(NeedFacts), offer(OfferFacts)

        func write(to w: inout SnapshotWriter) {
            switch self {
            case .member(let f):
                w.int(0); w.put(f.roles); w.put(f.heartDiaspora); w.put(f.gender); w.put(f.residenceCountry); w.put(f.origin); w.put(f.adcCommune); w.put(f.invitedBy)
            case .organization(let f): w.int(1); w.put(f.kind); w.put(f.country); w.put(f.territory)
            case .project(let f): w.int(2); w.put(f.id); w.put(f.communes); w.put(f.partners); w.put(f.leadOrganization); w.put(f.stage)
            case .need(let f): w.int(3); w.put(f.project); w.put(f.status)
            case .offer(let f): w.int(4); w.put(f.member); w.put(f.organization); w.put(f.territories); w.put(f.status)
            }
        }

        init(from r: inout SnapshotReader) throws(CDSError) {
            switch try r.int() {
            case 0:
                var f = MemberFacts()
                f.roles = try r.get(); f.heartDiaspora = try r.get(); f.gender = try r.get(); f.residenceCountry = try r.get()
                f.origin = try r.get(); f.adcCommune = try r.get(); f.invitedBy = try r.get()
                self = .member(f)
            case 1:
                var f = OrganizationFacts()
                f.kind = try r.get(); f.country = try r.get(); f.territory = try r.get()
                self = .organization(f)
            case 2:
                var f = ProjectEventFacts()
                f.id = try r.get(); f.communes = try r.get(); f.partners = try r.get(); f.leadOrganization = try r.get(); f.stage = try r.get()
                self = .project(f)
            case 3:
                var f = NeedFacts()
                f.project = try r.get(); f.status = try r.get()
                self = .need(f)
            case 4:
                var f = OfferFacts()
                f.member = try r.get(); f.organization = try r.get(); f.territories = try r.get(); f.status = try r.get()
                self = .offer(f)
            default: throw SnapshotReader.damage("facts of no known kind")
            }
        }
    }
}

extension Timeline: Snapshotted where T: Snapshotted {
    func write(to w: inout SnapshotWriter) { w.array(points) { w, p in w.put(p.day); w.put(p.value) } }
    init(from r: inout SnapshotReader) throws(CDSError) {
        self.init()
        points = try r.array { r throws(CDSError) in (try r.get(), try r.get()) }
    }
}

extension MemberAttrs: Snapshotted {
    func write(to w: inout SnapshotWriter) {
        w.put(diaspora); w.put(adc); w.put(facilitator); w.put(invitedBy); w.put(gender); w.put(country); w.put(origin); w.put(adcCommune)
    }
    init(from r: inout SnapshotReader) throws(CDSError) {
        self.init()
        diaspora = try r.get(); adc = try r.get(); facilitator = try r.get(); invitedBy = try r.get()
        gender = try r.get(); country = try r.get(); origin = try r.get(); adcCommune = try r.get()
    }
}

extension OrgAttrs: Snapshotted {
    func write(to w: inout SnapshotWriter) { w.put(kind); w.put(country); w.put(territory) }
    init(from r: inout SnapshotReader) throws(CDSError) {
        self.init()
        kind = try r.get(); country = try r.get(); territory = try r.get()
    }
}

extension ProjectHistory: Snapshotted {
    func write(to w: inout SnapshotWriter) { w.put(created); w.put(ready); w.put(communes); w.put(orgs); w.put(stage); w.put(keys) }
    init(from r: inout SnapshotReader) throws(CDSError) {
        self.init()
        created = try r.get(); ready = try r.get(); communes = try r.get(); orgs = try r.get(); stage = try r.get(); keys = try r.get()
    }
}

extension ContributionFact: Snapshotted {
    func write(to w: inout SnapshotWriter) {
        w.put(id); w.put(project); w.put(member); w.put(organization); w.put(money); w.put(currency); w.put(amount)
        w.put(pledged); w.put(confirmed); w.put(delivered); w.put(cancelled)
    }
    init(from r: inout SnapshotReader) throws(CDSError) {
        self.init()
        id = try r.get(); project = try r.get(); member = try r.get(); organization = try r.get(); money = try r.get()
        currency = try r.get(); amount = try r.get(); pledged = try r.get(); confirmed = try r.get(); delivered = try r.get(); cancelled = try r.get()
    }
}

extension CompetenceOrigin: Snapshotted {
    func write(to w: inout SnapshotWriter) { w.put(kind); w.put(id); w.put(module); w.put(criteriaVersion) }
    init(from r: inout SnapshotReader) throws(CDSError) {
        self.init(kind: try r.get(), id: try r.get(), module: try r.get(), criteriaVersion: try r.get())
    }
}

extension Inviter: Snapshotted {
    func write(to w: inout SnapshotWriter) {
        switch self {
        case .member(let m): w.int(0); w.put(m)
        case .organization(let o): w.int(1); w.put(o)
        }
    }
    init(from r: inout SnapshotReader) throws(CDSError) {
        switch try r.int() {
        case 0: self = .member(try r.get())
        case 1: self = .organization(try r.get())
        default: throw SnapshotReader.damage("an inviter of no known kind")
        }
    }
}

extension LearningFacts: Snapshotted {
    func write(to w: inout SnapshotWriter) {
        w.put(spaceTerritory)
        w.put(eventSpace)
        w.dictionary(resources) { w, x in w.put(x.space); w.put(x.language); w.put(x.day) }
        w.put(resourceOrder)
        w.dictionary(posts) { w, x in w.put(x.space); w.put(x.author) }
        w.array(participations) { w, x in w.put(x.member); w.put(x.day) }
        w.array(spaceActivity) { w, x in w.put(x.space); w.put(x.day) }
        w.array(resourceUses) { w, x in w.put(x.resource); w.put(x.member); w.put(x.day) }
        w.array(attendances) { w, x in w.put(x.event); w.put(x.day) }
        w.array(completions) { w, x in w.put(x.member); w.put(x.day) }
    }
    init(from r: inout SnapshotReader) throws(CDSError) {
        self.init()
        spaceTerritory = try r.get()
        eventSpace = try r.get()
        resources = try r.dictionary { r throws(CDSError) in (try r.get(), try r.get(), try r.get()) }
        resourceOrder = try r.get()
        posts = try r.dictionary { r throws(CDSError) in (try r.get(), try r.get()) }
        participations = try r.array { r throws(CDSError) in (try r.get(), try r.get()) }
        spaceActivity = try r.array { r throws(CDSError) in (try r.get(), try r.get()) }
        resourceUses = try r.array { r throws(CDSError) in (try r.get(), try r.get(), try r.get()) }
        attendances = try r.array { r throws(CDSError) in (try r.get(), try r.get()) }
        completions = try r.array { r throws(CDSError) in (try r.get(), try r.get()) }
    }
}

extension IndicatorEngine.SpanSource: Snapshotted {
    func write(to w: inout SnapshotWriter) {
        switch self {
        case .contribution(let x): w.int(0); w.put(x)
        case .agreement(let x): w.int(1); w.put(x)
        case .offer(let x): w.int(2); w.put(x)
        case .member(let x): w.int(3); w.put(x)
        case .interaction(let n): w.int(4); w.put(n)
        case .activity(let x): w.int(5); w.put(x)
        }
    }
    init(from r: inout SnapshotReader) throws(CDSError) {
        switch try r.int() {
        case 0: self = .contribution(try r.get())
        case 1: self = .agreement(try r.get())
        case 2: self = .offer(try r.get())
        case 3: self = .member(try r.get())
        case 4: self = .interaction(try r.get())
        case 5: self = .activity(try r.get())
        default: throw SnapshotReader.damage("a source of no known kind")
        }
    }
}

extension DaySteps: Snapshotted {
    func write(to w: inout SnapshotWriter) { w.put(slots); w.put(days); w.put(values); w.put(counts) }
    init(from r: inout SnapshotReader) throws(CDSError) {
        self.init(slots: try r.count(), changes: [])
        days = try r.get(); values = try r.get(); counts = try r.get()
        guard values.count == counts.count, days.count.multipliedReportingOverflow(by: slots) == (counts.count, false) else {
            throw SnapshotReader.damage("steps of \(slots) slots over \(days.count) days hold \(counts.count) counts")
        }
    }
}

extension MoneySteps: Snapshotted {
    func write(to w: inout SnapshotWriter) { w.put(currencies); w.put(steps) }
    init(from r: inout SnapshotReader) throws(CDSError) {
        self.init([])
        currencies = try r.get(); steps = try r.get()
        guard currencies.count.multipliedReportingOverflow(by: 3) == (steps.slots, false) else { throw SnapshotReader.damage("money steps of another number of currencies") }
    }
}
