// The portal mix (`--mix`): T threads through the C door, on one handle or one handle per
// thread, for a duration or a number of calls, 90 % reads and 10 % writes with real ids of
// the database; p50 and p99 per method, throughput, errors and peak memory. And the
// history top-up (`--events N`): contributions pledged, confirmed and delivered, offers and
// members updated, through `batch`, until the log holds N events.
import CDSCore
import CDSDataGen
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One kind of call of the mix, with its weight in thousandths.
struct MixCall: Sendable {
    /// The name its figures are reported under (the method, and what it asks for when two share a method).
    let label: String
    /// Its share of the calls, in thousandths.
    let weight: Int
    /// True for a call that changes data.
    let writes: Bool
}

/// The portal's mix: 90 % reads, 10 % writes.
let portalMix: [MixCall] = [
    MixCall(label: "match.need", weight: 200, writes: false),
    MixCall(label: "match.member", weight: 150, writes: false),
    MixCall(label: "member.get", weight: 200, writes: false),
    MixCall(label: "project.list", weight: 100, writes: false),
    MixCall(label: "project.get", weight: 150, writes: false),
    MixCall(label: "indicators.compute (commune)", weight: 50, writes: false),
    MixCall(label: "indicators.compute (CDS)", weight: 50, writes: false),
    MixCall(label: "offer.create", weight: 15, writes: true),
    MixCall(label: "offer.update", weight: 25, writes: true),
    MixCall(label: "contribution.create", weight: 20, writes: true),
    MixCall(label: "contribution.update", weight: 15, writes: true),
    MixCall(label: "member.update", weight: 15, writes: true),
    MixCall(label: "need.create", weight: 10, writes: true),
]

/// Every item of a listing, page after page: the `key` field of each.
func listAll(_ door: Door, _ method: String, _ params: String, key: String = "id") throws -> [String] {
    try listItems(door, method, params).compactMap { $0[key]?.stringValue }
}

