@_spi(Tooling) import CDS
import CDSCore
@testable import CDSStore
import Foundation
import GRDB
import Testing

/// The snapshots of the indicator engine and of the matcher's inputs (Snapshots.swift).
@Suite struct SnapshotTests {
    @Test("after random writes and restarts, a handle opened from the stored snapshots answers exactly what ones built afresh from the database answer",
          arguments: [UInt64(5), 6])
    func reopenedFromSnapshotsEqualsFresh(seed: UInt64) throws {
        let tmp = TempDB()
        var walk = try LiveWalk(seed: seed, path: tmp.path, snapshotAfterEvents: 8)
        for _ in 0..<6 { walk.step() }
        var restarts = 0, read = (indicators: 0, matcher: 0)
        for i in 0..<90 {
            walk.step()
            walk.check(everything: i % 15 == 14)
            if i % 10 == 9 {
                let store = walk.live.store
                read.indicators += store.engineHolder.snapshotsRead.load(ordering: .relaxed)
                read.matcher += store.liveMatcher.snapshotsRead.load(ordering: .relaxed)
                try walk.reopen()
                restarts += 1
            }
        }
        // Nearly every handle after the first opened from snapshots (one that finds the snapshot
        // of another position than the log's builds afresh and is counted out).
        #expect(read.indicators >= restarts - 2 && read.matcher >= restarts - 2, "snapshots read: \(read) over \(restarts) restarts")
        #expect(walk.reads > 200)
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

    @Test func aSnapshotsBytesHoldTheEngineAsItWasWhenTheyWereAskedForWhateverItIsExtendedWithBeforeTheyAreMade() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        var before: [String] = [], after: [String] = []
        for n in 0..<8 { before.append(try db.diaspora("Membre \(n)", extra: #""heart_diaspora": true"#)) }
        let first = try db.store.indicatorEvents()
        for n in 0..<8 { after.append(try db.diaspora("Après \(n)")) }
        let rest = try db.store.indicatorEvents(after: Int64(first.count))
        let engine = IndicatorEngine(events: first)
        let bytes = engine.snapshotLater()          // captured here, made below
        engine.extend(with: rest)
        let read = try IndicatorEngine(snapshot: bytes())
        let asTaken = IndicatorEngine(events: first), day = 30_000
        for id in IndicatorID.allCases {
            #expect(read.counted(id, day: day, territory: "") == asTaken.counted(id, day: day, territory: ""), "\(id)")
        }
        #expect(before.allSatisfy { read.memberProfile($0, day: day) != nil })
        #expect(after.allSatisfy { read.memberProfile($0, day: day) == nil && engine.memberProfile($0, day: day) != nil })
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

    @Test func aHandleOpensItsMatcherFromTheStoredSnapshotFollowsTheEventsAfterItAndAFlippedByteBuildsItFromTheDatabase() throws {
        let tmp = TempDB()
        var walk = try LiveWalk(seed: 9, path: tmp.path, snapshotAfterEvents: 10)
        for _ in 0..<40 { walk.step() }
        walk.check(everything: true)                 // the matcher is built: its snapshot is written
        for _ in 0..<5 { walk.step() }               // events after the snapshot
        #expect(try Self.snapshotRows(tmp.path, "SELECT COUNT(*) FROM engine_snapshot WHERE engine = 'matcher'") == 1)
        try walk.reopen()
        walk.check(everything: true)
        #expect(walk.live.store.liveMatcher.snapshotsRead.load(ordering: .relaxed) == 1)
        #expect(walk.live.store.liveMatcher.fullLoads.load(ordering: .relaxed) == 0)
        let q = try DatabaseQueue(path: tmp.path)
        try q.write { db in
            var data = try Data.fetchOne(db, sql: "SELECT data FROM engine_snapshot WHERE engine = 'matcher'") ?? Data()
            data[data.count / 2] ^= 0x04
            try db.execute(sql: "UPDATE engine_snapshot SET data = ? WHERE engine = 'matcher'", arguments: [data])
        }
        try q.close()
        try walk.reopen()
        walk.check(everything: true)
        #expect(walk.live.store.liveMatcher.snapshotsRead.load(ordering: .relaxed) == 0)
        #expect(walk.live.store.liveMatcher.fullLoads.load(ordering: .relaxed) == 1)
    }
}
