import CDSCore
import GRDB
import Dispatch
import Synchronization

/// One scored pair and the index that scored it (whose `needs`, `offers` and `explain` its
/// indexes point into).
public struct ScoredPair: Sendable {
    /// The index holding the pair.
    public let index: MatchIndex
    /// The pair and its score.
    public let hit: MatchHit
}

/// The matcher as of one state of the log, kept current as the CDS is written to: an index
/// built once (the base) and what changed since, read from the rows the new events touch.
/// A changed offer or need is left out of the base's answers (a tombstone) and scored again
/// in a small index of its own; the answers are those of an index built afresh from the
/// whole database, ties broken on the same ids. The base is rebuilt from memory (never from
/// the database) when the changes pile up, when a query needs a changed need scored against
/// every offer, or for the calls over every need (`match.all`, `match.allocate`).
public struct MatchView: Sendable {
    /// The index built last.
    public let base: MatchIndex
    /// The offers and needs added, changed or gone since the base was built.
    let changedOffers: Set<String>, changedNeeds: Set<String>
    /// The current version of the changed ones that are still matchable.
    let overlayOffers: [MatchOffer], overlayNeeds: [MatchNeed]
    /// The base's offers by owner.
    let baseOwners: [String: [Int]]
    let taxonomy: MatchTaxonomy

    /// True when the offer is open to matching now.
    public func hasOffer(_ id: String) -> Bool {
        changedOffers.contains(id) ? overlayOffers.contains { $0.id == id } : base.offerIndex(id) != nil
    }

    /// The ids of the matchable offers of a member or organization, in the matcher's order
    /// (by kind, then id).
    public func offers(of owner: String) -> [String] {
        let kept = (baseOwners[owner] ?? []).map { base.offers[$0] }.filter { !changedOffers.contains($0.id) }
        let rank = Dictionary(uniqueKeysWithValues: ResourceKind.allCases.enumerated().map { ($1, $0) })
        return (kept + overlayOffers.filter { $0.owner == owner }).sorted { a, b in
            rank[a.kind] != rank[b.kind] ? (rank[a.kind] ?? 0) < (rank[b.kind] ?? 0) : a.id < b.id
        }.map(\.id)
    }

    /// The `k` best offers for need `id` (score descending, then offer id), or nil when the
    /// need is not open to matching.
    public func topOffers(need id: String, k: Int) throws(CDSError) -> [ScoredPair]? {
        if changedNeeds.contains(id) {
            // Scored against every current offer: the store compacts before such a query, so
            // this is the rare path of a view taken before the need changed.
            guard let need = overlayNeeds.first(where: { $0.id == id }) else { return nil }
            let all = base.offers.filter { !changedOffers.contains($0.id) } + overlayOffers
            let index = try MatchIndex(offers: all, needs: [need], taxonomy: taxonomy, weights: base.weights)
            return index.topOffersParallel(need: 0, k: k).map { ScoredPair(index: index, hit: $0) }
        }
        guard let n = base.needIndex(id) else { return nil }
        // The base's best with the changed offers left out of its scan (tombstones).
        let kept = base.topOffersParallel(need: n, k: k, excluding: Set(changedOffers.compactMap { base.offerIndex($0) }))
            .map { ScoredPair(index: base, hit: $0) }
        guard !overlayOffers.isEmpty else { return kept }
        let overlay = try MatchIndex(offers: overlayOffers, needs: [base.needs[n]], taxonomy: taxonomy, weights: base.weights)
        let fresh = overlay.topOffers(need: 0, k: k).map { ScoredPair(index: overlay, hit: $0) }
        return Array((kept + fresh).sorted { a, b in
            a.hit.score != b.hit.score ? a.hit.score > b.hit.score : a.index.offers[a.hit.offer].id < b.index.offers[b.hit.offer].id
        }.prefix(max(0, k)))
    }

