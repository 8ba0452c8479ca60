/// Eight offers side by side: the unit of the vector kernel.
typealias Lanes = SIMD8<Int32>

/// Eight offers' data, one offer per lane: what the vector kernel reads for a block but the
/// place codes (`PlaceBlock`), in one place (the blocks follow one another, so a scan
/// streams through memory).
struct OfferBlock {
    /// −1 where the offer can be done remotely, on site, at any time (it names no window).
    var remote: Lanes, onSite: Lanes, anyTime: Lanes
    /// −1 where the offer has an on-site window.
    var hasSite: Lanes
    /// Up to two on-site windows (the travel windows of a member abroad) and two windows of
    /// any kind, in day numbers clamped to ±`Vector.farDay`; an empty slot is [farDay, −farDay].
    var siteFrom0: Lanes, siteUntil0: Lanes, siteFrom1: Lanes, siteUntil1: Lanes
    var allFrom0: Lanes, allUntil0: Lanes, allFrom1: Lanes, allUntil1: Lanes
    /// The windows that count for a need either remote or on site: all of them for a
    /// remote offer, else the on-site ones.
    var eitherFrom0: Lanes, eitherUntil0: Lanes, eitherFrom1: Lanes, eitherUntil1: Lanes
    /// Capacity left (clamped to Int32.max), its unit, and the sectors of interest as bits.
    var capacity: Lanes, unit: Lanes, sector: Lanes
}

/// Eight offers' origins and two interests as place codes (`Vector.place`), apart from the
/// rest of their block: a top-k scan reads them first and, for most blocks, nothing else,
/// so they are packed together (96 bytes a block) for the scan to stream through.
struct PlaceBlock {
    var origin: Lanes, interest0: Lanes, interest1: Lanes
}

/// The scalar kernel's arrays the vector kernel is packed from.
struct OfferColumns {
    let count: Int, words: Int
    let oFlags: Buffer<UInt8>, oWindowsIn: Buffer<Int32>, oOrigin: Buffer<Int32>, oInterestIn: Buffer<UInt16>
    let oCap: Buffer<Int64>, oUnit: Buffer<Int32>, oSector: Buffer<UInt32>
    let oLang: Buffer<UInt64>, oSkill: Buffer<UInt64>, oRelated: Buffer<UInt64>
}

/// The vector kernel's data: the offers in blocks of eight, and bit columns (a byte per
/// block) for the languages spoken, the skills held and the skills related to.
final class Vector: @unchecked Sendable {
    /// Day numbers are clamped to ±farDay; a need is scored here only when its window lies inside.
    static let farDay: Int32 = 1 << 28
    @inline(__always) static var bits: Lanes { Lanes(1, 2, 4, 8, 16, 32, 64, 128) }
    /// The byte of a 32-bit half of a word each lane reads.
    @inline(__always) static var bytes: Lanes { Lanes(0xFF, 0xFF00, 0xFF_0000, Int32(bitPattern: 0xFF00_0000), 0xFF, 0xFF00, 0xFF_0000, Int32(bitPattern: 0xFF00_0000)) }
    /// The "none" ids of an offer's and of a need's place codes: never equal to each other
    /// nor to a real id.
    static let offerNone: (Int32, Int32, Int32) = (0x3FFF, 0x3FF, 0x7F)
    static let needNone: (Int32, Int32, Int32) = (0x3FFE, 0x3FE, 0x7E)

    /// A place code: region (7 bits), province (10 bits), commune (14 bits), so that two
    /// codes share a region, a province, a commune exactly when their xor is below 2²⁴,
    /// 2¹⁴, 1. An id of −1 (or out of range) is `none`'s.
    static func place(_ ids: (Int32, Int32, Int32), none: (Int32, Int32, Int32)) -> Int32 {
        let c = (0..<0x3FFE).contains(ids.0) ? ids.0 : none.0, p = (0..<0x3FE).contains(ids.1) ? ids.1 : none.1
        let r = (0..<0x7E).contains(ids.2) ? ids.2 : none.2
        return r << 24 | p << 14 | c
    }

