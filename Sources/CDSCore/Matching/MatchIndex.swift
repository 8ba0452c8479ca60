/// A scored pair: a need, an offer (indexes into `MatchIndex.needs` and `.offers`) and the
/// score as an integer (Σ weight × value per mille; divide by `MatchIndex.scale`).
public struct MatchHit: Sendable, Equatable {
    public var need: Int
    public var offer: Int
    public var score: Int
    /// A hit.
    public init(need: Int, offer: Int, score: Int) { self.need = need; self.offer = offer; self.score = score }
}

/// The matcher: eligible offers and open needs packed for scoring (structure of arrays),
/// with the candidate indexes (offers partitioned by kind, posting lists by language).
/// Scans over a need's offers run the vector kernel (`Vector`: eight offers per step, a
/// block skipped when none of its offers speaks the required languages); single pairs,
/// the best needs of an offer, and what the lanes cannot hold exactly run the scalar
/// kernel (`Kernel.evaluate`). Both give the same scores.
///
/// Hard constraints: the same kind; every language the need requires spoken; an on-site
/// need only with an offer that allows on-site work within a window overlapping the need's
/// (a travel window for a member abroad); a remote need only with a remote offer; not
/// declined before for that need. Eligibility (active offer, contact consent, capacity
/// left, need open) is settled before the offers and needs are given.
///
/// Score: Σ wᵢ·vᵢ with each value vᵢ per mille —
/// - skills: the mean over the need's skills of 1000 for the same code, 500 for a related
///   one (the offer holds its parent group, a sibling in that group, or a narrower skill);
///   1000 when the need names no skill;
/// - territory: the best of the origin (1000 same commune as the project, 600 same province,
///   300 same region) and the interests (800 the commune, 500 its province, 250 its region);
/// - time: ⌊1000 × days of the need's window covered by the offer's windows / its length⌋
///   (on site: the travel windows of a member abroad); 1000 without a window on either side;
/// - capacity: ⌊1000 × min(left, asked) / asked⌋ in the same unit and currency, else 500;
/// - sector: 1000 when the project's sector is of interest, 500 when the offer names none
///   or the project has none, else 0.
/// Ties break on ids (the offer's, then the need's): the same data gives the same result.
public final class MatchIndex: @unchecked Sendable {
    /// What a score is out of: the sum of the weights × 1000.
    public let scale: Int
    public let weights: MatchWeights
    /// Offers, sorted by kind then id.
    public let offers: [MatchOffer]
    /// Needs, sorted by id.
    public let needs: [MatchNeed]
    let taxonomy: MatchTaxonomy

    let w: (Int32, Int32, Int32, Int32, Int32)
    let words: Int
    let oLang: Buffer<UInt64>
    let oFlags: Buffer<UInt8>
    let oSkill: Buffer<UInt64>
    let oGroup: Buffer<UInt64>
    /// The need skills an offer relates to: its groups and every skill under them.
    let oRelated: Buffer<UInt64>
    let oOrigin: Buffer<Int32>
    let oInterestStart: Buffer<Int32>
    let oInterest: Buffer<Int32>
    let oAllStart: Buffer<Int32>
    let oAll: Buffer<Int32>
    let oSiteStart: Buffer<Int32>
    let oSite: Buffer<Int32>
    let oCap: Buffer<Int64>
    let oUnit: Buffer<Int32>
    let oSector: Buffer<UInt32>
    let kindRanges: [Range<Int>]
    /// The offers in blocks of eight for the vector kernel.
    let vector: Vector
    /// kind → language → offers of that kind speaking it (ascending).
    let postings: [[[Int32]]]
    let rows: [NeedRow]
    /// Per distinct set of project communes: origin values then interest values by territory.
    let tables: Buffer<UInt16>
    let territoryCount: Int
    let territoryIndex: [String: Int32]
    let territoryCodes: [String]
    let languageIndex: [String: Int]
    let sectorIndex: [String: Int]
    let needIndex: [String: Int]
    let offerIndex: [String: Int]

    static let remoteFlag: UInt8 = 1, onSiteFlag: UInt8 = 2, anyTimeFlag: UInt8 = 4
    /// More than two windows of a kind or two interests: scored one pair at a time.
    static let slowFlag: UInt8 = 8

    struct NeedRow {
        var kind: Int
        var lang: UInt64
        var mode: WorkMode
        var hasWindow: Bool
        var from: Int32
        var until: Int32
        var skills: [(exact: Int32, parent: Int32)]
        /// The need's skills as a bitset (`words` words).
        var mask: [UInt64]
        var quantity: Int64
        var unit: Int32
        /// Days in the window (1 without one).
        var length: Int64 { max(1, Int64(until) - Int64(from) + 1) }
        var sectorBit: UInt32
        var table: Int
        var declined: [Int32]
    }

    /// The most distinct languages the needs may require (one bit each in a 64-bit mask).
    public static let maxLanguages = 64
    /// The most distinct sectors the needs may have (one bit each; the 32nd says "elsewhere").
    public static let maxSectors = 31

