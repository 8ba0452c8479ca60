import PropertyBased
import Testing

@testable import CDSCore

/// SplitMix64: deterministic random worlds for the matcher's tests.
struct TestRNG: RandomNumberGenerator {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A skill taxonomy for the test worlds: `groups` groups G0, G1, … of `perGroup` skills
/// each (G0.0, G0.1, …), every skill's parent its group; the skills in that order.
func skillTree(groups: Int, perGroup: Int) -> (parents: [String: String], skills: [String]) {
    var parents: [String: String] = [:], skills: [String] = []
    for g in 0..<groups {
        for s in 0..<perGroup {
            parents["G\(g).\(s)"] = "G\(g)"
            skills.append("G\(g).\(s)")
        }
    }
    return (parents, skills)
}

/// A territory taxonomy for the test worlds: regions R0, R1, …, each with `provinces`
/// provinces (R0.P0, …), each with `communes` communes (R0.P0.C0, …); the codes of each
/// level in that order.
func territoryTree(regions: Int, provinces: Int, communes: Int)
    -> (territories: [String: (level: TerritoryLevel, parent: String?)], regions: [String], provinces: [String], communes: [String]) {
    var territories: [String: (level: TerritoryLevel, parent: String?)] = [:]
    var rs: [String] = [], ps: [String] = [], cs: [String] = []
    for r in 0..<regions {
        rs.append("R\(r)")
        territories["R\(r)"] = (.region, nil)
        for p in 0..<provinces {
            ps.append("R\(r).P\(p)")
            territories["R\(r).P\(p)"] = (.province, "R\(r)")
            for c in 0..<communes {
                cs.append("R\(r).P\(p).C\(c)")
                territories["R\(r).P\(p).C\(c)"] = (.commune, "R\(r).P\(p)")
            }
        }
    }
    return (territories, rs, ps, cs)
}

/// A small random world of offers and needs over a small taxonomy (3 regions, 6
/// provinces, 18 communes; 4 skill groups of 4 skills; 5 languages; 4 sectors).
struct World {
    var offers: [MatchOffer] = []
    var needs: [MatchNeed] = []
    var taxonomy: MatchTaxonomy

    static let languages = ["ar", "ber", "fr", "en", "es"]
    static let sectors = ["S1", "S2", "S3", "S4"]
    static let kinds: [ResourceKind] = [.skill, .finance, .network]

