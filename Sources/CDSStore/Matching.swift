import CDSCore
import Dispatch
import GRDB
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The options of an allocation.
public struct AllocationOptions: Sendable {
    /// Candidates per need taken into the graph (its k best offers).
    public var candidates: Int = 20
    /// Offers one need takes.
    public var needSlots: Int = 1
    /// Needs one offer serves.
    public var offerSlots: Int = 1
    /// Fairness: the most needs the offers of one member may serve.
    public var maxPerMember: Int?
    /// Options (the needs allocated are given to `allocate`).
    public init(candidates: Int = 20, needSlots: Int = 1, offerSlots: Int = 1, maxPerMember: Int? = nil) {
        self.candidates = candidates; self.needSlots = needSlots; self.offerSlots = offerSlots; self.maxPerMember = maxPerMember
    }
}

/// An allocation of offers to needs over the candidate graph.
public struct AllocationResult: Sendable {
    /// The pairs chosen, by need then offer, each with its score in [0, 1].
    public var pairs: [MatchHit]
    /// The sum of the chosen integer scores (the maximum).
    public var objective: Int
    /// Edges in the candidate graph.
    public var edges: Int
    /// Shortest-path phases of the solver.
    public var phases: Int
}

extension MatchIndex {
    /// The `k` best offers for every need in `needs` (all by default), on `threads`
    /// threads; `progress` is called with the number of needs done (from any thread,
    /// serialized).
    /// serialized). Once `stop` is interrupted, no thread takes more work and the answer is
    /// partial: the caller checks `stop` afterwards.
    public func topOffersForAll(needs: [Int]? = nil, k: Int, threads: Int = Store.processors,
                                progress: (@Sendable (Int) -> Void)? = nil, stop: InterruptToken = .never) -> [[MatchHit]] {
        let list = needs ?? Array(self.needs.indices)
        let box = ResultBox(count: list.count)
        let workers = max(1, min(threads, list.count))
        let chunk = max(1, min(64, (list.count + workers - 1) / workers))
        let next = Counter()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let start = next.take(chunk)
                if start >= list.count || stop.isInterrupted { break }
                let end = min(start + chunk, list.count)
                for i in start..<end { box.set(i, topOffers(need: list[i], k: k)) }
                if let progress { next.report(end - start, progress) }
            }
        }
        return box.collected
    }

    /// The `k` best offers for one need, its scan shared by up to `threads` threads: one
    /// per 25,000 offers, since a thread's start and a second top-k cost more than they
    /// save on fewer (at 10,000 offers, 0.10 ms on two threads against 0.05 ms on one).
    /// The offers `excluded` (by their place in the index) are left out.
    public func topOffersParallel(need n: Int, k: Int, threads: Int = Store.processors, excluding excluded: Set<Int> = []) -> [MatchHit] {
        let parts = max(1, min(threads, 16, offers.count / 25_000))
        if parts == 1 { return topOffers(need: n, k: k, part: 0, of: 1, excluding: excluded) }
        let box = ResultBox(count: parts)
        DispatchQueue.concurrentPerform(iterations: parts) { p in box.set(p, topOffers(need: n, k: k, part: p, of: parts, excluding: excluded)) }
        return MatchIndex.merge(box.collected, k: k)
    }

    /// An exact allocation over the graph of each need's `options.candidates` best offers.
    public func allocate(_ options: AllocationOptions, needs list: [Int]? = nil, threads: Int = Store.processors,
                         progress: (@Sendable (Int) -> Void)? = nil, stop: InterruptToken = .never) throws(CDSError) -> AllocationResult {
        let tops = topOffersForAll(needs: list, k: options.candidates, threads: threads, progress: progress, stop: stop)
        try stop.check()
        var edges: [(need: Int, offer: Int, score: Int)] = []
        for hits in tops { for h in hits where h.score > 0 { edges.append((h.need, h.offer, h.score)) } }
        var groupOf: [String: Int] = [:]
        let group: [Int] = offers.map { o in
            guard options.maxPerMember != nil, o.ownerIsMember else { return -1 }
            if let g = groupOf[o.owner] { return g }
            groupOf[o.owner] = groupOf.count
            return groupOf.count - 1
        }
        let problem = AllocationProblem(edges: edges, needSlots: Array(repeating: options.needSlots, count: needs.count),
                                        offerSlots: Array(repeating: options.offerSlots, count: offers.count), group: group, groupCap: options.maxPerMember)
        let a = try Allocator.solve(problem, stop: stop)
        return AllocationResult(pairs: a.chosen.map { MatchHit(need: edges[$0].need, offer: edges[$0].offer, score: edges[$0].score) },
                                objective: a.objective, edges: edges.count, phases: a.phases)
    }
}