    let count: Int
    /// The offers in blocks of eight, and their place codes in a parallel array.
    let blocks: UnsafeMutablePointer<OfferBlock>
    let placeBlocks: UnsafeMutablePointer<PlaceBlock>
    let language: Buffer<UInt8>
    /// The bit columns of the skills some need asks (the others are never read): skill id →
    /// column, or −1.
    let column: [Int]
    let exact: Buffer<UInt8>
    let related: Buffer<UInt8>
    /// The lanes the scalar kernel scores (more than two windows or interests).
    let slow: Buffer<UInt8>
    /// A byte's bits spread one per byte (bit k to byte k): eight counters in a word.
    let spread: Buffer<UInt64>
    /// The (commune, province, region) ids of each territory index (the last: none, −1s);
    /// `place` makes them an offer's or a need's code.
    let places: [(Int32, Int32, Int32)]
    /// Whether the place codes fit (at most 125 regions, 1,021 provinces, 16,381 communes
    /// in the taxonomy): else every need is scored by the scalar kernel.
    let placesFit: Bool
    /// For each province id, a bit per block: some offer of the block has its origin or an
    /// interest in that province (`blockWords` words per province). A block without it scores
    /// at most a region's territory value for a need placed in that province.
    let near: Buffer<UInt64>
    let blockWords: Int
    let provinceCount: Int

    /// Packs the offers of the scalar arrays (`OfferColumns` holds them).
    init(_ index: OfferColumns, territoryCodes: [String], skillCount: Int, asked: Set<Int>, languageCount: Int, taxonomy: MatchTaxonomy) {
        let n = index.count
        count = (n + 7) / 8
        var communes: [String: Int32] = [:], provinces: [String: Int32] = [:], regions: [String: Int32] = [:]
        func id(_ code: String?, _ table: inout [String: Int32]) -> Int32 {
            guard let code else { return -1 }
            if let i = table[code] { return i }
            let i = Int32(table.count)
            table[code] = i
            return i
        }
        // Every code gets a province and a region id when it has a commune (a province of its
        // own when it has none, keyed by the commune; a region keyed by the province).
        var places: [(Int32, Int32, Int32)] = territoryCodes.map { code in
            let a = taxonomy.ancestors(code)
            let c = id(a.commune, &communes)
            let p = a.province.map { id($0, &provinces) } ?? a.commune.map { id("\u{0}" + $0, &provinces) } ?? -1
            let r = a.region.map { id($0, &regions) } ?? (a.province ?? a.commune).map { id("\u{0}" + $0, &regions) } ?? -1
            return (c, p, r)
        }
        places.append((-1, -1, -1))
        self.places = places
        placesFit = communes.count < 0x3FFE && provinces.count < 0x3FE && regions.count < 0x7E
        provinceCount = provinces.count
        blockWords = (count + 63) / 64
        near = Buffer(max(1, provinceCount * blockWords), 0)
        func offerPlace(_ t: Int) -> Int32 { Vector.place(places[min(t, places.count - 1)], none: Vector.offerNone) }
        let far = Vector.farDay
        let empty = Lanes(repeating: 0)
        blocks = UnsafeMutablePointer<OfferBlock>.allocate(capacity: max(count, 1))
        placeBlocks = UnsafeMutablePointer<PlaceBlock>.allocate(capacity: max(count, 1))
        placeBlocks.initialize(repeating: PlaceBlock(origin: empty, interest0: empty, interest1: empty), count: max(count, 1))
        blocks.initialize(repeating: OfferBlock(
            remote: empty, onSite: empty, anyTime: empty, hasSite: empty, siteFrom0: empty, siteUntil0: empty, siteFrom1: empty, siteUntil1: empty,
            allFrom0: empty, allUntil0: empty, allFrom1: empty, allUntil1: empty,
            eitherFrom0: empty, eitherUntil0: empty, eitherFrom1: empty, eitherUntil1: empty,
            capacity: empty, unit: empty, sector: empty), count: max(count, 1))
        language = Buffer(max(1, languageCount) * count, 0)
        var column = [Int](repeating: -1, count: skillCount)
        for (c, s) in asked.filter({ (0..<skillCount).contains($0) }).sorted().enumerated() { column[s] = c }
        self.column = column
        exact = Buffer(max(1, asked.count) * count, 0)
        related = Buffer(max(1, asked.count) * count, 0)
        slow = Buffer(count, 0)
        spread = Buffer((0..<256).map { x in (0..<8).reduce(UInt64(0)) { w, k in w | (UInt64(x >> k & 1) << (8 * k)) } })
        let skillWords = index.words
        for o in 0..<n {
            let b = o / 8, l = o % 8, bit = UInt8(1) << UInt8(l)
            let flags = index.oFlags[o]
            var blk = blocks[b]
            blk.remote[l] = flags & MatchIndex.remoteFlag != 0 ? -1 : 0
            blk.onSite[l] = flags & MatchIndex.onSiteFlag != 0 ? -1 : 0
            blk.anyTime[l] = flags & MatchIndex.anyTimeFlag != 0 ? -1 : 0
            if flags & MatchIndex.slowFlag != 0 { slow[b] |= bit }
            func day(_ i: Int) -> Int32 { min(far, max(-far, index.oWindowsIn[o * 8 + i])) }
            blk.hasSite[l] = day(0) <= day(1) ? -1 : 0
            blk.siteFrom0[l] = day(0); blk.siteUntil0[l] = day(1); blk.siteFrom1[l] = day(2); blk.siteUntil1[l] = day(3)
            blk.allFrom0[l] = day(4); blk.allUntil0[l] = day(5); blk.allFrom1[l] = day(6); blk.allUntil1[l] = day(7)
            let e = flags & MatchIndex.remoteFlag != 0 ? 4 : 0
            blk.eitherFrom0[l] = day(e); blk.eitherUntil0[l] = day(e + 1); blk.eitherFrom1[l] = day(e + 2); blk.eitherUntil1[l] = day(e + 3)
            func mark(_ t: Int) {
                let p = Int(places[min(t, places.count - 1)].1)
                if (0..<provinceCount).contains(p) { near[p * blockWords + b / 64] |= 1 << UInt64(b % 64) }
            }
            mark(Int(index.oOrigin[o])); mark(Int(index.oInterestIn[o * 2])); mark(Int(index.oInterestIn[o * 2 + 1]))
            placeBlocks[b].origin[l] = offerPlace(Int(index.oOrigin[o]))
            placeBlocks[b].interest0[l] = offerPlace(Int(index.oInterestIn[o * 2]))
            placeBlocks[b].interest1[l] = offerPlace(Int(index.oInterestIn[o * 2 + 1]))
            blk.capacity[l] = Int32(clamping: index.oCap[o])
            blk.unit[l] = index.oUnit[o]
            blk.sector[l] = Int32(bitPattern: index.oSector[o])
            blocks[b] = blk
            var m = index.oLang[o]
            while m != 0 {
                language[m.trailingZeroBitCount * count + b] |= bit
                m &= m - 1
            }
            for w in 0..<skillWords {
                var s = index.oSkill[o * skillWords + w]
                while s != 0 {
                    let c = column[w * 64 + s.trailingZeroBitCount]
                    if c >= 0 { exact[c * count + b] |= bit }
                    s &= s - 1
                }
                var r = index.oRelated[o * skillWords + w]
                while r != 0 {
                    let c = column[w * 64 + r.trailingZeroBitCount]
                    if c >= 0 { related[c * count + b] |= bit }
                    r &= r - 1
                }
            }
        }
    }

