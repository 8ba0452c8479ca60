/// An allocation problem: a bipartite graph of needs and offers with scored edges, how
/// many offers each need takes (`needSlots`), how many needs each offer serves
/// (`offerSlots`) and, for fairness, a cap on the needs served by one member's offers.
public struct AllocationProblem: Sendable {
    /// Edges (need, offer, score > 0), each usable once.
    public var edges: [(need: Int, offer: Int, score: Int)]
    public var needSlots: [Int]
    public var offerSlots: [Int]
    /// The group of each offer (its member), or -1 when not capped.
    public var group: [Int]
    /// The most needs one group may serve; nil: no cap.
    public var groupCap: Int?

    /// A problem.
    public init(edges: [(need: Int, offer: Int, score: Int)], needSlots: [Int], offerSlots: [Int], group: [Int], groupCap: Int?) {
        self.edges = edges; self.needSlots = needSlots; self.offerSlots = offerSlots; self.group = group; self.groupCap = groupCap
    }
}

/// The result: the chosen edges (by need, then offer) and their total score.
public struct Allocation: Sendable, Equatable {
    /// Indexes into the problem's edges, sorted by need then offer.
    public var chosen: [Int]
    /// The sum of the chosen scores: the largest any allocation within the capacities reaches.
    public var objective: Int
    /// Shortest-path phases the solver ran.
    public var phases: Int
}

/// Exact maximum-score b-matching as a min-cost flow: source → need (its slots) → offer
/// (one unit per edge, cost −score) → member (the offer's slots) → sink (the fairness cap).
/// Successive shortest paths with potentials (Dijkstra on reduced costs, stopped at the
/// sink) and, in each phase, a blocking flow on the zero-reduced-cost arcs; it stops when
/// no path lowers the cost, which makes the total score the maximum (not the largest flow).
public enum Allocator {
    /// Solves `p`. Throws `invalid` on a malformed problem (index out of range, negative
    /// slots or cap, score not above 0).
    public static func solve(_ p: AllocationProblem) throws(CDSError) -> Allocation {
        let nNeeds = p.needSlots.count, nOffers = p.offerSlots.count
        guard p.group.count == nOffers else { throw CDSError.invalid("group", "one group per offer") }
        guard p.needSlots.allSatisfy({ $0 >= 0 }), p.offerSlots.allSatisfy({ $0 >= 0 }) else { throw CDSError.invalid("slots", "must not be negative") }
        if let c = p.groupCap, c < 0 { throw CDSError.invalid("max_per_member", "must not be negative") }
        var groups = 0
        for g in p.group {
            guard g >= -1 else { throw CDSError.invalid("group", "must be -1 or a group index") }
            groups = max(groups, g + 1)
        }
        for e in p.edges {
            guard (0..<nNeeds).contains(e.need), (0..<nOffers).contains(e.offer) else { throw CDSError.invalid("edges", "an edge names an unknown need or offer") }
            guard e.score > 0, e.score < 1 << 40 else { throw CDSError.invalid("edges", "scores must be above 0") }
        }
        // Nodes: 0 source, 1 sink, needs, offers, groups.
        let needBase = 2, offerBase = 2 + nNeeds, groupBase = 2 + nNeeds + nOffers
        let nodes = groupBase + groups
        var graph = Graph(nodes: nodes)
        for (i, s) in p.needSlots.enumerated() where s > 0 { graph.add(0, needBase + i, cap: s, cost: 0) }
        var edgeArc = [Int](repeating: -1, count: p.edges.count)
        for (i, e) in p.edges.enumerated() { edgeArc[i] = graph.add(needBase + e.need, offerBase + e.offer, cap: 1, cost: -e.score) }
        for (o, s) in p.offerSlots.enumerated() where s > 0 {
            let g = p.group[o]
            graph.add(offerBase + o, g >= 0 ? groupBase + g : 1, cap: s, cost: 0)
        }
        let cap = p.groupCap ?? Int.max / 4
        for g in 0..<groups { graph.add(groupBase + g, 1, cap: cap, cost: 0) }
        graph.freeze()
        edgeArc = edgeArc.map { $0 >= 0 ? graph.remap[$0] : -1 }

        // Potentials: shortest distances in the initial DAG (all reduced costs ≥ 0).
        var pot = [Int](repeating: 0, count: nodes)
        for e in p.edges { pot[offerBase + e.offer] = min(pot[offerBase + e.offer], -e.score) }
        for o in 0..<nOffers where p.group[o] >= 0 { pot[groupBase + p.group[o]] = min(pot[groupBase + p.group[o]], pot[offerBase + o]) }
        pot[1] = min(0, pot[offerBase..<groupBase].min() ?? 0, groups > 0 ? pot[groupBase..<nodes].min() ?? 0 : 0)

        var phases = 0
        var dist = [Int](repeating: Int.max, count: nodes)
        var done = [Bool](repeating: false, count: nodes)
        var touched: [Int] = []
        var heap = MinHeap()
        while true {
            phases += 1
            // Dijkstra on reduced costs, stopped when the sink is settled.
            for v in touched { dist[v] = Int.max; done[v] = false }
            touched.removeAll(keepingCapacity: true)
            dist[0] = 0
            touched.append(0)
            heap.push(0, 0)
            var dSink = Int.max
            while let (d, u) = heap.pop() {
                if done[u] || d > dist[u] { continue }
                done[u] = true
                if u == 1 { dSink = d; break }
                for a in graph.start[u]..<graph.start[u + 1] where graph.cap[a] > 0 {
                    let v = graph.to[a]
                    let nd = d + graph.cost[a] + pot[u] - pot[v]
                    if nd < dist[v] {
                        if dist[v] == Int.max { touched.append(v) }
                        dist[v] = nd
                        heap.push(nd, v)
                    }
                }
            }
            heap.clear()
            guard dSink != Int.max else { break }
            // The real cost of the shortest path; stop when it no longer lowers the cost.
            if dSink + pot[1] - pot[0] >= 0 { break }
            for v in 0..<nodes { pot[v] += min(dist[v], dSink) }
            // Blocking flow on arcs of zero reduced cost.
            if graph.blockingFlow(pot: pot) == 0 { break }
        }
        var chosen: [Int] = []
        var objective = 0
        for (i, a) in edgeArc.enumerated() where a >= 0 && graph.cap[a] == 0 {
            chosen.append(i)
            objective += p.edges[i].score
        }
        chosen.sort { (p.edges[$0].need, p.edges[$0].offer) < (p.edges[$1].need, p.edges[$1].offer) }
        return Allocation(chosen: chosen, objective: objective, phases: phases)
    }
}

