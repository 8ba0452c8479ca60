import Benchmark
@_spi(Tooling) import CDS
import CDSCore
import CDSHeader
import CDSStore

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(5), maxIterations: 100_000)

    // The price of the C door: a trivial method through cds_call, JSON in and out.
    Benchmark("cds_call meta.version round trip") { benchmark in
        var handle: OpaquePointer? = nil
        guard cds_open(":memory:", nil, &handle, nil) == CDS_OK else { fatalError("open") }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            var out: UnsafeMutablePointer<CChar>? = nil
            _ = cds_call(handle, "meta.version", "{}", &out)
            cds_free(out)
        }
        benchmark.stopMeasurement()
        cds_close(handle)
    }

    // One member.create through the C door: validation, a transaction, the event log.
    Benchmark("cds_call member.create (one transaction each)", configuration: .init(maxDuration: .seconds(5), maxIterations: 5000)) { benchmark in
        var handle: OpaquePointer? = nil
        guard cds_open(":memory:", nil, &handle, nil) == CDS_OK else { fatalError("open") }
        benchmark.startMeasurement()
        for n in benchmark.scaledIterations {
            var out: UnsafeMutablePointer<CChar>? = nil
            _ = cds_call(handle, "member.create", #"{"name": "M\#(n)", "gender": "f", "roles": ["diaspora"], "residence_country": "FR", "languages": ["fr", "ar"]}"#, &out)
            cds_free(out)
        }
        benchmark.stopMeasurement()
        cds_close(handle)
    }

    // Bulk import: 10,000 members in one batch (each call still atomic).
    Benchmark("bulk import of 10,000 members (Store.batch)", configuration: .init(metrics: [.wallClock, .peakMemoryResident], maxDuration: .seconds(20), maxIterations: 3)) { benchmark in
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        benchmark.startMeasurement()
        try db.store.batch { () throws(CDSError) in
            for n in 0..<10_000 {
                _ = try db.store.createMember { $0.name = "M\(n)"; $0.gender = .f; $0.roles = [.diaspora]; $0.residenceCountry = "FR"; $0.languages = ["fr"] }
            }
        }
        benchmark.stopMeasurement()
    }
}