    /// The `k` best open needs for a set of offers (each need once, with the offer that
    /// scores best for it; score descending, then need id). Offers not matchable are skipped.
    public func topNeeds(offers ids: [String], k: Int) throws(CDSError) -> [ScoredPair] {
        let ids = Set(ids)
        let currentNeeds = { base.needs.filter { !changedNeeds.contains($0.id) } + overlayNeeds }
        if ids.contains(where: changedOffers.contains) {
            // A changed offer is in no index yet: the offers, against every current need.
            let offers = ids.compactMap { id in
                changedOffers.contains(id) ? overlayOffers.first { $0.id == id } : base.offerIndex(id).map { base.offers[$0] }
            }
            guard !offers.isEmpty else { return [] }
            let index = try MatchIndex(offers: offers, needs: currentNeeds(), taxonomy: taxonomy, weights: base.weights)
            return index.topNeeds(offers: Array(index.offers.indices), k: k).map { ScoredPair(index: index, hit: $0) }
        }
        let mine = ids.compactMap { base.offerIndex($0) }
        guard !mine.isEmpty else { return [] }
        let kept = base.topNeeds(offers: mine, k: k, excluding: Set(changedNeeds.compactMap { base.needIndex($0) }))
            .map { ScoredPair(index: base, hit: $0) }
        guard !overlayNeeds.isEmpty else { return kept }
        let overlay = try MatchIndex(offers: mine.map { base.offers[$0] }, needs: overlayNeeds, taxonomy: taxonomy, weights: base.weights)
        let fresh = overlay.topNeeds(offers: Array(overlay.offers.indices), k: k).map { ScoredPair(index: overlay, hit: $0) }
        return Array((kept + fresh).sorted { a, b in
            a.hit.score != b.hit.score ? a.hit.score > b.hit.score : a.index.needs[a.hit.need].id < b.index.needs[b.hit.need].id
        }.prefix(max(0, k)))
    }
}

/// The matcher's inputs as of a position in the log, and the base index built from them.
struct LiveMatchState: Sendable {
    /// The last event the inputs reflect (-1: nothing loaded).
    var seq: Int64 = -1
    var taxonomy: MatchTaxonomy?
    var offers: [String: MatchOffer] = [:]
    var needs: [String: MatchNeed] = [:]
    var base: MatchIndex?
    var baseOwners: [String: [Int]] = [:]
    var changedOffers: Set<String> = []
    var changedNeeds: Set<String> = []
    /// While a rebuild runs in the background: what changed since it took its inputs (it
    /// becomes the changed sets when the rebuilt base replaces this one), and its number.
    var rebuilding: (generation: Int, offers: Set<String>, needs: Set<String>)? = nil
    var generation = 0
    /// The last event the stored snapshot of the inputs covers (-1 until the table was read, 0 for none).
    var snapshotSeq: Int64 = -1

    /// Marks what the new events touched as changed (for the rebuild in progress too).
    mutating func touched(offers: Set<String>, needs: Set<String>) {
        changedOffers.formUnion(offers)
        changedNeeds.formUnion(needs)
        rebuilding?.offers.formUnion(offers)
        rebuilding?.needs.formUnion(needs)
    }

    /// Rebuilds the base from the inputs in memory.
    mutating func compact() throws(CDSError) {
        guard let taxonomy, let weights = base?.weights else { return }
        try rebuild(taxonomy: taxonomy, weights: weights)
    }

    mutating func rebuild(taxonomy: MatchTaxonomy, weights: MatchWeights) throws(CDSError) {
        let index = try MatchIndex(offers: Array(offers.values), needs: Array(needs.values), taxonomy: taxonomy, weights: weights)
        var owners: [String: [Int]] = [:]
        for (i, o) in index.offers.enumerated() { owners[o.owner, default: []].append(i) }
        install(index, owners, changedOffers: [], changedNeeds: [])
    }

    mutating func install(_ index: MatchIndex, _ owners: [String: [Int]], changedOffers: Set<String>, changedNeeds: Set<String>) {
        base = index
        baseOwners = owners
        self.changedOffers = changedOffers
        self.changedNeeds = changedNeeds
        generation += 1
        rebuilding = nil
    }

    /// The view for queries (the base, the changed ones and their current versions).
    func view() -> MatchView? {
        guard let base, let taxonomy else { return nil }
        return MatchView(base: base, changedOffers: changedOffers, changedNeeds: changedNeeds,
                         overlayOffers: changedOffers.sorted().compactMap { offers[$0] }, overlayNeeds: changedNeeds.sorted().compactMap { needs[$0] },
                         baseOwners: baseOwners, taxonomy: taxonomy)
    }
}

