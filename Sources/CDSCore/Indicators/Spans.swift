/// The intervals one entity's sources gave in one set, unmerged: the first inline (most
/// entities have one, and then no array is allocated), the others after it, in no order.
struct SpanList: Equatable {
    /// The first interval; empty (start == end) when the list is.
    var first = Interval(start: 0, end: 0)
    var more: [Interval] = []

    var isEmpty: Bool { first.start >= first.end }

    mutating func append(_ s: Interval) {
        if isEmpty { first = s } else { more.append(s) }
    }

    /// Removes one occurrence of `s`; whether it was there.
    mutating func remove(_ s: Interval) -> Bool {
        if !isEmpty, first == s {
            first = more.popLast() ?? Interval(start: 0, end: 0)
            return true
        }
        guard let at = more.firstIndex(of: s) else { return false }
        more.swapAt(at, more.count - 1)
        more.removeLast()
        return true
    }

    /// The intervals, in no order.
    var all: [Interval] { isEmpty ? [] : [first] + more }

    /// Calls `body` with each interval of their union, in order: those that overlap or touch joined.
    func forEachOfUnion(_ body: (Interval) -> Void) {
        if more.isEmpty {
            if !isEmpty { body(first) }
        } else {
            for s in SpanSet.union(all) { body(s) }
        }
    }

    /// Whether day `d` is in one of the intervals (in their union).
    func contains(_ d: Int) -> Bool {
        !isEmpty && ((first.start <= d && d < first.end) || more.contains { $0.start <= d && d < $0.end })
    }
}

/// The intervals of one indicator in one territory: for each entity counted, the intervals
/// its sources gave (unmerged), and the sorted starts and ends of their unions, so that a
/// count on a day is two binary searches. The unions themselves are not kept: they are
/// computed again for the entities that changed.
struct SpanSet {
    /// Per local entity: its global number in `LiveSpans`.
    var global: [Int32] = []
    /// Per local entity: the intervals as its sources gave them.
    var raw: [SpanList] = []
    var starts: [Int] = []
    var ends: [Int] = []
    /// Local index of each entity (its global number in `LiveSpans`); nil until the set first
    /// changes after it was built whole or read from a snapshot, then made from `global`.
    private var local: [Int32: Int32]? = [:]

    init() {}

    /// A set built whole or read from a snapshot: `global` and `raw` of one length (the caller checks).
    init(global: [Int32], raw: [SpanList], starts: [Int], ends: [Int]) {
        self.global = global; self.raw = raw; self.starts = starts; self.ends = ends
        local = nil
    }

    /// The local index of a global entity, if the set holds it.
    mutating func localIndex(_ entity: Int32) -> Int? {
        if local == nil {
            var made: [Int32: Int32] = Dictionary(minimumCapacity: global.count)
            for (le, e) in global.enumerated() { made[e] = Int32(truncatingIfNeeded: le) }
            local = made
        }
        return local?[entity].map(Int.init)
    }

    /// Adds a source's interval for an entity (one hash lookup of the set, done by the caller's `inout`).
    mutating func add<ID, Source>(_ r: LiveSpans<ID, Source>.Row) {
        let le: Int
        if let x = localIndex(r.entity) { le = x } else {
            le = global.count
            local?[r.entity] = Int32(truncatingIfNeeded: le)
            global.append(r.entity)
            raw.append(SpanList())
        }
        if le < raw.count { raw[le].append(r.span) }
    }

    /// Removes one occurrence of a source's interval for an entity; whether it was there.
    mutating func remove<ID, Source>(_ r: LiveSpans<ID, Source>.Row) -> Bool {
        guard let le = localIndex(r.entity), le < raw.count else { return false }
        return raw[le].remove(r.span)
    }

    /// The union of the intervals of a global entity (empty if the set does not hold it).
    mutating func union(of entity: Int32) -> [Interval] {
        guard let le = localIndex(entity), le < raw.count else { return [] }
        return SpanSet.union(raw[le].all)
    }

    /// How many entities are counted on day `d`.
    func count(at d: Int) -> Int { Self.upperBound(starts, d) - Self.upperBound(ends, d) }

    /// The global numbers of the entities counted on day `d`.
    func entities(at d: Int) -> [Int32] {
        var out: [Int32] = []
        for (le, spans) in raw.enumerated() where spans.contains(d) {
            if le < global.count { out.append(global[le]) }
        }
        return out
    }

