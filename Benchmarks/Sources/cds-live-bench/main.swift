// Reads while the CDS is written to, through the C door (cds_call), on a database file of
// N diaspora members with one offer each, projects and needs in real communes, sectors,
// skills and languages of the reference data:
// - the bulk import through `batch` (members, then their offers, 1,000 calls a batch);
// - `match.need` and `indicators.compute` with nothing written since the last call, and right
//   after one write, on a live handle and on one opened with {"live": false} (every
//   matching call builds the matcher afresh: the behaviour before the live matcher), in the
//   same run;
// - `meta.version` and `member.create` round trips.
// - with --events N, history added through `batch` (contributions pledged, confirmed and
//   delivered, offers and members updated) until the log holds N events, in a copy of the
//   database of N members (.data/live-M-N-eE.sqlite);
// - with --mix, the portal mix instead (Mix.swift): T threads on one handle (or one each with
//   --handle-per-thread), 90 % reads and 10 % writes, p50 and p99 per method, throughput,
//   errors and peak memory.
// Run: swift run -c release cds-live-bench --members 20000 [--needs 2000] [--projects 500] [--reads 200] [--db PATH] [--live-only] [--match-only]
//      swift run -c release cds-live-bench --members 20000 --mix [--threads 8] [--seconds 30 | --calls N] [--handle-per-thread] [--events N] [--skip indicators,…]
import CDSCore
import CDSDataGen
import CDSHeader
import Foundation

/// A handle of the C door; every call's answer parsed, an error thrown once with its text.
/// A handle may be used from several threads at once (include/cds.h says so): the mix shares one.
final class Door: @unchecked Sendable {
    let handle: OpaquePointer
    init(_ path: String, options: String?) throws {
        var h: OpaquePointer? = nil
        var err: UnsafeMutablePointer<CChar>? = nil
        guard cds_open(path, options, &h, &err) == CDS_OK, let h else {
            defer { cds_free(err) }
            throw ToolError("cannot open \(path): \(err.map { String(cString: $0) } ?? "")")
        }
        handle = h
    }
    deinit { cds_close(handle) }

    /// The answer's text (`{"result": …}` or `{"error": …}`).
    func raw(_ method: String, _ params: String) -> (ok: Bool, text: String) {
        var out: UnsafeMutablePointer<CChar>? = nil
        let status = cds_call(handle, method, params, &out)
        defer { cds_free(out) }
        return (status == CDS_OK, out.map { String(cString: $0) } ?? "")
    }

    /// The result, or an error naming the call.
    @discardableResult
    func call(_ method: String, _ params: String) throws -> JSON {
        let r = raw(method, params)
        guard r.ok else { throw ToolError("\(method) failed: \(r.text.prefix(400))") }
        return (try? JSON.parse(r.text))?["result"] ?? .null
    }
}

func percentile(_ xs: [Double], _ p: Double) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? 0 : s[min(s.count - 1, Int(Double(s.count) * p))]
}
func ms(_ x: Double) -> String { String(format: "%.2f ms", x * 1000) }
func us(_ x: Double) -> String { String(format: "%.1f µs", x * 1e6) }

