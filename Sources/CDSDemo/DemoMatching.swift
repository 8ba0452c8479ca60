import CDSCore

/// June of the demo: members put offers on the table, the matcher proposes offers for each
/// open need with their reasons, the allocation assigns them, and members accept or
/// decline what is proposed to them.
enum DemoMatching {
    static func build(_ call: (String, JSONObject) throws(CDSError) -> JSON, ids: inout [String: String]) throws(CDSError) -> [String] {
        var lines: [String] = []
        let fac = ids["facilitator"] ?? ""
        func id(_ j: JSON) -> String { j["id"]?.stringValue ?? "" }
        let offers: [(key: String, owner: String, fields: JSONObject)] = [
            ("offer.rotterdam", "technician.rotterdam", [
                "kind": "skill", "description": "Installation et mise en service de panneaux solaires", "skills": ["3113", "7411"],
                "capacity": ["unit": "person_days", "amount": 7], "windows": [["from": "2026-10-20", "until": "2026-11-10", "travel": true]],
                "remote": false, "on_site": true, "languages": ["shi", "fr"], "territories": ["09.541"], "sectors": ["ELE", "AGR"]]),
            ("offer.lyon", "engineer.lyon", [
                "kind": "skill", "description": "Conception hydraulique et suivi de chantier", "skills": ["2142", "3112"],
                "capacity": ["unit": "person_days", "amount": 10], "windows": [["from": "2026-08-01", "until": "2026-08-31", "travel": true]],
                "remote": true, "on_site": true, "languages": ["shi", "fr"], "territories": ["09.581"], "sectors": ["EAU", "ROU"]]),
            ("offer.brussels", "accountant.brussels", [
                "kind": "skill", "description": "Marketing et vente en ligne pour les coopératives", "skills": ["2431", "2411"],
                "capacity": ["unit": "person_days", "amount": 8], "remote": true, "on_site": false, "languages": ["fr", "ar"],
                "sectors": ["COO", "FEM"]]),
            ("offer.gennevilliers.president", "president.gennevilliers", [
                "kind": "skill", "description": "Mise en relation avec des acheteurs et conseil commercial", "skills": ["1221"],
                "capacity": ["unit": "person_days", "amount": 4], "windows": [["from": "2026-09-15", "until": "2027-03-31", "travel": false]],
                "remote": true, "on_site": false, "languages": ["shi", "fr"], "territories": ["09.581.01.05"], "sectors": ["COO"]]),
            ("offer.madrid", "engineer.madrid", [
                "kind": "skill", "description": "Ingénierie mécanique, à distance", "skills": ["2144"],
                "capacity": ["unit": "person_days", "amount": 5], "remote": true, "on_site": false, "languages": ["ar", "es", "fr"]]),
            ("offer.barcelona", "teacher.barcelona", [
                "kind": "network", "description": "Des contacts d'agences de voyage solidaire en Catalogne", "capacity": ["unit": "units", "amount": 4],
                "remote": true, "languages": ["es", "fr"], "territories": ["09.581"], "sectors": ["TOU", "CUL"]]),
        ]
        for (n, o) in offers.enumerated() {
            var f = o.fields
            f["member"] = .string(ids[o.owner] ?? "")
            f["contact_consent"] = true
            f["actor"] = .string(ids[o.owner] ?? fac)
            f["at"] = .string("2026-06-0\(n + 1)T19:00:00Z")
            ids[o.key] = id(try call("offer.create", f))
        }
        var gennevilliers: JSONObject = ["organization": .string(ids["org.gennevilliers"] ?? ""), "kind": "finance",
                                         "description": "Fonds de solidarité de l'association pour l'eau et l'école",
                                         "capacity": ["unit": "money", "amount": 10_000_000, "currency": "MAD"], "remote": true,
                                         "territories": ["09.581"], "sectors": ["EAU", "EDU"], "contact_consent": true,
                                         "actor": .string(ids["president.gennevilliers"] ?? fac), "at": "2026-06-08T19:00:00Z"]
        gennevilliers["languages"] = ["fr"]
        ids["offer.gennevilliers"] = id(try call("offer.create", gennevilliers))
        lines.append("Offers on the table (June 2026): \(offers.count + 1), from \(offers.count) members and an association")

        // The best offers for each open need, with their reasons.
        let all = try call("match.all", ["k": 3, "explain": true])
        var names: [String: String] = [:]
        func name(_ member: String) throws(CDSError) -> String {
            if let n = names[member] { return n }
            let n = try call("member.get", ["id": .string(member)])["name"]?.stringValue ?? member
            names[member] = n
            return n
        }
        lines.append("The matcher's proposals for the open needs, with their reasons:")
        for need in all["needs"]?.arrayValue ?? [] {
            let n = try call("need.get", ["id": need["need"] ?? .null])
            let unit = n["quantity"]?["unit"]?.stringValue == "person_days" ? "person-days" : n["quantity"]?["unit"]?.stringValue ?? ""
            lines.append("  need: \(n["description"]?.stringValue ?? "") (\(n["quantity"]?["amount"]?.text ?? "") \(unit))")
            let matches = need["matches"]?.arrayValue ?? []
            if matches.isEmpty { lines.append("    no offer meets the hard constraints") }
            for (rank, m) in matches.enumerated() {
                let score = Int(((m["score"]?.doubleValue ?? 0) * 100).rounded())
                lines.append("    \(rank + 1). \(try name(m["member"]?.stringValue ?? "")) — score \(score) %")
                for c in m["components"]?.arrayValue ?? [] where (c["value"]?.doubleValue ?? 0) > 0 {
                    lines.append("       · \(c["labels"]?["en"]?.stringValue ?? "")")
                }
                let met = (m["constraints"]?.arrayValue ?? []).map { $0["labels"]?["en"]?.stringValue ?? "" }
                lines.append("       ✓ " + met.joined(separator: " · "))
            }
        }

        // The allocation: each offer to at most one need, the largest total score.
        let allocation = try call("match.allocate", ["max_per_member": 1])
        lines.append("Allocation (each offer to one need at most, one need per member):")
        for p in allocation["pairs"]?.arrayValue ?? [] {
            let n = try call("need.get", ["id": p["need"] ?? .null])
            let score = Int(((p["score"]?.doubleValue ?? 0) * 100).rounded())
            lines.append("  \(n["description"]?.stringValue ?? "") ← \(try name(p["member"]?.stringValue ?? "")) (\(score) %)")
        }

        // The facilitator proposes the allocated pairs; the technician accepts, the accountant
        // declines and the next best offer for that need is proposed and accepted.
        func pledged(_ accepted: JSON) -> String {
            let q = accepted["contribution"]?["quantity"]
            return "\(q?["amount"]?.text ?? "") \(q?["unit"]?.stringValue == "person_days" ? "person-days" : q?["unit"]?.stringValue ?? "")"
        }
        for (x, p) in (allocation["pairs"]?.arrayValue ?? []).enumerated() {
            let match = try call("match.propose", ["need": p["need"] ?? .null, "offer": p["offer"] ?? .null, "actor": .string(fac),
                                                   "at": .string("2026-06-1\(x + 2)T10:00:00Z")])
            let who = p["member"]?.stringValue ?? ""
            if who == ids["accountant.brussels"] {
                _ = try call("match.decline", ["id": match["id"] ?? .null, "reason": "Pas disponible à ces dates", "actor": .string(who),
                                               "at": "2026-06-15T20:00:00Z"])
                lines.append("  \(try name(who)) declined (not available then): the pair will not be proposed again")
                let next = try call("match.need", ["need": p["need"] ?? .null, "k": 1])["matches"]?.arrayValue?.first
                if let next {
                    let again = try call("match.propose", ["need": p["need"] ?? .null, "offer": next["offer"] ?? .null, "actor": .string(fac),
                                                           "at": "2026-06-16T10:00:00Z"])
                    let nextWho = next["member"]?.stringValue ?? ""
                    let accepted = try call("match.accept", ["id": again["id"] ?? .null, "actor": .string(nextWho), "at": "2026-06-18T20:00:00Z"])
                    lines.append("  the next best, \(try name(nextWho)), accepted: \(pledged(accepted)) pledged")
                }
            } else {
                let accepted = try call("match.accept", ["id": match["id"] ?? .null, "actor": .string(who), "at": "2026-06-17T20:00:00Z"])
                lines.append("  \(try name(who)) accepted: \(pledged(accepted)) pledged")
            }
        }
        return lines
    }
}
