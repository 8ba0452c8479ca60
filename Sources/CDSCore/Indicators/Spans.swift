/// The intervals of one indicator in one territory: for each entity counted, the intervals
/// its sources gave (unmerged) and their union (merged), and the sorted starts and ends of
/// the merged ones, so that a count on a day is two binary searches.
struct SpanSet {
    /// Local index of each entity (its global number in `LiveSpans`).
    var local: [Int32: Int32] = [:]
    var entities: [String] = []
    /// Per local entity: the intervals as its sources gave them.
    var raw: [[Interval]] = []
    /// Per local entity: their union, sorted, none touching another.
    var merged: [[Interval]] = []
    var starts: [Int] = []
    var ends: [Int] = []

    /// Adds a source's interval for an entity (one hash lookup of the set, done by the caller's `inout`).
    mutating func add<ID, Source>(_ r: LiveSpans<ID, Source>.Row, named name: @autoclosure () -> String) {
        let le: Int
        if let x = local[r.entity] { le = Int(x) } else {
            le = entities.count
            local[r.entity] = Int32(truncatingIfNeeded: le)
            entities.append(name())
            raw.append([])
            merged.append([])
        }
        raw[le].append(r.span)
    }

    /// Removes one occurrence of a source's interval for an entity; whether it was there.
    mutating func remove<ID, Source>(_ r: LiveSpans<ID, Source>.Row) -> Bool {
        guard let x = local[r.entity], Int(x) < raw.count, let at = raw[Int(x)].firstIndex(of: r.span) else { return false }
        raw[Int(x)].remove(at: at)
        return true
    }

    /// How many entities are counted on day `d`.
    func count(at d: Int) -> Int { Self.upperBound(starts, d) - Self.upperBound(ends, d) }

    /// The entities counted on day `d`, sorted.
    func entities(at d: Int) -> [String] {
        var out: [String] = []
        for (i, spans) in merged.enumerated() where spans.contains(where: { $0.start <= d && d < $0.end }) {
            if i < entities.count { out.append(entities[i]) }
        }
        return out.sorted()
    }

    static func upperBound(_ a: [Int], _ x: Int) -> Int {
        var lo = 0, hi = a.count
        while lo < hi { let mid = (lo + hi) / 2; if a[mid] <= x { lo = mid + 1 } else { hi = mid } }
        return lo
    }

    /// The union of intervals: sorted by start, those that overlap or touch joined.
    static func union(_ raw: [Interval]) -> [Interval] {
        var out: [Interval] = []
        for s in raw.sorted(by: { ($0.start, $0.end) < ($1.start, $1.end) }) {
            if let last = out.last, s.start <= last.end {
                out[out.count - 1].end = max(last.end, s.end)
            } else {
                out.append(s)
            }
        }
        return out
    }

    /// Removes one occurrence of `x` from the sorted array `a`.
    static func removeSorted(_ a: inout [Int], _ x: Int) {
        let i = upperBound(a, x) - 1
        if i >= 0, i < a.count, a[i] == x { a.remove(at: i) }
    }

    /// Inserts `x` into the sorted array `a`.
    static func insertSorted(_ a: inout [Int], _ x: Int) {
        a.insert(x, at: upperBound(a, x))
    }
}

/// A day interval [start, end).
struct Interval: Equatable {
    var start: Int
    var end: Int
}

/// The counted intervals of a family of indicators, kept per source (a contribution, an
/// offer, a member…) so that a source that changed replaces its own intervals and only the
/// entities it touches are merged again: the spans follow the facts without being built again.
/// Territory keys and entities are interned as integers (a million events give millions of rows).
struct LiveSpans<ID: CaseIterable & Hashable, Source: Hashable> where ID.AllCases == [ID] {
    /// One counted interval: the set (indicator and territory key), the entity, the days.
    struct Row: Equatable {
        var set: Int
        var entity: Int32
        var span: Interval
    }
    private struct Touch: Hashable { var set: Int; var entity: Int32 }

    var keyIndex: [String: Int32] = [:]
    var keyNames: [String] = []
    var keysOf: [String: [Int32]] = [:]
    var entityIndex: [String: Int32] = [:]
    var entityNames: [String] = []
    /// The sets, by indicator (its index in `allCases`) × 2³² + territory key.
    var sets: [Int: SpanSet] = [:]
    /// The rows each source gave when it was last emitted.
    private var bySource: [Source: [Row]] = [:]
    /// The rows of the source being emitted.
    private var pending: [Row] = []
    private var touched: Set<Touch> = []
    /// Whether every set is built whole at the next `finish` (the first build: nothing to
    /// track, the rows are gathered and sorted once).
    private var mergeAll = true
    private var bulkRows: [Row] = []