/// Results written by several threads, each to its own slot.
final class ResultBox: @unchecked Sendable {
    private let base: UnsafeMutablePointer<[MatchHit]>
    init(count: Int) {
        base = .allocate(capacity: max(count, 1))
        base.initialize(repeating: [], count: max(count, 1))
        self.count = count
    }
    let count: Int
    func set(_ i: Int, _ v: [MatchHit]) { base[i] = v }
    deinit { base.deinitialize(count: max(count, 1)); base.deallocate() }
}

extension ResultBox {
    /// The slots, once every thread is done.
    var collected: [[MatchHit]] { Array(UnsafeBufferPointer(start: base, count: count)) }
}

/// A shared counter handing out work and reporting progress under a lock.
final class Counter: Sendable {
    /// Work handed out and work done; a `Mutex` has a stable address, unlike a stored `pthread_mutex_t`.
    private let state = Mutex((value: 0, done: 0))
    func take(_ n: Int) -> Int {
        state.withLock { s in
            let v = s.value
            s.value += n
            return v
        }
    }
    func report(_ n: Int, _ progress: @Sendable (Int) -> Void) {
        state.withLock { s in
            s.done += n
            progress(s.done)
        }
    }
}

extension Store {
    /// The processors online (the default number of matching threads).
    public static var processors: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    // MARK: - Weights

    /// The weights of the match score in this database (the standard ones until set).
    public func matchWeights() throws(CDSError) -> MatchWeights {
        try read { db in try Store.matchWeights(db) }
    }

    static func matchWeights(_ db: Database) throws -> MatchWeights {
        guard let r = try storedRow(db, "setting", sql: "SELECT value FROM setting WHERE key = 'match.weights'") else { return .standard }
        return try r.document("value") { j throws(CDSError) in try MatchWeights(json: j, base: .standard) }
    }

    /// Sets some of the weights (the others keep theirs); logs `match.weights_set`.
    public func setMatchWeights(_ json: JSON, change: Change = Change()) throws(CDSError) -> MatchWeights {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            let before = try Store.matchWeights(db)
            let after = try MatchWeights(json: json, base: before)
            try Store.exec(db, sql: "INSERT INTO setting(key, value) VALUES ('match.weights', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [after.json.text])
            try Store.appendEvent(db, type: MatchWeightsSet.type, subject: "match.weights", change: change, recordedAt: now,
                                  payload: MatchWeightsSet.payload(before: before, after: after))
            return after
        }
    }

    // MARK: - The index

    static func matchTaxonomy(_ db: Database) throws -> MatchTaxonomy {
        var parents: [String: String] = [:]
        var names: [String: Labels] = [:]
        for r in try storedRows(db, "reference_item", sql: "SELECT dataset, code, parent, label_en, label_fr, label_ar FROM reference_item WHERE dataset IN ('skills', 'languages', 'pac_sectors')") {
            let code = try r.text("code")
            // A label the source lacks falls back to another language: the labels are nullable.
            let en = try r.optionalText("label_en") ?? code
            let fr = try r.optionalText("label_fr")
            if try r.text("dataset") == "skills", let p = try r.optionalText("parent") { parents[code] = p }
            names[code] = Labels(fr: fr ?? en, ar: try r.optionalText("label_ar") ?? fr ?? en, en: en)
        }
        var territories: [String: (level: TerritoryLevel, parent: String?)] = [:]
        for r in try storedRows(db, "territory", sql: "SELECT code, level, parent, name_fr, name_ar FROM territory") {
            let code = try r.text("code")
            territories[code] = (try r.code("level", TerritoryLevel.self), try r.optionalText("parent"))
            let fr = try r.text("name_fr")
            names[code] = Labels(fr: fr, ar: try r.text("name_ar"), en: fr)
        }
        return MatchTaxonomy(skillParent: parents, territories: territories, names: names)
    }

    /// The matcher over every eligible offer and open need, or (given `need` and `offer`)
    /// over that one pair, reading only its rows.
    static func buildMatchIndex(_ db: Database, need onlyNeed: String? = nil, offer onlyOffer: String? = nil) throws -> MatchIndex {
        let inputs = try matchInputs(db, offers: onlyOffer.map { [$0] }, needs: onlyNeed.map { [$0] })
        return try MatchIndex(offers: inputs.offers, needs: inputs.needs, taxonomy: try matchTaxonomy(db), weights: try matchWeights(db))
    }