    deinit {
        blocks.deinitialize(count: max(count, 1))
        blocks.deallocate()
        placeBlocks.deinitialize(count: max(count, 1))
        placeBlocks.deallocate()
    }
}

/// A need as the vector kernel sees it: its constants broadcast, its values pre-weighted.
struct NeedLanes {
    /// The blocks of its kind's offers, and the offers themselves (to mask the edges).
    let blocks: Range<Int>
    let offers: Range<Int>
    /// Required languages (bit columns); nil when one is spoken by no offer.
    let languages: [Int]?
    let mode: WorkMode
    let hasWindow: Bool
    let from: Int32, until: Int32
    /// Its skills (their bit columns: every asked skill has one), and the skill value by
    /// half-credits (one for a related skill, two for the skill itself): ⌊1000 × credits /
    /// (2 × skills asked, repeats counted)⌋, with the lanes' byte scales folded in.
    let skills: [Int]
    let skill: PerMille
    let skillScale: SIMD8<Float>
    /// What every offer gets: the skill value at no credit and, when the need has no
    /// sector, the sector's.
    let base: Int32
    /// The project's communes as place codes (with the need's "none"), and the province
    /// ids among them (`Vector.near`).
    let places: [Int32]
    let provinces: [Int]
    /// 2 × the skills asked (repeats counted), 0 when none: the skill value's divisor.
    let halves: Int
    /// ⌊1000 × days covered / length⌋ and ⌊1000 × min(capacity, quantity) / quantity⌋.
    let time: PerMille
    let quantity: Int32, capacity: PerMille
    let unit: Int32
    let sectorBit: Int32
    /// Whether it declined some offer (the scalar view says which).
    let declines: Bool
    /// The most that time, capacity and sector can still add once skills and territory
    /// are scored: the bound under which a top-k scan drops a block early.
    let rest: Int32
    let w: (Int32, Int32, Int32, Int32, Int32)


