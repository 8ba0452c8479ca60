/// The mobilization circles and the outreach, as the indicator engine counts them from
/// the log: who brought whom (`invitation.accepted`, and `invited_by` on a member), and
/// the messages delivered with the responses that followed.
///
/// Circles: a member brought in directly by an organization (a commune…), an ADC or a
/// facilitator is in the first circle; one brought in by a member of circle n is in
/// circle n + 1; a member who joined on her own (or brought in by a root member) starts a
/// tree: she is in circle 0 and those she brings in are in the first circle. A member has
/// one inviter at a time, so each person is counted once whatever the invitations.
extension IndicatorEngine {
    /// Who brought `m` in on a day: her first accepted invitation, else her `invited_by`.
    public func inviter(of m: String, day: Int) -> Inviter? {
        if let links = circleLinks[m], let l = links.filter({ $0.day <= day }).min(by: { $0.day < $1.day }) { return l.inviter }
        if let i = members[m]?.at(day)?.invitedBy { return .member(i) }
        return nil
    }

    /// True when the member on that day is an ADC or a facilitator: those she brings are the first circle.
    func isInstitutional(_ m: String, day: Int) -> Bool {
        guard let a = members[m]?.at(day) else { return false }
        return a.adc || a.facilitator
    }

    /// The circle of `m` on a day (0: a root), the chain of inviters walked once; a loop
    /// (which the writes refuse, but an import of history could date) ends as a root.
    public func circle(of m: String, day: Int, memo: inout [String: Int]) -> Int {
        if let c = memo[m] { return c }
        // Up the chain until a known circle, a root, or an institution; then down again.
        var chain: [String] = []
        var seen: Set<String> = []
        var x = m
        var last: Int
        while true {
            chain.append(x)
            seen.insert(x)
            guard let inv = inviter(of: x, day: day) else { last = 0; break }
            if case .member(let p) = inv, !isInstitutional(p, day: day) {
                if let c = memo[p] { last = c + 1; break }
                if seen.contains(p) { last = 0; break }
                x = p
                continue
            }
            last = 1
            break
        }
        var c = last
        for y in chain.reversed() {
            memo[y] = c
            c += 1
        }
        return memo[m] ?? 0
    }

    /// True when a member's origin on that day lies in the territory ("" : the CDS).
    func originIn(_ m: String, day: Int, territory: String) -> Bool {
        territory.isEmpty || Self.keys(members[m]?.at(day)?.origin).contains(territory)
    }

    /// The members and migrants mobilized per circle and per inviter on a day, for a
    /// territory: members by their origin, migrants as `migrants_mobilized` counts them there.
    public func circleReport(day: Int, territory: String, provenance: Bool) -> JSON {
        var memo: [String: Int] = [:]
        var byCircle: [Int: [String]] = [:]
        var roots: [String] = []
        var byInviter: [Inviter: [String]] = [:]
        for (m, t) in members where t.at(day) != nil && originIn(m, day: day, territory: territory) {
            let c = circle(of: m, day: day, memo: &memo)
            if c == 0 { roots.append(m); continue }
            byCircle[c, default: []].append(m)
            if let inv = inviter(of: m, day: day) { byInviter[inv, default: []].append(m) }
        }
        let migrants = counted(.migrantsMobilized, day: day, territory: territory).filter { (memo[$0] ?? circle(of: $0, day: day, memo: &memo)) > 0 }
        var migrantsByCircle: [Int: [String]] = [:]
        var migrantsByInviter: [Inviter: [String]] = [:]
        for m in migrants {
            migrantsByCircle[memo[m] ?? 0, default: []].append(m)
            if let inv = inviter(of: m, day: day) { migrantsByInviter[inv, default: []].append(m) }
        }
        func figures(_ o: inout JSONObject, _ ms: [String], _ mg: [String]) {
            o["members"] = .int(Int64(ms.count))
            o["migrants"] = .int(Int64(mg.count))
            if provenance { o["member_ids"] = .strings(ms.sorted()); o["migrant_ids"] = .strings(mg.sorted()) }
        }
        let circles: [JSON] = Set(byCircle.keys).union(migrantsByCircle.keys).sorted().map { c in
            var o: JSONObject = ["circle": .int(Int64(c))]
            figures(&o, byCircle[c] ?? [], migrantsByCircle[c] ?? [])
            return .object(o)
        }
        let inviters: [JSON] = Set(byInviter.keys).union(migrantsByInviter.keys).sorted { ($0.kind, $0.id) < ($1.kind, $1.id) }.map { inv in
            var o: JSONObject = ["inviter": .string(inv.id), "kind": .string(inv.kind)]
            if case .member(let p) = inv { o["circle"] = .int(Int64(circle(of: p, day: day, memo: &memo))) }
            figures(&o, byInviter[inv] ?? [], migrantsByInviter[inv] ?? [])
            return .object(o)
        }
        var out: JSONObject = ["as_of": .string(LocalDate(daysSinceEpoch: day).description), "territory": territory.isEmpty ? .null : .string(territory)]
        figures(&out, byCircle.values.flatMap { $0 }, migrants)
        out["roots"] = .int(Int64(roots.count))
        if provenance { out["root_ids"] = .strings(roots.sorted()) }
        out["circles"] = .array(circles)
        out["inviters"] = .array(inviters)
        return .object(out)
    }