    init() {}

    private mutating func key(_ k: String) -> Int32 {
        if let i = keyIndex[k] { return i }
        let i = Int32(truncatingIfNeeded: keyNames.count)
        keyNames.append(k)
        keyIndex[k] = i
        return i
    }

    /// The interned keys a territory code counts under (itself, province, region, the CDS).
    private mutating func keys(_ code: String?) -> [Int32] {
        let c = code ?? ""
        if let k = keysOf[c] { return k }
        var out: [Int32] = []
        for k in IndicatorEngine.keys(code) { out.append(key(k)) }
        keysOf[c] = out
        return out
    }

    static func setNumber(_ id: ID, _ key: Int32) -> Int {
        (ID.allCases.firstIndex(of: id) ?? 0) << 32 | Int(UInt32(bitPattern: key))
    }

    /// Counts `entity` from `start` (included) to `end` (excluded) under every key of `code`,
    /// for the source being emitted (its `commit` follows).
    mutating func add(_ id: ID, under code: String?, _ entity: String, _ start: Int, _ end: Int) {
        guard start < end else { return }
        let e: Int32
        if let i = entityIndex[entity] { e = i } else {
            e = Int32(truncatingIfNeeded: entityNames.count); entityNames.append(entity); entityIndex[entity] = e
        }
        for k in keys(code) { pending.append(Row(set: Self.setNumber(id, k), entity: e, span: Interval(start: start, end: end))) }
    }

    /// Replaces what `source` counted with the rows added since the last commit; the entities
    /// whose rows changed are merged again by `finish`.
    mutating func commit(_ source: Source) {
        let new = pending
        pending.removeAll(keepingCapacity: true)
        if mergeAll {
            // The first build emits each source once; its rows are sorted into sets by `finish`.
            bulkRows.append(contentsOf: new)
            if !new.isEmpty { bySource[source] = new }
            return
        }
        let old = bySource[source] ?? []
        if old == new { return }
        for r in old where sets[r.set]?.remove(r) == true { touched.insert(Touch(set: r.set, entity: r.entity)) }
        for r in new {
            sets[r.set, default: SpanSet()].add(r, named: entityNames[Int(r.entity)])
            touched.insert(Touch(set: r.set, entity: r.entity))
        }
        if new.isEmpty { bySource[source] = nil } else { bySource[source] = new }
    }

    /// Merges again the entities whose rows changed and updates the sorted starts and ends:
    /// in place for a few, sorted again when a set changed a lot (the first build).
    mutating func finish() {
        if mergeAll {
            mergeAll = false
            buildAll()
            return
        }
        var bySet: [Int: [Int32]] = [:]
        for t in touched { bySet[t.set, default: []].append(t.entity) }
        touched.removeAll()
        for (n, entities) in bySet {
            guard var set = sets[n] else { continue }
            sets[n] = nil     // uniquely referenced while it changes: no copy of its arrays
            let bulk = entities.count * 8 > set.merged.count || set.starts.isEmpty
            for e in entities {
                guard let le = set.local[e] else { continue }
                let i = Int(le)
                let union = SpanSet.union(set.raw[i])
                if union == set.merged[i] { continue }
                if !bulk {
                    for s in set.merged[i] { SpanSet.removeSorted(&set.starts, s.start); SpanSet.removeSorted(&set.ends, s.end) }
                    for s in union { SpanSet.insertSorted(&set.starts, s.start); SpanSet.insertSorted(&set.ends, s.end) }
                }
                set.merged[i] = union
            }
            if bulk {
                set.starts = set.merged.flatMap { $0.map(\.start) }.sorted()
                set.ends = set.merged.flatMap { $0.map(\.end) }.sorted()
            }
            sets[n] = set
        }
    }

    /// The first build: the rows sorted by set and entity, each set built in one pass (nothing
    /// is in a set before it).
    private mutating func buildAll() {
        let rows = bulkRows.sorted { ($0.set, $0.entity, $0.span.start, $0.span.end) < ($1.set, $1.entity, $1.span.start, $1.span.end) }
        bulkRows = []
        var i = 0
        while i < rows.count {
            let n = rows[i].set
            var set = SpanSet()
            while i < rows.count, rows[i].set == n {
                let e = rows[i].entity
                var run: [Interval] = []
                while i < rows.count, rows[i].set == n, rows[i].entity == e { run.append(rows[i].span); i += 1 }
                set.local[e] = Int32(truncatingIfNeeded: set.entities.count)
                set.entities.append(entityNames[Int(e)])
                set.raw.append(run)
            }
            set.merged = set.raw.map(SpanSet.union)
            set.starts = set.merged.flatMap { $0.map(\.start) }.sorted()
            set.ends = set.merged.flatMap { $0.map(\.end) }.sorted()
            sets[n] = set
        }
    }

