import Benchmark
import CDSCore
import CDSDataGen
import CDSStore

#if canImport(Glibc)
import Glibc
#endif

/// The sizes, from `CDS_BENCH_OFFERS` and `CDS_BENCH_NEEDS` (default 100,000 × 10,000, as
/// PERFORMANCE.md's protocol; cds-match-bench prints the same figures with the peers').
let offerCount = Int(getenv("CDS_BENCH_OFFERS").map { String(cString: $0) } ?? "") ?? 100_000
let needCount = Int(getenv("CDS_BENCH_NEEDS").map { String(cString: $0) } ?? "") ?? 10_000

/// The generated world and its index, built once per process.
nonisolated(unsafe) var cached: MatchIndex? = nil
func index() throws -> MatchIndex {
    if let cached { return cached }
    let world = MatchWorld.generate(offers: offerCount, needs: needCount)
    let i = try MatchIndex(offers: world.offers, needs: world.needs, taxonomy: world.taxonomy)
    cached = i
    return i
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .peakMemoryResident, .throughput], maxDuration: .seconds(20), maxIterations: 5)

    Benchmark("index build (\(offerCount) offers × \(needCount) needs)") { benchmark in
        let world = MatchWorld.generate(offers: offerCount, needs: needCount)
        benchmark.startMeasurement()
        blackHole(try MatchIndex(offers: world.offers, needs: world.needs, taxonomy: world.taxonomy))
        benchmark.stopMeasurement()
    }

    Benchmark("top-10 for one need over \(offerCount) offers",
              configuration: .init(metrics: [.wallClock], maxDuration: .seconds(10), maxIterations: 2000)) { benchmark in
        let i = try index()
        var n = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(i.topOffers(need: n % needCount, k: 10))
            n &+= 7919
        }
        benchmark.stopMeasurement()
    }

    Benchmark("top-10 needs for one offer over \(needCount) needs",
              configuration: .init(metrics: [.wallClock], maxDuration: .seconds(10), maxIterations: 2000)) { benchmark in
        let i = try index()
        var o = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(i.topNeeds(offer: o % offerCount, k: 10))
            o &+= 104_729
        }
        benchmark.stopMeasurement()
    }

    Benchmark("full scoring, 1,000 needs × \(offerCount) offers, 1 thread") { benchmark in
        let i = try index()
        benchmark.startMeasurement()
        blackHole(i.scoreAll(needs: 0..<min(1000, needCount)))
        benchmark.stopMeasurement()
    }

    Benchmark("match.all: top-10 for \(needCount) needs over \(offerCount) offers, all threads") { benchmark in
        let i = try index()
        benchmark.startMeasurement()
        blackHole(i.topOffersForAll(k: 10))
        benchmark.stopMeasurement()
    }

    Benchmark("allocation over the top-50 graph of \(needCount) needs") { benchmark in
        let i = try index()
        benchmark.startMeasurement()
        blackHole(try i.allocate(AllocationOptions(candidates: 50)))
        benchmark.stopMeasurement()
    }
}