    init(seed: UInt64, offers nOffers: Int = 60, needs nNeeds: Int = 12) {
        var rng = TestRNG(seed)
        let (parents, skills) = skillTree(groups: 4, perGroup: 4)
        let (territories, _, _, communes) = territoryTree(regions: 3, provinces: 2, communes: 3)
        let codes = territories.keys.sorted()
        taxonomy = MatchTaxonomy(skillParent: parents, territories: territories, names: [:])
        func pick<T>(_ a: [T], _ n: Int) -> [T] { Array(a.shuffled(using: &rng).prefix(n)) }
        func window() -> AvailabilityWindow {
            let f = Int.random(in: 20_000...20_060, using: &rng)
            return AvailabilityWindow(from: LocalDate(daysSinceEpoch: f), until: LocalDate(daysSinceEpoch: f + Int.random(in: 0...20, using: &rng)),
                                      travel: Bool.random(using: &rng))
        }
        for i in 0..<nOffers {
            let kind = World.kinds.randomElement(using: &rng) ?? .skill
            let q: Quantity = kind.isMoney ? Quantity(unit: .money, amount: Int64.random(in: 1...5000, using: &rng), currency: Bool.random(using: &rng) ? "MAD" : "EUR")
                : Quantity(unit: Bool.random(using: &rng) ? .personDays : .units, amount: Int64.random(in: 1...20, using: &rng))
            let remote = Bool.random(using: &rng)
            offers.append(MatchOffer(
                id: "o\(pad3((i * 37) % 1000))", owner: "m\(Int.random(in: 0..<nOffers / 3, using: &rng))", ownerIsMember: Bool.random(using: &rng),
                kind: kind, skills: pick(skills, Int.random(in: 0...4, using: &rng)) + (Int.random(in: 0..<10, using: &rng) == 0 ? ["G1"] : []),
                capacity: q, windows: (0..<Int.random(in: 0...4, using: &rng)).map { _ in window() },
                remote: remote, onSite: !remote || Bool.random(using: &rng), languages: pick(World.languages, Int.random(in: 0...4, using: &rng)),
                origin: Int.random(in: 0..<4, using: &rng) == 0 ? nil : codes.randomElement(using: &rng),
                interests: pick(codes, Int.random(in: 0...3, using: &rng)), sectors: pick(World.sectors, Int.random(in: 0...2, using: &rng)),
                abroad: Bool.random(using: &rng)))
        }
        for i in 0..<nNeeds {
            let kind = World.kinds.randomElement(using: &rng) ?? .skill
            let q: Quantity = kind.isMoney ? Quantity(unit: .money, amount: Int64.random(in: 1...9000, using: &rng), currency: "MAD")
                : Quantity(unit: .personDays, amount: Int64.random(in: 1...30, using: &rng))
            // One need in eight runs for years: a window the vector kernel leaves to the scalar one.
            var w: AvailabilityWindow? = Bool.random(using: &rng) ? window() : nil
            if let long = w, Int.random(in: 0..<8, using: &rng) == 0 {
                w = AvailabilityWindow(from: long.from, until: LocalDate(daysSinceEpoch: long.from.daysSinceEpoch + 5000), travel: false)
            }
            let declined = offers.isEmpty || Int.random(in: 0..<3, using: &rng) > 0 ? [] : [offers[Int.random(in: 0..<offers.count, using: &rng)].id]
            needs.append(MatchNeed(
                id: "n\(pad3((i * 7) % 100))", project: "p\(i % 4)", kind: kind, skills: pick(skills, Int.random(in: 0...3, using: &rng)),
                remaining: q, from: w?.from, until: w?.until, mode: [WorkMode.onSite, .remote, .either].randomElement(using: &rng) ?? .either,
                languages: pick(World.languages, Int.random(in: 0...2, using: &rng)), communes: pick(communes, Int.random(in: 1...2, using: &rng)),
                sector: Bool.random(using: &rng) ? World.sectors.randomElement(using: &rng) : nil, declined: declined))
        }
    }
}

/// `7` → `"007"`.
func pad3(_ n: Int) -> String { String(repeating: "0", count: max(0, 3 - "\(n)".count)) + "\(n)" }

/// The matcher's rules written plainly, from the entities, day by day: the reference the
/// packed kernel is checked against.
enum Reference {
    static func onSiteWindows(_ o: MatchOffer) -> [AvailabilityWindow] { o.abroad ? o.windows.filter(\.travel) : o.windows }

    static func feasible(_ n: MatchNeed, _ o: MatchOffer) -> Bool {
        guard n.kind == o.kind, Set(n.languages).isSubset(of: Set(o.languages)), !n.declined.contains(o.id) else { return false }
        let site = onSiteWindows(o)
        let canOnSite: Bool
        if !o.onSite { canOnSite = false } else if o.windows.isEmpty { canOnSite = true } else if let f = n.from, let u = n.until {
            canOnSite = site.contains { $0.from <= u && $0.until >= f }
        } else { canOnSite = !site.isEmpty }
        switch n.mode {
        case .remote: return o.remote
        case .onSite: return canOnSite
        case .either: return o.remote || canOnSite
        }
    }

