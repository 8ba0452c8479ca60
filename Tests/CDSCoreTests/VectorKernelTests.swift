import PropertyBased
import Testing

@testable import CDSCore

/// A world at the edges of what the vector kernel's lanes hold: dates beyond ±2²⁸ days,
/// windows and quantities around the 4,096 bound, capacities beyond Int32, more than 63
/// skills on a need, more than 64 languages and 32 sectors, orphan communes and provinces
/// (no parent), provinces named as project places, extreme weights.
struct EdgeWorld {
    var offers: [MatchOffer] = []
    var needs: [MatchNeed] = []
    var taxonomy: MatchTaxonomy
    var weights: MatchWeights

    init(seed: UInt64) {
        var rng = TestRNG(seed)
        let (parents, tree) = skillTree(groups: 3, perGroup: 25)
        let skills = tree + ["G1", "X.unknown"]
        let territories: [String: (level: TerritoryLevel, parent: String?)] = [
            "R0": (.region, nil), "R1": (.region, nil),
            "R0.P0": (.province, "R0"), "R0.P1": (.province, "R0"), "R1.P0": (.province, "R1"), "PX": (.province, nil),
            "R0.P0.C0": (.commune, "R0.P0"), "R0.P0.C1": (.commune, "R0.P0"), "R0.P1.C0": (.commune, "R0.P1"),
            "R1.P0.C0": (.commune, "R1.P0"), "PX.C0": (.commune, "PX"), "PX.C1": (.commune, "PX"), "CX": (.commune, nil),
        ]
        let codes = territories.keys.sorted() + ["ZZ.unknown"]
        taxonomy = MatchTaxonomy(skillParent: parents, territories: territories, names: [:])
        let languages = (0..<68).map { "l\($0)" }
        let sectors = (0..<35).map { "S\($0)" }
        func pick<T>(_ a: [T], _ n: Int) -> [T] { Array(a.shuffled(using: &rng).prefix(n)) }
        func one<T>(_ a: [T]) -> T { a[Int.random(in: 0..<a.count, using: &rng)] }
        let far = 1 << 28
        let days = [-300_000_000, -far - 5, -far + 3, -1000, 0, 20_000, 20_010, 20_030, 20_100, far - 3, far + 7, 300_000_000]
        func window() -> AvailabilityWindow {
            let f = one(days) + Int.random(in: 0...40, using: &rng)
            return AvailabilityWindow(from: LocalDate(daysSinceEpoch: f), until: LocalDate(daysSinceEpoch: f + one([0, 3, 30, 1023, 5000])),
                                      travel: Bool.random(using: &rng))
        }
        let amounts: [Int64] = [1, 7, 20, 1023, 4095, 4096, 4097, Int64(Int32.max), Int64(Int32.max) + 5, 1 << 50]
        func quantity(_ kind: ResourceKind) -> Quantity {
            kind.isMoney ? Quantity(unit: .money, amount: one(amounts), currency: one(["MAD", "EUR"]))
                : Quantity(unit: one([.personDays, .units]), amount: one(amounts))
        }
        let kinds: [ResourceKind] = [.skill, .finance]
        let nOffers = 48
        for i in 0..<nOffers {
            let kind = one(kinds)
            let remote = Bool.random(using: &rng)
            offers.append(MatchOffer(
                id: "o\(pad3(i))", owner: "m\(i % 9)", ownerIsMember: true, kind: kind,
                skills: pick(skills, Int.random(in: 0...30, using: &rng)), capacity: quantity(kind),
                windows: (0..<Int.random(in: 0...3, using: &rng)).map { _ in window() },
                remote: remote, onSite: !remote || Bool.random(using: &rng), languages: pick(languages, Int.random(in: 0...40, using: &rng)),
                origin: Int.random(in: 0..<5, using: &rng) == 0 ? nil : one(codes), interests: pick(codes, Int.random(in: 0...3, using: &rng)),
                sectors: pick(sectors, Int.random(in: 0...20, using: &rng)), abroad: Bool.random(using: &rng)))
        }
        for i in 0..<16 {
            let kind = one(kinds)
            let w: AvailabilityWindow? = Bool.random(using: &rng) ? window() : nil
            let asked = Int.random(in: 0..<4, using: &rng) == 0 ? Int.random(in: 60...77, using: &rng) : Int.random(in: 0...4, using: &rng)
            needs.append(MatchNeed(
                id: "n\(pad3(i))", project: "p\(i % 3)", kind: kind, skills: (0..<asked).map { _ in one(skills) }, remaining: quantity(kind),
                from: w?.from, until: w?.until, mode: one([WorkMode.onSite, .remote, .either]),
                languages: Int.random(in: 0..<3, using: &rng) == 0 ? pick(languages, Int.random(in: 1...2, using: &rng)) : [],
                communes: pick(codes, Int.random(in: 1...3, using: &rng)), sector: Bool.random(using: &rng) ? one(sectors) : nil,
                declined: Int.random(in: 0..<4, using: &rng) == 0 ? [one(offers).id] : []))
        }
        let w = { Int.random(in: 0..<4, using: &rng) == 0 ? 1000 : Int.random(in: 0...1000, using: &rng) }
        weights = MatchWeights(skills: w(), territory: w(), time: w(), capacity: w(), sector: max(1, w()))
    }
}

