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
    /// `stop` is checked before each need's search (`interrupted` when it is).
    public static func solve(_ p: AllocationProblem, stop: InterruptToken = .never) throws(CDSError) -> Allocation {
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
        // Needs with the best edges first: their choices are the likeliest to last, so
        // fewer later searches have to displace them (any order gives the optimum).
        var best = [Int](repeating: 0, count: nNeeds)
        for e in p.edges { best[e.need] = max(best[e.need], e.score) }
        let order = (0..<nNeeds).sorted { best[$0] != best[$1] ? best[$0] > best[$1] : $0 < $1 }
        var changed = true
        while changed {
            changed = false
            for i in order {
                try stop.check()
                let slot = slotArc[i]
                guard slot >= 0 else { continue }
                while solver.graph.cap(slot) > 0, solver.improve(needBase + i, slot: slot) { changed = true }
            }
        }
        var chosen: [Int] = []
        var objective = 0
        for (i, a) in edgeArc.enumerated() where a >= 0 && solver.graph.cap(a) == 0 {
            chosen.append(i)
            objective += p.edges[i].score
        }
        chosen.sort { (p.edges[$0].need, p.edges[$0].offer) < (p.edges[$1].need, p.edges[$1].offer) }
        return Allocation(chosen: chosen, objective: objective, phases: solver.searches)
    }
}

/// The searches of the allocator, with their state in one value (no captured variables):
/// flat buffers, read without bounds checks in the search (every index comes from the graph
/// the solver built).
struct ShortestCycles {
    var graph: Graph
    let pot: Buffer<Int>, dist: Buffer<Int>, via: Buffer<Int>, done: Buffer<Bool>
    var settled: [Int] = [], touched: [Int] = []
    var heap = MinHeap<Reached>()
    var searches = 0

    init(graph: Graph, pot: [Int]) {
        self.graph = graph
        self.pot = Buffer(pot)
        dist = Buffer(graph.nodes, Int.max)
        via = Buffer(graph.nodes, -1)
        done = Buffer(graph.nodes, false)
    }

    /// The cheapest way from need node `r` back to the hub (node 0), on reduced costs; applies
    /// the cycle hub → r → … → hub through `slot` if it lowers the cost.
    mutating func improve(_ r: Int, slot: Int) -> Bool {
        searches += 1
        let dist = dist.base, via = via.base, done = done.base, pot = pot.base
        let arcs = graph.arcs.base, start = graph.start.base
        // The cycle hub → r → … → hub costs (reduced distance to the hub) − pot[r] + pot[hub]:
        // it lowers the cost only if the hub is nearer than `limit`, so nothing at `limit` or
        // beyond is worth a push (a need that cannot improve is told so without searching
        // the whole graph).
        let limit = pot[r] &- pot[0]
        guard limit > 0 else { return false }
        for v in touched { dist[v] = Int.max; via[v] = -1; done[v] = false }
        touched.removeAll(keepingCapacity: true)
        settled.removeAll(keepingCapacity: true)
        heap.clear()
        dist[0] = limit
        touched.append(0)
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
            var a = start[u]
            let end = start[u &+ 1]
            while a < end {
                let arc = arcs[a]
                a &+= 1
                if arc.cap <= 0 { continue }
                let v = Int(arc.to)
                if done[v] { continue }
                let nd = d &+ arc.cost &+ pu &- pot[v]
                // Nothing at or beyond the hub's best distance so far (at first `limit`) can
                // lead to it sooner.
                if nd < dist[v], nd < dist[0] {
                    if dist[v] == Int.max { touched.append(v) }
                    dist[v] = nd
                    via[v] = a &- 1
                    heap.push(Reached(dist: nd, node: v))
                }
            }
        }
        // Not reached within `limit`: no cycle through r lowers the cost. Reached: the hub
        // is nearer than `limit`, so the cycle lowers it.
        guard dHub != Int.max else { return false }
        // Potentials of the settled nodes move so that reduced costs stay ≥ 0.
        for v in settled { pot[v] += dist[v] - dHub }
        var v = 0
        while v != r {
            let a = via[v]
            graph.push(a)
            v = graph.from[a]
        }
        graph.push(slot)
        return true
    }
}

/// An arc of the residual graph: its head, the room left on it and its cost.
struct Arc {
    var to: Int32
    var cap: Int32
    var cost: Int
}

/// A residual graph in compressed rows (arcs of a node contiguous), each arc with its twin.
struct Graph {
    private var build: [(from: Int, arc: Arc)] = []
    /// After `freeze`: the arcs by tail, each arc's tail and twin, and where a node's arcs start.
    private(set) var arcs = Buffer<Arc>(0, Arc(to: 0, cap: 0, cost: 0))
    private(set) var from: [Int] = [], twin: [Int] = []
    private(set) var start = Buffer<Int>(0, 0)
    let nodes: Int

    init(nodes: Int, arcs: Int = 0) {
        self.nodes = nodes
        build.reserveCapacity(2 * arcs)
    }

    /// Adds an arc and its reverse (a room of at most Int32.max); returns the arc's id (valid
    /// after `freeze`).
    @discardableResult
    mutating func add(_ u: Int, _ v: Int, cap c: Int, cost k: Int) -> Int {
        build.append((u, Arc(to: Int32(truncatingIfNeeded: v), cap: Int32(clamping: c), cost: k)))
        build.append((v, Arc(to: Int32(truncatingIfNeeded: u), cap: 0, cost: -k)))
        return build.count - 2
    }

    /// The room left on arc `a`.
    func cap(_ a: Int) -> Int { Int(arcs[a].cap) }

    /// Sends one unit along arc `a`.
    mutating func push(_ a: Int) {
        arcs[a].cap -= 1
        arcs[twin[a]].cap += 1
    }

    /// Sorts arcs by their tail; arc ids given by `add` are remapped in place by `remap`.
    var remap: [Int] = []
    mutating func freeze() {
        let m = build.count
        var count = [Int](repeating: 0, count: nodes + 1)
        for b in build { count[b.from + 1] += 1 }
        for i in 0..<nodes { count[i + 1] += count[i] }
        start = Buffer(count)
        var pos = count
        var newID = [Int](repeating: 0, count: m)
        for a in 0..<m { newID[a] = pos[build[a].from]; pos[build[a].from] += 1 }
        let packed = Buffer<Arc>(m, Arc(to: 0, cap: 0, cost: 0))
        var f = [Int](repeating: 0, count: m), tw = f
        for a in 0..<m {
            let n = newID[a]
            packed[n] = build[a].arc
            f[n] = build[a].from
            tw[n] = newID[a ^ 1]
        }
        arcs = packed
        from = f; twin = tw
        remap = newID
        build = []
    }
}

/// A node reached at a distance: ordered by the distance alone.
struct Reached: Comparable {
    let dist: Int
    let node: Int
    static func < (a: Reached, b: Reached) -> Bool { a.dist < b.dist }
}