    /// Packs offers and needs. Codes outside the taxonomy are kept (they match only
    /// themselves). Only what the needs ask gets a bit: the languages they require (at most
    /// `maxLanguages`) and their projects' sectors (at most `maxSectors`); more is an error,
    /// never a silent truncation.
    public init(offers: [MatchOffer], needs: [MatchNeed], taxonomy: MatchTaxonomy, weights: MatchWeights = .standard) throws(CDSError) {
        try weights.validate()
        self.weights = weights
        scale = weights.total * 1000
        w = (Int32(weights.skills), Int32(weights.territory), Int32(weights.time), Int32(weights.capacity), Int32(weights.sector))
        self.taxonomy = taxonomy
        let kinds = ResourceKind.allCases
        let kindOrder = Dictionary(uniqueKeysWithValues: kinds.enumerated().map { ($1, $0) })
        // Sorted through their positions (moving an offer copies and retains its arrays),
        // with each offer's kind ranked once.
        let rank = offers.map { kindOrder[$0.kind] ?? 0 }
        let offers = offers.indices.sorted { a, b in rank[a] != rank[b] ? rank[a] < rank[b] : offers[a].id < offers[b].id }.map { offers[$0] }
        let needs = needs.indices.sorted { needs[$0].id < needs[$1].id }.map { needs[$0] }
        self.offers = offers
        self.needs = needs
        var offerIndex: [String: Int] = [:]
        for (i, o) in offers.enumerated() {
            guard offerIndex.updateValue(i, forKey: o.id) == nil else { throw CDSError.invalid("offers", "offer \(o.id) is given twice") }
            guard o.capacity.amount > 0 else { throw CDSError.invalid("offers", "offer \(o.id) has no capacity left") }
        }
        var needIndex: [String: Int] = [:]
        for (i, n) in needs.enumerated() {
            guard needIndex.updateValue(i, forKey: n.id) == nil else { throw CDSError.invalid("needs", "need \(n.id) is given twice") }
            guard n.remaining.amount > 0 else { throw CDSError.invalid("needs", "need \(n.id) lacks nothing") }
        }
        self.offerIndex = offerIndex
        self.needIndex = needIndex

        // Interned codes. Only the skills the needs ask and their groups get a bit: an
        // offer's other skills count only through their group, and the score never reads them.
        var skillIndex: [String: Int32] = [:]
        func skill(_ code: String) -> Int32 {
            if let i = skillIndex[code] { return i }
            let i = Int32(skillIndex.count)
            skillIndex[code] = i
            return i
        }
        for code in needs.flatMap(\.skills).sorted() {
            _ = skill(code)
            if let p = taxonomy.skillParent[code] { _ = skill(p) }
        }
        let words = max(1, (skillIndex.count + 63) / 64)
        self.words = words
        // A language counts only when a need requires it (an offer's others never decide a
        // match), so every required language has a bit of its own.
        let languages = Set(needs.flatMap(\.languages)).sorted()
        guard languages.count <= MatchIndex.maxLanguages else {
            throw CDSError.invalid("needs", "the open needs require \(languages.count) distinct languages; the matcher indexes at most \(MatchIndex.maxLanguages)")
        }
        let languageIndex = Dictionary(uniqueKeysWithValues: languages.enumerated().map { ($1, $0) })
        self.languageIndex = languageIndex
        // The needs' sectors have a bit each; an offer's interests elsewhere share the last
        // bit, which says "interested, but not in this sector".
        let sectors = Set(needs.compactMap(\.sector)).sorted()
        guard sectors.count <= MatchIndex.maxSectors else {
            throw CDSError.invalid("needs", "the open needs' projects are in \(sectors.count) distinct sectors; the matcher indexes at most \(MatchIndex.maxSectors)")
        }
        let sectorIndex = Dictionary(uniqueKeysWithValues: sectors.enumerated().map { ($1, $0) })
        self.sectorIndex = sectorIndex
        let territoryCodes = taxonomy.territories.keys.sorted()
        guard territoryCodes.count < Int(UInt16.max) else { throw CDSError.invalid("taxonomy", "at most 65,534 territories") }
        self.territoryCodes = territoryCodes
        let territoryIndex = Dictionary(uniqueKeysWithValues: territoryCodes.enumerated().map { ($1, Int32($0)) })
        self.territoryIndex = territoryIndex
        territoryCount = territoryCodes.count
        var currencies: [String: Int32] = [:]
        func unit(_ q: Quantity) -> Int32 {
            switch q.unit {
            case .personDays: return 0
            case .units: return 1
            case .money:
                let c = q.currency ?? ""
                if let i = currencies[c] { return i }
                let i = Int32(2 + currencies.count)
                currencies[c] = i
                return i
            }
        }
        func mask(_ codes: [String]) -> UInt64 {
            codes.reduce(0) { m, c in languageIndex[c].map { m | (1 << UInt64($0)) } ?? m }
        }

        // Offers, structure of arrays.
        let n = offers.count
        oLang = Buffer(n, 0); oFlags = Buffer(n, 0); oSkill = Buffer(n * words, 0); oGroup = Buffer(n * words, 0); oRelated = Buffer(n * words, 0)
        var children: [Int32: [Int32]] = [:]
        for (code, s) in skillIndex { if let p = taxonomy.skillParent[code], let ps = skillIndex[p] { children[ps, default: []].append(s) } }
        oOrigin = Buffer(n, Int32(territoryCodes.count)); oCap = Buffer(n, 0); oUnit = Buffer(n, 0); oSector = Buffer(n, 0)
        // Up to two windows inline per offer (site then all: 8 day numbers; an empty slot is
        // [Int32.max, Int32.min]) and two interests (territory slots): what the vector
        // kernel's blocks are packed from.
        let oWindowsIn = Buffer<Int32>(n * 8, 0), oInterestIn = Buffer(n * 2, UInt16(truncatingIfNeeded: territoryCodes.count))
        var interestStart: [Int32] = [0], interest: [Int32] = []
        var allStart: [Int32] = [0], all: [Int32] = [], siteStart: [Int32] = [0], site: [Int32] = []
        for (i, o) in offers.enumerated() {
            oLang[i] = mask(o.languages)
            var flags: UInt8 = 0
            if o.remote { flags |= MatchIndex.remoteFlag }
            if o.onSite { flags |= MatchIndex.onSiteFlag }
            if o.windows.isEmpty { flags |= MatchIndex.anyTimeFlag }
            for code in o.skills {
                if let s = skillIndex[code] {
                    oSkill[i * words + Int(s >> 6)] |= 1 << UInt64(s & 63)
                    oGroup[i * words + Int(s >> 6)] |= 1 << UInt64(s & 63)
                }
                if let p = taxonomy.skillParent[code], let ps = skillIndex[p] { oGroup[i * words + Int(ps >> 6)] |= 1 << UInt64(ps & 63) }
            }
            for w in 0..<words {
                var g = oGroup[i * words + w]
                oRelated[i * words + w] |= g
                while g != 0 {
                    let b = Int32(w * 64 + g.trailingZeroBitCount)
                    g &= g - 1
                    for c in children[b] ?? [] { oRelated[i * words + Int(c >> 6)] |= 1 << UInt64(c & 63) }
                }
            }
            if let origin = o.origin, let t = territoryIndex[origin] { oOrigin[i] = t }
            let interests = o.interests.compactMap { territoryIndex[$0] }
            interest += interests
            interestStart.append(Int32(interest.count))
            let allWindows = MatchIndex.merged(o.windows)
            all += allWindows
            allStart.append(Int32(all.count / 2))
            let siteWindows = MatchIndex.merged(o.abroad ? o.windows.filter(\.travel) : o.windows)
            site += siteWindows
            siteStart.append(Int32(site.count / 2))
            if interests.count > 2 || allWindows.count > 4 || siteWindows.count > 4 { flags |= MatchIndex.slowFlag }
            for j in 0..<2 {
                for (k, list) in [siteWindows, allWindows].enumerated() {
                    oWindowsIn[i * 8 + k * 4 + j * 2] = 2 * j < list.count ? list[2 * j] : Int32.max
                    oWindowsIn[i * 8 + k * 4 + j * 2 + 1] = 2 * j < list.count ? list[2 * j + 1] : Int32.min
                }
                if j < interests.count { oInterestIn[i * 2 + j] = UInt16(truncatingIfNeeded: interests[j]) }
            }
            oFlags[i] = flags
            oCap[i] = o.capacity.amount
            oUnit[i] = unit(o.capacity)
            oSector[i] = o.sectors.reduce(0) { m, c in m | (1 << UInt32(sectorIndex[c] ?? MatchIndex.maxSectors)) }
        }
        oInterestStart = Buffer(interestStart); oInterest = Buffer(interest)
        oAllStart = Buffer(allStart); oAll = Buffer(all); oSiteStart = Buffer(siteStart); oSite = Buffer(site)
        vector = Vector(OfferColumns(count: n, words: words, oFlags: oFlags, oWindowsIn: oWindowsIn, oOrigin: oOrigin, oInterestIn: oInterestIn,
                                     oCap: oCap, oUnit: oUnit, oSector: oSector, oLang: oLang, oSkill: oSkill, oRelated: oRelated),
                        territoryCodes: territoryCodes, skillCount: skillIndex.count,
                        asked: Set(needs.flatMap(\.skills).compactMap { skillIndex[$0].map(Int.init) }), languageCount: languages.count, taxonomy: taxonomy)

        var ranges: [Range<Int>] = []
        var postings: [[[Int32]]] = []
        var start = 0
        for k in kinds {
            var end = start
            while end < n, offers[end].kind == k { end += 1 }
            ranges.append(start..<end)
            var lists = Array(repeating: [Int32](), count: languages.count)
            for i in start..<end {
                var m = oLang[i]
                while m != 0 {
                    let l = m.trailingZeroBitCount
                    lists[l].append(Int32(i))
                    m &= m - 1
                }
            }
            postings.append(lists)
            start = end
        }
        kindRanges = ranges
        self.postings = postings

        // Needs, with one pair of territory tables per set of project communes. The
        // territories' ancestors are named by ids, looked up once per code.
        var ancestorIDs: [String: Int32] = [:]
        func ids(_ code: String) -> (Int32?, Int32?, Int32?) {
            func id(_ name: String?) -> Int32? {
                guard let name else { return nil }
                if let i = ancestorIDs[name] { return i }
                let i = Int32(ancestorIDs.count)
                ancestorIDs[name] = i
                return i
            }
            let a = taxonomy.ancestors(code)
            return (id(a.commune), id(a.province), id(a.region))
        }
        let ancestry = territoryCodes.map(ids)
        var tableOf: [[String]: Int] = [:]
        var tableValues: [UInt16] = []
        let slots = territoryCodes.count + 1
        var rows: [NeedRow] = []
        for need in needs {
            let communes = need.communes.sorted()
            let table: Int
            if let t = tableOf[communes] { table = t } else {
                table = tableOf.count
                tableOf[communes] = table
                var origin = [UInt16](repeating: 0, count: slots), interests = [UInt16](repeating: 0, count: slots)
                let places = communes.map(ids)
                for (t, place) in ancestry.enumerated() {
                    origin[t] = UInt16(MatchIndex.territoryValue(place, places, interest: false).value)
                    interests[t] = UInt16(MatchIndex.territoryValue(place, places, interest: true).value)
                }
                tableValues += origin + interests
            }
            let declined = need.declined.compactMap { offerIndex[$0].map(Int32.init) }.sorted()
            rows.append(NeedRow(
                kind: kindOrder[need.kind] ?? 0, lang: mask(need.languages),
                mode: need.mode, hasWindow: need.from != nil && need.until != nil,
                from: Int32(clamping: need.from?.daysSinceEpoch ?? Int(Int32.min / 2)), until: Int32(clamping: need.until?.daysSinceEpoch ?? Int(Int32.max / 2)),
                skills: need.skills.map { code in (skillIndex[code] ?? -1, taxonomy.skillParent[code].flatMap { skillIndex[$0] } ?? -1) },
                mask: need.skills.reduce(into: [UInt64](repeating: 0, count: words)) { m, code in
                    if let s = skillIndex[code] { m[Int(s >> 6)] |= 1 << UInt64(s & 63) }
                },
                quantity: need.remaining.amount, unit: unit(need.remaining),
                sectorBit: need.sector.flatMap { sectorIndex[$0] }.map { 1 << UInt32($0) } ?? 0, table: table, declined: declined))
        }
        self.rows = rows
        tables = Buffer(tableValues)
    }