@Suite("The vector kernel")
struct VectorKernelTests {
    static let seeds = Gen.uint64()

    @Test("the vector kernel gives the scalar kernel's score for every pair, at the edges of what its lanes hold", .tags(.property))
    func vectorEqualsScalar() async {
        let used = Counts()
        await propertyCheck(count: 40, input: Self.seeds) { seed in
            let world = EdgeWorld(seed: seed)
            guard let index = try? MatchIndex(offers: world.offers, needs: world.needs, taxonomy: world.taxonomy, weights: world.weights) else {
                Issue.record("index")
                return
            }
            var sum = 0, feasible = 0
            for n in index.needs.indices {
                used.add(vector: NeedLanes(index, n, vector: index.vector) != nil)
                let scanned = Dictionary(uniqueKeysWithValues: index.topOffers(need: n, k: index.offers.count).map { ($0.offer, $0.score) })
                for o in index.offers.indices {
                    let scalar = index.score(need: n, offer: o)
                    #expect(scanned[o] == scalar, "need \(index.needs[n].id), offer \(index.offers[o].id): scan \(scanned[o] ?? -1), pair \(scalar ?? -1)")
                    if let scalar { sum += scalar; feasible += 1 }
                }
            }
            let all = index.scoreAll(needs: 0..<index.needs.count, block: 16)
            #expect(all.feasible == feasible && all.checksum == sum, "the full scan")
        }
        #expect(used.vector > 0 && used.scalar > 0, "both kernels were exercised (\(used.vector) needs in lanes, \(used.scalar) scalar)")
    }
}

/// Counts, from the property's closure.
final class Counts: @unchecked Sendable {
    private(set) var vector = 0, scalar = 0
    func add(vector v: Bool) { if v { vector += 1 } else { scalar += 1 } }
}

/// A world of many offers spread over a wide taxonomy (4 regions, 20 provinces, 80
/// communes), so that a top-k scan has a floor early and most blocks lie far from a need's
/// provinces: what the scan's early drops are decided on. Some offers have three windows
/// or three interests (the scalar kernel's lanes), some needs name a province or a region
/// as project place, and the weights vary from territory-heavy to skill-heavy.
struct SpreadWorld {
    var offers: [MatchOffer] = []
    var needs: [MatchNeed] = []
    var taxonomy: MatchTaxonomy
    var weights: MatchWeights

    init(seed: UInt64, offers nOffers: Int = 1200, needs nNeeds: Int = 24) {
        var rng = TestRNG(seed)
        let (parents, skills) = skillTree(groups: 5, perGroup: 6)
        let (territories, regions, provinces, communes) = territoryTree(regions: 4, provinces: 5, communes: 4)
        taxonomy = MatchTaxonomy(skillParent: parents, territories: territories, names: [:])
        func pick<T>(_ a: [T], _ n: Int) -> [T] { Array(a.shuffled(using: &rng).prefix(n)) }
        func one<T>(_ a: [T]) -> T { a[Int.random(in: 0..<a.count, using: &rng)] }
        func window() -> AvailabilityWindow {
            let f = Int.random(in: 20_000...20_090, using: &rng)
            return AvailabilityWindow(from: LocalDate(daysSinceEpoch: f), until: LocalDate(daysSinceEpoch: f + Int.random(in: 0...30, using: &rng)),
                                      travel: Bool.random(using: &rng))
        }
        let languages = ["ar", "ber", "fr", "en"], sectors = ["S1", "S2", "S3", "S4", "S5"]
        for i in 0..<nOffers {
            let kind: ResourceKind = Int.random(in: 0..<10, using: &rng) == 0 ? .network : .skill
            let remote = Bool.random(using: &rng)
            let many = Int.random(in: 0..<40, using: &rng) == 0
            offers.append(MatchOffer(
                id: "o\(String(i + 10_000))", owner: "m\(i % 300)", ownerIsMember: true, kind: kind,
                skills: pick(skills, Int.random(in: 0...5, using: &rng)),
                capacity: Quantity(unit: .personDays, amount: Int64.random(in: 1...30, using: &rng)),
                windows: (0..<(many ? 3 : Int.random(in: 0...2, using: &rng))).map { _ in window() },
                remote: remote, onSite: !remote || Bool.random(using: &rng), languages: pick(languages, Int.random(in: 1...3, using: &rng)),
                origin: Int.random(in: 0..<10, using: &rng) == 0 ? nil : one(communes),
                interests: pick(communes + provinces, many ? 3 : Int.random(in: 0...2, using: &rng)),
                sectors: pick(sectors, Int.random(in: 0...2, using: &rng)), abroad: Bool.random(using: &rng)))
        }
        for i in 0..<nNeeds {
            let w: AvailabilityWindow? = Bool.random(using: &rng) ? window() : nil
            let places = Int.random(in: 0..<5, using: &rng) == 0 ? [one(provinces + regions)] : pick(communes, Int.random(in: 1...2, using: &rng))
            needs.append(MatchNeed(
                id: "n\(pad3(i))", project: "p\(i % 4)", kind: Int.random(in: 0..<6, using: &rng) == 0 ? .network : .skill,
                skills: pick(skills, Int.random(in: 0...4, using: &rng)), remaining: Quantity(unit: .personDays, amount: Int64.random(in: 1...20, using: &rng)),
                from: w?.from, until: w?.until, mode: one([WorkMode.onSite, .remote, .either]),
                languages: Int.random(in: 0..<3, using: &rng) == 0 ? [one(languages)] : [],
                communes: places, sector: Bool.random(using: &rng) ? one(sectors) : nil,
                declined: Int.random(in: 0..<4, using: &rng) == 0 ? [one(offers).id] : []))
        }
        let w = { Int.random(in: 0...100, using: &rng) }
        weights = MatchWeights(skills: w(), territory: w() * 3, time: w(), capacity: w(), sector: max(1, w()))
    }
}