    /// The vector view of a need, or nil when its numbers fall outside what the lanes hold
    /// exactly (a window or a quantity over about a thousand, a far date): the scalar
    /// kernel scores it.
    init?(_ index: MatchIndex, _ n: Int, vector v: Vector) {
        let row = index.rows[n]
        guard row.kind < index.kindRanges.count else { return nil }
        let far = Vector.farDay
        let time: PerMille
        if row.hasWindow {
            guard row.from > -far, row.until < far, let m = PerMille(row.length) else { return nil }
            time = m
        } else { time = PerMille(a: 0, b: 0) }
        guard v.placesFit, let capacity = PerMille(row.quantity) else { return nil }
        let range = index.kindRanges[row.kind]
        offers = range
        blocks = (range.lowerBound / 8)..<((range.upperBound + 7) / 8)
        // Every required language has a bit of its own (MatchIndex indexes the needs' languages).
        var l: [Int] = [], m = row.lang
        while m != 0 { l.append(m.trailingZeroBitCount); m &= m - 1 }
        languages = l
        mode = row.mode
        hasWindow = row.hasWindow
        from = row.from
        until = row.until
        self.w = index.w
        var skills: [Int] = []
        for (j, word) in row.mask.enumerated() {
            var m = word
            while m != 0 { skills.append(v.column[j * 64 + m.trailingZeroBitCount]); m &= m - 1 }
        }
        self.skills = skills
        // Half-credits are counted a byte per offer: at most 2 × 63 of them.
        guard skills.count <= 63, row.skills.count <= 2048, skills.allSatisfy({ $0 >= 0 }) else { return nil }
        let w = index.w
        halves = 2 * row.skills.count
        guard let skill = PerMille(Int64(max(1, halves))) else { return nil }
        self.skill = skill
        skillScale = SIMD8<Float>(1, 0x1p-8, 0x1p-16, 0x1p-24, 1, 0x1p-8, 0x1p-16, 0x1p-24) * skill.a
        base = (row.skills.isEmpty ? w.0 &* 1000 : 0) &+ (row.sectorBit == 0 ? w.4 &* 500 : 0)
        let ids = index.needs[n].communes.map { code in index.territoryIndex[code].map { v.places[Int($0)] } ?? (-1, -1, -1) }
        places = ids.map { Vector.place($0, none: Vector.needNone) }
        provinces = Array(Set(ids.map { Int($0.1) }.filter { (0..<v.provinceCount).contains($0) })).sorted()
        self.time = time
        quantity = Int32(row.quantity)
        self.capacity = capacity
        unit = row.unit
        sectorBit = Int32(bitPattern: row.sectorBit)
        declines = !row.declined.isEmpty
        rest = w.2 &* 1000 &+ w.3 &* 1000 &+ (row.sectorBit == 0 ? 0 : w.4 &* 1000)
    }
}

/// Lane-wise tests and selects written with arithmetic only (masks are lanes of −1 or 0),
/// which the compiler keeps in vector registers; valid while a − b does not overflow, as
/// for every number the kernel compares (days within ±2²⁸, ids, counts, scores).
extension SIMD8 where Scalar == Int32 {
    /// −1 where self < b.
    @inline(__always) func lt(_ b: Lanes) -> Lanes { (self &- b) &>> 31 }
    /// −1 where self ≠ 0.
    @inline(__always) var nonzero: Lanes { (self | (0 &- self)) &>> 31 }
    /// −1 where self = b.
    @inline(__always) func eq(_ b: Lanes) -> Lanes { ~(self ^ b).nonzero }
    /// a where the mask is set, else self.
    @inline(__always) func or(_ a: Lanes, where m: Lanes) -> Lanes { self ^ ((a ^ self) & m) }
    @inline(__always) func max(_ b: Lanes) -> Lanes { self.or(b, where: lt(b)) }
    @inline(__always) func min(_ b: Lanes) -> Lanes { b.or(self, where: lt(b)) }
}