    static func values(_ n: MatchNeed, _ o: MatchOffer, _ t: MatchTaxonomy) -> [Int] {
        // Skills.
        var skills = 1000
        if !n.skills.isEmpty {
            let groups = Set(o.skills + o.skills.compactMap { t.skillParent[$0] })
            skills = n.skills.map { s in
                if o.skills.contains(s) { return 1000 }
                if groups.contains(s) || (t.skillParent[s].map { groups.contains($0) } ?? false) { return 500 }
                return 0
            }.reduce(0, +) / n.skills.count
        }
        // Territory.
        func chain(_ code: String) -> [String] {
            var out: [String] = []
            var c: String? = code
            while let x = c, let e = t.territories[x] { out.append(x); c = e.parent }
            return out
        }
        func level(_ code: String) -> TerritoryLevel? { t.territories[code]?.level }
        var territory = 0
        for c in n.communes {
            let project = chain(c)
            func shared(_ code: String) -> TerritoryLevel? {
                let mine = chain(code)
                for p in project where mine.contains(p) { return level(p) }
                return nil
            }
            if let origin = o.origin {
                switch shared(origin) {
                case .commune: territory = max(territory, 1000)
                case .province: territory = max(territory, 600)
                case .region: territory = max(territory, 300)
                case nil: break
                }
            }
            for i in o.interests {
                switch shared(i) {
                case .commune: territory = max(territory, 800)
                case .province: territory = max(territory, 500)
                case .region: territory = max(territory, 250)
                case nil: break
                }
            }
        }
        // Time, day by day.
        var time = 1000
        if let f = n.from, let u = n.until, !o.windows.isEmpty {
            let onSite = n.mode == .onSite || (n.mode == .either && !o.remote)
            let wins = onSite ? onSiteWindows(o) : o.windows
            var covered = 0
            for d in f.daysSinceEpoch...u.daysSinceEpoch where wins.contains(where: { $0.from.daysSinceEpoch <= d && d <= $0.until.daysSinceEpoch }) { covered += 1 }
            time = covered * 1000 / (u.daysSinceEpoch - f.daysSinceEpoch + 1)
        }
        // Capacity.
        var capacity = 500
        if o.capacity.unit == n.remaining.unit, o.capacity.currency == n.remaining.currency {
            capacity = Int(min(o.capacity.amount, n.remaining.amount) * 1000 / n.remaining.amount)
        }
        // Sector.
        var sector = 500
        if let s = n.sector, !o.sectors.isEmpty { sector = o.sectors.contains(s) ? 1000 : 0 }
        return [skills, territory, time, capacity, sector]
    }

    static func score(_ n: MatchNeed, _ o: MatchOffer, _ t: MatchTaxonomy, _ w: MatchWeights) -> Int? {
        guard feasible(n, o) else { return nil }
        let v = values(n, o, t)
        return w.skills * v[0] + w.territory * v[1] + w.time * v[2] + w.capacity * v[3] + w.sector * v[4]
    }

    static func topOffers(_ n: MatchNeed, _ world: World, _ w: MatchWeights, k: Int) -> [(String, Int)] {
        world.offers.compactMap { o in score(n, o, world.taxonomy, w).map { (o.id, $0) } }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(k).map { $0 }
    }
}

@Suite("Matching")
struct MatchingTests {
    static let seeds = Gen.uint64()

    @Test("top-k equals a brute-force sort of the plainly written rules, for every need and k", .tags(.property))
    func topKEqualsBruteForce() async {
        await propertyCheck(count: 40, input: Self.seeds) { seed in
            let world = World(seed: seed)
            let w = MatchWeights(skills: Int(seed % 50), territory: 25, time: 15, capacity: 10, sector: Int(seed % 7))
            guard let index = try? MatchIndex(offers: world.offers, needs: world.needs, taxonomy: world.taxonomy, weights: w) else {
                Issue.record("index")
                return
            }
            let want = index.needs.map { n in world.offers.filter { $0.kind == n.kind }.compactMap { Reference.score(n, $0, world.taxonomy, w) } }
            for block in [7, 2048] {
                let scan = index.scoreAll(needs: 0..<index.needs.count, block: block)
                #expect(scan.feasible == want.map(\.count).reduce(0, +) && scan.checksum == want.flatMap { $0 }.reduce(0, +), "the full scan, in blocks of \(block)")
            }
            for n in index.needs.indices {
                let parts = (0..<3).map { index.topOffers(need: n, k: 4, part: $0, of: 3) }
                #expect(MatchIndex.merge(parts, k: 4) == index.topOffers(need: n, k: 4), "a scan shared by three threads gives the same best")
            }
            for (n, need) in index.needs.enumerated() {
                for k in [1, 3, 10, 1000] {
                    let got = index.topOffers(need: n, k: k).map { (index.offers[$0.offer].id, $0.score) }
                    let want = Reference.topOffers(need, world, w, k: k)
                    #expect(got.map(\.0) == want.map(\.0), "need \(need.id) k \(k)")
                    #expect(got.map(\.1) == want.map(\.1), "need \(need.id) k \(k)")
                }
            }
        }
    }