@Suite("A top-k scan's early drops")
struct TopKScanTests {
    /// The index of a spread world of `seed`, nil (recorded) when it cannot be built.
    static func index(_ seed: UInt64) -> MatchIndex? {
        let world = SpreadWorld(seed: seed)
        guard let index = try? MatchIndex(offers: world.offers, needs: world.needs, taxonomy: world.taxonomy, weights: world.weights) else {
            Issue.record("index")
            return nil
        }
        return index
    }

    /// Every feasible offer for need `n` but those left out, by a brute-force sort (score descending, then offer).
    static func ranked(_ index: MatchIndex, need n: Int, leavingOut out: Set<Int> = []) -> [(offer: Int, score: Int)] {
        index.offers.indices.filter { !out.contains($0) }.compactMap { o in index.score(need: n, offer: o).map { (offer: o, score: $0) } }
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.offer < $1.offer }
    }

    @Test("a top-k scan that drops blocks which cannot pass the k-th score still gives the k best of a brute-force sort", .tags(.property))
    func droppedBlocksNeverHoldABetterOffer() async {
        await propertyCheck(count: 12, input: Gen.uint64()) { seed in
            guard let index = Self.index(seed) else { return }
            for n in index.needs.indices {
                let all = Self.ranked(index, need: n)
                for k in [1, 5, 20] {
                    let got = index.topOffers(need: n, k: k)
                    #expect(got.map(\.offer) == all.prefix(k).map(\.offer) && got.map(\.score) == all.prefix(k).map(\.score),
                            "need \(index.needs[n].id), k \(k)")
                    let parts = (0..<3).map { index.topOffers(need: n, k: k, part: $0, of: 3) }
                    #expect(MatchIndex.merge(parts, k: k) == got, "need \(index.needs[n].id), k \(k), three slices")
                }
            }
        }
    }

    @Test("a top-k scan that leaves offers or needs out (a live view's changed ones) gives the k best of the others, as a brute-force sort without them", .tags(.property))
    func excludedEntriesNeverEnterAndTheOthersStayInOrder() async {
        await propertyCheck(count: 12, input: Gen.uint64()) { seed in
            guard let index = Self.index(seed) else { return }
            // Every third offer and need, shifted by the seed.
            let shift = Int(seed % 3)
            let outOffers = Set(index.offers.indices.filter { ($0 + shift) % 3 == 0 }), outNeeds = Set(index.needs.indices.filter { ($0 + shift) % 3 == 0 })
            for n in index.needs.indices {
                let all = Self.ranked(index, need: n, leavingOut: outOffers)
                for k in [1, 5, 20] {
                    let got = (0..<2).map { index.topOffers(need: n, k: k, part: $0, of: 2, excluding: outOffers) }
                    #expect(MatchIndex.merge(got, k: k).map(\.offer) == all.prefix(k).map(\.offer), "need \(index.needs[n].id), k \(k)")
                }
            }
            for o in index.offers.indices.prefix(20) {
                let all = index.needs.indices.filter { !outNeeds.contains($0) }.compactMap { n in index.score(need: n, offer: o).map { (need: n, score: $0) } }
                    .sorted { $0.score != $1.score ? $0.score > $1.score : $0.need < $1.need }
                let got = index.topNeeds(offers: [o], k: 5, excluding: outNeeds)
                #expect(got.map(\.need) == all.prefix(5).map(\.need), "offer \(index.offers[o].id)")
            }
        }
    }
}