    /// What the matcher is built from: the eligible offers among `offers` and the open needs
    /// among `needs` (nil: all of them; an empty list reads none), each as the matcher sees
    /// it (an offer's capacity left, a need's quantity still lacking, its project's communes
    /// and sector, the offers declined for it). The ids not answered are not matchable now.
    static func matchInputs(_ db: Database, offers onlyOffers: [String]?, needs onlyNeeds: [String]?) throws -> (offers: [MatchOffer], needs: [MatchNeed]) {
        var offers: [MatchOffer] = []
        var needs: [MatchNeed] = []
        if onlyOffers?.isEmpty != true { offers = try matchOffers(db, onlyOffers) }
        if onlyNeeds?.isEmpty != true { needs = try matchNeeds(db, onlyNeeds) }
        return (offers, needs)
    }

    /// The ids as the one SQL argument `among` reads (none for all).
    static func idList(_ ids: [String]?) -> StatementArguments { ids.map { [JSON.strings($0).text] } ?? [] }

    /// The condition "`column` is one of the ids" (always true for all), written so that
    /// SQLite searches the column's index for each id rather than scanning the table. The
    /// other conditions of these queries are written `+status`: SQLite does not know how
    /// few ids `json_each` gives and would otherwise scan every active offer by status.
    static func among(_ column: String, _ ids: [String]?) -> String { ids == nil ? "1" : "\(column) IN (SELECT value FROM json_each(?1))" }

    static func matchOffers(_ db: Database, _ only: [String]?) throws -> [MatchOffer] {
        let offerArgument = idList(only)
        // Capacity taken by the contributions of accepted matches, by offer.
        var used: [String: Int64] = [:]
        // Summed here, saturated, not by SQLite's SUM, which fails the whole query on an overflow.
        for r in try storedRows(db, "contribution", sql: """
            SELECT m.offer AS offer, json_extract(c.doc, '$.quantity.amount') AS "doc.quantity.amount"
            FROM match m JOIN contribution c ON c.id = m.contribution
            WHERE c.status <> 'cancelled' AND \(among("m.offer", only))
            """, arguments: offerArgument) {
            let offer = try r.text("offer")
            used[offer] = (used[offer] ?? 0).addingSaturated(try r.value("doc.quantity.amount", Int64.self))
        }
        var languages: [String: [String]] = [:], skills: [String: [String]] = [:]
        let ofOfferer = only == nil ? "1" : "member IN (SELECT member FROM offer WHERE id IN (SELECT value FROM json_each(?1)))"
        for r in try storedRows(db, "member_language", sql: "SELECT member, language FROM member_language WHERE \(ofOfferer)", arguments: offerArgument) {
            languages[try r.text("member"), default: []].append(try r.text("language"))
        }
        for r in try storedRows(db, "member_skill", sql: "SELECT member, skill FROM member_skill WHERE \(ofOfferer)", arguments: offerArgument) {
            skills[try r.text("member"), default: []].append(try r.text("skill"))
        }
        var offers: [MatchOffer] = []
        for r in try storedRows(db, "offer", sql: """
            SELECT o.doc AS doc, o.member AS member, o.organization AS organization, m.id AS member_found, g.id AS organization_found,
              m.origin AS origin, m.residence_country AS member_country, g.territory AS org_territory, g.country AS org_country
            FROM offer o
            LEFT JOIN member m ON m.id = o.member
            LEFT JOIN organization g ON g.id = o.organization
            WHERE +o.status = 'active' AND \(among("o.id", only))
              AND (o.member IS NULL OR (m.erased_at IS NULL AND EXISTS (
                SELECT 1 FROM consent c WHERE c.member = o.member AND c.purpose = 'contact' AND c.withdrawn_at IS NULL)))
            """, arguments: offerArgument) {
            let o = try r.document { j throws(CDSError) in try Offer(json: j) }
            // An offerer the foreign key no longer finds is damage, not an offer without one.
            if let m = try r.optionalText("member"), try r.optionalText("member_found") == nil { throw r.damage("member", "no member \"\(m)\"") }
            if let g = try r.optionalText("organization"), try r.optionalText("organization_found") == nil { throw r.damage("organization", "no organization \"\(g)\"") }
            guard o.contactConsent else { continue }
            let (left, overflow) = o.capacity.amount.subtractingReportingOverflow(used[o.id] ?? 0)
            guard !overflow else { throw StoredRow.damage("contribution", "doc.quantity.amount", "the amounts pledged on offer \(o.id) exceed the integers") }
            guard left > 0 else { continue }
            let owner = o.member ?? o.organization ?? ""
            let isMember = o.member != nil
            // The owner's columns, read from the joined member or organization row.
            let ownerRow = StoredRow(r.row, of: isMember ? "member" : "organization")
            let country = try isMember ? ownerRow.optionalText("member_country") : ownerRow.optionalText("org_country")
            offers.append(MatchOffer(
                id: o.id, owner: owner, ownerIsMember: isMember, kind: o.kind,
                skills: Array(Set(o.skills + (isMember ? skills[owner] ?? [] : []))).sorted(),
                capacity: Quantity(unit: o.capacity.unit, amount: left, currency: o.capacity.currency), windows: o.windows,
                remote: o.remote, onSite: o.onSite, languages: Array(Set(o.languages + (isMember ? languages[owner] ?? [] : []))).sorted(),
                origin: try isMember ? ownerRow.optionalText("origin") : ownerRow.optionalText("org_territory"), interests: o.territories, sectors: o.sectors, abroad: (country ?? "MA") != "MA"))
        }
        return offers
    }