    /// Sorted, merged windows as flat `[from, until, from, until, …]` day numbers.
    static func merged(_ windows: [AvailabilityWindow]) -> [Int32] {
        var out: [Int32] = []
        for wnd in windows.sorted(by: { $0.from < $1.from }) {
            let f = Int32(clamping: wnd.from.daysSinceEpoch), u = Int32(clamping: wnd.until.daysSinceEpoch)
            if let last = out.last, f <= last &+ 1 { out[out.count - 1] = max(last, u) } else { out += [f, u] }
        }
        return out
    }

    /// The territory values (per mille) of a place an offer names, by the level it shares
    /// with one of the project's communes: its origin, or one of its interests. The scalar
    /// kernel's tables, the vector kernel's lanes and the top-k's bounds all read these.
    enum Shared {
        @inline(__always) static var originCommune: Int { 1000 }
        @inline(__always) static var originProvince: Int { 600 }
        @inline(__always) static var originRegion: Int { 300 }
        @inline(__always) static var interestCommune: Int { 800 }
        @inline(__always) static var interestProvince: Int { 500 }
        @inline(__always) static var interestRegion: Int { 250 }
    }

    /// The territorial value of a territory for a project's communes, and the reason.
    static func territoryValue(_ code: String, communes: [String], taxonomy: MatchTaxonomy, interest: Bool) -> (value: Int, reason: String) {
        let t = taxonomy.ancestors(code)
        return territoryValue((t.commune, t.province, t.region), communes.map { c in
            let a = taxonomy.ancestors(c)
            return (a.commune, a.province, a.region)
        }, interest: interest)
    }

