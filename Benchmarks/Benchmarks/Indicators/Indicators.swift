import Benchmark
@_spi(Tooling) import CDS
import CDSCore
import CDSDataGen

#if canImport(Glibc)
import Glibc
#endif

/// The events of the benchmark data, from `CDS_BENCH_EVENTS` (default 100,000; the
/// side-by-side run of cds-bench uses 1,000,000).
let eventTarget = Int(getenvString("CDS_BENCH_EVENTS") ?? "") ?? 100_000

func getenvString(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

/// The generated database, built once per process.
nonisolated(unsafe) var cached: CDSDatabase? = nil
func database() throws -> CDSDatabase {
    if let cached { return cached }
    let db = try CDSDatabase(path: ":memory:", options: .trusted)
    _ = try DataGenerator.generate(into: db, events: eventTarget)
    cached = db
    return db
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .peakMemoryResident], maxDuration: .seconds(20), maxIterations: 5)

    Benchmark("engine build from the event log (\(eventTarget) events)") { benchmark in
        let db = try database()
        let events = try db.store.indicatorEvents()
        benchmark.startMeasurement()
        blackHole(IndicatorEngine(events: events))
        benchmark.stopMeasurement()
    }

    Benchmark("every seed indicator × every commune × 36 months (\(eventTarget) events)") { benchmark in
        let db = try database()
        let engine = IndicatorEngine(events: try db.store.indicatorEvents())
        let communes = try db.store.territories(level: .commune, limit: 1000).items.map(\.code)
        let months = Period.month.periods(from: DataGenerator.start, until: LocalDate(year: 2026, month: 12, day: 31) ?? DataGenerator.start)
        benchmark.startMeasurement()
        var total = 0
        for (_, end) in months {
            for id in [IndicatorID.migrantsMobilized, .collectivitiesEngaged, .collectivitiesWithCompetentADC, .actorsLinked, .territoriesConnected] {
                for c in communes { total &+= engine.count(id, day: end.daysSinceEpoch, territory: c) }
            }
        }
        blackHole(total)
        benchmark.stopMeasurement()
    }

    Benchmark("indicators.compute as of a past date, whole CDS (\(eventTarget) events)") { benchmark in
        let db = try database()
        _ = try db.store.withIndicatorEngine { $0.territoryKeys.count }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(db.call("indicators.compute", #"{"as_of": "2025-06-30"}"#)) }
        benchmark.stopMeasurement()
    }
}