    static func matchNeeds(_ db: Database, _ only: [String]?) throws -> [MatchNeed] {
        let needArgument = idList(only)
        var projects: [String: Project] = [:]
        for p in try documents(db, "project", sql: "SELECT doc FROM project WHERE \(only == nil ? "1" : "id IN (SELECT project FROM need WHERE id IN (SELECT value FROM json_each(?1)))")",
                               arguments: needArgument, { j throws(CDSError) in try Project(json: j) }) {
            projects[p.id] = p
        }
        var declined: [String: [String]] = [:]
        for r in try storedRows(db, "match", sql: "SELECT need, offer FROM match WHERE +status = 'declined' AND \(among("need", only))", arguments: needArgument) {
            declined[try r.text("need"), default: []].append(try r.text("offer"))
        }
        var taken: [String: Int64] = [:]
        for r in try storedRows(db, "contribution", sql: """
            SELECT need, json_extract(doc, '$.quantity.amount') AS "doc.quantity.amount" FROM contribution
            WHERE need IS NOT NULL AND status <> 'cancelled' AND \(among("need", only))
            """, arguments: needArgument) {
            let need = try r.text("need")
            taken[need] = (taken[need] ?? 0).addingSaturated(try r.value("doc.quantity.amount", Int64.self))
        }
        var needs: [MatchNeed] = []
        for n in try documents(db, "need", sql: "SELECT doc FROM need WHERE +status IN ('open', 'partly_covered') AND \(among("id", only))",
                               arguments: needArgument, { j throws(CDSError) in try Need(json: j) }) {
            guard let p = projects[n.project], !p.stage.isTerminal else { continue }
            let (left, overflow) = n.quantity.amount.subtractingReportingOverflow(taken[n.id] ?? 0)
            guard !overflow else { throw StoredRow.damage("contribution", "doc.quantity.amount", "the amounts pledged to need \(n.id) exceed the integers") }
            guard left > 0 else { continue }
            needs.append(MatchNeed(id: n.id, project: n.project, kind: n.kind, skills: n.skills,
                                   remaining: Quantity(unit: n.quantity.unit, amount: left, currency: n.quantity.currency),
                                   from: n.from, until: n.until, mode: n.mode, languages: n.languages, communes: p.communes, sector: p.sector,
                                   declined: declined[n.id] ?? []))
        }
        return needs
    }

    /// Why an existing need is left out of matching (`conflict`).
    public func notMatchable(need id: String) throws(CDSError) -> CDSError {
        try read { db in
            guard let n = try Store.fetchNeed(db, id) else { throw CDSError.notFound("need", id) }
            return try Store.notMatchable(db, need: n)
        }
    }

    /// Why an existing offer is left out of matching (`conflict`).
    public func notMatchable(offer id: String) throws(CDSError) -> CDSError {
        try read { db in
            guard let o = try Store.fetchOffer(db, id) else { throw CDSError.notFound("offer", id) }
            return try Store.notMatchable(db, offer: o)
        }
    }