    /// The territorial value of a place, given as its (commune, province, region), for
    /// the places of a project's communes, and the reason: the best level shared. Any
    /// equatable names of the territories do (codes, or ids standing for them).
    @inline(__always)
    static func territoryValue<T: Equatable>(_ t: (T?, T?, T?), _ communes: [(T?, T?, T?)], interest: Bool) -> (value: Int, reason: String) {
        var best = (0, "no_territory_link")
        for a in communes {
            let v: (Int, String)
            if t.0 != nil, t.0 == a.0 {
                v = interest ? (Shared.interestCommune, "interest_commune") : (Shared.originCommune, "origin_commune")
            } else if t.1 != nil, t.1 == a.1 {
                v = interest ? (Shared.interestProvince, "interest_province") : (Shared.originProvince, "origin_province")
            } else if t.2 != nil, t.2 == a.2 {
                v = interest ? (Shared.interestRegion, "interest_region") : (Shared.originRegion, "origin_region")
            }
            else { continue }
            if v.0 > best.0 { best = v }
        }
        return best
    }

    // MARK: - The kernel

    /// The offers' arrays as raw pointers (valid while the index lives) and the weights:
    /// what the hot loop reads, held in registers rather than reloaded through objects.
    struct Kernel {
        let lang: UnsafeMutablePointer<UInt64>, flags: UnsafeMutablePointer<UInt8>
        let skill: UnsafeMutablePointer<UInt64>, related: UnsafeMutablePointer<UInt64>, words: Int
        let origin: UnsafeMutablePointer<Int32>, interestStart: UnsafeMutablePointer<Int32>, interest: UnsafeMutablePointer<Int32>
        let allStart: UnsafeMutablePointer<Int32>, all: UnsafeMutablePointer<Int32>
        let siteStart: UnsafeMutablePointer<Int32>, site: UnsafeMutablePointer<Int32>
        let cap: UnsafeMutablePointer<Int64>, unit: UnsafeMutablePointer<Int32>, sector: UnsafeMutablePointer<UInt32>
        let w0: Int32, w1: Int32, w2: Int32, w3: Int32, w4: Int32

