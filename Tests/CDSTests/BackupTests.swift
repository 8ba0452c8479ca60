import CDS
import CDSCore
import Foundation
import Testing

@Suite("Backups")
struct BackupTests {
    @Test("a backup taken during a write load opens, verifies its chain and equals the source at its point in time")
    func backupUnderLoad() throws {
        let tmp = TempDB()
        let db = try tmp.open()
        for n in 0..<50 { _ = try db.diaspora("Avant \(n)") }
        let copyPath = tmp.dir.appendingPathComponent("copy.sqlite").path
        let group = DispatchGroup()
        let failures = Failures()
        DispatchQueue.global().async(group: group) {
            for n in 0..<400 {
                let r = db.call("member.create", #"{"name": "Pendant \#(n)", "gender": "f", "roles": ["diaspora"], "residence_country": "BE"}"#)
                if !r.ok { failures.add(r.text) }
            }
        }
        // Let the writer run, then copy while it writes.
        while (try db.ok("member.list", #"{"limit": 1000}"#)["items"]?.arrayValue?.count ?? 0) < 120 { usleep(1000) }
        let answer = try db.ok("backup", #"{"path": "\#(copyPath)"}"#)
        group.wait()
        #expect(failures.all.isEmpty, "\(failures.all)")
        #expect(answer["verified"] == true)

        let copy = try CDSDatabase(path: copyPath, options: OpenOptions(store: .init(readOnly: true), trusted: true))
        let audit = try copy.ok("audit.verify")
        #expect(audit["ok"] == true)
        let events = audit["events"]?.intValue ?? 0
        #expect(events == answer["events"]?.intValue)
        let copied = try copy.ok("member.list", #"{"limit": 1000}"#)["items"]?.arrayValue ?? []
        let source = try db.ok("member.list", #"{"limit": 1000}"#)["items"]?.arrayValue ?? []
        #expect(source.count == 450)
        #expect(copied.count >= 120 && copied.count < 450, "the copy is of a moment during the load (\(copied.count) members)")
        // The same answers as the source had at that moment: its first members, and its first events, hash for hash.
        #expect(Array(source.prefix(copied.count)) == copied)
        #expect(Int64(copied.count) == events, "one member.created per member: nothing half-written")
        let sourceEvents = try db.ok("event.list", #"{"limit": 1000}"#)["items"]?.arrayValue?.prefix(Int(events)).map { $0["hash"] } ?? []
        let copyEvents = try copy.ok("event.list", #"{"limit": 1000}"#)["items"]?.arrayValue?.map { $0["hash"] } ?? []
        #expect(Array(sourceEvents) == copyEvents)

        // A backup never overwrites a file, and an in-memory database has none to copy.
        #expect(try db.err("backup", #"{"path": "\#(copyPath)"}"#)["code"] == "conflict")
        #expect(try CDSDatabase(path: ":memory:", options: .trusted).err("backup", #"{"path": "\#(copyPath)-2"}"#)["code"] == "conflict")
    }
}

/// Errors seen by a writer thread.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ s: String) { lock.lock(); list.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return list }
}
