@_spi(Tooling) import CDS
import CDSCore
@testable import CDSStore
import Foundation
import Testing

/// The indicator engine kept between calls: how often the whole log is read.
@Suite struct IndicatorEngineCacheTests {
    @Test func concurrentFirstCallsBuildTheIndicatorEngineOnceAndAWriteOnlyExtendsIt() async throws {
        let tmp = TempDB()
        do {
            let setup = try tmp.open()
            for n in 0..<20 { _ = try setup.diaspora("Membre \(n)") }
        }
        let db = try tmp.open()
        let fresh = try tmp.open(OpenOptions(store: StoreOptions(live: false), trusted: true))   // builds from the log on every call
        func expected() throws -> Int64 { try fresh.ok("indicators.compute", #"{"indicators": ["actors_linked"]}"#)["indicators"]?.arrayValue?.first?["value"]?.intValue ?? -2 }
        let before = try expected()
        // Eight calls at once on a handle that has built nothing yet: one reads the whole log, the others wait for it.
        try await withThrowingTaskGroup(of: Int64.self) { group in
            for _ in 0..<8 {
                group.addTask { try db.ok("indicators.compute", #"{"indicators": ["actors_linked"]}"#)["indicators"]?.arrayValue?.first?["value"]?.intValue ?? -1 }
            }
            for try await value in group { #expect(value == before) }
        }
        #expect(db.store.engineHolder.fullBuilds.load(ordering: .relaxed) == 1)
        _ = try db.diaspora("Une de plus")
        let after = try expected()
        try await withThrowingTaskGroup(of: Int64.self) { group in
            for _ in 0..<8 {
                group.addTask { try db.ok("indicators.compute", #"{"indicators": ["actors_linked"]}"#)["indicators"]?.arrayValue?.first?["value"]?.intValue ?? -1 }
            }
            for try await value in group { #expect(value == after) }
        }
        #expect(db.store.engineHolder.fullBuilds.load(ordering: .relaxed) == 1)   // the new event extended it
    }
}