        /// The score of a pair, or -1 when a hard constraint fails: the rules over every
        /// window and interest, one pair at a time (the vector kernel scores eight at once).
        func evaluate(_ r: NeedRowView, _ o: Int) -> Int32 {
            if r.lang & ~lang[o] != 0 { return -1 }
            let f = flags[o]
            let anyTime = f & MatchIndex.anyTimeFlag != 0
            var onSiteWindows = false
            switch r.mode {
            case .remote:
                if f & MatchIndex.remoteFlag == 0 { return -1 }
            case .onSite:
                if f & MatchIndex.onSiteFlag == 0 { return -1 }
                if !anyTime, !siteOverlap(r, o) { return -1 }
                onSiteWindows = true
            case .either:
                if f & MatchIndex.remoteFlag == 0 {
                    if f & MatchIndex.onSiteFlag == 0 { return -1 }
                    if !anyTime, !siteOverlap(r, o) { return -1 }
                    onSiteWindows = true
                }
            }
            if r.declinedCount > 0, r.isDeclined(Int32(truncatingIfNeeded: o)) { return -1 }
            return w0 &* skillValue(r, o) &+ w1 &* territoryValue(r, o) &+ w2 &* timeValue(r, o, anyTime: anyTime, onSite: onSiteWindows)
                &+ w3 &* capacityValue(r, o) &+ w4 &* sectorValue(r, o)
        }

        @inline(__always)
        func siteOverlap(_ r: NeedRowView, _ o: Int) -> Bool {
            let a = Int(siteStart[o]), b = Int(siteStart[o &+ 1])
            if !r.hasWindow { return b > a }
            var i = a
            while i < b {
                if site[2 &* i] <= r.until && site[2 &* i &+ 1] >= r.from { return true }
                i &+= 1
            }
            return false
        }

        /// Skills: each need skill the offer holds counts two half-credits, one it relates
        /// to (its parent group, a sibling, a narrower skill: the `related` bits, which hold
        /// the offer's own skills too) one more.
        @inline(__always)
        func skillValue(_ r: NeedRowView, _ o: Int) -> Int32 {
            var steps = 0
            let sb = o &* words
            var j = 0
            while j < words {
                let m = r.skillMask[j]
                steps &+= (skill[sb &+ j] & m).nonzeroBitCount &+ (related[sb &+ j] & m).nonzeroBitCount
                j &+= 1
            }
            return r.skillSteps[steps]
        }

        @inline(__always)
        func territoryValue(_ r: NeedRowView, _ o: Int) -> Int32 {
            var best = r.origin[Int(origin[o])]
            var i = Int(interestStart[o])
            let end = Int(interestStart[o &+ 1])
            while i < end {
                best = max(best, r.interest[Int(interest[i])])
                i &+= 1
            }
            return Int32(best)
        }

        @inline(__always)
        func timeValue(_ r: NeedRowView, _ o: Int, anyTime: Bool, onSite: Bool) -> Int32 {
            if !r.hasWindow || anyTime { return 1000 }
            let starts = onSite ? siteStart : allStart, wins = onSite ? site : all
            var covered: Int64 = 0
            var i = Int(starts[o])
            let end = Int(starts[o &+ 1])
            while i < end {
                let a = max(r.from, wins[2 &* i]), b = min(r.until, wins[2 &* i &+ 1])
                if b >= a { covered &+= Int64(b) &- Int64(a) &+ 1 }
                i &+= 1
            }
            if r.timeTable.count != 0 { return r.timeTable[Int(covered)] }
            return Int32(truncatingIfNeeded: covered &* 1000 / r.length)
        }

        /// Capacity: the share of what is asked the offer can give, by the need's table
        /// (indexed up to the quantity itself) when it has one.
        @inline(__always)
        func capacityValue(_ r: NeedRowView, _ o: Int) -> Int32 {
            let c = cap[o]
            let v = r.capacityTable.count != 0 ? r.capacityTable[Int(min(c, r.quantity))] : MatchIndex.perMille(c, of: r.quantity)
            return unit[o] == r.unit ? v : 500
        }

        @inline(__always)
        func sectorValue(_ r: NeedRowView, _ o: Int) -> Int32 {
            let m = sector[o]
            if r.sectorBit == 0 || m == 0 { return 500 }
            return m & r.sectorBit != 0 ? 1000 : 0
        }
    }

    /// ⌊1000 × part / whole⌋ for 0 ≤ part < whole, exact for every Int64.
    static func perMille(_ part: Int64, of whole: Int64) -> Int32 {
        if part >= whole { return 1000 }
        if whole <= Int64.max / 1000 { return Int32(truncatingIfNeeded: part * 1000 / whole) }
        return Int32(truncatingIfNeeded: whole.dividingFullWidth(part.multipliedFullWidth(by: 1000)).quotient)
    }

    /// The kernel's pointers.
    var kernel: Kernel {
        Kernel(lang: oLang.base, flags: oFlags.base, skill: oSkill.base, related: oRelated.base, words: words, origin: oOrigin.base,
               interestStart: oInterestStart.base, interest: oInterest.base, allStart: oAllStart.base, all: oAll.base,
               siteStart: oSiteStart.base, site: oSite.base, cap: oCap.base, unit: oUnit.base, sector: oSector.base,
               w0: w.0, w1: w.1, w2: w.2, w3: w.3, w4: w.4)
    }