/// ⌊1000 × c / d⌋ for c in 0…d, in single-precision lanes: round(c × a + b) with
/// a = 1000 / d and b = (1 − d) / 2d, kept only when it is exact for every c (checked; d up
/// to about a thousand). Floats because SSE2 multiplies eight floats in two instructions and
/// eight 32-bit integers in fourteen; every value and product stays an integer below 2²³.
struct PerMille {
    let a: Float, b: Float
    /// Adding 2²³ to an integer float below 2²³ puts the integer in the low bits.
    @inline(__always) static var magic: SIMD8<Float> { SIMD8<Float>(repeating: 8_388_608) }
    /// Adding then subtracting 1.5 × 2²³ rounds a float of magnitude below 2²² to an integer.
    @inline(__always) static var round: SIMD8<Float> { SIMD8<Float>(repeating: 12_582_912) }
    /// The bits of 1000 and of 500 as floats. (These constants are computed properties, not
    /// `static let`s: a stored global is read through `swift_once` in the hot loop.)
    @inline(__always) static var thousand: Lanes { Lanes(repeating: 0x447A_0000) }
    @inline(__always) static var fiveHundred: Lanes { Lanes(repeating: 0x43FA_0000) }

    init(a: Float, b: Float) { self.a = a; self.b = b }

    init?(_ d: Int64) {
        guard d > 0, d <= 4096 else { return nil }
        a = 1000 / Float(d)
        b = (1 - Float(d)) / (2 * Float(d))
        for c in 0...d {
            let x = ((Float(c) * a + b) + 12_582_912) - 12_582_912
            if x != Float(c * 1000 / d) { return nil }
        }
    }

    /// The values as floats (integers).
    @inline(__always)
    func of(_ c: Lanes) -> SIMD8<Float> { ((SIMD8<Float>(c) * a + b) + PerMille.round) - PerMille.round }

    /// w × v as integers, for v the bits of integer floats below 2¹⁴ and w ≤ 1000.
    @inline(__always)
    static func weighted(_ v: Lanes, _ w: Int32) -> Lanes {
        unsafeBitCast(unsafeBitCast(v, to: SIMD8<Float>.self) * Float(w) + magic, to: Lanes.self) &- 0x4B00_0000
    }
}

extension SIMD8 where Scalar == Float {
    /// The lanes' bit patterns.
    @inline(__always) var bits: Lanes { unsafeBitCast(self, to: Lanes.self) }
}

extension NeedLanes {
    /// The fewest half-credits of skills (0…126; 127: none is enough) with which an offer
    /// can score above `floor` when its territory value is at most `territory` (per mille)
    /// and time, capacity and sector give their most.
    func credits(toPass floor: Int32, territory: Int) -> UInt8 {
        let w0 = Int(w.0), fixed = Int(base) + Int(w.1) * territory + Int(rest)
        func bound(_ c: Int) -> Int { fixed + (halves == 0 ? 0 : 1000 * c / halves * w0) }
        guard bound(126) > Int(floor) else { return 127 }
        var lo = 0, hi = 126   // bound(hi) > floor
        while lo < hi {
            let mid = (lo + hi) / 2
            if bound(mid) > Int(floor) { hi = mid } else { lo = mid + 1 }
        }
        return UInt8(lo)
    }
}

/// A need's lists as raw buffers, for the hot loop.
struct NeedArrays {
    let languages: UnsafeBufferPointer<Int>
    let skills: UnsafeBufferPointer<Int>
    let places: UnsafeBufferPointer<Int32>
    let provinces: UnsafeBufferPointer<Int>
}

extension NeedLanes {
    /// Runs `body` with the need's lists as raw buffers.
    @inline(__always)
    func withArrays<T>(_ body: (NeedArrays) -> T) -> T {
        (languages ?? []).withUnsafeBufferPointer { l in
            skills.withUnsafeBufferPointer { s in
                places.withUnsafeBufferPointer { p in
                    provinces.withUnsafeBufferPointer { q in body(NeedArrays(languages: l, skills: s, places: p, provinces: q)) }
                }
            }
        }
    }
}

