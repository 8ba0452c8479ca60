@_spi(Tooling) import CDS
import CDSCore
@testable import CDSStore
import Foundation
import GRDB
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

    /// Every indicator for the whole CDS and for a commune, at one date.
    static func figures(_ db: CDSDatabase) throws -> JSON {
        .array([try db.ok("indicators.compute", #"{"as_of": "2026-12-31"}"#), try db.ok("indicators.compute", #"{"as_of": "2026-12-31", "territory": "09.581.03.03"}"#)])
    }

    static func snapshotRows(_ path: String, _ sql: String = "SELECT COUNT(*) FROM engine_snapshot") throws -> Int {
        let q = try DatabaseQueue(path: path)
        defer { try? q.close() }
        return try q.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }

    @Test func aHandleOpensFromTheStoredSnapshotExtendedWithTheEventsAfterItAndAnswersAsBuiltFromTheLog() throws {
        let tmp = TempDB()
        do {
            let first = try tmp.open(OpenOptions(store: StoreOptions(snapshotAfterEvents: 10), trusted: true))
            for n in 0..<20 { _ = try first.diaspora("Membre \(n)") }
            _ = try Self.figures(first)        // built from the log: the snapshot is written
            #expect(first.store.engineHolder.fullBuilds.load(ordering: .relaxed) == 1)
            for n in 0..<5 { _ = try first.diaspora("Après \(n)") }   // after the snapshot
        }
        #expect(try Self.snapshotRows(tmp.path) == 1)
        let expected = try Self.figures(try tmp.open(OpenOptions(store: StoreOptions(live: false), trusted: true)))
        let db = try tmp.open()
        #expect(try Self.figures(db) == expected)
        #expect(db.store.engineHolder.snapshotsRead.load(ordering: .relaxed) == 1)
        #expect(db.store.engineHolder.fullBuilds.load(ordering: .relaxed) == 0)
    }

    @Test(arguments: ["a flipped byte", "a truncated snapshot", "another log's hash", "a position past the log", "another layout"])
    func aSnapshotThatIsDamagedStaleOrOfAnotherLayoutIsNotReadAndTheEngineIsBuiltFromTheLog(damage: String) throws {
        let tmp = TempDB()
        do {
            let first = try tmp.open(OpenOptions(store: StoreOptions(snapshotAfterEvents: 10), trusted: true))
            for n in 0..<20 { _ = try first.diaspora("Membre \(n)") }
            _ = try Self.figures(first)
        }
        let expected = try Self.figures(try tmp.open(OpenOptions(store: StoreOptions(live: false), trusted: true)))
        let q = try DatabaseQueue(path: tmp.path)
        try q.write { db in
            switch damage {
            case "a flipped byte":
                var data = try Data.fetchOne(db, sql: "SELECT data FROM engine_snapshot") ?? Data()
                data[data.count / 2] ^= 0x10
                try db.execute(sql: "UPDATE engine_snapshot SET data = ?", arguments: [data])
            case "a truncated snapshot": try db.execute(sql: "UPDATE engine_snapshot SET data = substr(data, 1, length(data) / 2)")
            case "another log's hash": try db.execute(sql: "UPDATE engine_snapshot SET hash = printf('%064d', 0)")
            case "a position past the log": try db.execute(sql: "UPDATE engine_snapshot SET seq = seq + 1000")
            default: try db.execute(sql: "UPDATE engine_snapshot SET layout = 'indicators 0'")
            }
            #expect(db.changesCount == 1)
        }
        try q.close()
        let db = try tmp.open()
        #expect(try Self.figures(db) == expected, "\(damage)")
        #expect(db.store.engineHolder.snapshotsRead.load(ordering: .relaxed) == 0, "\(damage)")
        #expect(db.store.engineHolder.fullBuilds.load(ordering: .relaxed) == 1, "\(damage)")
    }

    @Test func erasingAMemberDeletesTheSnapshotThatHoldsFactsAboutHer() throws {
        let tmp = TempDB()
        let db = try tmp.open(OpenOptions(store: StoreOptions(snapshotAfterEvents: 10), trusted: true))
        var members: [String] = []
        for n in 0..<20 { members.append(try db.diaspora("Membre \(n)")) }
        let before = try Self.figures(db)
        #expect(try Self.snapshotRows(tmp.path) == 1)
        try db.ok("member.erase", #"{"id": "\#(members[3])"}"#)
        #expect(try Self.snapshotRows(tmp.path) == 0)
        #expect(try Self.figures(db) == before)      // built again from the redacted log, which writes a snapshot without her
        #expect(try Self.snapshotRows(tmp.path) == 1)
    }
}