/// The live matcher of a store; a `Mutex` has a stable address.
final class LiveMatcher: Sendable {
    let state = Mutex(LiveMatchState())
    /// How many times the inputs were read whole from the database, and from a snapshot (the tests count them).
    let fullLoads = Atomic<Int>(0), snapshotsRead = Atomic<Int>(0)
    /// The changes past which the base is rebuilt in the background (reads go on with the
    /// old base and the changes meanwhile): small indexes of the changed ones stay cheap.
    let rebuildAfterOffers: Int, rebuildAfterNeeds: Int
    init(rebuildAfter offers: Int) {
        rebuildAfterOffers = max(1, offers)
        rebuildAfterNeeds = max(1, offers / 4)
    }
    /// The changes past which a read rebuilds the base itself (a background rebuild that
    /// cannot keep up with the writes).
    static let maxChangedOffers = 2048, maxChangedNeeds = 256

    /// The changed offers past which the base is rebuilt, of `count` offers in all: the option's
    /// number, or a 256th of the offers when that is more (a rebuild costs all of them, a read
    /// scores the changed ones apart: at 100,000 offers, one rebuild per 64 changes was a
    /// quarter of the CPU of a portal's mix), and never past half of `maxChangedOffers`.
    func rebuildAfter(offers count: Int) -> Int {
        min(max(rebuildAfterOffers, count / 256), Self.maxChangedOffers / 2)
    }

    /// The changed needs past which the base is rebuilt, of `count` needs in all (as for the offers).
    func rebuildAfter(needs count: Int) -> Int {
        min(max(rebuildAfterNeeds, count / 256), Self.maxChangedNeeds / 2)
    }

    /// Starts rebuilding the base from the inputs as they are now, on another thread; the
    /// result replaces the base unless something else replaced it meanwhile. An error (a
    /// limit of the matcher) leaves the old base: the next read that compacts reports it.
    func rebuildInBackground(_ s: inout LiveMatchState) {
        guard s.rebuilding == nil, let taxonomy = s.taxonomy, let weights = s.base?.weights else { return }
        let generation = s.generation
        s.rebuilding = (generation, [], [])
        let offers = Array(s.offers.values), needs = Array(s.needs.values)
        DispatchQueue.global(qos: .utility).async { [self] in
            let built = try? MatchIndex(offers: offers, needs: needs, taxonomy: taxonomy, weights: weights)
            var owners: [String: [Int]] = [:]
            for (i, o) in (built?.offers ?? []).enumerated() { owners[o.owner, default: []].append(i) }
            state.withLock { s in
                guard let running = s.rebuilding, running.generation == generation else { return }
                guard let built else { s.rebuilding = nil; return }
                s.install(built, owners, changedOffers: running.offers, changedNeeds: running.needs)
            }
        }
    }
    /// Past this many new events, the inputs are read again whole rather than row by row.
    static let maxEventsToFollow = 20_000
}