runTool {
    let args = try ToolArguments(options: ["--members", "--needs", "--projects", "--reads", "--db", "--events", "--threads", "--seconds", "--calls", "--skip"],
                                 flags: ["--live-only", "--match-only", "--mix", "--handle-per-thread"])
    let nMembers = try args.int("--members", 20_000)
    let nNeeds = try args.int("--needs", 2_000)
    let nProjects = try args.int("--projects", 500)
    let reads = try args.int("--reads", 200)
    let basePath = ".data/live-\(nMembers)-\(nNeeds).sqlite"
    let targetEvents = args.values["--events"] == nil ? nil : try args.int("--events", 0)
    let path = args.string("--db", targetEvents.map { ".data/live-\(nMembers)-\(nNeeds)-e\($0).sqlite" } ?? basePath)
    // The database with more history starts as a copy of the one without, when it exists.
    if targetEvents != nil, args.values["--db"] == nil, !FileManager.default.fileExists(atPath: path), FileManager.default.fileExists(atPath: basePath) {
        do {
            try FileManager.default.copyItem(atPath: basePath, toPath: path)
            if FileManager.default.fileExists(atPath: basePath + "-wal") { try FileManager.default.copyItem(atPath: basePath + "-wal", toPath: path + "-wal") }
        } catch { throw ToolError("cannot copy \(basePath) to \(path): \(error)") }
        say("copied \(basePath) to \(path)")
    }
    let clock = ContinuousClock()
    func time(_ body: () throws -> Void) rethrows -> Double {
        let t = clock.now
        try body()
        return seconds(clock.now - t)
    }
    var rng = SplitMix(seed: 20260301)
    func pick<T>(_ list: [T]) -> T { list[Int(rng.next() % UInt64(list.count))] }
    func chance(_ p: Double) -> Bool { Double(rng.next() % 1_000_000) < p * 1_000_000 }

    if !FileManager.default.fileExists(atPath: path) {
        try makeDirectory((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent)
        let door = try Door(path, options: #"{"trusted": true}"#)
        // Real codes: the skills with a group, communes of the two regions, the PAC sectors.
        let skills = try listAll(door, "reference.list", #"{"dataset": "skills", "limit": 1000}"#, key: "code").filter { $0.count == 4 }
        let communes = try listAll(door, "territory.list", #"{"level": "commune", "limit": 1000}"#, key: "code")
        let sectors = try listAll(door, "reference.list", #"{"dataset": "pac_sectors", "limit": 1000}"#, key: "code")
        let languages = ["ar", "shi", "fr", "en", "es", "nl", "de", "it"]
        guard !skills.isEmpty, !communes.isEmpty, !sectors.isEmpty else { throw ToolError("the reference data has no skills, communes or sectors") }
        say("generating \(nMembers) members with one offer each, \(nProjects) projects, \(nNeeds) needs into \(path)…")
        func some(_ list: [String], _ n: Int) -> String { JSON.strings(Array(Set((0..<n).map { _ in pick(list) })).sorted()).text }
        func batch(_ calls: [String]) throws -> [JSON] {
            try door.call("batch", #"{"calls": [\#(calls.joined(separator: ","))]}"#)["results"]?.arrayValue ?? []
        }
        var members: [String] = []
        let bulk = try time {
            var start = 0
            while start < nMembers {
                let end = min(nMembers, start + 1000)
                let made = try batch((start..<end).map { i in
                    let abroad = chance(0.85)
                    return #"{"method": "member.create", "params": {"name": "Membre \#(i)", "gender": "\#(i % 2 == 0 ? "f" : "m")", "roles": ["diaspora"], "residence_country": "\#(abroad ? "FR" : "MA")", "origin": "\#(pick(communes))", "languages": \#(some(languages, 3)), "consents": [{"purpose": "contact", "version": "v1"}]}}"#
                })
                let ids = made.compactMap { $0["id"]?.stringValue }
                members += ids
                _ = try batch(ids.map { m in
                    let remote = chance(0.7)
                    return #"{"method": "offer.create", "params": {"member": "\#(m)", "kind": "skill", "skills": \#(some(skills, 5)), "capacity": {"unit": "person_days", "amount": \#(1 + rng.next() % 30)}, "remote": \#(remote), "on_site": \#(!remote || chance(0.5)), "territories": \#(some(communes, Int(rng.next() % 3))), "sectors": \#(some(sectors, Int(rng.next() % 3))), "contact_consent": true}}"#
                })
                start = end
            }
        }
        say(String(format: "  %d members and their offers through batch in %.2f s (%.0f µs a call)", members.count, bulk, bulk / Double(2 * members.count) * 1e6))
        var projects: [String] = []
        _ = try batch((0..<nProjects).map { p in #"{"method": "project.create", "params": {"title": {"fr": "Projet \#(p)"}, "communes": ["\#(pick(communes))"], "sector": "\#(pick(sectors))"}}"# })
            .compactMap { $0["id"]?.stringValue }.forEach { projects.append($0) }
        var start = 0
        while start < nNeeds {
            let end = min(nNeeds, start + 1000)
            _ = try batch((start..<end).map { i in
                #"{"method": "need.create", "params": {"project": "\#(projects[i % projects.count])", "kind": "skill", "description": "Besoin \#(i)", "skills": \#(some(skills, 3)), "quantity": {"unit": "person_days", "amount": \#(1 + rng.next() % 20)}, "mode": "\#(pick(["remote", "on_site", "either"]))", "languages": \#(chance(0.3) ? #"["\#(pick(["shi", "fr", "ar"]))"]"# : "[]")}}"#
            })
            start = end
        }
    }

    if let target = targetEvents { try topUpEvents(try Door(path, options: #"{"trusted": true}"#), target: target) }
    if args.flag("--mix") {
        let perSecond = args.values["--seconds"].flatMap(Double.init)
        if args.values["--seconds"] != nil, (perSecond ?? 0) <= 0 { throw ToolError("--seconds takes a positive number of seconds") }
        let calls = args.values["--calls"] == nil ? nil : try args.int("--calls", 1)
        try portalMixRun(path: path, threads: try args.int("--threads", 8), seconds: calls == nil ? (perSecond ?? 30) : perSecond,
                         calls: calls, perThread: args.flag("--handle-per-thread"),
                         skip: args.values["--skip"].map { $0.split(separator: ",").map(String.init) } ?? [])
        return
    }

    let live = try Door(path, options: #"{"trusted": true}"#)
    let fresh = try Door(path, options: #"{"live": false, "trusted": true}"#)
    let needs = try listAll(live, "need.list", #"{"status": "open", "limit": 1000}"#)
    let offers = try listAll(live, "offer.list", #"{"limit": 1000}"#)
    let members = try listAll(live, "member.list", #"{"role": "diaspora", "limit": 1000}"#)
    let events = try live.call("meta.version", "{}")
    say("\(offers.count) offers, \(needs.count) open needs; \(events.text)")
    guard !needs.isEmpty, !offers.isEmpty else { throw ToolError("the database has no open need or no offer") }

    // Warm both handles (the first call builds what is built).
    let firstNeed = try time { try live.call("match.need", #"{"need": "\#(needs[0])", "k": 10}"#) }
    let firstIndicators = try time { try live.call("indicators.compute", "{}") }
    say("first match.need \(ms(firstNeed)), first indicators.compute \(ms(firstIndicators)) (cold, this process)")
    _ = try fresh.call("match.need", #"{"need": "\#(needs[0])", "k": 10}"#)

    var rows: [(String, [Double])] = []
    let handles = [("live", live, reads), ("afresh (live false)", fresh, max(10, reads / 10))]
    for (name, door, n) in args.flag("--live-only") ? Array(handles.prefix(1)) : handles {
        var idle: [Double] = [], afterWrite: [Double] = [], write: [Double] = [], indicatorsAfter: [Double] = [], indicatorsIdle: [Double] = []
        for i in 0..<n {
            let need = pick(needs)
            idle.append(try time { try door.call("match.need", #"{"need": "\#(need)", "k": 10}"#) })
            let offer = pick(offers)
            write.append(try time { try door.call("offer.update", #"{"id": "\#(offer)", "capacity": {"unit": "person_days", "amount": \#(1 + i % 30)}}"#) })
            afterWrite.append(try time { try door.call("match.need", #"{"need": "\#(pick(needs))", "k": 10}"#) })
            if i % 5 == 0, !args.flag("--match-only") {
                indicatorsIdle.append(try time { try door.call("indicators.compute", "{}") })
                try door.call("member.update", #"{"id": "\#(pick(members))", "residence_city": "Lyon \#(i)"}"#)
                indicatorsAfter.append(try time { try door.call("indicators.compute", "{}") })
            }
        }
        say("\(name): match.need idle p50 \(ms(percentile(idle, 0.5))) p99 \(ms(percentile(idle, 0.99))); right after offer.update p50 \(ms(percentile(afterWrite, 0.5))) p99 \(ms(percentile(afterWrite, 0.99))); offer.update p50 \(ms(percentile(write, 0.5)))")
        say("\(name): indicators.compute idle p50 \(ms(percentile(indicatorsIdle, 0.5))); right after member.update p50 \(ms(percentile(indicatorsAfter, 0.5)))")
        rows.append((name, [percentile(idle, 0.5), percentile(afterWrite, 0.5), percentile(afterWrite, 0.99), percentile(write, 0.5), percentile(indicatorsIdle, 0.5), percentile(indicatorsAfter, 0.5)]))
    }

    // The price of the door itself, and of one write.
    var version: [Double] = []
    for _ in 0..<20_000 { version.append(try time { _ = live.raw("meta.version", "{}") }) }
    var create: [Double] = []
    for i in 0..<2_000 {
        create.append(try time { try live.call("member.create", #"{"name": "Nouvelle \#(i)", "gender": "f", "roles": ["diaspora"], "residence_country": "FR", "languages": ["fr", "ar"]}"#) })
    }
    say("meta.version round trip p50 \(us(percentile(version, 0.5))); member.create p50 \(us(percentile(create, 0.5))) p99 \(us(percentile(create, 0.99)))")
    print("| handle | match.need idle p50 | match.need after a write p50 | p99 | offer.update p50 | indicators.compute idle p50 | after a write p50 |")
    print("|---|---|---|---|---|---|---|")
    for (name, v) in rows { print("| \(name) | " + v.map(ms).joined(separator: " | ") + " |") }
}