    /// A need's row, as raw pointers for the kernel, with its division tables.
    struct NeedRowView {
        let lang: UInt64
        let mode: WorkMode
        let hasWindow: Bool
        let from: Int32
        let until: Int32
        let length: Int64
        /// The need's skills as a bitset.
        let skillMask: UnsafeBufferPointer<UInt64>
        /// The skill value by half-credits: ⌊500 × steps / count⌋.
        let skillSteps: UnsafeBufferPointer<Int32>
        /// The time value by days covered, when the window is short (else empty: divide).
        let timeTable: UnsafeBufferPointer<Int32>
        let quantity: Int64
        /// The capacity value by capacity below the quantity, when it is small (else empty: divide).
        let capacityTable: UnsafeBufferPointer<Int32>
        let unit: Int32
        let sectorBit: UInt32
        let origin: UnsafePointer<UInt16>
        let interest: UnsafePointer<UInt16>
        let declined: UnsafeBufferPointer<Int32>
        let declinedCount: Int

        @inline(__always)
        func isDeclined(_ o: Int32) -> Bool {
            var lo = 0, hi = declinedCount
            while lo < hi {
                let mid = (lo + hi) / 2
                if declined[mid] < o { lo = mid + 1 } else { hi = mid }
            }
            return lo < declinedCount && declined[lo] == o
        }
    }

    /// Runs `body` with the kernel's view of need `n`; `tables` builds the division tables
    /// (worth it when the need meets many offers).
    @inline(__always)
    func withRow<T>(_ n: Int, tables divide: Bool = true, _ body: (NeedRowView) -> T) -> T {
        let row = rows[n]
        let slots = territoryCount + 1
        let (steps, time, capacity) = MatchIndex.divisionTables(row, divide: divide)
        return row.mask.withUnsafeBufferPointer { mask in
            row.declined.withUnsafeBufferPointer { declined in
                steps.withUnsafeBufferPointer { steps in
                    time.withUnsafeBufferPointer { time in
                        capacity.withUnsafeBufferPointer { capacity in
                            let origin = UnsafePointer(tables.base + row.table * 2 * slots)
                            return body(NeedRowView(lang: row.lang, mode: row.mode, hasWindow: row.hasWindow, from: row.from, until: row.until,
                                                    length: row.length, skillMask: mask, skillSteps: steps, timeTable: time, quantity: row.quantity,
                                                    capacityTable: capacity, unit: row.unit, sectorBit: row.sectorBit, origin: origin, interest: origin + slots,
                                                    declined: declined, declinedCount: declined.count))
                        }
                    }
                }
            }
        }
    }

    /// A need's division tables: the skill value by half-credits, and (with `divide`, when
    /// short enough) the time value by days covered and the capacity value by units offered.
    static func divisionTables(_ row: NeedRow, divide: Bool) -> (steps: [Int32], time: [Int32], capacity: [Int32]) {
        let count = row.skills.count
        let steps = (0...(2 * count)).map { count == 0 ? Int32(1000) : Int32(500 * $0 / count) }
        let time: [Int32] = divide && row.hasWindow && row.length <= 4096 ? (0...Int(row.length)).map { Int32(Int64($0) * 1000 / row.length) } : []
        let capacity: [Int32] = divide && row.quantity <= 4096 ? (0...Int(max(row.quantity, 0))).map { MatchIndex.perMille(Int64($0), of: row.quantity) } : []
        return (steps, time, capacity)
    }

    /// Runs `body` with the kernel's views of many needs at once (their tables in shared
    /// arenas), for the batch scans.
    func withRows<T>(_ list: [Int], _ body: ([NeedRowView]) -> T) -> T {
        let slots = territoryCount + 1
        var declined: [Int32] = [], steps: [Int32] = [], time: [Int32] = [], capacity: [Int32] = []
        var masks: [UInt64] = []
        var at: [(declined: Int, steps: Int, time: Int, capacity: Int)] = []
        for n in list {
            let row = rows[n]
            at.append((declined.count, steps.count, time.count, capacity.count))
            masks += row.mask
            declined += row.declined
            let t = MatchIndex.divisionTables(row, divide: true)
            steps += t.steps
            time += t.time
            capacity += t.capacity
        }
        at.append((declined.count, steps.count, time.count, capacity.count))
        let words = self.words
        return masks.withUnsafeBufferPointer { ma in
            declined.withUnsafeBufferPointer { de in
                steps.withUnsafeBufferPointer { st in
                    time.withUnsafeBufferPointer { ti in
                        capacity.withUnsafeBufferPointer { ca in
                            var views: [NeedRowView] = []
                            views.reserveCapacity(list.count)
                            for (i, n) in list.enumerated() {
                                let row = rows[n], a = at[i], b = at[i + 1]
                                let origin = UnsafePointer(tables.base + row.table * 2 * slots)
                                let dec = UnsafeBufferPointer(rebasing: de[a.declined..<b.declined])
                                views.append(NeedRowView(
                                    lang: row.lang, mode: row.mode, hasWindow: row.hasWindow, from: row.from, until: row.until,
                                    length: row.length, skillMask: UnsafeBufferPointer(rebasing: ma[i * words..<(i + 1) * words]), skillSteps: UnsafeBufferPointer(rebasing: st[a.steps..<b.steps]),
                                    timeTable: UnsafeBufferPointer(rebasing: ti[a.time..<b.time]), quantity: row.quantity,
                                    capacityTable: UnsafeBufferPointer(rebasing: ca[a.capacity..<b.capacity]), unit: row.unit, sectorBit: row.sectorBit,
                                    origin: origin, interest: origin + slots, declined: dec, declinedCount: dec.count))
                            }
                            return body(views)
                        }
                    }
                }
            }
        }
    }