/// A residual graph in compressed rows (arcs of a node contiguous), each arc with its twin.
struct Graph {
    var from: [Int] = [], to: [Int] = [], cap: [Int] = [], cost: [Int] = [], twin: [Int] = []
    var start: [Int] = []
    let nodes: Int

    init(nodes: Int) { self.nodes = nodes }

    /// Adds an arc and its reverse; returns the arc's id (valid after `freeze`).
    @discardableResult
    mutating func add(_ u: Int, _ v: Int, cap c: Int, cost k: Int) -> Int {
        from += [u, v]; to += [v, u]; cap += [c, 0]; cost += [k, -k]
        return from.count - 2
    }

    /// Sorts arcs by their tail; arc ids given by `add` are remapped in place by `remap`.
    var remap: [Int] = []
    mutating func freeze() {
        let m = from.count
        var count = [Int](repeating: 0, count: nodes + 1)
        for u in from { count[u + 1] += 1 }
        for i in 0..<nodes { count[i + 1] += count[i] }
        start = count
        var pos = count
        var newID = [Int](repeating: 0, count: m)
        for a in 0..<m { newID[a] = pos[from[a]]; pos[from[a]] += 1 }
        var f = [Int](repeating: 0, count: m), t = f, c = f, k = f, tw = f
        for a in 0..<m {
            let n = newID[a]
            f[n] = from[a]; t[n] = to[a]; c[n] = cap[a]; k[n] = cost[a]; tw[n] = newID[a ^ 1]
        }
        from = f; to = t; cap = c; cost = k; twin = tw
        remap = newID
    }

    /// Pushes flow along paths of zero reduced cost from the source (0) to the sink (1)
    /// until none is left (current-arc DFS, no node twice on a path); returns the flow.
    mutating func blockingFlow(pot: [Int]) -> Int {
        var it = Array(start.dropLast())
        var dead = [Bool](repeating: false, count: nodes)
        var onPath = [Bool](repeating: false, count: nodes)
        var total = 0
        var path: [Int] = []   // arcs
        var u = 0
        onPath[0] = true
        while true {
            if u == 1 {
                var f = Int.max
                for a in path { f = Swift.min(f, cap[a]) }
                for a in path { cap[a] -= f; cap[twin[a]] += f }
                total += f
                // Back to the source.
                for a in path { onPath[to[a]] = false }
                path.removeAll(keepingCapacity: true)
                u = 0
                continue
            }
            var advanced = false
            while it[u] < start[u + 1] {
                let a = it[u]
                let v = to[a]
                if cap[a] > 0, !dead[v], !onPath[v], cost[a] + pot[u] - pot[v] == 0 {
                    path.append(a)
                    onPath[v] = true
                    u = v
                    advanced = true
                    break
                }
                it[u] += 1
            }
            if advanced { continue }
            dead[u] = true
            if u == 0 { break }
            guard let a = path.popLast() else { break }
            onPath[u] = false
            u = from[a]
            it[u] += 1
        }
        return total
    }
}

/// A binary min-heap of (distance, node).
struct MinHeap {
    var items: [(Int, Int)] = []
    mutating func clear() { items.removeAll(keepingCapacity: true) }
    mutating func push(_ d: Int, _ v: Int) {
        items.append((d, v))
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            if items[p].0 <= items[i].0 { break }
            items.swapAt(p, i)
            i = p
        }
    }
    mutating func pop() -> (Int, Int)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count, items[l].0 < items[m].0 { m = l }
                if r < items.count, items[r].0 < items[m].0 { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}