    @Test("every offer that meets the hard constraints is a candidate of the indexes (recall 1.0), and no match breaks one", .tags(.property))
    func candidatesHaveFullRecall() async {
        await propertyCheck(count: 40, input: Self.seeds) { seed in
            let world = World(seed: seed, offers: 120, needs: 20)
            guard let index = try? MatchIndex(offers: world.offers, needs: world.needs, taxonomy: world.taxonomy) else {
                Issue.record("index")
                return
            }
            for (n, need) in index.needs.enumerated() {
                let candidates = Set(index.candidates(need: n).map { index.offers[$0].id })
                let feasible = Set(index.offers.filter { Reference.feasible(need, $0) }.map(\.id))
                #expect(feasible.isSubset(of: candidates), "need \(need.id) misses \(feasible.subtracting(candidates).sorted())")
                for h in index.topOffers(need: n, k: 1000) { #expect(Reference.feasible(need, index.offers[h.offer])) }
            }
        }
    }

    @Test("the best needs of an offer and of a member are a brute-force sort too", .tags(.property))
    func topNeedsEqualsBruteForce() async {
        await propertyCheck(count: 25, input: Self.seeds) { seed in
            let world = World(seed: seed, offers: 40, needs: 30)
            guard let index = try? MatchIndex(offers: world.offers, needs: world.needs, taxonomy: world.taxonomy) else {
                Issue.record("index")
                return
            }
            for (o, offer) in index.offers.enumerated() {
                let got = index.topNeeds(offer: o, k: 5).map { (index.needs[$0.need].id, $0.score) }
                let want = index.needs.compactMap { n in Reference.score(n, offer, world.taxonomy, .standard).map { (n.id, $0) } }
                    .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(5)
                #expect(got.map(\.0) == want.map(\.0))
                #expect(got.map(\.1) == want.map(\.1))
            }
            let member = index.offers.first?.owner ?? ""
            let mine = index.offers.indices.filter { index.offers[$0].owner == member }
            let got = index.topNeeds(offers: mine, k: 4)
            let want = index.needs.compactMap { n -> (String, Int)? in
                let best = mine.compactMap { Reference.score(n, index.offers[$0], world.taxonomy, .standard) }.max()
                return best.map { (n.id, $0) }
            }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(4)
            #expect(got.map { index.needs[$0.need].id } == want.map(\.0))
            for h in got { #expect(Reference.score(index.needs[h.need], index.offers[h.offer], world.taxonomy, .standard) == h.score) }
        }
    }

    @Test("an explanation's weighted values add up to the score, with a reason and three labels per line")
    func explanationsAddUp() throws {
        let world = World(seed: 7, offers: 80, needs: 15)
        let index = try MatchIndex(offers: world.offers, needs: world.needs, taxonomy: world.taxonomy)
        var explained = 0
        for n in index.needs.indices {
            for h in index.topOffers(need: n, k: 100) {
                let e = try #require(index.explain(need: n, offer: h.offer))
                let weights = MatchComponent.allCases.map { index.weights[$0] }
                let points = zip(weights, e.components).map { w, c in Int(((c.value ?? -1) * 1000).rounded()) * w }.reduce(0, +)
                #expect(points == h.score)
                #expect(e.points == h.score)
                #expect(e.components.map(\.component) == MatchComponent.codes)
                for line in e.components + e.constraints {
                    #expect(!line.reason.isEmpty && !line.labels.fr.isEmpty && !line.labels.ar.isEmpty && !line.labels.en.isEmpty)
                }
                explained += 1
            }
            for o in index.offers.indices where index.score(need: n, offer: o) == nil { #expect(index.explain(need: n, offer: o) == nil) }
        }
        #expect(explained > 20)
    }

    @Test("the same data in any order gives the same matches; equal scores break on the offer's id")
    func deterministic() throws {
        let world = World(seed: 99, offers: 100, needs: 20)
        var rng = TestRNG(5)
        let a = try MatchIndex(offers: world.offers, needs: world.needs, taxonomy: world.taxonomy)
        let b = try MatchIndex(offers: world.offers.shuffled(using: &rng), needs: world.needs.shuffled(using: &rng), taxonomy: world.taxonomy)
        for n in a.needs.indices {
            let ha = a.topOffers(need: n, k: 10).map { (a.offers[$0.offer].id, $0.score) }
            let hb = b.topOffers(need: n, k: 10).map { (b.offers[$0.offer].id, $0.score) }
            #expect(ha.map(\.0) == hb.map(\.0) && ha.map(\.1) == hb.map(\.1))
        }
        // Twins: same offer under two ids score the same; the smaller id comes first.
        var twin = world.offers[0]
        let need = MatchNeed(id: "n", project: "p", kind: twin.kind, skills: [], remaining: twin.capacity, from: nil, until: nil, mode: .either,
                             languages: [], communes: ["R0.P0.C0"], sector: nil)
        twin.remote = true
        var other = twin
        twin.id = "b"
        other.id = "a"
        let idx = try MatchIndex(offers: [twin, other], needs: [need], taxonomy: world.taxonomy)
        #expect(idx.topOffers(need: 0, k: 2).map { idx.offers[$0.offer].id } == ["a", "b"])
    }

    @Test("the standard reasons read as a portal shows them: same commune of origin, speaks the language, available in the window")
    func explanationReadsWell() throws {
        let tax = MatchTaxonomy(skillParent: ["2142": "214"], territories: ["R": (.region, nil), "R.P": (.province, "R"), "R.P.C": (.commune, "R.P")],
                                names: ["R.P.C": Labels(fr: "Anzi", ar: "أنزي", en: "Anzi"), "ber": Labels(fr: "tachelhit", ar: "تشلحيت", en: "Tachelhit"),
                                        "2142": Labels(fr: "Ingénieurs civils", ar: "مهندسون مدنيون", en: "Civil engineers")])
        let offer = MatchOffer(id: "o", owner: "m", ownerIsMember: true, kind: .skill, skills: ["2142"], capacity: Quantity(unit: .personDays, amount: 10),
                               windows: [AvailabilityWindow(from: LocalDate("2026-08-01")!, until: LocalDate("2026-08-31")!, travel: true)],
                               remote: true, onSite: true, languages: ["ber", "fr"], origin: "R.P.C", interests: [], sectors: [], abroad: true)
        let need = MatchNeed(id: "n", project: "p", kind: .skill, skills: ["2142"], remaining: Quantity(unit: .personDays, amount: 10),
                             from: LocalDate("2026-08-03"), until: LocalDate("2026-08-14"), mode: .onSite, languages: ["ber"], communes: ["R.P.C"], sector: nil)
        let index = try MatchIndex(offers: [offer], needs: [need], taxonomy: tax)
        let e = try #require(index.explain(need: 0, offer: 0))
        #expect(e.components.map(\.reason) == ["same_skill", "origin_commune", "available_whole_window", "capacity_covers", "sector_unknown"])
        #expect(e.components[1].labels.en == "Same commune of origin as the project (Anzi)")
        #expect(e.constraints.map(\.reason) == ["same_kind", "speaks_required_languages", "on_site_in_travel_window", "consent_to_contact"])
        #expect(e.constraints[1].labels.en == "Speaks Tachelhit")
        #expect(e.components[2].labels.en == "In Morocco for the whole period (2026-08-03 – 2026-08-14)")
        // The same member outside the travel window cannot do on-site work.
        var late = need
        late.from = LocalDate("2026-09-01")
        late.until = LocalDate("2026-09-10")
        #expect(try MatchIndex(offers: [offer], needs: [late], taxonomy: tax).topOffers(need: 0, k: 5).isEmpty)
    }

    @Test("weights outside 0...1000 or all zero are refused")
    func badWeights() {
        #expect(throws: CDSError.self) { try MatchWeights(skills: -1, territory: 1, time: 1, capacity: 1, sector: 1).validate() }
        #expect(throws: CDSError.self) { try MatchWeights(skills: 0, territory: 0, time: 0, capacity: 0, sector: 0).validate() }
        #expect(throws: CDSError.self) { try MatchWeights(json: ["skills": 1001], base: .standard) }
        #expect(throws: CDSError.self) { try MatchWeights(json: ["luck": 3], base: .standard) }
        #expect((try? MatchWeights(json: ["skills": 80], base: .standard))?.skills == 80)
    }
}

@Suite("Allocation")
struct AllocationTests {
    /// The best objective by trying every subset of edges.
    static func bruteForce(_ p: AllocationProblem) -> Int {
        var best = 0
        let m = p.edges.count
        for mask in 0..<(1 << m) {
            var needUse = [Int](repeating: 0, count: p.needSlots.count), offerUse = [Int](repeating: 0, count: p.offerSlots.count)
            var groupUse: [Int: Int] = [:]
            var total = 0, ok = true
            for i in 0..<m where mask & (1 << i) != 0 {
                let e = p.edges[i]
                needUse[e.need] += 1
                offerUse[e.offer] += 1
                if p.group[e.offer] >= 0 { groupUse[p.group[e.offer], default: 0] += 1 }
                total += e.score
            }
            for (i, u) in needUse.enumerated() where u > p.needSlots[i] { ok = false }
            for (i, u) in offerUse.enumerated() where u > p.offerSlots[i] { ok = false }
            if let cap = p.groupCap { for (_, u) in groupUse where u > cap { ok = false } }
            if ok { best = max(best, total) }
        }
        return best
    }

    static func problem(_ seed: UInt64) -> AllocationProblem {
        var rng = TestRNG(seed)
        let needs = Int.random(in: 1...5, using: &rng), offers = Int.random(in: 1...5, using: &rng)
        var seen = Set<Int>()
        var edges: [(need: Int, offer: Int, score: Int)] = []
        for _ in 0..<Int.random(in: 0...13, using: &rng) {
            let n = Int.random(in: 0..<needs, using: &rng), o = Int.random(in: 0..<offers, using: &rng)
            guard seen.insert(n * 16 + o).inserted else { continue }
            edges.append((n, o, Int.random(in: 1...20, using: &rng)))
        }
        let groups = Int.random(in: 1...3, using: &rng)
        return AllocationProblem(edges: edges, needSlots: (0..<needs).map { _ in Int.random(in: 0...2, using: &rng) },
                                 offerSlots: (0..<offers).map { _ in Int.random(in: 0...2, using: &rng) },
                                 group: (0..<offers).map { _ in Int.random(in: -1..<groups, using: &rng) },
                                 groupCap: Bool.random(using: &rng) ? Int.random(in: 0...2, using: &rng) : nil)
    }

    @Test("the allocation reaches the brute-force optimum on small random cases and never exceeds a capacity", .tags(.property))
    func optimalAndWithinCapacities() async {
        await propertyCheck(count: 400, input: Gen.uint64()) { seed in
            let p = Self.problem(seed)
            guard let a = try? Allocator.solve(p) else {
                Issue.record("solve")
                return
            }
            #expect(a.objective == Self.bruteForce(p), "seed \(seed)")
            var needUse = [Int](repeating: 0, count: p.needSlots.count), offerUse = [Int](repeating: 0, count: p.offerSlots.count)
            var groupUse: [Int: Int] = [:]
            for i in a.chosen {
                needUse[p.edges[i].need] += 1
                offerUse[p.edges[i].offer] += 1
                if p.group[p.edges[i].offer] >= 0 { groupUse[p.group[p.edges[i].offer], default: 0] += 1 }
            }
            #expect(zip(needUse, p.needSlots).allSatisfy { $0 <= $1 })
            #expect(zip(offerUse, p.offerSlots).allSatisfy { $0 <= $1 })
            if let cap = p.groupCap { #expect(groupUse.values.allSatisfy { $0 <= cap }) }
            #expect(a.objective == a.chosen.map { p.edges[$0].score }.reduce(0, +))
        }
    }

    @Test("a malformed problem is refused")
    func badProblems() {
        #expect(throws: CDSError.self) { try Allocator.solve(AllocationProblem(edges: [(0, 3, 5)], needSlots: [1], offerSlots: [1], group: [-1], groupCap: nil)) }
        #expect(throws: CDSError.self) { try Allocator.solve(AllocationProblem(edges: [(0, 0, 0)], needSlots: [1], offerSlots: [1], group: [-1], groupCap: nil)) }
        #expect(throws: CDSError.self) { try Allocator.solve(AllocationProblem(edges: [], needSlots: [-1], offerSlots: [1], group: [-1], groupCap: nil)) }
        #expect(throws: CDSError.self) { try Allocator.solve(AllocationProblem(edges: [], needSlots: [1], offerSlots: [1], group: [], groupCap: nil)) }
    }
}

extension Tag {
    /// A rule checked over many generated inputs.
    @Tag static var property: Self
}