    /// The set of an indicator in a territory key, if anything was ever counted there.
    func set(_ id: ID, _ territory: String) -> SpanSet? {
        guard let k = keyIndex[territory] else { return nil }
        return sets[Self.setNumber(id, k)]
    }

    /// Every territory key something was counted under.
    var territoryKeys: Set<String> {
        var s = Set<String>()
        for (n, set) in sets where set.starts.count > 0 {
            let k = Int(UInt32(truncatingIfNeeded: n))
            if k < keyNames.count { s.insert(keyNames[k]) }
        }
        return s
    }
}

/// A span set is written with the entities it counts by their number in the engine's list
/// (`LiveSpans.entityNames`); its lookups are rebuilt from them, and its raw intervals from
/// the rows of the sources (each row is in its set's raw intervals once, whatever the order).
extension LiveSpans: Snapshotted where Source: Snapshotted {
    func write(to w: inout SnapshotWriter) {
        w.put(keyNames)
        w.put(keysOf)
        w.put(entityNames)
        w.dictionary(sets) { w, set in
            var global = [Int32](repeating: 0, count: set.entities.count)
            for (e, le) in set.local where Int(le) < global.count { global[Int(le)] = e }
            w.put(global)
            w.array(set.merged) { w, spans in w.array(spans) { w, s in w.put(s.start); w.put(s.end) } }
            w.put(set.starts)
            w.put(set.ends)
        }
        w.dictionary(bySource) { w, rows in w.array(rows) { w, r in w.put(r.set); w.put(r.entity); w.put(r.span.start); w.put(r.span.end) } }
        w.put(mergeAll)
    }

    init(from r: inout SnapshotReader) throws(CDSError) {
        self.init()
        keyNames = try r.get()
        keysOf = try r.get()
        entityNames = try r.get()
        for (i, k) in keyNames.enumerated() { keyIndex[k] = Int32(truncatingIfNeeded: i) }
        for (i, e) in entityNames.enumerated() { entityIndex[e] = Int32(truncatingIfNeeded: i) }
        guard keyIndex.count == keyNames.count, entityIndex.count == entityNames.count, keyNames.count <= Int(Int32.max), entityNames.count <= Int(Int32.max),
              keysOf.values.allSatisfy({ $0.allSatisfy { $0 >= 0 && Int($0) < keyNames.count } }) else {
            throw SnapshotReader.damage("the territory keys or the entities of the intervals do not agree")
        }
        let names = entityNames
        func spans(_ r: inout SnapshotReader) throws(CDSError) -> [Interval] {
            try r.array { r throws(CDSError) in Interval(start: try r.get(), end: try r.get()) }
        }
        sets = try r.dictionary { r throws(CDSError) in
            var set = SpanSet()
            let global: [Int32] = try r.get()
            set.raw = Array(repeating: [], count: global.count)
            set.merged = try r.array(spans)
            set.starts = try r.get()
            set.ends = try r.get()
            guard set.merged.count == global.count, set.starts.count == set.ends.count,
                  set.starts.count == set.merged.reduce(0, { $0 + $1.count }) else {
                throw SnapshotReader.damage("a set of intervals does not agree with itself")
            }
            for (le, e) in global.enumerated() {
                guard e >= 0, Int(e) < names.count, set.local.updateValue(Int32(truncatingIfNeeded: le), forKey: e) == nil else {
                    throw SnapshotReader.damage("a set of intervals names an entity it does not hold")
                }
                set.entities.append(names[Int(e)])
            }
            return set
        }
        bySource = try r.dictionary { r throws(CDSError) in
            try r.array { r throws(CDSError) in
                let row = Row(set: try r.get(), entity: try r.get(), span: Interval(start: try r.get(), end: try r.get()))
                guard row.entity >= 0, Int(row.entity) < names.count else { throw SnapshotReader.damage("an interval names no entity") }
                return row
            }
        }
        mergeAll = try r.get()
        var bySet: [Int: [Row]] = [:]
        for rows in bySource.values { for row in rows { bySet[row.set, default: []].append(row) } }
        for (n, rows) in bySet {
            // Out of the dictionary while it fills, so that its arrays grow in place.
            guard var set = sets.removeValue(forKey: n) else { throw SnapshotReader.damage("an interval is in no set") }
            for row in rows {
                guard let le = set.local[row.entity] else { throw SnapshotReader.damage("an interval names an entity its set does not hold") }
                set.raw[Int(le)].append(row.span)
            }
            sets[n] = set
        }
    }
}