extension Vector {
    /// −1 in the lanes whose bit is set in `byte`.
    @inline(__always)
    static func lanes(_ byte: UInt8) -> Lanes {
        (0 &- (Lanes(repeating: Int32(byte)) & bits)) &>> 31
    }

    /// The half-credits of skills of the eight offers of block `b`, a byte each (lane l in
    /// byte l): two for a skill held, one for a related one, summed over the need's skills.
    @inline(__always)
    func credits(_ skills: UnsafeBufferPointer<Int>, _ b: Int) -> UInt64 {
        var sum: UInt64 = 0
        for s in skills {
            let i = s &* count &+ b
            sum &+= spread[Int(related[i])] &+ spread[Int(exact[i])]
        }
        return sum
    }

    /// Whether some byte of `credits` (each below 128) is at least `t`.
    @inline(__always)
    static func reaches(_ credits: UInt64, _ t: UInt8) -> Bool {
        ((credits | 0x8080_8080_8080_8080) &- UInt64(t) &* 0x0101_0101_0101_0101) & 0x8080_8080_8080_8080 != 0
    }

    /// Whether some offer of block `b` has its origin or an interest in one of `provinces`.
    @inline(__always)
    func touches(_ provinces: UnsafeBufferPointer<Int>, _ b: Int) -> Bool {
        for p in provinces where near[p &* blockWords &+ b &>> 6] &>> UInt64(b & 63) & 1 != 0 { return true }
        return false
    }

    /// The required languages all spoken, as a byte for block `b` (0: none of its offers).
    @inline(__always)
    func speakers(_ languages: UnsafeBufferPointer<Int>, _ b: Int) -> UInt8 {
        var byte: UInt8 = 0xFF
        for l in languages { byte &= language[l &* count &+ b] }
        return byte
    }