/// Every item of a listing, page after page.
func listItems(_ door: Door, _ method: String, _ params: String) throws -> [JSON] {
    var out: [JSON] = [], cursor: String? = nil
    repeat {
        let page = try door.call(method, cursor.map { params.dropLast() + #", "cursor": "\#($0)"}"# } ?? params)
        out += page["items"]?.arrayValue ?? []
        cursor = page["next_cursor"]?.stringValue
    } while cursor != nil
    return out
}

/// The number of events in the log: the highest sequence number, found through `event.list`'s `after`.
func eventCount(_ door: Door) throws -> Int {
    func beyond(_ seq: Int) throws -> Bool {
        !(try door.call("event.list", #"{"after": \#(seq), "limit": 1}"#)["items"]?.arrayValue?.isEmpty ?? true)
    }
    guard try beyond(0) else { return 0 }
    var low = 1, high = 1
    while try beyond(high) { low = high; high *= 2 }
    // beyond(low) is true (or low is 1 and events exist), beyond(high) is false.
    while high - low > 1 {
        let mid = (low + high) / 2
        if try beyond(mid) { low = mid } else { high = mid }
    }
    return try beyond(low) ? high : low
}

/// FNV-1a of the text's bytes: the same in every process (Swift's `Hasher` is seeded per process).
func stableHash(_ s: String) -> UInt64 {
    s.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
}

/// The ids a portal's calls name, read from the database once before the mix.
struct PortalWorld: Sendable {
    /// Diaspora members.
    let members: [String]
    /// Offers.
    let offers: [String]
    /// Open needs that `match.need` asks about (no contribution answers them, so they stay matchable).
    let readNeeds: [String]
    /// Open and partly covered needs the contributions answer, with their project (a fifth of the needs, by their id).
    let pledgeNeeds: [(need: String, project: String)]
    /// Projects.
    let projects: [String]
    /// The communes of the projects.
    let communes: [String]
    /// Skill codes with a group, and the PAC sectors.
    let skills: [String], sectors: [String]
    /// Contributions found pledged and confirmed.
    let pledged: [String], confirmed: [String]

    /// Reads the ids through `door`.
    init(_ door: Door) throws {
        members = try listAll(door, "member.list", #"{"role": "diaspora", "limit": 1000}"#)
        offers = try listAll(door, "offer.list", #"{"status": "active", "limit": 1000}"#)
        // The open needs split for good by their id (the same split in every run): a fifth
        // take the contributions, the others are matched; a need some contribution already
        // answers (an earlier run's, the history's) may be fully pledged, so not matchable.
        let needs = try listItems(door, "need.list", #"{"status": "open", "limit": 1000}"#)
        let answered = Set(try listAll(door, "contribution.list", #"{"limit": 1000}"#, key: "need"))
        readNeeds = needs.compactMap { n in
            guard let id = n["id"]?.stringValue, stableHash(id) % 5 != 0, !answered.contains(id) else { return nil }
            return id
        }
        let partly = try listItems(door, "need.list", #"{"status": "partly_covered", "limit": 1000}"#)
        pledgeNeeds = (needs + partly).compactMap { n in
            guard let id = n["id"]?.stringValue, stableHash(id) % 5 == 0, let p = n["project"]?.stringValue, n["kind"]?.stringValue == "skill",
                  n["quantity"]?["unit"]?.stringValue == "person_days" else { return nil }
            return (id, p)
        }
        let projectItems = try listItems(door, "project.list", #"{"limit": 1000}"#)
        projects = projectItems.compactMap { $0["id"]?.stringValue }
        communes = Array(Set(projectItems.flatMap { $0["communes"]?.arrayValue?.compactMap(\.stringValue) ?? [] })).sorted()
        skills = try listAll(door, "reference.list", #"{"dataset": "skills", "limit": 1000}"#, key: "code").filter { $0.count == 4 }
        sectors = try listAll(door, "reference.list", #"{"dataset": "pac_sectors", "limit": 1000}"#, key: "code")
        pledged = try door.call("contribution.list", #"{"status": "pledged", "limit": 1000}"#)["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        confirmed = try door.call("contribution.list", #"{"status": "confirmed", "limit": 1000}"#)["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        // No need left to answer (all covered by the history): the contributions are of money only.
        guard !members.isEmpty, !offers.isEmpty, !readNeeds.isEmpty, !projects.isEmpty, !communes.isEmpty,
              !skills.isEmpty, !sectors.isEmpty else {
            throw ToolError("the database lacks members, offers, open needs no contribution answers, projects or reference data for the mix")
        }
    }
}

/// The contributions that can still move, each handed to one thread at a time, so that no
/// two threads move the same one and every move is a valid transition
/// (pledged → confirmed or cancelled, confirmed → delivered).
final class ContributionPool: @unchecked Sendable {
    private let lock = NSLock()
    private var pledged: [String]
    private var confirmed: [String]
    init(pledged: [String], confirmed: [String]) { self.pledged = pledged; self.confirmed = confirmed }

    /// A contribution and the status to move it to, taken out of the pool; nil when none can move.
    func take(_ draw: UInt64) -> (id: String, to: String)? {
        lock.lock(); defer { lock.unlock() }
        if !confirmed.isEmpty, pledged.isEmpty || draw % 2 == 0 {
            return (confirmed.swapRemove(Int(draw / 2 % UInt64(confirmed.count))), "delivered")
        }
        guard !pledged.isEmpty else { return nil }
        let id = pledged.swapRemove(Int(draw / 2 % UInt64(pledged.count)))
        return (id, draw % 10 == 1 ? "cancelled" : "confirmed")
    }

    /// Puts back a contribution now at `status` (a delivered or cancelled one moves no more).
    func put(_ id: String, _ status: String) {
        lock.lock(); defer { lock.unlock() }
        switch status {
        case "pledged": pledged.append(id)
        case "confirmed": confirmed.append(id)
        default: break
        }
    }
}

extension Array {
    /// Removes the element at `i` (a valid index) by moving the last one into its place.
    mutating func swapRemove(_ i: Int) -> Element {
        swapAt(i, count - 1)
        return removeLast()
    }
}

/// One thread's figures: the seconds of every call by label, and its errors.
final class Tally: @unchecked Sendable {
    var times: [String: [Double]] = [:]
    var errors: [String: Int] = [:]
    var firstError: [String: String] = [:]
}

#if os(Linux)
let rusageSelf = __rusage_who_t(RUSAGE_SELF.rawValue)
#else
let rusageSelf = RUSAGE_SELF
#endif

/// The peak resident memory of this process (getrusage's ru_maxrss, in KiB on Linux), in MiB.
func peakMemoryMiB() -> Double {
    var usage = rusage()
    guard getrusage(rusageSelf, &usage) == 0 else { return 0 }
    return Double(usage.ru_maxrss) / 1024
}

/// The CPU seconds (user, system) this process has used.
func cpuSeconds() -> (user: Double, system: Double) {
    var usage = rusage()
    guard getrusage(rusageSelf, &usage) == 0 else { return (0, 0) }
    func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return (s(usage.ru_utime), s(usage.ru_stime))
}

/// The machine's load averages over 1, 5 and 15 minutes, as /proc/loadavg gives them.
func loadAverage() -> String {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
    return text.split(separator: " ").prefix(3).joined(separator: " ")
}

/// Runs the mix: `threads` threads on `doors` (one shared, or one each), until `deadline` or
/// `calls` calls in all; answers each thread's tally and the wall time.
func runMix(_ mix: [MixCall], doors: [Door], world: PortalWorld, threads: Int, seconds: Double?, calls: Int?, seed: UInt64) -> (tallies: [Tally], wall: Double) {
    let pool = ContributionPool(pledged: world.pledged, confirmed: world.confirmed)
    let clock = ContinuousClock()
    let start = clock.now
    let deadline = seconds.map { start + .milliseconds(Int64($0 * 1000)) }
    let group = DispatchGroup()
    let tallies = (0..<threads).map { _ in Tally() }
    let totalWeight = mix.reduce(0) { $0 + $1.weight }
    for t in 0..<threads {
        let door = doors[t % doors.count], tally = tallies[t]
        let quota = calls.map { $0 / threads + (t < $0 % threads ? 1 : 0) }
        group.enter()
        let thread = Thread {
            var rng = SplitMix(seed: seed &+ UInt64(t) &* 0x9E37_79B9)
            func pick<T>(_ list: [T]) -> T { list[Int(rng.next() % UInt64(list.count))] }
            func some(_ list: [String], _ n: Int) -> String { JSON.strings(Array(Set((0..<n).map { _ in pick(list) })).sorted()).text }
            var done = 0
            while quota.map({ done < $0 }) ?? true, deadline.map({ clock.now < $0 }) ?? true {
                var roll = Int(rng.next() % UInt64(totalWeight))
                var call = mix[0]
                for c in mix { if roll < c.weight { call = c; break }; roll -= c.weight }
                var label = call.label, method = call.label, params = "{}"
                var moved: (id: String, to: String)? = nil
                switch call.label {
                case "match.need": params = #"{"need": "\#(pick(world.readNeeds))", "k": 10}"#
                case "match.member": params = #"{"member": "\#(pick(world.members))", "k": 10}"#
                case "member.get": params = #"{"id": "\#(pick(world.members))"}"#
                case "project.list":
                    params = rng.next() % 2 == 0 ? #"{"territory": "\#(pick(world.communes))", "limit": 20}"# : #"{"sector": "\#(pick(world.sectors))", "limit": 20}"#
                case "project.get": params = #"{"id": "\#(pick(world.projects))"}"#
                case "indicators.compute (commune)": method = "indicators.compute"; params = #"{"territory": "\#(pick(world.communes))"}"#
                case "indicators.compute (CDS)": method = "indicators.compute"
                case "offer.create":
                    params = #"{"member": "\#(pick(world.members))", "kind": "skill", "skills": \#(some(world.skills, 3)), "capacity": {"unit": "person_days", "amount": \#(1 + rng.next() % 30)}, "remote": true, "on_site": \#(rng.next() % 2 == 0), "territories": ["\#(pick(world.communes))"], "sectors": ["\#(pick(world.sectors))"], "contact_consent": true}"#
                case "offer.update": params = #"{"id": "\#(pick(world.offers))", "capacity": {"unit": "person_days", "amount": \#(1 + rng.next() % 30)}}"#
                case "member.update": params = #"{"id": "\#(pick(world.members))", "residence_city": "Lyon \#(rng.next() % 1000)"}"#
                case "need.create":
                    params = #"{"project": "\#(pick(world.projects))", "kind": "skill", "description": "Besoin du portail", "skills": \#(some(world.skills, 3)), "quantity": {"unit": "person_days", "amount": \#(1 + rng.next() % 20)}, "mode": "either"}"#
                default:
                    // contribution.update when one can move, else contribution.create.
                    if call.label == "contribution.update", let m = pool.take(rng.next()) {
                        moved = m
                        params = #"{"id": "\#(m.id)", "status": "\#(m.to)"}"#
                    } else {
                        label = "contribution.create"; method = label
                        let member = pick(world.members)
                        if rng.next() % 2 == 0, !world.pledgeNeeds.isEmpty {
                            let n = pick(world.pledgeNeeds)
                            params = #"{"project": "\#(n.project)", "need": "\#(n.need)", "member": "\#(member)", "kind": "skill", "quantity": {"unit": "person_days", "amount": 1}}"#
                        } else {
                            params = #"{"project": "\#(pick(world.projects))", "member": "\#(member)", "kind": "finance", "quantity": {"unit": "money", "amount": \#(1000 + rng.next() % 100_000), "currency": "MAD"}}"#
                        }
                    }
                }
                let t0 = clock.now
                let answer = door.raw(method, params)
                let took = CDSDataGen.seconds(clock.now - t0)
                tally.times[label, default: []].append(took)
                done += 1
                if !answer.ok {
                    tally.errors[label, default: 0] += 1
                    if tally.firstError[label] == nil { tally.firstError[label] = "\(params.prefix(200)) → \(answer.text.prefix(300))" }
                    if let m = moved { pool.put(m.id, m.to == "delivered" ? "confirmed" : "pledged") }
                    continue
                }
                if let m = moved {
                    pool.put(m.id, m.to)
                } else if label == "contribution.create", let id = (try? JSON.parse(answer.text))?["result"]?["id"]?.stringValue {
                    pool.put(id, "pledged")
                }
            }
            group.leave()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
    group.wait()
    return (tallies, CDSDataGen.seconds(clock.now - start))
}

/// Opens the handles, warms them, runs the mix and prints its figures (standard error for
/// progress, standard output for the table).
/// The calls whose label starts with one of `skip` are left out of the mix (the others keep their weights).
func portalMixRun(path: String, threads: Int, seconds: Double?, calls: Int?, perThread: Bool, skip: [String] = []) throws {
    let mix = portalMix.filter { c in !skip.contains { c.label.hasPrefix($0) } }
    guard !mix.isEmpty else { throw ToolError("--skip leaves no call in the mix") }
    let readShare = Double(mix.filter { !$0.writes }.reduce(0) { $0 + $1.weight }) / Double(mix.reduce(0) { $0 + $1.weight })
    let clock = ContinuousClock()
    let opened = clock.now
    let first = try Door(path, options: #"{"trusted": true}"#)
    let world = try PortalWorld(first)
    let events = try eventCount(first)
    say("mix on \(path): \(world.members.count) members, \(world.offers.count) active offers, \(world.readNeeds.count) open needs to match and \(world.pledgeNeeds.count) to answer with contributions, \(world.projects.count) projects in \(world.communes.count) communes, \(events) events, \(world.pledged.count)+\(world.confirmed.count) contributions that can move")
    var doors = [first]
    if perThread { for _ in 1..<threads { doors.append(try Door(path, options: #"{"trusted": true}"#)) } }
    // Warm every handle: its first match and indicators calls build what they build.
    for (i, door) in doors.enumerated() {
        let t = clock.now
        try door.call("match.need", #"{"need": "\#(world.readNeeds[0])", "k": 10}"#)
        try door.call("match.member", #"{"member": "\#(world.members[0])", "k": 10}"#)
        try door.call("indicators.compute", "{}")
        try door.call("indicators.compute", #"{"territory": "\#(world.communes[0])"}"#)
        try door.call("project.list", #"{"limit": 20}"#)
        if i == 0 { say(String(format: "  handle warmed in %.2f s (its first match.need, match.member and indicators.compute)", CDSDataGen.seconds(clock.now - t))) }
    }
    say(String(format: "  %d handle(s) open and warm %.2f s after the open; peak memory so far %.0f MiB; load average %@",
               doors.count, CDSDataGen.seconds(clock.now - opened), peakMemoryMiB(), loadAverage()))
    let loadBefore = loadAverage()
    let cpuBefore = cpuSeconds()
    if !skip.isEmpty { say(String(format: "  without %@: %.1f %% reads", skip.joined(separator: ", "), readShare * 100)) }
    let (tallies, wall) = runMix(mix, doors: doors, world: world, threads: threads, seconds: seconds, calls: calls, seed: 20261204)
    let cpuAfter = cpuSeconds()
    var times: [String: [Double]] = [:], errors: [String: Int] = [:], firstError: [String: String] = [:]
    for t in tallies {
        for (k, v) in t.times { times[k, default: []] += v }
        for (k, v) in t.errors { errors[k, default: 0] += v }
        for (k, v) in t.firstError where firstError[k] == nil { firstError[k] = v }
    }
    let total = times.values.reduce(0) { $0 + $1.count }
    let failed = errors.values.reduce(0, +)
    let user = cpuAfter.user - cpuBefore.user, system = cpuAfter.system - cpuBefore.system
    say(String(format: "  %d calls in %.2f s: %.0f calls/s, %d errors; CPU user %.1f s, system %.1f s (%.2f cores); peak memory %.0f MiB; load average before %@, after %@",
               total, wall, Double(total) / wall, failed, user, system, (user + system) / wall, peakMemoryMiB(), loadBefore, loadAverage()))
    for (k, v) in firstError.sorted(by: { $0.key < $1.key }) { say("  first error of \(k): \(v)") }
    print("| \(threads) threads, \(perThread ? "one handle each" : "one handle")\(skip.isEmpty ? "" : ", without " + skip.joined(separator: ", ")) | calls | share | p50 | p99 | max | errors |")
    print("|---|---|---|---|---|---|---|")
    for c in portalMix {
        guard let xs = times[c.label] else { continue }
        print("| `\(c.label)` | \(xs.count) | " + String(format: "%.1f %%", Double(xs.count) * 100 / Double(max(1, total)))
              + " | \(ms(percentile(xs, 0.5))) | \(ms(percentile(xs, 0.99))) | \(ms(xs.max() ?? 0)) | \(errors[c.label] ?? 0) |")
    }
    let all = times.values.flatMap { $0 }
    print(String(format: "| all | %d | 100 %% | %@ | %@ | %@ | %d |", total, ms(percentile(all, 0.5)), ms(percentile(all, 0.99)), ms(all.max() ?? 0), failed))
    // On a shared machine the process gets what the others leave: calls per CPU second says what it did with it.
    print(String(format: "\n%.0f calls/s over %.1f s (%.0f calls per CPU second); peak memory (ru_maxrss) %.0f MiB; CPU %.2f cores; load average before %@, after %@; %d events at the start",
                 Double(total) / wall, wall, Double(total) / max(0.001, user + system), peakMemoryMiB(), (user + system) / wall, loadBefore, loadAverage(), events))
}

/// Writes history through `batch` until the log holds `target` events: contributions of
/// members to projects (half answering a need set aside for them, half money), most of them
/// confirmed and many delivered, offers' capacities and members' cities updated.
func topUpEvents(_ door: Door, target: Int) throws {
    var count = try eventCount(door)
    guard count < target else { return }
    let world = try PortalWorld(door)
    say("adding history until the log holds \(target) events (it holds \(count))…")
    var rng = SplitMix(seed: 20261205)
    func pick<T>(_ list: [T]) -> T { list[Int(rng.next() % UInt64(list.count))] }
    func batch(_ calls: [String]) throws -> [JSON] {
        try door.call("batch", #"{"calls": [\#(calls.joined(separator: ","))]}"#)["results"]?.arrayValue ?? []
    }
    let clock = ContinuousClock()
    let start = clock.now
    var calls = 0, round = 0
    while count < target {
        let pledges: [String] = (0..<500).map { _ in
            let member = pick(world.members)
            if rng.next() % 2 == 0, !world.pledgeNeeds.isEmpty {
                let n = pick(world.pledgeNeeds)
                return #"{"method": "contribution.create", "params": {"project": "\#(n.project)", "need": "\#(n.need)", "member": "\#(member)", "kind": "skill", "quantity": {"unit": "person_days", "amount": \#(1 + rng.next() % 5)}}}"#
            }
            return #"{"method": "contribution.create", "params": {"project": "\#(pick(world.projects))", "member": "\#(member)", "kind": "finance", "quantity": {"unit": "money", "amount": \#(1000 + rng.next() % 1_000_000), "currency": "MAD"}}}"#
        }
        let others: [String] = (0..<500).map { i in
            i % 2 == 0
                ? #"{"method": "offer.update", "params": {"id": "\#(pick(world.offers))", "capacity": {"unit": "person_days", "amount": \#(1 + rng.next() % 30)}}}"#
                : #"{"method": "member.update", "params": {"id": "\#(pick(world.members))", "residence_city": "Ville \#(rng.next() % 5000)"}}"#
        }
        let made = try batch(pledges + others).prefix(pledges.count).compactMap { $0["id"]?.stringValue }
        // 90 % confirmed, 5 % cancelled, 5 % left pledged; of the confirmed, two in three delivered.
        var confirmed: [String] = [], moves: [String] = []
        for id in made {
            let r = rng.next() % 20
            if r == 0 { moves.append(#"{"method": "contribution.update", "params": {"id": "\#(id)", "status": "cancelled"}}"#) }
            else if r != 1 { confirmed.append(id); moves.append(#"{"method": "contribution.update", "params": {"id": "\#(id)", "status": "confirmed"}}"#) }
        }
        _ = try batch(moves)
        let delivered = confirmed.filter { _ in rng.next() % 3 != 0 }
        _ = try batch(delivered.map { #"{"method": "contribution.update", "params": {"id": "\#($0)", "status": "delivered"}}"# })
        let added = pledges.count + others.count + moves.count + delivered.count
        calls += added
        count += added  // at least one event a call: a lower bound, counted exactly below
        round += 1
        if round % 20 == 0 || count >= target {
            count = try eventCount(door)
            let took = CDSDataGen.seconds(clock.now - start)
            say(String(format: "  %d events, %d calls in %.1f s (%.0f µs a call)", count, calls, took, took / Double(calls) * 1e6))
        }
    }
}
