import CDSCore

/// The matcher's benchmark data, as PERFORMANCE.md describes it: 200 skills in 20 groups
/// with Zipf-like popularity (5 per member, 3 per need), 12 regions, 75 provinces and 1,500
/// communes, 8 languages, availability and travel windows, capacities and sectors. All
/// offers and needs are of the kind `skill`, so every pair counted is a pair scored.
public struct MatchWorld: Sendable {
    public var offers: [MatchOffer]
    public var needs: [MatchNeed]
    public var taxonomy: MatchTaxonomy

    static let languages = ["ar", "shi", "fr", "en", "es", "nl", "de", "it"]
    static let sectors = (0..<12).map { "SEC\($0)" }

    /// A world of `offers` offers (one per member) and `needs` needs.
    public static func generate(offers nOffers: Int, needs nNeeds: Int, seed: UInt64 = 20260301) -> MatchWorld {
        var rng = SplitMix(seed: seed)
        var parents: [String: String] = [:]
        var skills: [String] = []
        for g in 0..<20 {
            for s in 0..<10 {
                let code = "S\(g < 10 ? "0" : "")\(g).\(s)"
                parents[code] = "S\(g < 10 ? "0" : "")\(g)"
                skills.append(code)
            }
        }
        // Zipf-like popularity: skill i drawn with weight 1 / (i + 1), over a shuffled order.
        var order = skills
        order.shuffle(using: &rng)
        var cumulative: [Double] = []
        var acc = 0.0
        for i in 0..<order.count { acc += 1 / Double(i + 1); cumulative.append(acc) }
        func skill() -> String {
            let x = Double(rng.next() % 1_000_000_000) / 1_000_000_000 * acc
            var lo = 0, hi = cumulative.count - 1
            while lo < hi { let mid = (lo + hi) / 2; if cumulative[mid] < x { lo = mid + 1 } else { hi = mid } }
            return order[lo]
        }
        func distinctSkills(_ n: Int) -> [String] {
            var out: [String] = []
            while out.count < n { let s = skill(); if !out.contains(s) { out.append(s) } }
            return out
        }
        var territories: [String: (level: TerritoryLevel, parent: String?)] = [:]
        var communes: [String] = [], provinces: [String] = []
        for r in 0..<12 { territories["R\(r)"] = (.region, nil) }
        for p in 0..<75 {
            let province = "R\(p % 12).P\(p)"
            territories[province] = (.province, "R\(p % 12)")
            provinces.append(province)
            for c in 0..<20 {
                let commune = "\(province).C\(c)"
                territories[commune] = (.commune, province)
                communes.append(commune)
            }
        }
        let taxonomy = MatchTaxonomy(skillParent: parents, territories: territories, names: [:])
        let base = LocalDate(year: 2026, month: 1, day: 1)?.daysSinceEpoch ?? 20_454
        func window(travel: Bool) -> AvailabilityWindow {
            let f = base + rng.int(330)
            return AvailabilityWindow(from: LocalDate(daysSinceEpoch: f), until: LocalDate(daysSinceEpoch: f + 6 + rng.int(30)), travel: travel)
        }
        let languagesAbroad = ["en", "es", "nl", "de", "it"]
        func languages() -> [String] {
            var l: [String] = []
            if rng.chance(0.8) { l.append("ar") }
            if rng.chance(0.6) { l.append("shi") }
            if rng.chance(0.85) { l.append("fr") }
            if rng.chance(0.3) { l.append(languagesAbroad[rng.int(languagesAbroad.count)]) }
            return l
        }
        var offers: [MatchOffer] = []
        offers.reserveCapacity(nOffers)
        for i in 0..<nOffers {
            let abroad = rng.chance(0.85)
            let windows = rng.chance(0.6) ? (0..<(1 + rng.int(2))).map { _ in window(travel: abroad && rng.chance(0.8)) } : []
            let remote = rng.chance(0.7)
            offers.append(MatchOffer(
                id: "ofr\(i)", owner: "mbr\(i)", ownerIsMember: true, kind: .skill, skills: distinctSkills(5),
                capacity: Quantity(unit: .personDays, amount: Int64(1 + rng.int(30))), windows: windows,
                remote: remote, onSite: !remote || rng.chance(0.5), languages: languages(),
                origin: rng.chance(0.9) ? communes[rng.int(communes.count)] : nil,
                interests: (0..<rng.int(3)).map { _ in rng.chance(0.5) ? provinces[rng.int(provinces.count)] : communes[rng.int(communes.count)] },
                sectors: (0..<rng.int(3)).map { _ in sectors[rng.int(sectors.count)] }.uniqued(), abroad: abroad))
        }
        var needs: [MatchNeed] = []
        for i in 0..<nNeeds {
            let w: AvailabilityWindow? = rng.chance(0.7) ? window(travel: false) : nil
            let mode: WorkMode = [.onSite, .onSite, .remote, .either, .either][rng.int(5)]
            needs.append(MatchNeed(
                id: "ned\(i)", project: "prj\(i / 3)", kind: .skill, skills: distinctSkills(3),
                remaining: Quantity(unit: .personDays, amount: Int64(1 + rng.int(20))), from: w?.from, until: w?.until, mode: mode,
                languages: rng.chance(0.3) ? [["shi", "shi", "fr", "ar"][rng.int(4)]] : [],
                communes: [communes[rng.int(communes.count)]], sector: sectors[rng.int(sectors.count)]))
        }
        return MatchWorld(offers: offers, needs: needs, taxonomy: taxonomy)
    }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