    static func notMatchable(_ db: Database, need n: Need) throws -> CDSError {
        let stage = try fetchProject(db, n.project)?.stage
        let why = n.status != .open && n.status != .partlyCovered ? "it is \(n.status.rawValue)"
            : stage?.isTerminal == true ? "its project is \(stage?.rawValue ?? "")" : "its quantity is fully pledged"
        return CDSError(.conflict, "need \(n.id) is not open to matching: \(why)")
    }

    static func notMatchable(_ db: Database, offer o: Offer) throws -> CDSError {
        let consent = try o.member.map { m in
            try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM consent c JOIN member m ON m.id = c.member
                               WHERE c.member = ? AND c.purpose = 'contact' AND c.withdrawn_at IS NULL AND m.erased_at IS NULL)
                """, arguments: [m]) ?? false
        } ?? true
        let why = o.status != .active ? "it is \(o.status.rawValue)"
            : !o.contactConsent ? "its offerer has not agreed to be contacted about it"
            : !consent ? "its offerer has not given, or has withdrawn, the consent to be contacted"
            : "it has no capacity left"
        return CDSError(.conflict, "offer \(o.id) is not open to matching: \(why)")
    }

    // MARK: - Proposals

    static func fetchMatch(_ db: Database, _ id: String) throws -> Match? {
        try document(db, "match", id: id) { j throws(CDSError) in try Match(json: j) }
    }

    /// The match `id`, or `not_found`.
    public func match(_ id: String) throws(CDSError) -> Match {
        let m = try read { db in try Store.fetchMatch(db, id) }
        guard let m else { throw CDSError.notFound("match", id) }
        return m
    }

    static func save(_ m: Match, _ db: Database, insert: Bool) throws {
        if insert {
            try Store.exec(db, sql: """
                INSERT INTO match(id, need, offer, member, organization, status, contribution, doc, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [m.id, m.need, m.offer, m.member, m.organization, m.status.rawValue, m.contribution, m.json.text,
                                 m.createdAt.millisecondsSinceEpoch, m.updatedAt.millisecondsSinceEpoch])
        } else {
            try Store.exec(db, sql: "UPDATE match SET status = ?, contribution = ?, doc = ?, updated_at = ? WHERE id = ?",
                           arguments: [m.status.rawValue, m.contribution, m.json.text, m.updatedAt.millisecondsSinceEpoch, m.id])
        }
    }

    /// Proposes an offer for a need: the pair must meet every hard constraint now; it is
    /// stored with its explanation; logs `match.proposed`. A pair is proposed once.
    public func proposeMatch(need: String, offer: String, change: Change = Change()) throws(CDSError) -> Match {
        let now = self.now
        return try write { db in
            try Store.checkActor(db, change)
            guard let n = try Store.fetchNeed(db, need) else { throw CDSError.notFound("need", need) }
            guard let o = try Store.fetchOffer(db, offer) else { throw CDSError.notFound("offer", offer) }
            // A pair is proposed once; an accepted one whose pledge was cancelled may be proposed again.
            var reopened: Match? = nil
            if let existing = try Store.documents(db, "match", sql: "SELECT doc FROM match WHERE need = ? AND offer = ?", arguments: [need, offer],
                                                  { j throws(CDSError) in try Match(json: j) }).first {
                let cancelled = try existing.contribution.map { c in
                    try Store.storedRow(db, "contribution", sql: "SELECT status FROM contribution WHERE id = ?", arguments: [c])?
                        .code("status", ContributionStatus.self) == .cancelled
                } ?? false
                guard existing.status == .accepted, cancelled else {
                    throw CDSError(.conflict, "offer \(offer) was already \(existing.status.rawValue) for need \(need)")
                }
                reopened = existing
            }
            let index = try Store.buildMatchIndex(db, need: need, offer: offer)
            guard let ni = index.needIndex(need) else { throw try Store.notMatchable(db, need: n) }
            guard let oi = index.offerIndex(offer) else { throw try Store.notMatchable(db, offer: o) }
            guard let explanation = index.explain(need: ni, offer: oi) else {
                throw CDSError(.conflict, "offer \(offer) does not meet the hard constraints of need \(need) (kind, languages, on site and window)")
            }
            var m = Match(id: reopened?.id ?? Identifier.make("mch"), need: need, offer: offer, project: n.project, member: o.member,
                          organization: o.organization, score: explanation.score, explanation: explanation.json, at: change.at ?? now)
            if let reopened { m.createdAt = reopened.createdAt }
            try Store.save(m, db, insert: reopened == nil)
            try Store.appendEvent(db, type: .matchProposed, subject: m.id, change: change, recordedAt: now, payload: MatchEvents.payload(m))
            return m
        }
    }

    /// Accepts a proposed match: pledges a contribution of `quantity` (default: what the
    /// offer has left, at most what the need lacks) in the same transaction; logs
    /// `match.accepted` and `contribution.pledged`.
    public func acceptMatch(_ id: String, quantity: Int64? = nil, on day: LocalDate? = nil, note: String? = nil, change: Change = Change()) throws(CDSError) -> (Match, Contribution) {
        let now = self.now
        return try write { db in
            let before = try Store.proposedMatch(db, id, change: change)
            guard let need = try Store.fetchNeed(db, before.need) else { throw CDSError.notFound("need", before.need) }
            let index = try Store.buildMatchIndex(db, need: before.need, offer: before.offer)
            guard let ni = index.needIndex(before.need), let oi = index.offerIndex(before.offer), index.score(need: ni, offer: oi) != nil else {
                throw CDSError(.conflict, "the match no longer holds: the need is covered or closed, the offer has no capacity left or was withdrawn, or consent was withdrawn")
            }
            let left = index.offers[oi].capacity, lacking = index.needs[ni].remaining
            let comparable = left.unit == lacking.unit && left.currency == lacking.currency
            let amount = quantity ?? (comparable ? min(left.amount, lacking.amount) : lacking.amount)
            guard amount > 0 else { throw CDSError.invalid("quantity", "must be at least 1") }
            if comparable, amount > left.amount { throw CDSError.invalid("quantity", "the offer has \(left.amount) left") }
            let c = try Store.pledge(db, project: before.project, change: change, now: now) { (c: inout Contribution) throws(CDSError) in
                c.need = before.need; c.member = before.member; c.organization = before.organization; c.kind = need.kind
                c.quantity = Quantity(unit: need.quantity.unit, amount: amount, currency: need.quantity.currency)
                if let day { c.pledgedOn = day }
                c.note = note; c.match = id
            }
            var after = before
            after.status = .accepted
            after.contribution = c.id
            after.updatedAt = change.at ?? now
            try Store.save(after, db, insert: false)
            try Store.appendEvent(db, type: .matchAccepted, subject: id, change: change, recordedAt: now, payload: MatchEvents.payload(after))
            return (after, c)
        }
    }

    /// The match `id`, still proposed, for a decision by a known actor at a time not before its last event.
    static func proposedMatch(_ db: Database, _ id: String, change: Change) throws -> Match {
        try checkActor(db, change)
        guard let m = try fetchMatch(db, id) else { throw CDSError.notFound("match", id) }
        guard m.status == .proposed else { throw CDSError(.conflict, "match \(id) is \(m.status.rawValue)") }
        try checkChronology(db, subject: id, at: change.at)
        return m
    }

    /// Declines a proposed match (the pair is never proposed again); logs `match.declined`.
    public func declineMatch(_ id: String, reason: String? = nil, change: Change = Change()) throws(CDSError) -> Match {
        let now = self.now
        return try write { db in
            let before = try Store.proposedMatch(db, id, change: change)
            var after = before
            after.status = .declined
            after.reason = try Validate.optionalText(reason, field: "reason", max: Limits.note)
            after.updatedAt = change.at ?? now
            try Store.save(after, db, insert: false)
            try Store.appendEvent(db, type: .matchDeclined, subject: id, change: change, recordedAt: now, payload: MatchEvents.payload(after))
            return after
        }
    }

    /// Matches by need, offer, member, project and status, in proposal order.
    public func matches(need: String? = nil, offer: String? = nil, member: String? = nil, project: String? = nil, status: MatchStatus? = nil,
                        limit: Int = 100, cursor: Int64 = 0) throws(CDSError) -> Page<Match> {
        try read { db in
            var w: [(String, [any DatabaseValueConvertible])] = []
            if let need { w.append(("need = ?", [need])) }
            if let offer { w.append(("offer = ?", [offer])) }
            if let member { w.append(("member = ?", [member])) }
            if let project { w.append(("json_extract(doc, '$.project') = ?", [project])) }
            if let status { w.append(("status = ?", [status.rawValue])) }
            return try Store.documentPage(db, table: "match", where: w, limit: limit, cursor: cursor) { j throws(CDSError) in try Match(json: j) }
        }
    }
}
