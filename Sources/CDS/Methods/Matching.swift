import CDSCore
import CDSStore

enum MatchMethods {
    static let k = Schema.Property("k", .integer(min: 1, max: 1000), "how many (1 to 1000, default 10)")
    static let explain = Schema.Property("explain", .boolean, "include each match's explanation")

    /// A scored pair as JSON: the need, the offer and its owner, the score, and (if asked) why.
    static func json(_ index: MatchIndex, _ h: MatchHit, explain: Bool) -> JSON {
        let o = index.offers[h.offer]
        var out = JSONObject([
            ("need", .string(index.needs[h.need].id)), ("project", .string(index.needs[h.need].project)), ("offer", .string(o.id)),
            (o.ownerIsMember ? "member" : "organization", .string(o.owner)), ("score", .double(Double(h.score) / Double(index.scale))),
        ])
        if explain, let e = index.explain(need: h.need, offer: h.offer) {
            out["components"] = .array(e.components.map(\.json))
            out["constraints"] = .array(e.constraints.map(\.json))
        }
        return .object(out)
    }

    /// The matcher as one index over every open need (for the calls over all of them).
    static func index(_ c: Call) throws(CDSError) -> MatchIndex { try c.db.store.matchIndex() }

    /// The pairs as JSON.
    static func json(_ pairs: [ScoredPair], explain: Bool) -> JSON { .array(pairs.map { json($0.index, $0.hit, explain: explain) }) }

    /// The best `k` needs for `offers` among those whose project the caller may see (a need of
    /// a project not yet published is not hers to see), and how many better ones were left out.
    static func visibleNeeds(_ c: Call, _ view: MatchView, offers: [String], k: Int) throws(CDSError) -> (pairs: [ScoredPair], withheld: Int) {
        let sight = Sight(c)
        var want = k
        while true {
            let pairs = try view.topNeeds(offers: offers, k: want)
            var seen: [ScoredPair] = []
            var withheld = 0
            for p in pairs where seen.count < k {
                if try sight.sees(project: p.index.needs[p.hit.need].project) { seen.append(p) } else { withheld += 1 }
            }
            if seen.count >= k || pairs.count < want || want >= 100_000 { return (seen, withheld) }
            want = min(want * 4, 100_000)
        }
    }

    /// `{key: id, "matches": [...]}` with `withheld` when some were left out.
    static func answer(_ key: String, _ id: String, _ found: (pairs: [ScoredPair], withheld: Int), extra: JSONObject = JSONObject()) -> JSON {
        var o = JSONObject([(key, .string(id))])
        for (k, v) in extra { o[k] = v }
        o["matches"] = json(found.pairs, explain: true)
        if found.withheld > 0 { o["withheld"] = .int(Int64(found.withheld)) }
        return .object(o)
    }

