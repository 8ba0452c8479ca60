// The matcher's figures (PERFORMANCE.md's protocol): full scoring in pairs per second on
// 1 and 2 threads, top-10 latency per need and per offer, the batch for all needs, the
// allocation at 1k/5k/10k needs, peak memory; and, with --export DIR, the packed data,
// the candidate graphs and the Swift figures for peers/side_by_side.py.
// Run: swift run -c release cds-match-bench --offers 100000 --needs 10000 [--export DIR]
import CDSCore
import CDSDataGen
import CDSStore
import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#endif


runTool {
    let args = try ToolArguments(options: ["--offers", "--needs", "--export"])
    let nOffers = try args.int("--offers", 100_000)
    let nNeeds = try args.int("--needs", 10_000)
    let export = args.string("--export", "")
    let clock = ContinuousClock()
    func f(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }
    func percentile(_ xs: [Double], _ p: Double) -> Double {
        let s = xs.sorted()
        return s.isEmpty ? 0 : s[min(s.count - 1, Int(Double(s.count) * p))]
    }
    func peakMiB() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Double(line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0) / 1024
        }
        return 0
    }

    if !export.isEmpty { try makeDirectory(export) }
    var results: [String: Any] = ["offers": nOffers, "needs": nNeeds, "threads": Store.processors]
    say("generating \(nOffers) offers × \(nNeeds) needs (seed 20260301)…")
    var t = clock.now
    let world = MatchWorld.generate(offers: nOffers, needs: nNeeds)
    say("  generated in \(f(seconds(clock.now - t))) s")
    t = clock.now
    let index = try MatchIndex(offers: world.offers, needs: world.needs, taxonomy: world.taxonomy)
    let build = seconds(clock.now - t)
    say("index built in \(f(build, 3)) s")
    results["index_build_s"] = build

    // Full scoring, 1 thread then all threads.
    t = clock.now
    let one = index.scoreAll(needs: 0..<nNeeds)
    let scan1 = seconds(clock.now - t)
    let threads = Store.processors
    t = clock.now
    let parts = ResultParts(threads)
    DispatchQueue.concurrentPerform(iterations: threads) { i in
        let lo = nNeeds * i / threads, hi = nNeeds * (i + 1) / threads
        parts.set(i, index.scoreAll(needs: lo..<hi))
    }
    let scanN = seconds(clock.now - t)
    let sumN = parts.total
    guard sumN.checksum == one.checksum && sumN.feasible == one.feasible else { throw ToolError("the threaded scan disagrees with the single-threaded one") }
    let pairs = Double(one.pairs)
    say("full scoring: \(one.pairs) pairs (\(one.feasible) feasible), 1 thread \(f(scan1, 3)) s = \(f(pairs / scan1 / 1e6, 1)) M pairs/s; "
        + "\(threads) threads \(f(scanN, 3)) s = \(f(pairs / scanN / 1e6, 1)) M pairs/s")
    results["scan_pairs"] = one.pairs
    results["scan_feasible"] = one.feasible
    results["scan_checksum"] = one.checksum
    results["scan_1_thread_s"] = scan1
    results["scan_threads_s"] = scanN

    // Top-10 for one need and for one offer.
    var rng = SplitMix(seed: 7)
    /// Milliseconds for each of `count` calls of `body` on a random index below `bound`.
    func latencies(_ count: Int, below bound: Int, _ rng: inout SplitMix, _ body: (Int) -> Void) -> [Double] {
        (0..<count).map { _ in
            let i = Int(rng.next() % UInt64(bound))
            let s = clock.now
            body(i)
            return seconds(clock.now - s) * 1000
        }
    }
    let needLat = latencies(1000, below: nNeeds, &rng) { _ = index.topOffers(need: $0, k: 10) }
    let needLatN = latencies(1000, below: nNeeds, &rng) { _ = index.topOffersParallel(need: $0, k: 10) }
    say("top-10 per need over \(nOffers) offers, its scan shared by \(threads) threads: p50 \(f(percentile(needLatN, 0.5), 3)) ms, p99 \(f(percentile(needLatN, 0.99), 3)) ms")
    results["top10_need_threads_p50_ms"] = percentile(needLatN, 0.5)
    results["top10_need_threads_p99_ms"] = percentile(needLatN, 0.99)
    let offerLat = latencies(200, below: nOffers, &rng) { _ = index.topNeeds(offer: $0, k: 10) }
    say("top-10 per need over \(nOffers) offers: p50 \(f(percentile(needLat, 0.5), 3)) ms, p99 \(f(percentile(needLat, 0.99), 3)) ms; "
        + "per offer over \(nNeeds) needs: p50 \(f(percentile(offerLat, 0.5), 3)) ms, p99 \(f(percentile(offerLat, 0.99), 3)) ms")
    results["top10_need_p50_ms"] = percentile(needLat, 0.5)
    results["top10_need_p99_ms"] = percentile(needLat, 0.99)
    results["top10_offer_p50_ms"] = percentile(offerLat, 0.5)
    results["top10_offer_p99_ms"] = percentile(offerLat, 0.99)

    // The batch: top-10 for every need.
    t = clock.now
    let all = index.topOffersForAll(k: 10)
    let batch = seconds(clock.now - t)
    say("match.all top-10 for \(nNeeds) needs over \(nOffers) offers: \(f(batch, 3)) s on \(threads) threads")
    results["match_all_s"] = batch
    results["top10_first_needs"] = all.prefix(50).map { hits in hits.map { ["offer": $0.offer, "score": $0.score] } }

    // Allocation at 1k / 5k / 10k needs over each need's 50 best offers.
    var allocations: [[String: Any]] = []
    for size in [1000, 5000, 10000] where size <= nNeeds {
        let needs = Array(0..<size)
        let s = clock.now
        let a = try index.allocate(AllocationOptions(candidates: 50), needs: needs)
        let solve = seconds(clock.now - s)
        // The candidate graph alone (what the peers are given), to time the solver apart.
        let g = clock.now
        let tops = index.topOffersForAll(needs: needs, k: 50)
        let graph = seconds(clock.now - g)
        var edges: [Int32] = []
        for hits in tops { for h in hits where h.score > 0 { edges += [Int32(h.need), Int32(h.offer), Int32(h.score)] } }
        let p = AllocationProblem(edges: stride(from: 0, to: edges.count, by: 3).map { (Int(edges[$0]), Int(edges[$0 + 1]), Int(edges[$0 + 2])) },
                                  needSlots: Array(repeating: 1, count: size), offerSlots: Array(repeating: 1, count: nOffers),
                                  group: Array(repeating: -1, count: nOffers), groupCap: nil)
        let so = clock.now
        let solved = try Allocator.solve(p)
        let solverOnly = seconds(clock.now - so)
        guard solved.objective == a.objective else { throw ToolError("the allocation is not reproducible: \(solved.objective) ≠ \(a.objective)") }
        say("allocation \(size) needs: \(a.edges) edges, \(a.pairs.count) pairs, objective \(a.objective), \(a.phases) phases; "
            + "candidate graph \(f(graph, 3)) s + solver \(f(solverOnly, 3)) s (total \(f(solve, 3)) s)")
        allocations.append(["needs": size, "edges": a.edges, "pairs": a.pairs.count, "objective": a.objective, "phases": a.phases,
                            "graph_s": graph, "solver_s": solverOnly, "total_s": solve])
        if !export.isEmpty {
            let data = edges.withUnsafeBufferPointer { Data(buffer: $0) }
            try data.write(to: URL(fileURLWithPath: "\(export)/edges_\(size).i32"))
        }
    }
    results["allocations"] = allocations
    results["peak_mib"] = peakMiB()
    say("peak memory: \(f(peakMiB(), 0)) MiB")

    if !export.isEmpty {
        let packed = index.packed()
        for (name, values) in packed.arrays {
            let data = values.withUnsafeBufferPointer { Data(buffer: $0) }
            try data.write(to: URL(fileURLWithPath: "\(export)/\(name).i64"))
        }
        results["scalars"] = packed.scalars
        results["arrays"] = packed.arrays.keys.sorted()
        let json = try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys, .prettyPrinted])
        try json.write(to: URL(fileURLWithPath: "\(export)/swift.json"))
        say("exported to \(export)")
    }
}

/// Per-thread scan results.
final class ResultParts: @unchecked Sendable {
    var items: [(pairs: Int, feasible: Int, checksum: Int)]
    let lock = NSLock()
    init(_ n: Int) { items = Array(repeating: (0, 0, 0), count: n) }
    func set(_ i: Int, _ v: (pairs: Int, feasible: Int, checksum: Int)) { lock.lock(); items[i] = v; lock.unlock() }
    var total: (pairs: Int, feasible: Int, checksum: Int) {
        items.reduce((0, 0, 0)) { ($0.0 + $1.pairs, $0.1 + $1.feasible, $0.2 &+ $1.checksum) }
    }
}
