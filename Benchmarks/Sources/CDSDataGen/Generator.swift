@_spi(Tooling) import CDS
import CDSCore
import CDSStore

/// SplitMix64: the benchmarks' deterministic random numbers.
public struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    /// A generator from a seed.
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
    mutating func chance(_ p: Double) -> Bool { Double(next() % 1_000_000) < p * 1_000_000 }
}

/// Builds a synthetic CDS over three years (2024–2026) through the store's own API, in
/// batches, so that its event log is exactly what real use writes: the benchmarks'
/// deterministic data (same seed, same database).
public enum DataGenerator {
    /// The first day of the generated history.
    public static let start = LocalDate(year: 2024, month: 1, day: 1) ?? LocalDate(daysSinceEpoch: 0)
    /// How many days it spans.
    public static let days = 1096

    enum Op {
        case member(Int), project(Int), pledge(Int), confirm(Int), cancel(Int), deliver(Int), interaction(Int), agreement(Int), endAgreement(Int)
        case competence(Int, CompetenceKind), loseCommune(Int)
    }

    /// Fills `db` (new) with about `events` events; answers how many were written.
    public static func generate(into db: CDSDatabase, events: Int, seed: UInt64 = 20260301, progress: ((Int, Int) -> Void)? = nil) throws(CDSError) -> Int64 {
        var rng = SplitMix(seed: seed)
        let store = db.store
        let communes = try store.territories(level: .commune, limit: 1000).items.map(\.code)
        let countries = ["FR", "FR", "FR", "BE", "NL", "ES", "IT", "DE"]
        func day(_ d: Int) -> Instant { Instant(millisecondsSinceEpoch: Int64(start.daysSinceEpoch + min(d, days - 1)) * 86_400_000 + 36_000_000) }
        func date(_ d: Int) -> LocalDate { LocalDate(daysSinceEpoch: start.daysSinceEpoch + min(d, days - 1)) }

        // Organizations and ADCs exist from the start.
        var communeOrg: [String] = [], localOrg: [String] = [], diasporaOrgs: [String] = [], adcs: [String] = []
        let fac = try store.createMember(change: Change(at: day(0))) { $0.name = "Facilitation"; $0.gender = .f; $0.roles = [.facilitator]; $0.residenceCountry = "MA" }
        try store.batch { () throws(CDSError) in
            for (n, c) in communes.enumerated() {
                communeOrg.append(try store.createOrganization(change: Change(at: day(0))) { $0.kind = .commune; $0.territory = c }.id)
                localOrg.append(try store.createOrganization(change: Change(at: day(0))) {
                    $0.kind = n % 2 == 0 ? .cooperative : .localAssociation; $0.name = "Acteur \(n)"; $0.territory = c
                }.id)
                adcs.append(try store.createMember(change: Change(at: day(0))) {
                    $0.name = "ADC \(n)"; $0.gender = n % 2 == 0 ? .f : .m; $0.roles = [.adc]; $0.residenceCountry = "MA"; $0.adcCommune = c
                }.id)
            }
            for n in 0..<50 {
                diasporaOrgs.append(try store.createOrganization(change: Change(at: day(0))) {
                    $0.kind = .diasporaAssociation; $0.name = "Association \(n)"; $0.country = countries[n % countries.count]
                }.id)
            }
        }

        let memberCount = max(20, events / 4), projectCount = max(20, events / 100), contributionCount = max(20, events / 4), interactionCount = max(10, events / 20)
        var memberDay = [Int](), projectDay = [Int](), projectCommune = [Int]()
        var ops: [(day: Int, op: Op)] = []
        for m in 0..<memberCount { let d = rng.int(900); memberDay.append(d); ops.append((d, .member(m))) }
        for p in 0..<projectCount { let d = rng.int(900); projectDay.append(d); projectCommune.append(rng.int(communes.count)); ops.append((d, .project(p))) }
        var contribution: [(member: Int?, org: Int?, project: Int)] = []
        for c in 0..<contributionCount {
            let p = rng.int(projectCount)
            let byMember = rng.chance(0.85)
            let m = rng.int(memberCount)
            contribution.append((byMember ? m : nil, byMember ? nil : rng.int(diasporaOrgs.count), p))
            var d = max(projectDay[p], byMember ? memberDay[m] : 0) + 1 + rng.int(60)
            ops.append((d, .pledge(c)))
            if rng.chance(0.8) {
                d += 1 + rng.int(30); ops.append((d, .confirm(c)))
                if rng.chance(0.2) { d += 1 + rng.int(200); ops.append((d, .cancel(c))) } else if rng.chance(0.5) { d += 1 + rng.int(120); ops.append((d, .deliver(c))) }
            }
        }
        var interaction: [(member: Int, org: Int)] = []
        for i in 0..<interactionCount {
            let m = rng.int(memberCount)
            interaction.append((m, rng.int(communes.count)))
            ops.append((memberDay[m] + 1 + rng.int(180), .interaction(i)))
        }
        for (n, _) in communes.enumerated() {
            if rng.chance(0.6) {
                let d = rng.int(700)
                ops.append((d, .agreement(n)))
                if rng.chance(0.2) { ops.append((d + 30 + rng.int(300), .endAgreement(n))) }
            }
            if rng.chance(0.6) { ops.append((rng.int(900), .competence(n, .projectEngineering))) }
            if rng.chance(0.7) { ops.append((rng.int(900), .competence(n, .communication))) }
            if rng.chance(0.1) { ops.append((950 + rng.int(100), .loseCommune(n))) }
        }
        ops.sort { $0.day < $1.day }

        var members = [String](repeating: "", count: memberCount), projects = [String](repeating: "", count: projectCount)
        var contributions = [String](repeating: "", count: contributionCount), agreements = [Int: String]()
        let chunk = 20_000
        var done = 0
        while done < ops.count {
            let slice = ops[done..<min(ops.count, done + chunk)]
            try store.batch { () throws(CDSError) in
                for (d, op) in slice where d < days {
                    let at = Change(at: day(d))
                    switch op {
                    case .member(let m):
                        let heart = m % 10 == 0
                        let origin = !heart && m % 10 < 8 ? communes[(m * 7919) % communes.count] : nil
                        members[m] = try store.createMember(change: at) {
                            $0.name = "Membre \(m)"; $0.gender = m % 2 == 0 ? .f : .m; $0.roles = [.diaspora]
                            $0.residenceCountry = countries[m % countries.count]; $0.origin = origin; $0.heartDiaspora = heart
                        }.id
                    case .project(let p):
                        let commune = communes[projectCommune[p]]
                        let lead = p % 2 == 0 ? localOrg[projectCommune[p]] : nil
                        projects[p] = try store.createProject(change: at) { (x: inout Project) throws(CDSError) in
                            x.code = "B-\(p)"
                            x.title = try LocalizedText(json: ["fr": .string("Projet \(p)")], field: "title", max: 200)
                            x.communes = [commune]
                            x.leadOrganization = lead
                        }.id
                    case .pledge(let c):
                        let k = contribution[c]
                        let money = c % 3 == 0
                        contributions[c] = try store.createContribution(project: projects[k.project], change: at) {
                            $0.member = k.member.map { members[$0] }; $0.organization = k.org.map { diasporaOrgs[$0] }
                            $0.kind = money ? .finance : .skill
                            $0.quantity = money ? Quantity(unit: .money, amount: Int64(1 + c % 50) * 100_000, currency: c % 6 == 0 ? "EUR" : "MAD")
                                                : Quantity(unit: .personDays, amount: Int64(1 + c % 10))
                            $0.pledgedOn = date(d)
                        }.id
                    case .confirm(let c): _ = try store.moveContribution(contributions[c], to: .confirmed, on: date(d), note: nil, change: at)
                    case .cancel(let c): _ = try store.moveContribution(contributions[c], to: .cancelled, on: date(d), note: nil, change: at)
                    case .deliver(let c): _ = try store.moveContribution(contributions[c], to: .delivered, on: date(d), note: nil, change: at)
                    case .interaction(let i):
                        let k = interaction[i]
                        _ = try store.recordInteraction(kind: .call, on: date(d), member: members[k.member], diasporaOrganization: nil,
                                                        organization: localOrg[k.org], localMember: nil, project: nil, note: nil, change: at)
                    case .agreement(let n): agreements[n] = try store.signAgreement(organization: communeOrg[n], signedOn: date(d), change: at).id
                    case .endAgreement(let n): if let a = agreements[n] { _ = try store.endAgreement(a, endedOn: date(d), change: at) }
                    case .competence(let n, let k): _ = try store.attestCompetence(member: adcs[n], competence: k, on: date(d), by: fac.id, module: nil, change: at)
                    case .loseCommune(let n): _ = try store.updateMember(adcs[n], change: at) { $0.adcCommune = nil }
                    }
                }
            }
            done += chunk
            progress?(min(done, ops.count), ops.count)
        }
        return try store.verifyAuditChain().events
    }
}
