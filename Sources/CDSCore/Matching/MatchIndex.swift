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

    struct NeedRow {
        var kind: Int
        var lang: UInt64
        var mode: WorkMode
        var hasWindow: Bool
        var from: Int32
        var until: Int32
        var skills: [(exact: Int32, parent: Int32)]
        var quantity: Int64
        var unit: Int32
        var sectorBit: UInt32
        var table: Int
        var declined: [Int32]
    }

    /// Packs offers and needs. Codes outside the taxonomy are kept (they match only
    /// themselves); at most 64 distinct languages and 32 sectors are indexed.
    public init(offers: [MatchOffer], needs: [MatchNeed], taxonomy: MatchTaxonomy, weights: MatchWeights = .standard) throws(CDSError) {
        try weights.validate()
        self.weights = weights
        scale = weights.total * 1000
        w = (Int32(weights.skills), Int32(weights.territory), Int32(weights.time), Int32(weights.capacity), Int32(weights.sector))
        self.taxonomy = taxonomy
        let kinds = ResourceKind.allCases
        let kindOrder = Dictionary(uniqueKeysWithValues: kinds.enumerated().map { ($1, $0) })
        let offers = offers.sorted { a, b in
            let ka = kindOrder[a.kind] ?? 0, kb = kindOrder[b.kind] ?? 0
            return ka != kb ? ka < kb : a.id < b.id
        }
        let needs = needs.sorted { $0.id < $1.id }
        self.offers = offers
        self.needs = needs
        var offerIndex: [String: Int] = [:]
        for (i, o) in offers.enumerated() {
            guard offerIndex.updateValue(i, forKey: o.id) == nil else { throw CDSError.invalid("offers", "offer \(o.id) is given twice") }
        }
        var needIndex: [String: Int] = [:]
        for (i, n) in needs.enumerated() {
            guard needIndex.updateValue(i, forKey: n.id) == nil else { throw CDSError.invalid("needs", "need \(n.id) is given twice") }
        }
        self.offerIndex = offerIndex
        self.needIndex = needIndex

        // Interned codes.
        var skillIndex: [String: Int32] = [:]
        func skill(_ code: String) -> Int32 {
            if let i = skillIndex[code] { return i }
            let i = Int32(skillIndex.count)
            skillIndex[code] = i
            return i
        }
        for code in (offers.flatMap(\.skills) + needs.flatMap(\.skills)).sorted() {
            _ = skill(code)
            if let p = taxonomy.skillParent[code] { _ = skill(p) }
        }
        let words = max(1, (skillIndex.count + 63) / 64)
        self.words = words
        var languages = Set(offers.flatMap(\.languages)).union(needs.flatMap(\.languages)).sorted()
        if languages.count > 64 { languages = Array(languages.prefix(64)) }
        let languageIndex = Dictionary(uniqueKeysWithValues: languages.enumerated().map { ($1, $0) })
        self.languageIndex = languageIndex
        var sectors = Set(offers.flatMap(\.sectors)).union(needs.compactMap(\.sector)).sorted()
        if sectors.count > 32 { sectors = Array(sectors.prefix(32)) }
        let sectorIndex = Dictionary(uniqueKeysWithValues: sectors.enumerated().map { ($1, $0) })
        self.sectorIndex = sectorIndex
        let territoryCodes = taxonomy.territories.keys.sorted()
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
        oLang = Buffer(n, 0); oFlags = Buffer(n, 0); oSkill = Buffer(n * words, 0); oGroup = Buffer(n * words, 0)
        oOrigin = Buffer(n, Int32(territoryCodes.count)); oCap = Buffer(n, 0); oUnit = Buffer(n, 0); oSector = Buffer(n, 0)
        var interestStart: [Int32] = [0], interest: [Int32] = []
        var allStart: [Int32] = [0], all: [Int32] = [], siteStart: [Int32] = [0], site: [Int32] = []
        for (i, o) in offers.enumerated() {
            oLang[i] = mask(o.languages)
            var flags: UInt8 = 0
            if o.remote { flags |= MatchIndex.remoteFlag }
            if o.onSite { flags |= MatchIndex.onSiteFlag }
            if o.windows.isEmpty { flags |= MatchIndex.anyTimeFlag }
            oFlags[i] = flags
            for code in o.skills {
                guard let s = skillIndex[code] else { continue }
                oSkill[i * words + Int(s >> 6)] |= 1 << UInt64(s & 63)
                oGroup[i * words + Int(s >> 6)] |= 1 << UInt64(s & 63)
                if let p = taxonomy.skillParent[code], let ps = skillIndex[p] { oGroup[i * words + Int(ps >> 6)] |= 1 << UInt64(ps & 63) }
            }
            if let origin = o.origin, let t = territoryIndex[origin] { oOrigin[i] = t }
            interest += o.interests.compactMap { territoryIndex[$0] }
            interestStart.append(Int32(interest.count))
            all += MatchIndex.merged(o.windows)
            allStart.append(Int32(all.count / 2))
            site += MatchIndex.merged(o.abroad ? o.windows.filter(\.travel) : o.windows)
            siteStart.append(Int32(site.count / 2))
            oCap[i] = o.capacity.amount
            oUnit[i] = unit(o.capacity)
            oSector[i] = o.sectors.reduce(0) { m, c in sectorIndex[c].map { m | (1 << UInt32($0)) } ?? m }
        }
        oInterestStart = Buffer(interestStart); oInterest = Buffer(interest)
        oAllStart = Buffer(allStart); oAll = Buffer(all); oSiteStart = Buffer(siteStart); oSite = Buffer(site)

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

        // Needs, with one pair of territory tables per set of project communes.
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
                for (t, code) in territoryCodes.enumerated() {
                    origin[t] = UInt16(MatchIndex.territoryValue(code, communes: communes, taxonomy: taxonomy, interest: false).value)
                    interests[t] = UInt16(MatchIndex.territoryValue(code, communes: communes, taxonomy: taxonomy, interest: true).value)
                }
                tableValues += origin + interests
            }
            let declined = need.declined.compactMap { offerIndex[$0].map(Int32.init) }.sorted()
            rows.append(NeedRow(
                kind: kindOrder[need.kind] ?? 0, lang: need.languages.reduce(0) { m, c in m | (languageIndex[c].map { 1 << UInt64($0) } ?? (1 << 63)) },
                mode: need.mode, hasWindow: need.from != nil && need.until != nil,
                from: Int32(clamping: need.from?.daysSinceEpoch ?? Int(Int32.min / 2)), until: Int32(clamping: need.until?.daysSinceEpoch ?? Int(Int32.max / 2)),
                skills: need.skills.map { code in (skillIndex[code] ?? -1, taxonomy.skillParent[code].flatMap { skillIndex[$0] } ?? -1) },
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

    /// The territorial value of a territory for a project's communes, and the reason.
    static func territoryValue(_ code: String, communes: [String], taxonomy: MatchTaxonomy, interest: Bool) -> (value: Int, reason: String) {
        let t = taxonomy.ancestors(code)
        var best = (0, "no_territory_link")
        for c in communes {
            let a = taxonomy.ancestors(c)
            let v: (Int, String)
            if t.commune != nil, t.commune == a.commune { v = interest ? (800, "interest_commune") : (1000, "origin_commune") }
            else if t.province != nil, t.province == a.province { v = interest ? (500, "interest_province") : (600, "origin_province") }
            else if t.region != nil, t.region == a.region { v = interest ? (250, "interest_region") : (300, "origin_region") }
            else { continue }
            if v.0 > best.0 { best = v }
        }
        return best
    }

    // MARK: - The kernel

    /// The score of a pair, or -1 when a hard constraint fails.
    @inline(__always)
    func evaluate(_ r: NeedRowView, _ o: Int) -> Int32 {
        if r.lang & ~oLang[o] != 0 { return -1 }
        let flags = oFlags[o]
        let anyTime = flags & MatchIndex.anyTimeFlag != 0
        var onSiteWindows = false
        switch r.mode {
        case .remote:
            if flags & MatchIndex.remoteFlag == 0 { return -1 }
        case .onSite:
            if flags & MatchIndex.onSiteFlag == 0 { return -1 }
            if !anyTime, !siteOverlap(r, o) { return -1 }
            onSiteWindows = true
        case .either:
            if flags & MatchIndex.remoteFlag == 0 {
                if flags & MatchIndex.onSiteFlag == 0 { return -1 }
                if !anyTime, !siteOverlap(r, o) { return -1 }
                onSiteWindows = true
            }
        }
        if r.declinedCount > 0, r.isDeclined(Int32(truncatingIfNeeded: o)) { return -1 }
        let s = skillValue(r, o)
        let t = territoryValue(r, o)
        let tm = timeValue(r, o, anyTime: anyTime, onSite: onSiteWindows)
        let c = capacityValue(r, o)
        let sc = sectorValue(r, o)
        return w.0 &* s &+ w.1 &* t &+ w.2 &* tm &+ w.3 &* c &+ w.4 &* sc
    }

    @inline(__always)
    func siteOverlap(_ r: NeedRowView, _ o: Int) -> Bool {
        let a = Int(oSiteStart[o]), b = Int(oSiteStart[o + 1])
        if !r.hasWindow { return b > a }
        var i = a
        while i < b {
            if oSite[2 * i] <= r.until && oSite[2 * i + 1] >= r.from { return true }
            i += 1
        }
        return false
    }

    @inline(__always)
    func skillValue(_ r: NeedRowView, _ o: Int) -> Int32 {
        let count = r.skillCount
        if count == 0 { return 1000 }
        var credit: Int32 = 0
        let base = o &* words
        var j = 0
        while j < count {
            let s = r.skills[j]
            if s.exact >= 0 {
                let wd = base &+ Int(s.exact >> 6), bit = UInt64(s.exact & 63)
                let exact = Int32(truncatingIfNeeded: (oSkill[wd] >> bit) & 1)
                var related = Int32(truncatingIfNeeded: (oGroup[wd] >> bit) & 1)
                if s.parent >= 0 { related |= Int32(truncatingIfNeeded: (oGroup[base &+ Int(s.parent >> 6)] >> UInt64(s.parent & 63)) & 1) }
                credit &+= exact != 0 ? 1000 : related &* 500
            }
            j &+= 1
        }
        return credit / Int32(count)
    }

    @inline(__always)
    func territoryValue(_ r: NeedRowView, _ o: Int) -> Int32 {
        var best = r.origin[Int(oOrigin[o])]
        var i = Int(oInterestStart[o])
        let end = Int(oInterestStart[o + 1])
        while i < end {
            best = max(best, r.interest[Int(oInterest[i])])
            i &+= 1
        }
        return Int32(best)
    }

    @inline(__always)
    func timeValue(_ r: NeedRowView, _ o: Int, anyTime: Bool, onSite: Bool) -> Int32 {
        if !r.hasWindow || anyTime { return 1000 }
        let starts = onSite ? oSiteStart : oAllStart, wins = onSite ? oSite : oAll
        var covered: Int64 = 0
        var i = Int(starts[o])
        let end = Int(starts[o + 1])
        while i < end {
            let a = max(r.from, wins[2 * i]), b = min(r.until, wins[2 * i + 1])
            if b >= a { covered &+= Int64(b) &- Int64(a) &+ 1 }
            i &+= 1
        }
        return Int32(truncatingIfNeeded: covered &* 1000 / r.length)
    }

    @inline(__always)
    func capacityValue(_ r: NeedRowView, _ o: Int) -> Int32 {
        if oUnit[o] != r.unit { return 500 }
        let c = oCap[o]
        if c >= r.quantity { return 1000 }
        let p = c.multipliedFullWidth(by: 1000)
        return Int32(truncatingIfNeeded: r.quantity.dividingFullWidth(p).quotient)
    }

    @inline(__always)
    func sectorValue(_ r: NeedRowView, _ o: Int) -> Int32 {
        let m = oSector[o]
        if r.sectorBit == 0 || m == 0 { return 500 }
        return m & r.sectorBit != 0 ? 1000 : 0
    }

    /// A need's row, as raw pointers for the kernel.
    struct NeedRowView {
        let lang: UInt64
        let mode: WorkMode
        let hasWindow: Bool
        let from: Int32
        let until: Int32
        let length: Int64
        let skills: UnsafeBufferPointer<(exact: Int32, parent: Int32)>
        let skillCount: Int
        let quantity: Int64
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

    /// Runs `body` with the kernel's view of need `n`.
    @inline(__always)
    func withRow<T>(_ n: Int, _ body: (NeedRowView) -> T) -> T {
        let row = rows[n]
        let slots = territoryCount + 1
        return row.skills.withUnsafeBufferPointer { skills in
            row.declined.withUnsafeBufferPointer { declined in
                let origin = UnsafePointer(tables.base + row.table * 2 * slots)
                let view = NeedRowView(lang: row.lang, mode: row.mode, hasWindow: row.hasWindow, from: row.from, until: row.until,
                                       length: max(1, Int64(row.until) - Int64(row.from) + 1), skills: skills, skillCount: skills.count,
                                       quantity: row.quantity, unit: row.unit, sectorBit: row.sectorBit,
                                       origin: origin, interest: origin + slots, declined: declined, declinedCount: declined.count)
                return body(view)
            }
        }
    }

    // MARK: - Queries

    /// The score of need `n` with offer `o`, or nil when a hard constraint fails.
    public func score(need n: Int, offer o: Int) -> Int? {
        guard needs.indices.contains(n), offers.indices.contains(o), rows[n].kind < kindRanges.count, kindRanges[rows[n].kind].contains(o) else { return nil }
        let s = withRow(n) { r in evaluate(r, o) }
        return s < 0 ? nil : Int(s)
    }

    /// The offers that the indexes give for need `n`: its kind's offers speaking its
    /// rarest required language, or all of its kind when it requires none.
    public func candidates(need n: Int) -> [Int] {
        guard needs.indices.contains(n) else { return [] }
        let row = rows[n]
        let range = kindRanges[row.kind]
        if row.lang == 0 { return Array(range) }
        if row.lang >> 63 != 0, languageIndex.count < 64 { return [] }
        var best: [Int32]? = nil
        var m = row.lang
        while m != 0 {
            let l = m.trailingZeroBitCount
            let list = postings[row.kind][l]
            if best == nil || list.count < best?.count ?? 0 { best = list }
            m &= m - 1
        }
        return (best ?? []).map(Int.init)
    }

    /// The `k` best offers for need `n` (score descending, then offer id).
    public func topOffers(need n: Int, k: Int) -> [MatchHit] {
        guard needs.indices.contains(n), k > 0 else { return [] }
        var heap = TopK(k)
        let row = rows[n]
        withRow(n) { r in
            if row.lang == 0 {
                for o in kindRanges[row.kind] {
                    let s = evaluate(r, o)
                    if s >= 0 { heap.offer(score: s, index: o) }
                }
            } else {
                for o in candidates(need: n) {
                    let s = evaluate(r, o)
                    if s >= 0 { heap.offer(score: s, index: o) }
                }
            }
        }
        return heap.sorted().map { MatchHit(need: n, offer: $0.index, score: Int($0.score)) }
    }

    /// The `k` best needs for offer `o` (score descending, then need id).
    public func topNeeds(offer o: Int, k: Int) -> [MatchHit] { topNeeds(offers: [o], k: k) }

    /// The `k` best needs for a set of offers (a member's): each need once, with the
    /// offer that scores best for it (ties on the offer id).
    public func topNeeds(offers list: [Int], k: Int) -> [MatchHit] {
        guard k > 0 else { return [] }
        let list = list.filter { offers.indices.contains($0) }.sorted()
        guard !list.isEmpty else { return [] }
        var heap = TopK(k)
        var bestOffer: [Int: Int] = [:]
        for n in needs.indices {
            let range = kindRanges[rows[n].kind]
            var best: Int32 = -1, bestO = -1
            withRow(n) { r in
                for o in list where range.contains(o) {
                    let s = evaluate(r, o)
                    if s > best { best = s; bestO = o }
                }
            }
            if best >= 0, heap.offer(score: best, index: n) { bestOffer[n] = bestO }
        }
        return heap.sorted().map { MatchHit(need: $0.index, offer: bestOffer[$0.index] ?? -1, score: Int($0.score)) }
    }

    /// Scores every pair of need × offer of the same kind for needs in `range` (hard
    /// constraints included) and returns how many were feasible: the full scan.
    public func scoreAll(needs range: Range<Int>) -> (pairs: Int, feasible: Int, checksum: Int) {
        var pairs = 0, feasible = 0, sum = 0
        for n in range where needs.indices.contains(n) {
            let kr = kindRanges[rows[n].kind]
            pairs += kr.count
            withRow(n) { r in
                for o in kr {
                    let s = evaluate(r, o)
                    if s >= 0 { feasible &+= 1; sum &+= Int(s) }
                }
            }
        }
        return (pairs, feasible, sum)
    }

    /// The index of a need or an offer by id.
    public func needIndex(_ id: String) -> Int? { needIndex[id] }
    /// The index of an offer by id.
    public func offerIndex(_ id: String) -> Int? { offerIndex[id] }
}

/// The k largest (score, -index) keys seen, in a min-heap.
struct TopK {
    let k: Int
    var heap: [UInt64] = []

    init(_ k: Int) { self.k = k; heap.reserveCapacity(min(k, 4096)) }

    static func key(_ score: Int32, _ index: Int) -> UInt64 { UInt64(UInt32(bitPattern: score)) << 32 | UInt64(UInt32.max - UInt32(truncatingIfNeeded: index)) }

    /// Keeps the entry if it is among the k best; true when kept.
    @inline(__always) @discardableResult
    mutating func offer(score: Int32, index: Int) -> Bool {
        let key = TopK.key(score, index)
        if heap.count < k {
            heap.append(key)
            var i = heap.count - 1
            while i > 0 {
                let p = (i - 1) / 2
                if heap[p] <= heap[i] { break }
                heap.swapAt(p, i)
                i = p
            }
            return true
        }
        guard let top = heap.first, key > top else { return false }
        heap[0] = key
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count, heap[l] < heap[m] { m = l }
            if r < heap.count, heap[r] < heap[m] { m = r }
            if m == i { break }
            heap.swapAt(i, m)
            i = m
        }
        return true
    }

    /// Best first.
    func sorted() -> [(score: Int32, index: Int)] {
        heap.sorted(by: >).map { (Int32(bitPattern: UInt32(truncatingIfNeeded: $0 >> 32)), Int(UInt32.max - UInt32(truncatingIfNeeded: $0))) }
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