    /// The sorted starts and ends of every entity's union, made again from the raw intervals.
    mutating func sortEnds() {
        var s: [Int] = [], e: [Int] = []
        s.reserveCapacity(raw.count); e.reserveCapacity(raw.count)
        for list in raw { list.forEachOfUnion { s.append($0.start); e.append($0.end) } }
        starts = s.sorted()
        ends = e.sorted()
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
    /// The sets, in the order they were first counted in (read in place: an array's element is
    /// not copied to be read, a dictionary's value is).
    var setList: [SpanSet] = []
    /// The place in `setList` of each set, by indicator (its index in `allCases`) × 2³² + territory key.
    var setIndex: [Int: Int] = [:]
    /// The rows each source gave when it was last emitted.
    private var bySource: [Source: [Row]] = [:]
    /// The rows of the source being emitted.
    private var pending: [Row] = []
    /// The entities whose rows changed since the last `finish`, with the union of their
    /// intervals before the first change.
    private var touched: [Touch: [Interval]] = [:]
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

    /// Each indicator's place in `allCases` (asked for on every count: `allCases` makes an array).
    private let idNumbers = caseNumbers(ID.self)

    func setNumber(_ id: ID, _ key: Int32) -> Int { Self.setNumber(idNumbers[id] ?? 0, key) }

    /// The number of the set of the indicator numbered `id` under a territory key.
    static func setNumber(_ id: Int, _ key: Int32) -> Int {
        id << 32 | Int(UInt32(bitPattern: key))
    }

    /// Counts `entity` from `start` (included) to `end` (excluded) under every key of `code`,
    /// for the source being emitted (its `commit` follows).
    mutating func add(_ id: ID, under code: String?, _ entity: String, _ start: Int, _ end: Int) {
        guard start < end else { return }
        let e: Int32
        if let i = entityIndex[entity] { e = i } else {
            e = Int32(truncatingIfNeeded: entityNames.count); entityNames.append(entity); entityIndex[entity] = e
        }
        for k in keys(code) { pending.append(Row(set: setNumber(id, k), entity: e, span: Interval(start: start, end: end))) }
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
        for r in old {
            touch(r)
            if let i = setIndex[r.set] { _ = setList[i].remove(r) }
        }
        for r in new {
            touch(r)
            setList[slot(r.set)].add(r)
        }
        if new.isEmpty { bySource[source] = nil } else { bySource[source] = new }
    }

    /// Notes that the entity of `r` changes in its set, keeping its union before the first change.
    private mutating func touch(_ r: Row) {
        let t = Touch(set: r.set, entity: r.entity)
        if touched[t] == nil { touched[t] = setIndex[r.set].map { setList[$0].union(of: r.entity) } ?? [] }
    }

    /// The place of set `n` in `setList`, an empty set put there if it has none.
    private mutating func slot(_ n: Int) -> Int {
        if let i = setIndex[n] { return i }
        setList.append(SpanSet())
        setIndex[n] = setList.count - 1
        return setList.count - 1
    }

    /// Merges again the entities whose rows changed and updates the sorted starts and ends:
    /// in place for a few, sorted again when a set changed a lot (the first build).
    mutating func finish() {
        if mergeAll {
            mergeAll = false
            buildAll()
            return
        }
        var bySet: [Int: [(entity: Int32, before: [Interval])]] = [:]
        for (t, before) in touched { bySet[t.set, default: []].append((t.entity, before)) }
        touched.removeAll()
        for (n, entities) in bySet {
            guard let at = setIndex[n] else { continue }
            var set = setList[at]
            setList[at] = SpanSet()     // uniquely referenced while it changes: no copy of its arrays
            if entities.count * 8 > set.raw.count || set.starts.isEmpty {
                set.sortEnds()
            } else {
                for (e, before) in entities {
                    let union = set.union(of: e)
                    if union == before { continue }
                    for s in before { SpanSet.removeSorted(&set.starts, s.start); SpanSet.removeSorted(&set.ends, s.end) }
                    for s in union { SpanSet.insertSorted(&set.starts, s.start); SpanSet.insertSorted(&set.ends, s.end) }
                }
            }
            setList[at] = set
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
            var global: [Int32] = [], raw: [SpanList] = []
            while i < rows.count, rows[i].set == n {
                let e = rows[i].entity
                var run = SpanList()
                while i < rows.count, rows[i].set == n, rows[i].entity == e { run.append(rows[i].span); i += 1 }
                global.append(e)
                raw.append(run)
            }
            var set = SpanSet(global: global, raw: raw, starts: [], ends: [])
            set.sortEnds()
            setList[slot(n)] = set
        }
    }

    /// The set of an indicator in a territory key, if anything was ever counted there.
    func set(_ id: ID, _ territory: String) -> SpanSet? {
        guard let k = keyIndex[territory] else { return nil }
        return setIndex[setNumber(id, k)].map { setList[$0] }
    }

    /// The entities an indicator counts in a territory key on day `d`, sorted.
    func entities(_ id: ID, _ territory: String, at d: Int) -> [String] {
        guard let set = set(id, territory) else { return [] }
        return set.entities(at: d).compactMap { Int($0) < entityNames.count ? entityNames[Int($0)] : nil }.sorted()
    }

    /// Every territory key something was counted under.
    var territoryKeys: Set<String> {
        var s = Set<String>()
        for (n, i) in setIndex where i < setList.count && setList[i].starts.count > 0 {
            let k = Int(UInt32(truncatingIfNeeded: n))
            if k < keyNames.count { s.insert(keyNames[k]) }
        }
        return s
    }
}

/// A span set is written with the entities it counts by their number in the engine's list
/// (`LiveSpans.entityNames`), their raw intervals, and the sorted starts and ends of their
/// unions; its lookup is made again when it first changes.
extension LiveSpans: Snapshotted where Source: Snapshotted {
    func write(to w: inout SnapshotWriter) {
        w.put(keyNames)
        w.put(keysOf)
        w.put(entityNames)
        w.dictionary(setIndex) { w, i in
            let set = setList[i]
            w.put(set.global)
            w.array(set.raw) { w, list in
                w.int(list.isEmpty ? 0 : list.more.count + 1)
                if !list.isEmpty { w.put(list.first.start); w.put(list.first.end) }
                for s in list.more { w.put(s.start); w.put(s.end) }
            }
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
        let entities = entityNames.count
        func interval(_ r: inout SnapshotReader) throws(CDSError) -> Interval {
            let s = Interval(start: try r.get(), end: try r.get())
            guard s.start < s.end else { throw SnapshotReader.damage("an interval ends before it starts") }
            return s
        }
        let count = try r.count()
        setList.reserveCapacity(count)
        setIndex.reserveCapacity(count)
        for _ in 0..<count {
            let n: Int = try r.get()
            let global: [Int32] = try r.get()
            let raw = try r.array { r throws(CDSError) -> SpanList in
                var list = SpanList()
                let length = try r.count()
                if length > 0 { list.first = try interval(&r) }
                if length > 1 {
                    list.more.reserveCapacity(length - 1)
                    for _ in 1..<length { list.more.append(try interval(&r)) }
                }
                return list
            }
            let set = SpanSet(global: global, raw: raw, starts: try r.get(), ends: try r.get())
            guard global.count == raw.count, set.starts.count == set.ends.count, set.starts.count <= raw.reduce(0, { $0 + ($1.isEmpty ? 0 : $1.more.count + 1) }),
                  global.allSatisfy({ $0 >= 0 && Int($0) < entities }) else {
                throw SnapshotReader.damage("a set of intervals does not agree with itself")
            }
            guard setIndex.updateValue(setList.count, forKey: n) == nil else { throw SnapshotReader.damage("a set is written twice") }
            setList.append(set)
        }
        bySource = try r.dictionary { r throws(CDSError) in
            try r.array { r throws(CDSError) in
                let row = Row(set: try r.get(), entity: try r.get(), span: try interval(&r))
                guard row.entity >= 0, Int(row.entity) < entities else { throw SnapshotReader.damage("an interval names no entity") }
                return row
            }
        }
        mergeAll = try r.get()
    }
}

/// Each case's place in `allCases`, made once by whoever keeps it (`allCases` makes an array).
func caseNumbers<T: CaseIterable & Hashable>(_: T.Type) -> [T: Int] {
    Dictionary(T.allCases.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
}