    /// The scores of need `n` with the eight offers of block `b` (−1 where a hard constraint
    /// fails), the same as the scalar kernel's; `speak` is `speakers(…, b)`. The lanes
    /// outside the need's kind and the declined offers are for the caller to drop.
    ///
    /// With `prune`, a block none of whose offers can score above `floor` (their skills
    /// and territory, plus the most that time, capacity and sector can add, `n.rest`) is
    /// answered −1 in every lane without scoring the rest: for a top-k whose k-th score is
    /// `floor`, scanning blocks in order (a later offer needs more than `floor` to enter).
    /// A floor of −1 drops nothing. `prune` is a constant of each caller: it also chooses
    /// the order of the work, which the compiler keeps apart.
    @inline(__always)
    func score(_ n: NeedLanes, _ a: NeedArrays, _ b: Int, speak: UInt8, credits sum: UInt64, prune: Bool = false, floor: Int32 = -1) -> Lanes {
        let blk = UnsafePointer(blocks + b)
        let zero = Lanes(repeating: 0)
        // The hard constraints (−1 where met) and the days of the need's window covered:
        // read first by the full scan, after the skills and territory by a top-k scan (which
        // mostly stops there, and then needs none of this block's other lines).
        @inline(__always) func constraints() -> (ok: Lanes, covered: Lanes) {
            let remote = blk.pointee.remote, onSite = blk.pointee.onSite, anyTime = blk.pointee.anyTime
            // Days of the need's window each of the two windows that apply covers (≤ 0: none);
            // an overlap with the on-site windows is what on-site work requires (the "either"
            // windows are the on-site ones wherever the offer is not remote).
            let overlap: Lanes, covered: Lanes
            if n.hasWindow {
                let f = Lanes(repeating: n.from), u = Lanes(repeating: n.until)
                let f0: Lanes, u0: Lanes, f1: Lanes, u1: Lanes
                switch n.mode {
                case .remote: (f0, u0, f1, u1) = (blk.pointee.allFrom0, blk.pointee.allUntil0, blk.pointee.allFrom1, blk.pointee.allUntil1)
                case .onSite: (f0, u0, f1, u1) = (blk.pointee.siteFrom0, blk.pointee.siteUntil0, blk.pointee.siteFrom1, blk.pointee.siteUntil1)
                case .either: (f0, u0, f1, u1) = (blk.pointee.eitherFrom0, blk.pointee.eitherUntil0, blk.pointee.eitherFrom1, blk.pointee.eitherUntil1)
                }
                let one = Lanes(repeating: 1)
                let d0 = u.min(u0) &- f.max(f0) &+ one, d1 = u.min(u1) &- f.max(f1) &+ one
                overlap = ((0 &- d0) | (0 &- d1)) &>> 31
                covered = (d0 & ~(d0 &>> 31)) &+ (d1 & ~(d1 &>> 31))
            } else {
                overlap = blk.pointee.hasSite
                covered = zero
            }
            let canOnSite = onSite & (anyTime | overlap)
            var ok = speak == 0xFF ? Lanes(repeating: -1) : Vector.lanes(speak)
            switch n.mode {
            case .remote: ok &= remote
            case .onSite: ok &= canOnSite
            case .either: ok &= remote | canOnSite
            }
            return (ok, covered)
        }
        var early = (ok: zero, covered: zero)
        if !prune { early = constraints() }

        // Skills: the half-credits of the eight offers counted a byte each in one word (`sum`,
        // from `credits`); each lane reads its byte as a float (scaled back by a power of
        // two, exactly), and the value is ⌊1000 × credits / (2 × skills asked)⌋.
        var score = Lanes(repeating: n.base)
        if !a.skills.isEmpty {
            let low = Int32(truncatingIfNeeded: sum), high = Int32(truncatingIfNeeded: sum >> 32)
            let credits = SIMD8<Float>(Lanes(low, low, low, low, high, high, high, high) & Vector.bytes)
            let value = ((credits * n.skillScale + n.skill.b) + PerMille.round) - PerMille.round
            score &+= PerMille.weighted(value.bits, n.w.0)
        }

        // Territory: the best of the origin and the interests over the project's communes.
        let w1 = n.w.1
        var territory = zero
        let region = Lanes(repeating: 1 << 24), province = Lanes(repeating: 1 << 14), commune = Lanes(repeating: 1)
        // Each level shared adds its step: region, then province − region, commune − province.
        typealias V = MatchIndex.Shared
        let o1 = Lanes(repeating: w1 &* Int32(V.originRegion)), o2 = Lanes(repeating: w1 &* Int32(V.originProvince &- V.originRegion))
        let o3 = Lanes(repeating: w1 &* Int32(V.originCommune &- V.originProvince))
        let i1 = Lanes(repeating: w1 &* Int32(V.interestRegion)), i2 = Lanes(repeating: w1 &* Int32(V.interestProvince &- V.interestRegion))
        let i3 = Lanes(repeating: w1 &* Int32(V.interestCommune &- V.interestProvince))
        let at = UnsafePointer(placeBlocks + b)
        for place in a.places {
            let q = Lanes(repeating: place)
            let o = at.pointee.origin ^ q, j0 = at.pointee.interest0 ^ q, j1 = at.pointee.interest1 ^ q
            // The levels are nested (a commune lies in its province, in its region), so the
            // better of the two interests is the union of their level masks.
            let origin = (o.lt(region) & o1) &+ (o.lt(province) & o2) &+ (o.lt(commune) & o3)
            let interest = ((j0.lt(region) | j1.lt(region)) & i1) &+ ((j0.lt(province) | j1.lt(province)) & i2)
                &+ ((j0.lt(commune) | j1.lt(commune)) & i3)
            territory = territory.max(origin.max(interest))
        }
        score &+= territory
        if prune, Lanes(repeating: floor).lt(score &+ Lanes(repeating: n.rest)).wrappedSum() == 0 {
            return Lanes(repeating: -1)
        }
        let (ok, covered) = prune ? constraints() : early

        // Time: the share of the need's window covered.
        if n.hasWindow {
            let time = n.time.of(covered).bits.or(PerMille.thousand, where: blk.pointee.anyTime)
            score &+= PerMille.weighted(time, n.w.2)
        } else {
            score &+= Lanes(repeating: n.w.2 &* 1000)
        }

        // Capacity: the share of the quantity the offer can give, in the same unit.
        let capacity = n.capacity.of(blk.pointee.capacity.min(Lanes(repeating: n.quantity))).bits
            .or(PerMille.fiveHundred, where: ~blk.pointee.unit.eq(Lanes(repeating: n.unit)))
        score &+= PerMille.weighted(capacity, n.w.3)

        // Sector.
        if n.sectorBit != 0 {
            let w4 = n.w.4
            score &+= (Lanes(repeating: w4 &* 1000) & (blk.pointee.sector & n.sectorBit).nonzero)
                | (Lanes(repeating: w4 &* 500) & blk.pointee.sector.eq(zero))
        }
        return score | ~ok
    }
}