extension Store {
    /// The matcher as of the last committed write: the inputs follow the events written
    /// since the previous call (only the rows they touch are read again). `compact` (or a
    /// `need` that changed since the base was built) rebuilds the base from memory first.
    /// Inside a `batch` the matcher is built afresh and kept nowhere (a rollback would
    /// reuse the log's numbers). With `StoreOptions.live` off, every call builds it
    /// afresh from the database: what the live one is checked against.
    public func matchView(compact: Bool = false, need: String? = nil) throws(CDSError) -> MatchView {
        if batchContext.database() != nil || !live {
            let view = try read { db -> MatchView? in
                var fresh = LiveMatchState()
                try Store.load(&fresh, db)
                return fresh.view()
            }
            guard let view else { throw CDSError(.internal, "the matcher could not be built") }
            return view
        }
        // The matcher's lock is taken outside any read transaction: a call waiting for it holds
        // none of the pool's reading connections (8 threads on one handle queued on them).
        let last = try read { db in try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM event") ?? 0 }
        let (view, due) = try liveMatcher.state.withLock { (s: inout LiveMatchState) throws(CDSError) -> (MatchView?, EngineSnapshot?) in
            var due: EngineSnapshot? = nil
            if s.base == nil || s.seq < 0 || s.seq < last {
                due = try read { db -> EngineSnapshot? in
                    let now = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM event") ?? 0
                    if s.base == nil || s.seq < 0 {
                        if try !Store.loadSnapshot(&s, db, upTo: now, liveMatcher) { try Store.load(&s, db, liveMatcher) }
                    } else if s.seq < now {
                        try Store.follow(&s, db, after: s.seq, liveMatcher)
                    }
                    s.seq = max(s.seq, now)
                    guard snapshotDue(now: s.seq, stored: s.snapshotSeq) else { return nil }
                    s.snapshotSeq = s.seq
                    let (offers, needs) = (s.offers, s.needs)     // copied on write: nothing is copied until they change
                    return try Store.snapshot(db, EngineSnapshot.matcher, layout: EngineSnapshot.matcherLayout, seq: s.seq) {
                        MatchSnapshot.bytes(offers: Array(offers.values), needs: Array(needs.values))
                    }
                }
            }
            if compact || need.map(s.changedNeeds.contains) == true
                || s.changedOffers.count > LiveMatcher.maxChangedOffers || s.changedNeeds.count > LiveMatcher.maxChangedNeeds {
                if !(s.changedOffers.isEmpty && s.changedNeeds.isEmpty) { try s.compact() }
            } else if s.changedOffers.count > liveMatcher.rebuildAfter(offers: s.offers.count) || s.changedNeeds.count > liveMatcher.rebuildAfter(needs: s.needs.count) {
                liveMatcher.rebuildInBackground(&s)
            }
            return (s.view(), due)
        }
        // The inputs captured under the matcher's lock are encoded and stored outside it; one that cannot be stored leaves the one before.
        if let due { try? store(due) }
        guard let view else { throw CDSError(.internal, "the matcher could not be built") }
        return view
    }

    /// Reads the inputs from the stored snapshot, follows the events after it and builds the
    /// base; false when no usable snapshot is stored (`snapshotSeq` then says none).
    static func loadSnapshot(_ s: inout LiveMatchState, _ db: Database, upTo now: Int64, _ matcher: LiveMatcher? = nil) throws -> Bool {
        guard s.snapshotSeq < 0 else { return false }
        s.snapshotSeq = 0
        guard let (inputs, seq) = try storedSnapshot(db, EngineSnapshot.matcher, layout: EngineSnapshot.matcherLayout, upTo: now,
                                                     { b throws(CDSError) in try MatchSnapshot.inputs(b) }) else { return false }
        let generation = s.generation
        s = LiveMatchState()
        s.generation = generation
        s.seq = seq
        s.snapshotSeq = seq
        let taxonomy = try matchTaxonomy(db)
        s.taxonomy = taxonomy
        for o in inputs.offers { s.offers[o.id] = o }
        for n in inputs.needs { s.needs[n.id] = n }
        matcher?.snapshotsRead.add(1, ordering: .relaxed)
        if seq < now { try follow(&s, db, after: seq, matcher) }
        // Following more than it follows row by row loads every input and builds the base itself.
        if s.base == nil { try s.rebuild(taxonomy: taxonomy, weights: try matchWeights(db)) }
        return true
    }

    /// The matcher as one index over every matchable offer and need (compacted first).
    public func matchIndex() throws(CDSError) -> MatchIndex { try matchView(compact: true).base }

    /// Reads every input and builds the base.
    static func load(_ s: inout LiveMatchState, _ db: Database, _ matcher: LiveMatcher? = nil) throws {
        matcher?.fullLoads.add(1, ordering: .relaxed)
        let last = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM event") ?? 0
        let taxonomy = try matchTaxonomy(db)
        let inputs = try matchInputs(db, offers: nil, needs: nil)
        let (generation, snapshotSeq) = (s.generation, s.snapshotSeq)  // a rebuild still running for the old state must not install itself
        s = LiveMatchState()
        s.generation = generation
        s.snapshotSeq = snapshotSeq
        s.seq = last
        s.taxonomy = taxonomy
        for o in inputs.offers { s.offers[o.id] = o }
        for n in inputs.needs { s.needs[n.id] = n }
        try s.rebuild(taxonomy: taxonomy, weights: try matchWeights(db))
    }

    /// Follows the events after `seq`: the offers and needs they touch are read again, and
    /// marked changed; what no longer reads as matchable is dropped.
    static func follow(_ s: inout LiveMatchState, _ db: Database, after seq: Int64, _ matcher: LiveMatcher? = nil) throws {
        let events = try storedRows(db, "event", sql: "SELECT type, subject FROM event WHERE seq > ? ORDER BY seq LIMIT ?",
                                    arguments: [seq, LiveMatcher.maxEventsToFollow + 1])
        guard events.count <= LiveMatcher.maxEventsToFollow else { return try load(&s, db, matcher) }
        var members: Set<String> = [], organizations: Set<String> = [], projects: Set<String> = []
        var contributions: Set<String> = [], matches: Set<String> = []
        var offers: Set<String> = [], needs: Set<String> = []
        for e in events {
            let subject = try e.text("subject")
            switch EventType(rawValue: try e.text("type")) {
            case .memberUpdated?, .memberErased?, .consentGiven?, .consentWithdrawn?: members.insert(subject)
            case .organizationUpdated?: organizations.insert(subject)
            case .projectUpdated?, .projectTransitioned?, .projectEndorsed?: projects.insert(subject)
            case .needCreated?, .needUpdated?: needs.insert(subject)
            case .offerCreated?, .offerUpdated?: offers.insert(subject)
            case .contributionPledged?, .contributionConfirmed?, .contributionDelivered?, .contributionCancelled?: contributions.insert(subject)
            case .matchProposed?, .matchAccepted?, .matchDeclined?: matches.insert(subject)
            // Nothing the matcher reads: who exists before offering, agreements, competences, exchanges, targets.
            case .memberCreated?, .organizationCreated?, .projectCreated?, .competenceAttested?, .agreementSigned?, .agreementEnded?,
                 .interactionRecorded?, .indicatorTargetSet?, .importCompleted?:
                break
            // Invitations link members (accepting one that creates a member logs member.created too); the outbox is not matched.
            case .invitationCreated?, .invitationAccepted?, .invitationRevoked?, .messageQueued?, .messageTaken?, .messageDelivered?,
                 .messageFailed?, .messageCancelled?, .outreachConfigured?:
                break
            // Learning: events, modules and competences, which the matcher does not read.
            case .learningEventCreated?, .sessionScheduled?, .registrationRecorded?, .attendanceRecorded?, .moduleCreated?, .criteriaPublished?,
                 .enrollmentCreated?, .assignmentSubmitted?, .assignmentReviewed?, .moduleCompleted?, .competenceRevoked?,
                 .spaceCreated?, .spaceMemberAdded?, .threadCreated?, .postCreated?, .postModerated?, .postFlagged?, .resourceCreated?, .resourceUsed?:
                break
            // Solidarity finance: programmes, rates, campaigns, gifts and pools are not matched.
            case .programmeDefined?, .valuationSet?, .rateSet?, .campaignCreated?, .campaignOpened?, .campaignSettled?, .giftPledged?, .giftCollected?,
                 .giftCancelled?, .giftErrored?, .giftDropped?, .giftRefunded?, .poolCreated?:
                break
            // New weights score every pair again; an event this release does not know may touch anything.
            case .matchWeightsSet?, nil:
                return try load(&s, db, matcher)
            }
        }
        /// The `column` of the rows of `table` whose `key` is one of `keys` (a damaged row names that table).
        func ids(_ column: String, of table: String, where key: String, among keys: Set<String>) throws -> [String] {
            guard !keys.isEmpty else { return [] }
            return try storedRows(db, table, sql: "SELECT \(column) FROM \(table) WHERE \(among(key, Array(keys)))", arguments: idList(Array(keys)))
                .compactMap { r throws(CDSError) in try r.optionalText(column) }
        }
        offers.formUnion(try ids("id", of: "offer", where: "member", among: members))
        offers.formUnion(try ids("id", of: "offer", where: "organization", among: organizations))
        needs.formUnion(try ids("id", of: "need", where: "project", among: projects))
        needs.formUnion(try ids("need", of: "contribution", where: "id", among: contributions))
        offers.formUnion(try ids("offer", of: "match", where: "contribution", among: contributions))
        needs.formUnion(try ids("need", of: "match", where: "id", among: matches))
        offers.formUnion(try ids("offer", of: "match", where: "id", among: matches))
        let inputs = try matchInputs(db, offers: Array(offers), needs: Array(needs))
        for id in offers { s.offers[id] = nil }
        for id in needs { s.needs[id] = nil }
        for o in inputs.offers { s.offers[o.id] = o }
        for n in inputs.needs { s.needs[n.id] = n }
        s.touched(offers: offers, needs: needs)
    }
}
