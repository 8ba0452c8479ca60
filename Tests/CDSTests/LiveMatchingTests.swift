@_spi(Tooling) import CDS
import CDSCore
import CDSStore
import Foundation
import Testing

/// A small deterministic generator (SplitMix64): the same seed, the same walk.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One random walk of writes through a live handle, each followed by reads that a second
/// handle on the same file answers with the matcher built afresh from the database.
struct LiveWalk {
    var live: CDSDatabase
    let fresh: CDSDatabase
    var rng: SeededRandom
    let liveOptions: OpenOptions, path: String
    var members: [String] = [], offers: [String] = [], needs: [String] = [], projects: [String] = [], contributions: [String] = [], proposed: [String] = []
    var reads = 0

    static let skills = ["2142", "2141", "2411", "3112", "7411", "2341"]
    static let languages = ["shi", "fr", "ar", "en", "tzm"]
    static let communes = ["09.581.03.03", "09.581.01.07", "09.541.11.33", "09.541.01.01"]
    static let sectors = ["EAU", "AGR", "EDU", "CUL"]
    static let kinds = ["skill", "skill", "skill", "network", "finance"]

    init(seed: UInt64, path: String, snapshotAfterEvents: Int = StoreOptions().snapshotAfterEvents) throws {
        let now = Instant("2026-06-01T09:00:00Z")
        // A base rebuilt in the background every few changes, so that reads land before, during and after it.
        liveOptions = OpenOptions(store: StoreOptions(now: now, matcherRebuildAfter: Int(seed % 3) * 4 + 2, snapshotAfterEvents: snapshotAfterEvents), trusted: true)
        self.path = path
        live = try CDSDatabase(path: path, options: liveOptions)
        fresh = try CDSDatabase(path: path, options: OpenOptions(store: StoreOptions(now: now, live: false), trusted: true))
        rng = SeededRandom(seed)
    }

    /// Closes the live handle and opens another on the file, as a portal's next process would.
    mutating func reopen() throws { live = try CDSDatabase(path: path, options: liveOptions) }