    // Component values for explanations (the kernel's own functions).
    func skillValue(_ r: NeedRowView, _ o: Int) -> Int32 { kernel.skillValue(r, o) }
    func territoryValue(_ r: NeedRowView, _ o: Int) -> Int32 { kernel.territoryValue(r, o) }
    func timeValue(_ r: NeedRowView, _ o: Int, anyTime: Bool, onSite: Bool) -> Int32 { kernel.timeValue(r, o, anyTime: anyTime, onSite: onSite) }
    func capacityValue(_ r: NeedRowView, _ o: Int) -> Int32 { kernel.capacityValue(r, o) }
    func sectorValue(_ r: NeedRowView, _ o: Int) -> Int32 { kernel.sectorValue(r, o) }

    // MARK: - Queries

    /// The score of need `n` with offer `o`, or nil when a hard constraint fails.
    public func score(need n: Int, offer o: Int) -> Int? {
        guard needs.indices.contains(n), offers.indices.contains(o), rows[n].kind < kindRanges.count, kindRanges[rows[n].kind].contains(o) else { return nil }
        let k = kernel
        let s = withRow(n, tables: false) { r in k.evaluate(r, o) }
        return s < 0 ? nil : Int(s)
    }

    /// The offers that the indexes give for need `n`: its kind's offers speaking its
    /// rarest required language, or all of its kind when it requires none.
    public func candidates(need n: Int) -> [Int] {
        guard needs.indices.contains(n) else { return [] }
        let row = rows[n]
        if row.lang == 0 { return Array(kindRanges[row.kind]) }
        return (rarestPosting(row) ?? []).map(Int.init)
    }

    /// The posting list of the need's rarest required language (nil: it requires a
    /// language no offer speaks).
    func rarestPosting(_ row: NeedRow) -> [Int32]? {
        if row.lang >> 63 != 0, languageIndex.count < 64 { return nil }
        var best: [Int32]? = nil
        var m = row.lang
        while m != 0 {
            let l = m.trailingZeroBitCount
            let list = postings[row.kind][l]
            if best == nil || list.count < best?.count ?? 0 { best = list }
            m &= m - 1
        }
        return best
    }

    /// The `k` best offers for need `n` (score descending, then offer id).
    public func topOffers(need n: Int, k: Int) -> [MatchHit] { topOffers(need: n, k: k, part: 0, of: 1) }

    /// The `k` best offers for need `n` among the `part`-th of `parts` equal slices of its
    /// candidates, the offers `excluded` left out: threads share one need's scan and `merge`
    /// their answers.
    public func topOffers(need n: Int, k: Int, part: Int, of parts: Int, excluding excluded: Set<Int> = []) -> [MatchHit] {
        guard needs.indices.contains(n), k > 0, parts > 0, (0..<parts).contains(part) else { return [] }
        var heap = TopK(k, excluding: excluded)
        if let lanes = NeedLanes(self, n, vector: vector) {
            withRow(n, tables: false) { r in
                scan(lanes, r, blocks: MatchIndex.slice(lanes.blocks, part: part, of: parts), prune: true) { b, s in MatchIndex.offer(s, block: b, to: &heap) }
            }
            return heap.sorted().map { MatchHit(need: n, offer: $0.index, score: Int($0.score)) }
        }
        let row = rows[n]
        let kern = kernel
        withRow(n) { r in
            if row.lang == 0 {
                for o in MatchIndex.slice(kindRanges[row.kind], part: part, of: parts) {
                    heap.offer(score: kern.evaluate(r, o), index: o)
                }
            } else if let list = rarestPosting(row) {
                list.withUnsafeBufferPointer { list in
                    for o in list[MatchIndex.slice(list.indices, part: part, of: parts)] { heap.offer(score: kern.evaluate(r, Int(o)), index: Int(o)) }
                }
            }
        }
        return heap.sorted().map { MatchHit(need: n, offer: $0.index, score: Int($0.score)) }
    }

    /// The `k` best of several answers for the same need (score descending, then offer).
    public static func merge(_ parts: [[MatchHit]], k: Int) -> [MatchHit] {
        Array(parts.joined().sorted { $0.score != $1.score ? $0.score > $1.score : $0.offer < $1.offer }.prefix(max(0, k)))
    }

    /// The `k` best needs for offer `o` (score descending, then need id).
    public func topNeeds(offer o: Int, k: Int) -> [MatchHit] { topNeeds(offers: [o], k: k) }

