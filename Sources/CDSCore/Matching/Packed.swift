/// The matcher's packed arrays, named, for a peer that computes the same scores on the same
/// data (the benchmarks' side-by-side with numpy): little-endian 64-bit integers, one
/// array per name. `BENCHMARKS.md` documents each name; the score is `MatchIndex`'s.
public struct PackedMatchData: Sendable {
    /// The arrays, by name.
    public var arrays: [String: [Int64]]
    /// Scalars: words per skill bitset, territory slots per table, the weights.
    public var scalars: [String: Int64]
}

extension MatchIndex {
    /// The packed form of this index (a copy).
    public func packed() -> PackedMatchData {
        func ints<T: BinaryInteger>(_ b: Buffer<T>) -> [Int64] { (0..<b.count).map { Int64(truncatingIfNeeded: b[$0]) } }
        var a: [String: [Int64]] = [:]
        var kind = [Int64](repeating: 0, count: offers.count)
        for (k, r) in kindRanges.enumerated() { for o in r { kind[o] = Int64(k) } }
        a["offer_kind"] = kind
        a["offer_lang"] = ints(oLang); a["offer_flags"] = ints(oFlags); a["offer_skill"] = ints(oSkill); a["offer_group"] = ints(oGroup)
        a["offer_origin"] = ints(oOrigin); a["offer_interest_start"] = ints(oInterestStart); a["offer_interest"] = ints(oInterest)
        a["offer_all_start"] = ints(oAllStart); a["offer_all"] = ints(oAll); a["offer_site_start"] = ints(oSiteStart); a["offer_site"] = ints(oSite)
        a["offer_cap"] = ints(oCap); a["offer_unit"] = ints(oUnit); a["offer_sector"] = ints(oSector)
        a["need_kind"] = rows.map { Int64($0.kind) }
        a["need_lang"] = rows.map { Int64(bitPattern: $0.lang) }
        a["need_mode"] = rows.map { $0.mode == .onSite ? 0 : $0.mode == .remote ? 1 : 2 }
        a["need_has_window"] = rows.map { $0.hasWindow ? 1 : 0 }
        a["need_from"] = rows.map { Int64($0.from) }
        a["need_until"] = rows.map { Int64($0.until) }
        var start: [Int64] = [0]
        var exact: [Int64] = [], parent: [Int64] = []
        for r in rows {
            exact += r.skills.map { Int64($0.exact) }
            parent += r.skills.map { Int64($0.parent) }
            start.append(Int64(exact.count))
        }
        a["need_skill_start"] = start; a["need_skill_exact"] = exact; a["need_skill_parent"] = parent
        a["need_quantity"] = rows.map(\.quantity)
        a["need_unit"] = rows.map { Int64($0.unit) }
        a["need_sector_bit"] = rows.map { Int64($0.sectorBit) }
        a["need_table"] = rows.map { Int64($0.table) }
        a["need_declined_count"] = rows.map { Int64($0.declined.count) }
        a["tables"] = ints(tables)
        let s: [String: Int64] = [
            "words": Int64(words), "slots": Int64(territoryCount + 1), "offers": Int64(offers.count), "needs": Int64(needs.count),
            "w_skills": Int64(weights.skills), "w_territory": Int64(weights.territory), "w_time": Int64(weights.time),
            "w_capacity": Int64(weights.capacity), "w_sector": Int64(weights.sector),
        ]
        return PackedMatchData(arrays: a, scalars: s)
    }
}
