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
    /// Shortest-path searches the solver ran.
    public var phases: Int
}

/// Exact maximum-score b-matching as a min-cost circulation through one hub node Z:
/// Z → need (its slots) → offer (one unit per edge, cost −score) → member (the offer's
/// slots) → Z (the fairness cap). Needs are taken one by one: from each need with a slot
/// left, Dijkstra on reduced costs (potentials keep every arc not leaving Z non-negative)
/// finds the cheapest way back to Z — through an offer with room, or by displacing a need
/// that loses less — and the cycle is applied when it lowers the cost. Passes repeat until
/// no need improves: then no cycle of negative cost is left, which is optimality. Each
/// search stops as soon as Z is reached and updates only the potentials it settled.
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
        // Nodes: 0 the hub, needs, offers, groups.
        let needBase = 1, offerBase = 1 + nNeeds, groupBase = 1 + nNeeds + nOffers
        let nodes = groupBase + groups
        var graph = Graph(nodes: nodes, arcs: nNeeds + p.edges.count + nOffers + groups)
        var slotArc = [Int](repeating: -1, count: nNeeds)
        for (i, s) in p.needSlots.enumerated() where s > 0 { slotArc[i] = graph.add(0, needBase + i, cap: s, cost: 0) }
        var edgeArc = [Int](repeating: -1, count: p.edges.count)
        for (i, e) in p.edges.enumerated() { edgeArc[i] = graph.add(needBase + e.need, offerBase + e.offer, cap: 1, cost: -e.score) }
        for (o, s) in p.offerSlots.enumerated() where s > 0 {
            let g = p.group[o]
            graph.add(offerBase + o, g >= 0 ? groupBase + g : 0, cap: s, cost: 0)
        }
        let cap = p.groupCap ?? Int.max / 4
        for g in 0..<groups { graph.add(groupBase + g, 0, cap: cap, cost: 0) }
        graph.freeze()
        edgeArc = edgeArc.map { $0 >= 0 ? graph.remap[$0] : -1 }
        slotArc = slotArc.map { $0 >= 0 ? graph.remap[$0] : -1 }

        // Potentials: every arc not leaving the hub has a reduced cost ≥ 0.
        var pot = [Int](repeating: 0, count: nodes)
        for e in p.edges { pot[offerBase + e.offer] = min(pot[offerBase + e.offer], -e.score) }
        for o in 0..<nOffers where p.group[o] >= 0 { pot[groupBase + p.group[o]] = min(pot[groupBase + p.group[o]], pot[offerBase + o]) }
        pot[0] = min(0, pot[offerBase..<groupBase].min() ?? 0, groups > 0 ? pot[groupBase..<nodes].min() ?? 0 : 0)

        var solver = ShortestCycles(graph: graph, pot: pot)
        var passes = 0
        var changed = true
        while changed {
            changed = false
            passes += 1
            for i in 0..<nNeeds {
                let slot = slotArc[i]
                guard slot >= 0 else { continue }
                while solver.graph.cap[slot] > 0, solver.improve(needBase + i, slot: slot) { changed = true }
            }
        }
        var chosen: [Int] = []
        var objective = 0
        for (i, a) in edgeArc.enumerated() where a >= 0 && solver.graph.cap[a] == 0 {
            chosen.append(i)
            objective += p.edges[i].score
        }
        chosen.sort { (p.edges[$0].need, p.edges[$0].offer) < (p.edges[$1].need, p.edges[$1].offer) }
        return Allocation(chosen: chosen, objective: objective, phases: solver.searches)
    }
}

/// The searches of the allocator, with their state in one value (no captured variables).
struct ShortestCycles {
    var graph: Graph
    var pot: [Int]
    var dist: [Int], via: [Int], done: [Bool]
    var settled: [Int] = [], touched: [Int] = []
    var heap = MinHeap<Reached>()
    var searches = 0

    init(graph: Graph, pot: [Int]) {
        self.graph = graph
        self.pot = pot
        dist = [Int](repeating: Int.max, count: graph.nodes)
        via = [Int](repeating: -1, count: graph.nodes)
        done = [Bool](repeating: false, count: graph.nodes)
    }

    /// The cheapest way from need node `r` back to the hub (node 0), on reduced costs; applies
    /// the cycle hub → r → … → hub through `slot` if it lowers the cost.
    mutating func improve(_ r: Int, slot: Int) -> Bool {
        searches += 1
        for v in touched { dist[v] = Int.max; via[v] = -1; done[v] = false }
        touched.removeAll(keepingCapacity: true)
        settled.removeAll(keepingCapacity: true)
        heap.clear()
        dist[r] = 0
        touched.append(r)
        heap.push(Reached(dist: 0, node: r))
        var dHub = Int.max
        while let next = heap.pop() {
            let d = next.dist, u = next.node
            if done[u] || d > dist[u] { continue }
            done[u] = true
            if u == 0 { dHub = d; break }
            settled.append(u)
            let pu = pot[u]
            for a in graph.start[u]..<graph.start[u + 1] where graph.cap[a] > 0 {
                let v = graph.to[a]
                if done[v] { continue }
                let nd = d + graph.cost[a] + pu - pot[v]
                if nd < dist[v] {
                    if dist[v] == Int.max { touched.append(v) }
                    dist[v] = nd
                    via[v] = a
                    heap.push(Reached(dist: nd, node: v))
                }
            }
        }
        guard dHub != Int.max else { return false }
        // Potentials of the settled nodes move so that reduced costs stay ≥ 0.
        for v in settled { pot[v] += dist[v] - dHub }
        // The cycle hub → r → … → hub costs the path's real cost.
        let real = dHub + pot[0] - (pot[r] - dist[r] + dHub)
        guard real < 0 else { return false }
        var v = 0
        while v != r {
            let a = via[v]
            graph.cap[a] -= 1
            graph.cap[graph.twin[a]] += 1
            v = graph.from[a]
        }
        graph.cap[slot] -= 1
        graph.cap[graph.twin[slot]] += 1
        return true
    }
}

/// A residual graph in compressed rows (arcs of a node contiguous), each arc with its twin.
struct Graph {
    var from: [Int] = [], to: [Int] = [], cap: [Int] = [], cost: [Int] = [], twin: [Int] = []
    var start: [Int] = []
    let nodes: Int

    init(nodes: Int, arcs: Int = 0) {
        self.nodes = nodes
        from.reserveCapacity(2 * arcs); to.reserveCapacity(2 * arcs); cap.reserveCapacity(2 * arcs); cost.reserveCapacity(2 * arcs)
    }

    /// Adds an arc and its reverse; returns the arc's id (valid after `freeze`).
    @discardableResult
    mutating func add(_ u: Int, _ v: Int, cap c: Int, cost k: Int) -> Int {
        from.append(u); from.append(v)
        to.append(v); to.append(u)
        cap.append(c); cap.append(0)
        cost.append(k); cost.append(-k)
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
}

/// A node reached at a distance: ordered by the distance alone.
struct Reached: Comparable {
    let dist: Int
    let node: Int
    static func < (a: Reached, b: Reached) -> Bool { a.dist < b.dist }
}