    /// The `k` best needs for a set of offers (a member's): each need once, with the
    /// offer that scores best for it (ties on the offer id); the needs `excluded` left out.
    public func topNeeds(offers list: [Int], k: Int, excluding excluded: Set<Int> = []) -> [MatchHit] {
        guard k > 0 else { return [] }
        let list = list.filter { offers.indices.contains($0) }.sorted()
        guard !list.isEmpty else { return [] }
        var heap = TopK(k, excluding: excluded)
        var bestOffer: [Int: Int] = [:]
        let kern = kernel
        for n in needs.indices {
            let range = kindRanges[rows[n].kind]
            guard list.contains(where: { range.contains($0) }) else { continue }
            var best: Int32 = -1, bestO = -1
            withRow(n, tables: false) { r in
                for o in list where range.contains(o) {
                    let s = kern.evaluate(r, o)
                    if s > best { best = s; bestO = o }
                }
            }
            if best >= 0, heap.offer(score: best, index: n) { bestOffer[n] = bestO }
        }
        return heap.sorted().map { MatchHit(need: $0.index, offer: bestOffer[$0.index] ?? -1, score: Int($0.score)) }
    }

    /// Scores every pair of need × offer of the same kind for needs in `range` (hard
    /// constraints included) and returns how many were feasible: the full scan.
    public func scoreAll(needs range: Range<Int>) -> (pairs: Int, feasible: Int, checksum: Int) { scoreAll(needs: range, block: 2048) }

    func scoreAll(needs range: Range<Int>, block: Int) -> (pairs: Int, feasible: Int, checksum: Int) {
        var pairs = 0, feasible = 0, sum = 0
        let list = range.filter { needs.indices.contains($0) }
        for n in list { pairs += kindRanges[rows[n].kind].count }
        let lanes = list.map { NeedLanes(self, $0, vector: vector) }
        // At most 256 blocks per tile: a lane's sum of scores stays within Int32.
        let tile = min(256, max(1, block / 8))
        let kern = kernel
        let zero = Lanes(repeating: 0)
        withRows(list) { views in
            var start = 0
            while start < vector.count {
                let end = min(start + tile, vector.count)
                for i in list.indices {
                    guard let n = lanes[i] else {
                        let kind = kindRanges[rows[list[i]].kind]
                        let lo = max(kind.lowerBound, start * 8), hi = min(kind.upperBound, end * 8)
                        if lo >= hi { continue }
                        for o in lo..<hi {
                            let s = kern.evaluate(views[i], o)
                            if s >= 0 { feasible &+= 1; sum &+= Int(s) }
                        }
                        continue
                    }
                    let lo = max(start, n.blocks.lowerBound), hi = min(end, n.blocks.upperBound)
                    if lo >= hi { continue }
                    var count = zero, total = zero
                    scan(n, views[i], blocks: lo..<hi, prune: false) { _, s in
                        let fit = ~s.lt(zero)
                        count &-= fit
                        total &+= s & fit
                        return -1
                    }
                    for l in 0..<8 { feasible &+= Int(count[l]); sum &+= Int(total[l]) }
                }
                start = end
            }
        }
        return (pairs, feasible, sum)
    }

    /// The index of a need or an offer by id.
    public func needIndex(_ id: String) -> Int? { needIndex[id] }
    /// The index of an offer by id.
    public func offerIndex(_ id: String) -> Int? { offerIndex[id] }
}

/// The k largest (score, -index) keys seen, in a min-heap; `floor` is the key to beat.
struct TopK {
    let k: Int
    /// Indexes that never enter (a live view's changed ones, scored apart).
    let excluded: Set<Int>
    var heap = MinHeap<UInt64>()
    /// 0 until the heap is full (every feasible key is above 0), then its smallest key.
    private(set) var floor: UInt64 = 0
    /// The score to reach to enter (−1 until full: every feasible score enters).
    var floorScore: Int32 { floor == 0 ? -1 : Int32(bitPattern: UInt32(truncatingIfNeeded: floor >> 32)) }

    init(_ k: Int, excluding excluded: Set<Int> = []) { self.k = k; self.excluded = excluded; heap.reserve(Swift.min(k, 4096)) }

    @inline(__always)
    static func key(_ score: Int32, _ index: Int) -> UInt64 { UInt64(UInt32(bitPattern: score)) << 32 | UInt64(UInt32.max - UInt32(truncatingIfNeeded: index)) }

    /// Keeps the entry if it is among the k best (a score below 0, infeasible, never is).
    @inline(__always) @discardableResult
    mutating func offer(score: Int32, index: Int) -> Bool {
        guard score >= 0 else { return false }
        let key = TopK.key(score, index)
        guard key > floor, excluded.isEmpty || !excluded.contains(index) else { return false }
        if heap.count < k { heap.push(key) } else { heap.replaceMin(key) }
        if heap.count == k { floor = heap.min ?? 0 }
        return true
    }

    /// Best first.
    func sorted() -> [(score: Int32, index: Int)] {
        heap.items.sorted(by: >).map { (Int32(bitPattern: UInt32(truncatingIfNeeded: $0 >> 32)), Int(UInt32.max - UInt32(truncatingIfNeeded: $0))) }
    }
}

/// A fixed-size buffer the index owns (freed with it).
final class Buffer<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
    let count: Int
    init(_ count: Int, _ value: T) {
        self.count = count
        base = UnsafeMutablePointer<T>.allocate(capacity: max(count, 1))
        base.initialize(repeating: value, count: max(count, 1))
    }
    init(_ values: [T]) {
        count = values.count
        base = UnsafeMutablePointer<T>.allocate(capacity: max(count, 1))
        values.withUnsafeBufferPointer { b in if let a = b.baseAddress, count > 0 { base.initialize(from: a, count: count) } }
    }
    deinit { base.deallocate() }
    @inline(__always) subscript(_ i: Int) -> T {
        get { base[i] }
        set { base[i] = newValue }
    }
}