    static let all: [Method] = [
        Method("match.need", "The best offers for a need, each with its score and explanation (hard constraints met, ties broken on ids).",
               [.init("need", .id, required: true, "the need's id"), k]) { c throws(CDSError) in
            let id = try c.params.requiredString("need")
            let view = try c.db.store.matchView(need: id)
            guard let pairs = try view.topOffers(need: id, k: Int(c.params.int("k") ?? 10)) else { throw try c.db.store.notMatchable(need: id) }
            return ["need": .string(id), "matches": json(pairs, explain: true)]
        },
        Method("match.offer", "The best open needs for an offer, each with its score and explanation (needs of projects the caller may not see left out, counted in withheld).",
               [.init("offer", .id, required: true, "the offer's id"), k]) { c throws(CDSError) in
            let id = try c.params.requiredString("offer")
            let view = try c.db.store.matchView()
            guard view.hasOffer(id) else { throw try c.db.store.notMatchable(offer: id) }
            return answer("offer", id, try visibleNeeds(c, view, offers: [id], k: Int(c.params.int("k") ?? 10)))
        },
        Method("match.member", "The best open needs for a member's offers (each need once, with the member's best offer for it; needs of projects the caller may not see left out, counted in withheld).",
               [.init("member", .id, required: true, "the member's id"), k]) { c throws(CDSError) in
            let id = try c.params.requiredString("member")
            _ = try c.db.store.member(id)
            let view = try c.db.store.matchView()
            let mine = view.offers(of: id)
            return answer("member", id, try visibleNeeds(c, view, offers: mine, k: Int(c.params.int("k") ?? 10)), extra: ["offers": .strings(mine)])
        },
        Method("match.all", "The best offers for every open need (of one project, or all), in a batch.",
               [.init("k", .integer(min: 1, max: 100), "how many per need (1 to 100, default 10)"), .init("project", .id, "only this project's needs"), explain]) { c throws(CDSError) in
            let p = c.params
            let index = try index(c)
            var needs = Array(index.needs.indices)
            if let project = p.string("project") {
                _ = try c.db.store.project(project)
                needs = needs.filter { index.needs[$0].project == project }
            }
            let explain = p.bool("explain") ?? false
            let all = index.topOffersForAll(needs: needs, k: Int(p.int("k") ?? 10), stop: c.stop)
            try c.stop.check()
            return ["needs": .array(zip(needs, all).map { n, hits in
                ["need": .string(index.needs[n].id), "matches": .array(hits.map { json(index, $0, explain: explain) })]
            })]
        },
        Method("match.allocate", "An optimal assignment of offers to open needs: the largest total score over each need's best candidates, "
                   + "within the slots of needs and offers and, for fairness, a cap on the needs one member serves.",
               [.init("candidates", .integer(min: 1, max: 200), "candidate offers per need (default 20)"),
                .init("need_slots", .integer(min: 1, max: 100), "offers one need takes (default 1)"),
                .init("offer_slots", .integer(min: 1, max: 100), "needs one offer serves (default 1)"),
                .init("max_per_member", .integer(min: 1, max: 1000), "fairness: the most needs one member's offers serve"),
                .init("project", .id, "only this project's needs"), explain]) { c throws(CDSError) in
            let p = c.params
            let index = try index(c)
            var needs: [Int]? = nil
            if let project = p.string("project") {
                _ = try c.db.store.project(project)
                needs = index.needs.indices.filter { index.needs[$0].project == project }
            }
            let options = AllocationOptions(candidates: Int(p.int("candidates") ?? 20), needSlots: Int(p.int("need_slots") ?? 1),
                                            offerSlots: Int(p.int("offer_slots") ?? 1), maxPerMember: p.int("max_per_member").map { Int($0) })
            let r = try index.allocate(options, needs: needs, stop: c.stop)
            let explain = p.bool("explain") ?? false
            return .object(JSONObject([
                ("pairs", .array(r.pairs.map { json(index, $0, explain: explain) })),
                ("objective", .double(Double(r.objective) / Double(index.scale))), ("objective_points", .int(Int64(r.objective))),
                ("edges", .int(Int64(r.edges))), ("needs", .int(Int64(needs?.count ?? index.needs.count))), ("offers", .int(Int64(index.offers.count))),
            ]))
        },
        Method("match.propose", "Proposes an offer for a need (it must meet the hard constraints now); stored with its explanation.", mutating: true,
               [.init("need", .id, required: true, "the need's id"), .init("offer", .id, required: true, "the offer's id")]) { c throws(CDSError) in
            try c.db.store.proposeMatch(need: try c.params.requiredString("need"), offer: try c.params.requiredString("offer"), change: c.change).json
        },
        Method("match.accept", "Accepts a proposed match: pledges a contribution to the need (default quantity: what the offer has left, at most what the need lacks).",
               mutating: true,
               [.init("id", .id, required: true, "the match's id"), .init("quantity", .integer(min: 1, max: Limits.amount), "person-days, units, or minor units of money"),
                .init("on", .date, "the day of the pledge (default: the day of at)"), .init("note", .text(maxLength: Limits.note), "a note")]) { c throws(CDSError) in
            let p = c.params
            let (m, contribution) = try c.db.store.acceptMatch(try p.requiredString("id"), quantity: p.int("quantity"), on: try p.date("on"),
                                                               note: p.string("note"), change: c.change)
            return ["match": m.json, "contribution": contribution.json]
        },
        Method("match.decline", "Declines a proposed match: the pair is never proposed again.", mutating: true,
               [.init("id", .id, required: true, "the match's id"), .init("reason", .text(maxLength: Limits.note), "why")]) { c throws(CDSError) in
            try c.db.store.declineMatch(try c.params.requiredString("id"), reason: c.params.string("reason"), change: c.change).json
        },
        Method("match.get", "A proposed, accepted or declined match by id.", [.init("id", .id, required: true, "the match's id")]) { c throws(CDSError) in
            try c.db.store.match(try c.params.requiredString("id")).json
        },
        Method("match.list", "Matches by need, offer, member, project and status, in proposal order.",
               [.init("need", .id, "only for this need"), .init("offer", .id, "only of this offer"), .init("member", .id, "only of this member"),
                .init("project", .id, "only for this project"), .init("status", .vocabulary(MatchStatus.self), "only this status"),
                Paging.limit, Paging.cursor]) { c throws(CDSError) in
            let p = c.params
            let sight = Sight(c)
            return try Paging.visible(try c.db.store.matches(need: p.string("need"), offer: p.string("offer"), member: p.string("member"), project: p.string("project"),
                                                             status: try p.term("status", MatchStatus.self), limit: p.limit, cursor: try p.sequenceCursor())) { (m: Match) throws(CDSError) in
                try sight.sees(m) ? m.json : nil
            }
        },
        Method("match.weights", "The weights of the match score's components in this database.", []) { c throws(CDSError) in
            try c.db.store.matchWeights().json
        },
        Method("match.set_weights", "Sets some weights of the match score (integers 0 to 1000; the score is their weighted mean).", mutating: true,
               MatchComponent.allCases.map { .init($0.rawValue, .integer(min: 0, max: 1000), "the weight of \($0.rawValue)") }) { c throws(CDSError) in
            let o = c.params.object
            return try c.db.store.setMatchWeights(.object(JSONObject(MatchComponent.allCases.compactMap { k in o[k.rawValue].map { (k.rawValue, $0) } })),
                                                  change: c.change).json
        },
    ]
}