    /// A member's place in the forest on a day: her circle, the chain of who brought whom up
    /// to the root, and the members she brought in directly.
    public func circlePath(of m: String, day: Int) -> JSON {
        var memo: [String: Int] = [:]
        var chain: [JSON] = []
        var seen: Set<String> = [m]
        var x = m
        while let inv = inviter(of: x, day: day) {
            chain.append(["inviter": .string(inv.id), "kind": .string(inv.kind)])
            guard case .member(let p) = inv, seen.insert(p).inserted else { break }
            x = p
        }
        let brought = members.keys.filter { k in inviter(of: k, day: day) == .member(m) }.sorted()
        return .object(JSONObject([
            ("member", .string(m)), ("as_of", .string(LocalDate(daysSinceEpoch: day).description)), ("circle", .int(Int64(circle(of: m, day: day, memo: &memo)))),
            ("brought_by", chain.first ?? .null), ("chain", .array(chain)), ("brought_in", .strings(brought)),
        ]))
    }

    /// People reached by a delivered message up to a day (by their origin in the territory),
    /// and those who responded — an offer made or a match accepted within 30 days of a message
    /// delivered to them — by circle, channel and country of residence.
    public func outreachReport(day: Int, territory: String, provenance: Bool) -> JSON {
        var reached: [String: (channels: Set<String>, days: [Int])] = [:]
        for d in deliveries where d.day <= day && originIn(d.member, day: day, territory: territory) {
            reached[d.member, default: ([], [])].channels.insert(d.channel)
            reached[d.member, default: ([], [])].days.append(d.day)
        }
        var responded: Set<String> = []
        for (m, r) in reached {
            let answers = (responses[m] ?? []).filter { $0 <= day }
            if r.days.contains(where: { d in answers.contains { $0 >= d && $0 <= d + 30 } }) { responded.insert(m) }
        }
        var memo: [String: Int] = [:]
        func split(_ key: (String) -> [String]) -> [JSON] {
            var cells: [String: (reached: [String], responded: [String])] = [:]
            for m in reached.keys {
                for k in key(m) {
                    cells[k, default: ([], [])].reached.append(m)
                    if responded.contains(m) { cells[k, default: ([], [])].responded.append(m) }
                }
            }
            return cells.sorted { $0.key < $1.key }.map { k, v in
                var o: JSONObject = ["key": .string(k), "reached": .int(Int64(v.reached.count)), "responded": .int(Int64(v.responded.count))]
                if provenance { o["reached_ids"] = .strings(v.reached.sorted()); o["responded_ids"] = .strings(v.responded.sorted()) }
                return .object(o)
            }
        }
        var out: JSONObject = ["as_of": .string(LocalDate(daysSinceEpoch: day).description), "territory": territory.isEmpty ? .null : .string(territory),
                               "reached": .int(Int64(reached.count)), "responded": .int(Int64(responded.count))]
        if provenance { out["reached_ids"] = .strings(reached.keys.sorted()); out["responded_ids"] = .strings(responded.sorted()) }
        out["by_circle"] = .array(split { m in [String(circle(of: m, day: day, memo: &memo))] })
        out["by_channel"] = .array(split { m in reached[m]?.channels.sorted() ?? [] })
        out["by_country"] = .array(split { m in [members[m]?.at(day)?.country ?? ""] })
        return .object(out)
    }
}