extension MatchIndex {
    /// Visits the blocks in `range` of need `n` with their scores (−1 where a hard
    /// constraint fails, outside the need's kind or declined); blocks where no offer speaks
    /// the required languages are skipped. `r` is the need's scalar view, for the few offers
    /// the scalar kernel scores. With `prune`, `visit` answers the score a later offer must
    /// exceed to matter (a top-k's floor, −1 while every feasible score does), and blocks
    /// that cannot exceed it are dropped: first, before any lane is computed, when no offer
    /// of the block has the skills to pass it with the territory value it can reach at
    /// most (any near the need's provinces, a region's elsewhere); then, answered −1 in
    /// every lane, when skills and territory computed show it (`Vector.score`). Without
    /// `prune`, what `visit` answers is not read.
    @inline(__always)
    func scan(_ n: NeedLanes, _ r: NeedRowView, blocks range: Range<Int>, prune: Bool, _ visit: (Int, Lanes) -> Int32) {
        guard n.languages != nil else { return }
        let v = vector
        let lo = n.offers.lowerBound, hi = n.offers.upperBound
        let edges = Lanes(repeating: Int32(truncatingIfNeeded: lo)), ends = Lanes(repeating: Int32(truncatingIfNeeded: hi))
        let iota = Lanes(0, 1, 2, 3, 4, 5, 6, 7)
        n.withArrays { a in
            let spoken = !a.languages.isEmpty
            var floor: Int32 = -1, seen: Int32 = -1
            // The half-credits an offer needs to pass the floor, in a block near the need's
            // provinces (any territory value) and in one that is not (a region's at most).
            var nearCredits: UInt8 = 0, farCredits: UInt8 = 0
            for b in range {
                let speak = spoken ? v.speakers(a.languages, b) : 0xFF
                if speak == 0 { continue }
                let credits = v.credits(a.skills, b)
                let fast = v.slow[b] == 0
                if prune, floor >= 0, fast {
                    if floor != seen {
                        seen = floor
                        nearCredits = n.credits(toPass: floor, territory: MatchIndex.Shared.originCommune)
                        farCredits = n.credits(toPass: floor, territory: max(MatchIndex.Shared.originRegion, MatchIndex.Shared.interestRegion))
                    }
                    if !Vector.reaches(credits, v.touches(a.provinces, b) ? nearCredits : farCredits) { continue }
                }
                var s = v.score(n, a, b, speak: speak, credits: credits, prune: prune, floor: fast ? floor : -1)
                let first = b &* 8
                if first < lo || first &+ 8 > hi {
                    let o = Lanes(repeating: Int32(truncatingIfNeeded: first)) &+ iota
                    s |= o.lt(edges) | ~o.lt(ends)
                }
                if !fast || n.declines { s = fix(s, block: b, r, lo..<hi) }
                floor = visit(b, s)
            }
        }
    }

    /// The lanes of block `b` that the scalar kernel scores, and the declined offers.
    @inline(never)
    func fix(_ scores: Lanes, block b: Int, _ r: NeedRowView, _ kind: Range<Int>) -> Lanes {
        var s = scores
        let kern = kernel
        for l in 0..<8 {
            let o = b &* 8 &+ l
            guard kind.contains(o) else { continue }
            if vector.slow[b] & (1 << UInt8(l)) != 0 { s[l] = kern.evaluate(r, o) }
            else if r.declinedCount > 0, r.isDeclined(Int32(truncatingIfNeeded: o)) { s[l] = -1 }
        }
        return s
    }

    /// The `part`-th of `parts` equal slices of `range` (blocks, offers, a posting list).
    static func slice(_ range: Range<Int>, part: Int, of parts: Int) -> Range<Int> {
        let c = range.count
        return (range.lowerBound + c * part / parts)..<(range.lowerBound + c * (part + 1) / parts)
    }

    /// Offers the lanes of a block to a top-k; answers its floor.
    @inline(__always)
    static func offer(_ s: Lanes, block b: Int, to heap: inout TopK) -> Int32 {
        if (~s.lt(Lanes(repeating: heap.floorScore))).wrappedSum() != 0 {
            for l in 0..<8 { heap.offer(score: s[l], index: b &* 8 &+ l) }
        }
        return heap.floorScore
    }
}