    mutating func pick<T>(_ list: [T]) -> T? { list.isEmpty ? nil : list[Int.random(in: 0..<list.count, using: &rng)] }
    mutating func some(_ list: [String], most: Int) -> String {
        let n = Int.random(in: 0...most, using: &rng)
        return JSON.strings(Array(Set((0..<n).compactMap { _ in pick(list) })).sorted()).text
    }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
    mutating func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &rng) }

    /// Calls through the live handle, now and then as an import of history (an earlier
    /// `at`: a late fact the engines must count from its day); answers the id of a success.
    @discardableResult
    mutating func write(_ method: String, _ params: String) -> String? {
        var params = params
        if chance(0.25), params.hasPrefix("{") {
            params = #"{"at": "2026-0\#(int(1...5))-\#(String(format: "%02d", int(1...28)))T10:00:00Z", "# + params.dropFirst()
        }
        let r = live.call(method, params)
        guard r.ok else { return nil }
        return (try? JSON.parse(r.text))?["result"]?["id"]?.stringValue
    }

    /// The same read on both handles must answer the same text, byte for byte.
    mutating func compare(_ method: String, _ params: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let a = live.call(method, params), b = fresh.call(method, params)
        reads += 1
        #expect(a.ok == b.ok && a.text == b.text, "\(method) \(params)\nlive:  \(a.text.prefix(700))\nfresh: \(b.text.prefix(700))", sourceLocation: sourceLocation)
    }

    mutating func quantity(_ kind: String) -> String {
        kind == "finance" ? #"{"unit": "money", "amount": \#(int(1...50) * 10_000), "currency": "EUR"}"#
            : #"{"unit": "person_days", "amount": \#(int(1...20))}"#
    }

    mutating func window() -> String {
        let from = int(1...25), len = int(0...20)
        return #"{"from": "2026-07-\#(String(format: "%02d", from))", "until": "2026-08-\#(String(format: "%02d", min(28, 1 + len)))", "travel": \#(chance(0.5))}"#
    }

    /// One random write: members, offers, needs, projects, consents, contributions, matches, weights.
    mutating func step() {
        switch int(0...17) {
        case 0, 1:
            let abroad = chance(0.8)
            let origin = chance(0.7) ? #", "origin": "\#(pick(Self.communes) ?? "")""# : ""
            let consent = chance(0.9) ? #", "consents": [{"purpose": "contact", "version": "v1"}]"# : ""
            if let m = write("member.create", #"{"name": "M\#(members.count)", "gender": "f", "roles": ["diaspora"], "residence_country": "\#(abroad ? "FR" : "MA")", "languages": \#(some(Self.languages, most: 3)), "skills": \#(some(Self.skills, most: 2))\#(origin)\#(consent)}"#) {
                members.append(m)
            }
        case 2, 3, 4:
            guard let m = pick(members) else { return }
            let kind = pick(Self.kinds) ?? "skill"
            let windows = (0..<int(0...3)).map { _ in window() }.joined(separator: ", ")
            let remote = chance(0.7), onSite = !remote || chance(0.5)
            if let o = write("offer.create", #"{"member": "\#(m)", "kind": "\#(kind)", "skills": \#(some(Self.skills, most: 3)), "capacity": \#(quantity(kind)), "windows": [\#(windows)], "remote": \#(remote), "on_site": \#(onSite), "languages": \#(some(Self.languages, most: 2)), "territories": \#(some(Self.communes, most: 2)), "sectors": \#(some(Self.sectors, most: 2)), "contact_consent": \#(chance(0.9))}"#) {
                offers.append(o)
            }
        case 5:
            guard let o = pick(offers) else { return }
            let change = [#""status": "paused""#, #""status": "active""#, #""status": "withdrawn""#, #""skills": \#(some(Self.skills, most: 3))"#,
                          #""languages": \#(some(Self.languages, most: 2))"#, #""windows": [\#(window())]"#, #""contact_consent": \#(chance(0.7))"#][int(0...6)]
            write("offer.update", #"{"id": "\#(o)", \#(change)}"#)
        case 6:
            guard let m = pick(members) else { return }
            let change = [#""languages": \#(some(Self.languages, most: 3))"#, #""origin": "\#(pick(Self.communes) ?? "")""#, #""origin": null"#,
                          #""residence_country": "\#(chance(0.5) ? "FR" : "MA")""#, #""skills": \#(some(Self.skills, most: 2))"#][int(0...4)]
            write("member.update", #"{"id": "\#(m)", \#(change)}"#)
        case 7:
            guard let m = pick(members) else { return }
            write(chance(0.5) ? "consent.withdraw" : "consent.give", #"{"member": "\#(m)", "purpose": "contact", "version": "v2"}"#)
        case 8:
            if let p = write("project.create", #"{"title": {"fr": "P\#(projects.count)"}, "communes": \#(some(Self.communes, most: 2)), "sector": "\#(pick(Self.sectors) ?? "EAU")"}"#) {
                projects.append(p)
            }
        case 9, 10:
            guard let p = pick(projects) else { return }
            let kind = pick(Self.kinds) ?? "skill"
            let dates = chance(0.5) ? #", "from": "2026-07-\#(String(format: "%02d", int(1...20)))", "until": "2026-08-\#(String(format: "%02d", int(1...28)))""# : ""
            if let n = write("need.create", #"{"project": "\#(p)", "kind": "\#(kind)", "description": "N\#(needs.count)", "skills": \#(some(Self.skills, most: 2)), "quantity": \#(quantity(kind)), "mode": "\#(pick(["remote", "on_site", "either"]) ?? "either")", "languages": \#(some(Self.languages, most: 1))\#(dates)}"#) {
                needs.append(n)
            }
        case 11:
            guard let n = pick(needs) else { return }
            let change = [#""status": "cancelled""#, #""skills": \#(some(Self.skills, most: 2))"#, #""languages": \#(some(Self.languages, most: 1))"#, #""mode": "remote""#][int(0...3)]
            write("need.update", #"{"id": "\#(n)", \#(change)}"#)
        case 12:
            guard let p = pick(projects) else { return }
            write("project.update", chance(0.5) ? #"{"id": "\#(p)", "communes": \#(some(Self.communes, most: 2))}"# : #"{"id": "\#(p)", "sector": "\#(pick(Self.sectors) ?? "EAU")"}"#)
        case 13:
            // Propose the live top match of a need, then accept or decline it.
            guard let n = pick(needs), let top = (try? JSON.parse(live.call("match.need", #"{"need": "\#(n)", "k": 3}"#).text))?["result"]?["matches"]?.arrayValue,
                  let hit = pick(top), let o = hit["offer"]?.stringValue else { return }
            if let m = write("match.propose", #"{"need": "\#(n)", "offer": "\#(o)"}"#) {
                if chance(0.6) { write("match.accept", #"{"id": "\#(m)"}"#) } else { write("match.decline", #"{"id": "\#(m)"}"#) }
            }
        case 14:
            guard let n = pick(needs), let m = pick(members) else { return }
            let need = (try? JSON.parse(live.call("need.get", #"{"id": "\#(n)"}"#).text))?["result"]
            guard let project = need?["project"]?.stringValue, let kind = need?["kind"]?.stringValue, let q = need?["quantity"] else { return }
            var quantity = q.objectValue ?? JSONObject()
            quantity["amount"] = .int(Int64(int(1...5)))
            if let c = write("contribution.create", #"{"project": "\#(project)", "need": "\#(n)", "member": "\#(m)", "kind": "\#(kind)", "quantity": \#(JSON.object(quantity).text)}"#) {
                contributions.append(c)
            }
            if let c = pick(contributions) {
                write("contribution.update", #"{"id": "\#(c)", "status": "\#(pick(["confirmed", "confirmed", "delivered", "cancelled"]) ?? "confirmed")"}"#)
            }
        case 16:
            // An invitation by a member, accepted by a new member or by one already there (who keeps her first inviter, or is refused a cycle).
            guard let by = pick(members), let code = (try? JSON.parse(live.call("invitation.create", #"{"by": "\#(by)", "channel": "email"}"#).text))?["result"]?["code"]?.stringValue else { return }
            if chance(0.6) {
                if let m = (try? JSON.parse(live.call("invitation.accept", #"{"code": "\#(code)", "profile": {"name": "I\#(members.count)", "gender": "f", "roles": ["diaspora"], "residence_country": "FR", "origin": "\#(pick(Self.communes) ?? "")", "consents": [{"purpose": "contact", "version": "v1"}]}}"#).text))?["result"]?["member"]?["id"]?.stringValue {
                    members.append(m)
                }
            } else if let m = pick(members) {
                write("invitation.accept", #"{"code": "\#(code)", "member": "\#(m)"}"#)
            }
        case 17:
            // An outreach for a need, the host taking a few messages and acknowledging them.
            guard let n = pick(needs) else { return }
            write("outreach.send", #"{"need": "\#(n)", "params": {"link": "https://cds.example.org"}}"#)
            let taken = (try? JSON.parse(live.call("outbox.next", #"{"limit": 3}"#).text))?["result"]?["messages"]?.arrayValue ?? []
            for m in taken { write("outbox.ack", #"{"id": "\#(m["id"]?.stringValue ?? "")", "status": "\#(chance(0.8) ? "delivered" : "failed")", "reason": "bounced"}"#) }
        default:
            if chance(0.3) { write("match.set_weights", #"{"skills": \#(int(10...60)), "territory": \#(int(0...40))}"#) }
        }
    }

    /// Reads after a write: a need, an offer and a member at random; now and then every need and the allocation.
    mutating func check(everything: Bool) {
        if let n = pick(needs) { compare("match.need", #"{"need": "\#(n)", "k": \#(int(1...6))}"#) }
        if let o = pick(offers) { compare("match.offer", #"{"offer": "\#(o)", "k": \#(int(1...6))}"#) }
        if let m = pick(members) { compare("match.member", #"{"member": "\#(m)", "k": \#(int(1...6))}"#) }
        compare("indicators.compute", "{}")
        compare("circle.indicators", #"{"provenance": true}"#)
        if everything {
            compare("circle.indicators", #"{"territory": "09.581", "as_of": "2026-03-31", "provenance": true}"#)
            compare("outreach.indicators", #"{"provenance": true}"#)
            compare("indicators.compute", #"{"territory": "09.581", "provenance": true}"#)
            compare("indicators.compute", #"{"period": "month", "from": "2026-01-01", "until": "2026-06-30", "disaggregate": "gender"}"#)
            compare("match.all", #"{"k": 3, "explain": true}"#)
            compare("match.allocate", #"{"candidates": 5, "offer_slots": 2, "explain": true}"#)
        }
    }
}

@Suite("The live matcher and indicator engine")
struct LiveMatchingTests {
    @Test("after every random write, the live matcher and indicator engine answer exactly what ones built afresh from the database answer",
          arguments: [UInt64(1), 2, 3, 4])
    func liveEqualsFresh(seed: UInt64) throws {
        let tmp = TempDB()
        var walk = try LiveWalk(seed: seed, path: tmp.path)
        for _ in 0..<6 { walk.step() }
        for i in 0..<140 {
            walk.step()
            walk.check(everything: i % 20 == 19)
        }
        #expect(walk.needs.count > 5 && walk.offers.count > 10, "the walk wrote too little to prove anything")
        #expect(walk.reads > 300)
    }

    @Test("the steering counts kept as steps over days (needs covered, matches decided) equal a walk over every need and match, on every day, in every territory",
          arguments: [UInt64(5), 6])
    func steeringStepsEqualTheWalk(seed: UInt64) throws {
        let tmp = TempDB()
        var walk = try LiveWalk(seed: seed, path: tmp.path)
        for _ in 0..<160 { walk.step() }
        let start = LocalDate(year: 2025, month: 12, day: 1)?.daysSinceEpoch ?? 0
        let compared = try walk.live.store.withIndicatorEngine { e -> Int in
            var n = 0
            for d in stride(from: start, through: start + 220, by: 3) {
                for key in ["", "09", "09.581", "09.541"] + LiveWalk.communes {
                    let needs = e.needsCovered(day: d, key: key), counts = e.needCounts(day: d, key: key)
                    #expect(counts.covered == needs.covered.count && counts.total == needs.total.count, "needs on \(d) in \(key)")
                    let matches = e.matchDecisions(day: d, key: key), m = e.matchCounts(day: d, key: key)
                    #expect(m.proposed == matches.proposed.count && m.accepted == matches.accepted.count && m.declined == matches.declined.count,
                            "matches on \(d) in \(key)")
                    if needs.total.count > 0 && matches.proposed.count > 0 { n += 1 }
                }
            }
            return n
        }
        #expect(compared > 8, "the walk made too few needs and matches to prove anything")
    }

    @Test("a read right after a write sees it: a new offer is among its need's matches at once")
    func readYourWrites() throws {
        let tmp = TempDB()
        let db = try tmp.open()
        let p = try db.ok("project.create", #"{"title": {"fr": "Eau"}, "communes": ["09.581.03.03"], "sector": "EAU"}"#)["id"]?.stringValue ?? ""
        let n = try db.ok("need.create", #"{"project": "\#(p)", "kind": "skill", "description": "Étude", "skills": ["2142"], "quantity": {"unit": "person_days", "amount": 5}}"#)["id"]?.stringValue ?? ""
        #expect(try db.ok("match.need", #"{"need": "\#(n)"}"#)["matches"]?.arrayValue?.isEmpty == true)
        for i in 0..<3 {
            let m = try db.ok("member.create", #"{"name": "M\#(i)", "gender": "m", "roles": ["diaspora"], "residence_country": "FR", "consents": [{"purpose": "contact", "version": "v1"}]}"#)["id"]?.stringValue ?? ""
            let o = try db.ok("offer.create", #"{"member": "\#(m)", "kind": "skill", "skills": ["2142"], "capacity": {"unit": "person_days", "amount": 3}, "contact_consent": true}"#)["id"]?.stringValue ?? ""
            let ids = try db.ok("match.need", #"{"need": "\#(n)"}"#)["matches"]?.arrayValue?.compactMap { $0["offer"]?.stringValue } ?? []
            #expect(ids.contains(o) && ids.count == i + 1)
        }
        _ = try db.ok("need.update", #"{"id": "\#(n)", "status": "cancelled"}"#)
        #expect(try db.err("match.need", #"{"need": "\#(n)"}"#)["code"] == "conflict")
    }
}
